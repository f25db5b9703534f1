/* test_es.c -- Check tests for the ES learner plugin (ES_SO) and its maths
 * module (es_math.c, compiled in). Facts: the NCAP paper's
 * ES. The learner is driven through the ABI as the host drives it (reseed
 * before every ask); expected perturbations are recomputed from an
 * independent GSL generator with the same seed.
 */
#include <check.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "es_math.h"
#include "learn_util.h"

/* The plugin under test, loaded once per process. */
static const animat_plugin_desc *desc(void) { return th_load_env("ES_SO"); }

static const animat_learner_api *api(void) { return desc()->api; }

/* A host with default parameters and weight decay off (it biases the
 * optimum of the convergence tests away from c). */
static th_host *host(void) {
    th_host *t = th_new(desc(), "learner", 1);
    th_set_real(t, "weight_decay", 0.0);
    return t;
}

/* Configurations of the hand-computed steps. */
typedef struct hand_cfg {
    double lr, weight_decay, grad_clip;
} hand_cfg;

/* Reference ES step written from NCAP.md independently of es_math.c:
 * brute-force ranks (ties by index), g = sum_k u_k s_k eps_k / (P sigma)
 * with s_k = +1 for even k, -1 for odd k, then clamp, decay and Adam. */
static void ref_step(uint32_t n, uint32_t p, double sigma, const hand_cfg *c, const double *eps,
                     const double *R, uint64_t t, double *theta, double *m, double *v) {
    double u[16];
    for (uint32_t k = 0; k < p; k++) {
        uint32_t rank = 0;
        for (uint32_t l = 0; l < p; l++) rank += R[l] < R[k] || (R[l] == R[k] && l < k);
        u[k] = (double)rank / (double)(p - 1) - 0.5;
    }
    for (uint32_t i = 0; i < n; i++) {
        double g = 0.0;
        for (uint32_t k = 0; k < p; k++) g += u[k] * (k % 2 ? -1.0 : 1.0) * eps[(k / 2) * n + i];
        g /= p * sigma;
        double d = -g;
        if (c->grad_clip > 0.0) d = fmin(fmax(d, -c->grad_clip), c->grad_clip);
        d += c->weight_decay * theta[i];
        m[i] = 0.9 * m[i] + 0.1 * d;
        v[i] = 0.999 * v[i] + 0.001 * d * d;
        double mhat = m[i] / (1.0 - pow(0.9, (double)t));
        double vhat = v[i] / (1.0 - pow(0.999, (double)t));
        theta[i] -= c->lr * mhat / (sqrt(vhat) + 1e-8);
    }
}

/* The first `count` N(0, sigma^2) draws of the stream seeded with `seed`. */
static void draws(uint64_t seed, double sigma, double *out, uint32_t count) {
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, (unsigned long)seed);
    for (uint32_t k = 0; k < count; k++) out[k] = gsl_ran_gaussian_ziggurat(g, sigma); /* the host's sampler */
    gsl_rng_free(g);
}

START_TEST(test_descriptor) {
    const animat_plugin_desc *d = desc();
    ck_assert_uint_eq(d->kind, ANIMAT_KIND_LEARNER);
    ck_assert_str_eq(d->name, "es");
    ck_assert_str_eq(d->version, "1.0.0");
    ck_assert_uint_eq(d->n_params, 9);
    for (uint32_t k = 0; k < d->n_params; k++) {
        ck_assert_ptr_nonnull(d->params[k].unit);
        ck_assert_ptr_nonnull(d->params[k].doc);
        ck_assert(d->params[k].def >= d->params[k].min && d->params[k].def <= d->params[k].max);
    }
    /* NCAP.md: population 8, sigma 0.02, lr 0.01, clamp 1, decay 0.005 */
    const char *names[] = {"population", "sigma", "lr", "beta1", "beta2", "adam_eps",
                           "weight_decay", "grad_clip", "project"};
    const double defs[] = {8, 0.02, 0.01, 0.9, 0.999, 1e-8, 0.005, 1.0, 0};
    for (uint32_t k = 0; k < 9; k++) {
        ck_assert_str_eq(d->params[k].name, names[k]);
        ck_assert_double_eq(d->params[k].def, defs[k]);
    }
    ck_assert_uint_eq(d->params[0].type, ANIMAT_PARAM_INT);
    ck_assert_uint_eq(d->params[8].type, ANIMAT_PARAM_BOOL);
    const animat_learner_api *a = api();
    ck_assert_ptr_null(a->online_reset);
    ck_assert_ptr_null(a->online_step);
    ck_assert(a->state_size && a->save && a->load);
    /* a default instance has population 8 */
    double x0[3] = {0};
    lu_run r = lu_open(d, th_new(d, "learner", 1), 3, x0);
    ck_assert_uint_eq(r.p, 8);
    lu_close(&r);
}
END_TEST

/* Stable sort and centered ranks against brute force and hand values. */
START_TEST(test_ranks) {
    double R[4] = {1.0, 3.0, -2.0, 3.0}, u[4];
    uint32_t order[4], tmp[4];
    es_centered_ranks(4, R, order, tmp, u);
    ck_assert_uint_eq(order[0], 2);
    ck_assert_uint_eq(order[1], 0);
    ck_assert_uint_eq(order[2], 1);
    ck_assert_uint_eq(order[3], 3);
    ck_assert_double_eq_tol(u[0], -1.0 / 6.0, 1e-15);
    ck_assert_double_eq_tol(u[1], 1.0 / 6.0, 1e-15);
    ck_assert_double_eq(u[2], -0.5);
    ck_assert_double_eq(u[3], 0.5);
    /* many candidates with many ties */
    enum { P = 1001 };
    static double big[P], ub[P];
    static uint32_t ob[P], tb[P];
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    for (uint32_t k = 0; k < P; k++) big[k] = floor(gsl_rng_uniform(g) * 20.0);
    gsl_rng_free(g);
    es_centered_ranks(P, big, ob, tb, ub);
    for (uint32_t k = 0; k < P; k++) {
        uint32_t rank = 0;
        for (uint32_t l = 0; l < P; l++) rank += big[l] < big[k] || (big[l] == big[k] && l < k);
        ck_assert_uint_eq(ob[rank], k);
        ck_assert_double_eq(ub[k], (double)rank / (P - 1) - 0.5);
    }
}
END_TEST

/* ask: exact antithetic pairs, eps drawn in order from the host stream. */
START_TEST(test_antithetic) {
    enum { N = 5 };
    /* theta = 0: rows are exactly +eps_j and -eps_j, eps_j the stream's draws */
    double zero[N] = {0};
    lu_run r = lu_open(desc(), th_new(desc(), "learner", 1), N, zero);
    ck_assert_uint_eq(r.p, 8);
    lu_ask(&r, 3, 0);
    double eps[4 * N];
    draws(lu_seed(3, 0), 0.02, eps, 4 * N);
    for (uint32_t j = 0; j < 4; j++)
        for (uint32_t i = 0; i < N; i++) {
            ck_assert(r.thetas[(2 * j) * N + i] == eps[j * N + i]);
            ck_assert(r.thetas[(2 * j + 1) * N + i] == -eps[j * N + i]);
        }
    lu_close(&r);
    /* theta in a binade that holds theta +- eps: row0 - theta == -(row1 - theta) */
    double theta[N] = {0.75, -0.75, 1.5, 3.0, -3.0};
    r = lu_open(desc(), th_new(desc(), "learner", 1), N, theta);
    lu_ask(&r, 4, 0);
    for (uint32_t j = 0; j < 4; j++)
        for (uint32_t i = 0; i < N; i++) {
            double a = r.thetas[(2 * j) * N + i] - theta[i];
            double b = r.thetas[(2 * j + 1) * N + i] - theta[i];
            ck_assert(a != 0.0);
            ck_assert_msg(a == -b, "pair %u entry %u: %.17g vs %.17g", j, i, a, b);
        }
    /* the same epoch seed gives the same candidates */
    double first[8 * N];
    memcpy(first, r.thetas, sizeof first);
    lu_ask(&r, 4, 0);
    ck_assert(memcmp(first, r.thetas, sizeof first) == 0);
    lu_close(&r);
}
END_TEST

/* Two hand-computed epochs (n = 2, P = 4, given returns) per configuration. */
START_TEST(test_hand_step) {
    const hand_cfg cfgs[] = {{0.1, 0.01, 1.0}, {0.1, 0.0, 0.0}, {0.05, 0.5, 1e-3}, {0.1, 0.0, 1e-4}};
    const double R[2][4] = {{1.0, 3.0, -2.0, 3.0}, {0.5, -1.0, 2.0, 0.25}};
    const double sigma = 0.05;
    for (uint32_t c = 0; c < sizeof cfgs / sizeof cfgs[0]; c++) {
        th_host *t = th_new(desc(), "learner", 1);
        th_set_real(t, "population", 4);
        th_set_real(t, "sigma", sigma);
        th_set_real(t, "lr", cfgs[c].lr);
        th_set_real(t, "weight_decay", cfgs[c].weight_decay);
        th_set_real(t, "grad_clip", cfgs[c].grad_clip);
        double theta[2] = {0.3, -0.2}, m[2] = {0}, v[2] = {0}, got[2], eps[4];
        lu_run r = lu_open(desc(), t, 2, theta);
        for (uint32_t e = 0; e < 2; e++) {
            lu_ask(&r, 9, e);
            draws(lu_seed(9, e), sigma, eps, 4);
            /* the candidates are the learner's theta +- eps exactly */
            ck_assert_int_eq(r.api->current(r.L, got), ANIMAT_OK);
            for (uint32_t j = 0; j < 2; j++)
                for (uint32_t i = 0; i < 2; i++) {
                    ck_assert(r.thetas[(2 * j) * 2 + i] == got[i] + eps[j * 2 + i]);
                    ck_assert(r.thetas[(2 * j + 1) * 2 + i] == got[i] - eps[j * 2 + i]);
                }
            ck_assert_int_eq(r.api->tell(r.L, R[e]), ANIMAT_OK);
            double before[2] = {theta[0], theta[1]};
            ref_step(2, 4, sigma, &cfgs[c], eps, R[e], e + 1, theta, m, v);
            ck_assert_int_eq(r.api->current(r.L, got), ANIMAT_OK);
            for (uint32_t i = 0; i < 2; i++) {
                ck_assert_msg(fabs(got[i] - theta[i]) <= 1e-15, "cfg %u epoch %u entry %u: %.17g vs %.17g",
                              c, e, i, got[i], theta[i]);
                ck_assert(got[i] != before[i]);
            }
        }
        lu_close(&r);
    }
}
END_TEST

/* A clamped gradient moves each entry by exactly lr c / (c + adam_eps) on the
 * first Adam step; unclamped, by lr |g| / (|g| + adam_eps) instead. */
START_TEST(test_clip_first_step) {
    const double R[4] = {1.0, 3.0, -2.0, 3.0}, theta0[2] = {0.3, -0.2}, c = 1e-4;
    double moved[2][2];
    for (uint32_t k = 0; k < 2; k++) {
        th_host *t = th_new(desc(), "learner", 1);
        th_set_real(t, "population", 4);
        th_set_real(t, "sigma", 0.05);
        th_set_real(t, "lr", 0.1);
        th_set_real(t, "weight_decay", 0.0);
        th_set_real(t, "grad_clip", k == 0 ? c : 0.0);
        lu_run r = lu_open(desc(), t, 2, theta0);
        lu_ask(&r, 9, 0);
        ck_assert_int_eq(r.api->tell(r.L, R), ANIMAT_OK);
        double got[2];
        r.api->current(r.L, got);
        for (uint32_t i = 0; i < 2; i++) moved[k][i] = fabs(got[i] - theta0[i]);
        lu_close(&r);
    }
    double want = 0.1 * c / (c + 1e-8);
    for (uint32_t i = 0; i < 2; i++) {
        ck_assert_double_eq_tol(moved[0][i], want, 1e-15);
        ck_assert_msg(fabs(moved[1][i] - moved[0][i]) > 1e-7, "clamp had no effect on entry %u", i);
    }
}
END_TEST

/* Clamp and weight decay against a strong pull: f = |x - (5, -5)|^2 from
 * theta = (2, -2). Decay 0.01 adds +-0.02 to the direction; with the
 * gradient clamped to 1e-3 decay wins and theta shrinks toward 0, with the
 * default clamp (1) or without decay theta follows the pull. */
static double pull(const double *x, uint32_t n) {
    (void)n;
    return (x[0] - 5.0) * (x[0] - 5.0) + (x[1] + 5.0) * (x[1] + 5.0);
}

static void pull_run(double clip, double decay, double *out) {
    th_host *t = th_new(desc(), "learner", 1);
    th_set_real(t, "weight_decay", decay);
    th_set_real(t, "grad_clip", clip);
    double theta0[2] = {2.0, -2.0};
    lu_run r = lu_open(desc(), t, 2, theta0);
    lu_epochs(&r, 5, 0, 30, pull);
    r.api->current(r.L, out);
    lu_close(&r);
}

START_TEST(test_clip_decay) {
    double x[2];
    pull_run(1e-3, 0.01, x); /* decay dominates the clamped gradient */
    ck_assert_msg(x[0] < 1.9 && x[1] > -1.9, "clamped + decay: (%g, %g)", x[0], x[1]);
    pull_run(1.0, 0.01, x); /* clamp 1 leaves the gradient dominant */
    ck_assert_msg(x[0] > 2.1 && x[1] < -2.1, "decay only: (%g, %g)", x[0], x[1]);
    pull_run(1e-3, 0.0, x); /* clamped but no decay: still follows the pull */
    ck_assert_msg(x[0] > 2.1 && x[1] < -2.1, "clamp only: (%g, %g)", x[0], x[1]);
}
END_TEST

START_TEST(test_errors) {
    /* odd population */
    th_host *t = th_new(desc(), "learner", 1);
    th_set_real(t, "population", 7);
    double x0[2] = {0.1, 0.2};
    ck_assert_ptr_null(api()->create(th_table(t), 2, lu_info(2), x0));
    ck_assert_str_eq(th_last_error(t), "population must be even (antithetic pairs), got 7");
    th_free(t);
    /* non-finite initial theta */
    t = th_new(desc(), "learner", 1);
    double bad[2] = {0.1, NAN};
    ck_assert_ptr_null(api()->create(th_table(t), 2, lu_info(2), bad));
    ck_assert_str_eq(th_last_error(t), "initial theta[1] is not finite");
    th_free(t);
    /* tell without ask, then non-finite returns leave theta alone */
    lu_run r = lu_open(desc(), th_new(desc(), "learner", 1), 2, x0);
    double R[8] = {0, 1, 2, 3, 4, 5, 6, 7}, now[2];
    ck_assert_int_eq(r.api->tell(r.L, R), ANIMAT_ERROR);
    ck_assert_str_eq(th_last_error(r.t), "tell without a preceding ask");
    lu_ask(&r, 1, 0);
    R[2] = NAN;
    ck_assert_int_eq(r.api->tell(r.L, R), ANIMAT_ERROR);
    ck_assert_str_eq(th_last_error(r.t), "return of candidate 2 is not finite (nan)");
    R[2] = 2.0;
    R[0] = INFINITY;
    ck_assert_int_eq(r.api->tell(r.L, R), ANIMAT_ERROR);
    ck_assert_str_eq(th_last_error(r.t), "return of candidate 0 is not finite (inf)");
    r.api->current(r.L, now);
    ck_assert(memcmp(now, x0, sizeof x0) == 0);
    /* the pending ask is still told once the returns are fine */
    R[0] = 0.0;
    ck_assert_int_eq(r.api->tell(r.L, R), ANIMAT_OK);
    lu_close(&r);
}
END_TEST

/* f = sum (x_i - c_i)^2 in 8 dimensions from 0. */
START_TEST(test_quadratic) {
    enum { N = 8 };
    th_host *t = host();
    th_set_real(t, "population", 32);
    th_set_real(t, "lr", 0.002);
    double x0[N] = {0}, x[N];
    lu_run r = lu_open(desc(), t, N, x0);
    double f0 = lu_current_f(&r, lu_quadratic, x);
    lu_epochs(&r, 11, 0, 1000, lu_quadratic);
    double f = lu_current_f(&r, lu_quadratic, x);
    ck_assert_msg(f0 > 1.0 && f < 1e-5, "f0 %g, f after 1000 epochs %g", f0, f);
    lu_close(&r);
}
END_TEST

/* 2-D Rosenbrock from (0, 0): within 0.02 of (1, 1) after 3000 epochs. */
START_TEST(test_rosenbrock) {
    th_host *t = host();
    th_set_real(t, "population", 16);
    th_set_real(t, "sigma", 0.002);
    th_set_real(t, "lr", 0.003);
    double x0[2] = {0, 0}, x[2];
    lu_run r = lu_open(desc(), t, 2, x0);
    lu_epochs(&r, 12, 0, 3000, lu_rosenbrock);
    double f = lu_current_f(&r, lu_rosenbrock, x);
    ck_assert_msg(lu_dist_ones(x, 2) < 0.02 && f < 1e-3, "x (%.6f, %.6f), f %g", x[0], x[1], f);
    lu_close(&r);
}
END_TEST

/* Run `epochs` epochs of run `run` on a default learner from theta0 = 0.1
 * (n entries), storing every ask in `asks` (epochs x p x n) when non-NULL and
 * the final theta in `out`. */
static void plain_run(uint64_t run, uint32_t n, uint32_t epochs, double *asks, double *out) {
    double x0[LU_MAXN];
    for (uint32_t i = 0; i < n; i++) x0[i] = 0.1;
    lu_run r = lu_open(desc(), host(), n, x0);
    size_t row = (size_t)r.p * n;
    for (uint32_t e = 0; e < epochs; e++) {
        lu_ask(&r, run, e);
        if (asks) memcpy(asks + e * row, r.thetas, row * sizeof(double));
        lu_tell(&r, lu_quadratic);
    }
    r.api->current(r.L, out);
    lu_close(&r);
}

START_TEST(test_checkpoint) {
    enum { N = 5, P = 8, E = 30, HALF = 15 };
    static double asks_a[E * P * N], asks_b[E * P * N];
    double final_a[N], final_b[N];
    plain_run(21, N, E, asks_a, final_a);
    /* first half, save, and drop the instance */
    double x0[N] = {0.1, 0.1, 0.1, 0.1, 0.1}, x9[N] = {9, 9, 9, 9, 9};
    lu_run r = lu_open(desc(), host(), N, x0);
    lu_epochs(&r, 21, 0, HALF, lu_quadratic);
    uint64_t size = r.api->state_size(r.L);
    ck_assert_uint_eq(size, 16 + 3 * N * 8 + 8);
    unsigned char *buf = malloc(size);
    ck_assert_int_eq(r.api->save(r.L, buf, size), ANIMAT_OK);
    lu_close(&r);
    /* a fresh instance elsewhere continues bit for bit */
    r = lu_open(desc(), host(), N, x9);
    double now[N];
    ck_assert_int_eq(r.api->load(r.L, buf, size - 1), ANIMAT_ERROR);
    ck_assert_str_eq(th_last_error(r.t), "load: checkpoint must be 144 bytes, got 143");
    r.api->current(r.L, now);
    ck_assert(memcmp(now, x9, sizeof x9) == 0);
    ck_assert_int_eq(r.api->load(r.L, buf, 8), ANIMAT_ERROR);
    ck_assert_int_eq(r.api->load(r.L, buf, size), ANIMAT_OK);
    for (uint32_t e = HALF; e < E; e++) {
        lu_ask(&r, 21, e);
        memcpy(asks_b + e * P * N, r.thetas, sizeof(double) * P * N);
        lu_tell(&r, lu_quadratic);
    }
    r.api->current(r.L, final_b);
    ck_assert(memcmp(asks_a + HALF * P * N, asks_b + HALF * P * N,
                     sizeof(double) * (E - HALF) * P * N) == 0);
    ck_assert(memcmp(final_a, final_b, sizeof final_a) == 0);
    lu_close(&r);
    /* a checkpoint for another n or with a bad magic is refused */
    double y0[N + 1] = {0};
    r = lu_open(desc(), host(), N + 1, y0);
    ck_assert_int_eq(r.api->load(r.L, buf, size), ANIMAT_ERROR);
    ck_assert_str_eq(th_last_error(r.t), "load: checkpoint has 5 theta entries, learner has 6");
    lu_close(&r);
    buf[0] ^= 0xff;
    r = lu_open(desc(), host(), N, x0);
    ck_assert_int_eq(r.api->load(r.L, buf, size), ANIMAT_ERROR);
    ck_assert_str_eq(th_last_error(r.t), "load: not an es checkpoint");
    ck_assert_int_eq(r.api->save(r.L, buf, size - 1), ANIMAT_ERROR);
    lu_close(&r);
    free(buf);
}
END_TEST

START_TEST(test_determinism) {
    enum { N = 6, P = 8, E = 40 };
    static double a[E * P * N], b[E * P * N];
    double fa[N], fb[N], fc[N];
    plain_run(31, N, E, a, fa);
    plain_run(31, N, E, b, fb);
    ck_assert(memcmp(a, b, sizeof a) == 0);
    ck_assert(memcmp(fa, fb, sizeof fa) == 0);
    plain_run(32, N, E, NULL, fc);
    ck_assert(memcmp(fa, fc, sizeof fa) != 0);
}
END_TEST

/* Counting allocator wrapped around the test host's. */
static void *(*real_alloc)(const animat_host *, size_t);
static int n_alloc;
static void *counting_alloc(const animat_host *h, size_t size) {
    n_alloc++;
    return real_alloc(h, size);
}

START_TEST(test_no_alloc_in_epoch) {
    th_host *t = host();
    animat_host *table = (animat_host *)th_table(t);
    real_alloc = table->alloc;
    table->alloc = counting_alloc;
    double x0[4] = {0};
    lu_run r = lu_open(desc(), t, 4, x0);
    ck_assert_int_gt(n_alloc, 0);
    n_alloc = 0;
    lu_epochs(&r, 1, 0, 5, lu_quadratic);
    ck_assert_int_eq(n_alloc, 0);
    lu_close(&r);
}
END_TEST

/* Metadata with an inhibitory entry, an excitatory one capped at 0.2, a
 * plain one and an excitatory one (static storage). */
static const animat_param_info *box_info(void) {
    static animat_param_info info[4];
    const unsigned flags[4] = {ANIMAT_PARAM_INHIBITORY, ANIMAT_PARAM_EXCITATORY, 0, ANIMAT_PARAM_EXCITATORY};
    const double max[4] = {INFINITY, 0.2, INFINITY, INFINITY};
    for (int i = 0; i < 4; i++)
        info[i] = (animat_param_info){.struct_size = sizeof(animat_param_info), .type = ANIMAT_PARAM_REAL,
                                      .flags = flags[i], .name = "x", .unit = "", .min = -INFINITY,
                                      .max = max[i], .doc = "A test coordinate."};
    return info;
}

/* es_feasible_box turns bounds and sign flags into a box; es_project clamps. */
START_TEST(test_feasible_box) {
    double lo[4], hi[4];
    es_feasible_box(4, box_info(), lo, hi);
    const double want_lo[4] = {-INFINITY, 0, -INFINITY, 0}, want_hi[4] = {0, 0.2, INFINITY, INFINITY};
    for (int i = 0; i < 4; i++) {
        ck_assert_double_eq(lo[i], want_lo[i]);
        ck_assert_double_eq(hi[i], want_hi[i]);
    }
    double x[4] = {0.5, 0.7, -3, -0.1};
    es_project(4, lo, hi, x);
    ck_assert_double_eq(x[0], 0);
    ck_assert_double_eq(x[1], 0.2);
    ck_assert_double_eq(x[2], -3);
    ck_assert_double_eq(x[3], 0);
    es_feasible_box(2, NULL, lo, hi); /* no metadata: unbounded */
    ck_assert(isinf(lo[1]) && lo[1] < 0 && isinf(hi[1]) && hi[1] > 0);
}
END_TEST

/* One projected (or not) run on the quadratic centred at (0.5, 0.33, 0.16,
 * -0.01) with box_info's constraints; the final mean into x. */
static void box_run(int project, double *x) {
    th_host *t = host();
    th_set_real(t, "population", 16);
    th_set_real(t, "sigma", 0.05);
    th_set_real(t, "lr", 0.02);
    th_set_real(t, "project", project);
    double x0[4] = {-0.5, 0.1, 0.0, 0.3};
    lu_run r = lu_open(desc(), t, 4, x0);
    r.api->destroy(r.L); /* reopen with the constrained metadata */
    r.L = r.api->create(th_table(t), 4, box_info(), x0);
    ck_assert_ptr_nonnull(r.L);
    for (uint64_t e = 0; e < 400; e++) {
        lu_epochs(&r, 5, e, e + 1, lu_quadratic);
        r.api->current(r.L, x);
        if (project) /* the mean never leaves the box */
            ck_assert_msg(x[0] <= 0 && x[1] >= 0 && x[1] <= 0.2 && x[3] >= 0, "epoch %llu: (%g, %g, %g, %g)",
                          (unsigned long long)e, x[0], x[1], x[2], x[3]);
    }
    lu_close(&r);
}

/* project: true converges to the constrained optimum (0, 0.2, 0.16, 0);
 * the default leaves the box for the unconstrained one. */
START_TEST(test_project_mean) {
    double x[4];
    box_run(1, x);
    ck_assert_double_eq_tol(x[0], 0.0, 1e-3);
    ck_assert_double_eq_tol(x[1], 0.2, 1e-3);
    ck_assert_double_eq_tol(x[2], 0.16, 0.05); /* Adam steps of ~lr = 0.02 */
    ck_assert_double_eq_tol(x[3], 0.0, 0.05); /* its centre -0.01 barely pulls */
    box_run(0, x);
    ck_assert_msg(x[0] > 0.4 && x[1] > 0.3, "unprojected mean (%g, %g)", x[0], x[1]);
}
END_TEST

static Suite *es_suite(void) {
    Suite *s = suite_create("es");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_descriptor);
    tcase_add_test(tc, test_feasible_box);
    tcase_add_test(tc, test_project_mean);
    tcase_add_test(tc, test_ranks);
    tcase_add_test(tc, test_antithetic);
    tcase_add_test(tc, test_hand_step);
    tcase_add_test(tc, test_clip_first_step);
    tcase_add_test(tc, test_clip_decay);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_quadratic);
    tcase_add_test(tc, test_rosenbrock);
    tcase_add_test(tc, test_checkpoint);
    tcase_add_test(tc, test_determinism);
    tcase_add_test(tc, test_no_alloc_in_epoch);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    return ck_run(es_suite());
}
