/* trace.h -- the per-step CSV trace of a run.
 *
 * Columns: episode, step, time (s, at the start of the step), then every
 * recorded port element as "role.dir.port[i]", then reward. A row holds the
 * observation the circuit saw, the action it produced and the reward the
 * body returned for that step. Values are printed with 17 significant digits
 * so that a trace round-trips bit for bit. The first lines start with '#'
 * and record provenance.
 *
 * The file is written to "PATH.tmp" and renamed over PATH only by
 * trace_commit (after fflush and fsync): a failed or interrupted run never
 * leaves a half-written PATH.
 */
#ifndef TRACE_H
#define TRACE_H

#include <stdint.h>

#include "base/errmsg.h"
#include "sim/sim.h"

#define TRACE_MAX_PORTS 32

/* Open the trace for simulation s: recorded ports are x->record_ports, or
 * by default every wiring source port. `provenance` lines (may be NULL) are
 * written first, each prefixed with "# ". NULL with e set. */
sim_trace *trace_open(const char *path, sim *s, const char *provenance, errmsg *e);

/* Hooks called by sim_episode: after the circuit step / after the body
 * step. Non-zero on a write error (see trace_error). */
int trace_before(sim_trace *t, const sim *s, uint64_t episode, uint64_t step);
int trace_after(sim_trace *t, double reward);

/* The write error message. */
const char *trace_error(const sim_trace *t);

/* Flush, fsync and rename into place; frees t. 0 or -1 with e set (the
 * temporary file is then removed). */
int trace_commit(sim_trace *t, errmsg *e);

/* Remove the temporary file and free t (NULL is a no-op). */
void trace_abort(sim_trace *t);

#endif
