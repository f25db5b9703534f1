/* graph.c -- a connectome-constrained circuit read from a data file
 * (graph_file.c): named neurons, signed chemical synapses, gap junctions,
 * ports mapped to named neurons; rate (graded) or LIF dynamics
 * (graph_dyn.c, lif_net.c); the rate model integrated by the GSL stepper
 * named by `solver` (graph_solver.c). theta = chemical weights (sign from the file),
 * gap conductances (>= 0), input and output gains. "animat.units/1": one
 * unit per neuron, named after it in lower case.
 *
 * The file: `file` (a PATH parameter: the host resolves it against the
 * experiment file's folder and checks it before create), or when unset the
 * shipped network named by `network` (graph-data/NAME.graph next to this
 * .so, found with dladdr). Plugin glue only.
 */
#include <animat/animat.h>
#include <animat/helpers.h>

#include <dlfcn.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cstate_ode.h"
#include "cunits.h"
#include "odebudget.h"
#include "graph_dyn.h"
#include "graph_file.h"
#include "graph_solver.h"
#include "lif_net.h"
#include "lif_spikes.h"

#define GRAPH_PATH_MAX ANIMAT_PARAM_PATH_MAX
#define GRAPH_FILE_MAX (64u << 20)

typedef struct graph_circuit {
    const animat_host *h;
    graph_def g;
    int lif;                  /* model: 0 rate, 1 lif */
    int conductance;          /* rate model synapses: 0 current, 1 conductance (graph_dyn.h) */
    uint32_t n_theta, n_in, n_out;   /* n_in/n_out: port counts */
    double *theta;            /* chem (n_chem), gap (n_gap), in gains, out gains */
    double *chem_eff, *gap_eff;
    double *input;            /* n external inputs of the step */
    double *v;                /* n voltages (rate model state) */
    double *act;              /* n scratch activities */
    double *last;             /* n unit outputs of the last step */
    double *w_csr;            /* n_chem weights in CSR order (lif) */
    uint32_t *order;          /* n_chem: file index of each CSR slot (lif) */
    double *rates;            /* n filtered rates, Hz (lif) */
    uint32_t substeps;
    double tau_dec;
    graph_rate rate;
    graph_solver ode;         /* rate model's GSL driver (graph_solver.h) */
    lif_net net;
    lif_spikes spikes;        /* the last step's spikes (lif; animat.spikes/1) */
    cu_units units;
    animat_param_info *info;
    animat_port_info *ports;  /* n_in inputs then n_out outputs */
    const graph_port **gp;    /* the file's port of each entry of ports */
    double **gain;            /* each port's gains inside theta */
} graph_circuit;

static const animat_param_info graph_params[] = {
    ANIMAT_P_CHOICE("network", "motor12|celegans|cook2019|witvliet2020", 0,
                    "Shipped connectome (graph-data/NAME.graph next to the plugin), used when file is unset."),
    ANIMAT_P_PATH("file", "Connectome file (format: circuits/README.md); overrides network when set."),
    ANIMAT_P_CHOICE("model", "rate|lif", 0, "Neuron model: graded leaky rate units, or LIF spiking neurons."),
    ANIMAT_P_REAL("weight_scale", "", 1, 0, 1e6, "Factor applied to the file's weights and conductances at create."),
    ANIMAT_P_REAL("in_gain", "", 1, -1e6, 1e6, "Initial gain of every input element."),
    ANIMAT_P_REAL("out_gain", "", 1, -1e6, 1e6, "Initial gain of every output element."),
    ANIMAT_P_REAL("tau", "s", 0.05, 1e-6, 100, "Rate model: membrane time constant."),
    ANIMAT_P_REAL("v_half", "", 0.5, -1e3, 1e3, "Rate model: voltage of half activity."),
    ANIMAT_P_REAL("slope", "", 0.1, 1e-6, 1e3, "Rate model: slope of the graded activity."),
    ANIMAT_P_REAL("epsabs", "", 1e-6, 1e-15, 1, "Rate model: absolute tolerance of the GSL integration (> 0)."),
    ANIMAT_P_REAL("epsrel", "", 1e-6, 0, 1, "Rate model: relative tolerance of the GSL integration."),
    ANIMAT_P_REAL("tau_m", "s", 0.02, 1e-6, 100, "LIF: membrane time constant."),
    ANIMAT_P_REAL("tau_syn", "s", 0.005, 1e-6, 100, "LIF: synaptic time constant."),
    ANIMAT_P_REAL("v_th", "mV", 20, -1e3, 1e3, "LIF: threshold (rest and reset at 0)."),
    ANIMAT_P_REAL("r_m", "Mohm", 1, 1e-9, 1e9, "LIF: membrane resistance."),
    ANIMAT_P_REAL("t_ref", "s", 0.002, 0, 10, "LIF: refractory period."),
    ANIMAT_P_INT("delay", "steps", 1, 1, 10000, "LIF: synaptic delay in substeps."),
    ANIMAT_P_INT("substeps", "", 10, 1, 100000, "LIF: substeps per control step."),
    ANIMAT_P_REAL("tau_dec", "s", 0.05, 1e-6, 100, "LIF: rate decoder time constant."),
    ANIMAT_P_CHOICE("solver", GRAPH_SOLVERS, 0,
                    "Rate model: GSL odeiv2 stepper: explicit rkf45, rkck, rk8pd, or multistep Adams msadams "
                    "(no animat.state/1 with msadams: GSL keeps its history private)."),
    ANIMAT_P_CHOICE("synapse", "current|conductance", 0,
                    "Rate model: chemical synapses as currents w a_pre, or c302-style graded conductances "
                    "|w| a_pre (E - v) with E = e_exc (w > 0) or e_inh (w < 0)."),
    ANIMAT_P_REAL("e_exc", "", 1, -1e3, 1e3, "Rate model, conductance synapses: excitatory reversal potential."),
    ANIMAT_P_REAL("e_inh", "", -0.5, -1e3, 1e3, "Rate model, conductance synapses: inhibitory reversal potential."),
};

static void *graph_halloc(void *ctx, size_t bytes) {
    const animat_host *h = ctx;
    return h->alloc(h, bytes);
}

static void graph_hfree(void *ctx, void *p) {
    const animat_host *h = ctx;
    h->free(h, p);
}

/* Free everything create allocated; NULL is a no-op. Phase: destroy. */
static void graph_destroy(void *self) {
    graph_circuit *c = self;
    if (!c) return;
    const animat_host *h = c->h;
    graph_solver_free(&c->ode);
    lif_net_free(&c->net, graph_hfree, (void *)h);
    lif_spikes_free(&c->spikes, graph_hfree, (void *)h);
    graph_def_free(&c->g, graph_hfree, (void *)h);
    void *p[] = {c->theta, c->chem_eff, c->gap_eff, c->input, c->v,     c->act,  c->last,
                 c->w_csr, c->order,    c->rates,   c->info,  c->ports, c->gp,   c->gain};
    for (size_t k = 0; k < sizeof p / sizeof p[0]; k++) h->free(h, p[k]);
    cu_free(h, &c->units);
    h->free(h, c);
}

/* The path of the network into buf: the `file` parameter when set (a
 * host without param_string reads as unset), else the shipped file of the
 * `network` choice next to this plugin. ANIMAT_ERROR after h->error. */
static int32_t graph_path(const animat_host *h, const char *network, char *buf, size_t cap) {
    const char *file = NULL;
    if (ANIMAT_HAS(h, animat_host, param_string) && h->param_string(h, "file", &file) == ANIMAT_OK &&
        file && *file) {
        snprintf(buf, cap, "%s", file);
        return ANIMAT_OK;
    }
    Dl_info info;
    if (!dladdr((const void *)graph_path, &info) || !info.dli_fname) {
        h->error(h, "cannot locate the plugin file to find graph-data/");
        return ANIMAT_ERROR;
    }
    const char *slash = strrchr(info.dli_fname, '/');
    int dir = slash ? (int)(slash - info.dli_fname) : 1;
    snprintf(buf, cap, "%.*s/graph-data/%s.graph", dir, slash ? info.dli_fname : ".", network);
    return ANIMAT_OK;
}

/* Read and parse the file at `path` into c->g. ANIMAT_ERROR after h->error
 * (one line; parse errors name the file and line). Phase: create. */
static int32_t graph_load(graph_circuit *c, const animat_host *h, const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        h->error(h, "%s: cannot open the network file", path);
        return ANIMAT_ERROR;
    }
    char *text = NULL;
    int32_t rc = ANIMAT_ERROR;
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (size < 0 || size > (long)GRAPH_FILE_MAX || fseek(f, 0, SEEK_SET) != 0) {
        h->error(h, "%s: cannot read the network file (or larger than 64 MiB)", path);
    } else if ((text = animat_alloc_array(h, (size_t)size + 1u, 1)) != NULL) {
        if (fread(text, 1, (size_t)size, f) != (size_t)size || memchr(text, '\0', (size_t)size)) {
            h->error(h, "%s: cannot read the network file (or it is not text)", path);
        } else {
            char err[512];
            if (graph_parse(text, path, &c->g, graph_halloc, graph_hfree, (void *)h, err, sizeof err) == 0)
                rc = ANIMAT_OK;
            else
                h->error(h, "%s", err);
        }
    }
    h->free(h, text);
    fclose(f);
    return rc;
}

/* Effective weights: chemical weights keep the file's sign, conductances
 * stay >= 0 (the host projects proposals too); lif: gathered into CSR
 * order. No allocation. */
static void graph_sync(graph_circuit *c) {
    const graph_def *g = &c->g;
    const double *gap = c->theta + g->n_chem;
    for (uint32_t k = 0; k < g->n_chem; k++) {
        double w = c->theta[k];
        int inh = c->info[k].flags == ANIMAT_PARAM_INHIBITORY;
        c->chem_eff[k] = inh ? (w > 0.0 ? 0.0 : w) : (w < 0.0 ? 0.0 : w);
    }
    for (uint32_t k = 0; k < g->n_gap; k++) c->gap_eff[k] = gap[k] < 0.0 ? 0.0 : gap[k];
    if (c->lif)
        for (uint32_t s = 0; s < g->n_chem; s++) c->w_csr[s] = c->chem_eff[c->order[s]];
}

/* theta, its metadata, ports and per-port gain pointers. Phase: create. */
static int32_t graph_theta_ports(graph_circuit *c, const animat_host *h, const double *v) {
    const graph_def *g = &c->g;
    uint32_t n_el[2] = {0, 0};
    for (uint32_t p = 0; p < g->n_ports; p++) {
        n_el[g->ports[p].dir] += g->ports[p].size;
        *(g->ports[p].dir ? &c->n_out : &c->n_in) += 1;
    }
    c->n_theta = g->n_chem + g->n_gap + n_el[0] + n_el[1];
    c->theta = animat_alloc_array(h, c->n_theta, sizeof(double));
    c->info = c->theta ? animat_alloc_array(h, c->n_theta, sizeof *c->info) : NULL;
    c->ports = c->info ? animat_alloc_array(h, g->n_ports, sizeof *c->ports) : NULL;
    c->gp = c->ports ? animat_alloc_array(h, g->n_ports, sizeof *c->gp) : NULL;
    c->gain = c->gp ? animat_alloc_array(h, g->n_ports, sizeof *c->gain) : NULL;
    if (!c->gain) return ANIMAT_ERROR;
    uint32_t k = 0;
    for (uint32_t s = 0; s < g->n_chem; s++, k++) {
        int inh = g->chem_w[s] < 0.0;
        c->theta[k] = v[0] * g->chem_w[s];
        c->info[k] = (animat_param_info)ANIMAT_THETA(
            "chem.w", "", c->theta[k], inh ? -INFINITY : 0.0, inh ? 0.0 : INFINITY,
            inh ? ANIMAT_PARAM_INHIBITORY : ANIMAT_PARAM_EXCITATORY,
            "Chemical synapse weight (file order; sign fixed by the file).");
    }
    for (uint32_t s = 0; s < g->n_gap; s++, k++) {
        c->theta[k] = v[0] * g->gap_w[s];
        c->info[k] = (animat_param_info)ANIMAT_THETA("gap.g", "", c->theta[k], 0.0, INFINITY, 0,
                                                     "Gap junction conductance (file order, >= 0).");
    }
    /* ports: inputs first, then outputs, each in file order */
    uint32_t slot = 0;
    for (uint32_t dir = 0; dir < 2; dir++)
        for (uint32_t p = 0; p < g->n_ports; p++) {
            const graph_port *gp = &g->ports[p];
            if (gp->dir != dir) continue;
            c->gp[slot] = gp;
            c->gain[slot] = c->theta + k;
            c->ports[slot++] = ANIMAT_PORT_INFO(gp->name, gp->size, "",
                                                dir ? "Activities of the file's output neurons (A, or A-B), times gains."
                                                    : "Inputs into the file's input neurons (A, or A|B split by sign), times gains.");
            for (uint32_t e = 0; e < gp->size; e++, k++) {
                c->theta[k] = dir ? v[2] : v[1];
                c->info[k] = (animat_param_info)ANIMAT_THETA(dir ? "out.gain" : "in.gain", "", c->theta[k],
                                                             -INFINITY, INFINITY, 0, "Gain of one port element.");
            }
        }
    return ANIMAT_OK;
}

/* The model's state and integrator: rate (GSL driver of stepper `solver`
 * over n voltages) or lif (lif_net with the chemical synapses, each with
 * its delay from the file or else `delay`). `v` holds the numeric
 * parameters in graph_create's order; `path` names the file in messages.
 * Phase: create. */
static int32_t graph_model(graph_circuit *c, const animat_host *h, const double *v, const char *solver,
                           const char *path) {
    const graph_def *g = &c->g;
    size_t n = g->n;
    double **vec[] = {&c->input, &c->v, &c->act, &c->last, &c->rates};
    for (size_t k = 0; k < 5; k++)
        if (!(*vec[k] = animat_alloc_array(h, n, sizeof(double)))) return ANIMAT_ERROR;
    c->chem_eff = animat_alloc_array(h, g->n_chem + 1u, sizeof(double));
    c->gap_eff = animat_alloc_array(h, g->n_gap + 1u, sizeof(double));
    if (!c->chem_eff || !c->gap_eff || cu_alloc(h, &c->units, g->n) != ANIMAT_OK) return ANIMAT_ERROR;
    for (uint32_t i = 0; i < g->n; i++) {
        cu_name(&c->units, i, "%s", g->names[i]);
        for (char *p = c->units.text + (size_t)i * CU_NAME_LEN; *p; p++)
            if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    }
    if (!c->lif && g->delay_line) {
        h->error(h, "%s:%u: per-synapse delays need model: lif (the rate model has none)", path, g->delay_line);
        return ANIMAT_ERROR;
    }
    if (!c->lif) {
        c->rate = (graph_rate){.g = g, .tau = v[3], .v_half = v[4], .slope = v[5], .chem_w = c->chem_eff,
                               .gap_w = c->gap_eff, .input = c->input, .a = c->act, .conductance = c->conductance,
                               .e_exc = v[16], .e_inh = v[17]};
        int rc = graph_solver_init(&c->ode, &c->rate, solver, 1e-3, v[6], v[7]);
        if (rc) h->error(h, rc == -1 ? "unknown solver '%s' (%s)" : "cannot set up the GSL odeiv2 driver (solver %s)",
                         solver, GRAPH_SOLVERS);
        return rc ? ANIMAT_ERROR : ANIMAT_OK;
    }
    c->net.cfg = (lif_cfg){.tau_m = v[8], .tau_syn = v[9], .v_th = v[10], .r_m = v[11], .t_ref = v[12]};
    uint32_t delay = (uint32_t)v[13], max_delay = delay;
    for (uint32_t s = 0; s < g->n_chem; s++)
        if (g->chem_delay[s] > max_delay) max_delay = g->chem_delay[s];
    c->substeps = (uint32_t)v[14];
    c->tau_dec = v[15];
    uint32_t *fill = animat_alloc_array(h, n, sizeof *fill);
    c->order = animat_alloc_array(h, g->n_chem + 1u, sizeof *c->order);
    c->w_csr = animat_alloc_array(h, g->n_chem + 1u, sizeof *c->w_csr);
    int ok = fill && c->order && c->w_csr &&
             lif_net_alloc(&c->net, g->n, g->n_chem, max_delay, graph_halloc, (void *)h) == 0 &&
             (uint64_t)g->n * c->substeps <= UINT32_MAX / sizeof(animat_spike_event) &&
             lif_spikes_alloc(&c->spikes, g->n * c->substeps, graph_halloc, (void *)h) == 0;
    if (ok) {
        graph_csr(g, c->net.row, c->net.post, c->order, fill);
        for (uint32_t s = 0; s < g->n_chem; s++) {
            uint32_t d = g->chem_delay[c->order[s]];
            c->net.delay[s] = d ? d : delay;
        }
        c->net.w = c->w_csr;
    }
    h->free(h, fill);
    if (!ok) h->error(h, "out of memory");
    return ok ? ANIMAT_OK : ANIMAT_ERROR;
}

/* Build an instance (see graph_params): load the file, theta, ports and
 * the model. NULL after h->error. Phase: create. */
static void *graph_create(const animat_host *h) {
    graph_circuit *c = animat_alloc_array(h, 1, sizeof *c);
    if (!c) return NULL;
    c->h = h;
    static const char *const names[] = {"weight_scale", "in_gain", "out_gain", "tau",   "v_half",
                                        "slope",        "epsabs",  "epsrel",   "tau_m", "tau_syn",
                                        "v_th",         "r_m",     "t_ref",    "delay", "substeps",
                                        "tau_dec",      "e_exc",   "e_inh"};
    double v[18];
    double *const outs[] = {&v[0], &v[1], &v[2],  &v[3],  &v[4],  &v[5],  &v[6],  &v[7],  &v[8],
                            &v[9], &v[10], &v[11], &v[12], &v[13], &v[14], &v[15], &v[16], &v[17]};
    const char *network = NULL, *model = NULL, *solver = NULL, *synapse = NULL;
    char path[GRAPH_PATH_MAX];
    if (animat_param_reals(h, names, outs, ANIMAT_COUNT(names)) != ANIMAT_OK) goto fail;
    if (h->param_choice(h, "network", &network) || h->param_choice(h, "model", &model) ||
        h->param_choice(h, "solver", &solver) || h->param_choice(h, "synapse", &synapse)) {
        h->error(h, "cannot read the network, model, solver or synapse choice");
        goto fail;
    }
    c->lif = strcmp(model, "lif") == 0;
    c->conductance = strcmp(synapse, "conductance") == 0;
    if (graph_path(h, network, path, sizeof path) != ANIMAT_OK || graph_load(c, h, path) != ANIMAT_OK ||
        graph_theta_ports(c, h, v) != ANIMAT_OK || graph_model(c, h, v, solver, path) != ANIMAT_OK)
        goto fail;
    graph_sync(c);
    return c;
fail:
    graph_destroy(c);
    return NULL;
}

/* Ports from the file: inputs, then outputs. Any phase after create. */
static const animat_port_info *graph_ports(void *self, uint32_t dir, uint32_t *n) {
    graph_circuit *c = self;
    return animat_ports_pick(dir, c->ports, c->n_in, c->ports + c->n_in, c->n_out, n);
}

/* Theta metadata, instance-owned. Any phase after create. */
static const animat_param_info *graph_theta_info(void *self, uint32_t *n) {
    graph_circuit *c = self;
    *n = c->n_theta;
    return c->info;
}

/* Copy theta out. Not during step. */
static int32_t graph_get_theta(void *self, double *theta, uint32_t n) {
    graph_circuit *c = self;
    return animat_theta_get(c->h, c->theta, c->n_theta, theta, n);
}

/* Replace theta and recompute the effective weights. Not during step. */
static int32_t graph_set_theta(void *self, const double *theta, uint32_t n) {
    graph_circuit *c = self;
    if (animat_theta_set(c->h, c->theta, c->n_theta, theta, n) != ANIMAT_OK) return ANIMAT_ERROR;
    graph_sync(c);
    return ANIMAT_OK;
}

/* New episode: rest state, overrides cleared. Phase: reset. */
static int32_t graph_reset(void *self, uint64_t seed) {
    (void)seed;
    graph_circuit *c = self;
    size_t n = c->g.n;
    memset(c->v, 0, n * sizeof(double));
    memset(c->last, 0, n * sizeof(double));
    memset(c->rates, 0, n * sizeof(double));
    cu_clear(&c->units);
    lif_spikes_clear(&c->spikes);
    if (c->lif) lif_net_reset(&c->net);
    else graph_solver_reset(&c->ode);
    return ANIMAT_OK;
}

/* LIF model over one control step: gap currents each substep, spikes
 * counted into c->last, rates filtered. No allocation. */
static void graph_lif_run(graph_circuit *c, const cu_units *u, double dt) {
    const uint32_t n = c->g.n;
    double hs = dt / c->substeps, decay = exp(-hs / c->tau_dec);
    memset(c->last, 0, n * sizeof(double));
    lif_spikes_clear(&c->spikes);
    for (uint32_t s = 0; s < c->substeps; s++) {
        graph_gap_currents(&c->g, c->gap_eff, c->net.v, c->input, c->net.i_ext);
        lif_net_substep(&c->net, hs, u, NULL, c->last);
        lif_spikes_collect(&c->spikes, &c->net, s * hs, hs, dt);
        for (uint32_t i = 0; i < n; i++) c->rates[i] = c->rates[i] * decay + c->net.spk[i] / c->tau_dec;
    }
}

/* One control step: encode every input port, integrate (rate: GSL over
 * [0, dt]; lif: substeps), decode every output port. No allocation. */
static int32_t graph_step(void *self, const double *const *in, double *const *out, double dt) {
    graph_circuit *c = self;
    const graph_def *g = &c->g;
    memset(c->input, 0, g->n * sizeof(double));
    for (uint32_t p = 0; p < c->n_in; p++) graph_encode(g, c->gp[p], in[p], c->gain[p], c->input);
    const cu_units *u = c->units.n_active ? &c->units : NULL;
    if (c->lif) {
        graph_lif_run(c, u, dt);
    } else {
        c->rate.units = u;
        int status = graph_solver_advance(&c->ode, c->v, dt);
        if (status != GSL_SUCCESS)
            return cu_ode_fail(c->h, status, c->ode.nmax, dt, c->ode.name, c->ode.epsabs, c->ode.epsrel);
        graph_rate_activity(&c->rate, c->v);
        memcpy(c->last, c->act, g->n * sizeof(double));
    }
    for (uint32_t p = 0; p < c->n_out; p++)
        graph_decode(g, c->gp[c->n_in + p], c->lif ? c->rates : c->last, c->gain[c->n_in + p], c->lif,
                     out[p]);
    return ANIMAT_OK;
}

/* "animat.units/1": neuron names in lower case. Any phase after create. */
static const char *const *graph_unit_names(void *self, uint32_t *n) {
    graph_circuit *c = self;
    *n = c->units.n;
    return c->units.names;
}

/* Unit i in the last step: its graded activity (rate) or spike count
 * (lif); 0 after reset. */
static int32_t graph_unit_get(void *self, uint32_t i, double *value) {
    graph_circuit *c = self;
    if (i >= c->g.n || !value) return ANIMAT_ERROR;
    *value = c->last[i];
    return ANIMAT_OK;
}

/* Override neuron i's output: its activity as its chemical synapses and
 * the outputs see it (rate), or its spike output (lif: `value` in spikes
 * per control step, as get reports it, spread evenly over the substeps). */
static int32_t graph_unit_override(void *self, uint32_t i, uint32_t mode, double value) {
    graph_circuit *c = self;
    if (cu_override(&c->units, i, mode, c->lif ? value / c->substeps : value) == ANIMAT_OK) return ANIMAT_OK;
    c->h->error(c->h, "units: bad override (unit %u of %u, mode %u, value %g)", i, c->g.n, mode, value);
    return ANIMAT_ERROR;
}

static const animat_units_ext graph_units = {
    .struct_size = sizeof(animat_units_ext),
    .names = graph_unit_names,
    .get = graph_unit_get,
    .override = graph_unit_override,
};

/* "animat.state/1" (animat/state.h): voltages, activities, unit
 * outputs and rates, then the LIF network (lif_net_state) or the rate
 * model's integrator step size -- explicit solvers only: an implicit or
 * multistep one keeps history GSL does not expose (graph_solver.h), and
 * such an instance offers no state extension. */
static uint32_t graph_state_regions(graph_circuit *c, cs_region *r) {
    uint32_t k = 0;
    size_t n = c->g.n;
    cs_add(r, &k, c->v, n * sizeof(double));
    cs_add(r, &k, c->act, n * sizeof(double));
    cs_add(r, &k, c->last, n * sizeof(double));
    cs_add(r, &k, c->rates, n * sizeof(double));
    if (c->lif) k = lif_net_state(&c->net, r, k);
    else cs_add_ode(r, &k, c->ode.driver);
    return k;
}

static uint64_t graph_state_size(void *self) {
    cs_region r[CS_MAX_REGIONS];
    return cs_size(r, graph_state_regions(self, r));
}

static int32_t graph_state_save(void *self, void *buf, uint64_t size) {
    cs_region r[CS_MAX_REGIONS];
    uint32_t k = graph_state_regions(self, r);
    return cs_save(((graph_circuit *)self)->h, r, k, buf, size);
}

static int32_t graph_state_load(void *self, const void *buf, uint64_t size) {
    cs_region r[CS_MAX_REGIONS];
    uint32_t k = graph_state_regions(self, r);
    return cs_load(((graph_circuit *)self)->h, r, k, buf, size);
}

static const animat_state_ext graph_state = {sizeof(animat_state_ext), 0, graph_state_size, graph_state_save,
                                            graph_state_load};

/* "animat.ports/1": in LIF mode the outputs are tanh-squashed rates, in
 * [-1, 1]; rate-mode outputs (gain times activity) and inputs are unbounded. */
static const animat_port_values graph_lif_out_values = {.struct_size = sizeof(animat_port_values), .lower = -1,
                                                        .upper = 1};
static const animat_port_values graph_unbounded = {.struct_size = sizeof(animat_port_values), .lower = -INFINITY,
                                                   .upper = INFINITY};
static const animat_port_values *graph_values(void *self, uint32_t dir, uint32_t i) {
    const graph_circuit *c = self;
    (void)i;
    return dir == ANIMAT_PORT_OUT && c->lif ? &graph_lif_out_values : &graph_unbounded;
}
static const animat_ports_ext graph_ports_ext = {.struct_size = sizeof(animat_ports_ext), .values = graph_values};

/* "animat.spikes/1" (LIF model): at most one spike per neuron and substep,
 * timed at the interpolated threshold crossing (lif_spikes.h). */
static uint32_t graph_spike_capacity(void *self) { return ((graph_circuit *)self)->spikes.cap; }

static const animat_spike_event *graph_spike_events(void *self, uint32_t *n) {
    graph_circuit *c = self;
    *n = c->spikes.n;
    return c->spikes.n ? c->spikes.ev : NULL;
}

/* Membrane potentials after the last step, mV. Between steps. */
static int32_t graph_voltages(void *self, double *v, uint32_t n) {
    graph_circuit *c = self;
    if (n != c->g.n || !v) return ANIMAT_ERROR;
    memcpy(v, c->net.v, n * sizeof *v);
    return ANIMAT_OK;
}

static const animat_spikes_ext graph_spikes_ext = {
    .struct_size = sizeof(animat_spikes_ext),
    .capacity = graph_spike_capacity,
    .events = graph_spike_events,
    .voltages = graph_voltages,
};

/* Capabilities: ANIMAT_EXT_UNITS, ANIMAT_EXT_STATE (lif, or rate with an
 * explicit solver), ANIMAT_EXT_PORTS, and ANIMAT_EXT_SPIKES in the LIF model
 * (self != NULL); anything else NULL. Any phase. */
static const void *graph_extension(void *self, const char *id) {
    const graph_circuit *c = self;
    if (id && c && c->lif && strcmp(id, ANIMAT_EXT_SPIKES) == 0) return &graph_spikes_ext;
    if (id && strcmp(id, ANIMAT_EXT_STATE) == 0)
        return !c || c->lif || graph_solver_saveable(&c->ode) ? &graph_state : NULL;
    if (id && strcmp(id, ANIMAT_EXT_PORTS) == 0) return &graph_ports_ext;
    return id && strcmp(id, ANIMAT_EXT_UNITS) == 0 ? &graph_units : NULL;
}

static const animat_circuit_api graph_api = {
    .struct_size = sizeof(animat_circuit_api),
    .create = graph_create,
    .destroy = graph_destroy,
    .ports = graph_ports,
    .theta_info = graph_theta_info,
    .get_theta = graph_get_theta,
    .set_theta = graph_set_theta,
    .reset = graph_reset,
    .step = graph_step,
    .extension = graph_extension,
};

static const animat_plugin_desc graph_desc =
    ANIMAT_DESC_ID(ANIMAT_KIND_CIRCUIT, "org.animat.graph", "graph", "1.0.0",
                "Connectome-constrained circuit from a data file (chemical synapses, gap junctions; rate or LIF)",
                graph_params, &graph_api);

static const animat_plugin_desc *const graph_plugins[] = {&graph_desc};

/* Process-wide set-up: GSL's default error handler aborts; a failed
 * integration must come back as a status instead. Main thread, once. */
static int32_t graph_init(char *why, uint32_t cap) {
    (void)why;
    (void)cap;
    gsl_set_error_handler_off();
    return ANIMAT_OK;
}

/* The only exported symbol. */
ANIMAT_EXPORT const animat_plugin_entry animat_entry = ANIMAT_ENTRY_INIT(graph_plugins, graph_init, NULL);
