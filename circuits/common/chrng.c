/* chrng.c -- see chrng.h. */
#include "chrng.h"

/* GSL's state callbacks: the state is the chrng itself. The stream is
 * seeded by the host, so set does nothing. */
static void chrng_set(void *state, unsigned long seed) {
    (void)state;
    (void)seed;
}

static double chrng_get_double(void *state) {
    const chrng *x = state;
    return x->h->rng_uniform(x->h);
}

static unsigned long chrng_get(void *state) {
    return (unsigned long)(chrng_get_double(state) * 4294967296.0);
}

static const gsl_rng_type chrng_type = {
    .name = "animat-host",
    .max = 0xffffffffUL,
    .min = 0,
    .size = sizeof(chrng),
    .set = chrng_set,
    .get = chrng_get,
    .get_double = chrng_get_double,
};

void chrng_init(chrng *x, const animat_host *h) {
    x->h = h;
    x->rng.type = &chrng_type;
    x->rng.state = x;
}
