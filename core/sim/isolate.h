/* isolate.h -- process isolation for untrusted plugins (run.isolate: true).
 *
 * isolate_episode runs one sim_episode in a forked child process. The child
 * sends its result back through a pipe and exits; the parent's own plugin
 * instances are untouched. If the child dies (a segfault in a plugin, an
 * abort) or exceeds run.episode_timeout, the parent reports which plugin was
 * running (from a page of memory shared with the child, see sim_phase),
 * with the signal, episode and step, and the caller applies run.on_crash.
 * Thread: any worker thread, one sim per thread. Not with a trace or an
 * online learner (their effects would stay in the child).
 *
 * isolate_create covers create: before the host creates the experiment's
 * bodies and circuits itself, it creates (and destroys) them once in a
 * child; a plugin that crashes, aborts, calls exit() or hangs there is named
 * with the phase (create) in one line, and the host never runs it in its
 * own process. isolate_learner_create does the same for the learner.
 */
#ifndef ISOLATE_H
#define ISOLATE_H

#include "base/errmsg.h"
#include "sim/sim.h"

/* Outcome of an isolated episode. */
#define ISOLATE_OK 0       /* *r filled */
#define ISOLATE_FAILED 1   /* the episode failed, crashed or timed out; e set */

/* Run episode `episode` of s in a child process. Returns ISOLATE_OK with *r
 * filled, ISOLATE_FAILED with e set to a one-line reason naming the plugin,
 * signal, episode and step, or -1 with e set when isolation itself failed
 * (fork, pipe, mmap). */
int isolate_episode(sim *s, uint64_t episode, sim_result *r, errmsg *e);

/* Time limit of isolate_create when run.episode_timeout is 0 (none), s. */
#define ISOLATE_CREATE_TIMEOUT 60.0

/* Create and destroy x's bodies and circuits (sim_create) in a child process
 * with a time limit of run.episode_timeout (ISOLATE_CREATE_TIMEOUT when
 * none). 0 when that succeeded; -1 with e set to one line: the child's own
 * error (a create that failed cleanly), "INST (PLUGIN) create crashed with
 * SIGSEGV (signal 11)", "... did not finish within S s ...; killed", "...
 * ended the process (exit status N)", or a failure of isolation itself. Call
 * before sim_create; main thread (it forks). */
int isolate_create(const experiment *x, errmsg *e);

/* The same for a learner: learner_create(l, n, info, theta0) (and
 * destroy) in a child with the same time limit; l from learner_init. 0
 * when the child came back (even if create returned NULL: the caller's own
 * create then reports that); -1 with e set to one line ("learner (NAME)
 * create crashed with ...") otherwise. Main thread. */
int isolate_learner_create(const experiment *x, learner *l, uint32_t n, const animat_param_info *info,
                           const double *theta0, errmsg *e);

#endif
