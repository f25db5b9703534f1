/* spk_neuron.h -- single-neuron spiking models for the `spiking` circuit:
 * leaky integrate-and-fire (lif), adaptive LIF (alif), adaptive
 * exponential integrate-and-fire (adex, Brette & Gerstner 2005) and the
 * Izhikevich (2003) model, with the published named presets, one substep
 * update per neuron and the threshold used to check reversal potentials.
 *
 * Units (every model): time ms, voltage mV, capacitance pF, conductance
 * nS, current pA (so nS * mV = pA and pA / pF = mV / ms). The Izhikevich
 * model keeps the paper's dimensionless form (v in mV, t in ms, I in the
 * paper's units: dv/dt = 0.04 v^2 + 5 v + 140 - u + I).
 *
 *   lif:   C dv/dt = -g_L (v - E_L) + I                       v >= v_th: v = v_reset
 *   alif:  C dv/dt = -g_L (v - E_L) - w + I,
 *          tau_w dw/dt = a (v - E_L) - w                      v >= v_th: v = v_reset, w += b
 *   adex:  C dv/dt = -g_L (v - E_L) + g_L D_T exp((v - V_T) / D_T) - w + I,
 *          tau_w dw/dt = a (v - E_L) - w                      v > v_peak: v = v_reset, w += b
 *   izhikevich: dv/dt = 0.04 v^2 + 5 v + 140 - u + I,
 *          du/dt = a (b v - u)                               v >= v_peak: v = c, u += d
 *
 * lif and alif are advanced by exponential Euler (exact for constant input
 * and conductances), adex and izhikevich by forward Euler as the papers
 * (and Brian2's `euler`) define them. With interpolation on, a spike's time
 * within the substep is where the substep's own trajectory crosses the
 * threshold: for lif/alif the exponential solved for v = v_th (exact for
 * constant input), for adex/izhikevich the linear interpolation between the
 * substep's two end points. lif/alif also restart from v_reset at that time
 * (the refractory period runs from the crossing), so a lone LIF neuron's
 * interspike interval is the analytic one to rounding; adex/izhikevich
 * reset on the grid (their Euler definition) and only report the
 * interpolated time. Off, a spike is at the end of its substep. Pure maths;
 * every function is reentrant.
 */
#ifndef SPK_NEURON_H
#define SPK_NEURON_H

#include <stdint.h>

enum { SPK_LIF = 0, SPK_ALIF = 1, SPK_ADEX = 2, SPK_IZH = 3 };

/* Constants shared by every neuron of a population. */
typedef struct spk_ncfg {
    uint32_t model;  /* SPK_* */
    int interp;      /* 1: interpolate threshold crossings */
    double c_m;      /* pF (lif, alif, adex) */
    double g_l;      /* nS */
    double e_l;      /* mV, leak reversal (rest) */
    double v_th;     /* mV: threshold (lif, alif), V_T (adex) */
    double delta_t;  /* mV, slope factor (adex) */
    double v_reset;  /* mV: reset (c for izhikevich) */
    double v_peak;   /* mV: spike cut-off (adex, izhikevich) */
    double t_ref;    /* ms, refractory period (lif, alif, adex) */
    double a, b;     /* nS, pA: adaptation (alif, adex); izhikevich a, b (1/ms, 1) */
    double tau_w;    /* ms (alif, adex) */
    double d;        /* izhikevich u jump */
    double v_init;   /* mV, initial v (E_L; -65 for izhikevich) */
    /* derived, set by the step functions themselves (spk_neuron_step.h): reciprocals, substep decays */
    double inv_c_m, inv_tau_w, inv_delta_t, h, e_w_h, e_m_h;
} spk_ncfg;

/* Named presets. */
typedef struct spk_preset {
    const char *name;
    uint32_t model;
    double p[10]; /* izhikevich: a b c d; adex: C gL EL VT DT a tau_w b Vr I */
    double i_ref; /* the current the source paper drives it with (pA; izhikevich units) */
} spk_preset;

/* The preset called name (case-sensitive: RS IB CH FS LTS TC RZ for
 * izhikevich; tonic adapting init_burst bursting delayed for adex), or NULL. */
const spk_preset *spk_preset_find(const char *name);

/* Fill c's model constants from preset p (c->model must equal p->model;
 * interp and t_ref are left alone; v_peak is 30 mV for izhikevich, 0 mV for
 * adex as in Naud et al. 2008). */
void spk_preset_apply(const spk_preset *p, spk_ncfg *c);

/* The voltage above which the neuron fires on its own: v_th (lif, alif),
 * V_T (adex), the unstable fixed point of the izhikevich v-nullcline with
 * u = b v (-50 mV for RS). Reversal potentials are checked against it. */
double spk_threshold(const spk_ncfg *c);

/* Advance one neuron by h ms under input current i (pA) and conductances
 * ge, gi (nS; their mean over the substep) towards e_e, e_i (mV). *v, *w,
 * *ref (refractory time left, ms) are updated. Returns 1 and sets *ts (the
 * spike time in [0, h] after the substep's start) if it fired, else 0. */
int spk_neuron_step(const spk_ncfg *c, double h, double i, double ge, double gi, double e_e, double e_i,
                    double *v, double *w, double *ref, double *ts);

#endif /* SPK_NEURON_H */
