/* arena.c -- see arena.h. */
#include "exp/arena.h"

#include <stdlib.h>
#include <string.h>

#include "exp/experiment_impl.h"
#include "exp/fields.h"

#define AT(e, n, ...) errmsg_at((e), (n)->file, (n)->line, (n)->col, __VA_ARGS__)

/* Section keys and the body parameters they become, in the same order. */
static const char *const arena_keys[] = {"file", "terrain", "image", "size", "seed", "cells", NULL};
static const char *const arena_params[] = {"arena", "terrain", "terrain_image", "terrain_size", "terrain_seed",
                                           "terrain_cells"};
#define ARENA_NKEYS (sizeof arena_params / sizeof arena_params[0])

/* Index of key s in arena_keys (checked by arena_check). */
static size_t arena_key_index(const char *s) {
    size_t i = 0;
    while (i < ARENA_NKEYS && strcmp(arena_keys[i], s)) i++;
    return i;
}

int arena_check(const experiment *x, errmsg *e) {
    const yamltree *a = yamltree_get(x->doc, "arena");
    if (!a) return 0;
    if (a->kind != YAMLTREE_MAP || a->n == 0)
        return AT(e, a, "arena: expected a mapping like {file: arenas/rocks.xml, terrain: noise}, got %s",
                  a->kind == YAMLTREE_MAP ? "an empty mapping" : yamltree_kind_name(a->kind));
    return fields_only_keys(a, "arena", arena_keys, e);
}

/* The record of parameter `name` in plugin table d, or NULL. */
static const animat_param_info *arena_find_param(const animat_plugin_desc *d, const char *name) {
    for (uint32_t i = 0; i < d->n_params; i++) {
        const animat_param_info *p = params_at(d->params, i);
        if (!strcmp(p->name, name)) return p;
    }
    return NULL;
}

/* Check the section's values with the body's own records renamed to the
 * section's keys (so messages say arena.size). 0 or -1 with e set. */
static int arena_values(const yamltree *a, const experiment_inst *in, errmsg *e) {
    const animat_plugin_desc *d = in->plugin->desc;
    animat_param_info table[ARENA_NKEYS];
    for (size_t i = 0; i < a->n; i++) {
        size_t k = arena_key_index(a->keys[i]->str);
        const animat_param_info *p = arena_find_param(d, arena_params[k]);
        if (!p)
            return AT(e, a->keys[i], "arena.%s: body '%s' (plugin %s) has no parameter %s", arena_keys[k], in->name,
                      d->name, arena_params[k]);
        memset(&table[i], 0, sizeof table[i]);
        memcpy(&table[i], p, p->struct_size < sizeof table[i] ? p->struct_size : sizeof table[i]);
        table[i].struct_size = sizeof table[i];
        table[i].name = arena_keys[k];
    }
    params_set tmp;
    if (params_resolve(table, (uint32_t)a->n, a, "arena", d->name, &tmp, e)) return -1;
    params_free(&tmp);
    return 0;
}

/* given (the body's params mapping or NULL) plus every arena entry whose
 * parameter the body does not set, into *out: arrays and the renamed key
 * nodes are allocated (arena_merged_free), values are shared. 0 or -1. */
static int arena_merge(const yamltree *a, const yamltree *given, yamltree *out, yamltree *names, errmsg *e) {
    size_t ng = given ? given->n : 0;
    memset(out, 0, sizeof *out);
    out->kind = YAMLTREE_MAP;
    if (given) out->file = given->file, out->line = given->line, out->col = given->col;
    out->keys = calloc(ng + a->n + 1, sizeof *out->keys);
    out->vals = calloc(ng + a->n + 1, sizeof *out->vals);
    if (!out->keys || !out->vals) return errmsg_set(e, "out of memory");
    for (size_t i = 0; i < ng; i++) out->keys[out->n] = given->keys[i], out->vals[out->n++] = given->vals[i];
    for (size_t i = 0; i < a->n; i++) {
        const char *param = arena_params[arena_key_index(a->keys[i]->str)];
        if (yamltree_get(given, param)) continue; /* the body's own value wins */
        yamltree *k = &names[i];
        *k = *a->keys[i];
        k->str = (char *)param; /* never freed: not a parsed node */
        out->keys[out->n] = k, out->vals[out->n++] = a->vals[i];
    }
    return 0;
}

int arena_resolve_body(const experiment *x, experiment_inst *in, const char *where, errmsg *e) {
    const animat_plugin_desc *d = in->plugin->desc;
    const yamltree *a = yamltree_get(x->doc, "arena"), *given = yamltree_get(in->node, "params");
    if (!a) return params_resolve(d->params, d->n_params, given, where, d->name, &in->params, e);
    const animat_param_info *p = arena_find_param(d, "arena");
    if (!p || p->type != ANIMAT_PARAM_PATH)
        return AT(e, yamltree_key(x->doc, "arena"),
                  "arena: body '%s' (plugin %s) takes no arena; the arena: section applies to every body "
                  "(give the others arena parameters of their own instead)", in->name, d->name);
    if (given && given->kind != YAMLTREE_MAP)
        return AT(e, given, "%s: expected a mapping of parameter: value", where);
    if (arena_values(a, in, e)) return -1;
    yamltree merged, names[ARENA_NKEYS];
    int rc = arena_merge(a, given, &merged, names, e);
    if (!rc) rc = params_resolve(d->params, d->n_params, &merged, where, d->name, &in->params, e);
    free(merged.keys);
    free(merged.vals);
    return rc;
}
