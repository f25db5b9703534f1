/* experiment.c -- see experiment.h. */
#include "exp/experiment.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "exp/arena.h"
#include "exp/fields.h"
#include "exp/instances.h"
#include "exp/interventions.h"
#include "exp/wiring.h"
#include "plugin/hostctx.h"
#include "exp/experiment_impl.h"


/* Error at a node's position. */
#define AT(e, n, ...) errmsg_at((e), (n)->file, (n)->line, (n)->col, __VA_ARGS__)


/* run: and record: blocks. */
static int load_run(experiment *x, errmsg *e) {
    static const char *const run_keys[] = {"episodes", "seed",         "max_steps",       "isolate",
                                           "on_crash", "crash_return", "episode_timeout", "guard",
                                           NULL};
    x->episodes = 1;
    x->crash_return = -1e9;
    const yamltree *r = yamltree_get(x->doc, "run");
    if (r) {
        if (r->kind != YAMLTREE_MAP) return AT(e, r, "run: expected a mapping, got %s", yamltree_kind_name(r->kind));
        if (fields_only_keys(r, "run", run_keys, e) || fields_uint(r, "episodes", "run", 1, 1000000000ULL, &x->episodes, e) ||
            fields_uint(r, "seed", "run", 0, UINT64_MAX, &x->seed, e) ||
            fields_uint(r, "max_steps", "run", 0, 1000000000000ULL, &x->max_steps, e) ||
            fields_bool(r, "isolate", "run", &x->isolate, e) || fields_bool(r, "guard", "run", &x->guard, e) ||
            fields_real(r, "crash_return", "run", -1e300, 1e300, &x->crash_return, e) ||
            fields_real(r, "episode_timeout", "run", 0, 1e9, &x->episode_timeout, e))
            return -1;
        const yamltree *oc = yamltree_get(r, "on_crash");
        if (oc) {
            if (oc->kind != YAMLTREE_SCALAR || (strcmp(oc->str, "stop") && strcmp(oc->str, "continue")))
                return AT(e, oc, "run.on_crash: expected stop or continue, got %s",
                          oc->kind == YAMLTREE_SCALAR ? oc->str : yamltree_kind_name(oc->kind));
            x->on_crash_continue = oc->str[0] == 'c';
        }
        if (!x->isolate && (yamltree_get(r, "on_crash") || yamltree_get(r, "episode_timeout"))) {
            const yamltree *k = yamltree_key(r, "on_crash") ? yamltree_key(r, "on_crash") : yamltree_key(r, "episode_timeout");
            return AT(e, k, "run.%s: only applies with run.isolate: true", k->str);
        }
    }
    return 0;
}

/* record.signals entry i: "reward", "NAME.units", "NAME.spikes",
 * "NAME.voltage" (a circuit), "NAME.qpos" (a body) or a whole
 * port "NAME.DIR.PORT", resolved into *g. Whether the port or the units
 * extension exists is checked when instances exist (record_check_signals),
 * before any episode runs. */
static int load_signal(experiment *x, const yamltree *it, size_t i, experiment_signal *g, errmsg *e) {
    if (it->kind != YAMLTREE_SCALAR) return AT(e, it, "record.signals[%zu]: expected a signal name", i);
    const char *s = it->str, *dot = strchr(s, '.');
    g->node = it;
    if (!strcmp(s, "reward")) return g->what = EXPERIMENT_SIGNAL_REWARD, 0;
    static const char *const whats[] = {".units", ".spikes", ".voltage", ".qpos"};
    static const uint32_t codes[] = {EXPERIMENT_SIGNAL_UNITS, EXPERIMENT_SIGNAL_SPIKES, EXPERIMENT_SIGNAL_VOLTAGE,
                                     EXPERIMENT_SIGNAL_QPOS};
    for (size_t w = 0; dot && w < 4; w++) {
        if (strcmp(dot, whats[w])) continue;
        char name[EXPERIMENT_NAME_MAX];
        snprintf(name, sizeof name, "%.*s", (int)(dot - s), s);
        int k = experiment_find(x, name);
        uint32_t kind = codes[w] == EXPERIMENT_SIGNAL_QPOS ? ANIMAT_KIND_BODY : ANIMAT_KIND_CIRCUIT;
        if (k < 0 || x->insts[k].kind != kind)
            return AT(e, it, "record.signals[%zu]: '%s' is not a %s of this experiment", i, name,
                      kind == ANIMAT_KIND_BODY ? "body" : "circuit");
        g->what = codes[w], g->inst = (uint32_t)k;
        return 0;
    }
    if (wiring_parse_end(x, s, &g->end) || g->end.sliced)
        return AT(e, it, "record.signals[%zu]: '%s' is not reward, NAME.units, NAME.spikes, NAME.voltage, NAME.qpos "
                         "or a port like body.obs.joints", i, s);
    g->what = EXPERIMENT_SIGNAL_PORT;
    return 0;
}

/* record.signals: a non-empty list of entries (load_signal). */
static int load_signals(experiment *x, const yamltree *p, errmsg *e) {
    if (p->kind != YAMLTREE_SEQ || p->n == 0)
        return AT(e, p, "record.signals: expected a list like [body.obs.joints, circuit.units, reward]");
    if (!(x->record_sigs = calloc(p->n, sizeof *x->record_sigs))) return errmsg_set(e, "out of memory");
    x->nrecord_sigs = (uint32_t)p->n;
    for (size_t i = 0; i < p->n; i++)
        if (load_signal(x, p->vals[i], i, &x->record_sigs[i], e)) return -1;
    return 0;
}

/* record: block (trace, ports, file, signals, every). */
static int load_record(experiment *x, errmsg *e) {
    static const char *const rec_keys[] = {"trace", "ports", "file", "signals", "every", NULL};
    x->record_every = 1;
    const yamltree *rec = yamltree_get(x->doc, "record");
    if (!rec) return 0;
    if (rec->kind != YAMLTREE_MAP) return AT(e, rec, "record: expected a mapping, got %s", yamltree_kind_name(rec->kind));
    if (fields_only_keys(rec, "record", rec_keys, e) || fields_path(rec, "file", "record", &x->record_file, e) ||
        fields_uint(rec, "every", "record", 1, 1000000000ULL, &x->record_every, e))
        return -1;
    const yamltree *t = yamltree_get(rec, "trace");
    if (t) {
        if (t->kind != YAMLTREE_SCALAR || !*t->str) return AT(e, t, "record.trace: expected a file path");
        if (!(x->trace = strdup(t->str))) return errmsg_set(e, "out of memory");
    }
    const yamltree *sig = yamltree_get(rec, "signals");
    if (sig && load_signals(x, sig, e)) return -1;
    const yamltree *p = yamltree_get(rec, "ports");
    if (p) {
        if (p->kind != YAMLTREE_SEQ) return AT(e, p, "record.ports: expected a list of port names");
        for (size_t i = 0; i < p->n; i++) {
            experiment_end end;
            const yamltree *it = p->vals[i];
            if (it->kind != YAMLTREE_SCALAR || wiring_parse_end(x, it->str, &end) || end.sliced)
                return AT(e, it, "record.ports[%zu]: expected a port like body.obs.joints", i);
        }
        x->record_ports = p;
    }
    return 0;
}


/* train.eval: {episodes: N}, the held-out evaluation (0..10^6 episodes). */
static int load_eval(experiment *x, const yamltree *v, errmsg *e) {
    static const char *const eval_keys[] = {"episodes", NULL};
    if (!v) return 0;
    if (v->kind != YAMLTREE_MAP)
        return AT(e, v, "train.eval: expected a mapping like {episodes: 10}, got %s", yamltree_kind_name(v->kind));
    return fields_only_keys(v, "train.eval", eval_keys, e) ||
                   fields_uint(v, "episodes", "train.eval", 0, 1000000, &x->eval_episodes, e)
               ? -1
               : 0;
}

/* learner: and train: blocks (used by animat train; validated always). */
static int load_train(experiment *x, errmsg *e) {
    static const char *const train_keys[] = {"epochs", "threads", "curve", "output", "checkpoint",
                                             "checkpoint_every", "episodes_per_candidate", "common_episodes",
                                             "eval", NULL};
    x->epochs = 10;
    x->episodes_per_candidate = 1;
    x->threads = 1;
    x->checkpoint_every = 1;
    x->eval_episodes = yamltree_key(yamltree_get(x->doc, "run"), "episodes") ? x->episodes : 10;
    if (instances_load_learner(x, e)) return -1;
    const yamltree *t = yamltree_get(x->doc, "train");
    if (!t) return 0;
    if (t->kind != YAMLTREE_MAP) return AT(e, t, "train: expected a mapping, got %s", yamltree_kind_name(t->kind));
    if (fields_only_keys(t, "train", train_keys, e) || fields_uint(t, "epochs", "train", 1, 1000000000ULL, &x->epochs, e) ||
        fields_uint(t, "threads", "train", 1, 1024, &x->threads, e) ||
        fields_uint(t, "checkpoint_every", "train", 1, 1000000000ULL, &x->checkpoint_every, e) ||
        fields_path(t, "curve", "train", &x->curve, e) || fields_path(t, "output", "train", &x->output, e) ||
        fields_path(t, "checkpoint", "train", &x->checkpoint, e) ||
        fields_uint(t, "episodes_per_candidate", "train", 1, 1000000, &x->episodes_per_candidate, e) ||
        load_eval(x, yamltree_get(t, "eval"), e))
        return -1;
    /* common_episodes: none | pairs (2i, 2i+1 share episodes) | epoch; default pairs when k > 1 */
    static const char *const modes[] = {"none", "pairs", "epoch"};
    const yamltree *c = yamltree_get(t, "common_episodes");
    x->common_episodes = x->episodes_per_candidate > 1;
    for (uint64_t i = 0; c && i <= 3; i++) {
        if (i == 3 || c->kind != YAMLTREE_SCALAR)
            return AT(e, c, "train.common_episodes: expected none, pairs or epoch, got %s",
                      c->kind == YAMLTREE_SCALAR ? c->str : yamltree_kind_name(c->kind));
        if (!strcmp(c->str, modes[i])) {
            x->common_episodes = i;
            break;
        }
    }
    return 0;
}

/* Forget source positions: a --set value has a name but no lines. */
static void unposition(yamltree *n) {
    n->line = n->col = 0;
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys) unposition(n->keys[i]);
        unposition(n->vals[i]);
    }
}

/* Apply one "a.b.c=value" override. */
static int apply_set(experiment *x, const char *set, errmsg *e) {
    const char *eq = strchr(set, '=');
    if (!eq || eq == set) return errmsg_set(e, "--set %s: expected KEY=VALUE, e.g. body.params.n_bodies=9", set);
    char path[256], label[300];
    size_t n = (size_t)(eq - set);
    if (n >= sizeof path) return errmsg_set(e, "--set: key too long");
    memcpy(path, set, n);
    path[n] = '\0';
    snprintf(label, sizeof label, "--set %s", path);
    if (!eq[1 + strspn(eq + 1, " \t")])
        return errmsg_set(e, "--set %s=: an empty value (give one, e.g. --set %s=3; a key cannot be removed this way)",
                          path, path);
    yamltree *v = yamltree_parse(label, eq + 1, strlen(eq + 1), e);
    if (!v) return -1;
    unposition(v);
    return yamltree_set_path(x->doc, path, v, e);
}

int experiment_load(experiment *x, const char *file, const char *const *sets, uint32_t nsets,
              const char *const *extra, uint32_t nextra, errmsg *e) {
    return experiment_load_text(x, file, NULL, sets, nsets, extra, nextra, e);
}

/* experiment_load_text with relative paths anchored at `origin`'s folder. */
static int load_from(experiment *x, const char *file, const char *origin, const char *text, const char *const *sets,
                uint32_t nsets, const char *const *extra, uint32_t nextra, errmsg *e);

int experiment_load_text(experiment *x, const char *file, const char *text, const char *const *sets, uint32_t nsets,
                         const char *const *extra, uint32_t nextra, errmsg *e) {
    return load_from(x, file, file, text, sets, nsets, extra, nextra, e);
}

int experiment_load_stored(experiment *x, const char *label, const char *origin, const char *text,
                           const char *const *extra, uint32_t nextra, errmsg *e) {
    return load_from(x, label, origin, text, NULL, 0, extra, nextra, e);
}

static int load_from(experiment *x, const char *file, const char *origin, const char *text, const char *const *sets,
                uint32_t nsets, const char *const *extra, uint32_t nextra, errmsg *e) {
    static const char *const top_keys[] = {"name",    "description", "body",   "circuit",  "wiring",
                                           "run",     "record",      "learner", "train",   "bodies",
                                           "circuits", "theta_file", "interventions", "arena", NULL};
    memset(x, 0, sizeof *x);
    registry_init(&x->reg);
    x->file = strdup(file);
    char *tmp = strdup(origin);
    x->base_dir = tmp ? strdup(dirname(tmp)) : NULL;
    free(tmp);
    if (!x->file || !x->base_dir) {
        errmsg_set(e, "out of memory");
        goto fail;
    }
    /* Explicit plugin files come first so their names resolve. */
    for (uint32_t i = 0; i < nextra; i++)
        if (registry_open(&x->reg, extra[i], e)) goto fail;
    if (!(x->doc = text ? yamltree_parse(file, text, strlen(text), e) : yamltree_load(file, e))) goto fail;
    if (text) yamltree_set_dir(x->doc, x->base_dir); /* a stored experiment's paths: its original folder */
    if (x->doc->kind != YAMLTREE_MAP) {
        AT(e, x->doc, "an experiment must be a mapping with body, circuit and wiring keys, not %s",
           yamltree_kind_name(x->doc->kind));
        goto fail;
    }
    if (x->doc->n == 0 && nsets == 0) {
        errmsg_set(e, "%s: the file is empty (an experiment needs body, circuit and wiring; see examples/)", file);
        goto fail;
    }
    for (uint32_t i = 0; i < nsets; i++)
        if (apply_set(x, sets[i], e)) goto fail;
    if (fields_only_keys(x->doc, "", top_keys, e)) goto fail;
    for (int k = 0; k < 2; k++) {
        const char *key = k ? "description" : "name";
        const yamltree *v = yamltree_get(x->doc, key);
        if (v && v->kind != YAMLTREE_SCALAR) {
            AT(e, v, "%s: expected text, got %s", key, yamltree_kind_name(v->kind));
            goto fail;
        }
    }
    if (arena_check(x, e) || instances_load(x, e) || wiring_load(x, e) || load_run(x, e) || load_record(x, e) || load_train(x, e) ||
        interventions_load(x, e))
        goto fail;
    return 0;
fail:
    experiment_free(x);
    return -1;
}

void experiment_free(experiment *x) {
    instances_free(x);
    free(x->curve);
    free(x->output);
    free(x->checkpoint);
    free(x->conns);
    free(x->ivs);
    free(x->trace);
    free(x->record_file);
    free(x->record_sigs);
    yamltree_free(x->doc);
    registry_close(&x->reg);
    free(x->file);
    free(x->base_dir);
    memset(x, 0, sizeof *x);
}
