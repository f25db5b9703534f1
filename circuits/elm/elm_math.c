/* elm_math.c -- see elm_math.h. */
#include "elm_math.h"

#include <math.h>

elm_layout elm_layout_of(const elm_dims *d) {
    elm_layout l;
    uint32_t k = 0;
    l.tau_s = k, k += d->n_in;
    l.tau_m = k, k += d->n_mem;
    l.w1 = k, k += d->n_hidden * (d->n_in + d->n_mem);
    l.b1 = k, k += d->n_hidden;
    l.w2 = k, k += d->n_mem * d->n_hidden;
    l.b2 = k, k += d->n_mem;
    l.wy = k, k += d->n_out * d->n_mem;
    l.by = k, k += d->n_out;
    l.n = k;
    return l;
}

void elm_step(const elm_dims *d, const double *theta, double dt, const double *x, double *s, double *m, double *h,
              double *y) {
    elm_layout l = elm_layout_of(d);
    uint32_t nz = d->n_in + d->n_mem;
    for (uint32_t i = 0; i < d->n_in; i++) s[i] = exp(-dt / theta[l.tau_s + i]) * s[i] + x[i];
    for (uint32_t j = 0; j < d->n_hidden; j++) {
        const double *w = theta + l.w1 + (uint64_t)j * nz;
        double a = theta[l.b1 + j];
        for (uint32_t i = 0; i < d->n_in; i++) a += w[i] * s[i];
        for (uint32_t i = 0; i < d->n_mem; i++) a += w[d->n_in + i] * exp(-dt / theta[l.tau_m + i]) * m[i];
        h[j] = tanh(a);
    }
    for (uint32_t i = 0; i < d->n_mem; i++) {
        const double *w = theta + l.w2 + (uint64_t)i * d->n_hidden;
        double a = theta[l.b2 + i];
        for (uint32_t j = 0; j < d->n_hidden; j++) a += w[j] * h[j];
        double k = exp(-dt / theta[l.tau_m + i]);
        m[i] = k * m[i] + (1.0 - k) * tanh(a);
    }
    for (uint32_t o = 0; o < d->n_out; o++) {
        const double *w = theta + l.wy + (uint64_t)o * d->n_mem;
        double a = theta[l.by + o];
        for (uint32_t i = 0; i < d->n_mem; i++) a += w[i] * m[i];
        y[o] = tanh(a);
    }
}
