/* handle.c -- the sim as a handle for code that does not see its struct
 * (sim/sim.h): heap create and free, accessors. */
#include "sim/sim_impl.h"

#include <stdlib.h>

int sim_new(sim **out, const experiment *x, errmsg *e) {
    *out = NULL;
    sim *s = calloc(1, sizeof *s);
    if (!s) return errmsg_set(e, "out of memory");
    if (sim_create(s, x, e)) return free(s), -1;
    *out = s;
    return 0;
}

void sim_free(sim *s) {
    if (!s) return;
    sim_destroy(s);
    free(s);
}

double sim_dt(const sim *s) { return s->dt; }
uint32_t sim_ntheta(const sim *s) { return s->ntheta; }
