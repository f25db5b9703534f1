/* spk_net.h -- a population of spiking neurons (spk_neuron.h) wired by
 * chemical synapses with exponential or double-exponential kernels,
 * conductance-based (reversal potentials e_exc, e_inh) or current-based,
 * with optional STDP, Tsodyks-Markram short-term plasticity and synaptic
 * scaling (spk_plast.h), electrical synapses (gap junctions) and intrinsic
 * plasticity of the threshold: the pure dynamics of the `spiking` circuit.
 *
 * Gap junctions are symmetric pairs (gap_a[k], gap_b[k]) of conductance
 * gap_g[k] >= 0 nS: neuron i receives sum_j g_ij (v_j - v_i), v_j taken at
 * the substep's start (spk_neuron_step.h says how each model integrates it).
 *
 * Intrinsic plasticity (threshold adaptation; Desai, Rutherford &
 * Turrigiano 1999, in the threshold form of e.g. Lazar, Pipa & Triesch
 * 2009): each neuron's threshold v_th + thr[i] (V_T + thr[i] for adex)
 * follows d thr_i / dt = eta_ip (r_i - rate_target), r_i the homeostatic
 * rate estimate (tau_homeo), |thr_i| <= ip_max. The integral of r_i over
 * each substep is taken exactly, so under a clamped spike train
 * thr_i(t) = eta_ip (sum_k (1 - e^{-(t - t_k) / tau_homeo}) - rate_target t)
 * (t in s, t_k the trace's spike times, the ends of their substeps).
 *
 * Synapses are stored by presynaptic neuron (row/post, CSR) and indexed by
 * postsynaptic neuron (col/in_syn) for potentiation. A neuron is
 * inhibitory when its index is >= first_inh: its synapses raise the
 * inhibitory conductance (or subtract current). Weights are magnitudes
 * >= 0 (nS, or pA for current synapses).
 *
 * One substep of h ms: (1) the spikes of the previous substep are
 * delivered (each target's kernel jumps by w times the spike's amount and
 * its Tsodyks-Markram fraction); (2) every neuron advances under its
 * input current and the mean of its conductances over the substep (the
 * kernels are then decayed exactly); (3) STDP pairs this substep's spikes
 * at their exact times; (4) traces, STP clocks and homeostatic rates
 * advance. So a spike emitted in substep s reaches its targets at the start
 * of substep s + 1.
 *
 * Memory comes from the caller's allocator in spk_net_alloc (create
 * phase); spk_net_substep never allocates. A net belongs to one thread.
 */
#ifndef SPK_NET_H
#define SPK_NET_H

#include <animat/spikes.h>
#include <stddef.h>
#include <stdint.h>

#include "cstate.h"
#include "cunits.h"
#include "spk_neuron.h"
#include "spk_plast.h"

enum { SPK_KERNEL_EXP = 0, SPK_KERNEL_EXP2 = 1 };

typedef struct spk_syncfg {
    int conductance;  /* 1: g (E - v), 0: current */
    uint32_t kernel;  /* SPK_KERNEL_* */
    double tau_r;     /* ms, rise (exp2) */
    double tau_d;     /* ms, decay */
    double e_exc;     /* mV */
    double e_inh;     /* mV */
    int stp;          /* 1: Tsodyks-Markram */
    double stp_u, stp_tau_d, stp_tau_f; /* U, ms, ms */
    int scaling;      /* 1: synaptic scaling */
    int intrinsic;    /* 1: threshold adaptation (not izhikevich) */
    double ip_max;    /* mV, bound on |threshold shift| */
    double rate_target; /* Hz */
    double tau_homeo; /* ms, rate estimate */
    double w_max;     /* weight bound for plasticity */
} spk_syncfg;

typedef struct spk_net {
    spk_ncfg ncfg;
    spk_syncfg scfg;
    spk_stdp stdp;          /* rule NONE: off; a_plus, a_minus set per step by the owner */
    double eta;             /* synaptic scaling rate (1/Hz/s) */
    double eta_ip;          /* intrinsic plasticity rate (mV/Hz/s) */
    uint32_t tu;            /* first threshold unit when units are passed (0: none) */
    uint32_t n_gap;         /* gap junctions */
    uint32_t *gap_a, *gap_b; /* n_gap: the two neurons of each (a != b) */
    double *gap_g;          /* n_gap conductances (nS), written by the owner; read at reset */
    uint32_t *gap_row;      /* n + 1: neuron i's neighbours are gap_nb[gap_row[i] .. gap_row[i + 1]) (reset) */
    uint32_t *gap_nb;       /* 2 n_gap: neighbour indices, by neuron */
    double *gap_gn;         /* 2 n_gap: their conductances */
    uint32_t n, n_syn, first_inh;
    uint32_t *row, *post;   /* n + 1, n_syn: synapses by presynaptic neuron */
    uint32_t *col, *in_syn; /* n + 1, n_syn: synapse indices by postsynaptic neuron */
    uint32_t *in_pre;       /* n_syn: the presynaptic neuron of in_syn[q] */
    double *w;              /* n_syn current weights */
    double *v, *wa, *ref, *i_ext;          /* n: potential, adaptation (w or u), refractory left, input */
    double *gde, *gre, *gdi, *gri;         /* n: kernel variables (decay, rise), exc / inh */
    double *xpre, *ypost, *rate;           /* n: STDP traces, homeostatic rate (Hz) */
    double *thr;            /* n: intrinsic threshold shift (mV) */
    double *gsum, *gv;      /* n: summed gap conductance (set at reset), sum_j g_ij v_j (per substep) */
    spk_tm *tm;             /* n: STP state per presynaptic neuron */
    double *ts;             /* n: spike time in this substep, -1 if none */
    double *s;              /* n: transmitted spike amount in this substep (0 if none) */
    double *amp;            /* n: amount to deliver next substep (s times the STP fraction) */
    uint32_t *fired;        /* n: neurons with s != 0 in the last substep */
    uint32_t n_fired;
    double norm;            /* exp2 peak normalisation */
} spk_net;

typedef void *(*spk_alloc_fn)(void *ctx, size_t bytes);
typedef void (*spk_free_fn)(void *ctx, void *p);

/* Allocate a net of n neurons and n_syn synapses (zeroed). 0, or -1 out of
 * memory (partial allocations are freed by spk_net_free). */
int spk_net_alloc(spk_net *net, uint32_t n, uint32_t n_syn, spk_alloc_fn al, void *ctx);
void spk_net_free(spk_net *net, spk_free_fn fr, void *ctx);

/* Allocate n_gap gap junctions (gap_a, gap_b, gap_g zeroed; the caller
 * fills them before spk_net_reset). 0, or -1 out of memory (freed by
 * spk_net_free). Call at most once, after spk_net_alloc. */
int spk_net_alloc_gaps(spk_net *net, uint32_t n_gap, spk_alloc_fn al, void *ctx);

/* Fill col/in_syn from row/post. */
void spk_net_index(spk_net *net);

/* Rest state: v = v_init, u = b v_init (izhikevich) else 0, kernels,
 * traces, rates, threshold shifts 0, STP fresh; weights from w0 (n_syn);
 * gap junctions indexed by neuron from gap_a, gap_b, gap_g. */
void spk_net_reset(spk_net *net, const double *w0);

/* One substep of h ms starting t0 ms after the control step's start.
 * Units (may be NULL): neuron i's spike output is cu_apply(u, i, 0 or 1);
 * with weight units (wu != 0) synapse k's weight is cu_apply(u, wu + k,
 * w); with threshold units (net->tu != 0) neuron i's threshold shift is
 * cu_apply(u, tu + i, thr[i]). counts[i] += the output; each nonzero output appends an event
 * (unit i, time (t0 + spike time) / 1000 s) to ev[*n_ev]. */
void spk_net_substep(spk_net *net, double h, double t0, const cu_units *u, uint32_t wu, double *counts,
                     animat_spike_event *ev, uint32_t *n_ev);

/* Synaptic scaling over a control step of dt ms: w += dt eta w
 * (rate_target - rate_post) / 1000, clipped to [0, w_max]. */
void spk_net_scale(spk_net *net, double dt);

/* The state regions (everything spk_net_substep changes). */
uint32_t spk_net_state(spk_net *net, cs_region *r, uint32_t k);

#endif /* SPK_NET_H */
