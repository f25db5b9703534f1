/* test_ncap_elig.c -- Check tests for the NCAP circuit's plasticity extension
 * ("animat.plasticity/1"), through the plugin API only (NCAP_SO). Facts:
 * the NCAP paper's circuit; the eligibility of a theta entry is the sum over
 * its synapses of pre * post in the last step (animat/circuit.h).
 * Random test inputs come from a GSL generator.
 */
#include <check.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "testhost.h"

#define NJ 5          /* the reference swimmer: 5 joints */
#define NU (6 * NJ)   /* unshared theta length */

/* The plugin under test, loaded once per process. */
static const animat_plugin_desc *desc(void) { return th_load_env("NCAP_SO"); }

static const animat_circuit_api *api(void) { return desc()->api; }

/* A host with n_joints = NJ, `shared` and `sign` (sign constraints). */
static th_host *host(int shared, int sign) {
    th_host *t = th_new(desc(), "circuit", 1);
    th_set_real(t, "n_joints", NJ);
    th_set_real(t, "shared", shared);
    th_set_real(t, "sign_constraints", sign);
    return t;
}

/* Create an instance on `t` and reset it; fails the test on NULL. */
static void *make(th_host *t) {
    return th_circuit(t, api());
}

/* The plasticity table of `c` (fails the test when absent). */
static const animat_plasticity_ext *plast(void *c) {
    ck_assert_ptr_nonnull(api()->extension);
    const animat_plasticity_ext *x = api()->extension(c, ANIMAT_EXT_PLASTICITY);
    ck_assert_ptr_nonnull(x);
    return x;
}

/* One control step from `angles`; the actions are discarded. */
static void step(void *c, const double *angles) {
    double act[NJ];
    const double *in[1] = {angles};
    double *out[1] = {act};
    ck_assert_int_eq(api()->step(c, in, out, 0.03), ANIMAT_OK);
}

/* Eligibility of `c` into `e` (n doubles), pre-filled with garbage. */
static void elig(void *c, double *e, uint32_t n) {
    for (uint32_t k = 0; k < n; k++) e[k] = 7.0;
    ck_assert_int_eq(plast(c)->eligibility(c, e, n), ANIMAT_OK);
}

static void assert_vec(const double *got, const double *want, uint32_t n) {
    for (uint32_t k = 0; k < n; k++)
        ck_assert_msg(got[k] == want[k], "entry %u: got %.17g, want %.17g", k, got[k], want[k]);
}

/* Same angles as tests/circuits/test_ncap.c: q = angle / (2 pi / 6) =
 * {0.5, -0.25, 0.125, -1 (clamped from -4), 0.5}, so
 * qd = {0.5, 0, 0.125, 0, 0.5} and qv = {0, 0.25, 0, 1, 0}. */
static void hand_angles(double *a) {
    const double u = 2.0 * M_PI / (NJ + 1);
    const double k[NJ] = {0.5, -0.25, 0.125, -4.0, 0.5};
    for (int i = 0; i < NJ; i++) a[i] = k[i] * u;
}

/* Unshared theta that broadcasts a shared (prop, osc, ipsi, contra). */
static void broadcast(double prop, double osc, double ipsi, double contra, double *th) {
    for (int i = 0; i < NJ; i++) {
        double *ti = th + 6 * i;
        ti[0] = ti[1] = i == 0 ? osc : prop;
        ti[2] = ti[3] = ipsi;
        ti[4] = ti[5] = contra;
    }
}

/* Descriptor version, extension lookup by id, argument checks. */
START_TEST(test_lookup) {
    ck_assert_str_eq(desc()->version, "1.1.0");
    ck_assert_uint_ge(api()->struct_size,
                      offsetof(animat_circuit_api, extension) + sizeof(void *));
    th_host *t = host(1, 1);
    void *c = make(t);
    const animat_plasticity_ext *x = plast(c);
    ck_assert_uint_eq(x->struct_size, sizeof(animat_plasticity_ext));
    ck_assert_ptr_nonnull(x->eligibility);
    ck_assert_ptr_null(api()->extension(c, "nope"));
    ck_assert_ptr_null(api()->extension(c, "animat.plasticity/2"));
    ck_assert_ptr_null(api()->extension(c, "animat.plasticity"));
    ck_assert_ptr_null(api()->extension(c, NULL));
    double e[NU];
    ck_assert_int_eq(x->eligibility(c, e, 5), ANIMAT_ERROR);
    ck_assert_ptr_nonnull(strstr(th_last_error(t), "expected 4"));
    ck_assert_int_eq(x->eligibility(c, NULL, 4), ANIMAT_ERROR);
    api()->destroy(c);
    th_free(t);
}
END_TEST

/* All zeros after create and after reset, until the next step. */
START_TEST(test_zeros_after_reset) {
    double ang[NJ], e[NU], zero[NU] = {0};
    hand_angles(ang);
    for (int shared = 0; shared <= 1; shared++) {
        uint32_t n = shared ? 4 : NU;
        th_host *t = host(shared, 1);
        void *c = api()->create(th_table(t));
        ck_assert_ptr_nonnull(c);
        elig(c, e, n); /* before any reset */
        assert_vec(e, zero, n);
        ck_assert_int_eq(api()->reset(c, 0), ANIMAT_OK);
        elig(c, e, n);
        assert_vec(e, zero, n);
        for (int s = 0; s < 37; s++) step(c, ang);
        elig(c, e, n);
        ck_assert(e[1] == 1.0); /* w_osc, or j0.osc_v: ov bv0 in the ventral half */
        ck_assert_int_eq(api()->reset(c, 0), ANIMAT_OK);
        elig(c, e, n);
        assert_vec(e, zero, n);
        api()->destroy(c);
        th_free(t);
    }
}
END_TEST

/* Default theta (1, 1, 1, -1), hand angles, step 0 (od = 1, ov = 0).
 * Activities per joint (pre_d, pre_v; bd, bv; md = g(bd - bv), mv = g(bv - bd)):
 *   j0: pre = (od, ov) = (1, 0);   bd = 1,     bv = 0;    md = 1,     mv = 0
 *   j1: pre = (qd0, qv0) = (0.5, 0); bd = 0.5, bv = 0;    md = 0.5,   mv = 0
 *   j2: pre = (0, 0.25);           bd = 0,     bv = 0.25; md = 0,     mv = 0.25
 *   j3: pre = (0.125, 0);          bd = 0.125, bv = 0;    md = 0.125, mv = 0
 *   j4: pre = (0, 1);              bd = 0,     bv = 1;    md = 0,     mv = 1
 * Unshared, per joint (in_d, in_v, ipsi_d, ipsi_v, contra_d = bv md,
 * contra_v = bd mv): j0 (1, 0, 1, 0, 0, 0), j1 (0.25, 0, 0.25, 0, 0, 0),
 * j2 (0, 0.0625, 0, 0.0625, 0, 0), j3 (0.015625, 0, 0.015625, 0, 0, 0),
 * j4 (0, 1, 0, 1, 0, 0). Shared: w_prop = 0.25 + 0.0625 + 0.015625 + 1 =
 * 1.328125; w_osc = 1; w_ipsi = 1 + 1.328125 = 2.328125; w_contra = 0 (under
 * sign constraints bd and bv are never both > 0, so no contra term).
 * Step 30 (od = 0, ov = 1): j0 becomes pre = (0, 1), bv = 1, mv = 1, so
 * j0 = (0, 1, 0, 1, 0, 0) and the shared values are unchanged. */
START_TEST(test_hand_default) {
    static const double want_u0[NU] = {
        1, 0, 1, 0, 0, 0,  0.25, 0, 0.25, 0, 0, 0,  0, 0.0625, 0, 0.0625, 0, 0,
        0.015625, 0, 0.015625, 0, 0, 0,  0, 1, 0, 1, 0, 0};
    static const double want_s[4] = {1.328125, 1, 2.328125, 0};
    double ang[NJ], e[NU], want_u30[NU];
    hand_angles(ang);
    memcpy(want_u30, want_u0, sizeof want_u30);
    want_u30[0] = 0, want_u30[1] = 1, want_u30[2] = 0, want_u30[3] = 1;
    for (int shared = 0; shared <= 1; shared++) {
        uint32_t n = shared ? 4 : NU;
        th_host *t = host(shared, 1);
        void *c = make(t);
        step(c, ang);
        elig(c, e, n);
        assert_vec(e, shared ? want_s : want_u0, n);
        elig(c, e, n); /* reading twice gives the same */
        assert_vec(e, shared ? want_s : want_u0, n);
        for (int s = 1; s <= 30; s++) step(c, ang);
        elig(c, e, n);
        assert_vec(e, shared ? want_s : want_u30, n);
        api()->destroy(c);
        th_free(t);
    }
}
END_TEST

/* Sign constraints off, theta (w_prop, w_osc, w_ipsi, w_contra) =
 * (0.5, 2.0, 0.8, +0.3): the contralateral weight now excites, so contra
 * eligibilities appear. Step 0, hand angles (md = g(bd 0.8 + bv 0.3),
 * mv = g(bv 0.8 + bd 0.3); products by powers of two are exact):
 *   j0: pre (1, 0);     bd = g(2) = 1,         bv = 0;     md = 0.8,        mv = 0.3
 *   j1: pre (0.5, 0);   bd = 0.25,             bv = 0;     md = 0.25*0.8,   mv = 0.25*0.3
 *   j2: pre (0, 0.25);  bd = 0,                bv = 0.125; md = 0.125*0.3,  mv = 0.125*0.8
 *   j3: pre (0.125, 0); bd = 0.0625,           bv = 0;     md = 0.0625*0.8, mv = 0.0625*0.3
 *   j4: pre (0, 1);     bd = 0,                bv = 0.5;   md = 0.5*0.3,    mv = 0.5*0.8
 * Shared sums are accumulated joint by joint, d + v per joint, as the
 * plugin documents (so the comparison is exact). */
START_TEST(test_hand_unconstrained) {
    const double want_u[NU] = {
        1, 0, 0.8, 0, 0, 0.3,
        0.125, 0, 0.25 * (0.25 * 0.8), 0, 0, 0.25 * (0.25 * 0.3),
        0, 0.03125, 0, 0.125 * (0.125 * 0.8), 0.125 * (0.125 * 0.3), 0,
        0.0078125, 0, 0.0625 * (0.0625 * 0.8), 0, 0, 0.0625 * (0.0625 * 0.3),
        0, 0.5, 0, 0.5 * (0.5 * 0.8), 0.5 * (0.5 * 0.3), 0};
    double want_s[4] = {0, 0, 0, 0};
    for (int i = 0; i < NJ; i++) {
        const double *u = want_u + 6 * i;
        want_s[i == 0 ? 1 : 0] += u[0] + u[1];
        want_s[2] += u[2] + u[3];
        want_s[3] += u[4] + u[5];
    }
    ck_assert(want_s[0] == 0.6640625 && want_s[1] == 1.0); /* dyadic: exact */
    double ang[NJ], e[NU], th[NU];
    hand_angles(ang);
    for (int shared = 0; shared <= 1; shared++) {
        uint32_t n = shared ? 4 : NU;
        th_host *t = host(shared, 0);
        void *c = make(t);
        if (shared) memcpy(th, (double[4]){0.5, 2.0, 0.8, 0.3}, sizeof(double) * 4);
        else broadcast(0.5, 2.0, 0.8, 0.3, th);
        ck_assert_int_eq(api()->set_theta(c, th, n), ANIMAT_OK);
        step(c, ang);
        elig(c, e, n);
        assert_vec(e, shared ? want_s : want_u, n);
        api()->destroy(c);
        th_free(t);
    }
}
END_TEST

/* Ablations, default theta, hand angles, step 0. Proprioception off: the
 * B-neurons of joints > 0 get pre = 0, so joints 1..4 are all 0 and only j0
 * remains (shared: w_prop = 0, w_osc = 1, w_ipsi = 1). Oscillator off: j0
 * gets pre = 0 and is all 0; joints 1..4 keep their values from
 * test_hand_default (shared: w_prop = 1.328125, w_osc = 0,
 * w_ipsi = 1.328125), in either oscillator half. */
START_TEST(test_ablations) {
    static const double full_u[NU] = {
        1, 0, 1, 0, 0, 0,  0.25, 0, 0.25, 0, 0, 0,  0, 0.0625, 0, 0.0625, 0, 0,
        0.015625, 0, 0.015625, 0, 0, 0,  0, 1, 0, 1, 0, 0};
    double ang[NJ], e[NU], want[NU];
    hand_angles(ang);
    for (int shared = 0; shared <= 1; shared++) {
        uint32_t n = shared ? 4 : NU;
        /* proprioception off */
        th_host *t = host(shared, 1);
        th_set_real(t, "proprioception", 0);
        void *c = make(t);
        step(c, ang);
        elig(c, e, n);
        memset(want, 0, sizeof want);
        if (shared) memcpy(want, (double[4]){0, 1, 1, 0}, sizeof(double) * 4);
        else memcpy(want, full_u, sizeof(double) * 6);
        assert_vec(e, want, n);
        api()->destroy(c);
        th_free(t);
        /* oscillator off, both halves of the period */
        t = host(shared, 1);
        th_set_real(t, "oscillator", 0);
        c = make(t);
        if (shared) memcpy(want, (double[4]){1.328125, 0, 1.328125, 0}, sizeof(double) * 4);
        else {
            memcpy(want, full_u, sizeof want);
            memset(want, 0, sizeof(double) * 6);
        }
        for (int s = 0; s < 31; s++) {
            step(c, ang);
            if (s == 0 || s == 30) {
                elig(c, e, n);
                assert_vec(e, want, n);
            }
        }
        api()->destroy(c);
        th_free(t);
    }
}
END_TEST

/* For the same state (broadcast theta, same angles and phase), each shared
 * eligibility equals the sum of the unshared eligibilities of its kind,
 * summed joint by joint, d + v per joint: w_osc <- j0 in_d + in_v; w_prop <-
 * joints > 0 in_d + in_v; w_ipsi <- ipsi_d + ipsi_v; w_contra <- contra_d +
 * contra_v. Random theta (wrong signs included), angles and phases; sign
 * constraints on and off. */
START_TEST(test_shared_is_unshared_sum) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 2024);
    double th4[4], th[NU], ang[NJ], es[4], eu[NU];
    int nonzero[4] = {0, 0, 0, 0};
    for (int sign = 0; sign <= 1; sign++) {
        th_host *ts = host(1, sign), *tu = host(0, sign);
        void *cs = make(ts), *cu = make(tu);
        for (int trial = 0; trial < 300; trial++) {
            for (int k = 0; k < 4; k++) th4[k] = 4.0 * gsl_rng_uniform(r) - 1.5;
            if (gsl_rng_uniform(r) < 0.5) th4[3] = -th4[3];
            broadcast(th4[0], th4[1], th4[2], th4[3], th);
            ck_assert_int_eq(api()->set_theta(cs, th4, 4), ANIMAT_OK);
            ck_assert_int_eq(api()->set_theta(cu, th, NU), ANIMAT_OK);
            ck_assert_int_eq(api()->reset(cs, 0), ANIMAT_OK);
            ck_assert_int_eq(api()->reset(cu, 0), ANIMAT_OK);
            int steps = 1 + (int)gsl_rng_uniform_int(r, 120);
            for (int s = 0; s < steps; s++) {
                for (int i = 0; i < NJ; i++) ang[i] = 3.0 * gsl_rng_uniform(r) - 1.5;
                step(cs, ang);
                step(cu, ang);
            }
            elig(cs, es, 4);
            elig(cu, eu, NU);
            double sum[4] = {0, 0, 0, 0};
            for (int i = 0; i < NJ; i++) {
                const double *u = eu + 6 * i;
                sum[i == 0 ? 1 : 0] += u[0] + u[1];
                sum[2] += u[2] + u[3];
                sum[3] += u[4] + u[5];
            }
            assert_vec(es, sum, 4);
            for (int k = 0; k < 4; k++) nonzero[k] += es[k] != 0.0;
        }
        api()->destroy(cs);
        api()->destroy(cu);
        th_free(ts);
        th_free(tu);
    }
    /* the comparison was not vacuous for any kind */
    for (int k = 0; k < 4; k++) ck_assert_int_gt(nonzero[k], 10);
    gsl_rng_free(r);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("ncap_elig");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_lookup);
    tcase_add_test(tc, test_zeros_after_reset);
    tcase_add_test(tc, test_hand_default);
    tcase_add_test(tc, test_hand_unconstrained);
    tcase_add_test(tc, test_ablations);
    tcase_add_test(tc, test_shared_is_unshared_sum);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    return ck_run(suite());
}
