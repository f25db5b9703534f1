/* cpg_math.c -- see cpg_math.h. */
#include "cpg_math.h"

#include <gsl/gsl_errno.h>
#include <math.h>

double cpg_amp(const cpg_model *m) {
    double R = m->theta[CPG_AMP] * (1.0 + m->drive);
    return R > 0.0 ? R : 0.0;
}

double cpg_freq(const cpg_model *m) {
    double nu = m->theta[CPG_FREQ] * (1.0 + m->k_nu * m->drive);
    return nu > 0.0 ? nu : 0.0;
}

int cpg_rhs(double t, const double y[], double dydt[], void *model) {
    (void)t;
    const cpg_model *m = model;
    const uint32_t n = m->n;
    const double *th = y, *r = y + n, *dr = y + 2 * n;
    const double w = m->theta[CPG_W], phi = m->theta[CPG_PHI], sigma = m->theta[CPG_SIGMA];
    const double omega = 2.0 * M_PI * cpg_freq(m), R = cpg_amp(m);
    for (uint32_t j = 0; j < n; j++) m->r[j] = cu_apply(m->units, j, r[j]);
    for (uint32_t i = 0; i < n; i++) {
        double d = omega - sigma * m->fb[i] * sin(th[i]);
        if (i > 0) d += w * m->r[i - 1] * sin(th[i - 1] - th[i] - phi);
        if (i + 1 < n) d += w * m->r[i + 1] * sin(th[i + 1] - th[i] + phi);
        dydt[i] = d;
        dydt[n + i] = dr[i];
        dydt[2 * n + i] = m->a * (0.25 * m->a * (R - r[i]) - dr[i]);
    }
    return GSL_SUCCESS;
}

void cpg_outputs(const cpg_model *m, const double *state, double *out) {
    const uint32_t n = m->n;
    for (uint32_t i = 0; i < n; i++) {
        m->r[i] = cu_apply(m->units, i, state[n + i]);
        out[i] = m->r[i] * cos(state[i]);
    }
}
