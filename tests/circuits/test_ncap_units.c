/* test_ncap_units.c -- NCAP's "animat.units/1" extension and its in.turn
 * steering input, through the plugin API (NCAP_SO):
 *   - clamping the oscillator unit to 0 from t = 0 is bit-identical to the
 *     `oscillator: false` ablation, in closed loop and on recorded inputs;
 *   - clamping joint i's B-neurons to 0 stops joint i's motor output only;
 *   - ADD, get, names, reset clearing overrides, bad overrides refused;
 *   - in.turn wired and reading zeros (or unwired) gives outputs bit-identical
 *     to the frozen ncap 1.1.0 forward pass (ncap_ref_v110.c).
 * Random inputs come from a GSL generator. */
#include <check.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "ncap_math.h"
#include "ncap_ref_v110.h"
#include "testhost.h"

#define NJ 5
#define STEPS 5000

static const animat_plugin_desc *desc(void) { return th_load_env("NCAP_SO"); }
static const animat_circuit_api *api(void) { return desc()->api; }

/* Host with n_joints = NJ and the given oscillator / shared / constraint
 * flags; `turn` wires in.turn (size 1) when nonzero. */
static th_host *host(int osc, int shared, int sc, int turn) {
    th_host *t = th_new(desc(), "circuit", 3);
    th_set_real(t, "n_joints", NJ);
    th_set_real(t, "oscillator", osc);
    th_set_real(t, "shared", shared);
    th_set_real(t, "sign_constraints", sc);
    if (turn) th_set_wired(t, ANIMAT_PORT_IN, "turn", 1);
    return t;
}

static void *make(th_host *t) {
    return th_circuit(t, api());
}

static const animat_units_ext *units(void *c) {
    const animat_units_ext *u = api()->extension(c, ANIMAT_EXT_UNITS);
    ck_assert_ptr_nonnull(u);
    ck_assert_uint_ge(u->struct_size, sizeof(animat_units_ext));
    return u;
}

/* Index of unit `name`; fails the test when absent. */
static uint32_t unit_index(void *c, const char *name) {
    uint32_t n;
    const char *const *names = units(c)->names(c, &n);
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0) return i;
    ck_abort_msg("no unit %s", name);
    return 0;
}

static void step(void *c, const double *angles, const double *turn, double *act) {
    const double *in[2] = {angles, turn};
    double *out[1] = {act};
    ck_assert_int_eq(api()->step(c, in, out, 0.03), ANIMAT_OK);
}

/* A random theta of n entries in [-2, 2] (both signs, for -0.0 products). */
static void random_theta(gsl_rng *r, void *c, uint32_t n) {
    double th[6 * NJ];
    for (uint32_t k = 0; k < n; k++) th[k] = 4.0 * gsl_rng_uniform(r) - 2.0;
    ck_assert_int_eq(api()->set_theta(c, th, n), ANIMAT_OK);
}

/* A toy closed loop: angles relax towards the actions. Pure. */
static void toy_body(double *ang, const double *act) {
    for (int i = 0; i < NJ; i++) ang[i] = 0.9 * ang[i] + 0.4 * act[i] + (i == 0 ? 0.0 : 0.05 * ang[i - 1]);
}

/* Oscillator clamped to 0 from t = 0 == oscillator: false, bit for bit:
 * in a closed loop (each instance drives its own toy body) and on recorded
 * random inputs, for shared/unshared, constrained/unconstrained, default
 * and random theta. */
START_TEST(test_osc_clamp_is_ablation) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 17);
    for (int variant = 0; variant < 8; variant++) {
        int shared = variant & 1, sc = (variant >> 1) & 1, rnd = (variant >> 2) & 1;
        th_host *ta = host(1, shared, sc, 0), *tb = host(0, shared, sc, 0);
        void *a = make(ta), *b = make(tb);
        uint32_t n;
        api()->theta_info(a, &n);
        if (rnd) {
            random_theta(r, a, n);
            double th[6 * NJ];
            ck_assert_int_eq(api()->get_theta(a, th, n), ANIMAT_OK);
            ck_assert_int_eq(api()->set_theta(b, th, n), ANIMAT_OK);
        }
        ck_assert_int_eq(units(a)->override(a, unit_index(a, "osc"), ANIMAT_UNIT_CLAMP, 0.0),
                         ANIMAT_OK);
        double ga[NJ] = {0.3, -0.2, 0.1, 0, 0}, gb[NJ], aa[NJ], ab[NJ], zero = 0.0;
        memcpy(gb, ga, sizeof ga);
        for (int s = 0; s < STEPS; s++) {
            step(a, ga, &zero, aa);
            step(b, gb, &zero, ab);
            ck_assert_msg(memcmp(aa, ab, sizeof aa) == 0, "variant %d closed loop step %d", variant, s);
            toy_body(ga, aa);
            toy_body(gb, ab);
        }
        /* recorded inputs: the same random angles into both */
        for (int s = 0; s < STEPS; s++) {
            double ang[NJ];
            for (int i = 0; i < NJ; i++) ang[i] = 4.0 * gsl_rng_uniform(r) - 2.0;
            if (s % 7 == 0) ang[s % NJ] = -0.0;
            step(a, ang, &zero, aa);
            step(b, ang, &zero, ab);
            ck_assert_msg(memcmp(aa, ab, sizeof aa) == 0, "variant %d recorded step %d", variant, s);
        }
        api()->destroy(a);
        api()->destroy(b);
        th_free(ta);
        th_free(tb);
    }
    gsl_rng_free(r);
}
END_TEST

/* Clamping b[i].d and b[i].v to 0 stops joint i's motor output (and only
 * that joint's own B-neurons: others keep moving). */
START_TEST(test_b_clamp_stops_joint) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 5);
    for (int j = 0; j < NJ; j++) {
        th_host *t = host(1, 1, 1, 0);
        void *c = make(t);
        const animat_units_ext *u = units(c);
        char nd[16], nv[16];
        snprintf(nd, sizeof nd, "b[%d].d", j);
        snprintf(nv, sizeof nv, "b[%d].v", j);
        ck_assert_int_eq(u->override(c, unit_index(c, nd), ANIMAT_UNIT_CLAMP, 0.0), ANIMAT_OK);
        ck_assert_int_eq(u->override(c, unit_index(c, nv), ANIMAT_UNIT_CLAMP, 0.0), ANIMAT_OK);
        int moved_other = 0;
        double zero = 0.0, act[NJ];
        for (int s = 0; s < 600; s++) {
            double ang[NJ];
            for (int i = 0; i < NJ; i++) ang[i] = 2.0 * gsl_rng_uniform(r) - 1.0;
            step(c, ang, &zero, act);
            ck_assert_msg(act[j] == 0.0, "joint %d step %d: %g", j, s, act[j]);
            for (int i = 0; i < NJ; i++) moved_other += i != j && act[i] != 0.0;
            double v;
            ck_assert_int_eq(u->get(c, unit_index(c, nd), &v), ANIMAT_OK);
            ck_assert(v == 0.0);
        }
        ck_assert_int_gt(moved_other, 100);
        api()->destroy(c);
        th_free(t);
    }
    gsl_rng_free(r);
}
END_TEST

/* Names (count, syntax, uniqueness), get after steps, ADD, reset clearing
 * every override, and refusal of a bad unit, mode or value. */
START_TEST(test_units_api) {
    th_host *t = host(1, 1, 1, 0);
    void *c = make(t);
    const animat_units_ext *u = units(c);
    uint32_t n;
    const char *const *names = u->names(c, &n);
    ck_assert_uint_eq(n, 1 + 4 * NJ);
    ck_assert_str_eq(names[0], "osc");
    ck_assert_str_eq(names[1], "b[0].d");
    ck_assert_str_eq(names[4 * NJ], "m[4].v");
    for (uint32_t i = 0; i < n; i++) {
        for (const char *p = names[i]; *p; p++) ck_assert(strchr("abcdefghijklmnopqrstuvwxyz0123456789_.[]", *p));
        for (uint32_t k = 0; k < i; k++) ck_assert_str_ne(names[i], names[k]);
    }
    double v, zero = 0.0, ang[NJ] = {0}, act[NJ];
    ck_assert_int_eq(u->get(c, 0, &v), ANIMAT_OK);
    ck_assert(v == 0.0); /* 0 after reset */
    step(c, ang, &zero, act);
    ck_assert_int_eq(u->get(c, 0, &v), ANIMAT_OK);
    ck_assert(v == 1.0); /* dorsal half */
    ck_assert_int_eq(u->get(c, unit_index(c, "m[0].d"), &v), ANIMAT_OK);
    ck_assert(v == 1.0 && act[0] == 1.0);
    /* ADD -0.25 to m[0].d: the action of the same step sees it */
    ck_assert_int_eq(u->override(c, unit_index(c, "m[0].d"), ANIMAT_UNIT_ADD, -0.25), ANIMAT_OK);
    step(c, ang, &zero, act);
    ck_assert(act[0] == 0.75);
    /* CLAMP the oscillator to -1: ventral drive at a dorsal phase */
    ck_assert_int_eq(u->override(c, 0, ANIMAT_UNIT_CLAMP, -1.0), ANIMAT_OK);
    step(c, ang, &zero, act);
    ck_assert(act[0] == -1.25);
    /* bad overrides */
    ck_assert_int_eq(u->override(c, n, ANIMAT_UNIT_CLAMP, 0.0), ANIMAT_ERROR);
    ck_assert_int_eq(u->override(c, 0, 7, 0.0), ANIMAT_ERROR);
    ck_assert_int_eq(u->override(c, 0, ANIMAT_UNIT_CLAMP, NAN), ANIMAT_ERROR);
    ck_assert_int_eq(u->get(c, n, &v), ANIMAT_ERROR);
    /* reset clears every override: back to the plain square wave */
    ck_assert_int_eq(api()->reset(c, 0), ANIMAT_OK);
    step(c, ang, &zero, act);
    ck_assert(act[0] == 1.0);
    api()->destroy(c);
    th_free(t);
}
END_TEST

/* in.turn: absent unless wired; wired and reading zeros (+0.0 or -0.0),
 * outputs equal the frozen 1.1.0 forward pass bit for bit over many steps
 * and random thetas of both signs; a positive turn raises the head's
 * action and leaves the other joints' inputs alone at step 0. */
START_TEST(test_turn_zero_bit_identical) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 23);
    uint32_t np;
    for (int variant = 0; variant < 4; variant++) {
        int shared = variant & 1, sc = variant >> 1;
        th_host *tw = host(1, shared, sc, 1), *tu = host(1, shared, sc, 0);
        void *cw = make(tw), *cu = make(tu);
        const animat_port_info *p = api()->ports(cw, ANIMAT_PORT_IN, &np);
        ck_assert_uint_eq(np, 2);
        ck_assert_str_eq(p[1].name, "turn");
        ck_assert_uint_eq(p[1].size, 1);
        api()->ports(cu, ANIMAT_PORT_IN, &np);
        ck_assert_uint_eq(np, 1);
        uint32_t n;
        api()->theta_info(cw, &n);
        double th[6 * NJ], w[6 * NJ];
        for (int s = 0; s < STEPS; s++) {
            if (s % 500 == 0) {
                random_theta(r, cw, n);
                ck_assert_int_eq(api()->get_theta(cw, th, n), ANIMAT_OK);
                ck_assert_int_eq(api()->set_theta(cu, th, n), ANIMAT_OK);
                ncap_expand(NJ, shared, sc, th, w);
            }
            double ang[NJ], aw[NJ], au[NJ], ar[NJ], od, ov, turn = (s & 1) ? -0.0 : 0.0;
            for (int i = 0; i < NJ; i++) ang[i] = (s % 3 == 0) ? -0.0 : 4.0 * gsl_rng_uniform(r) - 2.0;
            step(cw, ang, &turn, aw);
            step(cu, ang, NULL, au);
            ncap_oscillator((uint64_t)s, 60, &od, &ov);
            ncap_ref_forward(NJ, w, ang, od, ov, 1, ar);
            ck_assert_msg(memcmp(aw, ar, sizeof ar) == 0, "variant %d step %d: wired", variant, s);
            ck_assert_msg(memcmp(au, ar, sizeof ar) == 0, "variant %d step %d: unwired", variant, s);
        }
        api()->destroy(cw);
        api()->destroy(cu);
        th_free(tw);
        th_free(tu);
    }
    /* a ventral-phase head with a dorsal turning bias */
    th_host *t = host(1, 1, 1, 1);
    th_set_real(t, "osc_period", 2); /* step 0 dorsal, step 1 ventral */
    void *c = make(t);
    double ang[NJ] = {0}, act[NJ], turn = 0.5;
    step(c, ang, &turn, act);
    ck_assert(act[0] == 1.0); /* bd = g(1 + 0.5) = 1, bv = g(0 - 0.5) = 0 */
    step(c, ang, &turn, act);
    ck_assert(act[0] == 0.0); /* bd = g(0 + 0.5), bv = g(1 - 0.5): md = mv = 0 (was -1) */
    api()->destroy(c);
    th_free(t);
    /* a wider source still gets a 1-value port (the host then reports the
     * size mismatch in the wiring) */
    t = host(1, 1, 1, 0);
    th_set_wired(t, ANIMAT_PORT_IN, "turn", 2);
    c = make(t);
    ck_assert_uint_eq(api()->ports(c, ANIMAT_PORT_IN, &np)[1].size, 1);
    api()->destroy(c);
    th_free(t);
    gsl_rng_free(r);
}
END_TEST

int main(void) {
    Suite *s = suite_create("ncap_units");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_osc_clamp_is_ablation);
    tcase_add_test(tc, test_b_clamp_stops_joint);
    tcase_add_test(tc, test_units_api);
    tcase_add_test(tc, test_turn_zero_bit_identical);
    suite_add_tcase(s, tc);
    return ck_run(s);
}
