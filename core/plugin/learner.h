/* learner.h -- one live learner plugin instance: the only place that calls
 * a learner's function table (training, online plasticity, the isolated
 * create probe). Each call runs under the call guard (callguard.h), forgets
 * the plugin's earlier message first, and on failure sets e to "learner
 * (PLUGIN): WHAT failed...: the plugin's reason".
 * Lifecycle: learner_init -> learner_create -> ... -> learner_fini.
 * Thread: the thread that trains (one per learner).
 */
#ifndef LEARNER_H
#define LEARNER_H

#include <animat/animat.h>

#include "base/errmsg.h"
#include "plugin/hostctx.h"
#include "plugin/registry.h"

typedef struct learner {
    hostctx host;                 /* its host table; owned */
    const registry_plugin *plugin;/* registry-owned */
    void *self;                   /* the plugin's instance; NULL before create and after fini */
    uint32_t n;                   /* theta length given to create */
} learner;

/* Host table for a learner of p with resolved `params` (must outlive l),
 * its stream seeded for create from run_seed. 0, or -1 with e set. */
int learner_init(learner *l, const registry_plugin *p, const params_set *params, uint64_t run_seed, errmsg *e);

/* create(h, n, info, theta0). 0, or -1 with e "learner (PLUGIN): create
 * failed: reason" (code ERRMSG_PLUGIN_CREATE). */
int learner_create(learner *l, uint32_t n, const animat_param_info *info, const double *theta0, errmsg *e);

/* Destroy the plugin's instance (if any); the host table stays. */
void learner_destroy(learner *l);

/* learner_destroy, then free the host table (safe on a zeroed learner). */
void learner_fini(learner *l);

/* Its population size (as the plugin answers; the caller bounds it). */
uint32_t learner_population(learner *l);

/* Reseed its stream for `epoch`, then ask for population x n thetas. */
int learner_ask(learner *l, uint64_t run_seed, uint64_t epoch, double *thetas, errmsg *e);

/* Tell the returns of the last ask (epoch for messages). */
int learner_tell(learner *l, const double *returns, uint64_t epoch, errmsg *e);

/* Its current estimate into theta[0..n), every entry finite. */
int learner_current(learner *l, double *theta, errmsg *e);

/* Does it offer state_size/save/load (checkpoints)? */
int learner_can_save(const learner *l);

/* Its state as a new buffer (*buf, *size; caller frees). 0 or -1. */
int learner_save(learner *l, void **buf, uint64_t *size, errmsg *e);

/* Load a state from learner_save. 0, or -1 ("cannot load the checkpoint
 * state: reason"). */
int learner_load(learner *l, const void *buf, uint64_t size, errmsg *e);

/* Does it learn online (online_reset and online_step)? */
int learner_is_online(const learner *l);

/* Online hooks inside an episode (episode, step for messages). */
int learner_online_reset(learner *l, uint64_t episode, uint64_t step, errmsg *e);
int learner_online_step(learner *l, double reward, const double *elig, double *theta, uint32_t n, uint64_t episode,
                        uint64_t step, errmsg *e);

#endif
