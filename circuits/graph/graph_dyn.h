/* graph_dyn.h -- dynamics of a connectome-constrained circuit (pure, no
 * host, no allocation), for the two models of the graph plugin:
 *
 * rate (graded, leaky; like c302's level A/B graded-synapse networks):
 *   tau dv_i/dt = -v_i + sum_chem w a_pre + sum_gap g (v_j - v_i) + I_i
 *   a_i = 1 / (1 + exp(-(v_i - v_half) / slope))     (graded activity)
 * with a_i overridable as unit i ("animat.units/1"); gap junctions couple
 * voltages, so a clamped unit silences its chemical output only. With
 * conductance synapses (c302's graded synapse: the presynaptic sigmoid
 * opens a conductance |w| towards a reversal potential) the chemical term
 * is instead
 *   sum_chem |w| a_pre (E - v_i),   E = e_exc (w > 0) or e_inh (w < 0).
 * The right-hand side and its Jacobian have GSL odeiv2's signatures.
 *
 * lif: the LIF network of circuits/lif (lif_net.c) with the chemical
 * synapses as its synapses and gap junctions as currents g (v_j - v_i)
 * added to the external current each substep (graph_gap_currents).
 */
#ifndef GRAPH_DYN_H
#define GRAPH_DYN_H

#include <stdint.h>

#include "cunits.h"
#include "graph_file.h"

typedef struct graph_rate {
    const graph_def *g;     /* wiring (indices) */
    double tau;             /* s, > 0 */
    double v_half, slope;   /* graded activity curve */
    const double *chem_w;   /* n_chem effective weights */
    const double *gap_w;    /* n_gap effective conductances */
    const double *input;    /* n external inputs of this step */
    const cu_units *units;  /* overrides of a, or NULL */
    double *a;              /* n scratch activities */
    int conductance;        /* 0: current synapses w a_pre; 1: |w| a_pre (E - v) */
    double e_exc, e_inh;    /* reversal potentials (conductance synapses) */
} graph_rate;

/* a_i for every neuron from v (overrides applied) into m->a. */
void graph_rate_activity(const graph_rate *m, const double *v);

/* GSL odeiv2 right-hand side of the rate model; `model` is a graph_rate.
 * Returns GSL_SUCCESS. No allocation. */
int graph_rate_rhs(double t, const double v[], double dvdt[], void *model);

/* GSL odeiv2 Jacobian of the rate model (row-major n x n into dfdy,
 * dfdt = 0), for the implicit steppers; `model` is a graph_rate. A clamped
 * unit's activity does not depend on its voltage. Returns GSL_SUCCESS. No
 * allocation. */
int graph_rate_jac(double t, const double v[], double *dfdy, double dfdt[], void *model);

/* out[i] = base[i] + sum over gap junctions of g (v_j - v_i) for every
 * neuron (n values). No allocation. */
void graph_gap_currents(const graph_def *g, const double *gap_w, const double *v,
                        const double *base, double *out);

/* CSR wiring of the chemical synapses by presynaptic neuron for lif_net:
 * row (n + 1), post (n_chem) and order (n_chem: the synapse index in the
 * file's order of each CSR slot, so weights can be gathered from theta).
 * `fill` holds n scratch counters. No allocation. */
void graph_csr(const graph_def *g, uint32_t *row, uint32_t *post, uint32_t *order, uint32_t *fill);

/* Encode port values: for every element of input port p, x drives its
 * neuron (GRAPH_EL_ONE: gain x; GRAPH_EL_SPLIT: gain max(x, 0) into a,
 * gain max(-x, 0) into b), added into I (n values). No allocation. */
void graph_encode(const graph_def *g, const graph_port *p, const double *x, const double *gain,
                  double *I);

/* Decode output port p from activities act (n values): gain act[a], or
 * gain (act[a] - act[b]) for GRAPH_EL_DIFF; squash with tanh when
 * `squash`. No allocation. */
void graph_decode(const graph_def *g, const graph_port *p, const double *act, const double *gain,
                  int squash, double *y);

#endif /* GRAPH_DYN_H */
