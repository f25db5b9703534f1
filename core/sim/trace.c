/* trace.c -- see trace.h. */
#include "sim/trace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/atomicfile.h"
#include "exp/wiring.h"
#include "sim/sim_impl.h"

struct sim_trace {
    atomicfile file;
    uint32_t n;                         /* recorded ports */
    const double *buf[TRACE_MAX_PORTS];
    uint32_t size[TRACE_MAX_PORTS];
    double dt;
    char err[300];
};

void trace_fprint_comment(FILE *f, const char *text) {
    for (const char *p = text; p && *p;) {
        fputs("# ", f);
        for (; *p && *p != '\n'; p++) {
            unsigned char c = (unsigned char)*p; /* a CR or ESC from a command line must not rewrite the line */
            if ((c < 0x20 && c != '\t') || c == 0x7f) fprintf(f, "\\x%02x", c);
            else fputc(c, f);
        }
        fputc('\n', f);
        p += *p == '\n';
    }
}

/* Add one port to the recorded set (no duplicates). */
static int add_port(sim_trace *t, sim *s, const experiment_end *end, errmsg *e) {
    instance *in = &s->insts[end->inst];
    int k = instance_port(in, end->dir, end->port);
    if (k < 0) return errmsg_set(e, "record.ports: %s has no %s port '%s'", in->name,
                                 experiment_dir_word(in->kind, end->dir), end->port);
    const double *b = in->bufs[end->dir][k];
    for (uint32_t i = 0; i < t->n; i++)
        if (t->buf[i] == b) return 0;
    if (t->n == TRACE_MAX_PORTS) return errmsg_set(e, "record.ports: more than %d ports", TRACE_MAX_PORTS);
    const animat_port_info *p = &in->ports[end->dir][k];
    t->buf[t->n] = b;
    t->size[t->n] = p->size;
    for (uint32_t i = 0; i < p->size; i++)
        fprintf(t->file.f, ",%s.%s.%s[%u]", in->name, experiment_dir_word(in->kind, end->dir), end->port, i);
    t->n++;
    return 0;
}

/* The header: recorded ports are record.ports, else every edge's source. */
static int write_header(sim_trace *t, sim *s, errmsg *e) {
    fprintf(t->file.f, "episode,step,time");
    const yamltree *rp = s->x->record_ports;
    for (size_t i = 0; rp && i < rp->n; i++) {
        experiment_end end;
        wiring_parse_end(s->x, rp->vals[i]->str, &end);
        if (add_port(t, s, &end, e)) return -1;
    }
    for (uint32_t i = 0; !rp && i < s->x->nconns; i++) {
        experiment_end whole = s->x->conns[i].src;
        whole.sliced = 0;
        if (add_port(t, s, &whole, e)) return -1;
    }
    fprintf(t->file.f, ",reward\n");
    return 0;
}

sim_trace *trace_open(const char *path, sim *s, const char *prov, errmsg *e) {
    sim_trace *t = calloc(1, sizeof *t);
    if (!t) {
        errmsg_set(e, "out of memory");
        return NULL;
    }
    if (atomicfile_open(&t->file, path, e)) {
        free(t);
        return NULL;
    }
    t->dt = s->dt;
    atomicfile_guard(&t->file);
    trace_fprint_comment(t->file.f, prov);
    if (write_header(t, s, e)) {
        trace_abort(t);
        return NULL;
    }
    return t;
}

/* Observer hooks: the row's ports after the circuits stepped, then the
 * reward after the bodies did. */
static int before(void *ctx, const sim *s, uint64_t episode, uint64_t step) {
    (void)s;
    sim_trace *t = ctx;
    fprintf(t->file.f, "%llu,%llu,%.17g", (unsigned long long)episode + 1, (unsigned long long)step,
            (double)step * t->dt);
    for (uint32_t k = 0; k < t->n; k++)
        for (uint32_t i = 0; i < t->size[k]; i++) fprintf(t->file.f, ",%.17g", t->buf[k][i]);
    return 0;
}

static int after(void *ctx, double reward) {
    sim_trace *t = ctx;
    if (fprintf(t->file.f, ",%.17g\n", reward) < 0 || ferror(t->file.f)) {
        snprintf(t->err, sizeof t->err, "%s: write failed: %s", t->file.tmp, strerror(errno));
        return -1;
    }
    return 0;
}

static const char *error(void *ctx) { return ((sim_trace *)ctx)->err; }

sim_observer trace_observer(sim_trace *t) { return (sim_observer){t, before, after, error}; }

int trace_commit(sim_trace *t, errmsg *e) {
    atomicfile_unguard(&t->file);
    int rc = atomicfile_commit(&t->file, e);
    free(t);
    return rc;
}

void trace_abort(sim_trace *t) {
    if (!t) return;
    atomicfile_unguard(&t->file);
    atomicfile_abort(&t->file);
    free(t);
}
