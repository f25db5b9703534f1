/* guard.h -- inside sim: `run.guard: true`, guard values around every port
 * buffer of the pool (buffers.c lays them out: SIM_GUARD doubles before and
 * after each buffer), checked after every plugin call of the step loop, so a
 * plugin that writes past a port buffer fails the run in one line naming the
 * plugin, the call, the port, the episode and the step. With run.guard
 * false (s->nguard 0) nothing here runs. Thread: the sim's.
 */
#ifndef SIM_GUARD_H
#define SIM_GUARD_H

#include <stddef.h>

#include "sim/sim.h"

#define SIM_GUARD 2u /* guard doubles on each side of a port buffer */

/* Fill n doubles of p with the guard value. */
void sim_guard_fill(double *p, size_t n);

/* After a call of instance `in` (NULL: the online learner) named `call`
 * ("reset", "step", "plasticity"): every guard value of s's pool intact?
 * 0, or -1 with e set: "run.guard: NAME (PLUGIN) CALL wrote outside a port
 * buffer: the guard values after OWNER.out.PORT changed in episode E at step
 * S". Allocates nothing. Call only when s->nguard. */
int sim_guard_check(const sim *s, const instance *in, const char *call, errmsg *e);

#endif
