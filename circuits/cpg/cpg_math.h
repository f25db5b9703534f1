/* cpg_math.h -- a chain of phase oscillators with amplitude dynamics, after
 * Ijspeert et al. (Science 2007), as a locomotion CPG (pure maths, no host):
 *
 *   dtheta_i/dt = 2 pi nu + sum_{j = i +- 1} w r_j sin(theta_j - theta_i - phi_ij)
 *                 - sigma f_i sin(theta_i)
 *   d2r_i/dt2   = a (a/4 (R - r_i) - dr_i/dt)
 *   y_i         = r_i cos(theta_i)
 *
 * phi_{i,i-1} = +phi and phi_{i,i+1} = -phi, so at lock theta_{i-1} leads
 * theta_i by phi (a head-to-tail travelling wave); f_i is sensory feedback
 * (e.g. joint i's angle) and sigma its gain. Tonic drive d scales the
 * amplitude to R (1 + d) and the frequency to nu (1 + k_nu d) (both >= 0).
 * r_j as seen by the coupling and the output is the "animat.units/1" unit
 * osc[j], overridable (cu_apply). The right-hand side has GSL odeiv2's
 * signature; state layout y = (theta_0..n-1, r_0..n-1, dr_0..n-1).
 */
#ifndef CPG_MATH_H
#define CPG_MATH_H

#include <stdint.h>

#include "cunits.h"

/* Entries of theta (shared by every oscillator). */
#define CPG_FREQ 0u  /* nu, Hz */
#define CPG_AMP 1u   /* R */
#define CPG_W 2u     /* coupling weight w, 1/s */
#define CPG_PHI 3u   /* phase lag phi between neighbours, rad */
#define CPG_SIGMA 4u /* feedback gain sigma, 1/s */
#define CPG_NTHETA 5u

/* What the right-hand side reads; caller-owned arrays. */
typedef struct cpg_model {
    uint32_t n;            /* oscillators */
    double a;              /* amplitude convergence rate, 1/s */
    double k_nu;           /* frequency gain of the drive */
    const double *theta;   /* CPG_NTHETA learnable values */
    double drive;          /* tonic drive of this step */
    const double *fb;      /* n feedback values of this step */
    const cu_units *units; /* overrides of r, or NULL */
    double *r;             /* n scratch: the amplitudes as seen (overridden) */
} cpg_model;

/* Effective amplitude target and frequency for the model's drive. Pure. */
double cpg_amp(const cpg_model *m);
double cpg_freq(const cpg_model *m);

/* GSL odeiv2 right-hand side over the 3n state (see above); returns
 * GSL_SUCCESS. No allocation. */
int cpg_rhs(double t, const double y[], double dydt[], void *model);

/* Outputs y_i = r_i cos(theta_i) with overridden amplitudes (into m->r as
 * well). No allocation. */
void cpg_outputs(const cpg_model *m, const double *state, double *out);

#endif /* CPG_MATH_H */
