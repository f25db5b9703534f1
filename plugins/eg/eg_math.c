/* eg_math.c -- see eg_math.h. */
#include "eg_math.h"

#include <math.h>

void eg_gradient_raw(uint32_t n, uint32_t p, const double *returns, const double *eps, double sigma,
                     double *g) {
    double scale = 1.0 / ((double)p * sigma * sigma);
    for (uint32_t i = 0; i < n; i++) g[i] = 0.0;
    for (uint32_t j = 0; j < p / 2; j++) {
        double d = (returns[2 * j] - returns[2 * j + 1]) * scale;
        const double *e = eps + (uint64_t)j * n;
        for (uint32_t i = 0; i < n; i++) g[i] += d * e[i];
    }
}

void eg_step(uint32_t n, const eg_hyper *hp, const int8_t *sign, const double *g, const double *xi,
             double *theta) {
    double noise = hp->temperature > 0.0 ? sqrt(2.0 * hp->lr * hp->temperature) : 0.0;
    for (uint32_t k = 0; k < n; k++) {
        double gc = g[k];
        if (hp->grad_clip > 0.0) gc = fmin(fmax(gc, -hp->grad_clip), hp->grad_clip);
        double kick = noise > 0.0 ? noise * xi[k] : 0.0;
        if (sign[k] != 0) {
            double x = hp->lr * sign[k] * gc + kick;
            theta[k] *= exp(fmin(fmax(x, -700.0), 700.0));
        } else {
            theta[k] += hp->lr * gc + kick;
        }
    }
}
