/* wiring.h -- the `wiring:` list of an experiment: edges between ports of
 * named instances.
 *
 * Grammar of one edge:   SRC -> DST    or, delayed,   SRC ~> DST
 * Grammar of one end:    NAME.DIR.PORT          the whole port
 *                        NAME.DIR.PORT[i]       element i
 *                        NAME.DIR.PORT[a:b]     elements a..b-1 (a < b)
 * DIR is obs/act for bodies (out/in also accepted), in/out for circuits.
 * A source is an OUT port, a destination an IN port. A delayed edge reads
 * the value its source had at the end of the previous control step (zeros
 * right after reset), which is how feedback loops between circuits close.
 *
 * Checked here, from names alone: ends exist as instances, directions,
 * slices well-formed, no body feeding a body, an input fed whole by two
 * edges, and no cycle among circuits made of undelayed edges (the error
 * names the instances on it). Checked by sim once ports exist: port names,
 * sizes, slices in range and overlapping writes.
 * Thread: the loader's.
 */
#ifndef WIRING_H
#define WIRING_H

#include <stddef.h>

#include "exp/experiment.h"

/* Parse x->doc's `wiring:` into x->conns (instances already loaded). 0, or
 * -1 with e set to a FILE:LINE:COL message naming the edge. */
int wiring_load(experiment *x, errmsg *e);

/* Parse one end "NAME.DIR.PORT[slice]" of experiment x into *end. 0; -1
 * when it is malformed; -2 when NAME is no instance of x. */
int wiring_parse_end(const experiment *x, const char *s, experiment_end *end);

/* Write an end back as text ("ncap.in.joints[0:3]") into buf. */
void wiring_end_str(const experiment *x, const experiment_end *end, char *buf, size_t cap);

#endif
