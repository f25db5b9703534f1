/* heb_rule.h -- the pure maths of the reward-modulated three-factor Hebbian
 * rule (no host, no allocation):
 *
 *   M = r - b;  theta_k += eta * M * elig_k;  theta_k clipped to [-w_max, w_max]
 *   (w_max = 0: no clip);  then b += alpha * (r - b).
 *
 * Every function here is reentrant and thread-safe (no global state); it reads
 * and writes only the caller-owned arrays and values it is given.
 */
#ifndef HEB_RULE_H
#define HEB_RULE_H

#include <stdint.h>

/* Rule constants, fixed at create. */
typedef struct heb_rule {
    double eta;   /* learning rate, >= 0 */
    double alpha; /* baseline rate in [0, 1] */
    double w_max; /* symmetric clip bound, > 0; 0 = no clip */
} heb_rule;

/* Clip w to [-w_max, w_max], or return it unchanged when w_max == 0. Pure. */
double heb_clip(double w, double w_max);

/* One plasticity step. Reads `theta` and `elig` (n doubles each, caller-owned)
 * and the baseline *b; writes the updated, clipped weights into `out` (n
 * doubles, caller-owned; may alias `theta`) and the new baseline into *b.
 * Uses the baseline from before the step for M. Pure; no allocation. */
void heb_update(const heb_rule *r, double reward, const double *elig, const double *theta,
                double *out, uint32_t n, double *b);

#endif /* HEB_RULE_H */
