/* ctrnn_math.c -- see ctrnn_math.h. */
#include "ctrnn_math.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stddef.h>

double ctrnn_f(uint32_t act, double x) {
    if (act == CTRNN_F_SIGMOID) return 1.0 / (1.0 + exp(-x));
    if (act == CTRNN_F_LINEAR) return x;
    return tanh(x);
}

double ctrnn_df(uint32_t act, double x) {
    if (act == CTRNN_F_SIGMOID) {
        double s = 1.0 / (1.0 + exp(-x));
        return s * (1.0 - s);
    }
    if (act == CTRNN_F_LINEAR) return 1.0;
    double t = tanh(x);
    return 1.0 - t * t;
}

void ctrnn_rates(const ctrnn_model *m, const double *y) {
    for (uint32_t j = 0; j < m->n; j++)
        m->r[j] = cu_apply(m->units, j, ctrnn_f(m->act, y[j] + m->b[j]));
}

int ctrnn_rhs(double t, const double y[], double dydt[], void *model) {
    (void)t;
    const ctrnn_model *m = model;
    ctrnn_rates(m, y);
    for (uint32_t i = 0; i < m->n; i++) {
        const double *wi = m->w + (size_t)i * m->n;
        double s = 0.0;
        for (uint32_t j = 0; j < m->n; j++) s += wi[j] * m->r[j];
        dydt[i] = (-y[i] + s + m->input[i]) / m->tau[i];
    }
    return GSL_SUCCESS;
}

int ctrnn_jac(double t, const double y[], double *dfdy, double dfdt[], void *model) {
    (void)t;
    const ctrnn_model *m = model;
    /* dr_j/dy_j; a clamped rate does not depend on y */
    for (uint32_t j = 0; j < m->n; j++) {
        int clamped = m->units && m->units->n_active && m->units->mode[j] == ANIMAT_UNIT_CLAMP;
        m->r[j] = clamped ? 0.0 : ctrnn_df(m->act, y[j] + m->b[j]);
    }
    for (uint32_t i = 0; i < m->n; i++) {
        const double *wi = m->w + (size_t)i * m->n;
        double *row = dfdy + (size_t)i * m->n;
        for (uint32_t j = 0; j < m->n; j++)
            row[j] = (wi[j] * m->r[j] - (i == j ? 1.0 : 0.0)) / m->tau[i];
        dfdt[i] = 0.0;
    }
    return GSL_SUCCESS;
}

void ctrnn_dale(uint32_t n, const int8_t *sign, const double *w_raw, double *w_eff) {
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < n; j++) {
            double w = w_raw[(size_t)i * n + j];
            if (sign[j] > 0 && w < 0.0) w = 0.0;
            if (sign[j] < 0 && w > 0.0) w = 0.0;
            w_eff[(size_t)i * n + j] = w;
        }
}
