/* sim.c -- see sim.h. */
#include "sim/sim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "sim/trace.h"

sim_inst *sim_role(sim *s, uint32_t role) { return role == HOSTCTX_ROLE_BODY ? &s->body : &s->circuit; }

/* Port i of an instance in a direction (stride struct_size). */
static const animat_port_info *port_at(const sim_inst *in, uint32_t dir, uint32_t i) {
    return registry_port_at(in->ports[dir], i);
}

int sim_port(const sim *s, uint32_t role, uint32_t dir, const char *name) {
    const sim_inst *in = role == HOSTCTX_ROLE_BODY ? &s->body : &s->circuit;
    for (uint32_t i = 0; i < in->nports[dir]; i++)
        if (strcmp(port_at(in, dir, i)->name, name) == 0) return (int)i;
    return -1;
}

/* wired_size for the plugin being created: size of the peer port, or 0. */
static uint32_t wired(void *ctx, uint32_t role, uint32_t dir, const char *port) {
    sim *s = ctx;
    for (uint32_t i = 0; i < s->x->nconns; i++) {
        const experiment_conn *c = &s->x->conns[i];
        uint32_t peer;
        const char *peer_port;
        if (dir == ANIMAT_PORT_IN && c->dst_role == role && !strcmp(c->dst_port, port)) {
            peer = c->src_role, peer_port = c->src_port;
        } else if (dir == ANIMAT_PORT_OUT && c->src_role == role && !strcmp(c->src_port, port)) {
            peer = c->dst_role, peer_port = c->dst_port;
        } else {
            continue;
        }
        sim_inst *pi = sim_role(s, peer);
        if (!pi->self) return 0; /* not created yet */
        int k = sim_port(s, peer, dir == ANIMAT_PORT_IN ? ANIMAT_PORT_OUT : ANIMAT_PORT_IN, peer_port);
        return k < 0 ? 0 : port_at(pi, dir == ANIMAT_PORT_IN ? ANIMAT_PORT_OUT : ANIMAT_PORT_IN, (uint32_t)k)->size;
    }
    return 0;
}

/* Failure message for a plugin call: "role (plugin): what: reason". */
static int plugin_fail(sim_inst *in, const char *what, errmsg *e) {
    const char *why = hostctx_take_error(&in->host);
    return errmsg_set(e, "%s (%s): %s%s%s", in->host.table.instance_name, in->plugin->desc->name, what,
                    *why ? ": " : "", *why ? why : " (the plugin gave no reason)");
}

/* Ask an instance for its ports and check them. */
static int list_ports(sim_inst *in, errmsg *e) {
    const animat_plugin_desc *d = in->plugin->desc;
    for (uint32_t dir = 0; dir < 2; dir++) {
        uint32_t n = 0;
        const animat_port_info *p = d->kind == ANIMAT_KIND_BODY
                                        ? ((const animat_body_api *)d->api)->ports(in->self, dir, &n)
                                        : ((const animat_circuit_api *)d->api)->ports(in->self, dir, &n);
        if (n && !p) return plugin_fail(in, "ports() returned NULL", e);
        if (n > 4096) return plugin_fail(in, "ports() reported an absurd number of ports", e);
        in->ports[dir] = p;
        in->nports[dir] = n;
        for (uint32_t i = 0; i < n; i++) {
            const animat_port_info *pi = port_at(in, dir, i);
            if (pi->struct_size < sizeof(animat_port_info) || !pi->name || pi->size == 0 || pi->size > (1u << 24))
                return errmsg_set(e, "%s (%s): port %u has no name, an old struct_size or an impossible size",
                                in->host.table.instance_name, d->name, i);
        }
    }
    return 0;
}

/* Create one instance. */
static int create_inst(sim *s, sim_inst *in, const experiment_role *r, uint32_t role, errmsg *e) {
    in->plugin = r->plugin;
    if (hostctx_init(&in->host, role, r->role, r->plugin->desc->name, &r->params))
        return errmsg_set(e, "out of memory");
    in->host.wired = wired;
    in->host.wired_ctx = s;
    hostctx_reseed(&in->host, s->x->seed, HOSTCTX_EPISODE_CREATE);
    const animat_plugin_desc *d = r->plugin->desc;
    in->self = d->kind == ANIMAT_KIND_BODY ? ((const animat_body_api *)d->api)->create(&in->host.table)
                                           : ((const animat_circuit_api *)d->api)->create(&in->host.table);
    if (!in->self) {
        const char *why = hostctx_take_error(&in->host);
        return errmsg_at(e, r->node->file, r->node->line, r->node->col, "%s (%s): create failed: %s", r->role,
                       r->plugin->desc->name, *why ? why : "(the plugin gave no reason)");
    }
    return list_ports(in, e);
}

/* A positioned "has no port" error listing the ports the instance has. */
static int no_port(sim *s, uint32_t role, uint32_t dir, const char *name, const yamltree *at, const char *label,
                   errmsg *e) {
    const sim_inst *in = sim_role(s, role);
    char list[512] = "";
    for (uint32_t i = 0; i < in->nports[dir]; i++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", port_at(in, dir, i)->name);
    }
    return errmsg_at(e, at->file, at->line, at->col, "%s: %s plugin '%s' has no %s port '%s' (it has: %s)", label,
                   experiment_role_name(role), in->plugin->desc->name, experiment_dir_word(role, dir), name,
                   list[0] ? list : "none");
}

/* Every connection end that belongs to `role` (0: any role) names an
 * existing port. Run after each create, so a misspelt body port is reported
 * before the circuit tries to size itself from it. */
static int check_ends(sim *s, uint32_t role, errmsg *e) {
    for (uint32_t c = 0; c < s->x->nconns; c++) {
        const experiment_conn *cn = &s->x->conns[c];
        for (int end = 0; end < 2; end++) {
            uint32_t r = end ? cn->dst_role : cn->src_role;
            uint32_t dir = end ? ANIMAT_PORT_IN : ANIMAT_PORT_OUT;
            const char *name = end ? cn->dst_port : cn->src_port;
            if ((role && r != role) || sim_port(s, r, dir, name) >= 0) continue;
            char label[32];
            snprintf(label, sizeof label, "wiring[%u]", c);
            return no_port(s, r, dir, name, cn->node, label, e);
        }
    }
    return 0;
}

/* Every record.ports entry names an existing port (checked by `check` and
 * before any episode, not only when a trace is opened). */
static int check_record_ports(sim *s, errmsg *e) {
    const yamltree *rp = s->x->record_ports;
    for (size_t i = 0; rp && i < rp->n; i++) {
        uint32_t role, dir;
        char port[EXPERIMENT_NAME_MAX], label[48];
        experiment_parse_port(rp->vals[i]->str, &role, &dir, port, sizeof port);
        snprintf(label, sizeof label, "record.ports[%zu]", i);
        if (sim_port(s, role, dir, port) < 0) return no_port(s, role, dir, port, rp->vals[i], label, e);
    }
    return 0;
}

/* Check connections and point inputs at their sources' buffers. */
static int wire(sim *s, errmsg *e) {
    /* Count doubles: every OUT port owns a buffer, plus one zero buffer as
     * large as the largest IN port. */
    size_t total = 0, zmax = 1;
    sim_inst *all[2] = {&s->body, &s->circuit};
    for (int k = 0; k < 2; k++) {
        for (uint32_t i = 0; i < all[k]->nports[ANIMAT_PORT_OUT]; i++) total += port_at(all[k], ANIMAT_PORT_OUT, i)->size;
        for (uint32_t i = 0; i < all[k]->nports[ANIMAT_PORT_IN]; i++)
            if (port_at(all[k], ANIMAT_PORT_IN, i)->size > zmax) zmax = port_at(all[k], ANIMAT_PORT_IN, i)->size;
        for (int dir = 0; dir < 2; dir++) {
            all[k]->bufs[dir] = calloc(all[k]->nports[dir] + 1, sizeof(double *));
            if (!all[k]->bufs[dir]) return errmsg_set(e, "out of memory");
        }
    }
    s->pool = calloc(total + 1, sizeof(double));
    s->zeros = calloc(zmax, sizeof(double));
    if (!s->pool || !s->zeros) return errmsg_set(e, "out of memory");
    double *p = s->pool;
    for (int k = 0; k < 2; k++) {
        for (uint32_t i = 0; i < all[k]->nports[ANIMAT_PORT_OUT]; i++) {
            all[k]->bufs[ANIMAT_PORT_OUT][i] = p;
            p += port_at(all[k], ANIMAT_PORT_OUT, i)->size;
        }
        for (uint32_t i = 0; i < all[k]->nports[ANIMAT_PORT_IN]; i++) all[k]->bufs[ANIMAT_PORT_IN][i] = s->zeros;
    }
    /* Each connection: both ends exist, sizes agree. */
    for (uint32_t c = 0; c < s->x->nconns; c++) {
        const experiment_conn *cn = &s->x->conns[c];
        const yamltree *n = cn->node;
        if (check_ends(s, 0, e)) return -1;
        int si = sim_port(s, cn->src_role, ANIMAT_PORT_OUT, cn->src_port);
        int di = sim_port(s, cn->dst_role, ANIMAT_PORT_IN, cn->dst_port);
        const sim_inst *src = sim_role(s, cn->src_role), *dst = sim_role(s, cn->dst_role);
        uint32_t ss = port_at(src, ANIMAT_PORT_OUT, (uint32_t)si)->size;
        uint32_t ds = port_at(dst, ANIMAT_PORT_IN, (uint32_t)di)->size;
        if (ss != ds)
            return errmsg_at(e, n->file, n->line, n->col,
                           "wiring[%u]: size mismatch: %s.%s.%s has %u values but %s.%s.%s takes %u", c,
                           experiment_role_name(cn->src_role), experiment_dir_word(cn->src_role, ANIMAT_PORT_OUT), cn->src_port, ss,
                           experiment_role_name(cn->dst_role), experiment_dir_word(cn->dst_role, ANIMAT_PORT_IN), cn->dst_port, ds);
        sim_role(s, cn->dst_role)->bufs[ANIMAT_PORT_IN][di] = src->bufs[ANIMAT_PORT_OUT][si];
    }
    return 0;
}

int sim_get_theta(sim *s, double *theta, errmsg *e) {
    const animat_circuit_api *c = s->circuit.plugin->desc->api;
    if (s->ntheta && c->get_theta(s->circuit.self, theta, s->ntheta) != ANIMAT_OK)
        return plugin_fail(&s->circuit, "get_theta failed", e);
    return 0;
}

int sim_set_theta(sim *s, const double *theta, errmsg *e) {
    const animat_circuit_api *c = s->circuit.plugin->desc->api;
    if (s->ntheta && c->set_theta(s->circuit.self, theta, s->ntheta) != ANIMAT_OK)
        return plugin_fail(&s->circuit, "set_theta failed", e);
    return 0;
}

int sim_create(sim *s, const experiment *x, errmsg *e) {
    memset(s, 0, sizeof *s);
    s->x = x;
    s->phase = &s->local_phase;
    if (create_inst(s, &s->body, &x->body, HOSTCTX_ROLE_BODY, e)) goto fail;
    const animat_body_api *b = x->body.plugin->desc->api;
    s->dt = b->control_dt(s->body.self);
    if (!(s->dt > 0) || !isfinite(s->dt)) {
        errmsg_set(e, "body (%s): control_dt() returned %g; it must be a positive number of seconds",
                 x->body.plugin->desc->name, s->dt);
        goto fail;
    }
    if (check_ends(s, HOSTCTX_ROLE_BODY, e)) goto fail;
    if (create_inst(s, &s->circuit, &x->circuit, HOSTCTX_ROLE_CIRCUIT, e)) goto fail;
    const animat_circuit_api *c = x->circuit.plugin->desc->api;
    c->theta_info(s->circuit.self, &s->ntheta);
    if (wire(s, e) || check_record_ports(s, e)) goto fail;
    /* An explicit initial theta replaces the circuit's own init. */
    if (x->theta) {
        const yamltree *n = x->theta_node;
        if (x->ntheta != s->ntheta) {
            errmsg_at(e, n->file, n->line, n->col, "circuit.theta: has %u values but circuit '%s' has %u parameters",
                    x->ntheta, x->circuit.plugin->desc->name, s->ntheta);
            goto fail;
        }
        if (sim_set_theta(s, x->theta, e)) goto fail;
    }
    return 0;
fail:
    sim_destroy(s);
    return -1;
}

int sim_attach_online(sim *s, const animat_learner_api *api, void *self, hostctx *host, errmsg *e) {
    const animat_circuit_api *c = s->circuit.plugin->desc->api;
    const void *ext = REGISTRY_HAS(c, animat_circuit_api, extension) ? c->extension(s->circuit.self, ANIMAT_EXT_PLASTICITY) : NULL;
    const animat_plasticity_ext *p = ext;
    if (!p || p->struct_size < sizeof(animat_plasticity_ext) || !p->eligibility)
        return errmsg_set(e, "learner (%s) learns online, but circuit '%s' does not offer %s (plastic weights)",
                        host->plugin_name, s->circuit.plugin->desc->name, ANIMAT_EXT_PLASTICITY);
    double *buf = calloc(2 * (size_t)s->ntheta + 1, sizeof *buf);
    if (!buf) return errmsg_set(e, "out of memory");
    free(s->online.elig);
    s->online = (sim_online){api, self, host, p, buf, buf + s->ntheta};
    return 0;
}

void sim_destroy(sim *s) {
    free(s->online.elig);
    sim_inst *all[2] = {&s->body, &s->circuit};
    for (int k = 0; k < 2; k++) {
        sim_inst *in = all[k];
        if (in->self) {
            const animat_plugin_desc *d = in->plugin->desc;
            if (d->kind == ANIMAT_KIND_BODY)
                ((const animat_body_api *)d->api)->destroy(in->self);
            else
                ((const animat_circuit_api *)d->api)->destroy(in->self);
        }
        free(in->bufs[0]);
        free(in->bufs[1]);
        hostctx_fini(&in->host);
    }
    free(s->pool);
    free(s->zeros);
    if (s->shared_page) munmap(s->shared_page, sizeof(sim_phase));
    memset(s, 0, sizeof *s);
}

/* A step-phase failure: name plugin, episode and step. */
static int step_fail(sim *s, sim_inst *in, const char *what, errmsg *e) {
    const char *why = hostctx_take_error(&in->host);
    return errmsg_set(e, "%s (%s): %s in episode %llu at step %llu%s%s", in->host.table.instance_name,
                    in->plugin->desc->name, what, (unsigned long long)s->episode + 1, (unsigned long long)s->step,
                    *why ? ": " : "", why);
}

/* Name of a non-finite value for messages. */
static const char *nonfinite_name(double v) { return isnan(v) ? "NaN" : v > 0 ? "+inf" : "-inf"; }

/* Every value an instance just wrote to its OUT ports must be finite: a
 * NaN or infinity would silently poison everything downstream. */
static int check_outputs(sim *s, sim_inst *in, errmsg *e) {
    double *const *b = in->bufs[ANIMAT_PORT_OUT];
    for (uint32_t p = 0; p < in->nports[ANIMAT_PORT_OUT]; p++) {
        const animat_port_info *pi = port_at(in, ANIMAT_PORT_OUT, p);
        for (uint32_t i = 0; i < pi->size; i++)
            if (!isfinite(b[p][i]))
                return errmsg_set(e, "%s (%s): %s '%s'[%u] is %s in episode %llu at step %llu",
                                in->host.table.instance_name, in->plugin->desc->name,
                                in->plugin->desc->kind == ANIMAT_KIND_BODY ? "observation" : "output", pi->name, i,
                                nonfinite_name(b[p][i]), (unsigned long long)s->episode + 1,
                                (unsigned long long)s->step);
    }
    return 0;
}

/* A learner failure inside an episode. */
static int online_fail(sim *s, const char *what, errmsg *e) {
    const char *why = hostctx_take_error(s->online.host);
    return errmsg_set(e, "learner (%s): %s in episode %llu at step %llu%s%s", s->online.host->plugin_name, what,
                    (unsigned long long)s->episode + 1, (unsigned long long)s->step, *why ? ": " : "", why);
}

int sim_episode(sim *s, uint64_t episode, sim_result *r, errmsg *e) {
    const animat_body_api *b = s->body.plugin->desc->api;
    const animat_circuit_api *c = s->circuit.plugin->desc->api;
    void *bs = s->body.self, *cs = s->circuit.self;
    double *const *obs = s->body.bufs[ANIMAT_PORT_OUT];
    const double *const *act = (const double *const *)s->body.bufs[ANIMAT_PORT_IN];
    const double *const *cin = (const double *const *)s->circuit.bufs[ANIMAT_PORT_IN];
    double *const *cout = s->circuit.bufs[ANIMAT_PORT_OUT];
    memset(r, 0, sizeof *r);
    s->episode = episode;
    s->step = 0;

    /* Metric ports: body OUT ports flagged METRIC, up to SIM_MAX_METRICS values. */
    uint32_t mport[SIM_MAX_METRICS], nm = 0;
    for (uint32_t i = 0; i < s->body.nports[ANIMAT_PORT_OUT] && nm < SIM_MAX_METRICS; i++) {
        const animat_port_info *p = port_at(&s->body, ANIMAT_PORT_OUT, i);
        if (p->flags & ANIMAT_PORT_METRIC) {
            mport[nm] = i;
            r->metric_name[nm] = p->name;
            r->metric_unit[nm] = p->unit ? p->unit : "";
            nm++;
        }
    }
    r->nmetrics = nm;

    /* Reset: body first (initial observation), then circuit. */
    sim_phase *ph = s->phase;
    ph->episode = episode;
    ph->step = 0;
    hostctx_reseed(&s->body.host, s->x->seed, episode);
    hostctx_reseed(&s->circuit.host, s->x->seed, episode);
    ph->role = HOSTCTX_ROLE_BODY, ph->what = SIM_CALL_RESET;
    if (b->reset(bs, hostctx_seed(s->x->seed, episode, HOSTCTX_ROLE_BODY), obs) != ANIMAT_OK)
        return step_fail(s, &s->body, "reset failed", e);
    if (check_outputs(s, &s->body, e)) return -1;
    ph->role = HOSTCTX_ROLE_CIRCUIT;
    if (c->reset(cs, hostctx_seed(s->x->seed, episode, HOSTCTX_ROLE_CIRCUIT)) != ANIMAT_OK)
        return step_fail(s, &s->circuit, "reset failed", e);
    sim_online *on = &s->online;
    if (on->api) {
        ph->role = HOSTCTX_ROLE_LEARNER;
        if (on->api->online_reset(on->self) != ANIMAT_OK) return online_fail(s, "online_reset failed", e);
        if (sim_get_theta(s, on->theta, e)) return -1;
    }

    /* The loop: observe -> circuit -> act -> body. */
    animat_step_result out;
    for (;;) {
        ph->step = s->step;
        ph->role = HOSTCTX_ROLE_CIRCUIT, ph->what = SIM_CALL_STEP;
        if (c->step(cs, cin, cout, s->dt) != ANIMAT_OK) return step_fail(s, &s->circuit, "step failed", e);
        if (check_outputs(s, &s->circuit, e)) return -1;
        if (s->trace && trace_before(s->trace, s, episode, s->step)) return errmsg_set(e, "%s", trace_error(s->trace));
        memset(&out, 0, sizeof out);
        out.struct_size = sizeof out;
        ph->role = HOSTCTX_ROLE_BODY;
        if (b->step(bs, act, obs, &out) != ANIMAT_OK) return step_fail(s, &s->body, "step failed", e);
        if (check_outputs(s, &s->body, e)) return -1;
        if (!isfinite(out.reward))
            return errmsg_set(e, "body (%s): reward is %s in episode %llu at step %llu", s->body.plugin->desc->name,
                            nonfinite_name(out.reward), (unsigned long long)episode + 1,
                            (unsigned long long)s->step);
        if (s->trace && trace_after(s->trace, out.reward)) return errmsg_set(e, "%s", trace_error(s->trace));
        r->ret += out.reward;
        /* Plasticity: eligibility and reward in, new weights back. */
        if (on->api) {
            ph->role = HOSTCTX_ROLE_CIRCUIT, ph->what = SIM_CALL_LEARN;
            if (on->plast->eligibility(cs, on->elig, s->ntheta) != ANIMAT_OK)
                return step_fail(s, &s->circuit, "eligibility failed", e);
            ph->role = HOSTCTX_ROLE_LEARNER;
            if (on->api->online_step(on->self, out.reward, on->elig, on->theta, s->ntheta) != ANIMAT_OK)
                return online_fail(s, "online_step failed", e);
            if (c->set_theta(cs, on->theta, s->ntheta) != ANIMAT_OK)
                return step_fail(s, &s->circuit, "set_theta failed", e);
        }
        for (uint32_t k = 0; k < nm; k++) r->metric[k] += obs[mport[k]][0];
        s->step++;
        if (out.terminated || out.truncated || (s->x->max_steps && s->step >= s->x->max_steps)) break;
    }
    ph->role = 0;
    r->steps = s->step;
    r->terminated = out.terminated != 0;
    r->truncated = out.truncated != 0;
    for (uint32_t k = 0; k < nm; k++) r->metric[k] /= (double)r->steps;
    return 0;
}
