/* lif_net.h -- a network of leaky integrate-and-fire neurons with
 * current-based exponential synapses, a refractory period and per-synapse
 * integer delays (ring buffers): the pure dynamics, no host.
 *
 *   tau_m dv/dt = -(v - v_rest) + R (I_ext + I_syn)      (mV, nA, Mohm)
 *   tau_syn dI_syn/dt = -I_syn;  a presynaptic spike adds w to I_syn of
 *   the target exactly `delay` substeps after it was emitted.
 * A neuron spikes when v >= v_th, is reset to v_reset and held there for
 * round(t_ref / h) substeps. Within a substep of length h, v and I_syn are
 * advanced exactly (the linear system solved in closed form): synaptic
 * input that arrives at a substep's start decays during it, I_ext is held.
 *
 * Every function is reentrant: it touches only the net it is given. Memory
 * comes from the caller's allocator in lif_net_alloc (create phase); the
 * dynamics (lif_net_substep) never allocate.
 */
#ifndef LIF_NET_H
#define LIF_NET_H

#include <gsl/gsl_rng.h>
#include <stddef.h>
#include <stdint.h>

#include "cstate.h"
#include "cunits.h"

/* Neuron and synapse constants shared by every neuron. */
typedef struct lif_cfg {
    double tau_m;   /* membrane time constant, s (> 0) */
    double tau_syn; /* synaptic time constant, s (> 0) */
    double v_rest;  /* resting potential, mV */
    double v_reset; /* reset potential, mV */
    double v_th;    /* threshold, mV */
    double r_m;     /* membrane resistance, Mohm */
    double t_ref;   /* refractory period, s (>= 0) */
    double w_ext;   /* jump of I_syn per external (Poisson) spike, nA */
} lif_cfg;

typedef struct lif_net {
    lif_cfg cfg;
    uint32_t n;        /* neurons */
    uint32_t n_syn;    /* synapses */
    uint32_t n_slots;  /* ring buffer slots: largest delay + 1 */
    uint32_t *row;     /* n + 1 offsets: synapses of pre i are row[i]..row[i+1] */
    uint32_t *post;    /* n_syn target neurons */
    uint32_t *delay;   /* n_syn delays in substeps, each in [1, n_slots - 1] */
    const double *w;   /* n_syn weights, nA (caller-owned, e.g. theta) */
    double *v;         /* n membrane potentials */
    double *i_syn;     /* n synaptic currents */
    double *i_ext;     /* n external currents (encoders), held by the caller */
    double *rate_ext;  /* n external Poisson rates, Hz (encoders, background) */
    double *ring;      /* n_slots * n pending synaptic input, slot-major */
    uint32_t *ref;     /* n refractory substeps left */
    double *spk;       /* n outputs of the last substep (after unit overrides) */
    double *next_ext;  /* n times to the next external Poisson spike, s */
    double *rate_used; /* n rates next_ext was drawn for (-1: draw anew) */
    double *frac;      /* n: where in the last substep each neuron crossed v_th (linear
                        * interpolation of v, in [0, 1]); 1 when it did not cross (an
                        * override's spike is placed at the substep's end). Not state. */
    uint64_t t;        /* substeps since reset */
    double h;          /* substep the factors below are for (0: none yet) */
    double dm, ds;     /* exp(-h / tau_m), exp(-h / tau_syn) */
    double ks;         /* v's change over h per unit of I_syn at the substep's start */
    uint32_t n_ref;    /* refractory substeps */
} lif_net;

/* Allocator the caller supplies: zeroed memory or NULL. */
typedef void *(*lif_alloc_fn)(void *ctx, size_t bytes);
typedef void (*lif_free_fn)(void *ctx, void *p);

/* Allocate every array of a net of n neurons, n_syn synapses and delays up
 * to max_delay substeps (>= 1). 0, or -1 when out of memory (then call
 * lif_net_free). Phase: create. */
int lif_net_alloc(lif_net *net, uint32_t n, uint32_t n_syn, uint32_t max_delay,
                  lif_alloc_fn alloc, void *ctx);

/* Free every array (safe on a zeroed or half-built net). Phase: destroy. */
void lif_net_free(lif_net *net, lif_free_fn release, void *ctx);

/* Start an episode: v = v_rest, no current, empty ring buffers, nothing
 * refractory, t = 0. Keeps wiring, weights, i_ext and rate_ext. No
 * allocation. */
void lif_net_reset(lif_net *net);

/* Append the regions of the net's dynamic state (potentials, currents,
 * external drive, delay-line ring, refractory counts, last outputs, Poisson
 * clocks, substep count, the factors of the substep size and the
 * refractory count they imply) to r[k..];
 * returns the new count (cstate.h). Wiring and weights are not state. */
uint32_t lif_net_state(lif_net *net, cs_region *r, uint32_t k);

/* Substeps of refractoriness for substep h: round(t_ref / h). Pure. */
uint32_t lif_refractory_steps(double t_ref, double h);

/* Advance one substep of h seconds: deliver this slot's pending input,
 * add external Poisson spikes (a Poisson process per neuron at rate_ext,
 * exponential intervals from `rng`; rng may be NULL only when every
 * rate_ext is 0), integrate, spike, reset, then apply unit
 * overrides (`units`, NULL = none; unit i is neuron i's spike output s_i in
 * {0, 1}, so CLAMP 0 silences and CLAMP 1 fires every substep) and send
 * every nonzero output s_i to its targets' ring slots as w * s_i. Adds s_i
 * to counts[i] when counts is not NULL. No allocation. */
void lif_net_substep(lif_net *net, double h, const cu_units *units, gsl_rng *rng,
                     double *counts);

#endif /* LIF_NET_H */
