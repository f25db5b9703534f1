/* test_cmaes.c -- Check tests for the CMA-ES learner plugin (CMAES_SO) and
 * its maths module (cma_math.c, compiled in). Reference: N. Hansen, "The
 * CMA Evolution Strategy: A Tutorial" (2016). Strategy parameters are
 * checked against values computed independently (Python, from the
 * tutorial's Table 1); the learner is driven through the ABI as the host
 * drives it (reseed before every ask).
 */
#include <check.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "cma_math.h"
#include "learn_util.h"

/* The plugin under test, loaded once per process. */
static const animat_plugin_desc *desc(void) { return th_load_env("CMAES_SO"); }

static const animat_learner_api *api(void) { return desc()->api; }

static th_host *host(void) { return th_new(desc(), "learner", 1); }

/* A default learner over n entries starting at `x0`. */
static lu_run open_at(uint32_t n, const double *x0) { return lu_open(desc(), host(), n, x0); }

START_TEST(test_descriptor) {
    const animat_plugin_desc *d = desc();
    ck_assert_uint_eq(d->kind, ANIMAT_KIND_LEARNER);
    ck_assert_str_eq(d->name, "cmaes");
    ck_assert_str_eq(d->version, "1.0.0");
    ck_assert_uint_eq(d->n_params, 3);
    const char *names[] = {"population", "sigma0", "mu"};
    const double defs[] = {0, 0.3, 0};
    for (uint32_t k = 0; k < 3; k++) {
        ck_assert_str_eq(d->params[k].name, names[k]);
        ck_assert_double_eq(d->params[k].def, defs[k]);
        ck_assert_ptr_nonnull(d->params[k].unit);
        ck_assert_ptr_nonnull(d->params[k].doc);
    }
    ck_assert_ptr_null(api()->online_reset);
    ck_assert_ptr_null(api()->online_step);
    ck_assert(api()->state_size && api()->save && api()->load);
}
END_TEST

/* lambda = 4 + floor(3 ln n), through the maths and through the plugin. */
START_TEST(test_default_population) {
    const uint32_t n[] = {2, 4, 10, 30}, want[] = {6, 8, 10, 14};
    double x0[30] = {0};
    for (uint32_t k = 0; k < 4; k++) {
        ck_assert_uint_eq(cma_default_lambda(n[k]), want[k]);
        lu_run r = open_at(n[k], x0);
        ck_assert_uint_eq(r.p, want[k]);
        lu_close(&r);
    }
    ck_assert_uint_eq(cma_default_lambda(1), 4);
}
END_TEST

/* Weights sum to 1, are positive and decreasing; Table 1 values for n = 2
 * and n = 10 match an independent computation. */
START_TEST(test_strategy) {
    cma_strategy s;
    double w[500];
    const uint32_t lambdas[] = {2, 3, 6, 7, 10, 14, 101, 1000};
    for (uint32_t k = 0; k < sizeof lambdas / sizeof lambdas[0]; k++) {
        uint32_t lam = lambdas[k];
        for (uint32_t mu = 1; mu <= lam / 2; mu += (mu < 8 ? 1 : 37)) {
            cma_strategy_init(&s, 5, lam, mu, w);
            double sum = 0.0, sum2 = 0.0;
            for (uint32_t i = 0; i < mu; i++) {
                ck_assert(w[i] > 0.0);
                if (i) ck_assert(w[i] < w[i - 1]);
                sum += w[i];
                sum2 += w[i] * w[i];
            }
            ck_assert_double_eq_tol(sum, 1.0, 1e-14);
            ck_assert_double_eq_tol(s.mu_eff, 1.0 / sum2, 1e-12);
            ck_assert(s.mu_eff >= 1.0 - 1e-12 && s.mu_eff <= mu + 1e-9);
            ck_assert(s.c_1 + s.c_mu <= 1.0 && s.c_sigma < 1.0 && s.c_c <= 1.0);
        }
    }
    /* n = 2: lambda 6, mu 3 */
    cma_strategy_init(&s, 2, 6, 3, w);
    ck_assert_double_eq_tol(w[0], 0.6370425712412168, 1e-15);
    ck_assert_double_eq_tol(w[1], 0.28457025743803294, 1e-15);
    ck_assert_double_eq_tol(w[2], 0.07838717132075033, 1e-15);
    ck_assert_double_eq_tol(s.mu_eff, 2.0286114646100617, 1e-14);
    ck_assert_double_eq_tol(s.c_sigma, 0.44620498737831715, 1e-15);
    ck_assert_double_eq_tol(s.d_sigma, 1.4462049873783172, 1e-15);
    ck_assert_double_eq_tol(s.c_c, 0.6245545390268264, 1e-15);
    ck_assert_double_eq_tol(s.c_1, 0.1548153998964136, 1e-15);
    ck_assert_double_eq_tol(s.c_mu, 0.057859085071916304, 1e-15);
    ck_assert_double_eq_tol(s.chi_n, 1.254272742818995, 1e-15);
    /* n = 10: lambda 10, mu 5 */
    cma_strategy_init(&s, 10, 10, 5, w);
    ck_assert_double_eq_tol(w[0], 0.45627264690340597, 1e-15);
    ck_assert_double_eq_tol(w[4], 0.025509591835974777, 1e-15);
    ck_assert_double_eq_tol(s.mu_eff, 3.1672992814107017, 1e-14);
    ck_assert_double_eq_tol(s.c_sigma, 0.28442858794636744, 1e-15);
    ck_assert_double_eq_tol(s.d_sigma, 1.2844285879463675, 1e-15);
    ck_assert_double_eq_tol(s.c_c, 0.29499038303562225, 1e-15);
    ck_assert_double_eq_tol(s.c_1, 0.015283824524751714, 1e-15);
    ck_assert_double_eq_tol(s.c_mu, 0.02015428276120837, 1e-15);
    ck_assert_double_eq_tol(s.chi_n, 3.0847265651690123, 1e-15);
}
END_TEST

/* Ranking: best first, equal returns by index. */
START_TEST(test_sort) {
    double R[6] = {1.0, 3.0, 3.0, 2.0, -1.0, 3.0};
    uint32_t order[6], tmp[6];
    const uint32_t want[6] = {1, 2, 5, 3, 0, 4};
    cma_sort_descending(6, R, order, tmp);
    for (uint32_t k = 0; k < 6; k++) ck_assert_uint_eq(order[k], want[k]);
}
END_TEST

/* First ask from C = I: x_k = theta0 + sigma0 z_k exactly, z in stream order. */
START_TEST(test_first_ask) {
    enum { N = 3 };
    double x0[N] = {0.5, -1.25, 2.0};
    th_host *t = host();
    th_set_real(t, "sigma0", 0.25);
    lu_run r = lu_open(desc(), t, N, x0);
    ck_assert_uint_eq(r.p, 7); /* 4 + floor(3 ln 3) */
    lu_ask(&r, 2, 0);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, (unsigned long)lu_seed(2, 0));
    for (uint32_t k = 0; k < r.p; k++)
        for (uint32_t i = 0; i < N; i++) {
            double z = gsl_ran_gaussian_ziggurat(g, 1.0); /* the host's sampler */
            ck_assert(r.thetas[k * N + i] == x0[i] + 0.25 * z);
        }
    gsl_rng_free(g);
    lu_close(&r);
}
END_TEST

/* A checkpoint parsed into its fields (n <= 4). */
typedef struct cma_state {
    double m[4], sigma, C[16], B[16], D[4], p_c[4], p_sigma[4];
    uint64_t gen;
} cma_state;

static void read_state(lu_run *r, cma_state *st) {
    uint32_t n = r->n;
    uint64_t size = r->api->state_size(r->L);
    unsigned char *buf = malloc(size), *in = buf + 24;
    ck_assert_int_eq(r->api->save(r->L, buf, size), ANIMAT_OK);
    memcpy(st->m, in, n * 8), in += n * 8;
    memcpy(&st->sigma, in, 8), in += 8;
    memcpy(st->C, in, n * n * 8), in += n * n * 8;
    memcpy(st->B, in, n * n * 8), in += n * n * 8;
    memcpy(st->D, in, n * 8), in += n * 8;
    memcpy(st->p_c, in, n * 8), in += n * 8;
    memcpy(st->p_sigma, in, n * 8), in += n * 8;
    memcpy(&st->gen, in, 8);
    free(buf);
}

/* One generation written from the tutorial's equations, independently of
 * cma_update: y_k = (x_k - m) / sigma from the candidates, brute-force
 * ranking, C^-1/2 = B D^-1 B^T as a full matrix. */
static void ref_generation(const cma_strategy *s, const double *w, const double *x,
                           const double *R, cma_state *st) {
    uint32_t n = s->n, lam = s->lambda;
    double y[16][4], yw[4] = {0}, ci[16], ps2 = 0.0;
    int sel[16];
    for (uint32_t k = 0; k < lam; k++) {
        uint32_t rank = 0;
        for (uint32_t l = 0; l < lam; l++) rank += R[l] > R[k] || (R[l] == R[k] && l < k);
        sel[rank] = (int)k;
        for (uint32_t i = 0; i < n; i++) y[k][i] = (x[k * n + i] - st->m[i]) / st->sigma;
    }
    for (uint32_t r = 0; r < s->mu; r++)
        for (uint32_t i = 0; i < n; i++) yw[i] += w[r] * y[sel[r]][i];
    for (uint32_t i = 0; i < n; i++) st->m[i] += st->sigma * yw[i];
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < n; j++) {
            ci[i * n + j] = 0.0;
            for (uint32_t k = 0; k < n; k++)
                ci[i * n + j] += st->B[i * n + k] * st->B[j * n + k] / st->D[k];
        }
    double cs = s->c_sigma, cc = s->c_c;
    for (uint32_t i = 0; i < n; i++) {
        double a = 0.0;
        for (uint32_t j = 0; j < n; j++) a += ci[i * n + j] * yw[j];
        st->p_sigma[i] = (1 - cs) * st->p_sigma[i] + sqrt(cs * (2 - cs) * s->mu_eff) * a;
        ps2 += st->p_sigma[i] * st->p_sigma[i];
    }
    st->sigma *= exp(cs / s->d_sigma * (sqrt(ps2) / s->chi_n - 1));
    int hs = sqrt(ps2) / sqrt(1 - pow(1 - cs, 2.0 * (st->gen + 1))) <
             (1.4 + 2.0 / (n + 1)) * s->chi_n;
    for (uint32_t i = 0; i < n; i++)
        st->p_c[i] = (1 - cc) * st->p_c[i] + hs * sqrt(cc * (2 - cc) * s->mu_eff) * yw[i];
    double keep = 1 - s->c_1 - s->c_mu + (1 - hs) * s->c_1 * cc * (2 - cc);
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < n; j++) {
            double rmu = 0.0;
            for (uint32_t r = 0; r < s->mu; r++) rmu += w[r] * y[sel[r]][i] * y[sel[r]][j];
            st->C[i * n + j] = keep * st->C[i * n + j] + s->c_1 * st->p_c[i] * st->p_c[j] +
                               s->c_mu * rmu;
        }
    st->gen++;
}

/* 40 generations on the 3-D Rosenbrock function against ref_generation, and
 * B D^2 B^T reproduces C after every eigen-decomposition. */
START_TEST(test_update_reference) {
    enum { N = 3 };
    double x0[N] = {-0.5, 0.2, 0.4};
    lu_run r = open_at(N, x0);
    cma_strategy s;
    double w[8];
    cma_strategy_init(&s, N, r.p, r.p / 2, w);
    cma_state want, got;
    for (uint32_t e = 0; e < 40; e++) {
        read_state(&r, &want);
        lu_ask(&r, 6, e);
        for (uint32_t k = 0; k < r.p; k++) r.returns[k] = -lu_rosenbrock(r.thetas + k * N, N);
        ck_assert_int_eq(r.api->tell(r.L, r.returns), ANIMAT_OK);
        ref_generation(&s, w, r.thetas, r.returns, &want);
        read_state(&r, &got);
        double tol = 1e-12;
        ck_assert_uint_eq(got.gen, want.gen);
        ck_assert_msg(fabs(got.sigma - want.sigma) <= tol * want.sigma, "epoch %u sigma", e);
        for (uint32_t i = 0; i < N; i++) {
            ck_assert_msg(fabs(got.m[i] - want.m[i]) <= tol, "epoch %u m[%u]", e, i);
            ck_assert_msg(fabs(got.p_c[i] - want.p_c[i]) <= tol, "epoch %u p_c[%u]", e, i);
            ck_assert_msg(fabs(got.p_sigma[i] - want.p_sigma[i]) <= tol, "epoch %u p_sigma", e);
            for (uint32_t j = 0; j < N; j++) {
                double bdb = 0.0;
                for (uint32_t k = 0; k < N; k++)
                    bdb += got.B[i * N + k] * got.D[k] * got.D[k] * got.B[j * N + k];
                ck_assert_msg(fabs(got.C[i * N + j] - want.C[i * N + j]) <= tol, "epoch %u C", e);
                ck_assert_msg(fabs(bdb - got.C[i * N + j]) <= tol, "epoch %u B D^2 B^T", e);
                ck_assert(got.C[i * N + j] == got.C[j * N + i]);
            }
        }
    }
    lu_close(&r);
}
END_TEST

START_TEST(test_config_errors) {
    double x0[4] = {0};
    th_host *t = host();
    th_set_real(t, "population", 6);
    th_set_real(t, "mu", 4);
    ck_assert_ptr_null(api()->create(th_table(t), 4, lu_info(4), x0));
    ck_assert_str_eq(th_last_error(t),
                     "mu must be at most floor(population / 2) = 3 (positive weights), got 4");
    th_free(t);
    t = host();
    th_set_real(t, "population", 1);
    ck_assert_ptr_null(api()->create(th_table(t), 4, lu_info(4), x0));
    ck_assert_str_eq(th_last_error(t), "population must be 0 (automatic) or at least 2, got 1");
    th_free(t);
    /* explicit population and mu reach the instance (mu via the header) */
    t = host();
    th_set_real(t, "population", 12);
    th_set_real(t, "mu", 2);
    lu_run r = lu_open(desc(), t, 4, x0);
    ck_assert_uint_eq(r.p, 12);
    uint64_t size = r.api->state_size(r.L);
    uint32_t *buf = malloc(size);
    ck_assert_int_eq(r.api->save(r.L, buf, size), ANIMAT_OK);
    ck_assert_uint_eq(buf[2], 4);
    ck_assert_uint_eq(buf[3], 12);
    ck_assert_uint_eq(buf[4], 2);
    free(buf);
    lu_close(&r);
}
END_TEST

START_TEST(test_tell_errors) {
    double x0[2] = {0.1, 0.2}, now[2];
    lu_run r = open_at(2, x0);
    double R[6] = {0, 1, 2, 3, 4, 5};
    ck_assert_int_eq(r.api->tell(r.L, R), ANIMAT_ERROR);
    ck_assert_str_eq(th_last_error(r.t), "tell without a preceding ask");
    lu_ask(&r, 1, 0);
    R[4] = NAN;
    ck_assert_int_eq(r.api->tell(r.L, R), ANIMAT_ERROR);
    ck_assert_str_eq(th_last_error(r.t), "return of candidate 4 is not finite (nan)");
    R[4] = -INFINITY;
    ck_assert_int_eq(r.api->tell(r.L, R), ANIMAT_ERROR);
    ck_assert_str_eq(th_last_error(r.t), "return of candidate 4 is not finite (-inf)");
    r.api->current(r.L, now);
    ck_assert(memcmp(now, x0, sizeof x0) == 0);
    R[4] = 4.0;
    ck_assert_int_eq(r.api->tell(r.L, R), ANIMAT_OK);
    lu_close(&r);
}
END_TEST

/* f = sum (x_i - c_i)^2 in 8 dimensions from 0: below 1e-12 in 200 epochs. */
START_TEST(test_quadratic) {
    enum { N = 8 };
    double x0[N] = {0}, x[N];
    lu_run r = open_at(N, x0);
    double f0 = lu_current_f(&r, lu_quadratic, x);
    lu_epochs(&r, 11, 0, 200, lu_quadratic);
    double f = lu_current_f(&r, lu_quadratic, x);
    ck_assert_msg(f0 > 1.0 && f < 1e-12, "f0 %g, f after 200 epochs %g", f0, f);
    lu_close(&r);
}
END_TEST

/* Rosenbrock from 0: within 1e-6 of (1, ..., 1) after 200 epochs (2-D) and
 * 400 epochs (4-D). */
START_TEST(test_rosenbrock) {
    const uint32_t dims[] = {2, 4}, epochs[] = {200, 400};
    for (uint32_t k = 0; k < 2; k++) {
        double x0[4] = {0}, x[4];
        lu_run r = open_at(dims[k], x0);
        lu_epochs(&r, 12, 0, epochs[k], lu_rosenbrock);
        double f = lu_current_f(&r, lu_rosenbrock, x);
        ck_assert_msg(lu_dist_ones(x, dims[k]) < 1e-6, "%u-D: distance %g, f %g", dims[k],
                      lu_dist_ones(x, dims[k]), f);
        lu_close(&r);
    }
}
END_TEST

/* Run `epochs` epochs of run `run` from theta0 = 0.1 (n entries) on the
 * 4-D Rosenbrock function (the covariance matters there), storing each ask
 * in `asks` when non-NULL and the final mean in `out`. */
static void plain_run(uint64_t run, uint32_t n, uint32_t epochs, double *asks, double *out) {
    double x0[LU_MAXN];
    for (uint32_t i = 0; i < n; i++) x0[i] = 0.1;
    lu_run r = open_at(n, x0);
    size_t row = (size_t)r.p * n;
    for (uint32_t e = 0; e < epochs; e++) {
        lu_ask(&r, run, e);
        if (asks) memcpy(asks + e * row, r.thetas, row * sizeof(double));
        lu_tell(&r, lu_rosenbrock);
    }
    r.api->current(r.L, out);
    lu_close(&r);
}

START_TEST(test_checkpoint) {
    enum { N = 4, P = 8, E = 60, HALF = 25 };
    static double asks_a[E * P * N], asks_b[E * P * N];
    double final_a[N], final_b[N], now[N];
    plain_run(21, N, E, asks_a, final_a);
    /* first part, save, drop the instance */
    double x0[N] = {0.1, 0.1, 0.1, 0.1}, x9[N] = {9, 9, 9, 9};
    lu_run r = open_at(N, x0);
    ck_assert_uint_eq(r.p, P);
    lu_epochs(&r, 21, 0, HALF, lu_rosenbrock);
    uint64_t size = r.api->state_size(r.L);
    ck_assert_uint_eq(size, 24 + (N + 1 + 2 * N * N + 3 * N) * 8 + 8);
    unsigned char *buf = malloc(size);
    ck_assert_int_eq(r.api->save(r.L, buf, size), ANIMAT_OK);
    lu_close(&r);
    /* a fresh instance continues bit for bit; bad buffers are refused first */
    r = open_at(N, x9);
    ck_assert_int_eq(r.api->load(r.L, buf, size - 1), ANIMAT_ERROR);
    ck_assert_str_eq(th_last_error(r.t), "load: checkpoint must be 424 bytes, got 423");
    ck_assert_int_eq(r.api->load(r.L, buf, 10), ANIMAT_ERROR);
    ck_assert_str_eq(th_last_error(r.t), "load: not a cmaes checkpoint");
    r.api->current(r.L, now);
    ck_assert(memcmp(now, x9, sizeof x9) == 0);
    ck_assert_int_eq(r.api->load(r.L, buf, size), ANIMAT_OK);
    for (uint32_t e = HALF; e < E; e++) {
        lu_ask(&r, 21, e);
        memcpy(asks_b + e * P * N, r.thetas, sizeof(double) * P * N);
        lu_tell(&r, lu_rosenbrock);
    }
    r.api->current(r.L, final_b);
    ck_assert(memcmp(asks_a + HALF * P * N, asks_b + HALF * P * N,
                     sizeof(double) * (E - HALF) * P * N) == 0);
    ck_assert(memcmp(final_a, final_b, sizeof final_a) == 0);
    lu_close(&r);
    /* another n, another population, or a corrupted sigma is refused */
    double y0[N + 1] = {0};
    r = open_at(N + 1, y0);
    ck_assert_int_eq(r.api->load(r.L, buf, size), ANIMAT_ERROR);
    ck_assert_str_eq(th_last_error(r.t), "load: checkpoint is for n_theta 4, population 8, mu 4; "
                                         "learner has 5, 8, 4");
    lu_close(&r);
    th_host *t = host();
    th_set_real(t, "population", 10);
    r = lu_open(desc(), t, N, x0);
    ck_assert_int_eq(r.api->load(r.L, buf, size), ANIMAT_ERROR);
    lu_close(&r);
    double bad = -1.0;
    memcpy(buf + 24 + N * 8, &bad, sizeof bad); /* sigma */
    r = open_at(N, x0);
    ck_assert_int_eq(r.api->load(r.L, buf, size), ANIMAT_ERROR);
    ck_assert_str_eq(th_last_error(r.t), "load: checkpoint value 4 is invalid (-1)");
    lu_close(&r);
    free(buf);
}
END_TEST

START_TEST(test_determinism) {
    enum { N = 4, P = 8, E = 50 };
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
    double x0[5] = {0};
    lu_run r = lu_open(desc(), t, 5, x0);
    ck_assert_int_gt(n_alloc, 0);
    n_alloc = 0;
    lu_epochs(&r, 1, 0, 5, lu_quadratic);
    ck_assert_int_eq(n_alloc, 0);
    lu_close(&r);
}
END_TEST

static Suite *cmaes_suite(void) {
    Suite *s = suite_create("cmaes");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_descriptor);
    tcase_add_test(tc, test_default_population);
    tcase_add_test(tc, test_strategy);
    tcase_add_test(tc, test_sort);
    tcase_add_test(tc, test_first_ask);
    tcase_add_test(tc, test_update_reference);
    tcase_add_test(tc, test_config_errors);
    tcase_add_test(tc, test_tell_errors);
    tcase_add_test(tc, test_quadratic);
    tcase_add_test(tc, test_rosenbrock);
    tcase_add_test(tc, test_checkpoint);
    tcase_add_test(tc, test_determinism);
    tcase_add_test(tc, test_no_alloc_in_epoch);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    return ck_run(cmaes_suite());
}
