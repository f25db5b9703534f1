/* instances.c -- see instances.h. */
#include "exp/instances.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exp/arena.h"
#include "exp/fields.h"
#include "exp/thetafile.h"
#include "plugin/hostctx.h"
#include "exp/experiment_impl.h"

#define AT(e, n, ...) errmsg_at((e), (n)->file, (n)->line, (n)->col, __VA_ARGS__)

/* Is s a valid instance name, [a-z][a-z0-9_]* and short enough? */
static int name_ok(const char *s) {
    if (!islower((unsigned char)s[0]) || strlen(s) >= EXPERIMENT_NAME_MAX) return 0;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_')) return 0;
    return 1;
}

/* "body.params" for the short form, "circuits.steer.params" for a map. */
static void where_of(const experiment *x, const experiment_inst *in, const char *key, char *buf, size_t cap) {
    if (x->short_form)
        snprintf(buf, cap, "%s%s%s", in->name, *key ? "." : "", key);
    else
        snprintf(buf, cap, "%s.%s%s%s", in->kind == ANIMAT_KIND_BODY ? "bodies" : "circuits", in->name, *key ? "." : "",
                 key);
}

static int inst_theta_take(experiment_inst *in, thetafile *tfp, const char *path, const yamltree *f, const char *where,
                           errmsg *e);

/* theta_file of one instance: an explicit parameter file for it alone. */
static int inst_theta_file(experiment *x, experiment_inst *in, const yamltree *f, const char *where, errmsg *e) {
    if (f->kind != YAMLTREE_SCALAR || !*f->str) return AT(e, f, "%s: expected a file path", where);
    char path[4096];
    if (f->str[0] == '/' || f->line == 0) /* --set paths are relative to the working directory */
        snprintf(path, sizeof path, "%s", f->str);
    else
        snprintf(path, sizeof path, "%s/%s", x->base_dir, f->str);
    errmsg fe;
    errmsg_clear(&fe);
    thetafile tf;
    if (thetafile_read(path, &tf, &fe)) return AT(e, f, "%s: %s", where, fe.msg);
    return inst_theta_take(in, &tf, path, f, where, e);
}

/* Give circuit `in` the parameters read from path (tf is consumed). */
static int inst_theta_take(experiment_inst *in, thetafile *tfp, const char *path, const yamltree *f, const char *where,
                           errmsg *e) {
    thetafile tf = *tfp;
    if (tf.circuit && strcmp(tf.circuit, in->plugin->desc->name)) {
        AT(e, f, "%s: %s: circuit: these parameters are for circuit '%s', the experiment uses '%s'", where, path,
           tf.circuit, in->plugin->desc->name);
        thetafile_free(&tf);
        return -1;
    }
    in->theta = tf.theta, in->ntheta = tf.n, in->theta_names = tf.names;
    free(in->theta_path);
    in->theta_path = strdup(path);
    in->theta_named = tf.names != NULL;
    tf.theta = NULL, tf.names = NULL;
    thetafile_free(&tf);
    in->theta_node = f;
    return 0;
}

/* theta or theta_file of a circuit instance. */
static int inst_theta(experiment *x, experiment_inst *in, errmsg *e) {
    const yamltree *t = yamltree_get(in->node, "theta"), *f = yamltree_get(in->node, "theta_file");
    char wt[160], wf[160];
    where_of(x, in, "theta", wt, sizeof wt);
    where_of(x, in, "theta_file", wf, sizeof wf);
    /* A command-line theta_file (no position) replaces a theta in the file. */
    if (t && f && f->line) return AT(e, f, "%s: give theta or theta_file, not both", wf);
    if (f) return inst_theta_file(x, in, f, wf, e);
    if (!t) return 0;
    in->theta_node = t;
    return thetafile_list(t, wt, &in->theta, &in->ntheta, e);
}

/* One instance block (body, circuit, or an entry of bodies:/circuits:). */
static int load_inst(experiment *x, experiment_inst *in, const yamltree *m, errmsg *e) {
    static const char *const body_keys[] = {"plugin", "params", NULL};
    static const char *const short_circuit_keys[] = {"plugin", "params", "theta", "theta_file", NULL};
    static const char *const circuit_keys[] = {"plugin", "params", "theta", "theta_file", "substeps", NULL};
    char where[160], wp[160];
    where_of(x, in, "", where, sizeof where);
    in->node = m;
    in->substeps = 1;
    in->stream = hostctx_stream_key(in->name, in->kind);
    const char *const *keys = in->kind == ANIMAT_KIND_BODY ? body_keys : x->short_form ? short_circuit_keys : circuit_keys;
    if (fields_only_keys(m, where, keys, e)) return -1;
    const char *name = fields_str(m, "plugin", where, e);
    if (!name) return -1;
    errmsg pe;
    errmsg_clear(&pe);
    in->plugin = registry_resolve(&x->reg, name, x->base_dir, in->kind, &pe);
    if (!in->plugin) return AT(e, yamltree_get(m, "plugin"), "%s.plugin: %s", where, pe.msg);
    uint64_t sub = 1;
    if (fields_uint(m, "substeps", where, 1, EXPERIMENT_MAX_SUBSTEPS, &sub, e)) return -1;
    in->substeps = (uint32_t)sub;
    const animat_plugin_desc *d = in->plugin->desc;
    where_of(x, in, "params", wp, sizeof wp);
    if (in->kind == ANIMAT_KIND_BODY ? arena_resolve_body(x, in, wp, e)
                                     : params_resolve(d->params, d->n_params, yamltree_get(m, "params"), wp, d->name,
                                                      &in->params, e))
        return -1;
    return in->kind == ANIMAT_KIND_CIRCUIT ? inst_theta(x, in, e) : 0;
}

/* Append an instance called `name` of `kind` declared by mapping m. */
static int add_inst(experiment *x, const char *name, const yamltree *key, const yamltree *m, uint32_t kind, errmsg *e) {
    char q[80];
    if (!name_ok(name))
        return AT(e, key, "%s: '%s' is not a valid instance name ([a-z][a-z0-9_]*, at most %d characters)",
                  kind == ANIMAT_KIND_BODY ? "bodies" : "circuits", errmsg_quote(name, q, sizeof q),
                  EXPERIMENT_NAME_MAX - 1);
    if (experiment_find(x, name) >= 0) return AT(e, key, "'%s': instance name used twice (names are unique across the file)", name);
    if (x->ninsts == EXPERIMENT_MAX_INSTS) return AT(e, key, "more than %d instances", EXPERIMENT_MAX_INSTS);
    experiment_inst *in = &x->insts[x->ninsts++];
    snprintf(in->name, sizeof in->name, "%s", name);
    in->kind = kind;
    if (m->kind != YAMLTREE_MAP)
        return AT(e, m, "%s: expected a mapping with plugin and params, got %s",
                  x->short_form ? name : kind == ANIMAT_KIND_BODY ? "bodies" : "circuits", yamltree_kind_name(m->kind));
    return load_inst(x, in, m, e);
}

/* The instances of one kind: the short key (body:) or the map (bodies:). */
static int load_kind(experiment *x, const char *one, const char *many, uint32_t kind, errmsg *e) {
    const yamltree *s = yamltree_get(x->doc, one), *m = yamltree_get(x->doc, many);
    if (s && m) return AT(e, yamltree_key(x->doc, many), "give '%s' or '%s', not both", one, many);
    if (s || !m) {
        const yamltree *blk = fields_need_map(x->doc, one, "", e);
        return blk ? add_inst(x, one, yamltree_key(x->doc, one), blk, kind, e) : -1;
    }
    if (m->kind != YAMLTREE_MAP || m->n == 0)
        return AT(e, m, "%s: expected a mapping of NAME: {plugin, params}, got %s", many,
                  m->kind == YAMLTREE_MAP ? "an empty mapping" : yamltree_kind_name(m->kind));
    for (size_t i = 0; i < m->n; i++)
        if (add_inst(x, m->keys[i]->str, m->keys[i], m->vals[i], kind, e)) return -1;
    return 0;
}

/* Do the file's entry names name a body ("body.length[0]": design
 * parameters a learner trained with learner.targets naming the body)? */
static int names_a_body(const experiment *x, const thetafile *tf) {
    for (uint32_t k = 0; tf->names && k < tf->n; k++)
        for (uint32_t b = 0; b < x->nbodies; b++) {
            size_t len = strlen(x->insts[b].name);
            if (!strncmp(tf->names[k], x->insts[b].name, len) && tf->names[k][len] == '.') return 1;
        }
    return 0;
}

/* The top-level theta_file: in the short form it is the circuit's own
 * theta_file (unless it names a body's design parameters too); in a graph
 * sim spreads it over the circuits and bodies by entry name. */
static int load_graph_theta(experiment *x, errmsg *e) {
    const yamltree *f = yamltree_get(x->doc, "theta_file");
    if (!f) return 0;
    experiment_inst *c = &x->insts[x->ninsts - 1];
    if (x->short_form) {
        const yamltree *own = yamltree_get(c->node, "theta_file"), *th = yamltree_get(c->node, "theta");
        if ((own && own->line && f->line) || (th && f->line)) return AT(e, f, "theta_file: the circuit already has theta or theta_file");
    }
    if (f->kind != YAMLTREE_SCALAR || !*f->str) return AT(e, f, "theta_file: expected a file path");
    char path[4096];
    if (f->str[0] == '/' || f->line == 0)
        snprintf(path, sizeof path, "%s", f->str);
    else
        snprintf(path, sizeof path, "%s/%s", x->base_dir, f->str);
    errmsg fe;
    errmsg_clear(&fe);
    if (!(x->theta_file = calloc(1, sizeof *x->theta_file))) return errmsg_set(e, "out of memory");
    if (thetafile_read(path, x->theta_file, &fe)) return AT(e, f, "theta_file: %s", fe.msg);
    if (x->short_form && !names_a_body(x, x->theta_file)) { /* the circuit's own, read once (it may be a pipe) */
        free(c->theta);
        c->theta = NULL;
        thetafile tf = *x->theta_file;
        free(x->theta_file);
        x->theta_file = NULL;
        return inst_theta_take(c, &tf, path, f, "theta_file", e);
    }
    x->theta_file_path = strdup(path);
    x->theta_file_node = f;
    return 0;
}

int instances_load(experiment *x, errmsg *e) {
    x->short_form = !yamltree_get(x->doc, "bodies") && !yamltree_get(x->doc, "circuits");
    x->insts = calloc(EXPERIMENT_MAX_INSTS, sizeof *x->insts);
    if (!x->insts) return errmsg_set(e, "out of memory");
    if (load_kind(x, "body", "bodies", ANIMAT_KIND_BODY, e)) return -1;
    x->nbodies = x->ninsts;
    if (load_kind(x, "circuit", "circuits", ANIMAT_KIND_CIRCUIT, e)) return -1;
    return load_graph_theta(x, e);
}

/* learner.targets: a list of circuit or body instance names (a body's
 * design parameters, animat.morphology/1, are checked when it exists:
 * sim/theta.c). */
static int load_targets(experiment *x, const yamltree *t, errmsg *e) {
    if (t->kind != YAMLTREE_SEQ || t->n == 0)
        return AT(e, t, "learner.targets: expected a list of circuit or body names");
    for (size_t i = 0; i < t->n; i++) {
        const yamltree *it = t->vals[i];
        int k = it->kind == YAMLTREE_SCALAR ? experiment_find(x, it->str) : -1;
        if (k < 0)
            return AT(e, it, "learner.targets[%zu]: '%s' is not a circuit or body of this experiment", i,
                      it->kind == YAMLTREE_SCALAR ? it->str : "?");
        for (uint32_t j = 0; j < x->ntargets; j++)
            if (x->targets[j] == (uint32_t)k) return AT(e, it, "learner.targets[%zu]: '%s' named twice", i, it->str);
        x->targets[x->ntargets++] = (uint32_t)k;
    }
    x->targets_given = 1;
    return 0;
}

int instances_load_learner(experiment *x, errmsg *e) {
    static const char *const keys[] = {"plugin", "params", "targets", NULL};
    const yamltree *m = yamltree_get(x->doc, "learner");
    if (!m) return 0;
    experiment_inst *in = &x->learner;
    snprintf(in->name, sizeof in->name, "learner");
    in->kind = ANIMAT_KIND_LEARNER;
    in->stream = HOSTCTX_ROLE_LEARNER;
    if (!(m = fields_need_map(x->doc, "learner", "", e))) return -1;
    in->node = m;
    if (fields_only_keys(m, "learner", keys, e)) return -1;
    const char *name = fields_str(m, "plugin", "learner", e);
    if (!name) return -1;
    errmsg pe;
    errmsg_clear(&pe);
    in->plugin = registry_resolve(&x->reg, name, x->base_dir, ANIMAT_KIND_LEARNER, &pe);
    if (!in->plugin) return AT(e, yamltree_get(m, "plugin"), "learner.plugin: %s", pe.msg);
    const animat_plugin_desc *d = in->plugin->desc;
    if (params_resolve(d->params, d->n_params, yamltree_get(m, "params"), "learner.params", d->name, &in->params, e))
        return -1;
    const yamltree *t = yamltree_get(m, "targets");
    return t ? load_targets(x, t, e) : 0;
}

void instances_free(experiment *x) {
    for (uint32_t i = 0; x->insts && i < x->ninsts; i++) {
        experiment_inst *in = &x->insts[i];
        params_free(&in->params);
        for (uint32_t k = 0; in->theta_names && k < in->ntheta; k++) free(in->theta_names[k]);
        free(in->theta_names);
        free(in->theta);
        free(in->theta_path);
    }
    free(x->insts);
    params_free(&x->learner.params);
    if (x->theta_file) thetafile_free(x->theta_file);
    free(x->theta_file);
    free(x->theta_file_path);
}
