/* ncap_math.c -- see ncap_math.h. */
#include "ncap_math.h"

#include <math.h>
#include <stddef.h>

/* clamp(x, lo, hi) without fmin/fmax so that -0.0 passes through unchanged. */
static double ncap_clamp(double x, double lo, double hi) {
    return x < lo ? lo : (x > hi ? hi : x);
}

double ncap_exc(double w, int constrained) {
    return (constrained && w < 0.0) ? 0.0 : w;
}

double ncap_inh(double w, int constrained) {
    return (constrained && w > 0.0) ? 0.0 : w;
}

double ncap_graded(double x) { return ncap_clamp(x, 0.0, 1.0); }

uint32_t ncap_theta_count(uint32_t n_joints, int shared) {
    return shared ? NCAP_NSHARED : NCAP_NW * n_joints;
}

uint32_t ncap_theta_role(int shared, uint32_t k) {
    if (shared) return k == NCAP_W_CONTRA ? NCAP_INH : NCAP_EXC;
    uint32_t slot = k % NCAP_NW;
    return (slot == NCAP_CONTRA_D || slot == NCAP_CONTRA_V) ? NCAP_INH : NCAP_EXC;
}

void ncap_default_theta(uint32_t n_joints, int shared, double *theta) {
    uint32_t n = ncap_theta_count(n_joints, shared);
    for (uint32_t k = 0; k < n; k++)
        theta[k] = ncap_theta_role(shared, k) == NCAP_INH ? -1.0 : 1.0;
}

double ncap_init_value(uint32_t scheme, uint32_t role, int constrained, double u) {
    /* sign-agnostic +-1 */
    if (scheme == NCAP_INIT_RANDOM_SIGN) return u < 0.5 ? -1.0 : 1.0;
    if (scheme != NCAP_INIT_RANDOM) return 0.0;
    /* sign-constrained: exc ~ U(0,1), inh ~ U(-1,0); otherwise U(-1,1) */
    if (!constrained) return 2.0 * u - 1.0;
    return role == NCAP_INH ? -u : u;
}

void ncap_expand(uint32_t n_joints, int shared, int constrained,
                 const double *theta, double *w) {
    for (uint32_t i = 0; i < n_joints; i++) {
        double *wi = w + (size_t)NCAP_NW * i;
        if (shared) {
            /* broadcast the 4 shared weights; joint 0 is driven by w_osc */
            double in = i == 0 ? theta[NCAP_W_OSC] : theta[NCAP_W_PROP];
            wi[NCAP_IN_D] = wi[NCAP_IN_V] = ncap_exc(in, constrained);
            wi[NCAP_IPSI_D] = wi[NCAP_IPSI_V] = ncap_exc(theta[NCAP_W_IPSI], constrained);
            wi[NCAP_CONTRA_D] = wi[NCAP_CONTRA_V] =
                ncap_inh(theta[NCAP_W_CONTRA], constrained);
        } else {
            /* per-joint weights already have the effective layout */
            const double *ti = theta + (size_t)NCAP_NW * i;
            for (uint32_t s = 0; s < NCAP_NW; s++)
                wi[s] = ncap_theta_role(0, s) == NCAP_INH ? ncap_inh(ti[s], constrained)
                                                          : ncap_exc(ti[s], constrained);
        }
    }
}

void ncap_oscillator(uint64_t t, uint32_t period, double *od, double *ov) {
    int first_half = (t % period) < (uint64_t)(period / 2u);
    *od = first_half ? 1.0 : 0.0;
    *ov = first_half ? 0.0 : 1.0;
}

void ncap_forward(uint32_t n_joints, const double *w, const double *angles,
                  double od, double ov, int proprio, double *act) {
    ncap_forward_trace(n_joints, w, angles, od, ov, proprio, act, NULL);
}

void ncap_forward_trace(uint32_t n_joints, const double *w, const double *angles,
                        double od, double ov, int proprio, double *act, double *trace) {
    ncap_forward_full(n_joints, w, angles, od, ov, proprio, 0.0, NULL, act, trace);
}

uint32_t ncap_unit_count(uint32_t n_joints) {
    return NCAP_UNIT_JOINT0 + NCAP_UNITS_PER_JOINT * n_joints;
}

void ncap_osc_split(double s, double *od, double *ov) {
    *od = s > 0.0 ? s : 0.0;
    *ov = s < 0.0 ? -s : 0.0;
}

void ncap_forward_full(uint32_t n_joints, const double *w, const double *angles, double od,
                       double ov, int proprio, double turn, const cu_units *units, double *act,
                       double *trace) {
    /* angle normalisation: one "segment share" of a full turn maps to 1 */
    const double unit = 2.0 * M_PI / (double)(n_joints + 1u);
    double qd_prev = 0.0, qv_prev = 0.0; /* dorsal/ventral q of joint i-1 */
    for (uint32_t i = 0; i < n_joints; i++) {
        const double *wi = w + (size_t)NCAP_NW * i;
        const uint32_t u0 = NCAP_UNIT_JOINT0 + NCAP_UNITS_PER_JOINT * i;
        /* B-neurons: oscillator at the head, proprioception further back */
        double xd = i == 0 ? od : (proprio ? qd_prev : 0.0);
        double xv = i == 0 ? ov : (proprio ? qv_prev : 0.0);
        double sd = xd * wi[NCAP_IN_D], sv = xv * wi[NCAP_IN_V];
        if (i == 0 && turn != 0.0) { /* never touch the bits when turn is 0 */
            sd += turn;
            sv -= turn;
        }
        double bd = cu_apply(units, u0 + NCAP_U_BD, ncap_graded(sd));
        double bv = cu_apply(units, u0 + NCAP_U_BV, ncap_graded(sv));
        /* this joint's proprioceptive state, read before act[i] is written */
        double q = ncap_clamp(angles[i] / unit, -1.0, 1.0);
        qd_prev = ncap_clamp(q, 0.0, 1.0);
        qv_prev = ncap_clamp(-q, 0.0, 1.0);
        /* muscles: ipsilateral excitation, contralateral inhibition */
        double md = cu_apply(units, u0 + NCAP_U_MD,
                             ncap_graded(bd * wi[NCAP_IPSI_D] + bv * wi[NCAP_CONTRA_D]));
        double mv = cu_apply(units, u0 + NCAP_U_MV,
                             ncap_graded(bv * wi[NCAP_IPSI_V] + bd * wi[NCAP_CONTRA_V]));
        act[i] = md - mv;
        /* activities for the plasticity and units extensions */
        if (trace) {
            double *tr = trace + (size_t)NCAP_NTR * i;
            tr[NCAP_TR_PRE_D] = xd;
            tr[NCAP_TR_PRE_V] = xv;
            tr[NCAP_TR_BD] = bd;
            tr[NCAP_TR_BV] = bv;
            tr[NCAP_TR_MD] = md;
            tr[NCAP_TR_MV] = mv;
        }
    }
}

void ncap_eligibility(uint32_t n_joints, int shared, const double *trace, double *elig) {
    if (shared)
        for (uint32_t k = 0; k < NCAP_NSHARED; k++) elig[k] = 0.0;
    for (uint32_t i = 0; i < n_joints; i++) {
        const double *tr = trace + (size_t)NCAP_NTR * i;
        double bd = tr[NCAP_TR_BD], bv = tr[NCAP_TR_BV];
        double md = tr[NCAP_TR_MD], mv = tr[NCAP_TR_MV];
        /* pre * post of each synapse of joint i, in the unshared layout */
        double e[NCAP_NW];
        e[NCAP_IN_D] = tr[NCAP_TR_PRE_D] * bd;
        e[NCAP_IN_V] = tr[NCAP_TR_PRE_V] * bv;
        e[NCAP_IPSI_D] = bd * md;
        e[NCAP_IPSI_V] = bv * mv;
        e[NCAP_CONTRA_D] = bv * md; /* ventral B-neuron onto the dorsal muscle */
        e[NCAP_CONTRA_V] = bd * mv; /* dorsal B-neuron onto the ventral muscle */
        if (!shared) {
            for (uint32_t s = 0; s < NCAP_NW; s++) elig[(size_t)NCAP_NW * i + s] = e[s];
            continue;
        }
        /* shared: the d and v synapses of a joint add to one weight */
        elig[i == 0 ? NCAP_W_OSC : NCAP_W_PROP] += e[NCAP_IN_D] + e[NCAP_IN_V];
        elig[NCAP_W_IPSI] += e[NCAP_IPSI_D] + e[NCAP_IPSI_V];
        elig[NCAP_W_CONTRA] += e[NCAP_CONTRA_D] + e[NCAP_CONTRA_V];
    }
}
