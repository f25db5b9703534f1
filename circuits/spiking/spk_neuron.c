/* spk_neuron.c -- see spk_neuron.h. */
#include "spk_neuron.h"

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

/* Fraction of the way from v0 to v1 where v crosses th (v0 < th <= v1). */
static double cross(double v0, double v1, double th) {
    double f = v1 > v0 ? (th - v0) / (v1 - v0) : 1.0;
    return f < 0.0 ? 0.0 : (f > 1.0 ? 1.0 : f);
}

/* alif's adaptation over a segment of t ms during which v is held at v
 * (exponential Euler: w relaxes towards a (v - E_L)). */
static void relax_w(const spk_ncfg *c, double *w, double v, double t) {
    if (c->model != SPK_ALIF || t <= 0.0) return;
    double winf = c->a * (v - c->e_l);
    *w = winf + (*w - winf) * exp(-t / c->tau_w);
}

/* lif / alif: exponential Euler over the non-refractory part of h. */
static int step_lif(const spk_ncfg *c, double h, double i, double ge, double gi, double e_e, double e_i,
                    double *v, double *w, double *ref, double *ts) {
    double t0 = 0.0;
    if (*ref >= h) { /* refractory all substep */
        *ref -= h;
        *v = c->v_reset;
        relax_w(c, w, c->v_reset, h);
        return 0;
    }
    if (*ref > 0.0) t0 = *ref, *ref = 0.0, *v = c->v_reset, relax_w(c, w, c->v_reset, t0);
    double hi = h - t0, gt = c->g_l + ge + gi, w0 = c->model == SPK_ALIF ? *w : 0.0;
    double vinf = (c->g_l * c->e_l + ge * e_e + gi * e_i + i - w0) / gt;
    double v0 = *v, v1 = vinf + (v0 - vinf) * exp(-hi * gt / c->c_m);
    if (v1 < c->v_th) {
        *v = v1;
        relax_w(c, w, v0, hi);
        return 0;
    }
    double tc = h;
    if (c->interp) { /* where this substep's exponential meets v_th (linear if that is degenerate) */
        double r = (v0 - vinf) / (c->v_th - vinf), te = c->c_m / gt * log(r);
        tc = t0 + (r > 1.0 && te >= 0.0 && te <= hi ? te : hi * cross(v0, v1, c->v_th));
    }
    *ts = tc;
    *v = c->v_reset;
    relax_w(c, w, v0, tc - t0);
    if (c->model == SPK_ALIF) *w += c->b;
    double left = c->t_ref - (h - tc);
    if (left > 0.0) {
        *ref = left;
        relax_w(c, w, c->v_reset, h - tc);
    } else { /* refractory ends inside this substep: the rest runs from v_reset (at most one spike) */
        relax_w(c, w, c->v_reset, c->t_ref);
        double rest = h - tc - c->t_ref;
        *v = vinf + (c->v_reset - vinf) * exp(-rest * gt / c->c_m);
        if (*v >= c->v_th) *v = nextafter(c->v_th, -INFINITY);
        relax_w(c, w, c->v_reset, rest);
    }
    return 1;
}

/* adex: forward Euler. */
static int step_adex(const spk_ncfg *c, double h, double i, double ge, double gi, double e_e, double e_i,
                     double *v, double *w, double *ref, double *ts) {
    double v0 = *v, w0 = *w;
    double dw = (c->a * (v0 - c->e_l) - w0) / c->tau_w;
    if (*ref > 0.0) {
        *ref = *ref > h ? *ref - h : 0.0;
        *v = c->v_reset;
        *w = w0 + h * dw;
        return 0;
    }
    double x = (v0 - c->v_th) / c->delta_t;
    double ex = c->g_l * c->delta_t * exp(x < 60.0 ? x : 60.0);
    double dv = (-c->g_l * (v0 - c->e_l) + ex - w0 + i + ge * (e_e - v0) + gi * (e_i - v0)) / c->c_m;
    double v1 = v0 + h * dv;
    *w = w0 + h * dw;
    if (!(v1 > c->v_peak)) {
        *v = v1;
        return 0;
    }
    *ts = c->interp ? h * cross(v0, v1, c->v_peak) : h;
    *v = c->v_reset;
    *w += c->b;
    *ref = c->t_ref;
    return 1;
}

/* izhikevich: forward Euler (u from the old v, as Brian2's euler). */
static int step_izh(const spk_ncfg *c, double h, double i, double ge, double gi, double e_e, double e_i,
                    double *v, double *u, double *ts) {
    double v0 = *v, u0 = *u;
    double v1 = v0 + h * (0.04 * v0 * v0 + 5.0 * v0 + 140.0 - u0 + i + ge * (e_e - v0) + gi * (e_i - v0));
    *u = u0 + h * c->a * (c->b * v0 - u0);
    if (!(v1 >= c->v_peak)) {
        *v = v1;
        return 0;
    }
    *ts = c->interp ? h * cross(v0, v1, c->v_peak) : h;
    *v = c->v_reset;
    *u += c->d;
    return 1;
}

int spk_neuron_step(const spk_ncfg *c, double h, double i, double ge, double gi, double e_e, double e_i,
                    double *v, double *w, double *ref, double *ts) {
    switch (c->model) {
    case SPK_ADEX: return step_adex(c, h, i, ge, gi, e_e, e_i, v, w, ref, ts);
    case SPK_IZH: return step_izh(c, h, i, ge, gi, e_e, e_i, v, w, ts);
    default: return step_lif(c, h, i, ge, gi, e_e, e_i, v, w, ref, ts);
    }
}
