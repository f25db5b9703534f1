/* fingerprint.h -- one number for everything in an experiment that changes
 * its results, so that a file written for one setup (a training checkpoint,
 * an experiment state) is refused by another.
 *
 * Covered: each instance's plugin name, version and file bytes, its name
 * and substeps (graph form), every resolved parameter, the wiring, the
 * seed, run.max_steps, crash handling, interventions, learner targets and
 * episodes per candidate. Not covered: the episode count, outputs (trace,
 * recording) and anything else that only says how much to run or where to
 * write. FNV-1a 64 (base/hash.h): detects accidents, not attackers.
 */
#ifndef EXP_FINGERPRINT_H
#define EXP_FINGERPRINT_H

#include <stdint.h>

#include "exp/experiment.h"

/* The fingerprint of loaded experiment x (reads every plugin file once).
 * Any thread. */
uint64_t experiment_fingerprint(const experiment *x);

/* The same without the interventions: what experiment states are checked
 * against, so that one state can be continued under other interventions
 * (docs/state.md, branching). */
uint64_t experiment_setup_fingerprint(const experiment *x);

/* One intervention's description (target, action, value, sigma, window). */
uint64_t experiment_iv_fingerprint(const experiment_iv *v);

#endif
