/* spk_neuron_step.h -- the per-substep updates of spk_neuron.h's models as
 * static inline functions, so that spk_net.c's population loop can inline
 * and specialise them (one loop per model and synapse type); spk_neuron.c
 * wraps them as spk_neuron_step. Pure maths, reentrant. The arguments are
 * those of spk_neuron_step, but c must come from spk_ncfg_inverses(c, h)
 * (spk_ncfg_inverses); `cond` says whether ge, gi are conductances (else
 * they are 0 and skipped). Two per-neuron extras: gap junctions enter as
 * gg (nS, the neuron's summed gap conductance) and gv (pA, sum_j g_ij v_j
 * at the substep's start), i.e. the current gv - gg v = sum_j g_ij (v_j - v)
 * (lif/alif: a conductance towards gv / gg inside the exponential Euler
 * step; adex/izhikevich: forward Euler, as Brian2 with a summed variable);
 * th is the neuron's own threshold (v_th, or V_T for adex, plus its
 * intrinsic-plasticity shift; unused by izhikevich).
 */
#ifndef SPK_NEURON_STEP_H
#define SPK_NEURON_STEP_H

#include <math.h>

#include "spk_neuron.h"

/* A copy of c with the reciprocals the updates multiply by (divisions
 * are the slowest part of the loop) and, for substeps of h ms, the decay
 * factors of a whole substep (exp(-h / tau_w), exp(-h g_L / C)). */
static inline spk_ncfg spk_ncfg_inverses(const spk_ncfg *c, double h) {
    spk_ncfg k = *c;
    k.inv_c_m = 1.0 / c->c_m;
    k.inv_tau_w = 1.0 / c->tau_w;
    k.inv_delta_t = 1.0 / c->delta_t;
    k.h = h;
    k.e_w_h = exp(-h * k.inv_tau_w);
    k.e_m_h = exp(-h * c->g_l * k.inv_c_m);
    return k;
}

/* Fraction of the way from v0 to v1 where v crosses th (v0 < th <= v1). */
static inline double spk_cross(double v0, double v1, double th) {
    double f = v1 > v0 ? (th - v0) / (v1 - v0) : 1.0;
    return f < 0.0 ? 0.0 : (f > 1.0 ? 1.0 : f);
}

/* alif's adaptation over a segment of t ms during which v is held at v
 * (exponential Euler: w relaxes towards a (v - E_L)). */
static inline void spk_relax_w(const spk_ncfg *c, double *w, double v, double t) {
    if (c->model != SPK_ALIF || t <= 0.0) return;
    double winf = c->a * (v - c->e_l);
    *w = winf + (*w - winf) * (t == c->h ? c->e_w_h : exp(-t * c->inv_tau_w));
}

/* lif / alif: exponential Euler over the non-refractory part of h. */
static inline __attribute__((always_inline)) int spk_step_lif(const spk_ncfg *c, double h, double i, double ge,
                                                               double gi, double e_e, double e_i, double gg, double gv,
                                                               double th, double *v, double *w, double *ref,
                                                               double *ts) {
    double t0 = 0.0;
    if (*ref >= h) { /* refractory all substep */
        *ref -= h;
        *v = c->v_reset;
        spk_relax_w(c, w, c->v_reset, h);
        return 0;
    }
    if (*ref > 0.0) t0 = *ref, *ref = 0.0, *v = c->v_reset, spk_relax_w(c, w, c->v_reset, t0);
    double hi = h - t0, gt = c->g_l + ge + gi, w0 = c->model == SPK_ALIF ? *w : 0.0;
    double num = c->g_l * c->e_l + ge * e_e + gi * e_i + i - w0;
    if (gg != 0.0) gt += gg, num += gv; /* a branch, so that the uncoupled loop keeps its arithmetic */
    double vinf = num / gt;
    double em = hi == h && gt == c->g_l ? c->e_m_h : exp(-hi * gt * c->inv_c_m);
    double v0 = *v, v1 = vinf + (v0 - vinf) * em;
    if (v1 < th) {
        *v = v1;
        spk_relax_w(c, w, v0, hi);
        return 0;
    }
    double tc = h;
    if (c->interp) { /* where this substep's exponential meets v_th (linear if that is degenerate) */
        double r = (v0 - vinf) / (th - vinf), te = c->c_m / gt * log(r);
        tc = t0 + (r > 1.0 && te >= 0.0 && te <= hi ? te : hi * spk_cross(v0, v1, th));
    }
    *ts = tc;
    *v = c->v_reset;
    spk_relax_w(c, w, v0, tc - t0);
    if (c->model == SPK_ALIF) *w += c->b;
    double left = c->t_ref - (h - tc);
    if (left > 0.0) {
        *ref = left;
        spk_relax_w(c, w, c->v_reset, h - tc);
    } else { /* refractory ends inside this substep: the rest runs from v_reset (at most one spike) */
        spk_relax_w(c, w, c->v_reset, c->t_ref);
        double rest = h - tc - c->t_ref;
        *v = vinf + (c->v_reset - vinf) * exp(-rest * gt * c->inv_c_m);
        if (*v >= th) *v = nextafter(th, -INFINITY);
        spk_relax_w(c, w, c->v_reset, rest);
    }
    return 1;
}

/* adex: forward Euler. */
static inline int spk_step_adex(const spk_ncfg *c, double h, double i, double ge, double gi, double e_e, double e_i,
                                int cond, double gg, double gv, double th, double *v, double *w, double *ref,
                                double *ts) {
    double v0 = *v, w0 = *w;
    double dw = (c->a * (v0 - c->e_l) - w0) * c->inv_tau_w;
    if (*ref > 0.0) {
        *ref = *ref > h ? *ref - h : 0.0;
        *v = c->v_reset;
        *w = w0 + h * dw;
        return 0;
    }
    double x = (v0 - th) * c->inv_delta_t;
    double ex = c->g_l * c->delta_t * exp(x < 60.0 ? x : 60.0);
    double in = cond ? i + ge * (e_e - v0) + gi * (e_i - v0) : i;
    if (gg != 0.0) in += gv - gg * v0;
    double dv = (-c->g_l * (v0 - c->e_l) + ex - w0 + in) * c->inv_c_m;
    double v1 = v0 + h * dv;
    *w = w0 + h * dw;
    if (!(v1 > c->v_peak)) {
        *v = v1;
        return 0;
    }
    *ts = c->interp ? h * spk_cross(v0, v1, c->v_peak) : h;
    *v = c->v_reset;
    *w += c->b;
    *ref = c->t_ref;
    return 1;
}

/* izhikevich: forward Euler (u from the old v, as Brian2's euler). */
static inline int spk_step_izh(const spk_ncfg *c, double h, double i, double ge, double gi, double e_e, double e_i,
                               int cond, double gg, double gv, double *v, double *u, double *ts) {
    double v0 = *v, u0 = *u;
    double in = cond ? i + ge * (e_e - v0) + gi * (e_i - v0) : i;
    if (gg != 0.0) in += gv - gg * v0;
    double v1 = v0 + h * (0.04 * v0 * v0 + 5.0 * v0 + 140.0 - u0 + in);
    *u = u0 + h * c->a * (c->b * v0 - u0);
    if (!(v1 >= c->v_peak)) {
        *v = v1;
        return 0;
    }
    *ts = c->interp ? h * spk_cross(v0, v1, c->v_peak) : h;
    *v = c->v_reset;
    *u += c->d;
    return 1;
}

#endif /* SPK_NEURON_STEP_H */
