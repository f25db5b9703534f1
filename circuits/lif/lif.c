/* lif.c -- a spiking LIF network (lif_net.c) as an animat circuit plugin:
 * random recurrent wiring with delays, encoders from in.x, decoders to
 * out.y, theta = synaptic weights, input and output gains (and optionally
 * the delays), and the "animat.units/1" extension (one unit per neuron).
 *
 * Plugin glue only; the dynamics are in lif_net.c, encoders/decoders in
 * lif_encode.c, the random wiring in lif_build.c. One instance is used by
 * one thread at a time; nothing here is global except const tables.
 */
#include <animat/animat.h>
#include <animat/helpers.h>

#include <math.h>
#include <string.h>

#include "chrng.h"
#include "cstate.h"
#include "cunits.h"
#include "lif_build.h"
#include "lif_encode.h"
#include "lif_net.h"
#include "lif_spikes.h"

/* One circuit instance; everything is allocated in create. */
typedef struct lif_circuit {
    const animat_host *h;
    chrng rng;             /* GSL view of the host stream */
    lif_net net;
    lif_enc enc;
    uint32_t dec_mode;     /* LIF_DEC_* */
    double tau_dec;        /* decoder filter, s */
    uint32_t substeps;     /* substeps per control step */
    uint32_t n_in, n_out;
    int learn_delays;
    uint32_t d_min, d_max; /* delay bounds, substeps */
    uint32_t n_theta;
    double *theta;         /* weights, in gains, out gains, delays */
    double *rates;         /* n filtered rates, Hz */
    double *counts;        /* n spike counts in the last control step */
    animat_param_info *info;
    cu_units units;
    lif_spikes spikes;     /* the last control step's spikes (animat.spikes/1) */
    animat_port_info in, out;
} lif_circuit;

static const animat_param_info lif_params[] = {
    ANIMAT_P_INT("n_neurons", "", 40, 1, 100000, "Number of neurons (at least 2 n_in + 2 n_out)."),
    ANIMAT_P_INT("n_in", "", 0, 0, 10000, "Inputs; 0 takes the size of the port wired to in.x."),
    ANIMAT_P_INT("n_out", "", 0, 0, 10000, "Outputs; 0 takes the size of the port wired from out.y."),
    ANIMAT_P_REAL("p_connect", "", 0.1, 0, 1, "Probability of a synapse from each neuron to each other neuron."),
    ANIMAT_P_REAL("w_mean", "nA", 2.0, 0, 1e6, "Mean magnitude of the initial synaptic weights."),
    ANIMAT_P_REAL("w_sd", "nA", 0.5, 0, 1e6, "Standard deviation of the initial weight magnitudes."),
    ANIMAT_P_REAL("frac_inh", "", 0.2, 0, 1, "Fraction of inhibitory neurons (the last ones); their weights are <= 0."),
    ANIMAT_P_REAL("g_inh", "", 4.0, 0, 1e6, "Inhibitory weight magnitudes relative to excitatory ones."),
    ANIMAT_P_INT("delay_min", "steps", 1, 1, 10000, "Smallest synaptic delay, in substeps."),
    ANIMAT_P_INT("delay_max", "steps", 1, 1, 10000, "Largest synaptic delay, in substeps (uniform in between)."),
    ANIMAT_P_BOOL("learn_delays", 0, "Expose the delays in theta (rounded to whole substeps)."),
    ANIMAT_P_REAL("tau_m", "s", 0.02, 1e-6, 100, "Membrane time constant."),
    ANIMAT_P_REAL("tau_syn", "s", 0.005, 1e-6, 100, "Synaptic current time constant."),
    ANIMAT_P_REAL("v_rest", "mV", 0, -1e3, 1e3, "Resting potential."),
    ANIMAT_P_REAL("v_reset", "mV", 0, -1e3, 1e3, "Reset potential."),
    ANIMAT_P_REAL("v_th", "mV", 20, -1e3, 1e3, "Spike threshold."),
    ANIMAT_P_REAL("r_m", "Mohm", 1, 1e-9, 1e9, "Membrane resistance."),
    ANIMAT_P_REAL("t_ref", "s", 0.002, 0, 10, "Refractory period (rounded to whole substeps)."),
    ANIMAT_P_CHOICE("encode", "current|poisson", 0, "Input encoding: current into on/off neuron pairs, or Poisson spikes."),
    ANIMAT_P_REAL("in_gain", "nA", 40, -1e6, 1e6, "Initial input gain (current per unit input, or rate fraction)."),
    ANIMAT_P_REAL("i_bias", "nA", 0, -1e6, 1e6, "Bias current into every encoder neuron (current encoding)."),
    ANIMAT_P_REAL("rate_max", "Hz", 200, 0, 1e6, "Poisson encoding: rate at a (gain-scaled) input of 1."),
    ANIMAT_P_REAL("bg_rate", "Hz", 0, 0, 1e7, "Background Poisson input rate into every neuron."),
    ANIMAT_P_REAL("w_ext", "nA", 2.0, -1e6, 1e6, "Synaptic current jump per external Poisson spike."),
    ANIMAT_P_CHOICE("decode", "rate|count", 0, "Output decoding: filtered rates, or spike counts per control step."),
    ANIMAT_P_REAL("tau_dec", "s", 0.05, 1e-6, 100, "Rate decoder time constant."),
    ANIMAT_P_REAL("out_gain", "s", 0.02, -1e6, 1e6, "Initial output gain: y = tanh(gain * (rate_on - rate_off))."),
    ANIMAT_P_INT("substeps", "", 1, 1, 100000, "Substeps per control step (the net runs at dt / substeps)."),
};

/* lif_net's allocator on the host table (ctx is the host). Create/destroy. */
static void *lif_host_alloc(void *ctx, size_t bytes) {
    const animat_host *h = ctx;
    return h->alloc(h, bytes);
}

static void lif_host_free(void *ctx, void *p) {
    const animat_host *h = ctx;
    h->free(h, p);
}

/* Free everything create allocated; NULL is a no-op. Phase: destroy. */
static void lif_destroy(void *self) {
    lif_circuit *c = self;
    if (!c) return;
    const animat_host *h = c->h;
    lif_net_free(&c->net, lif_host_free, (void *)h);
    lif_spikes_free(&c->spikes, lif_host_free, (void *)h);
    h->free(h, c->theta);
    h->free(h, c->rates);
    h->free(h, c->counts);
    h->free(h, c->info);
    cu_free(h, &c->units);
    h->free(h, c);
}

/* An in/out size: the parameter if > 0, else the wired size; 0 after
 * h->error when neither. Phase: create. */
static uint32_t lif_io_size(const animat_host *h, double v, uint32_t dir, const char *port) {
    uint32_t n = v > 0.0 ? (uint32_t)v : h->wired_size(h, dir, port);
    if (n == 0)
        h->error(h, "n_%s is 0 and %s.%s is not wired; set n_%s", dir == ANIMAT_PORT_IN ? "in" : "out",
                 dir == ANIMAT_PORT_IN ? "in" : "out", port, dir == ANIMAT_PORT_IN ? "in" : "out");
    return n;
}

/* Read the configuration into c (sizes, neuron constants, codes) and the
 * wiring statistics into *p, *w_mean, *w_sd, *frac_inh, *g_inh. ANIMAT_ERROR
 * after h->error. Phase: create. */
static int32_t lif_configure(lif_circuit *c, const animat_host *h, double *wiring) {
    static const char *const names[] = {
        "n_neurons", "n_in",   "n_out", "p_connect", "w_mean",  "w_sd",    "frac_inh",
        "g_inh",     "delay_min", "delay_max", "learn_delays", "tau_m", "tau_syn", "v_rest",
        "v_reset",   "v_th",   "r_m",   "t_ref",     "i_bias",  "rate_max", "bg_rate",
        "w_ext",     "tau_dec", "substeps"};
    double n, nin, nout, dmin, dmax, learn, subs;
    lif_cfg *k = &c->net.cfg;
    double *const outs[] = {&n, &nin, &nout, &wiring[0], &wiring[1], &wiring[2], &wiring[3],
                            &wiring[4], &dmin, &dmax, &learn, &k->tau_m, &k->tau_syn, &k->v_rest,
                            &k->v_reset, &k->v_th, &k->r_m, &k->t_ref, &c->enc.bias,
                            &c->enc.rate_max, &c->enc.bg_rate, &k->w_ext, &c->tau_dec, &subs};
    if (animat_param_reals(h, names, outs, ANIMAT_COUNT(names)) != ANIMAT_OK) return ANIMAT_ERROR;
    const char *enc = NULL, *dec = NULL;
    if (h->param_choice(h, "encode", &enc) != ANIMAT_OK || h->param_choice(h, "decode", &dec) != ANIMAT_OK) {
        h->error(h, "cannot read parameter encode/decode");
        return ANIMAT_ERROR;
    }
    c->enc.mode = strcmp(enc, "poisson") == 0 ? LIF_ENC_POISSON : LIF_ENC_CURRENT;
    c->dec_mode = strcmp(dec, "count") == 0 ? LIF_DEC_COUNT : LIF_DEC_RATE;
    c->n_in = lif_io_size(h, nin, ANIMAT_PORT_IN, "x");
    c->n_out = c->n_in ? lif_io_size(h, nout, ANIMAT_PORT_OUT, "y") : 0;
    if (!c->n_in || !c->n_out) return ANIMAT_ERROR;
    if (2.0 * (c->n_in + c->n_out) > n) {
        h->error(h, "n_neurons = %g is too small for %u inputs and %u outputs (needs 2 per input and per output)",
                 n, c->n_in, c->n_out);
        return ANIMAT_ERROR;
    }
    if (dmin > dmax) {
        h->error(h, "delay_min = %g is larger than delay_max = %g", dmin, dmax);
        return ANIMAT_ERROR;
    }
    c->net.n = (uint32_t)n;
    c->d_min = (uint32_t)dmin;
    c->d_max = (uint32_t)dmax;
    c->learn_delays = learn != 0.0;
    c->substeps = (uint32_t)subs;
    return ANIMAT_OK;
}

/* Draw the random wiring (degrees, targets, delays) from the host stream
 * and allocate the net for it. ANIMAT_ERROR after h->error. Phase: create. */
static int32_t lif_wire(lif_circuit *c, const animat_host *h, double p) {
    uint32_t n = c->net.n;
    uint32_t *deg = animat_alloc_array(h, n, sizeof *deg);
    uint32_t *scratch = animat_alloc_array(h, n, sizeof *scratch);
    int32_t rc = ANIMAT_ERROR;
    if (!deg || !scratch) goto out;
    uint64_t n_syn = lif_draw_degrees(&c->rng.rng, n, p, deg);
    if (n_syn > 50000000u) {
        h->error(h, "%llu synapses: at most 50000000 (lower p_connect or n_neurons)",
                 (unsigned long long)n_syn);
        goto out;
    }
    if (lif_net_alloc(&c->net, n, (uint32_t)n_syn, c->d_max, lif_host_alloc, (void *)h) != 0) {
        h->error(h, "out of memory (%u neurons, %llu synapses)", n, (unsigned long long)n_syn);
        goto out;
    }
    lif_draw_wiring(&c->rng.rng, n, deg, c->d_min, c->d_max, c->net.row, c->net.post,
                    c->net.delay, scratch);
    rc = ANIMAT_OK;
out:
    h->free(h, deg);
    h->free(h, scratch);
    return rc;
}

/* Theta layout: n_syn weights, n_in input gains, n_out output gains, then
 * n_syn delays when learn_delays. Fills the initial values (weights drawn
 * from the host stream) and theta_info. Phase: create. */
static void lif_init_theta(lif_circuit *c, const animat_host *h, const double *wiring,
                           double in_gain, double out_gain) {
    const lif_net *net = &c->net;
    uint32_t n_inh = (uint32_t)lround(wiring[2] * net->n), first_inh = net->n - n_inh;
    double *w = c->theta, *gin = w + net->n_syn, *gout = gin + c->n_in, *del = gout + c->n_out;
    for (uint32_t i = 0; i < net->n; i++)
        for (uint32_t k = net->row[i]; k < net->row[i + 1]; k++) {
            double mag = fabs(wiring[0] + h->rng_gaussian(h, wiring[1]));
            int inh = i >= first_inh;
            w[k] = inh ? -wiring[3] * mag : mag;
            c->info[k] = (animat_param_info)ANIMAT_THETA(
                "syn.w", "nA", w[k], inh ? -INFINITY : 0.0, inh ? 0.0 : INFINITY,
                inh ? ANIMAT_PARAM_INHIBITORY : ANIMAT_PARAM_EXCITATORY,
                "Synaptic weight (synapses ordered by presynaptic, then postsynaptic neuron).");
            if (c->learn_delays) {
                del[k] = net->delay[k];
                c->info[c->n_theta - net->n_syn + k] = (animat_param_info)ANIMAT_THETA(
                    "syn.delay", "steps", del[k], c->d_min, c->d_max, 0,
                    "Synaptic delay in substeps (rounded), same order as syn.w.");
            }
        }
    for (uint32_t k = 0; k < c->n_in; k++) {
        gin[k] = in_gain;
        c->info[net->n_syn + k] = (animat_param_info)ANIMAT_THETA(
            "in.gain", "nA", in_gain, -INFINITY, INFINITY, 0, "Encoder gain of one input.");
    }
    for (uint32_t k = 0; k < c->n_out; k++) {
        gout[k] = out_gain;
        c->info[net->n_syn + c->n_in + k] = (animat_param_info)ANIMAT_THETA(
            "out.gain", "s", out_gain, -INFINITY, INFINITY, 0, "Decoder gain of one output.");
    }
}

/* Allocate theta, info, decoder state and units, name the units. */
static int32_t lif_alloc_rest(lif_circuit *c, const animat_host *h) {
    uint64_t nt = (uint64_t)c->net.n_syn * (c->learn_delays ? 2u : 1u) + c->n_in + c->n_out;
    if (nt > UINT32_MAX / sizeof(animat_param_info)) {
        h->error(h, "too many learnable parameters (%llu)", (unsigned long long)nt);
        return ANIMAT_ERROR;
    }
    c->n_theta = (uint32_t)nt;
    c->theta = animat_alloc_array(h, c->n_theta, sizeof *c->theta);
    c->info = c->theta ? animat_alloc_array(h, c->n_theta, sizeof *c->info) : NULL;
    c->rates = c->info ? animat_alloc_array(h, c->net.n, sizeof *c->rates) : NULL;
    c->counts = c->rates ? animat_alloc_array(h, c->net.n, sizeof *c->counts) : NULL;
    if (!c->counts || cu_alloc(h, &c->units, c->net.n) != ANIMAT_OK) return ANIMAT_ERROR;
    if ((uint64_t)c->net.n * c->substeps > UINT32_MAX / sizeof(animat_spike_event)) {
        h->error(h, "n_neurons x substeps = %llu: too many spikes per step to report (at most %zu)",
                 (unsigned long long)c->net.n * c->substeps, UINT32_MAX / sizeof(animat_spike_event));
        return ANIMAT_ERROR;
    }
    if (lif_spikes_alloc(&c->spikes, c->net.n * c->substeps, lif_host_alloc, (void *)h) != 0) {
        h->error(h, "out of memory (%u neurons x %u substeps of spike events)", c->net.n, c->substeps);
        return ANIMAT_ERROR;
    }
    for (uint32_t i = 0; i < c->net.n; i++) cu_name(&c->units, i, "n[%u]", i);
    return ANIMAT_OK;
}

/* Build an instance (see lif_params). Wiring and initial weights come from
 * the host stream, which the host seeds before create. NULL after
 * h->error. Phase: create. */
static void *lif_create(const animat_host *h) {
    lif_circuit *c = animat_alloc_array(h, 1, sizeof *c);
    if (!c) return NULL;
    c->h = h;
    chrng_init(&c->rng, h);
    double wiring[5], in_gain, out_gain;
    if (lif_configure(c, h, wiring) != ANIMAT_OK ||
        animat_param_reals(h, (const char *const[]){"in_gain", "out_gain"},
                           (double *const[]){&in_gain, &out_gain}, 2) != ANIMAT_OK ||
        lif_wire(c, h, wiring[0]) != ANIMAT_OK || lif_alloc_rest(c, h) != ANIMAT_OK) {
        lif_destroy(c);
        return NULL;
    }
    /* wiring[] = p, w_mean, w_sd, frac_inh, g_inh; lif_init_theta takes w_mean.. */
    lif_init_theta(c, h, wiring + 1, in_gain, out_gain);
    c->net.w = c->theta;
    for (uint32_t i = 0; i < c->net.n; i++) c->net.rate_ext[i] = c->enc.bg_rate;
    lif_net_reset(&c->net);
    c->in = ANIMAT_PORT_INFO("x", c->n_in, "", "Inputs; x_k drives neurons 2k (x > 0) and 2k+1 (x < 0).");
    c->out = ANIMAT_PORT_INFO("y", c->n_out, "",
                              "Outputs in (-1, 1): tanh(gain * (rate_on - rate_off)) of the last neuron pairs.");
    return c;
}

/* Ports: in.x and out.y, instance-owned. Any phase after create. */
static const animat_port_info *lif_ports(void *self, uint32_t dir, uint32_t *n) {
    lif_circuit *c = self;
    return animat_ports_pick(dir, &c->in, 1, &c->out, 1, n);
}

/* Theta metadata, instance-owned. Any phase after create. */
static const animat_param_info *lif_theta_info(void *self, uint32_t *n) {
    lif_circuit *c = self;
    *n = c->n_theta;
    return c->info;
}

/* Copy theta out. Not during step. */
static int32_t lif_get_theta(void *self, double *theta, uint32_t n) {
    lif_circuit *c = self;
    return animat_theta_get(c->h, c->theta, c->n_theta, theta, n);
}

/* Replace theta; learnable delays are rounded and kept in [delay_min,
 * delay_max]. Not during step. */
static int32_t lif_set_theta(void *self, const double *theta, uint32_t n) {
    lif_circuit *c = self;
    if (animat_theta_set(c->h, c->theta, c->n_theta, theta, n) != ANIMAT_OK) return ANIMAT_ERROR;
    if (c->learn_delays) {
        const double *del = c->theta + c->net.n_syn + c->n_in + c->n_out;
        for (uint32_t k = 0; k < c->net.n_syn; k++) {
            double d = round(del[k]);
            d = d < c->d_min ? c->d_min : (d > c->d_max ? c->d_max : d);
            c->net.delay[k] = (uint32_t)d;
        }
    }
    return ANIMAT_OK;
}

/* New episode: rest state, empty buffers, decoders at 0, overrides
 * cleared. Phase: reset. */
static int32_t lif_reset(void *self, uint64_t seed) {
    (void)seed;
    lif_circuit *c = self;
    lif_net_reset(&c->net);
    memset(c->rates, 0, sizeof *c->rates * c->net.n);
    memset(c->counts, 0, sizeof *c->counts * c->net.n);
    cu_clear(&c->units);
    lif_spikes_clear(&c->spikes);
    return ANIMAT_OK;
}

/* One control step of dt seconds as `substeps` substeps: encode in[0],
 * integrate, decode to out[0]. No allocation. Phase: step. */
static int32_t lif_step(void *self, const double *const *in, double *const *out, double dt) {
    lif_circuit *c = self;
    lif_net *net = &c->net;
    const double *gin = c->theta + net->n_syn, *gout = gin + c->n_in;
    if (!(dt > 0.0)) {
        c->h->error(c->h, "dt must be positive, got %g", dt);
        return ANIMAT_ERROR;
    }
    double hs = dt / c->substeps, decay = exp(-hs / c->tau_dec);
    uint32_t base = net->n - 2 * c->n_out;
    const cu_units *u = c->units.n_active ? &c->units : NULL;
    lif_encode(&c->enc, c->n_in, in[0], gin, net);
    memset(c->counts, 0, sizeof *c->counts * net->n);
    lif_spikes_clear(&c->spikes);
    for (uint32_t s = 0; s < c->substeps; s++) {
        lif_net_substep(net, hs, u, &c->rng.rng, c->counts);
        lif_spikes_collect(&c->spikes, net, s * hs, hs, dt);
        if (c->dec_mode == LIF_DEC_RATE)
            lif_rate_update(2 * c->n_out, net->spk + base, decay, c->tau_dec, c->rates + base);
    }
    lif_decode(c->dec_mode, net->n, c->n_out, c->rates, c->counts, dt, gout, out[0]);
    return ANIMAT_OK;
}

/* "animat.units/1": neuron names "n[i]". Any phase after create. */
static const char *const *lif_unit_names(void *self, uint32_t *n) {
    lif_circuit *c = self;
    *n = c->units.n;
    return c->units.names;
}

/* Unit i's output in the last control step: its spike count (sum of its
 * per-substep outputs, overrides included). Between steps. */
static int32_t lif_unit_get(void *self, uint32_t i, double *value) {
    lif_circuit *c = self;
    if (i >= c->units.n || !value) return ANIMAT_ERROR;
    *value = c->counts[i];
    return ANIMAT_OK;
}

/* Override neuron i's spike output. `value` is in the units get reports
 * (spikes per control step), spread evenly over the substeps (see
 * lif_net_substep), so that a CLAMP to v reads back v. */
static int32_t lif_unit_override(void *self, uint32_t i, uint32_t mode, double value) {
    lif_circuit *c = self;
    if (cu_override(&c->units, i, mode, value / c->substeps) == ANIMAT_OK) return ANIMAT_OK;
    c->h->error(c->h, "units: bad override (unit %u of %u, mode %u, value %g)", i, c->units.n, mode,
                value);
    return ANIMAT_ERROR;
}

static const animat_units_ext lif_units = {
    .struct_size = sizeof(animat_units_ext),
    .names = lif_unit_names,
    .get = lif_unit_get,
    .override = lif_unit_override,
};

/* "animat.spikes/1": at most one spike per neuron and substep. */
static uint32_t lif_spike_capacity(void *self) { return ((lif_circuit *)self)->spikes.cap; }

/* The last control step's spikes, timed at the interpolated threshold
 * crossing (lif_spikes.h). Between steps. */
static const animat_spike_event *lif_spike_events(void *self, uint32_t *n) {
    lif_circuit *c = self;
    *n = c->spikes.n;
    return c->spikes.n ? c->spikes.ev : NULL;
}

/* Membrane potentials after the last step, mV. Between steps. */
static int32_t lif_voltages(void *self, double *v, uint32_t n) {
    lif_circuit *c = self;
    if (n != c->net.n || !v) return ANIMAT_ERROR;
    memcpy(v, c->net.v, n * sizeof *v);
    return ANIMAT_OK;
}

static const animat_spikes_ext lif_spikes_ext = {
    .struct_size = sizeof(animat_spikes_ext),
    .capacity = lif_spike_capacity,
    .events = lif_spike_events,
    .voltages = lif_voltages,
};

/* "animat.state/1" (animat/state.h): the network (lif_net_state:
 * potentials, currents, delay lines, refractory counts, Poisson clocks),
 * the filtered rates and the last spike counts. */
static uint32_t lif_state_regions(lif_circuit *c, cs_region *r) {
    uint32_t k = 0;
    k = lif_net_state(&c->net, r, k);
    cs_add(r, &k, c->rates, sizeof *c->rates * c->net.n);
    cs_add(r, &k, c->counts, sizeof *c->counts * c->net.n);
    return k;
}

static uint64_t lif_state_size(void *self) {
    cs_region r[CS_MAX_REGIONS];
    return cs_size(r, lif_state_regions(self, r));
}

static int32_t lif_state_save(void *self, void *buf, uint64_t size) {
    cs_region r[CS_MAX_REGIONS];
    uint32_t k = lif_state_regions(self, r);
    return cs_save(((lif_circuit *)self)->h, r, k, buf, size);
}

static int32_t lif_state_load(void *self, const void *buf, uint64_t size) {
    cs_region r[CS_MAX_REGIONS];
    uint32_t k = lif_state_regions(self, r);
    return cs_load(((lif_circuit *)self)->h, r, k, buf, size);
}

static const animat_state_ext lif_state = {sizeof(animat_state_ext), 0, lif_state_size, lif_state_save,
                                            lif_state_load};

/* "animat.ports/1": outputs tanh(...) in [-1, 1]; inputs unbounded. */
static const animat_port_values lif_out_values = {.struct_size = sizeof(animat_port_values), .lower = -1, .upper = 1};
static const animat_port_values *lif_values(void *self, uint32_t dir, uint32_t i) {
    (void)self, (void)i;
    return dir == ANIMAT_PORT_OUT ? &lif_out_values : NULL;
}
static const animat_ports_ext lif_ports_ext = {.struct_size = sizeof(animat_ports_ext), .values = lif_values};

/* Capabilities: ANIMAT_EXT_UNITS, ANIMAT_EXT_PORTS, ANIMAT_EXT_STATE,
 * ANIMAT_EXT_SPIKES; anything else NULL. Any phase. */
static const void *lif_extension(void *self, const char *id) {
    (void)self;
    if (id && strcmp(id, ANIMAT_EXT_SPIKES) == 0) return &lif_spikes_ext;
    if (id && strcmp(id, ANIMAT_EXT_STATE) == 0) return &lif_state;
    if (id && strcmp(id, ANIMAT_EXT_PORTS) == 0) return &lif_ports_ext;
    return id && strcmp(id, ANIMAT_EXT_UNITS) == 0 ? &lif_units : NULL;
}

static const animat_circuit_api lif_api = {
    .struct_size = sizeof(animat_circuit_api),
    .create = lif_create,
    .destroy = lif_destroy,
    .ports = lif_ports,
    .theta_info = lif_theta_info,
    .get_theta = lif_get_theta,
    .set_theta = lif_set_theta,
    .reset = lif_reset,
    .step = lif_step,
    .extension = lif_extension,
};

static const animat_plugin_desc lif_desc =
    ANIMAT_DESC_ID(ANIMAT_KIND_CIRCUIT, "org.animat.lif", "lif", "1.0.0",
                "Spiking LIF network: exponential current synapses, refractoriness, delays, encoders/decoders",
                lif_params, &lif_api);

static const animat_plugin_desc *const lif_plugins[] = {&lif_desc};

/* The only exported symbol. */
ANIMAT_EXPORT const animat_plugin_entry animat_entry = ANIMAT_ENTRY(lif_plugins);
