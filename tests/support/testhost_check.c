/* testhost_check.c -- the test host's helpers that assert with Check (kept
 * apart so that benchmarks can compile testhost.c without Check). */
#include <check.h>

#include "testhost.h"

void *th_circuit(th_host *t, const animat_circuit_api *api) {
    void *c = api->create(th_table(t));
    ck_assert_msg(c != NULL, "create failed: %s", th_last_error(t));
    ck_assert_int_eq(api->reset(c, 0), ANIMAT_OK);
    return c;
}
