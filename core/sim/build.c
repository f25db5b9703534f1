/* build.c -- sim_create: instances in graph order, edges checked, buffers
 * and slice copies laid out once (see sim.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exp/wiring.h"
#include "sim/sim.h"
#include "sim/buffers.h"
#include "sim/intervene.h"
#include "sim/theta.h"
#include "sim/sim_impl.h"

#define AT(e, n, ...) errmsg_at((e), (n)->file, (n)->line, (n)->col, __VA_ARGS__)


/* wired_size for the plugin being created: how many values the wiring
 * puts into (IN) or takes out of (OUT) its port, 0 when not yet known. */
static uint32_t wired(void *ctx, uint32_t inst, uint32_t dir, const char *port) {
    sim *s = ctx;
    uint32_t size = 0;
    for (uint32_t i = 0; i < s->x->nconns; i++) {
        const experiment_conn *c = &s->x->conns[i];
        const experiment_end *mine = dir == ANIMAT_PORT_IN ? &c->dst : &c->src;
        const experiment_end *peer = dir == ANIMAT_PORT_IN ? &c->src : &c->dst;
        if (mine->inst != inst || strcmp(mine->port, port)) continue;
        uint32_t n = mine->sliced ? mine->hi : sim_end_len(s, peer);
        if (n > size) size = n;
    }
    return size;
}

/* A positioned "has no port" error listing the ports the instance has. */
static int no_port(const sim *s, const experiment_end *end, const yamltree *at, const char *label, errmsg *e) {
    const instance *in = &s->insts[end->inst];
    char list[512] = "";
    for (uint32_t i = 0; i < in->nports[end->dir]; i++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", in->ports[end->dir][i].name);
    }
    const char *dw = experiment_dir_word(in->kind, end->dir);
    if (s->x->short_form)
        return AT(e, at, "%s: %s plugin '%s' has no %s port '%s' (it has: %s)", label, in->name, in->plugin->desc->name,
                  dw, end->port, list[0] ? list : "none");
    return AT(e, at, "%s: %s '%s' (plugin %s) has no %s port '%s' (it has: %s)", label,
              experiment_kind_name(in->kind), in->name, in->plugin->desc->name, dw, end->port, list[0] ? list : "none");
}

/* Every edge end on instance `inst` names an existing port. Run after each
 * create, so a misspelt port is reported before a later instance tries to
 * size itself from it. */
static int check_ends(const sim *s, uint32_t inst, errmsg *e) {
    for (uint32_t c = 0; c < s->x->nconns; c++) {
        const experiment_conn *cn = &s->x->conns[c];
        for (int k = 0; k < 2; k++) {
            const experiment_end *end = k ? &cn->dst : &cn->src;
            if (end->inst != inst || instance_port(&s->insts[inst], end->dir, end->port) >= 0) continue;
            char label[32];
            snprintf(label, sizeof label, "wiring[%u]", c);
            return no_port(s, end, cn->node, label, e);
        }
    }
    return 0;
}

/* Every record.ports entry names an existing port. */
static int check_record_ports(const sim *s, errmsg *e) {
    const yamltree *rp = s->x->record_ports;
    for (size_t i = 0; rp && i < rp->n; i++) {
        experiment_end end;
        char label[48];
        wiring_parse_end(s->x, rp->vals[i]->str, &end);
        snprintf(label, sizeof label, "record.ports[%zu]", i);
        if (instance_port(&s->insts[end.inst], end.dir, end.port) < 0) return no_port(s, &end, rp->vals[i], label, e);
    }
    return 0;
}

/* Circuits in step order: Kahn's algorithm over undelayed circuit-to-circuit
 * edges, ties broken by file order (wiring_load already refused cycles). */
static int order_circuits(sim *s, errmsg *e) {
    const experiment *x = s->x;
    uint32_t indeg[EXPERIMENT_MAX_INSTS] = {0}, placed[EXPERIMENT_MAX_INSTS] = {0};
    for (uint32_t i = 0; i < x->nconns; i++) {
        const experiment_conn *c = &x->conns[i];
        if (!c->delayed && c->src.inst >= x->nbodies && c->dst.inst >= x->nbodies && c->src.inst != c->dst.inst)
            indeg[c->dst.inst]++;
    }
    s->nodes = calloc(x->ninsts - x->nbodies + 1, sizeof *s->nodes);
    if (!s->nodes) return errmsg_set(e, "out of memory");
    while (s->nnodes < x->ninsts - x->nbodies) {
        uint32_t v = x->nbodies;
        while (v < x->ninsts && (placed[v] || indeg[v])) v++;
        if (v == x->ninsts) return errmsg_set(e, "wiring: cycle among circuits"); /* unreachable */
        placed[v] = 1;
        s->nodes[s->nnodes++].in = &s->insts[v];
        for (uint32_t i = 0; i < x->nconns; i++) {
            const experiment_conn *c = &x->conns[i];
            if (!c->delayed && c->src.inst == v && c->dst.inst >= x->nbodies && c->dst.inst != v) indeg[c->dst.inst]--;
        }
    }
    return 0;
}

/* Create instance i (positioned error at its block on failure). */
static int create_one(sim *s, uint32_t i, errmsg *e) {
    const experiment_inst *xi = &s->x->insts[i];
    errmsg ce;
    errmsg_clear(&ce);
    if (instance_create(&s->insts[i], xi->plugin, xi->name, xi->stream, &xi->params, s->x->seed, wired, s, i, &ce)) {
        if (ce.code == ERRMSG_PLUGIN_CREATE) return AT(e, xi->node, "%s", ce.msg);
        return errmsg_set(e, "%s", ce.msg);
    }
    return check_ends(s, i, e);
}

/* Bodies (and their shared control interval), then circuits in step order. */
static int create_all(sim *s, errmsg *e) {
    for (uint32_t i = 0; i < s->nbodies; i++) {
        if (create_one(s, i, e)) return -1;
        double dt = instance_control_dt(&s->insts[i]);
        if (!(dt > 0) || !isfinite(dt))
            return errmsg_set(e, "%s (%s): control_dt() returned %g; it must be a positive number of seconds",
                              s->insts[i].name, s->insts[i].plugin->desc->name, dt);
        if (i && dt != s->dt)
            return errmsg_set(e, "bodies '%s' and '%s' have different control intervals (%g s and %g s); bodies of "
                                 "one experiment step together", s->insts[0].name, s->insts[i].name, s->dt, dt);
        s->dt = dt;
    }
    for (uint32_t k = 0; k < s->nnodes; k++) {
        sim_node *nd = &s->nodes[k];
        uint32_t i = (uint32_t)(nd->in - s->insts);
        if (create_one(s, i, e)) return -1;
        nd->substeps = s->x->insts[i].substeps;
        nd->dt = s->dt / nd->substeps;
    }
    return check_record_ports(s, e);
}

/* Sizes and slice ranges of edge i, positioned. */
static int check_sizes(const sim *s, uint32_t i, errmsg *e) {
    const experiment_conn *c = &s->x->conns[i];
    const experiment_end *ends[2] = {&c->src, &c->dst};
    char txt[2][192];
    uint32_t len[2];
    for (int k = 0; k < 2; k++) {
        const instance *in = &s->insts[ends[k]->inst];
        uint32_t size = in->ports[ends[k]->dir][instance_port(in, ends[k]->dir, ends[k]->port)].size;
        wiring_end_str(s->x, ends[k], txt[k], sizeof txt[k]);
        if (ends[k]->sliced && ends[k]->hi > size)
            return AT(e, c->node, "wiring[%u]: slice of %s is out of range: the port has %u values", i, txt[k], size);
        len[k] = ends[k]->sliced ? ends[k]->hi - ends[k]->lo : size;
    }
    if (len[0] != len[1])
        return AT(e, c->node, "wiring[%u]: size mismatch: %s has %u values but %s takes %u", i, txt[0], len[0], txt[1],
                  len[1]);
    return 0;
}

/* No two edges write the same element of an input. */
static int check_overlaps(const sim *s, errmsg *e) {
    const experiment *x = s->x;
    for (uint32_t j = 0; j < x->nconns; j++)
        for (uint32_t i = 0; i < j; i++) {
            const experiment_conn *a = &x->conns[i], *b = &x->conns[j];
            if (a->dst.inst != b->dst.inst || strcmp(a->dst.port, b->dst.port)) continue;
            uint32_t alo, ahi, blo, bhi;
            sim_dst_range(s, a, &alo, &ahi);
            sim_dst_range(s, b, &blo, &bhi);
            if (blo >= ahi || alo >= bhi) continue;
            char txt[192];
            wiring_end_str(x, &b->dst, txt, sizeof txt);
            uint32_t lo = alo > blo ? alo : blo, hi = ahi < bhi ? ahi : bhi;
            return AT(e, b->node, "wiring[%u]: %s overlaps wiring[%u] (elements %u..%u are written twice)", j, txt, i,
                      lo, hi - 1);
        }
    return 0;
}



int sim_create(sim *s, const experiment *x, errmsg *e) {
    memset(s, 0, sizeof *s);
    s->x = x;
    s->phase = &s->local_phase;
    s->ninsts = x->ninsts;
    s->nbodies = x->nbodies;
    if (x->nbodies > SIM_MAX_BODIES) {
        errmsg_set(e, "%s: more than %d bodies", x->file, SIM_MAX_BODIES);
        goto fail;
    }
    if (!(s->insts = calloc(x->ninsts, sizeof *s->insts))) {
        errmsg_set(e, "out of memory");
        goto fail;
    }
    if (order_circuits(s, e) || create_all(s, e)) goto fail;
    for (uint32_t i = 0; i < x->nconns; i++)
        if (check_sizes(s, i, e)) goto fail;
    if (check_overlaps(s, e) || sim_lay_buffers(s, e) || sim_lay_copies(s, e)) goto fail;
    if (sim_theta_init(s, e) || sim_iv_init(s, e)) goto fail;
    return 0;
fail:
    sim_destroy(s);
    return -1;
}
