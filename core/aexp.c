/* aexp.c -- see aexp.h. */
#include "aexp.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "ahost.h"

const char *aexp_role_name(uint32_t role) {
    return role == AHOST_ROLE_BODY ? "body" : role == AHOST_ROLE_CIRCUIT ? "circuit" : "learner";
}

const char *aexp_dir_word(uint32_t role, uint32_t dir) {
    if (role == AHOST_ROLE_BODY) return dir == ANIMAT_PORT_OUT ? "obs" : "act";
    return dir == ANIMAT_PORT_OUT ? "out" : "in";
}

/* Error at a node's position. */
#define AT(e, n, ...) aerr_at((e), (n)->file, (n)->line, (n)->col, __VA_ARGS__)

/* Refuse keys of MAP m that are not in the NULL-terminated `allowed`. */
static int only_keys(const ydoc *m, const char *where, const char *const *allowed, aerr *e) {
    for (size_t i = 0; i < m->n; i++) {
        const char *k = m->keys[i]->str;
        int ok = 0;
        for (const char *const *a = allowed; *a; a++) ok |= strcmp(k, *a) == 0;
        if (ok) continue;
        char list[256] = "";
        for (const char *const *a = allowed; *a; a++) {
            size_t len = strlen(list);
            snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "", *a);
        }
        char q[80];
        return AT(e, m->keys[i], "%s%sunknown key '%s' (expected one of: %s)", where, *where ? ": " : "",
                  aerr_quote(k, q, sizeof q), list);
    }
    return 0;
}

/* A required MAP value. */
static const ydoc *need_map(const ydoc *parent, const char *key, const char *where, aerr *e) {
    const ydoc *v = ydoc_get(parent, key);
    if (!v) {
        AT(e, parent, "missing required key '%s%s%s'", where, *where ? "." : "", key);
        return NULL;
    }
    if (v->kind != YDOC_MAP) {
        AT(e, v, "%s%s%s: expected a mapping, got %s", where, *where ? "." : "", key, ydoc_kind_name(v->kind));
        return NULL;
    }
    return v;
}

/* An optional non-negative integer scalar; *out untouched when absent. */
static int get_uint(const ydoc *m, const char *key, const char *where, uint64_t min, uint64_t max,
                    uint64_t *out, aerr *e) {
    const ydoc *v = ydoc_get(m, key);
    if (!v) return 0;
    if (v->kind != YDOC_SCALAR || v->quoted)
        return AT(e, v, "%s.%s: expected a whole number, got %s", where, key,
                  v->kind == YDOC_SCALAR ? "a quoted string" : ydoc_kind_name(v->kind));
    const char *s = v->str;
    char *end, q[80];
    if (!*s || strspn(s, "0123456789") != strlen(s))
        return AT(e, v, "%s.%s: expected a whole number >= %" PRIu64 ", got '%s'", where, key, min,
                  aerr_quote(s, q, sizeof q));
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (*end || errno == ERANGE || x < min || x > max)
        return AT(e, v, "%s.%s: %s is out of range [%" PRIu64 ", %" PRIu64 "]", where, key, aerr_quote(s, q, sizeof q),
                  min, max);
    *out = x;
    return 0;
}

/* A required plain string scalar. */
static const char *get_str(const ydoc *m, const char *key, const char *where, aerr *e) {
    const ydoc *v = ydoc_get(m, key);
    if (!v) {
        AT(e, m, "%s: missing required key '%s'", where, key);
        return NULL;
    }
    if (v->kind != YDOC_SCALAR || !*v->str) {
        AT(e, v, "%s.%s: expected a name or path, got %s", where, key,
           v->kind == YDOC_SCALAR ? "an empty value" : ydoc_kind_name(v->kind));
        return NULL;
    }
    return v->str;
}

/* body:, circuit: and learner: blocks (required by the caller's choice:
 * a missing block is reported by need_map). */
static int load_role(aexp *x, aexp_role *r, const char *role, uint32_t kind, aerr *e) {
    static const char *const body_keys[] = {"plugin", "params", NULL};
    static const char *const circuit_keys[] = {"plugin", "params", "theta", "theta_file", NULL};
    r->role = role;
    const ydoc *m = need_map(x->doc, role, "", e);
    if (!m) return -1;
    r->node = m;
    if (only_keys(m, role, kind == ANIMAT_KIND_CIRCUIT ? circuit_keys : body_keys, e)) return -1;
    const char *name = get_str(m, "plugin", role, e);
    if (!name) return -1;
    aerr pe;
    aerr_clear(&pe);
    r->plugin = areg_resolve(&x->reg, name, x->base_dir, kind, &pe);
    if (!r->plugin) {
        const ydoc *v = ydoc_get(m, "plugin");
        return AT(e, v, "%s.plugin: %s", role, pe.msg);
    }
    const animat_plugin_desc *d = r->plugin->desc;
    char where[32];
    snprintf(where, sizeof where, "%s.params", role);
    return apar_resolve(d->params, d->n_params, ydoc_get(m, "params"), where, d->name, &r->params, e);
}

int aexp_parse_port(const char *s, uint32_t *role, uint32_t *dir, char *port, size_t cap) {
    const char *d1 = strchr(s, '.');
    const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    if (!d1 || !d2 || !d2[1] || strchr(d2 + 1, '.') || strlen(d2 + 1) >= cap) return -1;
    size_t rl = (size_t)(d1 - s), dl = (size_t)(d2 - d1 - 1);
    if (rl == 4 && !strncmp(s, "body", 4)) {
        *role = AHOST_ROLE_BODY;
        if ((dl == 3 && !strncmp(d1 + 1, "obs", 3)) || (dl == 3 && !strncmp(d1 + 1, "out", 3)))
            *dir = ANIMAT_PORT_OUT;
        else if ((dl == 3 && !strncmp(d1 + 1, "act", 3)) || (dl == 2 && !strncmp(d1 + 1, "in", 2)))
            *dir = ANIMAT_PORT_IN;
        else
            return -1;
    } else if (rl == 7 && !strncmp(s, "circuit", 7)) {
        *role = AHOST_ROLE_CIRCUIT;
        if (dl == 3 && !strncmp(d1 + 1, "out", 3))
            *dir = ANIMAT_PORT_OUT;
        else if (dl == 2 && !strncmp(d1 + 1, "in", 2))
            *dir = ANIMAT_PORT_IN;
        else
            return -1;
    } else {
        return -1;
    }
    strcpy(port, d2 + 1);
    return 0;
}

/* wiring: a list of "SRC -> DST" strings. Port existence and sizes are
 * checked by asim once instances exist. */
static int load_wiring(aexp *x, aerr *e) {
    const ydoc *w = ydoc_get(x->doc, "wiring");
    if (!w) return AT(e, x->doc, "missing required key 'wiring' (a list like [\"body.obs.joints -> circuit.in.joints\"])");
    if (w->kind != YDOC_SEQ || w->n == 0)
        return AT(e, w, "wiring: expected a non-empty list of \"SRC -> DST\" strings, got %s",
                  w->kind == YDOC_SEQ ? "an empty list" : ydoc_kind_name(w->kind));
    x->conns = calloc(w->n, sizeof *x->conns);
    if (!x->conns) return aerr_set(e, "out of memory");
    for (size_t i = 0; i < w->n; i++) {
        const ydoc *s = w->vals[i];
        aexp_conn *c = &x->conns[i];
        c->node = s;
        if (s->kind != YDOC_SCALAR) return AT(e, s, "wiring[%zu]: expected a \"SRC -> DST\" string", i);
        const char *arrow = strstr(s->str, "->");
        char src[160], dst[160];
        char q[80];
        if (!arrow)
            return AT(e, s, "wiring[%zu]: '%s' is not of the form \"SRC -> DST\"", i, aerr_quote(s->str, q, sizeof q));
        if ((size_t)(arrow - s->str) >= sizeof src || strlen(arrow + 2) >= sizeof dst)
            return AT(e, s, "wiring[%zu]: '%s' is too long: a port name is longer than %d characters", i,
                      aerr_quote(s->str, q, sizeof q), AEXP_NAME_MAX - 1);
        /* Trim both sides. */
        size_t n = (size_t)(arrow - s->str);
        while (n && s->str[n - 1] == ' ') n--;
        const char *b = s->str;
        while (*b == ' ' && n) b++, n--;
        memcpy(src, b, n);
        src[n] = '\0';
        const char *d = arrow + 2;
        while (*d == ' ') d++;
        snprintf(dst, sizeof dst, "%s", d);
        for (size_t k = strlen(dst); k && dst[k - 1] == ' ';) dst[--k] = '\0';
        uint32_t sdir, ddir;
        const char *longer = strlen(src) > 12 + sizeof c->src_port ? src : strlen(dst) > 12 + sizeof c->dst_port ? dst : NULL;
        const char *pname = longer ? strrchr(longer, '.') : NULL;
        if (pname && strlen(pname + 1) >= sizeof c->src_port) {
            char q[80];
            return AT(e, s, "wiring[%zu]: port name '%s' is longer than %zu characters", i,
                      aerr_quote(pname + 1, q, sizeof q), sizeof c->src_port - 1);
        }
        if (aexp_parse_port(src, &c->src_role, &sdir, c->src_port, sizeof c->src_port))
            return AT(e, s, "wiring[%zu]: bad source '%s' (expected body.obs.NAME or circuit.out.NAME)", i, src);
        if (aexp_parse_port(dst, &c->dst_role, &ddir, c->dst_port, sizeof c->dst_port))
            return AT(e, s, "wiring[%zu]: bad destination '%s' (expected circuit.in.NAME or body.act.NAME)", i, dst);
        if (sdir != ANIMAT_PORT_OUT)
            return AT(e, s, "wiring[%zu]: source '%s' is an input; connections go from body.obs/circuit.out", i, src);
        if (ddir != ANIMAT_PORT_IN)
            return AT(e, s, "wiring[%zu]: destination '%s' is an output; connections go to circuit.in/body.act", i, dst);
        if (c->src_role == c->dst_role)
            return AT(e, s, "wiring[%zu]: '%s' feeds its own %s (a cycle; wire body and circuit to each other)", i,
                      s->str, aexp_role_name(c->src_role));
        for (size_t j = 0; j < i; j++)
            if (x->conns[j].dst_role == c->dst_role && !strcmp(x->conns[j].dst_port, c->dst_port))
                return AT(e, s, "wiring[%zu]: '%s' is already fed by wiring[%zu]; an input takes one source", i, dst, j);
        x->nconns++;
    }
    return 0;
}

/* An optional boolean scalar; *out untouched when absent. */
static int get_bool(const ydoc *m, const char *key, const char *where, int *out, aerr *e) {
    const ydoc *v = ydoc_get(m, key);
    if (!v) return 0;
    if (v->kind == YDOC_SCALAR && !v->quoted && (!strcmp(v->str, "true") || !strcmp(v->str, "false"))) {
        *out = v->str[0] == 't';
        return 0;
    }
    return AT(e, v, "%s.%s: expected true or false, got %s%s%s", where, key, v->kind == YDOC_SCALAR ? "'" : "",
              v->kind == YDOC_SCALAR ? v->str : ydoc_kind_name(v->kind), v->kind == YDOC_SCALAR ? "'" : "");
}

/* An optional finite number within [min, max]; *out untouched when absent. */
static int get_real(const ydoc *m, const char *key, const char *where, double min, double max, double *out,
                    aerr *e) {
    const ydoc *v = ydoc_get(m, key);
    if (!v) return 0;
    double x;
    if (v->kind != YDOC_SCALAR || v->quoted || apar_parse_real(v->str, &x))
        return AT(e, v, "%s.%s: expected a number, got %s", where, key,
                  v->kind == YDOC_SCALAR ? v->str : ydoc_kind_name(v->kind));
    if (!(min <= x && x <= max)) return AT(e, v, "%s.%s: %s is out of range [%g, %g]", where, key, v->str, min, max);
    *out = x;
    return 0;
}

/* run: and record: blocks. */
static int load_run(aexp *x, aerr *e) {
    static const char *const run_keys[] = {"episodes", "seed",         "max_steps",       "isolate",
                                           "on_crash", "crash_return", "episode_timeout", NULL};
    static const char *const rec_keys[] = {"trace", "ports", NULL};
    x->episodes = 1;
    x->crash_return = -1e9;
    const ydoc *r = ydoc_get(x->doc, "run");
    if (r) {
        if (r->kind != YDOC_MAP) return AT(e, r, "run: expected a mapping, got %s", ydoc_kind_name(r->kind));
        if (only_keys(r, "run", run_keys, e) || get_uint(r, "episodes", "run", 1, 1000000000ULL, &x->episodes, e) ||
            get_uint(r, "seed", "run", 0, UINT64_MAX, &x->seed, e) ||
            get_uint(r, "max_steps", "run", 0, 1000000000000ULL, &x->max_steps, e) ||
            get_bool(r, "isolate", "run", &x->isolate, e) ||
            get_real(r, "crash_return", "run", -1e300, 1e300, &x->crash_return, e) ||
            get_real(r, "episode_timeout", "run", 0, 1e9, &x->episode_timeout, e))
            return -1;
        const ydoc *oc = ydoc_get(r, "on_crash");
        if (oc) {
            if (oc->kind != YDOC_SCALAR || (strcmp(oc->str, "stop") && strcmp(oc->str, "continue")))
                return AT(e, oc, "run.on_crash: expected stop or continue, got %s",
                          oc->kind == YDOC_SCALAR ? oc->str : ydoc_kind_name(oc->kind));
            x->on_crash_continue = oc->str[0] == 'c';
        }
        if (!x->isolate && (ydoc_get(r, "on_crash") || ydoc_get(r, "episode_timeout"))) {
            const ydoc *k = ydoc_key(r, "on_crash") ? ydoc_key(r, "on_crash") : ydoc_key(r, "episode_timeout");
            return AT(e, k, "run.%s: only applies with run.isolate: true", k->str);
        }
    }
    const ydoc *rec = ydoc_get(x->doc, "record");
    if (!rec) return 0;
    if (rec->kind != YDOC_MAP) return AT(e, rec, "record: expected a mapping, got %s", ydoc_kind_name(rec->kind));
    if (only_keys(rec, "record", rec_keys, e)) return -1;
    const ydoc *t = ydoc_get(rec, "trace");
    if (t) {
        if (t->kind != YDOC_SCALAR || !*t->str) return AT(e, t, "record.trace: expected a file path");
        if (!(x->trace = strdup(t->str))) return aerr_set(e, "out of memory");
    }
    const ydoc *p = ydoc_get(rec, "ports");
    if (p) {
        if (p->kind != YDOC_SEQ) return AT(e, p, "record.ports: expected a list of port names");
        for (size_t i = 0; i < p->n; i++) {
            uint32_t role, dir;
            char port[AEXP_NAME_MAX];
            const ydoc *it = p->vals[i];
            if (it->kind != YDOC_SCALAR || aexp_parse_port(it->str, &role, &dir, port, sizeof port))
                return AT(e, it, "record.ports[%zu]: expected a port like body.obs.joints", i);
        }
        x->record_ports = p;
    }
    return 0;
}

/* Numbers of a theta list node into a fresh array. */
static int theta_list(const ydoc *t, const char *where, double **out, uint32_t *n, aerr *e) {
    if (t->kind != YDOC_SEQ || t->n == 0)
        return AT(e, t, "%s: expected a non-empty list of numbers", where);
    double *v = calloc(t->n, sizeof *v);
    if (!v) return aerr_set(e, "out of memory");
    for (size_t i = 0; i < t->n; i++) {
        const ydoc *it = t->vals[i];
        if (it->kind != YDOC_SCALAR || it->quoted || apar_parse_real(it->str, &v[i])) {
            free(v);
            return AT(e, it, "%s[%zu]: expected a finite number", where, i);
        }
    }
    *out = v;
    *n = (uint32_t)t->n;
    return 0;
}

int aexp_read_theta(const char *path, const char *circuit, double **theta, uint32_t *n, aerr *e) {
    static const char *const keys[] = {"circuit", "theta", NULL};
    ydoc *d = ydoc_load(path, e);
    if (!d) return -1;
    int rc = -1;
    const ydoc *c = ydoc_get(d, "circuit"), *t = ydoc_get(d, "theta");
    if (d->kind != YDOC_MAP)
        AT(e, d, "a parameter file must be a mapping with a theta list");
    else if (only_keys(d, "", keys, e))
        ;
    else if (!t)
        AT(e, d, "missing required key 'theta'");
    else if (c && circuit && (c->kind != YDOC_SCALAR || strcmp(c->str, circuit)))
        AT(e, c, "circuit: these parameters are for circuit '%s', the experiment uses '%s'",
           c->kind == YDOC_SCALAR ? c->str : "?", circuit);
    else
        rc = theta_list(t, "theta", theta, n, e);
    ydoc_free(d);
    return rc;
}

/* circuit.theta or circuit.theta_file: an explicit initial parameter vector. */
static int load_theta(aexp *x, aerr *e) {
    const ydoc *t = ydoc_get(x->circuit.node, "theta");
    const ydoc *f = ydoc_get(x->circuit.node, "theta_file");
    /* A command-line theta_file (no position) replaces a theta in the file. */
    if (t && f && f->line) return AT(e, f, "circuit.theta_file: give theta or theta_file, not both");
    if (f) t = NULL;
    if (f) {
        if (f->kind != YDOC_SCALAR || !*f->str) return AT(e, f, "circuit.theta_file: expected a file path");
        char path[4096];
        if (f->str[0] == '/' || f->line == 0) /* --set paths are relative to the working directory */
            snprintf(path, sizeof path, "%s", f->str);
        else
            snprintf(path, sizeof path, "%s/%s", x->base_dir, f->str);
        aerr fe;
        aerr_clear(&fe);
        if (aexp_read_theta(path, x->circuit.plugin->desc->name, &x->theta, &x->ntheta, &fe))
            return AT(e, f, "circuit.theta_file: %s", fe.msg);
        x->theta_node = f;
        return 0;
    }
    if (!t) return 0;
    x->theta_node = t;
    return theta_list(t, "circuit.theta", &x->theta, &x->ntheta, e);
}

/* An optional path string. */
static int get_path(const ydoc *m, const char *key, const char *where, char **out, aerr *e) {
    const ydoc *v = ydoc_get(m, key);
    if (!v) return 0;
    if (v->kind != YDOC_SCALAR || !*v->str) return AT(e, v, "%s.%s: expected a file path", where, key);
    if (!(*out = strdup(v->str))) return aerr_set(e, "out of memory");
    return 0;
}

/* learner: and train: blocks (used by animat train; validated always). */
static int load_train(aexp *x, aerr *e) {
    static const char *const train_keys[] = {"epochs", "threads", "curve", "output", "checkpoint",
                                             "checkpoint_every", "episodes_per_candidate", "common_episodes", NULL};
    x->epochs = 10;
    x->episodes_per_candidate = 1;
    x->threads = 1;
    x->checkpoint_every = 1;
    /* The optional learner block reads exactly like a body block. */
    if (ydoc_get(x->doc, "learner") && load_role(x, &x->learner, "learner", ANIMAT_KIND_LEARNER, e)) return -1;
    const ydoc *t = ydoc_get(x->doc, "train");
    if (!t) return 0;
    if (t->kind != YDOC_MAP) return AT(e, t, "train: expected a mapping, got %s", ydoc_kind_name(t->kind));
    if (only_keys(t, "train", train_keys, e) || get_uint(t, "epochs", "train", 1, 1000000000ULL, &x->epochs, e) ||
        get_uint(t, "threads", "train", 1, 1024, &x->threads, e) ||
        get_uint(t, "checkpoint_every", "train", 1, 1000000000ULL, &x->checkpoint_every, e) ||
        get_path(t, "curve", "train", &x->curve, e) || get_path(t, "output", "train", &x->output, e) ||
        get_path(t, "checkpoint", "train", &x->checkpoint, e) ||
        get_uint(t, "episodes_per_candidate", "train", 1, 1000000, &x->episodes_per_candidate, e))
        return -1;
    /* common_episodes: none | pairs (2i, 2i+1 share episodes) | epoch; default pairs when k > 1 */
    static const char *const modes[] = {"none", "pairs", "epoch"};
    const ydoc *c = ydoc_get(t, "common_episodes");
    x->common_episodes = x->episodes_per_candidate > 1;
    for (uint64_t i = 0; c && i <= 3; i++) {
        if (i == 3 || c->kind != YDOC_SCALAR)
            return AT(e, c, "train.common_episodes: expected none, pairs or epoch, got %s",
                      c->kind == YDOC_SCALAR ? c->str : ydoc_kind_name(c->kind));
        if (!strcmp(c->str, modes[i])) {
            x->common_episodes = i;
            break;
        }
    }
    return 0;
}

/* Forget source positions: a --set value has a name but no lines. */
static void unposition(ydoc *n) {
    n->line = n->col = 0;
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys) unposition(n->keys[i]);
        unposition(n->vals[i]);
    }
}

/* Apply one "a.b.c=value" override. */
static int apply_set(aexp *x, const char *set, aerr *e) {
    const char *eq = strchr(set, '=');
    if (!eq || eq == set) return aerr_set(e, "--set %s: expected KEY=VALUE, e.g. body.params.n_bodies=9", set);
    char path[256], label[300];
    size_t n = (size_t)(eq - set);
    if (n >= sizeof path) return aerr_set(e, "--set: key too long");
    memcpy(path, set, n);
    path[n] = '\0';
    snprintf(label, sizeof label, "--set %s", path);
    ydoc *v = ydoc_parse(label, eq + 1, strlen(eq + 1), e);
    if (!v) return -1;
    unposition(v);
    return ydoc_set_path(x->doc, path, v, e);
}

int aexp_load(aexp *x, const char *file, const char *const *sets, uint32_t nsets,
              const char *const *extra, uint32_t nextra, aerr *e) {
    static const char *const top_keys[] = {"name", "description", "body",    "circuit", "wiring",
                                           "run",  "record",      "learner", "train",   NULL};
    memset(x, 0, sizeof *x);
    areg_init(&x->reg);
    x->file = strdup(file);
    char *tmp = strdup(file);
    x->base_dir = tmp ? strdup(dirname(tmp)) : NULL;
    free(tmp);
    if (!x->file || !x->base_dir) {
        aerr_set(e, "out of memory");
        goto fail;
    }
    /* Explicit plugin files come first so their names resolve. */
    for (uint32_t i = 0; i < nextra; i++)
        if (areg_open(&x->reg, extra[i], e)) goto fail;
    if (!(x->doc = ydoc_load(file, e))) goto fail;
    if (x->doc->kind != YDOC_MAP) {
        AT(e, x->doc, "an experiment must be a mapping with body, circuit and wiring keys, not %s",
           ydoc_kind_name(x->doc->kind));
        goto fail;
    }
    if (x->doc->n == 0 && nsets == 0) {
        aerr_set(e, "%s: the file is empty (an experiment needs body, circuit and wiring; see examples/)", file);
        goto fail;
    }
    for (uint32_t i = 0; i < nsets; i++)
        if (apply_set(x, sets[i], e)) goto fail;
    if (only_keys(x->doc, "", top_keys, e)) goto fail;
    for (int k = 0; k < 2; k++) {
        const char *key = k ? "description" : "name";
        const ydoc *v = ydoc_get(x->doc, key);
        if (v && v->kind != YDOC_SCALAR) {
            AT(e, v, "%s: expected text, got %s", key, ydoc_kind_name(v->kind));
            goto fail;
        }
    }
    if (load_role(x, &x->body, "body", ANIMAT_KIND_BODY, e)) goto fail;
    if (load_role(x, &x->circuit, "circuit", ANIMAT_KIND_CIRCUIT, e)) goto fail;
    if (load_theta(x, e) || load_wiring(x, e) || load_run(x, e) || load_train(x, e)) goto fail;
    return 0;
fail:
    aexp_free(x);
    return -1;
}

void aexp_free(aexp *x) {
    apar_free(&x->body.params);
    apar_free(&x->circuit.params);
    apar_free(&x->learner.params);
    free(x->curve);
    free(x->output);
    free(x->checkpoint);
    free(x->conns);
    free(x->theta);
    free(x->trace);
    ydoc_free(x->doc);
    areg_close(&x->reg);
    free(x->file);
    free(x->base_dir);
    memset(x, 0, sizeof *x);
}
