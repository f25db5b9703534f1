/* spk_plast.h -- the synapse-side maths of the `spiking` circuit:
 * conductance kernels, pair-based STDP on traces with exact spike times,
 * Tsodyks-Markram short-term plasticity and synaptic scaling. Pure and
 * reentrant; no allocation.
 *
 * Conductance kernels (per postsynaptic neuron and sign, summed over its
 * synapses): exponential g(t) = W exp(-t / tau_d); double exponential
 * g(t) = W f (exp(-t / tau_d) - exp(-t / tau_r)) with f normalising the
 * peak to W. Both are two decaying variables (d, r; g = f (d - r), r unused
 * for the exponential), advanced exactly.
 *
 * STDP (pair-based, trace form; Morrison, Diesmann & Gerstner 2008): each
 * neuron has a presynaptic trace x (tau_plus) and a postsynaptic trace y
 * (tau_minus) that decay exponentially and at its spike jump by 1
 * (all-to-all pairing) or are set to 1 (nearest-spike pairing). A
 * presynaptic spike at time t depresses w by A- y(t) (additive) or
 * A- w y(t) (multiplicative); a postsynaptic spike potentiates it by A+ x(t)
 * (additive) or A+ (w_max - w) x(t) (multiplicative); w stays in
 * [0, w_max]. For an isolated pair dt = t_post - t_pre the additive change
 * is A+ exp(-dt / tau_plus) (dt > 0) or -A- exp(dt / tau_minus) (dt < 0).
 *
 * Tsodyks-Markram (Tsodyks, Pawelzik & Markram 1998): per presynaptic
 * neuron, u decays to 0 (tau_f) and x recovers to 1 (tau_d) between
 * spikes; at a spike u += U (1 - u), the transmitted fraction is u x, then
 * x -= u x. For a periodic train of period T the steady amplitude is
 * u+ x- with u+ = U / (1 - (1 - U) e^{-T/tau_f}) and
 * x- = (1 - e^{-T/tau_d}) / (1 - (1 - u+) e^{-T/tau_d}).
 */
#ifndef SPK_PLAST_H
#define SPK_PLAST_H

#include <stdint.h>

enum { SPK_STDP_NONE = 0, SPK_STDP_ADD = 1, SPK_STDP_MULT = 2 };

typedef struct spk_stdp {
    uint32_t rule;      /* SPK_STDP_* */
    int nearest;        /* 1: nearest-spike pairing, 0: all-to-all */
    double a_plus;      /* potentiation amplitude */
    double a_minus;     /* depression amplitude */
    double tau_plus;    /* ms */
    double tau_minus;   /* ms */
    double w_max;       /* upper weight bound */
} spk_stdp;

/* Value at time t (ms after the substep's start) of a trace that was x0 at
 * the substep's start, given the same neuron's spike at ts in this substep
 * (ts < 0: none; only a spike strictly before t counts). */
double spk_trace_at(double x0, double t, double ts, double tau, int nearest);

/* Trace at the end of a substep of h ms (spike at ts, or ts < 0). */
double spk_trace_end(double x0, double h, double ts, double tau, int nearest);

/* Weight change of w for a presynaptic spike seeing postsynaptic trace y
 * (depression), and for a postsynaptic spike seeing presynaptic trace x
 * (potentiation); both return the new weight, clipped to [0, w_max]. */
double spk_stdp_pre(const spk_stdp *s, double w, double y);
double spk_stdp_post(const spk_stdp *s, double w, double x);

/* Tsodyks-Markram state of one presynaptic neuron. */
typedef struct spk_tm {
    double u, x;  /* after the last spike */
    double since; /* ms since the last spike (INFINITY before the first) */
} spk_tm;

/* A spike `since` ms after the previous one (s->since is advanced by the
 * caller): returns the transmitted fraction u+ x- and updates s. */
double spk_tm_spike(spk_tm *s, double big_u, double tau_d, double tau_f);

/* Peak normalisation f of the double exponential (tau_r < tau_d). */
double spk_exp2_norm(double tau_r, double tau_d);

#endif /* SPK_PLAST_H */
