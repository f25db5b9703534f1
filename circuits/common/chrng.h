/* chrng.h -- a gsl_rng view of the host's per-instance random stream, so a
 * circuit can use GSL's distributions (gsl_ran_poisson, ...) while every
 * draw still comes from h->rng_uniform (reseeded by the host per episode,
 * reproducible for any thread count).
 *
 * The view holds no state of its own and allocates nothing: embed a chrng in
 * the instance, call chrng_init once in create, then pass &x->rng to GSL.
 * Only valid on the instance's thread while its host table is valid.
 */
#ifndef CHRNG_H
#define CHRNG_H

#include <animat/animat.h>
#include <gsl/gsl_rng.h>

typedef struct chrng {
    gsl_rng rng;            /* what GSL functions take */
    const animat_host *h;   /* the stream's owner (state of the view) */
} chrng;

/* Point x's gsl_rng at h's stream. Phase: create; no allocation. */
void chrng_init(chrng *x, const animat_host *h);

#endif /* CHRNG_H */
