/* embed_step.c -- step-level control (animat_reset, animat_step): the
 * episode loop of sim.c runs on a coroutine of the handle and hands control
 * back at the agent's turn (see embed_impl.h). */
#include "embed/embed_impl.h"

#include "plugin/instance.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#if defined(__SANITIZE_ADDRESS__)
#define EMBED_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EMBED_ASAN 1
#endif
#endif
#ifdef EMBED_ASAN
#include <sanitizer/common_interface_defs.h>
#else
#define __sanitizer_start_switch_fiber(f, b, s) ((void)(f), (void)(b), (void)(s))
#define __sanitizer_finish_switch_fiber(f, b, s) ((void)(f), (void)(b), (void)(s))
#endif

#define EMBED_STACK (4u << 20) /* bytes; touched pages only are committed */

/* The handle whose coroutine this thread is running or resuming. Read
 * through a call that is never inlined, so that code resumed on another
 * thread reads that thread's value. */
static _Thread_local animat_exp *current;
__attribute__((noinline)) static animat_exp *embed_current(void) { return current; }

void embed_co_free(embed_co *c) {
    if (c->stack) munmap(c->stack, c->stack_size + 4096);
    c->stack = NULL;
}

/* The coroutine's body: one episode of the sim. */
static void co_main(void) {
    animat_exp *h = embed_current();
    __sanitizer_finish_switch_fiber(NULL, &h->co.caller_bottom, &h->co.caller_size);
    h->co.rc = sim_episode(&h->s, h->episode, &h->r, &h->e);
    h->co.done = 1;
    h->co.inside = 0;
    __sanitizer_start_switch_fiber(NULL, h->co.caller_bottom, h->co.caller_size);
    /* returning switches to uc_link: the caller's latest context */
}

/* Give control back to the caller (on the coroutine). */
static void co_yield(animat_exp *h) {
    __sanitizer_start_switch_fiber(&h->co.fake, h->co.caller_bottom, h->co.caller_size);
    swapcontext(&h->co.co, &h->co.caller);
    __sanitizer_finish_switch_fiber(h->co.fake, &h->co.caller_bottom, &h->co.caller_size);
}

/* Run the coroutine until it yields or ends (on the caller). */
static void co_resume(animat_exp *h) {
    current = h;
    void *fake = NULL;
    __sanitizer_start_switch_fiber(&fake, (char *)h->co.stack + 4096, h->co.stack_size);
    swapcontext(&h->co.caller, &h->co.co);
    __sanitizer_finish_switch_fiber(fake, NULL, NULL);
    current = NULL;
}

/* Start a fresh coroutine for episode h->episode. 0 or ENOMEM. */
static int co_start(animat_exp *h) {
    embed_co *c = &h->co;
    if (!c->stack) {
        c->stack_size = EMBED_STACK;
        void *m = mmap(NULL, c->stack_size + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                       -1, 0);
        if (m == MAP_FAILED) return embed_fail(h, ANIMAT_EMBED_ENOMEM, "out of memory (coroutine stack)");
        mprotect(m, 4096, PROT_NONE); /* a guard page below the stack */
        c->stack = m;
    }
    getcontext(&c->co);
    c->co.uc_stack.ss_sp = (char *)c->stack + 4096;
    c->co.uc_stack.ss_size = c->stack_size;
    c->co.uc_link = &c->caller;
    makecontext(&c->co, co_main, 0);
    c->done = 0;
    c->rc = 0;
    c->inside = 1;
    return 0;
}

/* The agent's step: the program's turn, once per control step (further
 * substeps keep the outputs). Fails when the episode is being ended. */
static int32_t agent_step(void *self, const double *const *in, double *const *out, double dt) {
    (void)self, (void)in, (void)out, (void)dt;
    animat_exp *h = embed_current();
    if (h->turn_step == h->s.step) return h->abort ? ANIMAT_ERROR : ANIMAT_OK;
    h->turn_step = h->s.step;
    co_yield(h);
    return h->abort ? ANIMAT_ERROR : ANIMAT_OK;
}

/* The agent keeps nothing of its own to reset. */
static int32_t agent_reset(void *self, uint64_t seed) {
    (void)self, (void)seed;
    return ANIMAT_OK;
}

/* Without an agent: the caller's turn between two control steps (sim's
 * snap hook, moved on by one step each turn), where a snapshot is allowed. */
static int step_turn(void *ctx, sim *s, sim_result *r, errmsg *e) {
    (void)r;
    animat_exp *h = ctx;
    if (!h->co.inside) return 0; /* animat_run */
    co_yield(h);
    if (h->abort) return errmsg_set(e, "episode ended by the program");
    s->snap.at = s->step + 1;
    return 0;
}

/* After the reset: a state given to animat_state_load goes in here (a
 * state saved at the agent's turn continues its step from the agent's node). */
static int load_turn(void *ctx, sim *s, sim_result *r, errmsg *e) {
    animat_exp *h = ctx;
    if (!h->co.inside || !h->load) return 0;
    errmsg le;
    errmsg_clear(&le);
    int rc = sim_state_load(s, h->load, h->load_size, r, &le);
    h->load = NULL;
    s->snap.at = s->step;
    s->resume_node = rc ? 0 : h->load_node;
    return rc ? errmsg_set(e, "state: %s", le.msg) : 0;
}

static int obs_before(void *ctx, const sim *s, uint64_t episode, uint64_t step) {
    (void)ctx, (void)s, (void)episode, (void)step;
    return 0;
}

/* After every body step: the reward. */
static int obs_after(void *ctx, double reward) {
    animat_exp *h = ctx;
    if (h->co.inside) h->reward = reward;
    return 0;
}

static const char *obs_error(void *ctx) {
    (void)ctx;
    return "episode ended by the program";
}

/* Replace the agent circuit's reset and step by the program's turn. */
static void wire_agent(animat_exp *h) {
    instance *in = h->ai = &h->s.insts[h->agent];
    instance_stand_in(in, &h->ag, agent_reset, agent_step);
    for (uint32_t k = 0; k < h->s.nnodes; k++)
        if (h->s.nodes[k].in == in) h->ag_node = &h->s.nodes[k];
}

/* Sizes and bounds of the agent's observation (IN ports) and action (OUT ports). */
static int agent_spaces(animat_exp *h) {
    instance *in = h->ai;
    uint32_t n[2] = {0, 0};
    for (uint32_t d = 0; d < 2; d++)
        for (uint32_t p = 0; p < in->nports[d]; p++) n[d] += in->ports[d][p].size;
    free(h->bounds);
    if (!(h->bounds = malloc((2 * (size_t)n[0] + 2 * (size_t)n[1] + 1) * sizeof(double))))
        return embed_fail(h, ANIMAT_EMBED_ENOMEM, "out of memory");
    h->nobs = n[0];
    h->nact = n[1];
    double *at[2] = {h->bounds, h->bounds + 2 * (size_t)n[0]};
    for (uint32_t d = 0; d < 2; d++) {
        uint32_t off = 0;
        for (uint32_t p = 0; p < in->nports[d]; p++) {
            const double *lo, *hi;
            uint32_t size = in->ports[d][p].size;
            instance_port_bounds(in, d, p, &lo, &hi);
            memcpy(at[d] + off, lo, size * sizeof *lo);
            memcpy(at[d] + n[d] + off, hi, size * sizeof *hi);
            off += size;
        }
    }
    return 0;
}

int embed_sim_create(animat_exp *h) {
    if (sim_create(&h->s, &h->x, &h->e)) return -1;
    h->have_sim = 1;
    h->sim_seed = h->x.seed;
    h->sim_gen++;
    sim_observer ob = {h, obs_before, obs_after, obs_error};
    sim_observe(&h->s, &ob);
    h->s.restore = (sim_hook){load_turn, h, 0};
    if (h->agent >= 0) {
        wire_agent(h);
        if (agent_spaces(h)) return -1;
    } else {
        h->s.snap = (sim_hook){step_turn, h, 0};
    }
    if (h->user_theta && sim_set_theta(&h->s, h->user_theta, &h->e)) return -1;
    return 0;
}

void embed_abort(animat_exp *h) {
    if (h->state == EMBED_RUNNING && h->co.inside) {
        h->abort = 1;
        co_resume(h);
        h->abort = 0;
    }
    h->state = EMBED_IDLE;
    errmsg_clear(&h->e);
}

void embed_sim_destroy(animat_exp *h) {
    if (!h->have_sim) return;
    embed_abort(h);
    embed_render_close(h);
    if (h->ai) instance_stand_down(h->ai, &h->ag);
    h->ai = NULL;
    h->ag_node = NULL;
    sim_destroy(&h->s);
    h->have_sim = 0;
}

/* Copy the agent's inputs (the observation) to obs. */
static void read_obs(animat_exp *h, double *obs) {
    if (!h->ai) return;
    const instance *in = h->ai;
    for (uint32_t p = 0, off = 0; p < in->nports[ANIMAT_PORT_IN]; off += in->ports[ANIMAT_PORT_IN][p].size, p++)
        memcpy(obs + off, in->bufs[ANIMAT_PORT_IN][p], in->ports[ANIMAT_PORT_IN][p].size * sizeof *obs);
}

/* After the last step: the agent's undelayed copies, so its inputs hold
 * what it would have seen next. */
static void final_obs(animat_exp *h) {
    const sim_node *nd = h->ag_node;
    if (!nd) return;
    for (uint32_t k = 0; k < nd->ncopy; k++) {
        const sim_copy *c = &h->s.copies[nd->copy0 + k];
        memcpy(c->dst, c->src, c->n * sizeof(double));
    }
}

/* The coroutine came back: an error, the episode's end, or the caller's turn. */
static int after_resume(animat_exp *h, double *obs, double *reward, uint32_t *flags) {
    if (h->co.done && h->co.rc) {
        h->state = EMBED_IDLE;
        return ANIMAT_EMBED_EPLUGIN;
    }
    uint32_t f = 0;
    if (h->co.done) {
        h->state = EMBED_ENDED;
        final_obs(h);
        f = h->r.terminated ? ANIMAT_EMBED_TERMINATED : ANIMAT_EMBED_TRUNCATED;
    }
    if (obs) read_obs(h, obs);
    if (reward) *reward = h->reward;
    if (flags) *flags = f;
    return 0;
}

int animat_reset(animat_exp *h, uint64_t seed, uint64_t episode, double *obs, uint32_t nobs) {
    errmsg_clear(&h->e);
    if (h->x.isolate) /* an ANIMAT_OPEN_DEFER handle */
        return embed_fail(h, ANIMAT_EMBED_EUNSUPPORTED, "%s: run.isolate: true: the episodes run in child processes "
                          "(animat_run_with), never stepped from the program", h->x.file);
    if (nobs != h->nobs)
        return embed_fail(h, ANIMAT_EMBED_EINPUT, "reset: the observation has %u values, not %u", h->nobs, nobs);
    return embed_restart(h, seed, episode, obs);
}

int embed_restart(animat_exp *h, uint64_t seed, uint64_t episode, double *obs) {
    embed_abort(h);
    if (!h->have_sim || seed != h->sim_seed) {
        embed_sim_destroy(h);
        h->x.seed = seed;
        if (embed_sim_create(h)) {
            embed_sim_destroy(h);
            return ANIMAT_EMBED_EPLUGIN;
        }
    }
    h->x.seed = seed;
    h->episode = episode;
    h->turn_step = UINT64_MAX;
    h->reward = 0;
    h->s.snap.at = 0;
    if (co_start(h)) return ANIMAT_EMBED_ENOMEM;
    h->state = EMBED_RUNNING;
    co_resume(h);
    return after_resume(h, obs, NULL, NULL);
}

int animat_step(animat_exp *h, const double *act, uint32_t nact, double *obs, uint32_t nobs, double *reward,
                uint32_t *flags) {
    errmsg_clear(&h->e);
    if (h->state != EMBED_RUNNING)
        return embed_fail(h, ANIMAT_EMBED_ESTATE, h->state == EMBED_ENDED ? "step: the episode has ended; reset first"
                                                                           : "step: no episode; reset first");
    if (nact != h->nact || nobs != h->nobs)
        return embed_fail(h, ANIMAT_EMBED_EINPUT, "step: expected an action of %u values and an observation of %u, "
                          "got %u and %u", h->nact, h->nobs, nact, nobs);
    for (uint32_t k = 0; k < nact; k++)
        if (!isfinite(act[k]))
            return embed_fail(h, ANIMAT_EMBED_EINPUT, "step: action[%u] is %s", k, isnan(act[k]) ? "NaN" : "infinite");
    if (h->ai) {
        instance *in = h->ai;
        for (uint32_t p = 0, off = 0; p < in->nports[ANIMAT_PORT_OUT]; off += in->ports[ANIMAT_PORT_OUT][p].size, p++)
            memcpy(in->bufs[ANIMAT_PORT_OUT][p], act + off, in->ports[ANIMAT_PORT_OUT][p].size * sizeof *act);
    }
    co_resume(h);
    return after_resume(h, obs, reward, flags);
}

uint32_t animat_obs_size(const animat_exp *h) { return h->nobs; }
uint32_t animat_act_size(const animat_exp *h) { return h->nact; }
const double *animat_obs_bounds(const animat_exp *h, int upper) {
    return h->bounds ? h->bounds + (upper ? h->nobs : 0) : NULL;
}
const double *animat_act_bounds(const animat_exp *h, int upper) {
    return h->bounds ? h->bounds + 2 * (size_t)h->nobs + (upper ? h->nact : 0) : NULL;
}
uint64_t animat_episode(const animat_exp *h) { return h->episode; }

int animat_obs(animat_exp *h, double *obs, uint32_t nobs) {
    errmsg_clear(&h->e);
    if (nobs != h->nobs)
        return embed_fail(h, ANIMAT_EMBED_EINPUT, "obs: the observation has %u values, not %u", h->nobs, nobs);
    if (h->state == EMBED_IDLE) return embed_fail(h, ANIMAT_EMBED_ESTATE, "obs: no episode; reset first");
    read_obs(h, obs);
    return 0;
}

int embed_agent_node(const animat_exp *h) {
    return h->ag_node ? (int)(h->ag_node - h->s.nodes) : -1;
}
uint64_t animat_step_count(const animat_exp *h) { return h->have_sim ? h->s.step : 0; }
double animat_return(const animat_exp *h) { return h->r.ret; }
