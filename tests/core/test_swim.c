/* test_swim.c -- the reference experiment through the host library: NCAP at
 * its default init swims forward for 6, 9 and 12 bodies; a run is bit-for-bit
 * reproducible; a body given no action earns exactly nothing. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "exp/experiment.h"
#include "sim/sim.h"
#include "sim/sim_impl.h"

static char example[1024];

/* Load the default experiment with overrides; fails the test on error. */
static void load(experiment *x, const char *const *sets, uint32_t n) {
    errmsg e;
    errmsg_clear(&e);
    int rc = experiment_load(x, example, sets, n, NULL, 0, &e);
    ck_assert_msg(rc == 0, "%s", e.msg);
}

/* Load with overrides and create its simulation; fails the test on error.
 * Free with close_sim. */
static void open_sim(experiment *x, sim *s, const char *const *sets, uint32_t n) {
    load(x, sets, n);
    errmsg e;
    errmsg_clear(&e);
    ck_assert_msg(sim_create(s, x, &e) == 0, "%s", e.msg);
}

static void close_sim(experiment *x, sim *s) {
    sim_destroy(s);
    experiment_free(x);
}

/* Run one episode; fails the test on error. */
static sim_result run_episode(sim *s, uint64_t i) {
    sim_result r;
    errmsg e;
    errmsg_clear(&e);
    ck_assert_msg(sim_episode(s, i, &r, &e) == 0, "%s", e.msg);
    return r;
}

/* Mean return and mean forward speed over `episodes` episodes. */
static void swim(const char *n_bodies, int episodes, double *ret, double *speed) {
    char set[64];
    snprintf(set, sizeof set, "body.params.n_bodies=%s", n_bodies);
    const char *sets[] = {set};
    experiment x;
    sim s;
    open_sim(&x, &s, sets, 1);
    *ret = *speed = 0;
    for (int i = 0; i < episodes; i++) {
        sim_result r = run_episode(&s, (uint64_t)i);
        ck_assert_int_eq(r.steps, 1000);
        ck_assert(r.truncated);
        ck_assert_int_eq(r.nmetrics, 1);
        ck_assert_str_eq(r.metric_name[0], "speed");
        *ret += r.ret / episodes;
        *speed += r.metric[0] / episodes;
    }
    close_sim(&x, &s);
}

START_TEST(ncap_swims_forward) {
    const char *sizes[] = {"6", "9", "12"};
    for (int k = 0; k < 3; k++) {
        double ret, speed;
        swim(sizes[k], 3, &ret, &speed);
        fprintf(stderr, "n_bodies %s: mean return %.2f, mean forward speed %.4f m/s\n", sizes[k], ret, speed);
        /* Forward, not just wiggling: a clear positive speed and reward. */
        ck_assert_msg(speed > 0.02, "n_bodies %s: speed %g", sizes[k], speed);
        ck_assert_msg(ret > 200, "n_bodies %s: return %g", sizes[k], ret);
    }
}
END_TEST

/* Fingerprint of an episode's start: the full observation after step 1. */
static void fingerprint(const char *seed, uint64_t episode, double *out, size_t cap, size_t *len) {
    char set[64];
    snprintf(set, sizeof set, "run.seed=%s", seed);
    const char *sets[] = {set, "run.max_steps=1"};
    experiment x;
    sim s;
    open_sim(&x, &s, sets, 2);
    run_episode(&s, episode);
    /* The obs port (joints ++ velocities) after the first step. */
    instance *body = sim_find(&s, "body");
    int k = instance_port(body, ANIMAT_PORT_OUT, "obs");
    ck_assert_int_ge(k, 0);
    const double *obs = body->bufs[ANIMAT_PORT_OUT][k];
    *len = 23 < cap ? 23 : cap;
    memcpy(out, obs, *len * sizeof *out);
    close_sim(&x, &s);
}

START_TEST(same_seed_bit_identical) {
    double a[23], b[23], c[23], d[23];
    size_t n;
    fingerprint("5", 0, a, 23, &n);
    fingerprint("5", 0, b, 23, &n);
    fingerprint("6", 0, c, 23, &n);
    fingerprint("5", 1, d, 23, &n);
    ck_assert_int_eq(memcmp(a, b, sizeof a), 0);
    ck_assert_int_ne(memcmp(a, c, sizeof a), 0); /* another seed */
    ck_assert_int_ne(memcmp(a, d, sizeof a), 0); /* another episode */
}
END_TEST

START_TEST(full_episode_bit_identical) {
    /* Two separate simulations, same seed, 2 episodes: returns and final
     * observations identical to the last bit. */
    double ret[2][2], fin[2][23];
    for (int run = 0; run < 2; run++) {
        const char *sets[] = {"run.seed=11"};
        experiment x;
        sim s;
        open_sim(&x, &s, sets, 1);
        for (int ep = 0; ep < 2; ep++) {
            sim_result r = run_episode(&s, (uint64_t)ep);
            ret[run][ep] = r.ret;
        }
        instance *body = sim_find(&s, "body");
        int k = instance_port(body, ANIMAT_PORT_OUT, "obs");
        memcpy(fin[run], body->bufs[ANIMAT_PORT_OUT][k], sizeof fin[run]);
        close_sim(&x, &s);
    }
    ck_assert_int_eq(memcmp(ret[0], ret[1], sizeof ret[0]), 0);
    ck_assert_int_eq(memcmp(fin[0], fin[1], sizeof fin[0]), 0);
    ck_assert(ret[0][0] != ret[0][1]); /* episodes differ from each other */
}
END_TEST

START_TEST(zero_action_returns_zero) {
    /* Leave body.act.motors unwired: the host feeds it zeros. */
    const char *sets[] = {"wiring=[\"body.obs.joints -> circuit.in.joints\"]"};
    experiment x;
    sim s;
    open_sim(&x, &s, sets, 1);
    sim_result r = run_episode(&s, 0);
    ck_assert_int_eq(r.steps, 1000);
    ck_assert(r.ret == 0.0);
    ck_assert(r.metric[0] == 0.0);
    close_sim(&x, &s);
}
END_TEST

START_TEST(theta_from_file_is_used) {
    /* All weights zero: every neuron silent, so no action and no reward. */
    const char *sets[] = {"circuit.theta=[0, 0, 0, 0]"};
    experiment x;
    sim s;
    open_sim(&x, &s, sets, 1);
    double th[4];
    errmsg e;
    errmsg_clear(&e);
    ck_assert_int_eq(sim_get_theta(&s, th, &e), 0);
    ck_assert(th[0] == 0 && th[1] == 0 && th[2] == 0 && th[3] == 0);
    sim_result r = run_episode(&s, 0);
    ck_assert_msg(r.ret == 0.0, "return %g", r.ret);
    close_sim(&x, &s);
}
END_TEST

int main(void) {
    const char *src = getenv("ANIMAT_SRC");
    if (!src) return 1;
    snprintf(example, sizeof example, "%s/examples/swimmer-ncap.yaml", src);
    Suite *s = suite_create("swim");
    TCase *t = tcase_create("ncap-swimmer");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, ncap_swims_forward);
    tcase_add_test(t, same_seed_bit_identical);
    tcase_add_test(t, full_episode_bit_identical);
    tcase_add_test(t, zero_action_returns_zero);
    tcase_add_test(t, theta_from_file_is_used);
    suite_add_tcase(s, t);
    return ck_run(s);
}
