/* sim.c -- the step loop over the graph (see sim.h): it schedules and
 * bookkeeps; every plugin call goes through plugin/ (instance.h,
 * learner.h). sim_create is in build.c, the graph theta in theta.c. */
#include "sim/sim.h"

#include "sim/guard.h"
#include "sim/intervene.h"
#include "sim/sim_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

instance *sim_find(sim *s, const char *name) {
    for (uint32_t i = 0; i < s->ninsts; i++)
        if (s->insts[i].name && !strcmp(s->insts[i].name, name)) return &s->insts[i];
    return NULL;
}

void sim_heldout(sim *s, int on) {
    s->domain = on ? HOSTCTX_DOMAIN_HELDOUT : HOSTCTX_DOMAIN_RUN;
}

int sim_observe(sim *s, const sim_observer *o) {
    if (s->nobservers == SIM_MAX_OBSERVERS) return -1;
    s->observers[s->nobservers++] = *o;
    return 0;
}

int sim_attach_online(sim *s, learner *l, errmsg *e) {
    const char *name = l->plugin->desc->name;
    if (s->ntargets != 1)
        return errmsg_set(e, "learner (%s) learns online: it needs exactly one target circuit (learner.targets), not %u",
                          name, s->ntargets);
    instance *c = s->targets[0];
    const animat_plasticity_ext *p = instance_plasticity(c);
    if (!p)
        return errmsg_set(e, "learner (%s) learns online, but circuit '%s' does not offer %s (plastic weights)", name,
                          c->plugin->desc->name, ANIMAT_EXT_PLASTICITY);
    double *buf = calloc(2 * (size_t)s->ntheta + 1, sizeof *buf);
    if (!buf) return errmsg_set(e, "out of memory");
    free(s->online.elig);
    s->online = (sim_online){l, c, p, buf, buf + s->ntheta, s->ntheta};
    return 0;
}

void sim_destroy(sim *s) {
    free(s->online.elig);
    for (uint32_t i = 0; s->insts && i < s->ninsts; i++) instance_destroy(&s->insts[i]);
    free(s->insts);
    free(s->nodes);
    free(s->copies);
    free(s->delayed);
    free(s->lo);
    free(s->hi);
    free(s->scratch);
    sim_iv_free(s);
    free(s->pool);
    free(s->zeros);
    if (s->shared_page) munmap(s->shared_page, sizeof(sim_phase));
    memset(s, 0, sizeof *s);
}

/* Every value an instance just wrote to its OUT ports must be finite: a
 * NaN or infinity would silently poison everything downstream. */
static inline int check_outputs(sim *s, instance *in, errmsg *e) {
    return instance_check_outputs(in, s->episode, s->step, e);
}

/* Run a range of slice copies. */
static inline void run_copies(const sim_copy *c, uint32_t n) {
    for (uint32_t i = 0; i < n; i++) memcpy(c[i].dst, c[i].src, c[i].n * sizeof(double));
}

/* Mark the call in progress (read by isolation after a crash); the call
 * itself and its guard are plugin/'s (instance.h, learner.h). */
static inline void phase(sim *s, const instance *in, uint32_t what) {
    s->phase->inst = in ? (uint32_t)(in - s->insts) + 1 : SIM_PHASE_LEARNER;
    s->phase->what = what;
}

/* Metric ports: body OUT ports flagged METRIC, first value of each. */
static uint32_t find_metrics(sim *s, sim_result *r, const double **src) {
    uint32_t nm = 0;
    for (uint32_t b = 0; b < s->nbodies; b++) {
        instance *in = &s->insts[b];
        for (uint32_t i = 0; i < in->nports[ANIMAT_PORT_OUT] && nm < SIM_MAX_METRICS; i++) {
            const animat_port_info *p = &in->ports[ANIMAT_PORT_OUT][i];
            if (!(p->flags & ANIMAT_PORT_METRIC)) continue;
            src[nm] = in->bufs[ANIMAT_PORT_OUT][i];
            r->metric_name[nm] = p->name;
            r->metric_unit[nm] = p->unit ? p->unit : "";
            nm++;
        }
    }
    return r->nmetrics = nm;
}

/* Reset every instance for `episode`, zero delayed inputs, reset an online
 * learner. */
static int reset_all(sim *s, uint64_t episode, errmsg *e) {
    const experiment *x = s->x;
    for (uint32_t i = 0; i < s->ninsts; i++) {
        instance *in = &s->insts[i];
        hostctx_reseed_in(&in->host, x->seed, episode, s->domain);
        phase(s, in, SIM_CALL_RESET);
        uint64_t seed = hostctx_seed(x->seed, episode, (uint64_t)in->host.role | s->domain);
        if (instance_reset(in, seed, episode, e)) return -1;
        if (in->kind == ANIMAT_KIND_BODY && check_outputs(s, in, e)) return -1;
        if (s->nguard && sim_guard_check(s, in, "reset", e)) return -1;
    }
    for (uint32_t k = 0; k < s->ndelayed; k++) memset(s->delayed[k].dst, 0, s->delayed[k].n * sizeof(double));
    sim_online *on = &s->online;
    if (!on->l) return 0;
    phase(s, NULL, SIM_CALL_RESET);
    if (learner_online_reset(on->l, s->episode, s->step, e)) return -1;
    if (s->nguard && sim_guard_check(s, NULL, "online_reset", e)) return -1;
    return instance_get_theta(on->circuit, on->theta, on->ntheta, e);
}

/* Every circuit in graph order from node `from` on: its copies, then its substeps. */
static int step_circuits(sim *s, uint32_t from, errmsg *e) {
    for (uint32_t k = from; k < s->nnodes; k++) {
        const sim_node *nd = &s->nodes[k];
        instance *in = nd->in;
        run_copies(s->copies + nd->copy0, nd->ncopy);
        phase(s, in, SIM_CALL_STEP);
        if (instance_step_circuit(in, nd->substeps, nd->dt, s->episode, s->step, e)) return -1;
        if (s->nguard && sim_guard_check(s, in, "step", e)) return -1;
        if (check_outputs(s, in, e)) return -1;
    }
    return 0;
}

/* The copies into the bodies' action ports, then the clip into their
 * declared bounds: before the observers, so they see the action each body
 * is about to apply. Always 0. */
static int copy_body_inputs(sim *s) {
    run_copies(s->copies + s->body_copy0, s->ncopies - s->body_copy0);
    for (uint32_t b = 0; b < s->nbodies; b++) instance_clip_actions(&s->insts[b]);
    return 0;
}

uint32_t sim_print_clipped(const sim *s, FILE *f) {
    uint32_t lines = 0;
    for (uint32_t b = 0; b < s->nbodies; b++) {
        const instance *in = &s->insts[b];
        for (uint32_t i = 0; in->clipped && i < in->nports[ANIMAT_PORT_IN]; i++) {
            if (!in->clipped[i]) continue;
            fprintf(f, "note: %s.act.%s: %llu action value%s outside the declared bounds clipped (see `animat plugins "
                       "info %s`)\n", in->name, in->ports[ANIMAT_PORT_IN][i].name,
                    (unsigned long long)in->clipped[i], in->clipped[i] == 1 ? "" : "s", in->plugin->id);
            lines++;
        }
    }
    return lines;
}

/* Every body: one control step each (its inputs already copied). Adds
 * rewards to r and ORs the end flags into *ended. */
static int step_bodies(sim *s, sim_result *r, double *reward, int *ended, errmsg *e) {
    for (uint32_t b = 0; b < s->nbodies; b++) {
        instance *in = &s->insts[b];
        animat_step_result out;
        phase(s, in, SIM_CALL_STEP);
        if (instance_step_body(in, &out, s->episode, s->step, e)) return -1;
        if (s->nguard && sim_guard_check(s, in, "step", e)) return -1;
        if (check_outputs(s, in, e) || instance_check_result(in, &out, s->episode, s->step, e)) return -1;
        *reward = b ? *reward + out.reward : out.reward; /* one body: its reward, bit for bit */
        r->body_ret[b] += out.reward;
        r->terminated |= out.terminated != 0;
        r->truncated |= out.truncated != 0;
        *ended |= out.terminated || out.truncated;
    }
    return 0;
}

/* Plasticity: eligibility and reward in, new weights back. */
static int learn_online(sim *s, double reward, errmsg *e) {
    sim_online *on = &s->online;
    instance *c = on->circuit;
    phase(s, c, SIM_CALL_LEARN);
    if (instance_eligibility(c, on->plast, on->elig, on->ntheta, s->episode, s->step, e)) return -1;
    if (s->nguard && sim_guard_check(s, c, "eligibility", e)) return -1;
    phase(s, NULL, SIM_CALL_LEARN);
    if (learner_online_step(on->l, reward, on->elig, on->theta, on->ntheta, s->episode, s->step, e)) return -1;
    if (s->nguard && sim_guard_check(s, NULL, "online_step", e)) return -1;
    phase(s, c, SIM_CALL_LEARN);
    if (instance_set_theta_at(c, on->theta, on->ntheta, s->episode, s->step, e)) return -1;
    if (s->nguard && sim_guard_check(s, c, "set_theta", e)) return -1;
    return 0;
}

/* The observers around the body step. */
static int observe(sim *s, int after, double reward, errmsg *e) {
    for (uint32_t k = 0; k < s->nobservers; k++) {
        sim_observer *o = &s->observers[k];
        if (after ? o->after(o->ctx, reward) : o->before(o->ctx, s, s->episode, s->step))
            return errmsg_set(e, "%s", o->error(o->ctx));
    }
    return 0;
}

/* The control steps of one episode, after reset. 0 or -1 with e set. */
static int run_steps(sim *s, sim_result *r, const double *const *msrc, uint32_t nm, errmsg *e) {
    for (int ended = 0; !ended;) {
        double reward = 0;
        s->phase->step = s->step;
        int mid = s->resume_node != 0; /* a state saved inside this step: part of it had run */
        uint32_t from = mid ? s->resume_node - 1 : 0;
        s->resume_node = 0;
        if (!mid && s->snap.fn && s->step == s->snap.at && s->snap.fn(s->snap.ctx, s, r, e)) return -1;
        if ((s->nivs && !mid && sim_iv_step(s, e)) || step_circuits(s, from, e) || copy_body_inputs(s) ||
            observe(s, 0, 0, e) || step_bodies(s, r, &reward, &ended, e) || observe(s, 1, reward, e))
            return -1;
        r->ret += reward;
        if (s->online.l && learn_online(s, reward, e)) return -1;
        run_copies(s->delayed, s->ndelayed);
        for (uint32_t k = 0; k < nm; k++) r->metric[k] += msrc[k][0];
        s->step++;
        if (s->x->max_steps && s->step >= s->x->max_steps) ended = 1;
    }
    return 0;
}

int sim_episode(sim *s, uint64_t episode, sim_result *r, errmsg *e) {
    memset(r, 0, sizeof *r);
    r->nbodies = s->nbodies;
    s->episode = episode;
    s->step = 0;
    s->phase->episode = episode;
    s->phase->step = 0;
    const double *msrc[SIM_MAX_METRICS];
    uint32_t nm = find_metrics(s, r, msrc);
    if (reset_all(s, episode, e)) return -1;
    sim_iv_begin(s, episode);
    errmsg ie;
    errmsg_clear(&ie);
    s->resume_node = 0;
    int rc = s->restore.fn ? s->restore.fn(s->restore.ctx, s, r, e) : 0;
    if (!rc) rc = run_steps(s, r, msrc, nm, e);
    if (s->nivs && sim_iv_end(s, rc ? &ie : e)) rc = -1;
    if (rc) return -1;
    s->phase->inst = 0;
    r->steps = s->step;
    for (uint32_t k = 0; k < nm; k++) r->metric[k] /= (double)r->steps;
    return 0;
}
