/* atrace.h -- the per-step CSV trace of a run.
 *
 * Columns: episode, step, time (s, at the start of the step), then every
 * recorded port element as "role.dir.port[i]", then reward. A row holds the
 * observation the circuit saw, the action it produced and the reward the
 * body returned for that step. Values are printed with 17 significant digits
 * so that a trace round-trips bit for bit. The first lines start with '#'
 * and record provenance.
 *
 * The file is written to "PATH.tmp" and renamed over PATH only by
 * atrace_commit (after fflush and fsync): a failed or interrupted run never
 * leaves a half-written PATH.
 */
#ifndef ATRACE_H
#define ATRACE_H

#include <stdint.h>

#include "aerr.h"
#include "asim.h"

#define ATRACE_MAX_PORTS 32

/* Open the trace for simulation s: recorded ports are x->record_ports, or
 * by default every wiring source port. `provenance` lines (may be NULL) are
 * written first, each prefixed with "# ". NULL with e set. */
asim_trace *atrace_open(const char *path, asim *s, const char *provenance, aerr *e);

/* Hooks called by asim_episode: after the circuit step / after the body
 * step. Non-zero on a write error (see atrace_error). */
int atrace_before(asim_trace *t, const asim *s, uint64_t episode, uint64_t step);
int atrace_after(asim_trace *t, double reward);

/* The write error message. */
const char *atrace_error(const asim_trace *t);

/* Flush, fsync and rename into place; frees t. 0 or -1 with e set (the
 * temporary file is then removed). */
int atrace_commit(asim_trace *t, aerr *e);

/* Remove the temporary file and free t (NULL is a no-op). */
void atrace_abort(asim_trace *t);

#endif
