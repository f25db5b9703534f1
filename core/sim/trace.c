/* trace.c -- see trace.h. */
#include "sim/trace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/runner.h"

struct sim_trace {
    FILE *f;
    char *path, *tmp;
    uint32_t n;                         /* recorded ports */
    const double *buf[TRACE_MAX_PORTS];
    uint32_t size[TRACE_MAX_PORTS];
    double dt;
    int failed;
    char err[300];
};

/* Add one port to the recorded set (no duplicates). */
static int add_port(sim_trace *t, sim *s, uint32_t role, uint32_t dir, const char *name, errmsg *e) {
    int k = sim_port(s, role, dir, name);
    if (k < 0)
        return errmsg_set(e, "record.ports: %s plugin has no %s port '%s'", experiment_role_name(role),
                        experiment_dir_word(role, dir), name);
    sim_inst *in = sim_role(s, role);
    const double *b = in->bufs[dir][k];
    for (uint32_t i = 0; i < t->n; i++)
        if (t->buf[i] == b) return 0;
    if (t->n == TRACE_MAX_PORTS) return errmsg_set(e, "record.ports: more than %d ports", TRACE_MAX_PORTS);
    const animat_port_info *p = registry_port_at(in->ports[dir], (uint32_t)k);
    t->buf[t->n] = b;
    t->size[t->n] = p->size;
    for (uint32_t i = 0; i < p->size; i++) fprintf(t->f, ",%s.%s.%s[%u]", experiment_role_name(role), experiment_dir_word(role, dir), name, i);
    t->n++;
    return 0;
}

sim_trace *trace_open(const char *path, sim *s, const char *prov, errmsg *e) {
    sim_trace *t = calloc(1, sizeof *t);
    if (!t) {
        errmsg_set(e, "out of memory");
        return NULL;
    }
    t->path = strdup(path);
    t->tmp = malloc(strlen(path) + 5);
    if (!t->path || !t->tmp) {
        errmsg_set(e, "out of memory");
        trace_abort(t);
        return NULL;
    }
    sprintf(t->tmp, "%s.tmp", path);
    t->dt = s->dt;
    if (!(t->f = fopen(t->tmp, "w"))) {
        errmsg_set(e, "%s: cannot write trace: %s", t->tmp, strerror(errno));
        free(t->path);
        free(t->tmp);
        free(t);
        return NULL;
    }
    /* Provenance lines, then the header. */
    runner_fprint_comment(t->f, prov);
    fprintf(t->f, "episode,step,time");
    const yamltree *rp = s->x->record_ports;
    if (rp) {
        for (size_t i = 0; i < rp->n; i++) {
            uint32_t role, dir;
            char port[EXPERIMENT_NAME_MAX];
            experiment_parse_port(rp->vals[i]->str, &role, &dir, port, sizeof port);
            if (add_port(t, s, role, dir, port, e)) goto fail;
        }
    } else {
        for (uint32_t i = 0; i < s->x->nconns; i++)
            if (add_port(t, s, s->x->conns[i].src_role, ANIMAT_PORT_OUT, s->x->conns[i].src_port, e)) goto fail;
    }
    fprintf(t->f, ",reward\n");
    return t;
fail:
    trace_abort(t);
    return NULL;
}

int trace_before(sim_trace *t, const sim *s, uint64_t episode, uint64_t step) {
    (void)s;
    fprintf(t->f, "%llu,%llu,%.17g", (unsigned long long)episode + 1, (unsigned long long)step, (double)step * t->dt);
    for (uint32_t k = 0; k < t->n; k++)
        for (uint32_t i = 0; i < t->size[k]; i++) fprintf(t->f, ",%.17g", t->buf[k][i]);
    return 0;
}

int trace_after(sim_trace *t, double reward) {
    if (fprintf(t->f, ",%.17g\n", reward) < 0 || ferror(t->f)) {
        snprintf(t->err, sizeof t->err, "%s: write failed: %s", t->tmp, strerror(errno));
        return -1;
    }
    return 0;
}

const char *trace_error(const sim_trace *t) { return t->err; }

int trace_commit(sim_trace *t, errmsg *e) {
    int rc = 0;
    if (fflush(t->f) || ferror(t->f) || fsync(fileno(t->f))) rc = errmsg_set(e, "%s: write failed: %s", t->tmp, strerror(errno));
    if (fclose(t->f) && !rc) rc = errmsg_set(e, "%s: close failed: %s", t->tmp, strerror(errno));
    t->f = NULL;
    if (!rc && rename(t->tmp, t->path)) rc = errmsg_set(e, "%s: cannot rename into place: %s", t->path, strerror(errno));
    if (rc) unlink(t->tmp);
    free(t->path);
    free(t->tmp);
    free(t);
    return rc;
}

void trace_abort(sim_trace *t) {
    if (!t) return;
    if (t->f) fclose(t->f);
    if (t->tmp) unlink(t->tmp);
    free(t->path);
    free(t->tmp);
    free(t);
}
