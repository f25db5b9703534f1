/* heb_rule.c -- see heb_rule.h. */
#include "heb_rule.h"

#include <stddef.h>

double heb_clip(double w, double w_max) {
    if (w_max <= 0.0) return w;
    return w < -w_max ? -w_max : (w > w_max ? w_max : w);
}

void heb_update(const heb_rule *r, double reward, const double *elig, const double *theta,
                double *out, uint32_t n, double *b) {
    /* third factor: reward relative to the running baseline */
    double gain = r->eta * (reward - *b);
    /* Hebbian term, then the clip */
    for (uint32_t k = 0; k < n; k++) out[k] = heb_clip(theta[k] + gain * elig[k], r->w_max);
    /* the baseline follows the reward after it was used */
    *b += r->alpha * (reward - *b);
}
