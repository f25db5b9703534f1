/* live_units.c -- see live_units.h. */
#include "view/live_units.h"

#include <stdio.h>
#include <string.h>

#include "plugin/instance.h"
#include "sim/sim_impl.h"

void view_overlay_line(char *labels, char *values, size_t cap, const char *label, double value) {
    size_t nl = strlen(labels), nv = strlen(values);
    if (nl + strlen(label) + 2 >= cap || nv + 16 >= cap) return;
    snprintf(labels + nl, cap - nl, "\n%s", label);
    snprintf(values + nv, cap - nv, "\n%.3f", value);
}

/* Use instance `in`'s units, if it names any. 1 when it does. */
static int units_of(view_live_units *u, instance *in) {
    const animat_units_ext *x = in->kind == ANIMAT_KIND_CIRCUIT ? instance_units(in) : NULL;
    uint32_t n = 0;
    const char *const *names = x ? instance_unit_names(in, x, &n) : NULL;
    if (!names || !n) return 0;
    u->in = in, u->ext = x, u->names = names, u->n = n < VIEW_LIVE_UNITS ? n : VIEW_LIVE_UNITS;
    return 1;
}

int view_live_units_find(view_live_units *u, sim *s, const char *name, errmsg *e) {
    memset(u, 0, sizeof *u);
    if (name && !strcmp(name, "none")) return 0;
    if (!name) {
        for (uint32_t i = 0; i < s->ninsts && !units_of(u, &s->insts[i]); i++) continue;
        return 0;
    }
    char base[EXPERIMENT_NAME_MAX + 8];
    snprintf(base, sizeof base, "%s", name);
    size_t len = strlen(base);
    if (len > 6 && !strcmp(base + len - 6, ".units")) base[len - 6] = '\0';
    instance *in = sim_find(s, base);
    if (!in || in->kind != ANIMAT_KIND_CIRCUIT)
        return errmsg_set(e, "view: --units %s: the experiment has no circuit '%s'", name, base);
    if (!units_of(u, in))
        return errmsg_set(e, "view: --units %s: circuit '%s' (%s) names no units (it lacks %s)", name, base,
                          in->plugin->desc->name, ANIMAT_EXT_UNITS);
    return 0;
}

void view_live_units_append(const view_live_units *u, char *labels, char *values, size_t cap) {
    for (uint32_t i = 0; i < u->n; i++) {
        double v = 0;
        if (instance_unit_get(u->in, u->ext, i, &v)) v = 0.0 / 0.0; /* shown as nan; the run goes on */
        view_overlay_line(labels, values, cap, u->names[i], v);
    }
}
