/* state.h -- whole-experiment state: snapshot a running episode after any
 * control step and continue it later, bit for bit (docs/state.md).
 *
 * A state is the host's part -- episode and step, the return and metric
 * sums so far, every port buffer (inputs with their own buffer, delayed
 * edges included), each instance's random stream (gsl_rng_state) and
 * theta, the interventions' windows, saved entries and noise stream -- and
 * each body's and circuit's own part through its "animat.state/1"
 * extension (animat/state.h). Every instance must offer it.
 *
 * A state file is a sealed file (base/sealfile.h: checksummed, atomic,
 * checked on reading) whose payload starts with the animat version and the
 * experiment's fingerprint (exp/fingerprint.h: plugins, their versions and
 * file bytes, parameters, wiring, seed, interventions); reading refuses a
 * state from another animat version or another experiment setup in one
 * line. Thread: the sim's.
 */
#ifndef SIM_STATE_H
#define SIM_STATE_H

#include <stdint.h>

#include "base/errmsg.h"
#include "sim/sim.h"

/* The state file's format number (base/sealfile.h). */
#define SIM_STATE_FORMAT 1u

/* Can s be saved and restored? Every instance offers a complete
 * "animat.state/1" table; no online learner; not under isolation (the
 * caller checks x->isolate). 0, or -1 with e naming the first instance
 * without it ("NAME (plugin): has no animat.state/1 extension ..."). */
int sim_state_check(sim *s, errmsg *e);

/* Snapshot s (between two control steps of an episode: from a sim_hook)
 * and the episode's result so far r into a new buffer *buf of *size bytes
 * (caller frees). 0, or -1 with e set (a plugin's save failed). */
int sim_state_save(sim *s, const sim_result *r, void **buf, uint64_t *size, errmsg *e);

/* Restore a payload sim_state_save wrote for this experiment into s
 * (after the reset of its episode, from a sim_hook) and r. 0, or -1 with e
 * set (a layout that does not fit, a plugin's load failed). */
int sim_state_load(sim *s, const void *buf, uint64_t size, sim_result *r, errmsg *e);

/* Write a payload to `path` as a state file of experiment x, atomically.
 * 0, or -1 with e set. */
int sim_state_write(const char *path, const experiment *x, const void *buf, uint64_t size, errmsg *e);

/* Read the state file `path` for experiment x: checks the seal, the animat
 * version and x's fingerprint, each in one line naming path. *buf (caller
 * frees) holds the payload and *episode its episode. 0 or -1. */
int sim_state_read(const char *path, const experiment *x, void **buf, uint64_t *size, uint64_t *episode, errmsg *e);

#endif
