/* lif_build.c -- see lif_build.h. */
#include "lif_build.h"

#include <gsl/gsl_randist.h>

uint64_t lif_draw_degrees(gsl_rng *r, uint32_t n, double p, uint32_t *deg) {
    uint64_t total = 0;
    for (uint32_t i = 0; i < n; i++) {
        deg[i] = n > 1 ? gsl_ran_binomial(r, p, n - 1) : 0;
        total += deg[i];
    }
    return total;
}

void lif_draw_wiring(gsl_rng *r, uint32_t n, const uint32_t *deg, uint32_t d_min,
                     uint32_t d_max, uint32_t *row, uint32_t *post, uint32_t *delay,
                     uint32_t *scratch) {
    row[0] = 0;
    for (uint32_t i = 0; i < n; i++) {
        /* candidates: every neuron but i */
        uint32_t m = 0;
        for (uint32_t j = 0; j < n; j++)
            if (j != i) scratch[m++] = j;
        row[i + 1] = row[i] + deg[i];
        if (deg[i]) gsl_ran_choose(r, post + row[i], deg[i], scratch, m, sizeof *scratch);
        for (uint32_t k = row[i]; k < row[i + 1]; k++)
            delay[k] = d_min + (uint32_t)gsl_rng_uniform_int(r, (unsigned long)(d_max - d_min + 1u));
    }
}
