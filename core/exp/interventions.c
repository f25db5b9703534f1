/* interventions.c -- see interventions.h. */
#include "exp/interventions.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exp/fields.h"
#include "exp/experiment_impl.h"

#define AT(e, n, ...) errmsg_at((e), (n)->file, (n)->line, (n)->col, __VA_ARGS__)

static const char *const words[] = {"silence", "clamp", "perturb", "noise"};

const char *intervention_word(uint32_t what) { return what < 4 ? words[what] : "?"; }

/* target: INSTANCE.unit.NAME or INSTANCE.theta.NAME (NAME may hold dots). */
static int parse_target(const experiment *x, experiment_iv *iv, const yamltree *t, const char *where, errmsg *e) {
    if (!t || t->kind != YAMLTREE_SCALAR) return AT(e, t ? t : iv->node, "%s.target: expected INSTANCE.unit.NAME or INSTANCE.theta.NAME", where);
    const char *d1 = strchr(t->str, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    char inst[EXPERIMENT_NAME_MAX];
    size_t nl = d1 ? (size_t)(d1 - t->str) : 0;
    if (!d2 || !d2[1] || nl == 0 || nl >= sizeof inst || strlen(d2 + 1) >= sizeof iv->name)
        return AT(e, t, "%s.target: '%s' is not INSTANCE.unit.NAME or INSTANCE.theta.NAME", where, t->str);
    memcpy(inst, t->str, nl);
    inst[nl] = '\0';
    int k = experiment_find(x, inst);
    if (k < 0 || x->insts[k].kind != ANIMAT_KIND_CIRCUIT)
        return AT(e, t, "%s.target: '%s' is not a circuit of this experiment", where, inst);
    size_t wl = (size_t)(d2 - d1 - 1);
    if (!(wl == 4 && !strncmp(d1 + 1, "unit", 4)) && !(wl == 5 && !strncmp(d1 + 1, "theta", 5)))
        return AT(e, t, "%s.target: '%s': the middle word must be unit or theta", where, t->str);
    iv->inst = (uint32_t)k;
    iv->on_theta = wl == 5;
    snprintf(iv->name, sizeof iv->name, "%s", d2 + 1);
    return 0;
}

/* `do:` and the values it needs. */
static int parse_action(experiment_iv *iv, const yamltree *m, const char *where, errmsg *e) {
    const yamltree *d = yamltree_get(m, "do");
    iv->what = 4;
    for (uint32_t k = 0; d && d->kind == YAMLTREE_SCALAR && k < 4; k++)
        if (!strcmp(d->str, words[k])) iv->what = k;
    if (iv->what == 4)
        return AT(e, d ? d : m, "%s.do: expected silence, clamp, perturb or noise", where);
    const char *need = iv->what == INTERVENTION_NOISE ? "sigma" : iv->what == INTERVENTION_SILENCE ? NULL : "value";
    const char *other = iv->what == INTERVENTION_NOISE ? "value" : "sigma";
    if (need && !yamltree_get(m, need)) return AT(e, m, "%s: do: %s needs %s", where, words[iv->what], need);
    if (yamltree_get(m, other) || (!need && yamltree_get(m, "value")))
        return AT(e, yamltree_key(m, yamltree_get(m, other) ? other : "value"), "%s: do: %s takes no %s", where,
                  words[iv->what], yamltree_get(m, other) ? other : "value");
    return fields_real(m, "value", where, -1e300, 1e300, &iv->value, e) ||
                   fields_real(m, "sigma", where, 0, 1e300, &iv->sigma, e)
               ? -1
               : 0;
}

/* One list item. */
static int load_one(experiment *x, experiment_iv *iv, const yamltree *m, size_t i, errmsg *e) {
    static const char *const keys[] = {"target", "do", "value", "sigma", "from", "to", NULL};
    char where[48];
    snprintf(where, sizeof where, "interventions[%zu]", i);
    iv->node = m;
    iv->to = INFINITY;
    if (m->kind != YAMLTREE_MAP) return AT(e, m, "%s: expected a mapping {target, do, ...}", where);
    if (fields_only_keys(m, where, keys, e) || parse_target(x, iv, yamltree_get(m, "target"), where, e) ||
        parse_action(iv, m, where, e) || fields_real(m, "from", where, 0, 1e300, &iv->from, e) ||
        fields_real(m, "to", where, 0, 1e300, &iv->to, e))
        return -1;
    if (!(iv->from < iv->to)) return AT(e, m, "%s: from (%g) must be before to (%g)", where, iv->from, iv->to);
    return 0;
}

int interventions_load(experiment *x, errmsg *e) {
    const yamltree *l = yamltree_get(x->doc, "interventions");
    if (!l) return 0;
    if (l->kind != YAMLTREE_SEQ) return AT(e, l, "interventions: expected a list of {target, do, ...}");
    if (l->n > 1024) return AT(e, l, "interventions: more than 1024 entries");
    if (!(x->ivs = calloc(l->n + 1, sizeof *x->ivs))) return errmsg_set(e, "out of memory");
    for (size_t i = 0; i < l->n; i++) {
        if (load_one(x, &x->ivs[i], l->vals[i], i, e)) return -1;
        x->nivs++;
    }
    return 0;
}
