/* test_elm.c -- the ELM neuron's maths (circuits/elm/elm_math.c) against
 * closed forms: a memory unit driven by a constant update approaches it
 * with its own timescale, m_k = u (1 - exp(-k dt / tau)); left alone it
 * decays as exp(-k dt / tau); a synaptic trace sums its inputs with decay
 * exp(-dt / tau_s); the readout is tanh of the memory. */
#include <check.h>
#include <math.h>
#include <string.h>

#include "ck_run.h"
#include "elm_math.h"

/* One input, one memory unit, one hidden unit, one output; theta zero but
 * for the timescales and the update bias b2 = atanh(u). */
static void one_unit(double *theta, elm_layout *l, const elm_dims *d, double tau_s, double tau_m, double u) {
    *l = elm_layout_of(d);
    memset(theta, 0, l->n * sizeof *theta);
    theta[l->tau_s] = tau_s;
    theta[l->tau_m] = tau_m;
    theta[l->b2] = atanh(u);
    theta[l->wy] = 1;
}

START_TEST(memory_follows_its_timescale) {
    const elm_dims d = {1, 1, 1, 1};
    elm_layout l;
    double theta[32], s = 0, m = 0, h, y, x = 0, dt = 0.05;
    ck_assert_uint_eq(elm_layout_of(&d).n, 1 + 1 + 2 + 1 + 1 + 1 + 1 + 1);
    for (int run = 0; run < 2; run++) {
        double tau = run ? 2.0 : 0.2;
        one_unit(theta, &l, &d, 0.1, tau, 0.5);
        m = 0;
        for (int k = 1; k <= 200; k++) {
            elm_step(&d, theta, dt, &x, &s, &m, &h, &y);
            double want = 0.5 * (1 - exp(-k * dt / tau));
            ck_assert_msg(fabs(m - want) < 1e-12, "tau %g step %d: m %.17g, want %.17g", tau, k, m, want);
            ck_assert_msg(fabs(y - tanh(m)) < 1e-15, "readout %g vs tanh(%g)", y, m);
        }
        /* left alone (update 0), it decays with the same timescale */
        theta[l.b2] = 0;
        double m0 = m;
        for (int k = 1; k <= 100; k++) {
            elm_step(&d, theta, dt, &x, &s, &m, &h, &y);
            ck_assert_msg(fabs(m - m0 * exp(-k * dt / tau)) < 1e-12, "decay step %d: %g", k, m);
        }
    }
}
END_TEST

START_TEST(synapse_is_a_leaky_sum) {
    const elm_dims d = {1, 1, 1, 1};
    elm_layout l;
    double theta[32], s = 0, m = 0, h, y, dt = 0.05, tau_s = 0.3, want = 0;
    one_unit(theta, &l, &d, tau_s, 1.0, 0);
    for (int k = 0; k < 50; k++) {
        double x = sin(0.3 * k);
        elm_step(&d, theta, dt, &x, &s, &m, &h, &y);
        want = exp(-dt / tau_s) * want + x;
        ck_assert_msg(fabs(s - want) < 1e-12, "step %d: s %g, want %g", k, s, want);
    }
    /* the hidden layer reads the trace: h = tanh(w s) */
    theta[l.w1] = 0.7;
    double x = 0, s0 = s;
    elm_step(&d, theta, dt, &x, &s, &m, &h, &y);
    ck_assert_msg(fabs(h - tanh(0.7 * exp(-dt / tau_s) * s0)) < 1e-12, "h %g", h);
}
END_TEST

int main(void) {
    Suite *s = suite_create("elm");
    TCase *t = tcase_create("elm");
    tcase_add_test(t, memory_follows_its_timescale);
    tcase_add_test(t, synapse_is_a_leaky_sum);
    suite_add_tcase(s, t);
    return ck_run(s);
}
