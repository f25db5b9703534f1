/* ncap_math.h -- the pure maths of the NCAP swimmer circuit (no host, no
 * allocation): weight layout and transforms, the head oscillator and the
 * feed-forward pass over plain arrays. Facts: Bhattasali, Zador & Engel, NeurIPS 2022.
 *
 * Every function here is reentrant and thread-safe (no global state); it
 * reads and writes only the caller-owned arrays it is given.
 *
 * Effective weights ("w") are laid out per joint i as NCAP_NW doubles:
 *   w[NCAP_NW*i + NCAP_IN_D ..]  in_d, in_v, ipsi_d, ipsi_v, contra_d, contra_v
 * where in_* is the B-neuron input weight (w_osc at joint 0, w_prop at
 * joints > 0). The unshared theta vector has exactly this layout; the shared
 * theta is {w_prop, w_osc, w_ipsi, w_contra} and is broadcast to it.
 */
#ifndef NCAP_MATH_H
#define NCAP_MATH_H

#include <stdint.h>

#include "cunits.h"

/* Per-joint slots of the effective weight layout (and of unshared theta). */
#define NCAP_IN_D 0u
#define NCAP_IN_V 1u
#define NCAP_IPSI_D 2u
#define NCAP_IPSI_V 3u
#define NCAP_CONTRA_D 4u
#define NCAP_CONTRA_V 5u
#define NCAP_NW 6u

/* Entries of the shared theta vector. */
#define NCAP_W_PROP 0u
#define NCAP_W_OSC 1u
#define NCAP_W_IPSI 2u
#define NCAP_W_CONTRA 3u
#define NCAP_NSHARED 4u

/* Initialisation schemes (index of the plugin's "init" choice). */
#define NCAP_INIT_DEFAULT 0u
#define NCAP_INIT_RANDOM 1u
#define NCAP_INIT_RANDOM_SIGN 2u

/* Sign roles of a theta entry (same values as ANIMAT_PARAM_EXCITATORY and
 * ANIMAT_PARAM_INHIBITORY, so they can be stored as theta_info flags). */
#define NCAP_EXC 0x1u
#define NCAP_INH 0x2u

/* Excitatory transform: max(w, 0) when `constrained`, else w. Pure. */
double ncap_exc(double w, int constrained);

/* Inhibitory transform: min(w, 0) when `constrained`, else w. Pure. */
double ncap_inh(double w, int constrained);

/* Graded activation g(x) = clamp(x, 0, 1). Pure. */
double ncap_graded(double x);

/* Length of theta for `n_joints` joints: 4 when `shared`, else 6*n_joints.
 * Pure. */
uint32_t ncap_theta_count(uint32_t n_joints, int shared);

/* Sign role (NCAP_EXC or NCAP_INH) of theta entry `k` (k < theta_count).
 * Pure. */
uint32_t ncap_theta_role(int shared, uint32_t k);

/* Write the default theta (w_prop, w_osc, w_ipsi, w_contra) = (1, 1, 1, -1),
 * broadcast to every joint when unshared, into the caller's `theta` of
 * ncap_theta_count(n_joints, shared) doubles. Pure. */
void ncap_default_theta(uint32_t n_joints, int shared, double *theta);

/* One random initial value for an entry of sign role `role`, from a uniform
 * draw u in [0, 1). NCAP_INIT_RANDOM: constrained exc -> u, inh -> -u,
 * unconstrained -> 2u - 1; NCAP_INIT_RANDOM_SIGN: u < 0.5 ? -1 : +1. Returns
 * 0 for any other scheme. Pure. */
double ncap_init_value(uint32_t scheme, uint32_t role, int constrained, double u);

/* Expand theta (ncap_theta_count doubles) into the effective weights `w`
 * (NCAP_NW * n_joints doubles, caller-owned), applying exc/inh to every
 * entry by its role (identity when !constrained). Pure; no allocation. */
void ncap_expand(uint32_t n_joints, int shared, int constrained,
                 const double *theta, double *w);

/* Head oscillator at control step `t` with `period` steps (period >= 2):
 * od = 1, ov = 0 while t mod period < period/2, else od = 0, ov = 1. Pure. */
void ncap_oscillator(uint64_t t, uint32_t period, double *od, double *ov);

/* The forward pass. `angles`: n_joints joint angles (rad, joint 0 = head);
 * `w`: effective weights from ncap_expand; od/ov: oscillator drive (pass 0
 * for an ablated oscillator); `proprio`: 0 zeroes the q_{i-1} inputs to the
 * B-neurons. Writes the n_joints actions a_i = md_i - mv_i to `act`
 * (caller-owned; may alias `angles`). Pure; no allocation. */
void ncap_forward(uint32_t n_joints, const double *w, const double *angles,
                  double od, double ov, int proprio, double *act);

/* Per-joint activities recorded by ncap_forward_trace, NCAP_NTR doubles per
 * joint: the B-neurons' presynaptic inputs (od/ov at joint 0, qd/qv of joint
 * i-1 further back, 0 when ablated), then the graded outputs bd, bv, md, mv. */
#define NCAP_TR_PRE_D 0u
#define NCAP_TR_PRE_V 1u
#define NCAP_TR_BD 2u
#define NCAP_TR_BV 3u
#define NCAP_TR_MD 4u
#define NCAP_TR_MV 5u
#define NCAP_NTR 6u

/* ncap_forward that also writes the step's activities into `trace`
 * (NCAP_NTR * n_joints doubles, caller-owned) when `trace` is not NULL.
 * Same actions, bit for bit, as ncap_forward. Pure; no allocation. */
void ncap_forward_trace(uint32_t n_joints, const double *w, const double *angles,
                        double od, double ov, int proprio, double *act, double *trace);

/* Hebbian eligibility pre * post of every theta entry from one step's
 * `trace` (see ncap_forward_trace), written to the caller's `elig` of
 * ncap_theta_count(n_joints, shared) doubles. Unshared: per joint, in the
 * theta layout, in_d += pre_d bd, in_v += pre_v bv, ipsi_d += bd md,
 * ipsi_v += bv mv, contra_d += bv md, contra_v += bd mv. Shared: each weight
 * gets the sum over the joints it drives of the d and v terms above,
 * accumulated joint by joint in order (w_osc: joint 0; w_prop: joints > 0).
 * Pure; no allocation. */
void ncap_eligibility(uint32_t n_joints, int shared, const double *trace, double *elig);

/* Units of the "animat.units/1" extension: unit 0 is the head oscillator
 * "osc" (signed drive: +1 dorsal half, -1 ventral half, 0 ablated), then per
 * joint i four units "b[i].d", "b[i].v", "m[i].d", "m[i].v" (B-neurons and
 * muscles) at NCAP_UNIT_JOINT0 + NCAP_UNITS_PER_JOINT * i + NCAP_U_*. */
#define NCAP_UNIT_OSC 0u
#define NCAP_UNIT_JOINT0 1u
#define NCAP_U_BD 0u
#define NCAP_U_BV 1u
#define NCAP_U_MD 2u
#define NCAP_U_MV 3u
#define NCAP_UNITS_PER_JOINT 4u

/* Number of units for n_joints joints. Pure. */
uint32_t ncap_unit_count(uint32_t n_joints);

/* Split the signed oscillator drive s into (od, ov) = (s, 0) for s > 0,
 * (0, -s) for s < 0 and (+0, +0) otherwise (also for -0.0), so that
 * s = +1 / -1 / 0 give exactly ncap_oscillator's values and the ablation's.
 * Pure. */
void ncap_osc_split(double s, double *od, double *ov);

/* ncap_forward_trace with two additions, both inert by default:
 *   - `turn`: a turning bias added to the head joint's dorsal B-neuron input
 *     and subtracted from its ventral one; exactly 0 (either sign) adds
 *     nothing, so outputs are bit-identical to ncap_forward_trace;
 *   - `units` (NULL = none): overrides of the B-neuron and muscle units
 *     (cu_apply), applied where each unit's output is used, so muscles and
 *     act of the same step see an overridden B-neuron.
 * The oscillator unit is the caller's (pass od/ov after ncap_osc_split of
 * its overridden value). Pure (reads units); no allocation. */
void ncap_forward_full(uint32_t n_joints, const double *w, const double *angles, double od,
                       double ov, int proprio, double turn, const cu_units *units, double *act,
                       double *trace);

#endif /* NCAP_MATH_H */
