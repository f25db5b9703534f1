/* asim.c -- see asim.h. */
#include "asim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "atrace.h"

asim_inst *asim_role(asim *s, uint32_t role) { return role == AHOST_ROLE_BODY ? &s->body : &s->circuit; }

/* Port i of an instance in a direction (stride struct_size). */
static const animat_port_info *port_at(const asim_inst *in, uint32_t dir, uint32_t i) {
    return areg_port_at(in->ports[dir], i);
}

int asim_port(const asim *s, uint32_t role, uint32_t dir, const char *name) {
    const asim_inst *in = role == AHOST_ROLE_BODY ? &s->body : &s->circuit;
    for (uint32_t i = 0; i < in->nports[dir]; i++)
        if (strcmp(port_at(in, dir, i)->name, name) == 0) return (int)i;
    return -1;
}

/* wired_size for the plugin being created: size of the peer port, or 0. */
static uint32_t wired(void *ctx, uint32_t role, uint32_t dir, const char *port) {
    asim *s = ctx;
    for (uint32_t i = 0; i < s->x->nconns; i++) {
        const aexp_conn *c = &s->x->conns[i];
        uint32_t peer;
        const char *peer_port;
        if (dir == ANIMAT_PORT_IN && c->dst_role == role && !strcmp(c->dst_port, port)) {
            peer = c->src_role, peer_port = c->src_port;
        } else if (dir == ANIMAT_PORT_OUT && c->src_role == role && !strcmp(c->src_port, port)) {
            peer = c->dst_role, peer_port = c->dst_port;
        } else {
            continue;
        }
        asim_inst *pi = asim_role(s, peer);
        if (!pi->self) return 0; /* not created yet */
        int k = asim_port(s, peer, dir == ANIMAT_PORT_IN ? ANIMAT_PORT_OUT : ANIMAT_PORT_IN, peer_port);
        return k < 0 ? 0 : port_at(pi, dir == ANIMAT_PORT_IN ? ANIMAT_PORT_OUT : ANIMAT_PORT_IN, (uint32_t)k)->size;
    }
    return 0;
}

/* Failure message for a plugin call: "role (plugin): what: reason". */
static int plugin_fail(asim_inst *in, const char *what, aerr *e) {
    const char *why = ahost_take_error(&in->host);
    return aerr_set(e, "%s (%s): %s%s%s", in->host.table.instance_name, in->plugin->desc->name, what,
                    *why ? ": " : "", *why ? why : " (the plugin gave no reason)");
}

/* Ask an instance for its ports and check them. */
static int list_ports(asim_inst *in, aerr *e) {
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
                return aerr_set(e, "%s (%s): port %u has no name, an old struct_size or an impossible size",
                                in->host.table.instance_name, d->name, i);
        }
    }
    return 0;
}

/* Create one instance. */
static int create_inst(asim *s, asim_inst *in, const aexp_role *r, uint32_t role, aerr *e) {
    in->plugin = r->plugin;
    if (ahost_init(&in->host, role, r->role, r->plugin->desc->name, &r->params))
        return aerr_set(e, "out of memory");
    in->host.wired = wired;
    in->host.wired_ctx = s;
    ahost_reseed(&in->host, s->x->seed, AHOST_EPISODE_CREATE);
    const animat_plugin_desc *d = r->plugin->desc;
    in->self = d->kind == ANIMAT_KIND_BODY ? ((const animat_body_api *)d->api)->create(&in->host.table)
                                           : ((const animat_circuit_api *)d->api)->create(&in->host.table);
    if (!in->self) {
        const char *why = ahost_take_error(&in->host);
        return aerr_at(e, r->node->file, r->node->line, r->node->col, "%s (%s): create failed: %s", r->role,
                       r->plugin->desc->name, *why ? why : "(the plugin gave no reason)");
    }
    return list_ports(in, e);
}

/* A positioned "has no port" error listing the ports the instance has. */
static int no_port(asim *s, uint32_t role, uint32_t dir, const char *name, const ydoc *at, const char *label,
                   aerr *e) {
    const asim_inst *in = asim_role(s, role);
    char list[512] = "";
    for (uint32_t i = 0; i < in->nports[dir]; i++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", port_at(in, dir, i)->name);
    }
    return aerr_at(e, at->file, at->line, at->col, "%s: %s plugin '%s' has no %s port '%s' (it has: %s)", label,
                   aexp_role_name(role), in->plugin->desc->name, aexp_dir_word(role, dir), name,
                   list[0] ? list : "none");
}

/* Every connection end that belongs to `role` (0: any role) names an
 * existing port. Run after each create, so a misspelt body port is reported
 * before the circuit tries to size itself from it. */
static int check_ends(asim *s, uint32_t role, aerr *e) {
    for (uint32_t c = 0; c < s->x->nconns; c++) {
        const aexp_conn *cn = &s->x->conns[c];
        for (int end = 0; end < 2; end++) {
            uint32_t r = end ? cn->dst_role : cn->src_role;
            uint32_t dir = end ? ANIMAT_PORT_IN : ANIMAT_PORT_OUT;
            const char *name = end ? cn->dst_port : cn->src_port;
            if ((role && r != role) || asim_port(s, r, dir, name) >= 0) continue;
            char label[32];
            snprintf(label, sizeof label, "wiring[%u]", c);
            return no_port(s, r, dir, name, cn->node, label, e);
        }
    }
    return 0;
}

/* Every record.ports entry names an existing port (checked by `check` and
 * before any episode, not only when a trace is opened). */
static int check_record_ports(asim *s, aerr *e) {
    const ydoc *rp = s->x->record_ports;
    for (size_t i = 0; rp && i < rp->n; i++) {
        uint32_t role, dir;
        char port[AEXP_NAME_MAX], label[48];
        aexp_parse_port(rp->vals[i]->str, &role, &dir, port, sizeof port);
        snprintf(label, sizeof label, "record.ports[%zu]", i);
        if (asim_port(s, role, dir, port) < 0) return no_port(s, role, dir, port, rp->vals[i], label, e);
    }
    return 0;
}

/* Check connections and point inputs at their sources' buffers. */
static int wire(asim *s, aerr *e) {
    /* Count doubles: every OUT port owns a buffer, plus one zero buffer as
     * large as the largest IN port. */
    size_t total = 0, zmax = 1;
    asim_inst *all[2] = {&s->body, &s->circuit};
    for (int k = 0; k < 2; k++) {
        for (uint32_t i = 0; i < all[k]->nports[ANIMAT_PORT_OUT]; i++) total += port_at(all[k], ANIMAT_PORT_OUT, i)->size;
        for (uint32_t i = 0; i < all[k]->nports[ANIMAT_PORT_IN]; i++)
            if (port_at(all[k], ANIMAT_PORT_IN, i)->size > zmax) zmax = port_at(all[k], ANIMAT_PORT_IN, i)->size;
        for (int dir = 0; dir < 2; dir++) {
            all[k]->bufs[dir] = calloc(all[k]->nports[dir] + 1, sizeof(double *));
            if (!all[k]->bufs[dir]) return aerr_set(e, "out of memory");
        }
    }
    s->pool = calloc(total + 1, sizeof(double));
    s->zeros = calloc(zmax, sizeof(double));
    if (!s->pool || !s->zeros) return aerr_set(e, "out of memory");
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
        const aexp_conn *cn = &s->x->conns[c];
        const ydoc *n = cn->node;
        if (check_ends(s, 0, e)) return -1;
        int si = asim_port(s, cn->src_role, ANIMAT_PORT_OUT, cn->src_port);
        int di = asim_port(s, cn->dst_role, ANIMAT_PORT_IN, cn->dst_port);
        const asim_inst *src = asim_role(s, cn->src_role), *dst = asim_role(s, cn->dst_role);
        uint32_t ss = port_at(src, ANIMAT_PORT_OUT, (uint32_t)si)->size;
        uint32_t ds = port_at(dst, ANIMAT_PORT_IN, (uint32_t)di)->size;
        if (ss != ds)
            return aerr_at(e, n->file, n->line, n->col,
                           "wiring[%u]: size mismatch: %s.%s.%s has %u values but %s.%s.%s takes %u", c,
                           aexp_role_name(cn->src_role), aexp_dir_word(cn->src_role, ANIMAT_PORT_OUT), cn->src_port, ss,
                           aexp_role_name(cn->dst_role), aexp_dir_word(cn->dst_role, ANIMAT_PORT_IN), cn->dst_port, ds);
        asim_role(s, cn->dst_role)->bufs[ANIMAT_PORT_IN][di] = src->bufs[ANIMAT_PORT_OUT][si];
    }
    return 0;
}

int asim_get_theta(asim *s, double *theta, aerr *e) {
    const animat_circuit_api *c = s->circuit.plugin->desc->api;
    if (s->ntheta && c->get_theta(s->circuit.self, theta, s->ntheta) != ANIMAT_OK)
        return plugin_fail(&s->circuit, "get_theta failed", e);
    return 0;
}

int asim_set_theta(asim *s, const double *theta, aerr *e) {
    const animat_circuit_api *c = s->circuit.plugin->desc->api;
    if (s->ntheta && c->set_theta(s->circuit.self, theta, s->ntheta) != ANIMAT_OK)
        return plugin_fail(&s->circuit, "set_theta failed", e);
    return 0;
}

int asim_create(asim *s, const aexp *x, aerr *e) {
    memset(s, 0, sizeof *s);
    s->x = x;
    s->phase = &s->local_phase;
    if (create_inst(s, &s->body, &x->body, AHOST_ROLE_BODY, e)) goto fail;
    const animat_body_api *b = x->body.plugin->desc->api;
    s->dt = b->control_dt(s->body.self);
    if (!(s->dt > 0) || !isfinite(s->dt)) {
        aerr_set(e, "body (%s): control_dt() returned %g; it must be a positive number of seconds",
                 x->body.plugin->desc->name, s->dt);
        goto fail;
    }
    if (check_ends(s, AHOST_ROLE_BODY, e)) goto fail;
    if (create_inst(s, &s->circuit, &x->circuit, AHOST_ROLE_CIRCUIT, e)) goto fail;
    const animat_circuit_api *c = x->circuit.plugin->desc->api;
    c->theta_info(s->circuit.self, &s->ntheta);
    if (wire(s, e) || check_record_ports(s, e)) goto fail;
    /* An explicit initial theta replaces the circuit's own init. */
    if (x->theta) {
        const ydoc *n = x->theta_node;
        if (x->ntheta != s->ntheta) {
            aerr_at(e, n->file, n->line, n->col, "circuit.theta: has %u values but circuit '%s' has %u parameters",
                    x->ntheta, x->circuit.plugin->desc->name, s->ntheta);
            goto fail;
        }
        if (asim_set_theta(s, x->theta, e)) goto fail;
    }
    return 0;
fail:
    asim_destroy(s);
    return -1;
}

int asim_attach_online(asim *s, const animat_learner_api *api, void *self, ahost *host, aerr *e) {
    const animat_circuit_api *c = s->circuit.plugin->desc->api;
    const void *ext = AREG_HAS(c, animat_circuit_api, extension) ? c->extension(s->circuit.self, ANIMAT_EXT_PLASTICITY) : NULL;
    const animat_plasticity_ext *p = ext;
    if (!p || p->struct_size < sizeof(animat_plasticity_ext) || !p->eligibility)
        return aerr_set(e, "learner (%s) learns online, but circuit '%s' does not offer %s (plastic weights)",
                        host->plugin_name, s->circuit.plugin->desc->name, ANIMAT_EXT_PLASTICITY);
    double *buf = calloc(2 * (size_t)s->ntheta + 1, sizeof *buf);
    if (!buf) return aerr_set(e, "out of memory");
    free(s->online.elig);
    s->online = (asim_online){api, self, host, p, buf, buf + s->ntheta};
    return 0;
}

void asim_destroy(asim *s) {
    free(s->online.elig);
    asim_inst *all[2] = {&s->body, &s->circuit};
    for (int k = 0; k < 2; k++) {
        asim_inst *in = all[k];
        if (in->self) {
            const animat_plugin_desc *d = in->plugin->desc;
            if (d->kind == ANIMAT_KIND_BODY)
                ((const animat_body_api *)d->api)->destroy(in->self);
            else
                ((const animat_circuit_api *)d->api)->destroy(in->self);
        }
        free(in->bufs[0]);
        free(in->bufs[1]);
        ahost_fini(&in->host);
    }
    free(s->pool);
    free(s->zeros);
    if (s->shared_page) munmap(s->shared_page, sizeof(asim_phase));
    memset(s, 0, sizeof *s);
}

/* A step-phase failure: name plugin, episode and step. */
static int step_fail(asim *s, asim_inst *in, const char *what, aerr *e) {
    const char *why = ahost_take_error(&in->host);
    return aerr_set(e, "%s (%s): %s in episode %llu at step %llu%s%s", in->host.table.instance_name,
                    in->plugin->desc->name, what, (unsigned long long)s->episode + 1, (unsigned long long)s->step,
                    *why ? ": " : "", why);
}

/* Name of a non-finite value for messages. */
static const char *nonfinite_name(double v) { return isnan(v) ? "NaN" : v > 0 ? "+inf" : "-inf"; }

/* Every value an instance just wrote to its OUT ports must be finite: a
 * NaN or infinity would silently poison everything downstream. */
static int check_outputs(asim *s, asim_inst *in, aerr *e) {
    double *const *b = in->bufs[ANIMAT_PORT_OUT];
    for (uint32_t p = 0; p < in->nports[ANIMAT_PORT_OUT]; p++) {
        const animat_port_info *pi = port_at(in, ANIMAT_PORT_OUT, p);
        for (uint32_t i = 0; i < pi->size; i++)
            if (!isfinite(b[p][i]))
                return aerr_set(e, "%s (%s): %s '%s'[%u] is %s in episode %llu at step %llu",
                                in->host.table.instance_name, in->plugin->desc->name,
                                in->plugin->desc->kind == ANIMAT_KIND_BODY ? "observation" : "output", pi->name, i,
                                nonfinite_name(b[p][i]), (unsigned long long)s->episode + 1,
                                (unsigned long long)s->step);
    }
    return 0;
}

/* A learner failure inside an episode. */
static int online_fail(asim *s, const char *what, aerr *e) {
    const char *why = ahost_take_error(s->online.host);
    return aerr_set(e, "learner (%s): %s in episode %llu at step %llu%s%s", s->online.host->plugin_name, what,
                    (unsigned long long)s->episode + 1, (unsigned long long)s->step, *why ? ": " : "", why);
}

int asim_episode(asim *s, uint64_t episode, asim_result *r, aerr *e) {
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

    /* Metric ports: body OUT ports flagged METRIC, up to ASIM_MAX_METRICS values. */
    uint32_t mport[ASIM_MAX_METRICS], nm = 0;
    for (uint32_t i = 0; i < s->body.nports[ANIMAT_PORT_OUT] && nm < ASIM_MAX_METRICS; i++) {
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
    asim_phase *ph = s->phase;
    ph->episode = episode;
    ph->step = 0;
    ahost_reseed(&s->body.host, s->x->seed, episode);
    ahost_reseed(&s->circuit.host, s->x->seed, episode);
    ph->role = AHOST_ROLE_BODY, ph->what = ASIM_CALL_RESET;
    if (b->reset(bs, ahost_seed(s->x->seed, episode, AHOST_ROLE_BODY), obs) != ANIMAT_OK)
        return step_fail(s, &s->body, "reset failed", e);
    if (check_outputs(s, &s->body, e)) return -1;
    ph->role = AHOST_ROLE_CIRCUIT;
    if (c->reset(cs, ahost_seed(s->x->seed, episode, AHOST_ROLE_CIRCUIT)) != ANIMAT_OK)
        return step_fail(s, &s->circuit, "reset failed", e);
    asim_online *on = &s->online;
    if (on->api) {
        ph->role = AHOST_ROLE_LEARNER;
        if (on->api->online_reset(on->self) != ANIMAT_OK) return online_fail(s, "online_reset failed", e);
        if (asim_get_theta(s, on->theta, e)) return -1;
    }

    /* The loop: observe -> circuit -> act -> body. */
    animat_step_result out;
    for (;;) {
        ph->step = s->step;
        ph->role = AHOST_ROLE_CIRCUIT, ph->what = ASIM_CALL_STEP;
        if (c->step(cs, cin, cout, s->dt) != ANIMAT_OK) return step_fail(s, &s->circuit, "step failed", e);
        if (check_outputs(s, &s->circuit, e)) return -1;
        if (s->trace && atrace_before(s->trace, s, episode, s->step)) return aerr_set(e, "%s", atrace_error(s->trace));
        memset(&out, 0, sizeof out);
        out.struct_size = sizeof out;
        ph->role = AHOST_ROLE_BODY;
        if (b->step(bs, act, obs, &out) != ANIMAT_OK) return step_fail(s, &s->body, "step failed", e);
        if (check_outputs(s, &s->body, e)) return -1;
        if (!isfinite(out.reward))
            return aerr_set(e, "body (%s): reward is %s in episode %llu at step %llu", s->body.plugin->desc->name,
                            nonfinite_name(out.reward), (unsigned long long)episode + 1,
                            (unsigned long long)s->step);
        if (s->trace && atrace_after(s->trace, out.reward)) return aerr_set(e, "%s", atrace_error(s->trace));
        r->ret += out.reward;
        /* Plasticity: eligibility and reward in, new weights back. */
        if (on->api) {
            ph->role = AHOST_ROLE_CIRCUIT, ph->what = ASIM_CALL_LEARN;
            if (on->plast->eligibility(cs, on->elig, s->ntheta) != ANIMAT_OK)
                return step_fail(s, &s->circuit, "eligibility failed", e);
            ph->role = AHOST_ROLE_LEARNER;
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
