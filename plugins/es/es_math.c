/* es_math.c -- see es_math.h. */
#include "rank_sort.h"
#include "es_math.h"

#include <math.h>
#include <stddef.h>

void es_candidates(uint32_t n, uint32_t p, const double *theta, const double *eps,
                   double *thetas) {
    for (uint32_t j = 0; j < p / 2; j++) {
        const double *e = eps + (size_t)j * n;
        double *plus = thetas + (size_t)(2 * j) * n;
        double *minus = plus + n;
        for (uint32_t i = 0; i < n; i++) {
            plus[i] = theta[i] + e[i];
            minus[i] = theta[i] - e[i];
        }
    }
}

void es_sort_ascending(uint32_t p, const double *returns, uint32_t *order, uint32_t *tmp) {
    rank_sort(p, returns, 0, order, tmp);
}

void es_centered_ranks(uint32_t p, const double *returns, uint32_t *order, uint32_t *tmp,
                       double *u) {
    es_sort_ascending(p, returns, order, tmp);
    for (uint32_t r = 0; r < p; r++) u[order[r]] = (double)r / (double)(p - 1) - 0.5;
}

void es_gradient(uint32_t n, uint32_t p, const double *u, const double *eps, double sigma,
                 double *g) {
    for (uint32_t i = 0; i < n; i++) g[i] = 0.0;
    /* accumulate pair by pair: (u+ - u-) eps_j */
    for (uint32_t j = 0; j < p / 2; j++) {
        double wj = u[2 * j] - u[2 * j + 1];
        const double *e = eps + (size_t)j * n;
        for (uint32_t i = 0; i < n; i++) g[i] += wj * e[i];
    }
    double scale = (double)p * sigma;
    for (uint32_t i = 0; i < n; i++) g[i] /= scale;
}

void es_adam_step(uint32_t n, const es_hyper *hp, uint64_t t, const double *g, double *theta,
                  double *m, double *v) {
    double c1 = 1.0 - pow(hp->beta1, (double)t);
    double c2 = 1.0 - pow(hp->beta2, (double)t);
    for (uint32_t i = 0; i < n; i++) {
        /* descent direction: clamped -g plus L2 weight decay */
        double d = -g[i];
        if (hp->grad_clip > 0.0) d = d < -hp->grad_clip ? -hp->grad_clip
                                   : (d > hp->grad_clip ? hp->grad_clip : d);
        d += hp->weight_decay * theta[i];
        /* bias-corrected moments */
        m[i] = hp->beta1 * m[i] + (1.0 - hp->beta1) * d;
        v[i] = hp->beta2 * v[i] + (1.0 - hp->beta2) * d * d;
        double mhat = m[i] / c1, vhat = v[i] / c2;
        theta[i] -= hp->lr * mhat / (sqrt(vhat) + hp->adam_eps);
    }
}

void es_feasible_box(uint32_t n, const animat_param_info *info, double *lo, double *hi) {
    for (uint32_t k = 0; k < n; k++) {
        lo[k] = -INFINITY;
        hi[k] = INFINITY;
        if (!info) continue;
        const animat_param_info *r =
            (const animat_param_info *)((const char *)info + (size_t)k * info->struct_size);
        lo[k] = r->min;
        hi[k] = r->max;
        if ((r->flags & ANIMAT_PARAM_EXCITATORY) && lo[k] < 0.0) lo[k] = 0.0;
        if ((r->flags & ANIMAT_PARAM_INHIBITORY) && hi[k] > 0.0) hi[k] = 0.0;
    }
}

void es_project(uint32_t n, const double *lo, const double *hi, double *theta) {
    for (uint32_t k = 0; k < n; k++)
        theta[k] = theta[k] < lo[k] ? lo[k] : (theta[k] > hi[k] ? hi[k] : theta[k]);
}
