/* test_cpg.c -- the oscillator-chain CPG (CPG_SO) and its maths
 * (cpg_math.c compiled in):
 *   - two coupled oscillators lock at the designed phase lag within 1%, in
 *     the phase state (GSL integration of cpg_rhs) and in the plugin's
 *     outputs (zero-crossing times);
 *   - the tonic drive scales frequency and amplitude as documented;
 *   - units: a clamped oscillator's amplitude reaches its output and stops
 *     its coupling onto the neighbour. */
#include <check.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "cpg_math.h"
#include "testhost.h"

static const animat_plugin_desc *desc(void) { return th_load_env("CPG_SO"); }
static const animat_circuit_api *api(void) { return desc()->api; }

/* Wrap to (-pi, pi]. */
static double wrap(double x) { return remainder(x, 2.0 * M_PI); }

START_TEST(test_two_lock_state) {
    const double lags[] = {0.5, 1.0, -0.8, 2.0, 2.8};
    for (size_t k = 0; k < sizeof lags / sizeof lags[0]; k++) {
        double theta[CPG_NTHETA] = {1.0, 1.0, 4.0, lags[k], 0.0}, fb[2] = {0, 0}, r[2];
        cpg_model m = {.n = 2, .a = 20, .k_nu = 0.5, .theta = theta, .fb = fb, .r = r};
        gsl_odeiv2_system sys = {cpg_rhs, NULL, 6, &m};
        gsl_odeiv2_driver *d = gsl_odeiv2_driver_alloc_y_new(&sys, gsl_odeiv2_step_rkf45, 1e-3, 1e-10, 1e-10);
        double y[6] = {0.3, -1.0, 0, 0, 0, 0}, t = 0.0;
        ck_assert_int_eq(gsl_odeiv2_driver_apply(d, &t, 20.0, y), GSL_SUCCESS);
        double psi = wrap(y[0] - y[1]);
        ck_assert_msg(fabs(psi - lags[k]) <= 0.01 * fabs(lags[k]), "lag %g: locked at %g", lags[k], psi);
        gsl_odeiv2_driver_free(d);
    }
}
END_TEST

static th_host *host(uint32_t n) {
    th_host *t = th_new(desc(), "circuit", 2);
    th_set_real(t, "n_osc", n);
    return t;
}

static void *make(th_host *t) {
    return th_circuit(t, api());
}

/* Run `steps` control steps of dt with drive d; record the upward zero
 * crossings of every output (linear interpolation) after `skip` seconds;
 * returns the number of crossings found for output 0 and 1 in n0/n1. */
static void crossings(void *c, double d, double dt, int steps, double skip, double *t0, int *n0,
                      double *t1, int *n1, double *ymax) {
    double fb[2] = {0, 0}, y[2], ph[2], prev[2] = {0, 0};
    const double *in[2] = {&d, fb};
    double *out[2] = {y, ph};
    *n0 = *n1 = 0;
    *ymax = 0.0;
    for (int s = 1; s <= steps; s++) {
        ck_assert_int_eq(api()->step(c, in, out, dt), ANIMAT_OK);
        double t = s * dt;
        if (t > skip) {
            *ymax = fmax(*ymax, y[0]);
            for (int i = 0; i < 2; i++)
                if (prev[i] < 0.0 && y[i] >= 0.0) {
                    double tc = t - dt * y[i] / (y[i] - prev[i]);
                    if (i == 0 && *n0 < 64) t0[(*n0)++] = tc;
                    if (i == 1 && *n1 < 64) t1[(*n1)++] = tc;
                }
        }
        prev[0] = y[0], prev[1] = y[1];
    }
}

/* Through the plugin: output 1 crosses zero phi / (2 pi nu) after output 0;
 * the period is 1 / nu; with drive d: period 1 / (nu (1 + 0.5 d)),
 * amplitude R (1 + d). */
START_TEST(test_two_lock_outputs_and_drive) {
    const double lags[] = {0.6, 1.5};
    for (int k = 0; k < 2; k++)
        for (int dk = 0; dk < 2; dk++) {
            double d = dk ? 0.4 : 0.0, nu = 1.0 * (1.0 + 0.5 * d);
            th_host *t = host(2);
            th_set_real(t, "phase_lag", lags[k]);
            void *c = make(t);
            double t0[64], t1[64], ymax;
            int n0, n1;
            crossings(c, d, 0.001, 20000, 10.0, t0, &n0, t1, &n1, &ymax);
            ck_assert_int_ge(n0, 5);
            double period = (t0[n0 - 1] - t0[0]) / (n0 - 1);
            ck_assert_msg(fabs(period - 1.0 / nu) <= 0.01 / nu, "period %g, want %g", period, 1.0 / nu);
            ck_assert_msg(fabs(ymax - (1.0 + d)) <= 0.01 * (1.0 + d), "amplitude %g", ymax);
            /* first crossing of 1 after the first of 0 */
            int j = 0;
            while (j < n1 && t1[j] < t0[0]) j++;
            ck_assert_int_lt(j, n1);
            double lag = wrap(2.0 * M_PI * nu * (t1[j] - t0[0]));
            ck_assert_msg(fabs(lag - lags[k]) <= 0.01 * lags[k], "drive %g: lag %g, want %g", d, lag, lags[k]);
            api()->destroy(c);
            th_free(t);
        }
}
END_TEST

/* Clamping osc[1]'s amplitude to 0: output 1 is 0 and oscillator 0 runs
 * at its intrinsic frequency (no coupling from 1); reset clears it. */
START_TEST(test_units) {
    th_host *t = host(2);
    th_set_real(t, "phase_lag", 1.0);
    void *c = make(t);
    const animat_units_ext *u = api()->extension(c, ANIMAT_EXT_UNITS);
    ck_assert_ptr_nonnull(u);
    uint32_t n;
    ck_assert_str_eq(u->names(c, &n)[1], "osc[1]");
    ck_assert_int_eq(u->override(c, 1, ANIMAT_UNIT_CLAMP, 0.0), ANIMAT_OK);
    double drive = 0.0, fb[2] = {0, 0}, y[2], ph[2], v;
    const double *in[2] = {&drive, fb};
    double *out[2] = {y, ph};
    for (int s = 0; s < 3000; s++) {
        ck_assert_int_eq(api()->step(c, in, out, 0.001), ANIMAT_OK);
        ck_assert(y[1] == 0.0);
    }
    ck_assert_int_eq(u->get(c, 1, &v), ANIMAT_OK);
    ck_assert(v == 0.0);
    ck_assert_int_eq(u->get(c, 0, &v), ANIMAT_OK);
    ck_assert(fabs(v - 1.0) < 1e-3);
    /* oscillator 0 uncoupled: theta_0 = 2 pi t, so y0(3 s) = r cos(6 pi) */
    ck_assert_msg(fabs(y[0] - v) < 1e-6, "y0 = %.9g, r = %.9g", y[0], v);
    /* out.phase is that phase, unwrapped (6 pi, not 0), and out.y = r cos(phase) */
    ck_assert_msg(fabs(ph[0] - 6 * M_PI) < 1e-6, "phase0 = %.9g", ph[0]);
    ck_assert(fabs(y[0] - v * cos(ph[0])) < 1e-12);
    uint32_t nout;
    const animat_port_info *po = api()->ports(c, ANIMAT_PORT_OUT, &nout);
    ck_assert_uint_eq(nout, 2);
    ck_assert_str_eq(po[1].name, "phase");
    ck_assert_int_eq(api()->reset(c, 0), ANIMAT_OK);
    for (int s = 0; s < 1000; s++) ck_assert_int_eq(api()->step(c, in, out, 0.001), ANIMAT_OK);
    ck_assert(y[1] != 0.0);
    api()->destroy(c);
    th_free(t);
}
END_TEST

int main(void) {
    gsl_set_error_handler_off();
    Suite *s = suite_create("cpg");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_two_lock_state);
    tcase_add_test(tc, test_two_lock_outputs_and_drive);
    tcase_add_test(tc, test_units);
    suite_add_tcase(s, tc);
    return ck_run(s);
}
