/* learn_util.h -- helpers shared by the learner tests (header-only, static):
 * theta metadata, test objectives, and an epoch driver that behaves like the
 * host (reseed the learner's stream from (run seed, epoch) before every ask,
 * evaluate each candidate once, tell the returns).
 */
#ifndef LEARN_UTIL_H
#define LEARN_UTIL_H

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testhost.h"

#define LU_MAXN 64

/* An objective to minimise; the learners see return = -f. */
typedef double (*lu_objective)(const double *x, uint32_t n);

/* Theta metadata for n <= LU_MAXN plain REAL entries (static storage). */
static inline const animat_param_info *lu_info(uint32_t n) {
    static animat_param_info info[LU_MAXN];
    ck_assert_uint_le(n, LU_MAXN);
    for (uint32_t i = 0; i < n; i++)
        info[i] = (animat_param_info){.struct_size = sizeof(animat_param_info),
                                      .type = ANIMAT_PARAM_REAL,
                                      .name = "x",
                                      .unit = "",
                                      .min = -INFINITY,
                                      .max = INFINITY,
                                      .doc = "A test coordinate."};
    return info;
}

/* The quadratic's centre: c_i = 0.5 - 0.17 i (distinct, mixed signs). */
static inline double lu_centre(uint32_t i) { return 0.5 - 0.17 * (double)i; }

/* f(x) = sum (x_i - c_i)^2, minimum 0 at c. */
static inline double lu_quadratic(const double *x, uint32_t n) {
    double f = 0.0;
    for (uint32_t i = 0; i < n; i++) f += (x[i] - lu_centre(i)) * (x[i] - lu_centre(i));
    return f;
}

/* Rosenbrock: sum 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2, minimum 0 at 1. */
static inline double lu_rosenbrock(const double *x, uint32_t n) {
    double f = 0.0;
    for (uint32_t i = 0; i + 1 < n; i++) {
        double a = x[i + 1] - x[i] * x[i], b = 1.0 - x[i];
        f += 100.0 * a * a + b * b;
    }
    return f;
}

/* Largest |x_i - 1|. */
static inline double lu_dist_ones(const double *x, uint32_t n) {
    double d = 0.0;
    for (uint32_t i = 0; i < n; i++) d = fmax(d, fabs(x[i] - 1.0));
    return d;
}

/* The stream seed of epoch `e` of run `run` (as the host keys it). */
static inline uint64_t lu_seed(uint64_t run, uint64_t e) { return run * 1000003u + e + 1u; }

/* One learner under test, with its host and epoch buffers. */
typedef struct lu_run {
    const animat_learner_api *api;
    th_host *t;
    void *L;
    uint32_t n, p;
    double *thetas;  /* p x n, the last ask */
    double *returns; /* p */
} lu_run;

/* Create a learner of `desc` on host `t` (parameters already set), owning
 * t from now on. Fails the test when create fails. */
static inline lu_run lu_open(const animat_plugin_desc *desc, th_host *t, uint32_t n,
                      const double *theta0) {
    lu_run r = {.api = desc->api, .t = t, .n = n};
    r.L = r.api->create(th_table(t), n, lu_info(n), theta0);
    ck_assert_msg(r.L != NULL, "create failed: %s", th_last_error(t));
    r.p = r.api->population(r.L);
    r.thetas = calloc((size_t)r.p * n, sizeof(double));
    r.returns = calloc(r.p, sizeof(double));
    ck_assert(r.thetas && r.returns);
    return r;
}

static inline void lu_close(lu_run *r) {
    r->api->destroy(r->L);
    th_free(r->t);
    free(r->thetas);
    free(r->returns);
}

/* Reseed and ask for epoch e of run `run`. */
static inline void lu_ask(lu_run *r, uint64_t run, uint64_t e) {
    th_reseed(r->t, lu_seed(run, e));
    ck_assert_int_eq(r->api->ask(r->L, r->thetas), ANIMAT_OK);
}

/* Evaluate the last ask on f and tell. */
static inline void lu_tell(lu_run *r, lu_objective f) {
    for (uint32_t k = 0; k < r->p; k++) r->returns[k] = -f(r->thetas + (size_t)k * r->n, r->n);
    ck_assert_msg(r->api->tell(r->L, r->returns) == ANIMAT_OK, "tell: %s", th_last_error(r->t));
}

/* Epochs [from, to) of run `run` on f. */
static inline void lu_epochs(lu_run *r, uint64_t run, uint64_t from, uint64_t to, lu_objective f) {
    for (uint64_t e = from; e < to; e++) {
        lu_ask(r, run, e);
        lu_tell(r, f);
    }
}

/* f at the learner's current estimate (written to x, n doubles). */
static inline double lu_current_f(lu_run *r, lu_objective f, double *x) {
    ck_assert_int_eq(r->api->current(r->L, x), ANIMAT_OK);
    return f(x, r->n);
}

#endif /* LEARN_UTIL_H */
