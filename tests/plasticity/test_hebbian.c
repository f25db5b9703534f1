/* test_hebbian.c -- Check tests for the hebbian learner plugin (HEBBIAN_SO),
 * through its API only. The rule per online_step(r, elig, theta):
 *   M = r - b;  theta_k += eta M elig_k;  clip to [-w_max, w_max] (0 = off);
 *   b += baseline_rate (r - b).
 * The baseline is read from a checkpoint, whose documented layout is a
 * 16-byte header (magic, version, n, reserved), theta[n], then b.
 * Random test inputs come from a GSL generator.
 */
#include <check.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "testhost.h"

#define HDR 16u /* checkpoint header bytes */

/* The plugin under test, loaded once per process. */
static const animat_plugin_desc *desc(void) { return th_load_env("HEBBIAN_SO"); }

static const animat_learner_api *api(void) { return desc()->api; }

/* A host with the given rule parameters. */
static th_host *host(double eta, double rate, double b0, double w_max) {
    th_host *t = th_new(desc(), "learner", 1);
    th_set_real(t, "eta", eta);
    th_set_real(t, "baseline_rate", rate);
    th_set_real(t, "baseline_init", b0);
    th_set_real(t, "w_max", w_max);
    return t;
}

/* Create a learner over n weights from theta0; fails the test on NULL. */
static void *make(th_host *t, uint32_t n, const double *theta0) {
    void *l = api()->create(th_table(t), n, NULL, theta0);
    ck_assert_msg(l != NULL, "create failed: %s", th_last_error(t));
    return l;
}

/* The learner's baseline, read from a checkpoint. */
static double baseline(void *l, uint32_t n) {
    uint64_t size = api()->state_size(l);
    ck_assert_uint_eq(size, HDR + 8u * (n + 1u));
    unsigned char *buf = malloc(size);
    ck_assert_int_eq(api()->save(l, buf, size), ANIMAT_OK);
    double b;
    memcpy(&b, buf + HDR + 8u * n, sizeof b);
    free(buf);
    return b;
}

/* ask and current both equal `want` (n doubles). */
static void assert_latest(void *l, const double *want, uint32_t n) {
    double a[16], c[16];
    ck_assert_int_eq(api()->ask(l, a), ANIMAT_OK);
    ck_assert_int_eq(api()->current(l, c), ANIMAT_OK);
    for (uint32_t k = 0; k < n; k++) {
        ck_assert_msg(a[k] == want[k], "ask %u: %.17g vs %.17g", k, a[k], want[k]);
        ck_assert_msg(c[k] == want[k], "current %u: %.17g vs %.17g", k, c[k], want[k]);
    }
}

START_TEST(test_descriptor) {
    const animat_plugin_desc *d = desc();
    ck_assert_uint_eq(d->kind, ANIMAT_KIND_LEARNER);
    ck_assert_str_eq(d->name, "hebbian");
    ck_assert_str_eq(d->version, "1.0.0");
    ck_assert_uint_eq(d->n_params, 4);
    static const char *const names[4] = {"eta", "baseline_rate", "baseline_init", "w_max"};
    static const double def[4] = {0.001, 0.01, 0, 10};
    static const double lo[4] = {0, 0, -1e300, 0}, hi[4] = {1e6, 1, 1e300, 1e300};
    for (uint32_t k = 0; k < 4; k++) {
        const animat_param_info *p = &d->params[k];
        ck_assert_str_eq(p->name, names[k]);
        ck_assert_uint_eq(p->type, ANIMAT_PARAM_REAL);
        ck_assert(p->def == def[k] && p->min == lo[k] && p->max == hi[k]);
        ck_assert_ptr_nonnull(p->unit);
        ck_assert_ptr_nonnull(p->doc);
    }
    const animat_learner_api *a = api();
    ck_assert_uint_ge(a->struct_size,
                      offsetof(animat_learner_api, online_step) + sizeof(void *));
    ck_assert(a->online_reset && a->online_step && a->state_size && a->save && a->load);
    /* defaults: eta 0.001, b 0, population 1 */
    th_host *t = th_new(d, "learner", 1);
    double th0[2] = {0.5, -0.5}, th[2] = {0.5, -0.5}, e[2] = {1, 2};
    void *l = make(t, 2, th0);
    ck_assert_uint_eq(a->population(l), 1);
    ck_assert_int_eq(a->online_reset(l), ANIMAT_OK);
    ck_assert_int_eq(a->online_step(l, 1.0, e, th, 2), ANIMAT_OK);
    ck_assert(th[0] == 0.5 + 0.001 * 1.0 * 1.0 && th[1] == -0.5 + 0.001 * 2.0);
    a->destroy(l);
    a->destroy(NULL);
    th_free(t);
}
END_TEST

/* eta = 0.25, baseline_rate = 0.5, baseline_init = 1, theta = (1, -0.5, 2),
 * elig = (0.5, 2, 0), reward 3: M = 3 - 1 = 2, dtheta = 0.25 * 2 * elig =
 * (0.25, 1, 0), theta = (1.25, 0.5, 2); b = 1 + 0.5 (3 - 1) = 2. A second
 * step with reward 2 = b has M = 0: theta stays, b stays 2. A third with
 * reward 0, elig (1, 1, 1): M = -2, theta -= 0.5, b = 2 + 0.5 (0 - 2) = 1. */
START_TEST(test_one_step_hand) {
    th_host *t = host(0.25, 0.5, 1.0, 10.0);
    double th0[3] = {1, -0.5, 2}, th[3] = {1, -0.5, 2};
    void *l = make(t, 3, th0);
    ck_assert(baseline(l, 3) == 1.0);
    ck_assert_int_eq(api()->online_step(l, 3.0, (double[3]){0.5, 2, 0}, th, 3), ANIMAT_OK);
    const double want1[3] = {1.25, 0.5, 2};
    ck_assert(th[0] == 1.25 && th[1] == 0.5 && th[2] == 2.0);
    ck_assert(baseline(l, 3) == 2.0);
    assert_latest(l, want1, 3);
    ck_assert_int_eq(api()->online_step(l, 2.0, (double[3]){1, 1, 1}, th, 3), ANIMAT_OK);
    assert_latest(l, want1, 3);
    ck_assert(baseline(l, 3) == 2.0);
    ck_assert_int_eq(api()->online_step(l, 0.0, (double[3]){1, 1, 1}, th, 3), ANIMAT_OK);
    ck_assert(th[0] == 0.75 && th[1] == 0.0 && th[2] == 1.5);
    ck_assert(baseline(l, 3) == 1.0);
    api()->destroy(l);
    th_free(t);
}
END_TEST

/* Constant reward 0.7, alpha = 0.01, b0 = 0: b_t = 0.7 (1 - 0.99^t), rising
 * monotonically below 0.7; after 2000 steps |b - 0.7| = 0.7 * 0.99^2000
 * ~ 1.3e-9. With eta = 1 and elig = 1 the weight change per step is
 * M = 0.7 - b, so it vanishes as well. alpha = 0 keeps b at baseline_init;
 * alpha = 1 makes b the last reward. */
START_TEST(test_baseline_converges) {
    th_host *t = host(1.0, 0.01, 0.0, 0.0);
    double th0[1] = {0}, th[1] = {0}, e[1] = {1};
    void *l = make(t, 1, th0);
    double prev = 0.0, last_dw = 0.0;
    for (int s = 1; s <= 2000; s++) {
        double before = th[0];
        ck_assert_int_eq(api()->online_step(l, 0.7, e, th, 1), ANIMAT_OK);
        last_dw = th[0] - before;
        if (s % 100 == 0) {
            double b = baseline(l, 1);
            ck_assert(b > prev && b < 0.7);
            prev = b;
        }
    }
    ck_assert_msg(fabs(baseline(l, 1) - 0.7) < 1e-8, "b = %.17g", baseline(l, 1));
    ck_assert(last_dw > 0.0 && last_dw < 1e-8);
    /* the weight integrated M: sum (0.7 - b_t) -> 0.7 / alpha = 70 */
    ck_assert(fabs(th[0] - 70.0) < 1e-6);
    api()->destroy(l);
    th_free(t);
    /* alpha = 0 and alpha = 1 */
    for (int a = 0; a <= 1; a++) {
        t = host(0.0, a, -0.25, 10.0);
        l = make(t, 1, th0);
        ck_assert_int_eq(api()->online_step(l, 3.0, e, th, 1), ANIMAT_OK);
        ck_assert_int_eq(api()->online_step(l, 5.0, e, th, 1), ANIMAT_OK);
        ck_assert(baseline(l, 1) == (a ? 5.0 : -0.25));
        api()->destroy(l);
        th_free(t);
    }
}
END_TEST

/* w_max = 1, eta = 1, b0 = 0, reward 1 (M = 1): theta (0.9, -0.9, 0.5) +
 * elig (1, -1, 0.25) = (1.9, -1.9, 0.75) -> clipped (1, -1, 0.75).
 * w_max = 0: no clip. */
START_TEST(test_clip) {
    const double th0[3] = {0.9, -0.9, 0.5}, e[3] = {1, -1, 0.25};
    for (int clip = 0; clip <= 1; clip++) {
        th_host *t = host(1.0, 0.01, 0.0, clip ? 1.0 : 0.0);
        void *l = make(t, 3, th0);
        double th[3];
        memcpy(th, th0, sizeof th);
        ck_assert_int_eq(api()->online_step(l, 1.0, e, th, 3), ANIMAT_OK);
        const double want[3] = {clip ? 1.0 : 0.9 + 1.0, clip ? -1.0 : -0.9 - 1.0, 0.75};
        for (int k = 0; k < 3; k++) ck_assert(th[k] == want[k]);
        assert_latest(l, want, 3);
        /* many further steps keep every weight inside the bound */
        for (int s = 0; s < 100; s++) {
            ck_assert_int_eq(api()->online_step(l, 1.0 + s, e, th, 3), ANIMAT_OK);
            if (clip) for (int k = 0; k < 3; k++) ck_assert(fabs(th[k]) <= 1.0);
        }
        if (clip) ck_assert(th[0] == 1.0 && th[1] == -1.0 && th[2] == 1.0);
        api()->destroy(l);
        th_free(t);
    }
}
END_TEST

/* Episodic side: ask/current give theta0, then the online weights; tell
 * changes nothing; online_reset keeps the weights and the baseline. */
START_TEST(test_episodic) {
    th_host *t = host(0.5, 0.5, 0.0, 10.0);
    const double th0[2] = {0.25, -2};
    double th[2] = {0.25, -2};
    void *l = make(t, 2, th0);
    assert_latest(l, th0, 2);
    ck_assert_int_eq(api()->tell(l, (double[1]){123.0}), ANIMAT_OK);
    assert_latest(l, th0, 2);
    /* M = 2, dtheta = 0.5 * 2 * (1, 0.5) = (1, 0.5); b = 1 */
    ck_assert_int_eq(api()->online_reset(l), ANIMAT_OK);
    ck_assert_int_eq(api()->online_step(l, 2.0, (double[2]){1, 0.5}, th, 2), ANIMAT_OK);
    const double want[2] = {1.25, -1.5};
    assert_latest(l, want, 2);
    ck_assert_int_eq(api()->tell(l, (double[1]){-4.0}), ANIMAT_OK);
    ck_assert_int_eq(api()->online_reset(l), ANIMAT_OK);
    assert_latest(l, want, 2);
    ck_assert(baseline(l, 2) == 1.0);
    ck_assert_int_eq(api()->ask(l, NULL), ANIMAT_ERROR);
    ck_assert_int_eq(api()->tell(l, NULL), ANIMAT_ERROR);
    api()->destroy(l);
    th_free(t);
}
END_TEST

/* Checkpoint round trip: A runs 40 random steps, saves; B (other theta0 and
 * baseline) loads A's state; both then run the same 60 random steps and
 * stay bit-identical, and their final checkpoints are byte-identical. */
START_TEST(test_save_load) {
    enum { N = 6, S1 = 40, S2 = 60 };
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 11);
    th_host *ta = host(0.1, 0.05, 0.2, 3.0), *tb = host(0.1, 0.05, -7.0, 3.0);
    double tha[N], thb[N], e[N];
    for (int k = 0; k < N; k++) tha[k] = 2.0 * gsl_rng_uniform(r) - 1.0, thb[k] = 9.0;
    void *a = make(ta, N, tha), *b = make(tb, N, thb);
    for (int s = 0; s < S1; s++) {
        for (int k = 0; k < N; k++) e[k] = gsl_rng_uniform(r);
        ck_assert_int_eq(api()->online_step(a, gsl_rng_uniform(r), e, tha, N), ANIMAT_OK);
    }
    uint64_t size = api()->state_size(a);
    ck_assert_uint_eq(size, HDR + 8u * (N + 1));
    unsigned char *buf = malloc(size), *bufa = malloc(size), *bufb = malloc(size);
    ck_assert_int_eq(api()->save(a, buf, size), ANIMAT_OK);
    ck_assert_int_eq(api()->load(b, buf, size), ANIMAT_OK);
    ck_assert_int_eq(api()->current(b, thb), ANIMAT_OK);
    ck_assert_int_eq(memcmp(tha, thb, sizeof tha), 0);
    for (int s = 0; s < S2; s++) {
        for (int k = 0; k < N; k++) e[k] = 2.0 * gsl_rng_uniform(r) - 1.0;
        double rew = 3.0 * gsl_rng_uniform(r);
        ck_assert_int_eq(api()->online_step(a, rew, e, tha, N), ANIMAT_OK);
        ck_assert_int_eq(api()->online_step(b, rew, e, thb, N), ANIMAT_OK);
        ck_assert_int_eq(memcmp(tha, thb, sizeof tha), 0);
    }
    ck_assert_int_eq(api()->save(a, bufa, size), ANIMAT_OK);
    ck_assert_int_eq(api()->save(b, bufb, size), ANIMAT_OK);
    ck_assert_int_eq(memcmp(bufa, bufb, size), 0);
    ck_assert(memcmp(buf, bufa, size) != 0); /* the state did move */
    api()->destroy(a);
    api()->destroy(b);
    th_free(ta);
    th_free(tb);
    free(buf);
    free(bufa);
    free(bufb);
    gsl_rng_free(r);
}
END_TEST

/* load refuses wrong sizes, NULL, a wrong magic, version or n, and
 * non-finite values, and leaves the state unchanged; save refuses a wrong
 * size. */
START_TEST(test_load_rejects) {
    enum { N = 3 };
    th_host *t = host(0.5, 0.5, 0.75, 10.0);
    const double th0[N] = {1, 2, 3};
    void *l = make(t, N, th0);
    uint64_t size = api()->state_size(l);
    unsigned char *good = malloc(size + 8), *bad = malloc(size + 8), *after = malloc(size);
    ck_assert_int_eq(api()->save(l, good, size), ANIMAT_OK);
    ck_assert_int_eq(api()->save(l, good, size - 1), ANIMAT_ERROR);
    ck_assert_int_eq(api()->save(l, NULL, size), ANIMAT_ERROR);
    /* sizes and NULL */
    ck_assert_int_eq(api()->load(l, good, size - 1), ANIMAT_ERROR);
    ck_assert_int_eq(api()->load(l, good, size + 8), ANIMAT_ERROR);
    ck_assert_int_eq(api()->load(l, NULL, size), ANIMAT_ERROR);
    ck_assert_int_eq(api()->load(l, good, 0), ANIMAT_ERROR);
    /* one corrupted header word at a time: magic, version, n */
    for (int w = 0; w < 3; w++) {
        memcpy(bad, good, size);
        uint32_t v;
        memcpy(&v, bad + 4 * w, 4);
        v ^= w == 2 ? 1u : 0x100u; /* n = 2 for n = 3 */
        memcpy(bad + 4 * w, &v, 4);
        ck_assert_int_eq(api()->load(l, bad, size), ANIMAT_ERROR);
    }
    /* a NaN weight, then an infinite baseline */
    for (int where = 0; where < 2; where++) {
        memcpy(bad, good, size);
        double x = where ? INFINITY : NAN;
        memcpy(bad + HDR + 8u * (where ? N : 1), &x, 8);
        ck_assert_int_eq(api()->load(l, bad, size), ANIMAT_ERROR);
    }
    /* a learner of another length refuses this state (size differs) */
    th_host *t2 = host(0.5, 0.5, 0.75, 10.0);
    void *l2 = make(t2, N + 1, (double[N + 1]){0, 0, 0, 0});
    ck_assert_int_eq(api()->load(l2, good, size), ANIMAT_ERROR);
    /* nothing changed */
    ck_assert_int_eq(api()->save(l, after, size), ANIMAT_OK);
    ck_assert_int_eq(memcmp(good, after, size), 0);
    assert_latest(l, th0, N);
    ck_assert(baseline(l, N) == 0.75);
    ck_assert_int_eq(api()->load(l, good, size), ANIMAT_OK);
    api()->destroy(l);
    api()->destroy(l2);
    th_free(t);
    th_free(t2);
    free(good);
    free(bad);
    free(after);
}
END_TEST

/* online_step refuses (state unchanged) a wrong n, NULL buffers, a
 * non-finite reward or eligibility, and an update that overflows; create
 * refuses a non-finite theta0 and out-of-range parameters. */
START_TEST(test_errors) {
    th_host *t = host(1e6, 0.5, 0.0, 0.0);
    const double th0[2] = {1, -1};
    double th[2] = {1, -1};
    void *l = make(t, 2, th0);
    ck_assert_int_eq(api()->online_step(l, 1.0, (double[2]){1, 1}, th, 3), ANIMAT_ERROR);
    ck_assert_ptr_nonnull(strstr(th_last_error(t), "expected 2"));
    ck_assert_int_eq(api()->online_step(l, 1.0, NULL, th, 2), ANIMAT_ERROR);
    ck_assert_int_eq(api()->online_step(l, 1.0, (double[2]){1, 1}, NULL, 2), ANIMAT_ERROR);
    ck_assert_int_eq(api()->online_step(l, NAN, (double[2]){1, 1}, th, 2), ANIMAT_ERROR);
    ck_assert_int_eq(api()->online_step(l, 1.0, (double[2]){1, INFINITY}, th, 2),
                     ANIMAT_ERROR);
    ck_assert_int_eq(api()->online_step(l, 1.0, (double[2]){1e303, 1}, th, 2), ANIMAT_ERROR);
    ck_assert(th[0] == 1.0 && th[1] == -1.0);
    assert_latest(l, th0, 2);
    ck_assert(baseline(l, 2) == 0.0);
    api()->destroy(l);
    /* create */
    ck_assert_ptr_null(api()->create(th_table(t), 2, NULL, (double[2]){0, NAN}));
    ck_assert_ptr_null(api()->create(th_table(t), 2, NULL, NULL));
    th_set_real(t, "baseline_rate", 1.5);
    ck_assert_ptr_null(api()->create(th_table(t), 2, NULL, th0));
    ck_assert_ptr_nonnull(strstr(th_last_error(t), "baseline_rate"));
    th_free(t);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("hebbian");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_descriptor);
    tcase_add_test(tc, test_one_step_hand);
    tcase_add_test(tc, test_baseline_converges);
    tcase_add_test(tc, test_clip);
    tcase_add_test(tc, test_episodic);
    tcase_add_test(tc, test_save_load);
    tcase_add_test(tc, test_load_rejects);
    tcase_add_test(tc, test_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    return ck_run(suite());
}
