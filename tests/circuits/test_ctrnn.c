/* test_ctrnn.c -- the CTRNN circuit (CTRNN_SO) and its maths (ctrnn_math.c,
 * ctrnn_ode.c compiled in):
 *   - a linear 2-neuron network matches its closed-form solution to solver
 *     tolerance at every control step;
 *   - every GSL stepper gives the same trajectory within tolerance;
 *   - Dale's mask keeps every effective weight's sign (maths), theta_info
 *     declares the sign bounds, and a wrong-signed theta acts exactly as its
 *     projection onto the signs;
 *   - time constants are bounded positive; unit overrides reach the outputs.
 * Random values come from GSL generators. */
#include <check.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "ctrnn_math.h"
#include "ctrnn_ode.h"
#include "testhost.h"

static const animat_plugin_desc *desc(void) { return th_load_env("CTRNN_SO"); }
static const animat_circuit_api *api(void) { return desc()->api; }

static th_host *host(uint32_t n, uint32_t nin, uint32_t nout) {
    th_host *t = th_new(desc(), "circuit", 5);
    th_set_real(t, "n_neurons", n);
    th_set_real(t, "n_in", nin);
    th_set_real(t, "n_out", nout);
    return t;
}

static void *make(th_host *t) {
    return th_circuit(t, api());
}

static void step(void *c, const double *x, double *y, double dt) {
    const double *in[1] = {x};
    double *out[1] = {y};
    ck_assert_int_eq(api()->step(c, in, out, dt), ANIMAT_OK);
}

/* tau dy/dt = -y + W y + I with W = [[0, -a], [a, 0]], y(0) = 0:
 * y(t) = y* + e^{-t/tau} R(a t / tau) (y(0) - y*), y* = [[1, -a], [a, 1]] I / (1 + a^2). */
START_TEST(test_linear_closed_form) {
    const double a = 3.0, tau = 0.2, I[2] = {0.7, -0.4}, dt = 0.01;
    th_host *t = host(2, 2, 2);
    th_set_choice(t, "activation", "linear");
    th_set_choice(t, "init", "zeros");
    th_set_real(t, "epsabs", 1e-12);
    th_set_real(t, "epsrel", 1e-12);
    th_set_real(t, "tau", tau);
    void *c = make(t);
    /* theta: W (4), b (2), tau (2), g_in (2), g_out (2) */
    double th[12] = {0, -a, a, 0, 0, 0, tau, tau, 1, 1, 1, 1};
    ck_assert_int_eq(api()->set_theta(c, th, 12), ANIMAT_OK);
    double ys[2] = {(I[0] - a * I[1]) / (1 + a * a), (a * I[0] + I[1]) / (1 + a * a)}, y[2];
    double worst = 0.0;
    for (int s = 1; s <= 300; s++) {
        step(c, I, y, dt);
        double tt = s * dt, d = exp(-tt / tau), ph = a * tt / tau;
        double e0[2] = {-ys[0], -ys[1]};
        double want[2] = {ys[0] + d * (cos(ph) * e0[0] - sin(ph) * e0[1]),
                          ys[1] + d * (sin(ph) * e0[0] + cos(ph) * e0[1])};
        for (int i = 0; i < 2; i++) worst = fmax(worst, fabs(y[i] - want[i]));
    }
    ck_assert_msg(worst < 1e-9, "max error %g", worst);
    api()->destroy(c);
    th_free(t);
}
END_TEST

/* A random 6-neuron tanh network under random inputs: every stepper agrees
 * with rk8pd to within 1e-6 at tolerances 1e-10. */
START_TEST(test_steppers_agree) {
    static const char *const steppers[] = {"rk8pd", "rkf45", "rkck", "rk2", "rk4",
                                           "rk2imp", "rk4imp", "bsimp", "msadams", "msbdf"};
    enum { NS = sizeof steppers / sizeof steppers[0], STEPS = 100 };
    static double traj[NS][STEPS][2];
    for (int k = 0; k < NS; k++) {
        gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
        gsl_rng_set(r, 99);
        th_host *t = host(6, 3, 2);
        th_set_choice(t, "stepper", steppers[k]);
        th_set_real(t, "epsabs", 1e-10);
        th_set_real(t, "epsrel", 1e-10);
        th_set_real(t, "w_sd", 2.0);
        void *c = make(t); /* same create seed: same random weights */
        for (int s = 0; s < STEPS; s++) {
            double x[3];
            for (int i = 0; i < 3; i++) x[i] = 2.0 * gsl_rng_uniform(r) - 1.0;
            step(c, x, traj[k][s], 0.02);
        }
        api()->destroy(c);
        th_free(t);
        gsl_rng_free(r);
        double worst = 0.0;
        for (int s = 0; s < STEPS; s++)
            for (int i = 0; i < 2; i++) worst = fmax(worst, fabs(traj[k][s][i] - traj[0][s][i]));
        ck_assert_msg(worst < 1e-6, "%s differs from rk8pd by %g", steppers[k], worst);
    }
    /* and the trajectory is not trivial */
    ck_assert(fabs(traj[0][STEPS - 1][0]) > 1e-3 || fabs(traj[0][STEPS - 1][1]) > 1e-3);
}
END_TEST

START_TEST(test_dale) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 4);
    /* maths: the mask keeps every sign */
    enum { N = 7 };
    int8_t sign[N] = {1, 1, 1, 0, -1, -1, 1};
    double raw[N * N], eff[N * N];
    for (int trial = 0; trial < 200; trial++) {
        for (int k = 0; k < N * N; k++) raw[k] = 4.0 * gsl_rng_uniform(r) - 2.0;
        ctrnn_dale(N, sign, raw, eff);
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                double w = eff[i * N + j];
                if (sign[j] > 0) ck_assert(w >= 0.0);
                if (sign[j] < 0) ck_assert(w <= 0.0);
                if (sign[j] == 0) ck_assert(w == raw[i * N + j]);
            }
    }
    /* plugin: flags and bounds per presynaptic neuron; wrong-signed theta
     * behaves exactly as its projection */
    th_host *ta = host(N, 2, 2), *tb = host(N, 2, 2);
    th_set_real(ta, "dale", 1);
    th_set_real(tb, "dale", 1);
    void *a = make(ta), *b = make(tb);
    uint32_t n;
    const animat_param_info *info = api()->theta_info(a, &n);
    double *th = calloc(n, sizeof *th), *proj = calloc(n, sizeof *proj);
    ck_assert_int_eq(api()->get_theta(a, th, n), ANIMAT_OK);
    for (uint32_t k = 0; k < N * N; k++) {
        uint32_t j = k % N;
        int inh = j >= N - 1; /* round(0.2 * 7) = 1 inhibitory neuron */
        ck_assert_uint_eq(info[k].flags, inh ? ANIMAT_PARAM_INHIBITORY : ANIMAT_PARAM_EXCITATORY);
        ck_assert(inh ? th[k] <= 0.0 && info[k].max == 0.0 : th[k] >= 0.0 && info[k].min == 0.0);
        th[k] = 4.0 * gsl_rng_uniform(r) - 2.0;
        proj[k] = inh ? fmin(th[k], 0.0) : fmax(th[k], 0.0);
    }
    for (uint32_t k = N * N; k < n; k++) proj[k] = th[k];
    ck_assert_int_eq(api()->set_theta(a, th, n), ANIMAT_OK);
    ck_assert_int_eq(api()->set_theta(b, proj, n), ANIMAT_OK);
    for (int s = 0; s < 100; s++) {
        double x[2] = {sin(0.1 * s), cos(0.07 * s)}, ya[2], yb[2];
        step(a, x, ya, 0.02);
        step(b, x, yb, 0.02);
        ck_assert(memcmp(ya, yb, sizeof ya) == 0);
    }
    free(th);
    free(proj);
    api()->destroy(a);
    api()->destroy(b);
    th_free(ta);
    th_free(tb);
    gsl_rng_free(r);
}
END_TEST

/* tau entries are bounded positive; units: names, CLAMP reaches out.y in
 * the same step, reset clears it. */
START_TEST(test_tau_bounds_and_units) {
    th_host *t = host(4, 1, 1);
    void *c = make(t);
    uint32_t n;
    const animat_param_info *info = api()->theta_info(c, &n);
    ck_assert_uint_eq(n, 16 + 4 + 4 + 1 + 1);
    for (uint32_t k = 20; k < 24; k++) {
        ck_assert_str_eq(info[k].name, "tau");
        ck_assert(info[k].min == 1e-3 && info[k].max == 10.0);
    }
    const animat_units_ext *u = api()->extension(c, ANIMAT_EXT_UNITS);
    ck_assert_ptr_nonnull(u);
    uint32_t nu;
    ck_assert_str_eq(u->names(c, &nu)[3], "n[3]");
    ck_assert_uint_eq(nu, 4);
    ck_assert_int_eq(u->override(c, 3, ANIMAT_UNIT_CLAMP, 0.5), ANIMAT_OK);
    double x = 0.3, y, v;
    step(c, &x, &y, 0.02);
    ck_assert(y == 0.5); /* out gain 1 */
    ck_assert_int_eq(u->get(c, 3, &v), ANIMAT_OK);
    ck_assert(v == 0.5);
    ck_assert_int_eq(api()->reset(c, 0), ANIMAT_OK);
    step(c, &x, &y, 0.02);
    ck_assert(y != 0.5);
    api()->destroy(c);
    th_free(t);
}
END_TEST

/* A stiff network (tau 1e-6 under rkf45) at epsabs 1e-15, inside the
 * declared ranges: the step budget ends the control step with an error
 * naming stepper and tolerances (it ran for minutes per step before). */
START_TEST(test_step_budget) {
    th_host *t = host(200, 1, 1);
    th_set_real(t, "tau", 1e-6);
    th_set_real(t, "tau_min", 1e-6);
    th_set_real(t, "epsabs", 1e-15);
    th_set_real(t, "epsrel", 0);
    void *c = make(t);
    double x = 0.5, y;
    const double *in[1] = {&x};
    double *out[1] = {&y};
    ck_assert_int_eq(api()->step(c, in, out, 0.03), ANIMAT_ERROR);
    ck_assert_msg(strstr(th_last_error(t), "GSL odeiv2 needed more than 5000 steps for one control step of 0.03 s "
                                           "(stepper rkf45, epsabs 1e-15, epsrel 0)"),
                  "%s", th_last_error(t));
    api()->destroy(c);
    th_free(t);
}
END_TEST

int main(void) {
    Suite *s = suite_create("ctrnn");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_linear_closed_form);
    tcase_add_test(tc, test_steppers_agree);
    tcase_add_test(tc, test_dale);
    tcase_add_test(tc, test_tau_bounds_and_units);
    tcase_add_test(tc, test_step_budget);
    suite_add_tcase(s, tc);
    return ck_run(s);
}
