/* learner.c -- see learner.h. */
#include "plugin/learner.h"

#include "plugin/callguard.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const animat_learner_api *api(const learner *l) { return l->plugin->desc->api; }
static const char *name(const learner *l) { return l->plugin->desc->name; }

/* This thread is about to run `what` of l: guard on, old message gone. */
static inline void enter(learner *l, const char *what) {
    callguard_enter("learner", name(l), what);
    hostctx_begin(&l->host);
}

int learner_init(learner *l, const registry_plugin *p, const params_set *params, uint64_t run_seed, errmsg *e) {
    memset(l, 0, sizeof *l);
    l->plugin = p;
    if (hostctx_init(&l->host, HOSTCTX_ROLE_LEARNER, "learner", p->desc->name, params))
        return errmsg_set(e, "out of memory");
    hostctx_identify(&l->host, p);
    hostctx_reseed(&l->host, run_seed, HOSTCTX_EPISODE_CREATE);
    return 0;
}

int learner_create(learner *l, uint32_t n, const animat_param_info *info, const double *theta0, errmsg *e) {
    enter(l, "create");
    l->self = api(l)->create(&l->host.table, n, info, theta0);
    callguard_leave();
    l->n = n;
    if (l->self) return 0;
    int pre = snprintf(NULL, 0, "learner (%s): create failed: ", name(l));
    return errmsg_setc(e, ERRMSG_PLUGIN_CREATE, pre > 0 ? (unsigned)pre : 0, "learner (%s): create failed: %s",
                       name(l), hostctx_take_error(&l->host));
}

void learner_destroy(learner *l) {
    if (!l->self) return;
    callguard_enter("learner", name(l), "destroy");
    api(l)->destroy(l->self);
    callguard_leave();
    l->self = NULL;
}

void learner_fini(learner *l) {
    if (l->plugin) learner_destroy(l);
    hostctx_fini(&l->host);
}

uint32_t learner_population(learner *l) {
    callguard_enter("learner", name(l), "population");
    uint32_t p = api(l)->population(l->self);
    callguard_leave();
    return p;
}

int learner_ask(learner *l, uint64_t run_seed, uint64_t epoch, double *thetas, errmsg *e) {
    hostctx_reseed(&l->host, run_seed, epoch);
    enter(l, "ask");
    int32_t rc = api(l)->ask(l->self, thetas);
    callguard_leave();
    if (rc == ANIMAT_OK) return 0;
    return errmsg_set(e, "learner (%s): ask failed in epoch %llu: %s", name(l), (unsigned long long)epoch + 1,
                      hostctx_take_error(&l->host));
}

int learner_tell(learner *l, const double *returns, uint64_t epoch, errmsg *e) {
    enter(l, "tell");
    int32_t rc = api(l)->tell(l->self, returns);
    callguard_leave();
    if (rc == ANIMAT_OK) return 0;
    return errmsg_set(e, "learner (%s): tell failed in epoch %llu: %s", name(l), (unsigned long long)epoch + 1,
                      hostctx_take_error(&l->host));
}

int learner_current(learner *l, double *theta, errmsg *e) {
    enter(l, "current");
    int32_t rc = api(l)->current(l->self, theta);
    callguard_leave();
    if (rc != ANIMAT_OK)
        return errmsg_set(e, "learner (%s): current() failed: %s", name(l), hostctx_take_error(&l->host));
    for (uint32_t i = 0; i < l->n; i++)
        if (!isfinite(theta[i]))
            return errmsg_set(e, "learner (%s): current() returned a non-finite value at entry %u", name(l), i);
    return 0;
}

int learner_can_save(const learner *l) {
    const animat_learner_api *a = api(l);
    return REGISTRY_HAS(a, animat_learner_api, state_size) && REGISTRY_HAS(a, animat_learner_api, save) &&
           REGISTRY_HAS(a, animat_learner_api, load);
}

int learner_save(learner *l, void **buf, uint64_t *size, errmsg *e) {
    enter(l, "save");
    *size = api(l)->state_size(l->self);
    callguard_leave();
    *buf = malloc(*size ? *size : 1);
    if (!*buf) return errmsg_set(e, "out of memory");
    enter(l, "save");
    int32_t rc = api(l)->save(l->self, *buf, *size);
    callguard_leave();
    if (rc == ANIMAT_OK) return 0;
    free(*buf);
    *buf = NULL;
    return errmsg_set(e, "learner (%s): save failed: %s", name(l), hostctx_take_error(&l->host));
}

int learner_load(learner *l, const void *buf, uint64_t size, errmsg *e) {
    enter(l, "load");
    int32_t rc = REGISTRY_HAS(api(l), animat_learner_api, load) ? api(l)->load(l->self, buf, size) : ANIMAT_ERROR;
    callguard_leave();
    if (rc == ANIMAT_OK) return 0;
    return errmsg_set(e, "learner (%s): cannot load the checkpoint state: %s", name(l), hostctx_take_error(&l->host));
}

int learner_is_online(const learner *l) {
    return REGISTRY_HAS(api(l), animat_learner_api, online_step) &&
           REGISTRY_HAS(api(l), animat_learner_api, online_reset);
}

/* An online hook's failure inside an episode. */
static int online_fail(learner *l, const char *what, uint64_t episode, uint64_t step, errmsg *e) {
    const char *why = hostctx_take_error(&l->host);
    return errmsg_set(e, "learner (%s): %s in episode %llu at step %llu%s%s", name(l), what,
                      (unsigned long long)episode + 1, (unsigned long long)step, *why ? ": " : "", why);
}

int learner_online_reset(learner *l, uint64_t episode, uint64_t step, errmsg *e) {
    enter(l, "reset");
    int32_t rc = api(l)->online_reset(l->self);
    callguard_leave();
    return rc == ANIMAT_OK ? 0 : online_fail(l, "online_reset failed", episode, step, e);
}

int learner_online_step(learner *l, double reward, const double *elig, double *theta, uint32_t n, uint64_t episode,
                        uint64_t step, errmsg *e) {
    enter(l, "plasticity");
    int32_t rc = api(l)->online_step(l->self, reward, elig, theta, n);
    callguard_leave();
    return rc == ANIMAT_OK ? 0 : online_fail(l, "online_step failed", episode, step, e);
}
