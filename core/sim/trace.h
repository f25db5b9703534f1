/* trace.h -- the per-step CSV trace of a run.
 *
 * Columns: episode, step, time (s, at the start of the step), then every
 * recorded port element as "instance.dir.port[i]", then reward. A row holds the
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
#include <stdio.h>

#include "base/errmsg.h"
#include "sim/sim.h"

#define TRACE_MAX_PORTS 256

/* An open trace (opaque). */
typedef struct sim_trace sim_trace;

/* Open the trace for simulation s: recorded ports are x->record_ports, or
 * by default every edge's source port. `provenance` lines (may be NULL)
 * are written first, each prefixed with "# ". NULL with e set. */
sim_trace *trace_open(const char *path, sim *s, const char *provenance, errmsg *e);

/* The trace as an observer of s's step loop (sim_observe). */
sim_observer trace_observer(sim_trace *t);

/* Flush, fsync and rename into place; frees t. 0 or -1 with e set (the
 * temporary file is then removed). */
int trace_commit(sim_trace *t, errmsg *e);

/* Remove the temporary file and free t (NULL is a no-op). */
void trace_abort(sim_trace *t);

/* Write `text` (may be NULL) to f as comment lines, each prefixed "# ":
 * the provenance at the top of every output file. Control characters
 * other than tab (CR, ESC, ...) are written as \xNN. */
void trace_fprint_comment(FILE *f, const char *text);

#endif
