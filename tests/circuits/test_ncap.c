/* test_ncap.c -- Check tests for the NCAP circuit plugin (NCAP_SO) and its
 * maths module (ncap_math.c, compiled in). Facts: the NCAP paper's circuit.
 * Random test inputs come from a GSL generator, never from a home-made RNG.
 */
#include <check.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "ncap_math.h"
#include "testhost.h"

#define NJ 5 /* the reference swimmer: 6 bodies, 5 joints */

/* The plugin under test, loaded once per process. */
static const animat_plugin_desc *desc(void) { return th_load_env("NCAP_SO"); }

static const animat_circuit_api *api(void) { return desc()->api; }

/* A host with n_joints = NJ (other parameters at their defaults). */
static th_host *host(uint64_t seed) {
    th_host *t = th_new(desc(), "circuit", seed);
    th_set_real(t, "n_joints", NJ);
    return t;
}

/* Create an instance on `t` and reset it; fails the test on NULL. */
static void *make(th_host *t) {
    return th_circuit(t, api());
}

/* One control step from `angles` into `act`. */
static void step(void *c, const double *angles, double *act) {
    const double *in[1] = {angles};
    double *out[1] = {act};
    ck_assert_int_eq(api()->step(c, in, out, 0.03), ANIMAT_OK);
}

/* Set a shared 4-entry theta. */
static void set4(void *c, double prop, double osc, double ipsi, double contra) {
    double th[4] = {prop, osc, ipsi, contra};
    ck_assert_int_eq(api()->set_theta(c, th, 4), ANIMAT_OK);
}

static void assert_act(const double *got, const double *want, int n) {
    for (int i = 0; i < n; i++)
        ck_assert_msg(got[i] == want[i], "joint %d: got %.17g, want %.17g", i, got[i], want[i]);
}

/* Angles used by the hand computations: multiples of the normalisation unit
 * u = 2 pi / (NJ + 1) by powers of two, so q = angle / u is exact:
 * q = {0.5, -0.25, 0.125, -1 (clamped from -4), 0.5}. */
static void hand_angles(double *a) {
    const double u = 2.0 * M_PI / (NJ + 1);
    const double k[NJ] = {0.5, -0.25, 0.125, -4.0, 0.5};
    for (int i = 0; i < NJ; i++) a[i] = k[i] * u;
}

START_TEST(test_descriptor) {
    const animat_plugin_desc *d = desc();
    ck_assert_uint_eq(d->kind, ANIMAT_KIND_CIRCUIT);
    ck_assert_str_eq(d->name, "ncap");
    ck_assert_str_eq(d->version, "1.1.0");
    ck_assert_uint_eq(d->n_params, 7);
    for (uint32_t k = 0; k < d->n_params; k++) {
        ck_assert_ptr_nonnull(d->params[k].unit);
        ck_assert_ptr_nonnull(d->params[k].doc);
    }
    th_host *t = host(1);
    void *c = make(t);
    uint32_t n;
    const animat_port_info *p = api()->ports(c, ANIMAT_PORT_IN, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(p->name, "joints");
    ck_assert_uint_eq(p->size, NJ);
    p = api()->ports(c, ANIMAT_PORT_OUT, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(p->name, "muscles");
    ck_assert_uint_eq(p->size, NJ);
    api()->destroy(c);
    api()->destroy(NULL);
    th_free(t);
}
END_TEST

START_TEST(test_math_primitives) {
    ck_assert(ncap_exc(-0.5, 1) == 0.0 && ncap_exc(0.7, 1) == 0.7 && ncap_exc(-0.5, 0) == -0.5);
    ck_assert(ncap_inh(0.5, 1) == 0.0 && ncap_inh(-0.7, 1) == -0.7 && ncap_inh(0.5, 0) == 0.5);
    ck_assert(ncap_graded(-2.0) == 0.0 && ncap_graded(0.3) == 0.3 && ncap_graded(7.0) == 1.0);
    ck_assert_uint_eq(ncap_theta_count(5, 1), 4);
    ck_assert_uint_eq(ncap_theta_count(5, 0), 30);
    double od, ov;
    ncap_oscillator(29, 60, &od, &ov);
    ck_assert(od == 1.0 && ov == 0.0);
    ncap_oscillator(30, 60, &od, &ov);
    ck_assert(od == 0.0 && ov == 1.0);
    ncap_oscillator(60, 60, &od, &ov);
    ck_assert(od == 1.0 && ov == 0.0);
}
END_TEST

/* Default weights (w_prop, w_osc, w_ipsi, w_contra) = (1, 1, 1, -1).
 * q = {0.5, -0.25, 0.125, -1, 0.5}: qd = {0.5, 0, 0.125, 0, 0.5},
 * qv = {0, 0.25, 0, 1, 0}. Muscles: md = g(bd - bv), mv = g(bv - bd).
 * Step 0 (od = 1, ov = 0):
 *   j0: bd = g(1*1) = 1,        bv = 0    -> a = 1 - 0 = 1
 *   j1: bd = g(qd0*1) = 0.5,    bv = 0    -> a = 0.5
 *   j2: bd = 0, bv = g(qv1*1) = 0.25      -> a = 0 - 0.25 = -0.25
 *   j3: bd = g(qd2) = 0.125,    bv = 0    -> a = 0.125
 *   j4: bd = 0, bv = g(qv3) = 1           -> a = -1
 * Step 30 (od = 0, ov = 1): only j0 changes: bd = 0, bv = 1 -> a = -1. */
START_TEST(test_hand_default) {
    th_host *t = host(1);
    void *c = make(t);
    double ang[NJ], act[NJ];
    hand_angles(ang);
    step(c, ang, act);
    assert_act(act, (double[NJ]){1.0, 0.5, -0.25, 0.125, -1.0}, NJ);
    for (int s = 1; s < 30; s++) step(c, ang, act);
    step(c, ang, act); /* t = 30 */
    assert_act(act, (double[NJ]){-1.0, 0.5, -0.25, 0.125, -1.0}, NJ);
    api()->destroy(c);
    th_free(t);
}
END_TEST

/* theta = (w_prop, w_osc, w_ipsi, w_contra) = (0.5, 2.0, 0.8, -0.3), step 0:
 *   j0: bd = g(1*2.0) = 1, bv = 0;  md = g(1*0.8 + 0*-0.3) = 0.8,
 *       mv = g(0*0.8 + 1*-0.3) = 0                         -> a = 0.8
 *   j1: bd = g(0.5*0.5) = 0.25, bv = 0; md = g(0.25*0.8) = 0.2,
 *       mv = g(0.25*-0.3) = 0                              -> a = 0.25*0.8
 *   j2: bd = 0, bv = g(0.25*0.5) = 0.125; md = g(0.125*-0.3) = 0,
 *       mv = g(0.125*0.8) = 0.1                            -> a = -(0.125*0.8)
 *   j3: bd = g(0.125*0.5) = 0.0625, bv = 0                 -> a = 0.0625*0.8
 *   j4: bd = 0, bv = g(1*0.5) = 0.5                         -> a = -(0.5*0.8)
 * (products by powers of two are exact, so 0.25*0.8 == 0.2 etc.) */
START_TEST(test_hand_custom) {
    th_host *t = host(1);
    void *c = make(t);
    set4(c, 0.5, 2.0, 0.8, -0.3);
    double ang[NJ], act[NJ];
    hand_angles(ang);
    step(c, ang, act);
    assert_act(act, (double[NJ]){0.8, 0.25 * 0.8, -(0.125 * 0.8), 0.0625 * 0.8, -(0.5 * 0.8)},
               NJ);
    ck_assert(act[1] == 0.2 && act[2] == -0.1 && act[3] == 0.05 && act[4] == -0.4);
    api()->destroy(c);
    th_free(t);
}
END_TEST

/* sign_constraints = 0 makes wrong-signed weights act:
 * theta = (0.5, 2.0, 0.8, +0.3): the "inhibitory" weight now excites the
 * opposite muscle. Step 0:
 *   j0: bd = 1, bv = 0: md = g(0.8), mv = g(1*0.3) = 0.3   -> a = 0.8 - 0.3
 *   j1: bd = 0.25: md = g(0.25*0.8), mv = g(0.25*0.3)      -> a = 0.25*0.8 - 0.25*0.3
 *   j2: bv = 0.125: md = g(0.125*0.3), mv = g(0.125*0.8)   -> a = 0.125*0.3 - 0.125*0.8
 * With constraints on, inh(+0.3) = 0 and the result is test_hand_custom's
 * first joints (0.8, 0.2, -0.1). */
START_TEST(test_unconstrained_hand) {
    th_host *t = host(1);
    th_set_real(t, "sign_constraints", 0);
    void *c = make(t);
    set4(c, 0.5, 2.0, 0.8, 0.3);
    double ang[NJ], act[NJ];
    hand_angles(ang);
    step(c, ang, act);
    ck_assert(act[0] == 0.8 - 0.3);
    ck_assert(act[1] == 0.25 * 0.8 - 0.25 * 0.3);
    ck_assert(act[2] == 0.125 * 0.3 - 0.125 * 0.8);
    api()->destroy(c);
    th_free(t);
    /* same theta under constraints */
    t = host(1);
    c = make(t);
    set4(c, 0.5, 2.0, 0.8, 0.3);
    step(c, ang, act);
    ck_assert(act[0] == 0.8 && act[1] == 0.2 && act[2] == -0.1);
    api()->destroy(c);
    th_free(t);
}
END_TEST

/* Flipping the signs of w_ipsi and w_contra: without constraints the
 * sign relationship between B-neurons and muscles inverts (every action is
 * negated); with constraints both weights clip to 0 (all actions 0). A
 * negative w_prop cannot flip anything: the B-neuron's graded clamp already
 * zeroes qd*w_prop < 0, so it silences joints > 0 in both modes. */
START_TEST(test_sign_flip) {
    double ang[NJ], act[NJ];
    hand_angles(ang);
    for (int sc = 0; sc <= 1; sc++) {
        th_host *t = host(1);
        th_set_real(t, "sign_constraints", sc);
        void *c = make(t);
        set4(c, 1.0, 1.0, -1.0, 1.0);
        step(c, ang, act);
        if (sc) assert_act(act, (double[NJ]){0, 0, 0, 0, 0}, NJ);
        else assert_act(act, (double[NJ]){-1.0, -0.5, 0.25, -0.125, 1.0}, NJ);
        /* negative w_prop: joint 0 still follows the oscillator */
        set4(c, -1.0, 1.0, 1.0, -1.0);
        ck_assert_int_eq(api()->reset(c, 0), ANIMAT_OK);
        step(c, ang, act);
        assert_act(act, (double[NJ]){1.0, 0, 0, 0, 0}, NJ);
        api()->destroy(c);
        th_free(t);
    }
}
END_TEST

/* Random (often wrong-signed) theta: effective weights obey exc >= 0 and
 * inh <= 0, and actions stay in [-1, 1], shared and unshared. */
START_TEST(test_sign_constraints_random) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 42);
    double theta[6 * NJ], w[6 * NJ], ang[NJ], act[NJ];
    for (int shared = 0; shared <= 1; shared++) {
        th_host *t = host(3);
        th_set_real(t, "shared", shared);
        void *c = make(t);
        uint32_t n = ncap_theta_count(NJ, shared);
        for (int trial = 0; trial < 500; trial++) {
            for (uint32_t k = 0; k < n; k++) theta[k] = 6.0 * gsl_rng_uniform(r) - 3.0;
            /* maths level */
            ncap_expand(NJ, shared, 1, theta, w);
            for (uint32_t k = 0; k < 6 * NJ; k++) {
                if (k % 6 >= NCAP_CONTRA_D) ck_assert(w[k] <= 0.0);
                else ck_assert(w[k] >= 0.0);
            }
            /* plugin level, at a random phase */
            ck_assert_int_eq(api()->set_theta(c, theta, n), ANIMAT_OK);
            for (int i = 0; i < NJ; i++) ang[i] = 8.0 * gsl_rng_uniform(r) - 4.0;
            int s = (int)gsl_rng_uniform_int(r, 60);
            ck_assert_int_eq(api()->reset(c, 0), ANIMAT_OK);
            for (int k = 0; k <= s; k++) step(c, ang, act);
            for (int i = 0; i < NJ; i++) ck_assert(act[i] >= -1.0 && act[i] <= 1.0);
        }
        api()->destroy(c);
        th_free(t);
    }
    gsl_rng_free(r);
}
END_TEST

/* Mirror symmetry: negated angles at the opposite oscillator phase
 * (t + period/2) give exactly negated actions. */
START_TEST(test_mirror) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    th_host *t = host(5);
    th_set_choice(t, "init", "random");
    void *c = make(t);
    double ang[NJ], neg[NJ], a[NJ], b[NJ], zero[NJ] = {0};
    for (int trial = 0; trial < 1000; trial++) {
        if (trial == 500) set4(c, 1.0, 1.0, 1.0, -1.0);
        for (int i = 0; i < NJ; i++) {
            ang[i] = 5.0 * gsl_rng_uniform(r) - 2.5; /* some beyond the clamp */
            neg[i] = -ang[i];
        }
        int s = (int)gsl_rng_uniform_int(r, 30);
        ck_assert_int_eq(api()->reset(c, 0), ANIMAT_OK);
        for (int k = 0; k < s; k++) step(c, zero, a);
        step(c, ang, a); /* t = s */
        for (int k = s + 1; k < s + 30; k++) step(c, zero, b);
        step(c, neg, b); /* t = s + 30 */
        for (int i = 0; i < NJ; i++)
            ck_assert_msg(b[i] == -a[i], "trial %d joint %d: %.17g vs %.17g", trial, i, b[i],
                          a[i]);
    }
    api()->destroy(c);
    th_free(t);
    gsl_rng_free(r);
}
END_TEST

/* Oscillator: with zero angles only joint 0 moves, as a square wave of
 * period 60 (+1 for steps 0..29, -1 for 30..59); reset restarts the phase;
 * an odd period P gives P/2 (rounded down) dorsal steps. */
START_TEST(test_oscillator) {
    th_host *t = host(1);
    void *c = make(t);
    double zero[NJ] = {0}, act[NJ];
    for (int s = 0; s < 180; s++) {
        step(c, zero, act);
        ck_assert_msg(act[0] == ((s % 60) < 30 ? 1.0 : -1.0), "step %d: %g", s, act[0]);
        for (int i = 1; i < NJ; i++) ck_assert(act[i] == 0.0);
    }
    /* reset in the ventral half restarts at dorsal */
    for (int s = 0; s < 45; s++) step(c, zero, act);
    ck_assert(act[0] == -1.0);
    ck_assert_int_eq(api()->reset(c, 0), ANIMAT_OK);
    step(c, zero, act);
    ck_assert(act[0] == 1.0);
    api()->destroy(c);
    th_free(t);
    /* odd period 7: 3 dorsal steps, 4 ventral */
    t = host(1);
    th_set_real(t, "osc_period", 7);
    c = make(t);
    const double want[14] = {1, 1, 1, -1, -1, -1, -1, 1, 1, 1, -1, -1, -1, -1};
    for (int s = 0; s < 14; s++) {
        step(c, zero, act);
        ck_assert(act[0] == want[s]);
    }
    api()->destroy(c);
    th_free(t);
}
END_TEST

/* Ablations: proprioception off silences joints > 0; with the oscillator
 * also off everything is 0; oscillator off with zero angles gives 0; the
 * oscillator alone off keeps proprioceptive propagation. */
START_TEST(test_ablations) {
    double ang[NJ], act[NJ], zero[NJ] = {0};
    hand_angles(ang);
    /* proprioception off, oscillator on */
    th_host *t = host(1);
    th_set_real(t, "proprioception", 0);
    void *c = make(t);
    step(c, ang, act);
    assert_act(act, (double[NJ]){1.0, 0, 0, 0, 0}, NJ);
    api()->destroy(c);
    /* both off */
    th_set_real(t, "oscillator", 0);
    c = make(t);
    for (int s = 0; s < 60; s++) {
        step(c, ang, act);
        assert_act(act, (double[NJ]){0, 0, 0, 0, 0}, NJ);
    }
    api()->destroy(c);
    th_free(t);
    /* oscillator off: zero angles -> 0; hand angles -> joint 0 silent */
    t = host(1);
    th_set_real(t, "oscillator", 0);
    c = make(t);
    for (int s = 0; s < 60; s++) {
        step(c, zero, act);
        assert_act(act, (double[NJ]){0, 0, 0, 0, 0}, NJ);
    }
    step(c, ang, act);
    assert_act(act, (double[NJ]){0.0, 0.5, -0.25, 0.125, -1.0}, NJ);
    api()->destroy(c);
    th_free(t);
}
END_TEST

/* Unshared: 6 weights per joint with the documented names and flags; the
 * default init and any broadcast shared theta reproduce the shared circuit
 * exactly. */
START_TEST(test_unshared) {
    th_host *ts = host(1), *tu = host(1);
    th_set_real(tu, "shared", 0);
    void *cs = make(ts), *cu = make(tu);
    uint32_t n;
    const animat_param_info *info = api()->theta_info(cu, &n);
    ck_assert_uint_eq(n, 30);
    const char *want[12] = {"j0.osc_d",  "j0.osc_v",  "j0.ipsi_d",  "j0.ipsi_v",
                            "j0.contra_d", "j0.contra_v", "j1.prop_d", "j1.prop_v",
                            "j1.ipsi_d", "j1.ipsi_v", "j1.contra_d", "j1.contra_v"};
    for (int k = 0; k < 12; k++) ck_assert_str_eq(info[k].name, want[k]);
    ck_assert_str_eq(info[29].name, "j4.contra_v");
    ck_assert_str_eq(info[24].name, "j4.prop_d");
    double th[30];
    ck_assert_int_eq(api()->get_theta(cu, th, 30), ANIMAT_OK);
    for (uint32_t k = 0; k < n; k++) {
        uint32_t flag = (k % 6 >= 4) ? ANIMAT_PARAM_INHIBITORY : ANIMAT_PARAM_EXCITATORY;
        ck_assert_uint_eq(info[k].flags, flag);
        ck_assert_str_eq(info[k].unit, "");
        ck_assert_ptr_nonnull(info[k].doc);
        ck_assert(th[k] == (flag == ANIMAT_PARAM_INHIBITORY ? -1.0 : 1.0));
    }
    /* identical outputs: default weights, then a broadcast custom theta */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 9);
    double ang[NJ], as[NJ], au[NJ];
    for (int phase = 0; phase < 2; phase++) {
        if (phase == 1) {
            set4(cs, 0.5, 2.0, 0.8, -0.3);
            for (int i = 0; i < NJ; i++) {
                double *ti = th + 6 * i;
                ti[0] = ti[1] = i == 0 ? 2.0 : 0.5;
                ti[2] = ti[3] = 0.8;
                ti[4] = ti[5] = -0.3;
            }
            ck_assert_int_eq(api()->set_theta(cu, th, 30), ANIMAT_OK);
        }
        ck_assert_int_eq(api()->reset(cs, 0), ANIMAT_OK);
        ck_assert_int_eq(api()->reset(cu, 0), ANIMAT_OK);
        for (int s = 0; s < 200; s++) {
            for (int i = 0; i < NJ; i++) ang[i] = 3.0 * gsl_rng_uniform(r) - 1.5;
            step(cs, ang, as);
            step(cu, ang, au);
            assert_act(au, as, NJ);
        }
    }
    gsl_rng_free(r);
    api()->destroy(cs);
    api()->destroy(cu);
    th_free(ts);
    th_free(tu);
}
END_TEST

/* Shared theta metadata: names and sign flags. */
START_TEST(test_shared_info) {
    th_host *t = host(1);
    void *c = make(t);
    uint32_t n;
    const animat_param_info *info = api()->theta_info(c, &n);
    ck_assert_uint_eq(n, 4);
    const char *names[4] = {"w_prop", "w_osc", "w_ipsi", "w_contra"};
    for (int k = 0; k < 4; k++) {
        ck_assert_str_eq(info[k].name, names[k]);
        ck_assert_uint_eq(info[k].flags,
                          k == 3 ? ANIMAT_PARAM_INHIBITORY : ANIMAT_PARAM_EXCITATORY);
        ck_assert_ptr_nonnull(info[k].doc);
    }
    double th[4];
    ck_assert_int_eq(api()->get_theta(c, th, 4), ANIMAT_OK);
    ck_assert(th[0] == 1.0 && th[1] == 1.0 && th[2] == 1.0 && th[3] == -1.0);
    api()->destroy(c);
    th_free(t);
}
END_TEST

/* n_joints = 0 takes the size from in.joints' wiring; without either,
 * create fails with the documented message. */
START_TEST(test_wiring) {
    th_host *t = th_new(desc(), "circuit", 1);
    th_set_wired(t, ANIMAT_PORT_IN, "joints", 7);
    void *c = make(t);
    uint32_t n;
    ck_assert_uint_eq(api()->ports(c, ANIMAT_PORT_IN, &n)->size, 7);
    ck_assert_uint_eq(api()->ports(c, ANIMAT_PORT_OUT, &n)->size, 7);
    api()->theta_info(c, &n);
    ck_assert_uint_eq(n, 4);
    api()->destroy(c);
    th_set_real(t, "shared", 0);
    c = make(t);
    api()->theta_info(c, &n);
    ck_assert_uint_eq(n, 42);
    api()->destroy(c);
    th_free(t);
    /* neither n_joints nor wiring */
    t = th_new(desc(), "circuit", 1);
    ck_assert_ptr_null(api()->create(th_table(t)));
    ck_assert_str_eq(th_last_error(t), "n_joints is 0 and in.joints is not wired; set n_joints");
    th_free(t);
}
END_TEST

/* Draw the initial theta of a fresh instance (seed, init, constraints). */
static void init_theta(uint64_t seed, const char *init, int sc, int shared, double *th,
                       uint32_t *n) {
    th_host *t = host(seed);
    th_set_choice(t, "init", init);
    th_set_real(t, "sign_constraints", sc);
    th_set_real(t, "shared", shared);
    void *c = make(t);
    api()->theta_info(c, n);
    ck_assert_int_eq(api()->get_theta(c, th, *n), ANIMAT_OK);
    api()->destroy(c);
    th_free(t);
}

/* Random inits: ranges by sign role, reproducible per seed, seed-dependent. */
START_TEST(test_random_init) {
    double a[30], b[30];
    uint32_t n, m;
    for (int shared = 0; shared <= 1; shared++) {
        /* sign-constrained: exc in [0,1), inh in (-1,0] */
        init_theta(11, "random", 1, shared, a, &n);
        ck_assert_uint_eq(n, shared ? 4 : 30);
        for (uint32_t k = 0; k < n; k++) {
            if (ncap_theta_role(shared, k) == NCAP_INH) ck_assert(a[k] <= 0.0 && a[k] > -1.0);
            else ck_assert(a[k] >= 0.0 && a[k] < 1.0);
        }
        init_theta(11, "random", 1, shared, b, &m);
        ck_assert_uint_eq(m, n);
        ck_assert_mem_eq(a, b, n * sizeof(double));
        init_theta(12, "random", 1, shared, b, &m);
        ck_assert(memcmp(a, b, n * sizeof(double)) != 0);
        /* unconstrained: U(-1, 1), some negative "excitatory" entries */
        init_theta(11, "random", 0, shared, a, &n);
        int neg = 0, pos = 0;
        for (uint32_t k = 0; k < n; k++) {
            ck_assert(a[k] >= -1.0 && a[k] < 1.0);
            neg += a[k] < 0.0;
            pos += a[k] > 0.0;
        }
        if (!shared) ck_assert(neg > 0 && pos > 0);
        /* random_sign: +-1 */
        init_theta(11, "random_sign", 1, shared, a, &n);
        neg = pos = 0;
        for (uint32_t k = 0; k < n; k++) {
            ck_assert(a[k] == 1.0 || a[k] == -1.0);
            neg += a[k] < 0.0;
            pos += a[k] > 0.0;
        }
        if (!shared) ck_assert(neg > 0 && pos > 0);
    }
    /* the maths of one draw */
    ck_assert(ncap_init_value(NCAP_INIT_RANDOM, NCAP_INH, 1, 0.25) == -0.25);
    ck_assert(ncap_init_value(NCAP_INIT_RANDOM, NCAP_EXC, 1, 0.25) == 0.25);
    ck_assert(ncap_init_value(NCAP_INIT_RANDOM, NCAP_EXC, 0, 0.25) == -0.5);
    ck_assert(ncap_init_value(NCAP_INIT_RANDOM_SIGN, NCAP_EXC, 1, 0.49) == -1.0);
    ck_assert(ncap_init_value(NCAP_INIT_RANDOM_SIGN, NCAP_INH, 1, 0.5) == 1.0);
}
END_TEST

/* get/set round trip; wrong sizes and non-finite values are refused and
 * leave theta unchanged. */
START_TEST(test_theta_roundtrip) {
    th_host *t = host(1);
    void *c = make(t);
    double in[4] = {0.125, -2.5, 3.0, 0.75}, out[4], big[5] = {0};
    ck_assert_int_eq(api()->set_theta(c, in, 4), ANIMAT_OK);
    ck_assert_int_eq(api()->get_theta(c, out, 4), ANIMAT_OK);
    ck_assert_mem_eq(in, out, sizeof in);
    ck_assert_int_eq(api()->set_theta(c, big, 5), ANIMAT_ERROR);
    ck_assert_ptr_nonnull(strstr(th_last_error(t), "expected 4"));
    ck_assert_int_eq(api()->set_theta(c, big, 3), ANIMAT_ERROR);
    ck_assert_int_eq(api()->get_theta(c, big, 5), ANIMAT_ERROR);
    double bad[4] = {1, NAN, 1, -1};
    ck_assert_int_eq(api()->set_theta(c, bad, 4), ANIMAT_ERROR);
    ck_assert_int_eq(api()->get_theta(c, out, 4), ANIMAT_OK);
    ck_assert_mem_eq(in, out, sizeof in);
    api()->destroy(c);
    th_free(t);
}
END_TEST

static Suite *ncap_suite(void) {
    Suite *s = suite_create("ncap");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_descriptor);
    tcase_add_test(tc, test_math_primitives);
    tcase_add_test(tc, test_hand_default);
    tcase_add_test(tc, test_hand_custom);
    tcase_add_test(tc, test_unconstrained_hand);
    tcase_add_test(tc, test_sign_flip);
    tcase_add_test(tc, test_sign_constraints_random);
    tcase_add_test(tc, test_mirror);
    tcase_add_test(tc, test_oscillator);
    tcase_add_test(tc, test_ablations);
    tcase_add_test(tc, test_unshared);
    tcase_add_test(tc, test_shared_info);
    tcase_add_test(tc, test_wiring);
    tcase_add_test(tc, test_random_init);
    tcase_add_test(tc, test_theta_roundtrip);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    return ck_run(ncap_suite());
}
