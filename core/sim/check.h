/* check.h -- `animat check`: everything a run would check before its first
 * step, without running one.
 */
#ifndef SIM_CHECK_H
#define SIM_CHECK_H

#include <stdio.h>

#include "base/errmsg.h"
#include "exp/experiment.h"

/* Create experiment x's instances (first in a child process when
 * run.isolate is set, sim/isolate.h), check the wiring, port sizes and
 * record.signals, then write the summary to out: one line ("ok: FILE: body
 * swimmer 1.2, circuit ncap 1.0 (12 parameters), 3 connections, ...") and
 * notes on unfed inputs, named edges and interventions (out NULL: only
 * the checks). The instances are
 * destroyed before it returns. 0, or -1 with e set (nothing written).
 * Thread: x's loading thread. */
int sim_check(const experiment *x, FILE *out, errmsg *e);

#endif
