/* buffers.c -- see buffers.h. */
#include "sim/buffers.h"
#include "sim/guard.h"
#include "sim/sim_impl.h"

#include <stdlib.h>
#include <string.h>

uint32_t sim_end_len(const sim *s, const experiment_end *end) {
    if (end->sliced) return end->hi - end->lo;
    const instance *in = &s->insts[end->inst];
    if (!in->self) return 0;
    int k = instance_port(in, end->dir, end->port);
    return k < 0 ? 0 : in->ports[end->dir][k].size;
}

/* Range [lo, hi) an edge writes into its destination port. */
void sim_dst_range(const sim *s, const experiment_conn *c, uint32_t *lo, uint32_t *hi) {
    *lo = c->dst.sliced ? c->dst.lo : 0;
    *hi = c->dst.sliced ? c->dst.hi : sim_end_len(s, &c->dst);
}

/* Is input `port` of instance i a body's action port with declared bounds?
 * The host clips those in place (instance_clip_actions), so they always get
 * a buffer of their own: a source's output or the shared zeros never change. */
static int clipped_input(const sim *s, uint32_t i, const char *port) {
    const instance *in = &s->insts[i];
    if (in->kind != ANIMAT_KIND_BODY || !in->vals[ANIMAT_PORT_IN]) return 0;
    int k = instance_port(in, ANIMAT_PORT_IN, port);
    return k >= 0 && in->vals[ANIMAT_PORT_IN][k].bounded;
}

/* Is edge i the only one into its destination, undelayed and whole to
 * whole, so the input can read the source's buffer directly? */
static int aliases(const sim *s, uint32_t i) {
    const experiment_conn *c = &s->x->conns[i];
    if (c->delayed || c->src.sliced || c->dst.sliced || clipped_input(s, c->dst.inst, c->dst.port)) return 0;
    for (uint32_t j = 0; j < s->x->nconns; j++)
        if (j != i && s->x->conns[j].dst.inst == c->dst.inst && !strcmp(s->x->conns[j].dst.port, c->dst.port)) return 0;
    return 1;
}


/* How input port k of instance i is fed: -1 none, -2 needs its own buffer,
 * else the index of the one edge it can alias. */
static int feed_of(const sim *s, uint32_t i, const char *port) {
    if (clipped_input(s, i, port)) return -2;
    int found = -1;
    for (uint32_t j = 0; j < s->x->nconns; j++) {
        const experiment_conn *c = &s->x->conns[j];
        if (c->dst.inst != i || strcmp(c->dst.port, port)) continue;
        if (!aliases(s, j)) return -2;
        found = (int)j;
    }
    return found;
}

/* The OUT buffer of an edge's source (its whole port). */
static double *src_buf(const sim *s, const experiment_end *end) {
    const instance *in = &s->insts[end->inst];
    return in->bufs[ANIMAT_PORT_OUT][instance_port(in, ANIMAT_PORT_OUT, end->port)];
}

int sim_lay_buffers(sim *s, errmsg *e) {
    size_t total = 0, zmax = 1, nbuf = 0;
    uint32_t g = s->nguard = s->x->guard ? SIM_GUARD : 0;
    for (uint32_t i = 0; i < s->ninsts; i++) {
        instance *in = &s->insts[i];
        for (uint32_t k = 0; k < in->nports[ANIMAT_PORT_OUT]; k++, nbuf++) total += in->ports[ANIMAT_PORT_OUT][k].size;
        for (uint32_t k = 0; k < in->nports[ANIMAT_PORT_IN]; k++) {
            uint32_t n = in->ports[ANIMAT_PORT_IN][k].size;
            if (feed_of(s, i, in->ports[ANIMAT_PORT_IN][k].name) == -2) total += n, nbuf++;
            if (n > zmax) zmax = n;
        }
    }
    s->npool = total + 1 + (nbuf + 1) * g;
    s->pool = calloc(s->npool, sizeof(double));
    s->zeros = calloc(zmax, sizeof(double));
    if (!s->pool || !s->zeros) return errmsg_set(e, "out of memory");
    if (g) sim_guard_fill(s->pool, s->npool);
    double *p = s->pool + g; /* guard, buffer, guard, buffer, ..., guard */
    for (uint32_t i = 0; i < s->ninsts; i++) {
        instance *in = &s->insts[i];
        for (uint32_t k = 0; k < in->nports[ANIMAT_PORT_OUT]; k++) {
            in->bufs[ANIMAT_PORT_OUT][k] = p;
            memset(p, 0, in->ports[ANIMAT_PORT_OUT][k].size * sizeof(double));
            p += in->ports[ANIMAT_PORT_OUT][k].size + g;
        }
        for (uint32_t k = 0; k < in->nports[ANIMAT_PORT_IN]; k++) {
            int f = feed_of(s, i, in->ports[ANIMAT_PORT_IN][k].name);
            in->bufs[ANIMAT_PORT_IN][k] = s->zeros;
            if (f == -2) {
                in->bufs[ANIMAT_PORT_IN][k] = p;
                memset(p, 0, in->ports[ANIMAT_PORT_IN][k].size * sizeof(double));
                p += in->ports[ANIMAT_PORT_IN][k].size + g;
            }
        }
    }
    /* Aliases last: every OUT buffer exists now. */
    for (uint32_t i = 0; i < s->ninsts; i++) {
        instance *in = &s->insts[i];
        for (uint32_t k = 0; k < in->nports[ANIMAT_PORT_IN]; k++) {
            int f = feed_of(s, i, in->ports[ANIMAT_PORT_IN][k].name);
            if (f >= 0) in->bufs[ANIMAT_PORT_IN][k] = src_buf(s, &s->x->conns[f].src);
        }
    }
    return 0;
}

/* The copy for edge j (not an alias). */
static sim_copy copy_of(const sim *s, uint32_t j) {
    const experiment_conn *c = &s->x->conns[j];
    const instance *d = &s->insts[c->dst.inst];
    double *dst = d->bufs[ANIMAT_PORT_IN][instance_port(d, ANIMAT_PORT_IN, c->dst.port)];
    uint32_t lo, hi;
    sim_dst_range(s, c, &lo, &hi);
    return (sim_copy){src_buf(s, &c->src) + (c->src.sliced ? c->src.lo : 0), dst + lo, hi - lo};
}

/* Append the undelayed non-alias copies into instance i. */
static void add_copies_into(sim *s, uint32_t i) {
    for (uint32_t j = 0; j < s->x->nconns; j++) {
        const experiment_conn *c = &s->x->conns[j];
        if (c->dst.inst == i && !c->delayed && !aliases(s, j)) s->copies[s->ncopies++] = copy_of(s, j);
    }
}

int sim_lay_copies(sim *s, errmsg *e) {
    s->copies = calloc(s->x->nconns + 1, sizeof *s->copies);
    s->delayed = calloc(s->x->nconns + 1, sizeof *s->delayed);
    if (!s->copies || !s->delayed) return errmsg_set(e, "out of memory");
    for (uint32_t k = 0; k < s->nnodes; k++) {
        s->nodes[k].copy0 = s->ncopies;
        add_copies_into(s, (uint32_t)(s->nodes[k].in - s->insts));
        s->nodes[k].ncopy = s->ncopies - s->nodes[k].copy0;
    }
    s->body_copy0 = s->ncopies;
    for (uint32_t i = 0; i < s->nbodies; i++) add_copies_into(s, i);
    for (uint32_t j = 0; j < s->x->nconns; j++)
        if (s->x->conns[j].delayed) s->delayed[s->ndelayed++] = copy_of(s, j);
    return 0;
}

/* Does some edge write element a of input `port` of instance i? */
static int is_fed(const sim *s, uint32_t i, const char *port, uint32_t a) {
    for (uint32_t j = 0; j < s->x->nconns; j++) {
        const experiment_conn *c = &s->x->conns[j];
        uint32_t lo, hi;
        if (c->dst.inst != i || strcmp(c->dst.port, port)) continue;
        sim_dst_range(s, c, &lo, &hi);
        if (lo <= a && a < hi) return 1;
    }
    return 0;
}

uint32_t sim_print_unfed(const sim *s, FILE *f) {
    uint32_t lines = 0;
    for (uint32_t i = 0; i < s->ninsts; i++) {
        const instance *in = &s->insts[i];
        for (uint32_t k = 0; k < in->nports[ANIMAT_PORT_IN]; k++) {
            const animat_port_info *p = &in->ports[ANIMAT_PORT_IN][k];
            for (uint32_t a = 0; a < p->size;) {
                if (is_fed(s, i, p->name, a)) {
                    a++;
                    continue;
                }
                uint32_t b = a + 1;
                while (b < p->size && !is_fed(s, i, p->name, b)) b++;
                fprintf(f, "note: %s.%s.%s[%u:%u] reads zeros: fed by nothing\n", in->name,
                        experiment_dir_word(in->kind, ANIMAT_PORT_IN), p->name, a, b);
                lines++;
                a = b;
            }
        }
    }
    return lines;
}

uint32_t sim_print_named_edges(const sim *s, FILE *f) {
    uint32_t lines = 0;
    for (uint32_t j = 0; j < s->x->nconns; j++) {
        const experiment_conn *c = &s->x->conns[j];
        const instance *src = &s->insts[c->src.inst], *dst = &s->insts[c->dst.inst];
        int k = instance_port(src, ANIMAT_PORT_OUT, c->src.port);
        if (src->kind != ANIMAT_KIND_CIRCUIT || k < 0 || !src->vals[ANIMAT_PORT_OUT]) continue;
        const char *const *names = src->vals[ANIMAT_PORT_OUT][k].names;
        if (!names) continue;
        uint32_t lo, hi, s0 = c->src.sliced ? c->src.lo : 0;
        sim_dst_range(s, c, &lo, &hi);
        for (uint32_t e = 0; e < hi - lo; e++, lines++)
            fprintf(f, "map: %s.out.%s[%u] (%s) -> %s.%s.%s[%u]\n", src->name, c->src.port, s0 + e, names[s0 + e],
                    dst->name, experiment_dir_word(dst->kind, ANIMAT_PORT_IN), c->dst.port, lo + e);
    }
    return lines;
}
