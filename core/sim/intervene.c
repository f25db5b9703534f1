/* intervene.c -- see intervene.h. */
#include "sim/intervene.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/params.h"
#include "exp/interventions.h"
#include "sim/sim_impl.h"

#define AT(e, n, ...) errmsg_at((e), (n)->file, (n)->line, (n)->col, __VA_ARGS__)

/* The stream key of the interventions' noise (plugin/hostctx.h keys). */
#define IV_STREAM 4u

/* First control step whose start time is at or after t seconds. */
static uint64_t step_at(double t, double dt) {
    if (isinf(t)) return UINT64_MAX;
    double k = ceil(t / dt - 1e-9);
    return k <= 0 ? 0 : k >= 1.8e19 ? UINT64_MAX : (uint64_t)k;
}

/* A unit target: find the unit by name in the circuit's units extension. */
static int find_unit(sim_iv *v, const char *where, errmsg *e) {
    const experiment_iv *x = v->x;
    const animat_units_ext *u = instance_units(v->in);
    if (!u)
        return AT(e, x->node, "%s: circuit '%s' (%s) names no units (it lacks %s)", where, v->in->name,
                  v->in->plugin->desc->name, ANIMAT_EXT_UNITS);
    uint32_t n = 0;
    const char *const *names = instance_unit_names(v->in, u, &n);
    char list[256] = "";
    for (uint32_t i = 0; names && i < n; i++) {
        if (names[i] && !strcmp(names[i], x->name)) {
            v->ux = u;
            v->index = i;
            return 0;
        }
        size_t len = strlen(list);
        if (names[i] && len < 200) snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", names[i]);
    }
    return AT(e, x->node, "%s: circuit '%s' has no unit '%s' (units: %s%s)", where, v->in->name, x->name, list,
              strlen(list) >= 200 ? ", ..." : "");
}

/* A theta target: find the entry by name. */
static int find_entry(sim_iv *v, const char *where, errmsg *e) {
    uint32_t n = 0;
    const animat_param_info *info = instance_theta_info(v->in, &n);
    for (uint32_t k = 0; k < n; k++) {
        const animat_param_info *p = params_at(info, k);
        if (p->name && !strcmp(p->name, v->x->name)) {
            v->index = k;
            v->ntheta = n;
            return 0;
        }
    }
    return AT(e, v->x->node, "%s: circuit '%s' has no theta entry '%s'", where, v->in->name, v->x->name);
}

int sim_iv_init(sim *s, errmsg *e) {
    const experiment *x = s->x;
    if (!x->nivs) return 0;
    s->ivs = calloc(x->nivs, sizeof *s->ivs);
    s->ivrng = gsl_rng_alloc(gsl_rng_mt19937);
    uint32_t tmax = 1;
    if (!s->ivs || !s->ivrng) return errmsg_set(e, "out of memory");
    for (uint32_t i = 0; i < x->nivs; i++) {
        sim_iv *v = &s->ivs[i];
        char where[48];
        snprintf(where, sizeof where, "interventions[%u]", i);
        v->x = &x->ivs[i];
        v->in = &s->insts[v->x->inst];
        v->from = step_at(v->x->from, s->dt);
        v->to = step_at(v->x->to, s->dt);
        if (v->x->on_theta ? find_entry(v, where, e) : find_unit(v, where, e)) return -1;
        if (v->ntheta > tmax) tmax = v->ntheta;
        s->nivs++;
    }
    if (!(s->ivtheta = calloc(tmax, sizeof *s->ivtheta))) return errmsg_set(e, "out of memory");
    return 0;
}

/* Step window [from, to) of intervention v, cut to run.max_steps. */
static void iv_window(const sim *s, const sim_iv *v, uint64_t *from, uint64_t *to) {
    uint64_t end = s->x->max_steps ? s->x->max_steps : UINT64_MAX;
    *from = v->from;
    *to = v->to < end ? v->to : end;
}

uint32_t sim_iv_print_notes(const sim *s, FILE *f) {
    uint32_t lines = 0;
    for (uint32_t i = 0; i < s->nivs; i++) {
        const sim_iv *a = &s->ivs[i];
        uint64_t af, at;
        iv_window(s, a, &af, &at);
        const char *kind = a->x->on_theta ? "theta" : "unit";
        if (af >= at) {
            if (a->from < a->to)
                fprintf(f, "note: interventions[%u] (%s.%s.%s) never acts: it starts at %g s, after the last control "
                           "step (run.max_steps %llu x %g s)\n", i, a->in->name, kind, a->x->name, a->x->from,
                        (unsigned long long)s->x->max_steps, s->dt);
            else
                fprintf(f, "note: interventions[%u] (%s.%s.%s) never acts: no control step starts in [%g, %g) s "
                           "(steps are %g s apart)\n", i, a->in->name, kind, a->x->name, a->x->from, a->x->to, s->dt);
            lines++;
            continue;
        }
        for (uint32_t j = 0; j < i; j++) {
            const sim_iv *b = &s->ivs[j];
            uint64_t bf, bt;
            iv_window(s, b, &bf, &bt);
            if (b->in != a->in || b->x->on_theta != a->x->on_theta || strcmp(b->x->name, a->x->name) ||
                (af > bf ? af : bf) >= (at < bt ? at : bt))
                continue;
            fprintf(f, "note: interventions[%u] and interventions[%u] both act on %s.%s.%s at the same time; they "
                       "are applied in list order\n", j, i, a->in->name, kind, a->x->name);
            lines++;
            break;
        }
    }
    return lines;
}

void sim_iv_free(sim *s) {
    free(s->ivs);
    free(s->ivtheta);
    if (s->ivrng) gsl_rng_free(s->ivrng);
}

void sim_iv_begin(sim *s, uint64_t episode) {
    if (!s->nivs) return;
    uint64_t seed = hostctx_seed(s->x->seed, episode, (uint64_t)IV_STREAM | s->domain);
    gsl_rng_set(s->ivrng, (unsigned long)((seed ^ (seed >> 32)) & 0xffffffffu));
    for (uint32_t i = 0; i < s->nivs; i++) s->ivs[i].on = 0;
}

/* The value an active intervention applies this step (noise: a draw). */
static double amount(sim *s, const sim_iv *v, double base) {
    switch (v->x->what) {
    case INTERVENTION_SILENCE: return 0.0;
    case INTERVENTION_CLAMP: return v->x->value;
    case INTERVENTION_PERTURB: return base + v->x->value;
    default: return base + gsl_ran_gaussian_ziggurat(s->ivrng, v->x->sigma);
    }
}

/* Set (on) or release (off) a unit's override for this step. */
static int apply_unit(sim *s, sim_iv *v, int on, errmsg *e) {
    uint32_t mode = !on ? ANIMAT_UNIT_FREE
                    : v->x->what <= INTERVENTION_CLAMP ? ANIMAT_UNIT_CLAMP : ANIMAT_UNIT_ADD;
    double value = on ? amount(s, v, 0.0) : 0.0;
    return instance_unit_override(v->in, v->ux, v->index, mode, value, e);
}

/* Write a theta entry: the intervention's value (on) or the saved one. */
static int apply_theta(sim *s, sim_iv *v, int on, int starting, errmsg *e) {
    if (instance_get_theta(v->in, s->ivtheta, v->ntheta, e)) return -1;
    if (starting) v->saved = s->ivtheta[v->index];
    s->ivtheta[v->index] = on ? amount(s, v, v->saved) : v->saved;
    return instance_set_theta(v->in, s->ivtheta, v->ntheta, e);
}

int sim_iv_step(sim *s, errmsg *e) {
    for (uint32_t i = 0; i < s->nivs; i++) {
        sim_iv *v = &s->ivs[i];
        int want = s->step >= v->from && s->step < v->to;
        if (!want && !v->on) continue;
        int starting = want && !v->on;
        v->on = want;
        if (v->x->on_theta ? apply_theta(s, v, want, starting, e) : apply_unit(s, v, want, e)) return -1;
    }
    return 0;
}

int sim_iv_end(sim *s, errmsg *e) {
    int rc = 0;
    for (uint32_t i = 0; i < s->nivs; i++) {
        sim_iv *v = &s->ivs[i];
        if (v->on && v->x->on_theta && apply_theta(s, v, 0, 0, e)) rc = -1;
        v->on = 0;
    }
    return rc;
}
