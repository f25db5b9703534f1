/* spk_neuron.c -- see spk_neuron.h. */
#include "spk_neuron.h"
#include "spk_neuron_step.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

/* Izhikevich (2003), Fig. 2: a, b, c, d; driven with a DC step I = 10.
 * AdEx: Naud, Marcille, Clopath & Gerstner (2008), Table 1: C (pF),
 * g_L (nS), E_L, V_T, Delta_T (mV), a (nS), tau_w (ms), b (pA), V_r (mV)
 * and the step current I (pA) of their Fig. 4 ("delayed" is their delayed
 * accelerating set). */
static const spk_preset PRESETS[] = {
    {"RS", SPK_IZH, {0.02, 0.2, -65, 8}, 10},
    {"IB", SPK_IZH, {0.02, 0.2, -55, 4}, 10},
    {"CH", SPK_IZH, {0.02, 0.2, -50, 2}, 10},
    {"FS", SPK_IZH, {0.1, 0.2, -65, 2}, 10},
    {"LTS", SPK_IZH, {0.02, 0.25, -65, 2}, 10},
    {"TC", SPK_IZH, {0.02, 0.25, -65, 0.05}, 10},
    {"RZ", SPK_IZH, {0.1, 0.26, -65, 2}, 10},
    {"tonic", SPK_ADEX, {200, 10, -70, -50, 2, 2, 30, 0, -58}, 500},
    {"adapting", SPK_ADEX, {200, 12, -70, -50, 2, 2, 300, 60, -58}, 500},
    {"init_burst", SPK_ADEX, {130, 18, -58, -50, 2, 4, 150, 120, -50}, 400},
    {"bursting", SPK_ADEX, {200, 10, -58, -50, 2, 2, 120, 100, -46}, 210},
    {"delayed", SPK_ADEX, {200, 12, -70, -50, 2, -10, 300, 0, -58}, 300},
};

const spk_preset *spk_preset_find(const char *name) {
    for (size_t k = 0; name && k < sizeof PRESETS / sizeof PRESETS[0]; k++)
        if (strcmp(PRESETS[k].name, name) == 0) return &PRESETS[k];
    return NULL;
}

void spk_preset_apply(const spk_preset *p, spk_ncfg *c) {
    const double *q = p->p;
    if (p->model == SPK_IZH) {
        c->a = q[0], c->b = q[1], c->v_reset = q[2], c->d = q[3];
        c->v_peak = 30.0, c->v_init = -65.0;
        return;
    }
    c->c_m = q[0], c->g_l = q[1], c->e_l = q[2], c->v_th = q[3], c->delta_t = q[4];
    c->a = q[5], c->tau_w = q[6], c->b = q[7], c->v_reset = q[8];
    c->v_peak = 0.0, c->v_init = q[2];
}

double spk_threshold(const spk_ncfg *c) {
    if (c->model != SPK_IZH) return c->v_th;
    /* 0.04 v^2 + (5 - b) v + 140 = 0: the larger root */
    double p = 5.0 - c->b, disc = p * p - 4.0 * 0.04 * 140.0;
    return disc >= 0.0 ? (-p + sqrt(disc)) / 0.08 : -p / 0.08;
}

int spk_neuron_step(const spk_ncfg *c, double h, double i, double ge, double gi, double e_e, double e_i,
                    double *v, double *w, double *ref, double *ts) {
    spk_ncfg k = spk_ncfg_inverses(c, h);
    c = &k;
    switch (c->model) {
    case SPK_ADEX: return spk_step_adex(c, h, i, ge, gi, e_e, e_i, 1, 0.0, 0.0, c->v_th, v, w, ref, ts);
    case SPK_IZH: return spk_step_izh(c, h, i, ge, gi, e_e, e_i, 1, 0.0, 0.0, v, w, ts);
    default: return spk_step_lif(c, h, i, ge, gi, e_e, e_i, 0.0, 0.0, c->v_th, v, w, ref, ts);
    }
}
