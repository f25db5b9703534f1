/* spiking.c -- the `spiking` circuit plugin: a population of LIF, adaptive
 * LIF, AdEx or Izhikevich neurons (spk_neuron.c, with the published named
 * presets) wired at random by exponential or double-exponential synapses,
 * conductance- or current-based, gap junctions (random pairs and a listed
 * `gaps` table), with optional STDP, Tsodyks-Markram short-term
 * plasticity, synaptic scaling and intrinsic threshold plasticity running
 * during the episode (spk_net.c, spk_plast.c). theta = initial weights,
 * input and output gains, the plasticity rates, then the gap conductances.
 * Extensions: animat.units/1 (neurons, synaptic weights when plastic,
 * thresholds with intrinsic plasticity), animat.spikes/1 (spike times within the
 * step, interpolated when `interpolate` is on), animat.state/1,
 * animat.ports/1.
 *
 * Plugin glue only. One instance is used by one thread at a time; nothing
 * here is global except const tables.
 */
#include <animat/animat.h>
#include <animat/helpers.h>
#include <animat/spikes.h>

#include <math.h>
#include <string.h>

#include "chrng.h"
#include "cstate.h"
#include "cunits.h"
#include "spk_net.h"

typedef struct spk_circuit {
    const animat_host *h;
    chrng rng;
    spk_net net;
    uint32_t substeps, n_in, n_out;
    double i_bias;          /* pA into every neuron */
    double tau_dec;         /* ms, decoder rate filter */
    uint32_t n_theta, n_plast; /* theta size; plasticity rates at its end */
    uint32_t wu;            /* first weight unit (0: weights are not units) */
    uint32_t tu;            /* first threshold unit (0: thresholds are not units) */
    double *theta;          /* weights, in gains, out gains, [a_plus, a_minus], [eta], [eta_ip], gap g */
    double *rates;          /* n filtered rates (Hz) */
    double *counts;         /* n spike counts in the last control step */
    animat_spike_event *ev; /* capacity events of the last step */
    uint32_t n_ev, cap;
    animat_param_info *info;
    cu_units units;
    animat_port_info in, out;
} spk_circuit;

static const animat_param_info spk_params[] = {
    ANIMAT_P_CHOICE("model", "lif|alif|adex|izhikevich", 0, "Neuron model (see circuits/README.md)."),
    ANIMAT_P_CHOICE("preset", "none|RS|IB|CH|FS|LTS|TC|RZ|tonic|adapting|init_burst|bursting|delayed", 0,
                    "Named parameter set: Izhikevich 2003 (RS..RZ) or AdEx, Naud et al. 2008 (tonic..delayed); "
                    "it replaces the neuron parameters below."),
    ANIMAT_P_BOOL("interpolate", 1, "Spike times by linear interpolation of the threshold crossing."),
    ANIMAT_P_INT("n_neurons", "", 20, 1, 100000, "Number of neurons (at least 2 n_in + 2 n_out)."),
    ANIMAT_P_INT("n_in", "", 0, 0, 10000, "Inputs; 0 takes the size of the port wired to in.x."),
    ANIMAT_P_INT("n_out", "", 0, 0, 10000, "Outputs; 0 takes the size of the port wired from out.y."),
    ANIMAT_P_REAL("p_connect", "", 0.2, 0, 1, "Probability of a synapse from each neuron to each other neuron."),
    ANIMAT_P_REAL("w_mean", "nS", 1.0, 0, 1e6, "Mean initial weight (nS; pA for current synapses)."),
    ANIMAT_P_REAL("w_sd", "nS", 0.2, 0, 1e6, "Standard deviation of the initial weights."),
    ANIMAT_P_REAL("frac_inh", "", 0.2, 0, 1, "Fraction of inhibitory neurons (the last ones)."),
    ANIMAT_P_REAL("g_inh", "", 1.0, 0, 1e6, "Initial inhibitory weights relative to excitatory ones."),
    ANIMAT_P_REAL("c_m", "pF", 200, 1e-6, 1e9, "Membrane capacitance (lif, alif, adex)."),
    ANIMAT_P_REAL("g_l", "nS", 10, 1e-9, 1e9, "Leak conductance (lif, alif, adex)."),
    ANIMAT_P_REAL("e_l", "mV", -70, -1e3, 1e3, "Leak reversal potential (lif, alif, adex)."),
    ANIMAT_P_REAL("v_th", "mV", -50, -1e3, 1e3, "Threshold (lif, alif); V_T (adex)."),
    ANIMAT_P_REAL("delta_t", "mV", 2, 1e-6, 1e3, "Slope factor Delta_T (adex)."),
    ANIMAT_P_REAL("v_reset", "mV", -58, -1e3, 1e3, "Reset potential (c for izhikevich)."),
    ANIMAT_P_REAL("v_peak", "mV", 0, -1e3, 1e3, "Spike cut-off (adex; izhikevich uses 30 mV)."),
    ANIMAT_P_REAL("t_ref", "ms", 2, 0, 1e4, "Refractory period (lif, alif, adex)."),
    ANIMAT_P_REAL("a", "nS", 2, -1e6, 1e6, "Subthreshold adaptation a (alif, adex); a (1/ms) for izhikevich."),
    ANIMAT_P_REAL("b", "pA", 60, -1e6, 1e6, "Spike-triggered adaptation b (alif, adex); b for izhikevich."),
    ANIMAT_P_REAL("tau_w", "ms", 100, 1e-6, 1e9, "Adaptation time constant (alif, adex)."),
    ANIMAT_P_REAL("d", "", 8, -1e6, 1e6, "Izhikevich u jump d."),
    ANIMAT_P_CHOICE("synapse", "exp|exp2", 0, "Synaptic kernel: exponential, or double exponential (rise, decay)."),
    ANIMAT_P_CHOICE("coupling", "conductance|current", 0, "Conductance synapses g (E - v), or current synapses."),
    ANIMAT_P_REAL("tau_rise", "ms", 0.5, 1e-6, 1e6, "Synaptic rise time (exp2)."),
    ANIMAT_P_REAL("tau_decay", "ms", 5, 1e-6, 1e6, "Synaptic decay time."),
    ANIMAT_P_REAL("e_exc", "mV", 0, -1e3, 1e3, "Excitatory reversal potential (above threshold)."),
    ANIMAT_P_REAL("e_inh", "mV", -80, -1e3, 1e3, "Inhibitory reversal potential (below threshold)."),
    ANIMAT_P_CHOICE("stdp", "none|additive|multiplicative", 0, "Pair-based STDP during the episode."),
    ANIMAT_P_CHOICE("pairing", "all|nearest", 0, "STDP pairing: all-to-all, or nearest spike."),
    ANIMAT_P_REAL("a_plus", "", 0.01, -1e6, 1e6, "Initial STDP potentiation amplitude (theta)."),
    ANIMAT_P_REAL("a_minus", "", 0.0105, -1e6, 1e6, "Initial STDP depression amplitude (theta)."),
    ANIMAT_P_REAL("tau_plus", "ms", 20, 1e-6, 1e9, "STDP potentiation time constant."),
    ANIMAT_P_REAL("tau_minus", "ms", 20, 1e-6, 1e9, "STDP depression time constant."),
    ANIMAT_P_REAL("w_max", "nS", 10, 0, 1e9, "Upper weight bound under plasticity."),
    ANIMAT_P_CHOICE("stp", "none|tm", 0, "Tsodyks-Markram short-term depression/facilitation."),
    ANIMAT_P_REAL("stp_u", "", 0.5, 1e-9, 1, "Tsodyks-Markram utilisation U."),
    ANIMAT_P_REAL("stp_tau_d", "ms", 200, 1e-6, 1e9, "Tsodyks-Markram recovery (depression) time constant."),
    ANIMAT_P_REAL("stp_tau_f", "ms", 20, 1e-6, 1e9, "Tsodyks-Markram facilitation time constant."),
    ANIMAT_P_CHOICE("homeostasis", "none|scaling", 0, "Multiplicative synaptic scaling towards rate_target."),
    ANIMAT_P_REAL("rate_target", "Hz", 10, 1e-6, 1e6, "Target rate of synaptic scaling and intrinsic plasticity."),
    ANIMAT_P_REAL("tau_homeo", "ms", 1000, 1e-6, 1e9, "Rate estimate time constant of the homeostatic rules."),
    ANIMAT_P_REAL("eta", "1/Hz/s", 0.01, 0, 1e6, "Initial synaptic scaling rate (theta)."),
    ANIMAT_P_CHOICE("intrinsic", "none|threshold", 0,
                    "Intrinsic plasticity: each threshold moves by eta_ip (rate - rate_target) (lif, alif, adex)."),
    ANIMAT_P_REAL("eta_ip", "mV/Hz/s", 0.05, 0, 1e6, "Initial intrinsic plasticity rate (theta)."),
    ANIMAT_P_REAL("ip_max", "mV", 30, 0, 1e3, "Bound on each neuron's threshold shift (intrinsic plasticity)."),
    ANIMAT_P_REAL("gap_p", "", 0, 0, 1, "Probability of a gap junction between each pair of neurons."),
    ANIMAT_P_REAL("g_gap", "nS", 1, 0, 1e6, "Initial conductance of each random gap junction (theta)."),
    ANIMAT_P_REAL_LIST("gaps", "", "", 0, 1e9,
                       "Listed gap junctions as triples a, b, g: neurons a != b (indices), conductance g (nS; theta)."),
    ANIMAT_P_REAL("i_bias", "pA", 0, -1e9, 1e9, "Bias current into every neuron."),
    ANIMAT_P_REAL("in_gain", "pA", 400, -1e9, 1e9, "Initial input gain: current per unit input into its on/off pair."),
    ANIMAT_P_REAL("out_gain", "s", 0.02, -1e6, 1e6, "Initial output gain: y = tanh(gain (rate_on - rate_off))."),
    ANIMAT_P_REAL("tau_dec", "ms", 50, 1e-6, 1e9, "Decoder rate filter time constant."),
    ANIMAT_P_INT("substeps", "", 1, 1, 100000, "Substeps per control step (the net runs at dt / substeps)."),
};

static void *spk_host_alloc(void *ctx, size_t bytes) {
    const animat_host *h = ctx;
    return h->alloc(h, bytes);
}

static void spk_host_free(void *ctx, void *p) {
    const animat_host *h = ctx;
    h->free(h, p);
}

/* Free everything create allocated; NULL is a no-op. Phase: destroy. */
static void spk_destroy(void *self) {
    spk_circuit *c = self;
    if (!c) return;
    const animat_host *h = c->h;
    spk_net_free(&c->net, spk_host_free, (void *)h);
    void *p[] = {c->theta, c->rates, c->counts, c->ev, c->info};
    for (size_t k = 0; k < sizeof p / sizeof p[0]; k++) h->free(h, p[k]);
    cu_free(h, &c->units);
    h->free(h, c);
}

/* Index of choice parameter `name` in the '|'-separated list `opts`; -1
 * after h->error. Phase: create. */
static int spk_choice(const animat_host *h, const char *name, const char *opts) {
    const char *v = NULL;
    if (h->param_choice(h, name, &v) != ANIMAT_OK || !v) {
        h->error(h, "cannot read parameter %s", name);
        return -1;
    }
    size_t n = strlen(v);
    int k = 0;
    for (const char *p = opts; *p; k++) {
        const char *e = strchr(p, '|');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncmp(p, v, n) == 0) return k;
        if (!e) break;
        p = e + 1;
    }
    h->error(h, "%s: '%s' is not one of %s", name, v, opts);
    return -1;
}

/* An in/out size: the parameter if > 0, else the wired size; 0 after
 * h->error when neither. Phase: create. */
static uint32_t spk_io_size(const animat_host *h, double v, uint32_t dir) {
    const char *d = dir == ANIMAT_PORT_IN ? "in" : "out", *port = dir == ANIMAT_PORT_IN ? "x" : "y";
    uint32_t n = v > 0.0 ? (uint32_t)v : h->wired_size(h, dir, port);
    if (n == 0) h->error(h, "n_%s is 0 and %s.%s is not wired; set n_%s", d, d, port, d);
    return n;
}

/* The neuron model, its preset and constants. ANIMAT_ERROR after h->error. */
static int32_t spk_config_neuron(spk_circuit *c, const animat_host *h) {
    static const char *const names[] = {"c_m", "g_l",   "e_l", "v_th", "delta_t", "v_reset", "v_peak",
                                        "t_ref", "a",   "b",   "tau_w", "d"};
    spk_ncfg *k = &c->net.ncfg;
    double interp;
    double *const outs[] = {&k->c_m, &k->g_l, &k->e_l, &k->v_th, &k->delta_t, &k->v_reset, &k->v_peak,
                            &k->t_ref, &k->a, &k->b, &k->tau_w, &k->d};
    int model = spk_choice(h, "model", "lif|alif|adex|izhikevich");
    if (model < 0 || animat_param_reals(h, names, outs, ANIMAT_COUNT(names)) != ANIMAT_OK ||
        animat_param_reals(h, (const char *const[]){"interpolate"}, (double *const[]){&interp}, 1) != ANIMAT_OK)
        return ANIMAT_ERROR;
    k->model = (uint32_t)model;
    k->interp = interp != 0.0;
    k->v_init = k->model == SPK_IZH ? -65.0 : k->e_l;
    if (k->model == SPK_IZH) k->v_peak = 30.0;
    const char *pname = NULL;
    if (h->param_choice(h, "preset", &pname) != ANIMAT_OK || !pname) {
        h->error(h, "cannot read parameter preset");
        return ANIMAT_ERROR;
    }
    if (strcmp(pname, "none") != 0) {
        const spk_preset *p = spk_preset_find(pname);
        static const char *const mname[] = {"lif", "alif", "adex", "izhikevich"};
        if (!p || p->model != k->model) {
            h->error(h, "preset '%s' is not a %s preset (RS IB CH FS LTS TC RZ are izhikevich; tonic adapting "
                     "init_burst bursting delayed are adex)", pname, mname[k->model]);
            return ANIMAT_ERROR;
        }
        spk_preset_apply(p, k);
    }
    if ((k->model == SPK_LIF || k->model == SPK_ALIF) && k->v_reset >= k->v_th) {
        h->error(h, "v_reset = %g mV is not below v_th = %g mV: the neuron would fire every substep", k->v_reset,
                 k->v_th);
        return ANIMAT_ERROR;
    }
    return ANIMAT_OK;
}

/* Synapses and plasticity; a_pm receives a_plus, a_minus, eta, eta_ip
 * (theta's initial values). ANIMAT_ERROR after h->error. Phase: create. */
static int32_t spk_config_syn(spk_circuit *c, const animat_host *h, double *a_pm) {
    spk_syncfg *s = &c->net.scfg;
    spk_stdp *p = &c->net.stdp;
    static const char *const names[] = {"tau_rise", "tau_decay", "e_exc", "e_inh", "stp_u", "stp_tau_d",
                                        "stp_tau_f", "rate_target", "tau_homeo", "w_max", "tau_plus",
                                        "tau_minus", "a_plus", "a_minus", "eta", "eta_ip", "ip_max"};
    double *const outs[] = {&s->tau_r, &s->tau_d, &s->e_exc, &s->e_inh, &s->stp_u, &s->stp_tau_d,
                            &s->stp_tau_f, &s->rate_target, &s->tau_homeo, &s->w_max, &p->tau_plus,
                            &p->tau_minus, &a_pm[0], &a_pm[1], &a_pm[2], &a_pm[3], &s->ip_max};
    int kern = spk_choice(h, "synapse", "exp|exp2"), coup = spk_choice(h, "coupling", "conductance|current");
    int rule = spk_choice(h, "stdp", "none|additive|multiplicative"), pair = spk_choice(h, "pairing", "all|nearest");
    int stp = spk_choice(h, "stp", "none|tm"), homeo = spk_choice(h, "homeostasis", "none|scaling");
    int ip = spk_choice(h, "intrinsic", "none|threshold");
    if (kern < 0 || coup < 0 || rule < 0 || pair < 0 || stp < 0 || homeo < 0 || ip < 0 ||
        animat_param_reals(h, names, outs, ANIMAT_COUNT(names)) != ANIMAT_OK)
        return ANIMAT_ERROR;
    s->kernel = (uint32_t)kern, s->conductance = coup == 0, s->stp = stp == 1, s->scaling = homeo == 1;
    s->intrinsic = ip == 1;
    if (s->intrinsic && c->net.ncfg.model == SPK_IZH) {
        h->error(h, "intrinsic threshold needs a model with a threshold (lif, alif, adex); izhikevich has none");
        return ANIMAT_ERROR;
    }
    p->rule = (uint32_t)rule, p->nearest = pair == 1, p->w_max = s->w_max;
    if (s->kernel == SPK_KERNEL_EXP2 && !(s->tau_r < s->tau_d)) {
        h->error(h, "synapse exp2 needs tau_rise < tau_decay, got %g ms and %g ms", s->tau_r, s->tau_d);
        return ANIMAT_ERROR;
    }
    double th = spk_threshold(&c->net.ncfg);
    if (s->conductance && !(s->e_exc > th)) {
        h->error(h, "e_exc = %g mV is not above the spike threshold (%g mV): excitation could never fire the "
                 "neuron", s->e_exc, th);
        return ANIMAT_ERROR;
    }
    if (s->conductance && !(s->e_inh < th)) {
        h->error(h, "e_inh = %g mV is not below the spike threshold (%g mV): inhibition would excite", s->e_inh,
                 th);
        return ANIMAT_ERROR;
    }
    if (p->rule == SPK_STDP_MULT && (a_pm[0] < 0.0 || a_pm[1] < 0.0)) {
        h->error(h, "stdp multiplicative needs a_plus >= 0 and a_minus >= 0 (soft bounds), got %g and %g",
                 a_pm[0], a_pm[1]);
        return ANIMAT_ERROR;
    }
    return ANIMAT_OK;
}

/* Random wiring (each ordered pair i != j with probability p, from the host
 * stream) into the net, allocated here. ANIMAT_ERROR after h->error. */
static int32_t spk_wire(spk_circuit *c, const animat_host *h, uint32_t n, double p) {
    uint32_t *deg = animat_alloc_array(h, n, sizeof *deg);
    uint32_t *post = NULL;
    uint64_t n_syn = 0, cap = (uint64_t)n * (n - 1);
    int32_t rc = ANIMAT_ERROR;
    if (cap > 20000000u) {
        h->error(h, "%u neurons allow %llu synapses: at most 20000000", n, (unsigned long long)cap);
        goto out;
    }
    post = animat_alloc_array(h, cap ? cap : 1, sizeof *post);
    if (!deg || !post) goto out;
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < n; j++)
            if (j != i && gsl_rng_uniform(&c->rng.rng) < p) post[n_syn++] = j, deg[i]++;
    if (spk_net_alloc(&c->net, n, (uint32_t)n_syn, spk_host_alloc, (void *)h) != 0) {
        h->error(h, "out of memory (%u neurons, %llu synapses)", n, (unsigned long long)n_syn);
        goto out;
    }
    c->net.row[0] = 0;
    for (uint32_t i = 0; i < n; i++) c->net.row[i + 1] = c->net.row[i] + deg[i];
    memcpy(c->net.post, post, sizeof *post * n_syn);
    spk_net_index(&c->net);
    rc = ANIMAT_OK;
out:
    h->free(h, deg);
    h->free(h, post);
    return rc;
}

/* Check the listed gap junctions (triples a, b, g in list[0, 3 m)): whole
 * indices of existing neurons, a != b, no pair twice. ANIMAT_ERROR after
 * h->error. Phase: create. */
static int32_t spk_check_gaps(const animat_host *h, const double *list, uint32_t len, uint32_t n) {
    if (len % 3 != 0) {
        h->error(h, "gaps: %u values are not whole triples a, b, g", len);
        return ANIMAT_ERROR;
    }
    for (uint32_t t = 0; t < len / 3; t++) {
        const double *e = list + 3 * t;
        for (int k = 0; k < 2; k++)
            if (e[k] != floor(e[k]) || e[k] >= n) {
                h->error(h, "gaps triple %u: neuron %g does not exist (indices 0..%u)", t + 1, e[k], n - 1);
                return ANIMAT_ERROR;
            }
        if (e[0] == e[1]) {
            h->error(h, "gaps triple %u: a gap junction from neuron %g to itself", t + 1, e[0]);
            return ANIMAT_ERROR;
        }
        for (uint32_t u = 0; u < t; u++) {
            const double *f = list + 3 * u;
            if ((f[0] == e[0] && f[1] == e[1]) || (f[0] == e[1] && f[1] == e[0])) {
                h->error(h, "gaps triple %u: gap junction %g-%g is listed twice (triple %u)", t + 1, e[0], e[1],
                         u + 1);
                return ANIMAT_ERROR;
            }
        }
    }
    return ANIMAT_OK;
}

/* 1 when the pair i-j is among the m listed triples. */
static int spk_listed(const double *list, uint32_t m, uint32_t i, uint32_t j) {
    for (uint32_t t = 0; t < m; t++)
        if ((list[3 * t] == i && list[3 * t + 1] == j) || (list[3 * t] == j && list[3 * t + 1] == i)) return 1;
    return 0;
}

/* Gap junctions: the listed triples, then each other unordered pair with
 * probability gap_p (host stream; no draw when gap_p is 0) at g_gap; their
 * conductances go to net.gap_g (theta's initial values). ANIMAT_ERROR
 * after h->error. Phase: create, after spk_wire. */
static int32_t spk_wire_gaps(spk_circuit *c, const animat_host *h) {
    const double *list = NULL;
    uint32_t len = 0, n = c->net.n;
    double p, g;
    if (h->param_list(h, "gaps", &list, &len) != ANIMAT_OK ||
        animat_param_reals(h, (const char *const[]){"gap_p", "g_gap"}, (double *const[]){&p, &g}, 2) != ANIMAT_OK)
        return ANIMAT_ERROR;
    if (spk_check_gaps(h, list, len, n) != ANIMAT_OK) return ANIMAT_ERROR;
    uint32_t m = len / 3;
    uint64_t cap = m + (p > 0.0 ? (uint64_t)n * (n - 1) / 2 : 0u);
    if (cap > 20000000u) {
        h->error(h, "gap_p: %u neurons allow %llu gap junctions: at most 20000000", n, (unsigned long long)cap);
        return ANIMAT_ERROR;
    }
    uint32_t *pairs = animat_alloc_array(h, 2 * (cap ? cap : 1), sizeof *pairs), k = 0;
    if (!pairs) return ANIMAT_ERROR;
    for (; k < m; k++) pairs[2 * k] = (uint32_t)list[3 * k], pairs[2 * k + 1] = (uint32_t)list[3 * k + 1];
    for (uint32_t i = 0; p > 0.0 && i < n; i++)
        for (uint32_t j = i + 1; j < n; j++)
            if (gsl_rng_uniform(&c->rng.rng) < p && !spk_listed(list, m, i, j))
                pairs[2 * k] = i, pairs[2 * k + 1] = j, k++;
    int32_t rc = ANIMAT_OK;
    if (spk_net_alloc_gaps(&c->net, k, spk_host_alloc, (void *)h) != 0) {
        h->error(h, "out of memory (%u gap junctions)", k);
        rc = ANIMAT_ERROR;
    } else
        for (uint32_t q = 0; q < k; q++) {
            c->net.gap_a[q] = pairs[2 * q], c->net.gap_b[q] = pairs[2 * q + 1];
            c->net.gap_g[q] = q < m ? list[3 * q + 2] : g;
        }
    h->free(h, pairs);
    return rc;
}

/* Theta: n_syn weights, n_in input gains, n_out output gains, then a_plus,
 * a_minus (stdp), eta (scaling), eta_ip (intrinsic), then the n_gap gap
 * conductances (from net.gap_g); theta_info, units and buffers too.
 * ANIMAT_ERROR after h->error. Phase: create. */
static int32_t spk_init_theta(spk_circuit *c, const animat_host *h, const double *wiring, const double *a_pm,
                              double in_gain, double out_gain) {
    spk_net *net = &c->net;
    int stdp = net->stdp.rule != SPK_STDP_NONE, plastic = stdp || net->scfg.scaling, ip = net->scfg.intrinsic;
    c->n_plast = (stdp ? 2u : 0u) + (net->scfg.scaling ? 1u : 0u) + (ip ? 1u : 0u);
    uint64_t n_theta = (uint64_t)net->n_syn + c->n_in + c->n_out + c->n_plast + net->n_gap;
    uint64_t cap = (uint64_t)net->n * c->substeps, n_units = net->n + (plastic ? (uint64_t)net->n_syn : 0u);
    n_units += ip ? net->n : 0u;
    if (cap > UINT32_MAX / 2 || n_units > UINT32_MAX / 2 || n_theta > UINT32_MAX / 2) {
        h->error(h, "too many neurons x substeps (%llu)", (unsigned long long)cap);
        return ANIMAT_ERROR;
    }
    c->cap = (uint32_t)cap;
    c->n_theta = (uint32_t)n_theta;
    c->wu = plastic ? net->n : 0u;
    c->tu = ip ? net->n + (plastic ? net->n_syn : 0u) : 0u;
    net->tu = c->tu;
    c->theta = animat_alloc_array(h, c->n_theta, sizeof *c->theta);
    c->info = animat_alloc_array(h, c->n_theta, sizeof *c->info);
    c->rates = animat_alloc_array(h, net->n, sizeof *c->rates);
    c->counts = animat_alloc_array(h, net->n, sizeof *c->counts);
    c->ev = animat_alloc_array(h, c->cap, sizeof *c->ev);
    if (!c->theta || !c->info || !c->rates || !c->counts || !c->ev ||
        cu_alloc(h, &c->units, (uint32_t)n_units) != ANIMAT_OK)
        return ANIMAT_ERROR;
    for (uint32_t i = 0; i < net->n; i++) {
        cu_name(&c->units, i, "n[%u]", i);
        if (c->tu) cu_name(&c->units, c->tu + i, "th[%u]", i);
    }
    double wmax = plastic ? net->scfg.w_max : INFINITY;
    for (uint32_t i = 0; i < net->n; i++)
        for (uint32_t k = net->row[i]; k < net->row[i + 1]; k++) {
            int inh = i >= net->first_inh;
            double w = fabs(wiring[0] + h->rng_gaussian(h, wiring[1])) * (inh ? wiring[2] : 1.0);
            c->theta[k] = w < wmax ? w : wmax;
            c->info[k] = (animat_param_info)ANIMAT_THETA(
                "syn.w", "nS", c->theta[k], 0.0, wmax, inh ? ANIMAT_PARAM_INHIBITORY : ANIMAT_PARAM_EXCITATORY,
                "Initial synaptic weight magnitude (by presynaptic, then postsynaptic neuron).");
            if (c->wu) cu_name(&c->units, c->wu + k, "w[%u]", k);
        }
    double *gin = c->theta + net->n_syn, *gout = gin + c->n_in, *pl = gout + c->n_out;
    animat_param_info *ii = c->info + net->n_syn;
    for (uint32_t k = 0; k < c->n_in; k++)
        gin[k] = in_gain, ii[k] = (animat_param_info)ANIMAT_THETA("in.gain", "pA", in_gain, -INFINITY, INFINITY,
                                                                   0, "Encoder gain of one input.");
    for (uint32_t k = 0; k < c->n_out; k++)
        gout[k] = out_gain, ii[c->n_in + k] = (animat_param_info)ANIMAT_THETA(
                                 "out.gain", "s", out_gain, -INFINITY, INFINITY, 0, "Decoder gain of one output.");
    animat_param_info *pi = ii + c->n_in + c->n_out;
    double lo = net->stdp.rule == SPK_STDP_MULT ? 0.0 : -INFINITY;
    uint32_t q = 0;
    if (stdp) {
        pl[q] = a_pm[0], pi[q++] = (animat_param_info)ANIMAT_THETA("stdp.a_plus", "", a_pm[0], lo, INFINITY, 0,
                                                                    "STDP potentiation amplitude.");
        pl[q] = a_pm[1], pi[q++] = (animat_param_info)ANIMAT_THETA("stdp.a_minus", "", a_pm[1], lo, INFINITY, 0,
                                                                    "STDP depression amplitude.");
    }
    if (net->scfg.scaling)
        pl[q] = a_pm[2], pi[q++] = (animat_param_info)ANIMAT_THETA("homeo.eta", "1/Hz/s", a_pm[2], 0.0, INFINITY, 0,
                                                                    "Synaptic scaling rate.");
    if (ip)
        pl[q] = a_pm[3], pi[q++] = (animat_param_info)ANIMAT_THETA("homeo.eta_ip", "mV/Hz/s", a_pm[3], 0.0, INFINITY,
                                                                    0, "Intrinsic (threshold) plasticity rate.");
    for (uint32_t k = 0; k < net->n_gap; k++)
        pl[q + k] = net->gap_g[k], pi[q + k] = (animat_param_info)ANIMAT_THETA(
                                       "gap.g", "nS", net->gap_g[k], 0.0, INFINITY, 0,
                                       "Gap junction conductance (listed junctions first, then the random ones).");
    return ANIMAT_OK;
}

/* Copy the plasticity rates from theta into the net. */
static void spk_rates_from_theta(spk_circuit *c) {
    const double *pl = c->theta + c->net.n_syn + c->n_in + c->n_out;
    uint32_t q = 0;
    if (c->net.stdp.rule != SPK_STDP_NONE) {
        c->net.stdp.a_plus = pl[q++];
        c->net.stdp.a_minus = pl[q++];
        if (c->net.stdp.rule == SPK_STDP_MULT) { /* soft bounds need amplitudes >= 0 */
            c->net.stdp.a_plus = fmax(c->net.stdp.a_plus, 0.0);
            c->net.stdp.a_minus = fmax(c->net.stdp.a_minus, 0.0);
        }
    }
    if (c->net.scfg.scaling) c->net.eta = fmax(pl[q++], 0.0);
    if (c->net.scfg.intrinsic) c->net.eta_ip = fmax(pl[q], 0.0);
}

/* Rest state from theta: its weights and gap conductances (>= 0). */
static void spk_restart(spk_circuit *c) {
    const double *g = c->theta + c->n_theta - c->net.n_gap;
    for (uint32_t k = 0; k < c->net.n_gap; k++) c->net.gap_g[k] = fmax(g[k], 0.0);
    spk_net_reset(&c->net, c->theta);
}

/* Build an instance (see spk_params). NULL after h->error. Phase: create. */
static void *spk_create(const animat_host *h) {
    spk_circuit *c = animat_alloc_array(h, 1, sizeof *c);
    if (!c) return NULL;
    c->h = h;
    chrng_init(&c->rng, h);
    double n, nin, nout, subs, p, wiring[3], frac, a_pm[4], in_gain, out_gain;
    static const char *const names[] = {"n_neurons", "n_in", "n_out", "substeps", "p_connect", "w_mean", "w_sd",
                                        "g_inh", "frac_inh", "i_bias", "tau_dec", "in_gain", "out_gain"};
    double *const outs[] = {&n, &nin, &nout, &subs, &p, &wiring[0], &wiring[1], &wiring[2], &frac, &c->i_bias,
                            &c->tau_dec, &in_gain, &out_gain};
    if (animat_param_reals(h, names, outs, ANIMAT_COUNT(names)) != ANIMAT_OK ||
        spk_config_neuron(c, h) != ANIMAT_OK || spk_config_syn(c, h, a_pm) != ANIMAT_OK)
        goto fail;
    c->substeps = (uint32_t)subs;
    c->n_in = spk_io_size(h, nin, ANIMAT_PORT_IN);
    c->n_out = c->n_in ? spk_io_size(h, nout, ANIMAT_PORT_OUT) : 0;
    if (!c->n_in || !c->n_out) goto fail;
    if (2.0 * (c->n_in + c->n_out) > n) {
        h->error(h, "n_neurons = %g is too small for %u inputs and %u outputs (needs 2 per input and per output)",
                 n, c->n_in, c->n_out);
        goto fail;
    }
    if (spk_wire(c, h, (uint32_t)n, p) != ANIMAT_OK || spk_wire_gaps(c, h) != ANIMAT_OK) goto fail;
    c->net.first_inh = c->net.n - (uint32_t)lround(frac * c->net.n);
    if (spk_init_theta(c, h, wiring, a_pm, in_gain, out_gain) != ANIMAT_OK) goto fail;
    spk_rates_from_theta(c);
    spk_restart(c);
    c->in = ANIMAT_PORT_INFO("x", c->n_in, "", "Inputs; x_k drives neurons 2k (x > 0) and 2k+1 (x < 0) by current.");
    c->out = ANIMAT_PORT_INFO("y", c->n_out, "",
                              "Outputs in (-1, 1): tanh(gain * (rate_on - rate_off)) of the last neuron pairs.");
    return c;
fail:
    spk_destroy(c);
    return NULL;
}

static const animat_port_info *spk_ports(void *self, uint32_t dir, uint32_t *n) {
    spk_circuit *c = self;
    return animat_ports_pick(dir, &c->in, 1, &c->out, 1, n);
}

static const animat_param_info *spk_theta_info(void *self, uint32_t *n) {
    spk_circuit *c = self;
    *n = c->n_theta;
    return c->info;
}

static int32_t spk_get_theta(void *self, double *theta, uint32_t n) {
    spk_circuit *c = self;
    return animat_theta_get(c->h, c->theta, c->n_theta, theta, n);
}

/* Replace theta; the weights and gap conductances take effect at the next
 * reset (the episode's initial values), the rates at once. Not during step. */
static int32_t spk_set_theta(void *self, const double *theta, uint32_t n) {
    spk_circuit *c = self;
    if (animat_theta_set(c->h, c->theta, c->n_theta, theta, n) != ANIMAT_OK) return ANIMAT_ERROR;
    spk_rates_from_theta(c);
    return ANIMAT_OK;
}

/* New episode: rest state, weights from theta, decoders 0, no events,
 * overrides cleared. Phase: reset. */
static int32_t spk_reset(void *self, uint64_t seed) {
    (void)seed;
    spk_circuit *c = self;
    spk_restart(c);
    memset(c->rates, 0, sizeof *c->rates * c->net.n);
    memset(c->counts, 0, sizeof *c->counts * c->net.n);
    c->n_ev = 0;
    cu_clear(&c->units);
    return ANIMAT_OK;
}

/* Input currents: bias everywhere, plus gain x+ into 2k and gain x- into 2k+1. */
static void spk_encode(spk_circuit *c, const double *x) {
    const double *gin = c->theta + c->net.n_syn;
    for (uint32_t i = 0; i < c->net.n; i++) c->net.i_ext[i] = c->i_bias;
    for (uint32_t k = 0; k < c->n_in; k++) {
        double v = gin[k] * x[k];
        c->net.i_ext[2 * k] += v > 0.0 ? v : 0.0;
        c->net.i_ext[2 * k + 1] += v < 0.0 ? -v : 0.0;
    }
}

/* Insertion sort of one substep's events by time (stable: ties stay in
 * unit order). Few events per substep; no allocation. */
static void spk_sort_events(animat_spike_event *e, uint32_t n) {
    for (uint32_t i = 1; i < n; i++) {
        animat_spike_event x = e[i];
        uint32_t j = i;
        for (; j > 0 && e[j - 1].t > x.t; j--) e[j] = e[j - 1];
        e[j] = x;
    }
}

/* One control step of dt seconds as `substeps` substeps. No allocation. */
static int32_t spk_step(void *self, const double *const *in, double *const *out, double dt) {
    spk_circuit *c = self;
    spk_net *net = &c->net;
    if (!(dt > 0.0)) {
        c->h->error(c->h, "dt must be positive, got %g", dt);
        return ANIMAT_ERROR;
    }
    double hs = dt * 1e3 / c->substeps, decay = exp(-hs / c->tau_dec), jump = 1e3 / c->tau_dec;
    uint32_t base = net->n - 2 * c->n_out;
    const cu_units *u = c->units.n_active ? &c->units : NULL;
    spk_encode(c, in[0]);
    memset(c->counts, 0, sizeof *c->counts * net->n);
    c->n_ev = 0;
    for (uint32_t s = 0; s < c->substeps; s++) {
        uint32_t first = c->n_ev;
        spk_net_substep(net, hs, s * hs, u, c->wu, c->counts, c->ev, &c->n_ev);
        spk_sort_events(c->ev + first, c->n_ev - first);
        for (uint32_t i = base; i < net->n; i++) c->rates[i] = c->rates[i] * decay + jump * net->s[i];
    }
    if (net->scfg.scaling) spk_net_scale(net, dt * 1e3);
    const double *gout = c->theta + net->n_syn + c->n_in;
    for (uint32_t k = 0; k < c->n_out; k++)
        out[0][k] = tanh(gout[k] * (c->rates[base + 2 * k] - c->rates[base + 2 * k + 1]));
    return ANIMAT_OK;
}

/* "animat.units/1": n[i] (neurons), then w[k] (weights) when plastic,
 * then th[i] (thresholds) with intrinsic plasticity. */
static const char *const *spk_unit_names(void *self, uint32_t *n) {
    spk_circuit *c = self;
    *n = c->units.n;
    return c->units.names;
}

/* A neuron's spike count in the last control step, a synapse's current
 * weight or a neuron's threshold shift (mV; its threshold is v_th, or V_T
 * for adex, plus the shift; 0 after reset), overrides included. Between
 * steps. */
static int32_t spk_unit_get(void *self, uint32_t i, double *value) {
    spk_circuit *c = self;
    if (i >= c->units.n || !value) return ANIMAT_ERROR;
    if (c->tu && i >= c->tu)
        *value = cu_apply(&c->units, i, c->net.thr[i - c->tu]);
    else
        *value = i < c->net.n ? c->counts[i] : cu_apply(&c->units, i, c->net.w[i - c->wu]);
    return ANIMAT_OK;
}

/* Override a unit. A neuron's `value` is in spikes per control step, as
 * get reports it, spread evenly over the substeps (so a CLAMP to v reads
 * back v); weights and threshold shifts are taken as they are. */
static int32_t spk_unit_override(void *self, uint32_t i, uint32_t mode, double value) {
    spk_circuit *c = self;
    if (cu_override(&c->units, i, mode, i < c->net.n ? value / c->substeps : value) == ANIMAT_OK) return ANIMAT_OK;
    c->h->error(c->h, "units: bad override (unit %u of %u, mode %u, value %g)", i, c->units.n, mode, value);
    return ANIMAT_ERROR;
}

static const animat_units_ext spk_units = {
    .struct_size = sizeof(animat_units_ext),
    .names = spk_unit_names,
    .get = spk_unit_get,
    .override = spk_unit_override,
};

/* "animat.spikes/1": the last step's spikes, in time order. */
static uint32_t spk_capacity(void *self) { return ((spk_circuit *)self)->cap; }

static const animat_spike_event *spk_events(void *self, uint32_t *n) {
    spk_circuit *c = self;
    *n = c->n_ev;
    return c->n_ev ? c->ev : NULL;
}

static const animat_spikes_ext spk_spikes = {
    .struct_size = sizeof(animat_spikes_ext), .capacity = spk_capacity, .events = spk_events};

/* "animat.state/1": the net's state, decoder rates, counts and events. */
static uint32_t spk_state_regions(spk_circuit *c, cs_region *r) {
    uint32_t k = spk_net_state(&c->net, r, 0);
    cs_add(r, &k, c->rates, sizeof *c->rates * c->net.n);
    cs_add(r, &k, c->counts, sizeof *c->counts * c->net.n);
    cs_add(r, &k, &c->n_ev, sizeof c->n_ev);
    cs_add(r, &k, c->ev, sizeof *c->ev * c->cap);
    return k;
}

static uint64_t spk_state_size(void *self) {
    cs_region r[CS_MAX_REGIONS];
    return cs_size(r, spk_state_regions(self, r));
}

static int32_t spk_state_save(void *self, void *buf, uint64_t size) {
    cs_region r[CS_MAX_REGIONS];
    uint32_t k = spk_state_regions(self, r);
    return cs_save(((spk_circuit *)self)->h, r, k, buf, size);
}

static int32_t spk_state_load(void *self, const void *buf, uint64_t size) {
    cs_region r[CS_MAX_REGIONS];
    uint32_t k = spk_state_regions(self, r);
    return cs_load(((spk_circuit *)self)->h, r, k, buf, size);
}

static const animat_state_ext spk_state = {sizeof(animat_state_ext), 0, spk_state_size, spk_state_save,
                                            spk_state_load};

/* "animat.ports/1": outputs tanh(...) in [-1, 1]; inputs unbounded. */
static const animat_port_values spk_out_values = {.struct_size = sizeof(animat_port_values), .lower = -1,
                                                  .upper = 1};
static const animat_port_values *spk_values(void *self, uint32_t dir, uint32_t i) {
    (void)self, (void)i;
    return dir == ANIMAT_PORT_OUT ? &spk_out_values : NULL;
}
static const animat_ports_ext spk_ports_ext = {.struct_size = sizeof(animat_ports_ext), .values = spk_values};

/* Capabilities: units, spikes, state, ports; anything else NULL. Any phase. */
static const void *spk_extension(void *self, const char *id) {
    (void)self;
    if (!id) return NULL;
    if (strcmp(id, ANIMAT_EXT_UNITS) == 0) return &spk_units;
    if (strcmp(id, ANIMAT_EXT_SPIKES) == 0) return &spk_spikes;
    if (strcmp(id, ANIMAT_EXT_STATE) == 0) return &spk_state;
    return strcmp(id, ANIMAT_EXT_PORTS) == 0 ? &spk_ports_ext : NULL;
}

static const animat_circuit_api spk_api = {
    .struct_size = sizeof(animat_circuit_api),
    .create = spk_create,
    .destroy = spk_destroy,
    .ports = spk_ports,
    .theta_info = spk_theta_info,
    .get_theta = spk_get_theta,
    .set_theta = spk_set_theta,
    .reset = spk_reset,
    .step = spk_step,
    .extension = spk_extension,
};

static const animat_plugin_desc spk_desc = ANIMAT_DESC_ID(
    ANIMAT_KIND_CIRCUIT, "org.animat.spiking", "spiking", "1.0.0",
    "Spiking population: LIF, adaptive LIF, AdEx, Izhikevich (named presets); conductance synapses, gap "
    "junctions; STDP, Tsodyks-Markram, synaptic scaling, intrinsic threshold plasticity",
    spk_params, &spk_api);

static const animat_plugin_desc *const spk_plugins[] = {&spk_desc};

/* The only exported symbol. */
ANIMAT_EXPORT const animat_plugin_entry animat_entry = ANIMAT_ENTRY(spk_plugins);
