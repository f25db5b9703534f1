/* guard.c -- see guard.h. */
#include "sim/guard.h"
#include "sim/sim_impl.h"

#include <string.h>

/* A signalling-NaN bit pattern no computation produces by accident. */
static const uint64_t GUARD_BITS = 0x7ff4a11a7ca4a11aULL;

void sim_guard_fill(double *p, size_t n) {
    for (size_t i = 0; i < n; i++) memcpy(&p[i], &GUARD_BITS, sizeof GUARD_BITS);
}

/* Are the n doubles at p all the guard value? */
static int intact(const double *p, uint32_t n) {
    for (uint32_t i = 0; i < n; i++) {
        uint64_t b;
        memcpy(&b, &p[i], sizeof b);
        if (b != GUARD_BITS) return 0;
    }
    return 1;
}

/* Port k of direction d of instance j: -1 before, 1 after its buffer changed, else 0.
 * Buffers outside the pool (the shared zeros) have no guards. */
static int port_broken(const sim *s, const instance *j, uint32_t d, uint32_t k) {
    const double *b = j->bufs[d][k];
    if (b < s->pool || b >= s->pool + s->npool) return 0;
    if (!intact(b - s->nguard, s->nguard)) return -1;
    return intact(b + j->ports[d][k].size, s->nguard) ? 0 : 1;
}

/* The wiring word of direction d: obs/act for bodies, out/in for circuits. */
static const char *dir_word(const instance *j, uint32_t d) {
    if (j->kind == ANIMAT_KIND_BODY) return d == ANIMAT_PORT_OUT ? "obs" : "act";
    return d == ANIMAT_PORT_OUT ? "out" : "in";
}

int sim_guard_check(const sim *s, const instance *in, const char *call, errmsg *e) {
    for (uint32_t i = 0; i < s->ninsts; i++) {
        const instance *j = &s->insts[i];
        for (uint32_t o = 0; o < 2; o++) /* outputs, then inputs: the pool's order */
            for (uint32_t d = o ? ANIMAT_PORT_IN : ANIMAT_PORT_OUT, k = 0; k < j->nports[d]; k++) {
                int w = port_broken(s, j, d, k);
                if (!w) continue;
                return errmsg_set(e,
                                  "run.guard: %s (%s) %s wrote outside a port buffer: the guard values %s %s.%s.%s "
                                  "changed in episode %llu at step %llu",
                                  in ? in->name : "learner",
                                  in ? in->plugin->desc->name : s->online.l->plugin->desc->name, call,
                                  w < 0 ? "before" : "after", j->name, dir_word(j, d),
                                  j->ports[d][k].name, (unsigned long long)s->episode + 1,
                                  (unsigned long long)s->step);
            }
    }
    return 0;
}
