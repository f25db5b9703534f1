/* theta.c -- see theta.h and sim.h (graph theta, projection, names). */
#include "sim/theta.h"

#include "base/params.h"
#include "sim/sim_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AT(e, n, ...) errmsg_at((e), (n)->file, (n)->line, (n)->col, __VA_ARGS__)

/* Target t and the entry within it for graph-theta index k. */
static uint32_t locate(const sim *s, uint32_t k, uint32_t *local) {
    uint32_t t = 0;
    while (t + 1 < s->ntargets && k >= s->target_n[t]) k -= s->target_n[t++];
    *local = k;
    return t;
}

const animat_param_info *sim_theta_entry(sim *s, uint32_t k) {
    uint32_t local, n;
    uint32_t t = locate(s, k, &local);
    return params_at(instance_theta_info(s->targets[t], &n), local);
}

void sim_theta_name(sim *s, uint32_t k, char *buf, size_t cap) {
    uint32_t local;
    uint32_t t = locate(s, k, &local);
    snprintf(buf, cap, "%s.%s", s->targets[t]->name, sim_theta_entry(s, k)->name);
}

void sim_project(const sim *s, double *theta) {
    for (uint32_t k = 0; k < s->ntheta; k++) {
        if (theta[k] < s->lo[k]) theta[k] = s->lo[k];
        if (theta[k] > s->hi[k]) theta[k] = s->hi[k];
    }
}

int sim_get_theta(sim *s, double *theta, errmsg *e) {
    for (uint32_t t = 0, off = 0; t < s->ntargets; off += s->target_n[t++])
        if (instance_get_theta(s->targets[t], theta + off, s->target_n[t], e)) return -1;
    return 0;
}

int sim_set_theta(sim *s, const double *theta, errmsg *e) {
    if (s->ntheta) memcpy(s->scratch, theta, s->ntheta * sizeof *theta);
    sim_project(s, s->scratch);
    for (uint32_t t = 0, off = 0; t < s->ntargets; off += s->target_n[t++])
        if (instance_set_theta(s->targets[t], s->scratch + off, s->target_n[t], e)) return -1;
    return 0;
}

/* Bounds of every graph-theta entry: [min, max], tightened to >= 0 or
 * <= 0 by the sign flags. */
static int init_bounds(sim *s, errmsg *e) {
    s->lo = calloc(s->ntheta + 1, sizeof *s->lo);
    s->hi = calloc(s->ntheta + 1, sizeof *s->hi);
    s->scratch = calloc(s->ntheta + 1, sizeof *s->scratch);
    if (!s->lo || !s->hi || !s->scratch) return errmsg_set(e, "out of memory");
    for (uint32_t k = 0; k < s->ntheta; k++) {
        const animat_param_info *p = sim_theta_entry(s, k);
        double lo = isnan(p->min) ? -INFINITY : p->min, hi = isnan(p->max) ? INFINITY : p->max;
        if ((p->flags & ANIMAT_PARAM_EXCITATORY) && lo < 0) lo = 0;
        if ((p->flags & ANIMAT_PARAM_INHIBITORY) && hi > 0) hi = 0;
        if (lo > hi) return errmsg_set(e, "circuit entry %u declares an empty range [%g, %g]", k, lo, hi);
        s->lo[k] = lo, s->hi[k] = hi;
    }
    return 0;
}

/* A body named in learner.targets must have design parameters
 * (animat.morphology/1). 0, or -1 with e at the list item. */
static int check_body_target(sim *s, uint32_t j, instance *in, errmsg *e) {
    uint32_t len;
    if (instance_theta_check(in, e)) return -1;
    instance_theta_info(in, &len);
    if (len) return 0;
    const yamltree *t = s->x->learner.node ? yamltree_get(s->x->learner.node, "targets") : NULL;
    if (!t || t->kind != YAMLTREE_SEQ || j >= t->n)
        return errmsg_set(e, "learner.targets[%u]: '%s' is a body (%s) without design parameters (animat.morphology/1)",
                          j, in->name, in->plugin->desc->name);
    return AT(e, t->vals[j], "learner.targets[%u]: '%s' is a body (%s) without design parameters (animat.morphology/1)",
              j, in->name, in->plugin->desc->name);
}

/* Targets: learner.targets (circuits, and bodies with design parameters),
 * or every circuit with a theta (file order). */
static int init_targets(sim *s, errmsg *e) {
    const experiment *x = s->x;
    uint32_t n = x->targets_given ? x->ntargets : x->ninsts;
    for (uint32_t j = 0; j < n; j++) {
        uint32_t i = x->targets_given ? x->targets[j] : j;
        uint32_t len;
        if (s->insts[i].kind != ANIMAT_KIND_CIRCUIT) {
            if (!x->targets_given) continue;
            if (check_body_target(s, j, &s->insts[i], e)) return -1;
        }
        if (instance_theta_check(&s->insts[i], e)) return -1;
        instance_theta_info(&s->insts[i], &len);
        if (len > (1u << 24)) return errmsg_set(e, "%s: theta_info reports %u entries", s->insts[i].name, len);
        if (!len && !x->targets_given) continue;
        s->targets[s->ntargets] = &s->insts[i];
        s->target_n[s->ntargets++] = len;
        s->ntheta += len;
        if (s->ntheta > (1u << 24)) return errmsg_set(e, "the graph theta is longer than 2^24 entries");
    }
    return init_bounds(s, e);
}

/* Entry names of a file against circuit in (entries after the first '.'
 * of each file name). 0, or -1 with e naming the first mismatch. */
static int match_names(instance *in, char *const *names, uint32_t n, const yamltree *at, const char *where, errmsg *e) {
    uint32_t have;
    const animat_param_info *info = instance_theta_info(in, &have);
    for (uint32_t k = 0; k < n && k < have; k++) {
        const char *dot = strchr(names[k], '.');
        const char *entry = dot ? dot + 1 : names[k];
        if (strcmp(entry, params_at(info, k)->name))
            return AT(e, at, "%s: entry %u is '%s' in the file but '%s.%s' in the experiment", where, k, names[k],
                      in->name, params_at(info, k)->name);
    }
    return 0;
}

/* Each circuit's own theta / theta_file. */
static int apply_own(sim *s, errmsg *e) {
    for (uint32_t i = s->nbodies; i < s->ninsts; i++) {
        const experiment_inst *xi = &s->x->insts[i];
        if (!xi->theta) continue;
        uint32_t have;
        instance_theta_info(&s->insts[i], &have);
        char where[160];
        snprintf(where, sizeof where, s->x->short_form ? "%s.theta" : "circuits.%s.theta", xi->name);
        if (xi->ntheta != have)
            return AT(e, xi->theta_node, "%s: has %u values but circuit '%s' has %u parameters", where, xi->ntheta,
                      xi->plugin->desc->name, have);
        if (xi->theta_names && match_names(&s->insts[i], xi->theta_names, xi->ntheta, xi->theta_node, where, e))
            return -1;
        if (instance_set_theta(&s->insts[i], xi->theta, xi->ntheta, e)) return -1;
    }
    return 0;
}

/* One run of names of circuit `name` from the graph's theta_file: entries
 * [k, k + n) of the file. */
static int apply_run(sim *s, const thetafile *tf, uint32_t k, uint32_t n, const char *name, errmsg *e) {
    const yamltree *at = s->x->theta_file_node;
    instance *in = sim_find(s, name);
    uint32_t have = 0;
    if (in) instance_theta_info(in, &have);
    if (!in || (in->kind != ANIMAT_KIND_CIRCUIT && !have))
        return AT(e, at, "theta_file: entry %u '%s' names no circuit of this experiment", k, tf->names[k]);
    if (n != have)
        return AT(e, at, "theta_file: has %u values for circuit '%s' but it has %u parameters", n, name, have);
    if (match_names(in, tf->names + k, n, at, "theta_file", e)) return -1;
    return instance_set_theta(in, tf->theta + k, n, e);
}

/* The graph's top-level theta_file, spread over circuits by entry name. */
static int apply_graph_file(sim *s, errmsg *e) {
    const thetafile *tf = s->x->theta_file;
    if (!tf) return 0;
    if (!tf->names) {
        const yamltree *at = s->x->theta_file_node;
        if (s->ntargets != 1)
            return AT(e, at, "theta_file: the file has no entry names, and %u circuits have parameters", s->ntargets);
        if (tf->n != s->ntheta)
            return AT(e, at, "theta_file: has %u values but circuit '%s' has %u parameters", tf->n, s->targets[0]->name,
                      s->ntheta);
        return instance_set_theta(s->targets[0], tf->theta, tf->n, e);
    }
    for (uint32_t k = 0; k < tf->n;) {
        char name[EXPERIMENT_NAME_MAX] = "";
        size_t len = strcspn(tf->names[k], ".");
        if (len >= sizeof name) len = sizeof name - 1;
        memcpy(name, tf->names[k], len);
        uint32_t j = k;
        while (j < tf->n && !strncmp(tf->names[j], name, len) && tf->names[j][len] == '.') j++;
        if (j == k) j = k + 1;
        if (apply_run(s, tf, k, j - k, name, e)) return -1;
        k = j;
    }
    return 0;
}

int sim_theta_init(sim *s, errmsg *e) {
    return init_targets(s, e) || apply_own(s, e) || apply_graph_file(s, e) ? -1 : 0;
}
