/* swimmer_morph.c -- the swimmer's design parameters (swimmer_morph.h). */
#include "swimmer_morph.h"

#include <stdio.h>
#include <string.h>

static double clampd(double x, double lo, double hi) { return x < lo ? lo : x > hi ? hi : x; }

void swm_morph_init(swm_morph *mo, const swm_config *cfg, double lo, double hi) {
    memset(mo, 0, sizeof *mo);
    mo->base = *cfg;
    int nb = cfg->n_bodies;
    mo->n = 2u * (uint32_t)nb;
    for (int i = 0; i < 2 * nb; i++) {
        int len = i < nb;
        animat_param_info *p = &mo->info[i];
        snprintf(mo->names[i], sizeof mo->names[i], "%s[%d]", len ? "length" : "radius", len ? i : i - nb);
        double unit = len ? cfg->link_length : cfg->link_radius;
        double amin = len ? SWM_MIN_LENGTH : SWM_MIN_RADIUS, amax = len ? SWM_MAX_LENGTH : SWM_MAX_RADIUS;
        p->struct_size = sizeof *p;
        p->type = ANIMAT_PARAM_REAL;
        p->name = mo->names[i];
        p->unit = "";
        p->def = 1;
        p->min = clampd(lo, amin / unit, 1);
        p->max = clampd(hi, 1, amax / unit);
        p->doc = len ? "Length of link i (head first) as a multiple of link_length; its joint sits at its head end."
                     : "Capsule radius and inertial-box half-height of link i (head first), times link_radius.";
        mo->want[i] = mo->have[i] = 1;
    }
}

int swm_morph_set(swm_morph *mo, const double *v, uint32_t n, char *why, size_t cap) {
    if (n != mo->n) return snprintf(why, cap, "swimmer: morphology set: %u values, this body has %u", n, mo->n), -1;
    for (uint32_t i = 0; i < n; i++)
        if (!(v[i] >= mo->info[i].min && v[i] <= mo->info[i].max))
            return snprintf(why, cap, "swimmer: morphology set: %s = %g is outside [%g, %g]", mo->names[i], v[i],
                            mo->info[i].min, mo->info[i].max), -1;
    memcpy(mo->want, v, n * sizeof *v);
    return 0;
}

/* Append "NAME=[v0 v1 ...]" for entries [k0, k0 + nb) of v. */
static void describe_run(char *buf, size_t cap, size_t *at, const char *name, const double *v, int nb) {
    for (int i = -1; i <= nb && *at < cap; i++) {
        int k = i < 0 ? snprintf(buf + *at, cap - *at, "%s%s=[", *at ? " " : "", name)
                : i == nb ? snprintf(buf + *at, cap - *at, "]")
                          : snprintf(buf + *at, cap - *at, "%s%.4g", i ? " " : "", v[i]);
        if (k < 0) return;
        *at += (size_t)k;
    }
}

static void describe(const swm_morph *mo, const double *v, char *buf, size_t cap) {
    int nb = (int)mo->n / 2;
    size_t at = 0;
    buf[0] = '\0';
    describe_run(buf, cap, &at, "length", v, nb);
    describe_run(buf, cap, &at, "radius", v + nb, nb);
}

void swm_morph_describe(const swm_morph *mo, char *buf, size_t cap) {
    if (!cap) return;
    buf[0] = '\0';
    for (uint32_t i = 0; i < mo->n; i++)
        if (mo->have[i] != mo->info[i].def) {
            describe(mo, mo->have, buf, cap);
            return;
        }
}

int swm_morph_apply(swm_morph *mo, mjModel *m, char *err, size_t cap) {
    if (!memcmp(mo->want, mo->have, mo->n * sizeof *mo->want)) return 0;
    swm_config cfg = mo->base;
    int nb = (int)mo->n / 2;
    cfg.per_link = 1;
    for (int i = 0; i < nb; i++)
        cfg.lengths[i] = mo->want[i] * cfg.link_length, cfg.radii[i] = mo->want[nb + i] * cfg.link_radius;
    char why[1200], design[600];
    mjModel *next = swm_build(&cfg, why, (int)sizeof why);
    int same = next && next->nbuffer == m->nbuffer && next->nq == m->nq && next->ngeom == m->ngeom;
    if (same) mj_copyModel(m, next);
    if (next) mj_deleteModel(next);
    if (!same) {
        describe(mo, mo->want, design, sizeof design);
        snprintf(err, cap, "design %s cannot be built: %s", design, next ? "the model's layout changed" : why);
        return -1;
    }
    memcpy(mo->have, mo->want, mo->n * sizeof *mo->want);
    return 0;
}
