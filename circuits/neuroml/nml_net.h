/* nml_net.h -- a NeuroML2 network as the neuroml circuit simulates it: cell
 * types, synapse types, pulse generators, and the network flattened to
 * cells and connections (nml_load.c reads it from a file).
 *
 * All quantities are SI (V, s, F, S, A). Cell references are indices into
 * the flat cell list (populations in file order, instances in order).
 * Ownership: every array belongs to the nml_net and is freed by nml_free;
 * nothing is shared between nets. Create/destroy phase, one thread.
 */
#ifndef NML_NET_H
#define NML_NET_H

#include <stddef.h>
#include <stdint.h>

/* Longest id kept (NUL included); longer ids are refused with their line. */
#define NML_ID_LEN 64u
/* Most cells one file may define (a larger population is refused). */
#define NML_MAX_CELLS 100000u
/* Most connections / inputs of one kind one file may define. */
#define NML_MAX_CONNS 10000000u

enum { NML_IAF, NML_IAFREF, NML_IAFACT, NML_IZH };              /* cell kinds */
enum { NML_EXPONE, NML_EXPTWO, NML_GAP, NML_GRADED, NML_SILENT }; /* synapse kinds */

typedef struct nml_cell_type {
    char id[NML_ID_LEN];
    int kind;                  /* NML_IAF.. */
    double C, g_leak, e_leak;  /* iaf*: capacitance, leak conductance, reversal */
    double thresh, reset;      /* iaf*: threshold, reset (izh: vpeak, c) */
    double refract;            /* iafRefCell: refractory period, else 0 */
    double tau1;               /* iafActivityCell: activity time constant */
    double v0, k, vr, vt, a, b, d; /* izhikevich2007Cell (C above; thresh = vpeak, reset = c) */
    int line;
} nml_cell_type;

typedef struct nml_syn_type {
    char id[NML_ID_LEN];
    int kind;                  /* NML_EXPONE.. */
    double g;                  /* gbase (exp*), conductance (gap, graded) */
    double erev;               /* exp*, graded */
    double tau_rise, tau_decay;/* exp* (tau_rise 0 for expOne) */
    double factor;             /* expTwo waveform factor (peak 1), expOne 1 */
    double delta, vth, k;      /* graded: slope, threshold, rate (1/s) */
    int line;
} nml_syn_type;

typedef struct nml_pulse {
    char id[NML_ID_LEN];
    double delay, duration, amplitude; /* s, s, A */
    int line;
} nml_pulse;

typedef struct nml_conn {      /* chemical (event) or graded or gap */
    uint32_t pre, post;        /* cell indices */
    uint32_t syn;              /* synapse type (graded: the post side's; gap: the junction) */
    uint32_t pre_syn;          /* graded: the pre side's component (silent or graded) */
    double weight, delay;      /* delay in s (chemical only) */
} nml_conn;

typedef struct nml_input {
    uint32_t cell, pulse;
    double weight;
} nml_input;

typedef struct nml_net {
    char id[NML_ID_LEN];       /* the network's id */
    uint32_t n_cell_types, n_syn_types, n_pulses;
    nml_cell_type *cell_types;
    nml_syn_type *syn_types;
    nml_pulse *pulses;
    uint32_t n;                /* cells */
    uint32_t *type;            /* n cell type indices */
    char (*names)[NML_ID_LEN]; /* n names: the population id (size 1) or POP[i] */
    uint32_t n_chem, n_gap, n_graded, n_inputs;
    nml_conn *chem, *gap, *graded;
    nml_input *inputs;
} nml_net;

/* Read the NeuroML2 file at path into net (zeroed by the caller). 0, or -1
 * with one line in err ("PATH:LINE: ..." naming the element and its id).
 * No DOCTYPE, entity, XInclude or include is followed: no file or network
 * access besides path itself. */
int nml_load(const char *path, nml_net *net, char *err, size_t cap);

/* Free everything nml_load allocated; safe on a zeroed or half-built net. */
void nml_free(nml_net *net);

/* Parse a quantity such as "3pF", "-50mV", "5 ms", "0.1nS" whose dimension
 * is `dim` ("voltage", "time", "capacitance", "conductance", "current",
 * "per_time", "none") into SI. 0, or -1 (not a number, unknown unit, or a
 * unit of another dimension). Pure. */
int nml_quantity(const char *text, const char *dim, double *out);

#endif /* NML_NET_H */
