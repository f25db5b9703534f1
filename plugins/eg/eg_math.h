/* eg_math.h -- the pure maths of the exponentiated-gradient learner (no
 * host, no allocation, no randomness): the raw-return gradient estimate of
 * antithetic pairs and the multiplicative, sign-preserving step with
 * optional Langevin noise ("Dale meets Langevin").
 *
 * Every function here is reentrant and thread-safe (no global state); it
 * reads and writes only the caller-owned arrays it is given. Candidates,
 * centered ranks and the rank-shaped gradient are es_math.h's.
 */
#ifndef EG_MATH_H
#define EG_MATH_H

#include <stdint.h>

/* Unbiased estimate of the gradient of the Gaussian-smoothed return from
 * raw (unshaped) returns of antithetic pairs: g = sum_j (R[2j] - R[2j+1])
 * eps_j / (p sigma^2), into `g` (n doubles). On a quadratic it equals the
 * true gradient in expectation. Pure. */
void eg_gradient_raw(uint32_t n, uint32_t p, const double *returns, const double *eps, double sigma,
                     double *g);

/* Step hyper-parameters. */
typedef struct eg_hyper {
    double lr;          /* step size eta */
    double temperature; /* Langevin temperature T >= 0; 0 = plain EG */
    double grad_clip;   /* clamp of g to [-grad_clip, grad_clip]; 0 = none */
} eg_hyper;

/* One step on the ascent direction g (n doubles) with standard normal
 * draws xi (n doubles; ignored when temperature is 0). Per entry k, with
 * gc = clamp(g[k]) and s = sign[k]:
 *   s != 0 (multiplicative): theta *= exp(eta s gc + sqrt(2 eta T) xi)
 *   s == 0 (additive):       theta += eta gc + sqrt(2 eta T) xi
 * The multiplicative factor is positive, so a multiplicative entry keeps its
 * sign exactly (it can underflow to a signed zero, never cross it); the
 * exponent is clamped to [-700, 700] so the step never overflows. Pure. */
void eg_step(uint32_t n, const eg_hyper *hp, const int8_t *sign, const double *g, const double *xi,
             double *theta);

#endif /* EG_MATH_H */
