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

#endif
