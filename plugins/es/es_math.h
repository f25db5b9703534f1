/* es_math.h -- the pure maths of OpenAI-style evolution strategies (no host,
 * no allocation, no randomness): antithetic candidates, centered-rank
 * shaping, the gradient estimate and the Adam step. As in the NCAP
 * paper's ES.
 *
 * Every function here is reentrant and thread-safe (no global state); it
 * reads and writes only the caller-owned arrays it is given.
 *
 * Layouts: `eps` holds p/2 perturbations of n doubles each (row j is eps_j);
 * `thetas` holds p candidates of n doubles each, row 2j = theta + eps_j and
 * row 2j+1 = theta - eps_j.
 */
#ifndef ES_MATH_H
#define ES_MATH_H

#include <stdint.h>

#include <animat/param.h>

/* Optimiser hyper-parameters (the plugin's configuration). */
typedef struct es_hyper {
    double lr;           /* Adam step size */
    double beta1;        /* first-moment decay, in [0, 1) */
    double beta2;        /* second-moment decay, in [0, 1) */
    double adam_eps;     /* Adam denominator guard, > 0 */
    double weight_decay; /* L2 coefficient added to the descent direction */
    double grad_clip;    /* clamp of -g to [-grad_clip, grad_clip]; 0 = none */
} es_hyper;

/* Write the p antithetic candidates (p even) around `theta` (n doubles) from
 * the p/2 perturbations `eps` into `thetas` (p*n doubles). Pure. */
void es_candidates(uint32_t n, uint32_t p, const double *theta, const double *eps,
                   double *thetas);

/* Stable ascending order of `returns` (p values, all finite): writes to
 * `order` the candidate indices sorted by return, equal returns by index.
 * `tmp` is caller scratch of p entries. Bottom-up merge sort, O(p log p),
 * no allocation. Pure. */
void es_sort_ascending(uint32_t p, const double *returns, uint32_t *order, uint32_t *tmp);

/* Centered ranks: u[k] = rank_k/(p-1) - 0.5 (p >= 2), where rank_k is the
 * position of candidate k in the stable ascending order of `returns`.
 * `order` and `tmp` are caller scratch of p entries each. Pure. */
void es_centered_ranks(uint32_t p, const double *returns, uint32_t *order, uint32_t *tmp,
                       double *u);

/* Gradient estimate of the expected return (ascent direction):
 * g = sum_j (u[2j] - u[2j+1]) eps_j / (p * sigma), into `g` (n doubles).
 * Pure. */
void es_gradient(uint32_t n, uint32_t p, const double *u, const double *eps, double sigma,
                 double *g);

/* One Adam step on the descent direction d = clamp(-g) + weight_decay *
 * theta. `t` is the step count after this step (t >= 1); `m` and `v` (n
 * doubles each) are the moments, updated in place with `theta`. Pure. */
void es_adam_step(uint32_t n, const es_hyper *hp, uint64_t t, const double *g, double *theta,
                  double *m, double *v);

/* The feasible box of each theta entry from its metadata `info` (n records
 * at stride info[k].struct_size, may be NULL = unbounded): lo[k] = min, or
 * max(min, 0) for ANIMAT_PARAM_EXCITATORY; hi[k] = max, or min(max, 0) for
 * ANIMAT_PARAM_INHIBITORY. Pure. */
void es_feasible_box(uint32_t n, const animat_param_info *info, double *lo, double *hi);

/* Clamp theta[k] into [lo[k], hi[k]] for k < n (the host's projection of a
 * proposal, applied to the mean). Pure. */
void es_project(uint32_t n, const double *lo, const double *hi, double *theta);

#endif /* ES_MATH_H */
