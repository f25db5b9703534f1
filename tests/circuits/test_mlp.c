/* test_mlp.c -- Check tests for the MLP baseline circuit plugin (MLP_SO) and
 * its maths module (mlp_math.c, compiled in). Random test inputs come from a
 * GSL generator.
 */
#include <check.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "mlp_math.h"
#include "testhost.h"

/* The plugin under test, loaded once per process. */
static const animat_plugin_desc *desc(void) { return th_load_env("MLP_SO"); }

static const animat_circuit_api *api(void) { return desc()->api; }

/* A host with explicit sizes n_in / n_out (hidden at its default). */
static th_host *host(uint64_t seed, double n_in, double n_out) {
    th_host *t = th_new(desc(), "circuit", seed);
    th_set_real(t, "n_in", n_in);
    th_set_real(t, "n_out", n_out);
    return t;
}

static void *make(th_host *t) {
    return th_circuit(t, api());
}

static void step(void *c, const double *x, double *y) {
    const double *in[1] = {x};
    double *out[1] = {y};
    ck_assert_int_eq(api()->step(c, in, out, 0.03), ANIMAT_OK);
}

START_TEST(test_descriptor) {
    const animat_plugin_desc *d = desc();
    ck_assert_uint_eq(d->kind, ANIMAT_KIND_CIRCUIT);
    ck_assert_str_eq(d->name, "mlp");
    ck_assert_str_eq(d->version, "1.0.0");
    ck_assert_uint_eq(d->n_params, 4);
    ck_assert_str_eq(d->params[0].name, "hidden");
    ck_assert_str_eq(d->params[0].def_list, "64,64");
}
END_TEST

/* The ES baseline: [64, 64] hidden, 23 observations, 5 actions. */
START_TEST(test_theta_count) {
    th_host *t = host(1, 23, 5);
    void *c = make(t);
    uint32_t n;
    const animat_param_info *info = api()->theta_info(c, &n);
    const uint32_t l0 = 23 * 64 + 64, l1 = 64 * 64 + 64, l2 = 64 * 5 + 5;
    ck_assert_uint_eq(n, l0 + l1 + l2);
    ck_assert_uint_eq(n, 6021);
    /* block names and flags */
    ck_assert_str_eq(info[0].name, "l0.w");
    ck_assert_str_eq(info[23 * 64 - 1].name, "l0.w");
    ck_assert_str_eq(info[23 * 64].name, "l0.b");
    ck_assert_str_eq(info[l0].name, "l1.w");
    ck_assert_str_eq(info[l0 + l1 - 1].name, "l1.b");
    ck_assert_str_eq(info[l0 + l1].name, "l2.w");
    ck_assert_str_eq(info[n - 1].name, "l2.b");
    for (uint32_t k = 0; k < n; k++) ck_assert_uint_eq(info[k].flags, 0);
    ck_assert_uint_eq(api()->ports(c, ANIMAT_PORT_IN, &n)->size, 23);
    ck_assert_uint_eq(api()->ports(c, ANIMAT_PORT_OUT, &n)->size, 5);
    ck_assert_str_eq(api()->ports(c, ANIMAT_PORT_IN, &n)->name, "obs");
    ck_assert_str_eq(api()->ports(c, ANIMAT_PORT_OUT, &n)->name, "act");
    api()->destroy(c);
    api()->destroy(NULL);
    th_free(t);
}
END_TEST

/* n_in = 2, hidden [2], n_out = 1, x = (1, -0.5):
 *   W0 = [[0.5, -1], [0.25, 2]], b0 = (0.1, -0.2)
 *   h0 = tanh(0.1 + 0.5*1 + -1*-0.5)   = tanh(1.1)
 *   h1 = tanh(-0.2 + 0.25*1 + 2*-0.5)  = tanh(-0.95)
 *   W1 = [[1.5, -0.5]], b1 = 0.3
 *   y  = tanh(0.3 + 1.5*h0 + -0.5*h1)
 * The expected value uses the same operation order (bias first), so the
 * comparison is exact. */
START_TEST(test_hand_tiny) {
    th_host *t = host(1, 2, 1);
    double hid[1] = {2};
    th_set_list(t, "hidden", hid, 1);
    void *c = make(t);
    uint32_t n;
    api()->theta_info(c, &n);
    ck_assert_uint_eq(n, 2 * 2 + 2 + 2 * 1 + 1);
    double th[9] = {0.5, -1.0, 0.25, 2.0, 0.1, -0.2, 1.5, -0.5, 0.3};
    ck_assert_int_eq(api()->set_theta(c, th, 9), ANIMAT_OK);
    double x[2] = {1.0, -0.5}, y[1];
    step(c, x, y);
    double h0 = tanh(0.1 + 0.5 * 1.0 + -1.0 * -0.5);
    double h1 = tanh(-0.2 + 0.25 * 1.0 + 2.0 * -0.5);
    double want = tanh(0.3 + 1.5 * h0 + -0.5 * h1);
    ck_assert_msg(y[0] == want, "got %.17g want %.17g", y[0], want);
    ck_assert(fabs(y[0] - 0.95365) < 1e-4); /* sanity: tanh(1.8706...) */
    api()->destroy(c);
    th_free(t);
}
END_TEST

/* No hidden layers: a single tanh layer. */
START_TEST(test_no_hidden) {
    th_host *t = host(1, 3, 2);
    th_set_list(t, "hidden", NULL, 0);
    void *c = make(t);
    uint32_t n;
    api()->theta_info(c, &n);
    ck_assert_uint_eq(n, 3 * 2 + 2);
    double th[8] = {1, 2, 3, -1, -2, -3, 0.5, -0.5}, x[3] = {0.1, 0.2, 0.3}, y[2];
    ck_assert_int_eq(api()->set_theta(c, th, 8), ANIMAT_OK);
    step(c, x, y);
    ck_assert(y[0] == tanh(0.5 + 1 * 0.1 + 2 * 0.2 + 3 * 0.3));
    ck_assert(y[1] == tanh(-0.5 + -1 * 0.1 + -2 * 0.2 + -3 * 0.3));
    api()->destroy(c);
    th_free(t);
}
END_TEST

/* Outputs stay in [-1, 1] (and finite) for huge inputs. */
START_TEST(test_bounded) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 3);
    th_host *t = host(2, 23, 5);
    void *c = make(t);
    double x[23], y[5];
    for (int trial = 0; trial < 200; trial++) {
        for (int i = 0; i < 23; i++) x[i] = (gsl_rng_uniform(r) < 0.5 ? -1e12 : 1e12);
        step(c, x, y);
        for (int j = 0; j < 5; j++) ck_assert(isfinite(y[j]) && y[j] >= -1.0 && y[j] <= 1.0);
    }
    api()->destroy(c);
    th_free(t);
    gsl_rng_free(r);
}
END_TEST

/* Bad hidden sizes, and sizes that are neither set nor wired, are refused
 * with a clear error. */
START_TEST(test_refused) {
    double frac[2] = {64, 2.5}, zero[2] = {64, 0};
    th_host *t = host(1, 4, 2);
    th_set_list(t, "hidden", frac, 2);
    ck_assert_ptr_null(api()->create(th_table(t)));
    ck_assert_ptr_nonnull(strstr(th_last_error(t), "hidden[1] = 2.5"));
    ck_assert_ptr_nonnull(strstr(th_last_error(t), "integers in [1, 4096]"));
    th_set_list(t, "hidden", zero, 2);
    ck_assert_ptr_null(api()->create(th_table(t)));
    ck_assert_ptr_nonnull(strstr(th_last_error(t), "hidden[1] = 0"));
    th_free(t);
    /* n_in unset and unwired */
    t = th_new(desc(), "circuit", 1);
    th_set_real(t, "n_out", 2);
    ck_assert_ptr_null(api()->create(th_table(t)));
    ck_assert_str_eq(th_last_error(t), "n_in is 0 and in.obs is not wired; set n_in");
    th_free(t);
    /* n_out unset and unwired */
    t = th_new(desc(), "circuit", 1);
    th_set_real(t, "n_in", 2);
    ck_assert_ptr_null(api()->create(th_table(t)));
    ck_assert_str_eq(th_last_error(t), "n_out is 0 and out.act is not wired; set n_out");
    th_free(t);
}
END_TEST

/* Sizes from the wiring. */
START_TEST(test_wiring) {
    th_host *t = th_new(desc(), "circuit", 1);
    th_set_wired(t, ANIMAT_PORT_IN, "obs", 11);
    th_set_wired(t, ANIMAT_PORT_OUT, "act", 3);
    void *c = make(t);
    uint32_t n;
    ck_assert_uint_eq(api()->ports(c, ANIMAT_PORT_IN, &n)->size, 11);
    ck_assert_uint_eq(api()->ports(c, ANIMAT_PORT_OUT, &n)->size, 3);
    api()->theta_info(c, &n);
    ck_assert_uint_eq(n, 11 * 64 + 64 + 64 * 64 + 64 + 64 * 3 + 3);
    api()->destroy(c);
    th_free(t);
}
END_TEST

/* Initial theta of a fresh [64, 64] net with 23 inputs, 5 outputs. */
static double *init_theta(uint64_t seed, const char *init, uint32_t *n) {
    th_host *t = host(seed, 23, 5);
    th_set_choice(t, "init", init);
    void *c = make(t);
    api()->theta_info(c, n);
    double *th = malloc(sizeof(double) * *n);
    ck_assert_int_eq(api()->get_theta(c, th, *n), ANIMAT_OK);
    api()->destroy(c);
    th_free(t);
    return th;
}

/* uniform: each layer within +-1/sqrt(fan_in) and using most of that range;
 * reproducible per seed; zeros gives zeros (and tanh(0) = 0 outputs). */
START_TEST(test_init) {
    uint32_t n, m;
    double *a = init_theta(5, "uniform", &n), *b = init_theta(5, "uniform", &m);
    ck_assert_uint_eq(n, m);
    ck_assert_mem_eq(a, b, n * sizeof(double));
    free(b);
    b = init_theta(6, "uniform", &m);
    ck_assert(memcmp(a, b, n * sizeof(double)) != 0);
    free(b);
    const uint32_t sizes[4] = {23, 64, 64, 5};
    for (uint32_t l = 0; l < 3; l++) {
        double bound = 1.0 / sqrt((double)sizes[l]), lo = 0, hi = 0;
        uint64_t off = mlp_layer_offset(sizes, l), end = mlp_layer_offset(sizes, l + 1);
        for (uint64_t k = off; k < end; k++) {
            ck_assert(a[k] >= -bound && a[k] <= bound);
            lo = fmin(lo, a[k]);
            hi = fmax(hi, a[k]);
        }
        ck_assert(lo < -0.8 * bound && hi > 0.8 * bound);
    }
    free(a);
    a = init_theta(5, "zeros", &n);
    for (uint32_t k = 0; k < n; k++) ck_assert(a[k] == 0.0);
    free(a);
}
END_TEST

/* get/set round trip; wrong sizes refused. */
START_TEST(test_theta_roundtrip) {
    th_host *t = host(1, 2, 1);
    double hid[1] = {2};
    th_set_list(t, "hidden", hid, 1);
    void *c = make(t);
    double in[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9}, out[9], big[10] = {0};
    ck_assert_int_eq(api()->set_theta(c, in, 9), ANIMAT_OK);
    ck_assert_int_eq(api()->get_theta(c, out, 9), ANIMAT_OK);
    ck_assert_mem_eq(in, out, sizeof in);
    ck_assert_int_eq(api()->set_theta(c, big, 10), ANIMAT_ERROR);
    ck_assert_ptr_nonnull(strstr(th_last_error(t), "expected 9"));
    ck_assert_int_eq(api()->get_theta(c, big, 8), ANIMAT_ERROR);
    big[3] = INFINITY;
    ck_assert_int_eq(api()->set_theta(c, big, 9), ANIMAT_ERROR);
    ck_assert_int_eq(api()->get_theta(c, out, 9), ANIMAT_OK);
    ck_assert_mem_eq(in, out, sizeof in);
    api()->destroy(c);
    th_free(t);
}
END_TEST

static Suite *mlp_suite(void) {
    Suite *s = suite_create("mlp");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_descriptor);
    tcase_add_test(tc, test_theta_count);
    tcase_add_test(tc, test_hand_tiny);
    tcase_add_test(tc, test_no_hidden);
    tcase_add_test(tc, test_bounded);
    tcase_add_test(tc, test_refused);
    tcase_add_test(tc, test_wiring);
    tcase_add_test(tc, test_init);
    tcase_add_test(tc, test_theta_roundtrip);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    return ck_run(mlp_suite());
}
