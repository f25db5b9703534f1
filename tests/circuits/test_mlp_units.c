/* test_mlp_units.c -- the MLP's "animat.units/1" extension through the
 * plugin (MLP_SO): names per layer element, get, CLAMP of an output and of
 * a hidden unit seen by the same step's outputs, FREE bit-identical to no
 * override, reset clearing overrides. */
#include <check.h>
#include <math.h>
#include <string.h>

#include "ck_run.h"
#include "mlp_math.h"
#include "testhost.h"

static const animat_plugin_desc *desc(void) { return th_load_env("MLP_SO"); }
static const animat_circuit_api *api(void) { return desc()->api; }

START_TEST(test_units) {
    th_host *t = th_new(desc(), "circuit", 3);
    th_set_real(t, "n_in", 3);
    th_set_real(t, "n_out", 2);
    const double hid[1] = {4};
    th_set_list(t, "hidden", hid, 1);
    void *c = api()->create(th_table(t));
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(api()->reset(c, 0), ANIMAT_OK);
    const animat_units_ext *u = api()->extension(c, ANIMAT_EXT_UNITS);
    ck_assert_ptr_nonnull(u);
    uint32_t n;
    const char *const *names = u->names(c, &n);
    ck_assert_uint_eq(n, 6);
    ck_assert_str_eq(names[0], "l0[0]");
    ck_assert_str_eq(names[3], "l0[3]");
    ck_assert_str_eq(names[5], "l1[1]");
    double x[3] = {0.3, -0.7, 0.2}, y[2], y0[2], v;
    const double *in[1] = {x};
    double *out[1] = {y};
    ck_assert_int_eq(api()->step(c, in, out, 0.03), ANIMAT_OK);
    memcpy(y0, y, sizeof y);
    ck_assert_int_eq(u->get(c, 5, &v), ANIMAT_OK);
    ck_assert(v == y[1]);
    /* FREE again: the same bits */
    ck_assert_int_eq(u->override(c, 2, ANIMAT_UNIT_FREE, 0.0), ANIMAT_OK);
    ck_assert_int_eq(api()->step(c, in, out, 0.03), ANIMAT_OK);
    ck_assert(memcmp(y, y0, sizeof y) == 0);
    /* clamp an output */
    ck_assert_int_eq(u->override(c, 4, ANIMAT_UNIT_CLAMP, 0.25), ANIMAT_OK);
    ck_assert_int_eq(api()->step(c, in, out, 0.03), ANIMAT_OK);
    ck_assert(y[0] == 0.25 && y[1] == y0[1]);
    /* clamp a hidden unit: both outputs move in the same step */
    ck_assert_int_eq(u->override(c, 4, ANIMAT_UNIT_FREE, 0.0), ANIMAT_OK);
    ck_assert_int_eq(u->override(c, 1, ANIMAT_UNIT_CLAMP, 5.0), ANIMAT_OK);
    ck_assert_int_eq(api()->step(c, in, out, 0.03), ANIMAT_OK);
    ck_assert(y[0] != y0[0] && y[1] != y0[1]);
    ck_assert_int_eq(u->get(c, 1, &v), ANIMAT_OK);
    ck_assert(v == 5.0);
    /* reset clears */
    ck_assert_int_eq(api()->reset(c, 0), ANIMAT_OK);
    ck_assert_int_eq(u->get(c, 1, &v), ANIMAT_OK);
    ck_assert(v == 0.0);
    ck_assert_int_eq(api()->step(c, in, out, 0.03), ANIMAT_OK);
    ck_assert(memcmp(y, y0, sizeof y) == 0);
    ck_assert_int_eq(u->override(c, 6, ANIMAT_UNIT_CLAMP, 0.0), ANIMAT_ERROR);
    api()->destroy(c);
    th_free(t);
}
END_TEST

int main(void) {
    Suite *s = suite_create("mlp_units");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_units);
    suite_add_tcase(s, tc);
    return ck_run(s);
}
