/* record.h -- an HDF5 recording of a run (format animat-recording/1).
 *
 * The layout is specified in docs/recording.md: one dataset per signal
 * (episode x sample x element, chunked, shuffle+deflate), element names and
 * units as attributes, the resolved experiment and provenance as root
 * attributes. Signals are record.signals, or by default every port of every
 * instance and the reward. Sample k of an episode is taken at control step
 * k * every, after the circuits stepped and before the bodies step (what
 * the circuit saw and did); `reward` is that step's total reward.
 *
 * Lifecycle: record_open (checks every signal, before any episode) ->
 * sim_observe(record_observer) -> per episode: sim_episode, then
 * record_episode_end -> record_commit (or record_abort). The file is
 * written as PATH.tmp and renamed over PATH by record_commit only; a failed
 * or killed run leaves the old PATH (or none). Samples are buffered in
 * memory allocated at open and written every RECORD_CHUNK samples: the step
 * loop itself does not allocate (libhdf5's writes may).
 * Thread: the sim's thread.
 */
#ifndef RECORD_H
#define RECORD_H

#include <stdint.h>

#include "base/errmsg.h"
#include "sim/sim.h"

#define RECORD_FORMAT "animat-recording/1"
#define RECORD_CHUNK 128u
#define RECORD_MAX_SIGNALS 512u

typedef struct sim_record sim_record;

/* What the recording says about where it came from. */
typedef struct record_meta {
    const char *kind;       /* "run" or "train" */
    const char *command;    /* the command line, or NULL */
    const char *provenance; /* runner_provenance text, or NULL */
    const char *const *extra_plugins; /* --plugin files (may be NULL) */
    uint32_t nextra;
    int unguarded;          /* 1: leave SIGINT alone (train stops cleanly on it itself) */
} record_meta;

/* Does every record.signals entry exist in s (ports, units extensions)?
 * `animat check` and record_open ask. 0, or -1 with e set. */
int record_check_signals(sim *s, errmsg *e);

/* Create PATH.tmp and one dataset per signal of s (x->record_sigs, or
 * every port and reward). Fails, before any work, on a signal that does
 * not exist (no such port; a circuit without the units extension). NULL
 * with e set. */
sim_record *record_open(const char *path, sim *s, const record_meta *m, errmsg *e);

/* The recording as an observer of s's step loop (sim_observe). */
sim_observer record_observer(sim_record *r);

/* After sim_episode returned: write the episode's remaining samples, its
 * return and step count, and flush. 0 or -1 with e set. */
int record_episode_end(sim_record *r, const sim_result *res, errmsg *e);

/* Train recordings: each candidate's return in epoch `epoch` (0-based, in
 * order) and the environment steps taken by its end. 0 or -1. */
int record_epoch(sim_record *r, uint64_t epoch, const double *returns, uint32_t n, uint64_t env_steps, errmsg *e);

/* Train recordings: the learner's graph theta before and after training
 * as /parameters/initial and /parameters/learned (n doubles each, attribute
 * `names`: "ncap.w_prop", ...). 0 or -1 with e set. */
int record_parameters(sim_record *r, const char *const *names, const double *initial, const double *learned,
                      uint32_t n, errmsg *e);

/* Say what the recorded episodes are: attributes of /episodes `role`
 * ("held-out evaluation"), `heldout_episodes` and `heldout_mean` (their mean
 * return). Call after the last record_episode_end. 0 or -1 with e set. */
int record_role(sim_record *r, const char *role, uint64_t episodes, double mean, errmsg *e);

/* Write /time, close and rename into place; frees r. 0 or -1 with e set
 * (the temporary file is then removed). */
int record_commit(sim_record *r, errmsg *e);

/* Remove the temporary file and free r (NULL is a no-op). */
void record_abort(sim_record *r);

/* The resolved experiment of s as YAML: every --set applied, the record
 * file and trace removed, theta files replaced by each circuit's initial
 * theta inlined (so it runs alone). Call right after sim_create. Caller
 * frees; NULL with e set. */
char *record_resolved_text(sim *s, errmsg *e);

#endif
