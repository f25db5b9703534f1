/* test_eg.c -- Check tests for the exponentiated-gradient learner plugin
 * (EG_SO) and its maths (eg_math.c, compiled in): hand-computed steps,
 * signs kept under adversarial gradients, convergence on a quadratic, the
 * Langevin stationary spread against its prediction, checkpoints, and
 * `animat train` bit-identical across threads and across a resume.
 */
#include <check.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "eg_math.h"
#include "learn_util.h"
#include "proc.h"
#include "trainrun.h"

static const animat_plugin_desc *desc(void) { return th_load_env("EG_SO"); }

START_TEST(test_descriptor) {
    const animat_plugin_desc *d = desc();
    ck_assert_uint_eq(d->kind, ANIMAT_KIND_LEARNER);
    ck_assert_str_eq(d->name, "eg");
    const char *names[] = {"population", "sigma",        "lr",          "temperature",
                           "grad_clip",  "rank_shaping", "signed_only", "project"};
    const double defs[] = {8, 0.02, 0.01, 0, 1.0, 1, 0, 0};
    ck_assert_uint_eq(d->n_params, 8);
    for (uint32_t k = 0; k < 8; k++) {
        ck_assert_str_eq(d->params[k].name, names[k]);
        ck_assert_double_eq(d->params[k].def, defs[k]);
    }
    const animat_learner_api *a = d->api;
    ck_assert(a->state_size && a->save && a->load);
    ck_assert_ptr_null(a->online_step);
}
END_TEST

/* eg_step and eg_gradient_raw against values computed by hand. */
START_TEST(test_hand_step) {
    int8_t sign[3] = {1, -1, 0};
    double th[3] = {2.0, -0.5, 0.25}, g[3] = {0.3, 0.3, -4.0}, xi[3] = {1.0, -2.0, 0.5};
    eg_hyper hp = {.lr = 0.1, .temperature = 0.0, .grad_clip = 1.0};
    eg_step(3, &hp, sign, g, xi, th);
    ck_assert_double_eq_tol(th[0], 2.0 * exp(0.03), 1e-15);
    ck_assert_double_eq_tol(th[1], -0.5 * exp(-0.03), 1e-15); /* ascent on an inhibitory entry: |w| shrinks */
    ck_assert_double_eq_tol(th[2], 0.25 - 0.1, 1e-15);        /* clamped to -1, additive */
    hp.temperature = 0.5;                                      /* noise sqrt(2 * 0.1 * 0.5) = sqrt(0.1) */
    double s = sqrt(0.1);
    double th2[3] = {2.0, -0.5, 0.25};
    eg_step(3, &hp, sign, g, xi, th2);
    ck_assert_double_eq_tol(th2[0], 2.0 * exp(0.03 + s), 1e-14);
    ck_assert_double_eq_tol(th2[1], -0.5 * exp(-0.03 - 2 * s), 1e-14);
    ck_assert_double_eq_tol(th2[2], 0.15 + 0.5 * s, 1e-14);
    /* raw gradient: sum_j (R+ - R-) eps_j / (p sigma^2) */
    double eps[4] = {0.1, -0.2, 0.3, 0.05}, R[4] = {1.0, 0.5, -1.0, 2.0}, gg[2];
    eg_gradient_raw(2, 4, R, eps, 0.5, gg);
    ck_assert_double_eq_tol(gg[0], (0.5 * 0.1 - 3.0 * 0.3) / (4 * 0.25), 1e-15);
    ck_assert_double_eq_tol(gg[1], (0.5 * -0.2 - 3.0 * 0.05) / (4 * 0.25), 1e-15);
}
END_TEST

/* Adversarial gradients: huge pushes toward the other sign, with and without
 * noise, never flip a sign; entries keep their sign bit even on underflow. */
START_TEST(test_signs_never_change) {
    enum { N = 6 };
    int8_t sign[N] = {1, -1, 1, -1, 1, -1};
    double th[N] = {1e-3, -5.0, 3.0, -1e-9, 0.7, -0.7}, g[N], xi[N];
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    eg_hyper hp = {.lr = 10.0, .temperature = 3.0, .grad_clip = 0.0};
    for (int step = 0; step < 20000; step++) {
        for (int k = 0; k < N; k++) {
            /* against the sign most of the time, with occasional huge kicks */
            g[k] = -sign[k] * (step % 7 == 0 ? 1e300 : gsl_rng_uniform(r) * 100.0) + gsl_ran_gaussian(r, 50.0);
            xi[k] = gsl_ran_gaussian(r, 1.0);
        }
        eg_step(N, &hp, sign, g, xi, th);
        for (int k = 0; k < N; k++) {
            ck_assert_msg(isfinite(th[k]), "step %d entry %d not finite", step, k);
            ck_assert_msg(sign[k] > 0 ? !signbit(th[k]) : signbit(th[k]), "step %d entry %d = %g flipped", step,
                          k, th[k]);
        }
    }
    gsl_rng_free(r);
    /* the plugin on a quadratic whose optimum lies across zero: entries go
     * to zero from their side and stop there */
    double x0[4] = {0.4, -0.3, -0.2, 0.1}, x[4];
    th_host *t = th_new(desc(), "learner", 1);
    th_set_real(t, "lr", 0.1);
    th_set_real(t, "sigma", 0.05);
    th_set_real(t, "population", 32);
    th_set_real(t, "rank_shaping", 0);
    lu_run run = lu_open(desc(), t, 4, x0); /* centre (0.5, 0.33, 0.16, -0.01) */
    for (uint64_t e = 0; e < 600; e++) {
        lu_epochs(&run, 2, e, e + 1, lu_quadratic);
        lu_current_f(&run, lu_quadratic, x);
        ck_assert(x[0] > 0 && x[1] < 0 && x[2] < 0 && x[3] > 0);
    }
    /* x0 jitters: the pinned entries keep the estimate of its gradient noisy */
    ck_assert_double_eq_tol(x[0], 0.5, 0.1);
    ck_assert_double_lt(fabs(x[1]), 1e-6); /* pinned at 0 from below */
    ck_assert_double_lt(fabs(x[2]), 1e-6);
    ck_assert_double_lt(x[3], 0.01); /* optimum just across (-0.01): slow from 0.1 */
    lu_close(&run);
}
END_TEST

/* Convergence on the quadratic with matching signs, ranked and raw. */
START_TEST(test_quadratic_converges) {
    enum { N = 6 };
    double x0[N], x[N];
    for (uint32_t i = 0; i < N; i++) x0[i] = lu_centre(i) > 0 ? 1.0 : -1.0; /* c = .5 .33 .16 -.01 -.18 -.35 */
    th_host *t = th_new(desc(), "learner", 1);
    th_set_real(t, "lr", _i ? 0.1 : 0.05);
    th_set_real(t, "sigma", 0.02);
    th_set_real(t, "population", 16);
    th_set_real(t, "rank_shaping", _i ? 0 : 1);
    lu_run run = lu_open(desc(), t, N, x0);
    double f0 = lu_current_f(&run, lu_quadratic, x);
    lu_epochs(&run, 3, 0, 1500, lu_quadratic);
    double f = lu_current_f(&run, lu_quadratic, x);
    for (uint32_t i = 0; i < N; i++) ck_assert_msg(fabs(x[i] - lu_centre(i)) < 0.01, "x%u = %g", i, x[i]);
    ck_assert_double_lt(f, 1e-3 * f0);
    lu_close(&run);
}
END_TEST

/* Langevin: on R = -(x - c)^2 (c = 1, raw returns, no clamp) the log
 * magnitude u = log(x / c) follows, linearised, u' = (1 - a k) u +
 * sqrt(2 lr T) xi with a = 2 c lr and k the mean of p/2 chi^2_1 draws
 * (the antithetic estimate is exact up to that factor), so its stationary
 * variance is 2 lr T / (2a - a^2 E[k^2]) with E[k^2] = 1 + 4/p; in the
 * small-lr limit T / (2c). Checked within 10% over 60000 steps, and the
 * spread scales with T (4x the temperature, 4x the variance). */
static double lu_parabola(const double *x, uint32_t n) {
    (void)n;
    return (x[0] - 1.0) * (x[0] - 1.0);
}

static double stationary_var(double T, double lr, uint32_t p) {
    double x0 = 1.0, x;
    th_host *t = th_new(desc(), "learner", 1);
    th_set_real(t, "lr", lr);
    th_set_real(t, "temperature", T);
    th_set_real(t, "population", p);
    th_set_real(t, "sigma", 0.1);
    th_set_real(t, "rank_shaping", 0);
    th_set_real(t, "grad_clip", 0);
    lu_run run = lu_open(desc(), t, 1, &x0);
    lu_epochs(&run, 5, 0, 2000, lu_parabola);
    double s = 0, s2 = 0;
    enum { STEPS = 60000 };
    for (uint64_t e = 2000; e < 2000 + STEPS; e++) {
        lu_epochs(&run, 5, e, e + 1, lu_parabola);
        lu_current_f(&run, lu_parabola, &x);
        ck_assert(x > 0);
        double u = log(x);
        s += u, s2 += u * u;
    }
    lu_close(&run);
    double mean = s / STEPS;
    return s2 / STEPS - mean * mean;
}

START_TEST(test_langevin_spread) {
    double lr = 0.05, T = 0.002, a = 2.0 * lr;
    uint32_t p = 8;
    double predicted = 2 * lr * T / (2 * a - a * a * (1.0 + 4.0 / p));
    double v = stationary_var(T, lr, p);
    ck_assert_msg(fabs(v / predicted - 1.0) < 0.10, "variance %g, predicted %g (T/2c = %g)", v, predicted, T / 2);
    double v4 = stationary_var(4 * T, lr, p);
    ck_assert_msg(fabs(v4 / v - 4.0) < 0.6, "4x temperature gave %g / %g", v4, v);
    /* T = 0: no spread beyond the estimator's (which vanishes at the optimum) */
    ck_assert_double_lt(stationary_var(0.0, lr, p), 1e-12);
}
END_TEST

/* Bad configuration and starts, one clear error each. */
START_TEST(test_refusals) {
    const animat_learner_api *a = desc()->api;
    double x0[2] = {1.0, 1.0};
    th_host *t = th_new(desc(), "learner", 1);
    th_set_real(t, "population", 7);
    ck_assert_ptr_null(a->create(th_table(t), 2, lu_info(2), x0));
    ck_assert_ptr_nonnull(strstr(th_last_error(t), "population must be an even integer"));
    th_free(t);
    /* an excitatory entry starting below zero */
    animat_param_info info[2];
    memcpy(info, lu_info(2), sizeof info);
    info[1].flags = ANIMAT_PARAM_EXCITATORY;
    double bad[2] = {1.0, -0.5};
    t = th_new(desc(), "learner", 1);
    ck_assert_ptr_null(a->create(th_table(t), 2, info, bad));
    ck_assert_str_eq(th_last_error(t), "initial theta[1] = -0.5 contradicts its excitatory flag");
    th_free(t);
    /* tell before ask; non-finite return */
    lu_run r = lu_open(desc(), th_new(desc(), "learner", 1), 2, x0);
    ck_assert_int_eq(a->tell(r.L, r.returns), ANIMAT_ERROR);
    lu_ask(&r, 1, 0);
    r.returns[3] = NAN;
    ck_assert_int_eq(a->tell(r.L, r.returns), ANIMAT_ERROR);
    ck_assert_ptr_nonnull(strstr(th_last_error(r.t), "candidate 3 is not finite"));
    lu_close(&r);
}
END_TEST

/* Checkpoints: save, continue, load into a fresh instance, continue: bit
 * for bit; a checkpoint with a flipped sign is refused. */
START_TEST(test_checkpoint) {
    enum { N = 4 };
    double x0[N] = {0.3, -0.2, 0.0, 1.0}, a[N], b[N];
    th_host *t = th_new(desc(), "learner", 1), *t2 = th_new(desc(), "learner", 1);
    th_set_real(t, "temperature", 0.01);
    th_set_real(t2, "temperature", 0.01);
    lu_run r = lu_open(desc(), t, N, x0);
    lu_epochs(&r, 7, 0, 20, lu_quadratic);
    uint64_t size = r.api->state_size(r.L);
    unsigned char *buf = malloc(size);
    ck_assert_int_eq(r.api->save(r.L, buf, size), ANIMAT_OK);
    lu_epochs(&r, 7, 20, 40, lu_quadratic);
    r.api->current(r.L, a);
    lu_run s = lu_open(desc(), t2, N, x0);
    ck_assert_int_eq(s.api->load(s.L, buf, size), ANIMAT_OK);
    lu_epochs(&s, 7, 20, 40, lu_quadratic);
    s.api->current(s.L, b);
    ck_assert_mem_eq(a, b, sizeof a);
    double flipped = 0.5;
    memcpy(buf + 16 + sizeof(double), &flipped, sizeof flipped);
    ck_assert_int_eq(s.api->load(s.L, buf, size), ANIMAT_ERROR);
    ck_assert_ptr_nonnull(strstr(th_last_error(s.t), "theta[1] = 0.5 is not finite or has the wrong sign"));
    ck_assert_int_eq(s.api->load(s.L, buf, size - 1), ANIMAT_ERROR);
    free(buf);
    lu_close(&r);
    lu_close(&s);
}
END_TEST

/* `animat train` of examples/swimmer-ncap-eg.yaml (200-step episodes): 1,
 * 2 and 3 threads, and a run stopped after 1 epoch then resumed, give the
 * same curve and theta bit for bit. */
START_TEST(test_train_threads_resume) {
    const char *exe = getenv("ANIMAT_EXE"), *src = getenv("ANIMAT_SRC");
    ck_assert(exe && src);
    const char *dir = proc_tmpdir();
    char ex[512];
    snprintf(ex, sizeof ex, "%s/examples/swimmer-ncap-eg.yaml", src);
    const char *tags[] = {"t1", "t2", "t3"};
    for (int k = 0; k < 3; k++) {
        proc_out p = proc_run("cd %s && %s train %s --quiet --epochs 2 --threads %d --set run.max_steps=200 "
                              "--set train.curve=%s.csv "
                              "--set train.output=%s.params.yaml --set train.checkpoint=%s.ckpt "
                              "--set learner.params.temperature=0.001",
                              dir, exe, ex, k + 1, tags[k], tags[k], tags[k]);
        ck_assert_msg(p.status == 0, "%s", p.err);
        proc_free(&p);
    }
    trainrun_assert_same(dir, "t1", "t2", 20);
    trainrun_assert_same(dir, "t1", "t3", 20);
    const char *common = "--quiet --set train.curve=r.csv --set train.output=r.params.yaml "
                         "--set train.checkpoint=r.ckpt --set learner.params.temperature=0.001 --set run.max_steps=200";
    proc_out p = proc_run("cd %s && %s train %s %s --epochs 1 && %s train %s %s --epochs 2 --resume", dir, exe, ex,
                          common, exe, ex, common);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    trainrun_assert_same(dir, "t1", "r", 20);
}
END_TEST

int main(void) {
    Suite *s = suite_create("eg");
    TCase *t = tcase_create("eg");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, test_descriptor);
    tcase_add_test(t, test_hand_step);
    tcase_add_test(t, test_signs_never_change);
    tcase_add_loop_test(t, test_quadratic_converges, 0, 2);
    tcase_add_test(t, test_langevin_spread);
    tcase_add_test(t, test_refusals);
    tcase_add_test(t, test_checkpoint);
    tcase_add_test(t, test_train_threads_resume);
    suite_add_tcase(s, t);
    return ck_run(s);
}
