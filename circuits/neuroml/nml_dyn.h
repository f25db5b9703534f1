/* nml_dyn.h -- the dynamics of an nml_net: every cell's membrane (and
 * recovery / activity variable), one synaptic channel per (postsynaptic
 * cell, event synapse type) -- linear, so the connections of one type onto
 * one cell share it exactly --, graded synapse states, gap junction and
 * pulse currents, integrated with GSL's rk2 (its embedded 3-stage, third-order
 * Runge-Kutta result) over fixed substeps; spikes
 * are threshold crossings after each substep (time interpolated linearly
 * within it), delivered to the channels at the start of the substep after
 * their delay (rounded to whole substeps of the nominal `h`).
 *
 * nml_sim_alloc/free in create/destroy; everything else allocation-free,
 * on the instance's thread. The sim keeps a pointer to its net (not owned).
 */
#ifndef NML_DYN_H
#define NML_DYN_H

#include <animat/spikes.h>
#include <gsl/gsl_odeiv2.h>

#include "cunits.h"
#include "nml_net.h"

typedef struct nml_sim {
    const nml_net *net;        /* borrowed, outlives the sim */
    uint32_t n, n_ch, n_y;     /* cells, channels, ODE dimension */
    uint32_t *ch_post, *ch_syn;/* n_ch: each channel's cell and synapse type */
    double *ch_par;            /* 4 x n_ch: gbase, erev, 1/tauRise (0 for expOne), 1/tauDecay */
    uint32_t *row;             /* n + 1: CSR of chemical connections by presynaptic cell */
    uint32_t *c_ch, *c_del;    /* n_chem: channel and delay (substeps) per CSR slot */
    double *c_w;               /* n_chem: weight x waveform factor per CSR slot */
    uint32_t ring_len, ring_pos;
    double *ring;              /* ring_len x n_ch pending channel increments */
    double *y, *yerr, *vprev;  /* n_y state; scratch */
    double *refr_until;        /* n: end of the refractory period (s since reset) */
    double t;                  /* s since reset */
    double *count, *rate;      /* n: output spikes in the last control step; filtered rate (Hz) */
    uint32_t ev_cap, n_ev;
    animat_spike_event *ev;    /* the last control step's spikes */
    gsl_odeiv2_step *stepper;
    gsl_odeiv2_system sys;
} nml_sim;

/* Build the sim for net: channels, CSR, delays in substeps of h, ring,
 * event buffer of n x max_substeps. 0, or -1 (out of memory). */
int nml_sim_alloc(nml_sim *s, const nml_net *net, double h, uint32_t max_substeps);

/* Free what nml_sim_alloc allocated; safe on a zeroed sim. */
void nml_sim_free(nml_sim *s);

/* Initial state (v at each cell's start value, synapses closed, t = 0). */
void nml_sim_reset(nml_sim *s);

/* Advance by nsub substeps of h: counts, rates (filter decay per substep
 * `decay`, 1/tau_rate `gain`) and events (times relative to the start of
 * this call) are those of this call. u (may be NULL) overrides each cell's
 * spike output. 0, or a GSL status. No allocation. */
int nml_sim_run(nml_sim *s, uint32_t nsub, double h, const cu_units *u, double decay, double gain);

/* The membrane voltage of cell i (V). */
static inline double nml_sim_v(const nml_sim *s, uint32_t i) { return s->y[i]; }

#endif /* NML_DYN_H */
