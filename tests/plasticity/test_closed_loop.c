/* test_closed_loop.c -- the NCAP circuit (NCAP_SO) and the hebbian learner
 * (HEBBIAN_SO) in a closed plasticity loop, driven through their plugin APIs
 * the way the host drives them, without a host or a body: per control step
 *   circuit step (synthetic joint angles) -> reward from the head action ->
 *   eligibility -> learner online_step -> circuit set_theta.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "testhost.h"

#define NJ 5
#define NU (6 * NJ)
#define STEPS 200
#define ETA 0.01
#define ALPHA 0.01

/* A plugin descriptor from the path in environment variable `var`. */
static const animat_plugin_desc *load(const char *var) {
    const char *path = getenv(var);
    ck_assert_msg(path != NULL, "%s not set", var);
    const animat_plugin_desc *d = th_load(path);
    ck_assert_ptr_nonnull(d);
    return d;
}

/* The loop's two instances and their hosts. */
typedef struct loop {
    const animat_circuit_api *ca;
    const animat_learner_api *la;
    th_host *tc, *tl;
    void *c, *l;
    double theta[NU];
} loop;

/* Unshared sign-constrained NCAP (default theta) and a hebbian learner
 * started from the circuit's theta; both reset for an episode. */
static void loop_open(loop *lp, double eta, double alpha) {
    const animat_plugin_desc *cd = load("NCAP_SO"), *ld = load("HEBBIAN_SO");
    lp->ca = cd->api;
    lp->la = ld->api;
    lp->tc = th_new(cd, "circuit", 1);
    th_set_real(lp->tc, "n_joints", NJ);
    th_set_real(lp->tc, "shared", 0);
    lp->c = lp->ca->create(th_table(lp->tc));
    ck_assert_ptr_nonnull(lp->c);
    uint32_t n;
    const animat_param_info *info = lp->ca->theta_info(lp->c, &n);
    ck_assert_uint_eq(n, NU);
    ck_assert_int_eq(lp->ca->get_theta(lp->c, lp->theta, NU), ANIMAT_OK);
    lp->tl = th_new(ld, "learner", 1);
    th_set_real(lp->tl, "eta", eta);
    th_set_real(lp->tl, "baseline_rate", alpha);
    lp->l = lp->la->create(th_table(lp->tl), NU, info, lp->theta);
    ck_assert_ptr_nonnull(lp->l);
    ck_assert_int_eq(lp->ca->reset(lp->c, 0), ANIMAT_OK);
    ck_assert_int_eq(lp->la->online_reset(lp->l), ANIMAT_OK);
}

static void loop_close(loop *lp) {
    lp->ca->destroy(lp->c);
    lp->la->destroy(lp->l);
    th_free(lp->tc);
    th_free(lp->tl);
}

/* Synthetic joint angles at step t: a travelling wave of 0.6 rad, period 60
 * steps, phase lag 0.8 rad per joint. */
static void wave(int t, double *ang) {
    for (int i = 0; i < NJ; i++) ang[i] = 0.6 * sin(2.0 * M_PI * t / 60.0 - 0.8 * i);
}

/* One loop step with reward +1 when the head action is positive, else -1
 * (or the constant `fixed` when it is finite). Returns the reward; writes
 * the step's eligibility to `e` and the head action to *a0. */
static double loop_step(loop *lp, int t, double fixed, double *e, double *a0) {
    double ang[NJ], act[NJ];
    const double *in[1] = {ang};
    double *out[1] = {act};
    wave(t, ang);
    ck_assert_int_eq(lp->ca->step(lp->c, in, out, 0.03), ANIMAT_OK);
    double r = isfinite(fixed) ? fixed : (act[0] > 0.0 ? 1.0 : -1.0);
    const animat_plasticity_ext *x = lp->ca->extension(lp->c, ANIMAT_EXT_PLASTICITY);
    ck_assert_ptr_nonnull(x);
    ck_assert_int_eq(x->eligibility(lp->c, e, NU), ANIMAT_OK);
    ck_assert_int_eq(lp->la->online_step(lp->l, r, e, lp->theta, NU), ANIMAT_OK);
    ck_assert_int_eq(lp->ca->set_theta(lp->c, lp->theta, NU), ANIMAT_OK);
    *a0 = act[0];
    return r;
}

/* Sum of the head action over one oscillator period (60 steps) of a fresh
 * episode with the circuit's current weights, no plasticity; the circuit is
 * reset before and after. */
static double head_bias(loop *lp) {
    double sum = 0.0, ang[NJ], act[NJ];
    const double *in[1] = {ang};
    double *out[1] = {act};
    ck_assert_int_eq(lp->ca->reset(lp->c, 0), ANIMAT_OK);
    for (int t = 0; t < 60; t++) {
        wave(t, ang);
        ck_assert_int_eq(lp->ca->step(lp->c, in, out, 0.03), ANIMAT_OK);
        sum += act[0];
    }
    ck_assert_int_eq(lp->ca->reset(lp->c, 0), ANIMAT_OK);
    return sum;
}

/* Reward +1 when the head action a0 > 0, else -1, for 200 steps.
 * Expected signs: in the oscillator's dorsal half (od = 1) the head's dorsal
 * B-neuron bd0 = 1 drives md0, so a0 = md0 > 0 and r = +1; in the ventral
 * half a0 = -mv0 < 0 and r = -1. The baseline stays within +-0.3 of 0
 * (checked), so M = r - b has the sign of r. Hence
 *   j0.osc_d (e = od bd0) and j0.ipsi_d (e = bd0 md0), active only when
 *     M > 0, strictly INCREASE;
 *   j0.osc_v (e = ov bv0) and j0.ipsi_v (e = bv0 mv0), active only when
 *     M < 0, strictly DECREASE;
 *   j0.contra_d/v do NOT MOVE (under sign constraints bd0 and bv0 are never
 *     both > 0, so bv0 md0 = bd0 mv0 = 0).
 * The ventral pathway weakens, so the head's mean action over a period,
 * 0 before learning, becomes positive. Every entry's total change also
 * equals eta * sum_t M_t e_t (no clipping happens: w_max = 10). */
START_TEST(test_head_reward) {
    loop lp;
    loop_open(&lp, ETA, ALPHA);
    double th0[NU], e[NU], pred[NU] = {0}, a0, b = 0.0;
    memcpy(th0, lp.theta, sizeof th0);
    /* before learning a0 = +1 for 30 steps, then -1 for 30 */
    ck_assert(head_bias(&lp) == 0.0);
    for (int t = 0; t < STEPS; t++) {
        double r = loop_step(&lp, t, NAN, e, &a0);
        /* the rule, replayed with the baseline before the step */
        ck_assert(fabs(b) < 0.3);
        for (int k = 0; k < NU; k++) pred[k] += (r - b) * e[k];
        b += ALPHA * (r - b);
    }
    const double *th = lp.theta, *w0 = th0;
    ck_assert(th[0] > w0[0] && th[2] > w0[2]);   /* j0.osc_d, j0.ipsi_d up */
    ck_assert(th[1] < w0[1] && th[3] < w0[3]);   /* j0.osc_v, j0.ipsi_v down */
    ck_assert(th[4] == w0[4] && th[5] == w0[5]); /* j0.contra_* unchanged */
    for (int k = 0; k < NU; k++) {
        double dw = th[k] - w0[k];
        ck_assert_msg(fabs(dw - ETA * pred[k]) < 1e-12, "entry %d: %.17g vs %.17g", k, dw,
                      ETA * pred[k]);
        ck_assert(fabs(th[k]) < 10.0);
    }
    /* the learner reports the weights the circuit now uses */
    double cur[NU], got[NU];
    ck_assert_int_eq(lp.la->current(lp.l, cur), ANIMAT_OK);
    ck_assert_int_eq(lp.ca->get_theta(lp.c, got, NU), ANIMAT_OK);
    ck_assert_int_eq(memcmp(cur, th, sizeof cur), 0);
    ck_assert_int_eq(memcmp(got, th, sizeof got), 0);
    /* the learned weights bias the head towards the rewarded side */
    double bias = head_bias(&lp);
    ck_assert_msg(bias > 1.0, "head bias after learning %g", bias);
    loop_close(&lp);
}
END_TEST

/* Without a third factor there is no learning: a constant reward equal to
 * the baseline (baseline_init 0, reward 0) gives M = 0 at every step, so
 * the weights stay exactly where they started despite non-zero pre * post. */
START_TEST(test_no_modulation) {
    loop lp;
    loop_open(&lp, 1.0, 0.5);
    double th0[NU], e[NU], a0, esum = 0.0;
    memcpy(th0, lp.theta, sizeof th0);
    for (int t = 0; t < STEPS; t++) {
        loop_step(&lp, t, 0.0, e, &a0);
        for (int k = 0; k < NU; k++) esum += e[k];
    }
    ck_assert(esum > 100.0);
    ck_assert_int_eq(memcmp(th0, lp.theta, sizeof th0), 0);
    loop_close(&lp);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("closed_loop");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_head_reward);
    tcase_add_test(tc, test_no_modulation);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    return ck_run(suite());
}
