/* ctrnn.c -- a continuous-time recurrent neural network (ctrnn_math.c)
 * integrated with GSL odeiv2 (ctrnn_ode.c), as an animat circuit plugin.
 * Inputs in.x drive the first neurons through learnable gains; outputs
 * out.y read the last neurons' rates through learnable gains. theta =
 * weights, biases, time constants (bounded, positive), gains. Optional
 * Dale's-law sign mask per presynaptic neuron; "animat.units/1" names each
 * neuron's rate. Plugin glue only. One instance is used by one thread at a
 * time; nothing here is global except const tables.
 */
#include <animat/animat.h>
#include <animat/helpers.h>

#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>

#include "ctrnn_math.h"
#include "ctrnn_ode.h"
#include "cstate_ode.h"
#include "odebudget.h"
#include "cunits.h"

typedef struct ctrnn_circuit {
    const animat_host *h;
    uint32_t n, n_in, n_out;
    int dale;
    double tau_min, tau_max;
    uint32_t n_theta;
    double *theta;      /* W (n*n), b (n), tau (n), g_in (n_in), g_out (n_out) */
    double *w_eff;      /* n*n weights after the Dale mask */
    double *tau_eff;    /* n time constants clamped to [tau_min, tau_max] */
    double *input;      /* n external inputs of the current step */
    double *y;          /* n states */
    double *r;          /* n rates: scratch of the right-hand side */
    double *last;       /* n rates at the end of the last step (units) */
    int8_t *sign;       /* n Dale signs per presynaptic neuron (0 = free) */
    animat_param_info *info;
    ctrnn_model model;
    ctrnn_ode ode;
    cu_units units;
    animat_port_info in, out;
} ctrnn_circuit;

static const animat_param_info ctrnn_params[] = {
    ANIMAT_P_INT("n_neurons", "", 8, 1, 2000, "Number of neurons."),
    ANIMAT_P_INT("n_in", "", 0, 0, 2000, "Inputs (drive neurons 0..n_in-1); 0 takes the size wired to in.x."),
    ANIMAT_P_INT("n_out", "", 0, 0, 2000, "Outputs (read the last n_out neurons); 0 takes the size wired from out.y."),
    ANIMAT_P_CHOICE("activation", "tanh|sigmoid|linear", 0, "Rate function f in r = f(y + b)."),
    ANIMAT_P_CHOICE("stepper", CTRNN_STEPPERS, 0, "GSL odeiv2 stepper (explicit, implicit with the analytic Jacobian, or multistep)."),
    ANIMAT_P_REAL("epsabs", "", 1e-6, 1e-15, 1, "Absolute error tolerance of the adaptive integration."),
    ANIMAT_P_REAL("epsrel", "", 1e-6, 0, 1, "Relative error tolerance of the adaptive integration."),
    ANIMAT_P_REAL("h_init", "s", 1e-3, 1e-9, 10, "Initial step size of the integrator."),
    ANIMAT_P_REAL("tau", "s", 0.1, 1e-6, 1e6, "Initial time constant of every neuron."),
    ANIMAT_P_REAL("tau_min", "s", 1e-3, 1e-6, 1e6, "Smallest time constant a learner may set (theta bound)."),
    ANIMAT_P_REAL("tau_max", "s", 10, 1e-6, 1e6, "Largest time constant a learner may set (theta bound)."),
    ANIMAT_P_CHOICE("init", "random|zeros", 0, "Initial weights: N(0, w_sd^2 / n_neurons), or zeros."),
    ANIMAT_P_REAL("w_sd", "", 1.0, 0, 1e6, "Scale of the random initial weights."),
    ANIMAT_P_BOOL("dale", 0, "Dale's law: every presynaptic neuron is excitatory or inhibitory (sign mask)."),
    ANIMAT_P_REAL("frac_inh", "", 0.2, 0, 1, "With dale: fraction of inhibitory neurons (the last ones)."),
    ANIMAT_P_REAL("in_gain", "", 1, -1e6, 1e6, "Initial input gain."),
    ANIMAT_P_REAL("out_gain", "", 1, -1e6, 1e6, "Initial output gain."),
};

/* Free everything create allocated; NULL is a no-op. Phase: destroy. */
static void ctrnn_destroy(void *self) {
    ctrnn_circuit *c = self;
    if (!c) return;
    const animat_host *h = c->h;
    ctrnn_ode_free(&c->ode);
    void *p[] = {c->theta, c->w_eff, c->tau_eff, c->input, c->y, c->r, c->last, c->sign, c->info};
    for (size_t k = 0; k < sizeof p / sizeof p[0]; k++) h->free(h, p[k]);
    cu_free(h, &c->units);
    h->free(h, c);
}

/* In/out size: the parameter if > 0, else the wired size (0 after h->error). */
static uint32_t ctrnn_io(const animat_host *h, double v, uint32_t dir, const char *port) {
    uint32_t n = v > 0.0 ? (uint32_t)v : h->wired_size(h, dir, port);
    if (n == 0)
        h->error(h, "%s.%s: size is 0 and the port is not wired; set n_%s",
                 dir == ANIMAT_PORT_IN ? "in" : "out", port, dir == ANIMAT_PORT_IN ? "in" : "out");
    return n;
}

/* The effective weights and time constants from theta. No allocation. */
static void ctrnn_sync(ctrnn_circuit *c) {
    const double *tau = c->theta + (size_t)c->n * c->n + c->n;
    ctrnn_dale(c->n, c->sign, c->theta, c->w_eff);
    for (uint32_t i = 0; i < c->n; i++)
        c->tau_eff[i] = tau[i] < c->tau_min ? c->tau_min : (tau[i] > c->tau_max ? c->tau_max : tau[i]);
}

/* Read the sizes, bounds and flags into c; the rest into v[] (epsabs,
 * epsrel, h_init, tau, w_sd, frac_inh, in_gain, out_gain). ANIMAT_ERROR
 * after h->error. Phase: create. */
static int32_t ctrnn_configure(ctrnn_circuit *c, const animat_host *h, double *v) {
    static const char *const names[] = {"n_neurons", "n_in",   "n_out", "tau_min", "tau_max",
                                        "dale",      "epsabs", "epsrel", "h_init", "tau",
                                        "w_sd",      "frac_inh", "in_gain", "out_gain"};
    double n, nin, nout, dale;
    double *const outs[] = {&n,   &nin, &nout, &c->tau_min, &c->tau_max, &dale, &v[0],
                            &v[1], &v[2], &v[3], &v[4],       &v[5],       &v[6], &v[7]};
    if (animat_param_reals(h, names, outs, ANIMAT_COUNT(names)) != ANIMAT_OK) return ANIMAT_ERROR;
    c->n = (uint32_t)n;
    c->dale = dale != 0.0;
    if (!(c->n_in = ctrnn_io(h, nin, ANIMAT_PORT_IN, "x"))) return ANIMAT_ERROR;
    if (!(c->n_out = ctrnn_io(h, nout, ANIMAT_PORT_OUT, "y"))) return ANIMAT_ERROR;
    if (c->n_in > c->n || c->n_out > c->n) {
        h->error(h, "%u inputs and %u outputs need at least that many neurons (n_neurons = %u)",
                 c->n_in, c->n_out, c->n);
        return ANIMAT_ERROR;
    }
    if (c->tau_min > c->tau_max || v[3] < c->tau_min || v[3] > c->tau_max) {
        h->error(h, "need tau_min <= tau <= tau_max, got %g, %g, %g", c->tau_min, v[3], c->tau_max);
        return ANIMAT_ERROR;
    }
    return ANIMAT_OK;
}

/* Allocate every array. ANIMAT_ERROR after h->error. Phase: create. */
static int32_t ctrnn_alloc(ctrnn_circuit *c, const animat_host *h) {
    size_t n = c->n, nn = n * n;
    c->n_theta = (uint32_t)(nn + 2 * n + c->n_in + c->n_out);
    c->theta = animat_alloc_array(h, c->n_theta, sizeof(double));
    c->info = c->theta ? animat_alloc_array(h, c->n_theta, sizeof *c->info) : NULL;
    c->w_eff = c->info ? animat_alloc_array(h, nn, sizeof(double)) : NULL;
    double **vec[] = {&c->tau_eff, &c->input, &c->y, &c->r, &c->last};
    for (size_t k = 0; k < 5; k++)
        if (!(*vec[k] = c->w_eff ? animat_alloc_array(h, n, sizeof(double)) : NULL)) return ANIMAT_ERROR;
    c->sign = animat_alloc_array(h, n, sizeof *c->sign);
    if (!c->sign || cu_alloc(h, &c->units, c->n) != ANIMAT_OK) return ANIMAT_ERROR;
    for (uint32_t i = 0; i < c->n; i++) cu_name(&c->units, i, "n[%u]", i);
    return ANIMAT_OK;
}

/* Initial theta and its metadata; weights drawn from the host stream when
 * `random`. Dale signs: the last round(frac_inh n) neurons inhibitory.
 * Phase: create. */
static void ctrnn_init_theta(ctrnn_circuit *c, const animat_host *h, int random, const double *v) {
    uint32_t n = c->n, n_inh = c->dale ? (uint32_t)lround(v[5] * n) : 0;
    for (uint32_t j = 0; j < n; j++) c->sign[j] = !c->dale ? 0 : (j >= n - n_inh ? -1 : 1);
    double sd = v[4] / sqrt((double)n);
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < n; j++, k++) {
            double w = random ? h->rng_gaussian(h, sd) : 0.0;
            if (c->sign[j]) w = c->sign[j] * fabs(w);
            uint32_t flag = c->sign[j] > 0 ? ANIMAT_PARAM_EXCITATORY
                            : c->sign[j] < 0 ? ANIMAT_PARAM_INHIBITORY : 0;
            c->theta[k] = w;
            c->info[k] = (animat_param_info)ANIMAT_THETA(
                "w", "", w, c->sign[j] > 0 ? 0.0 : -INFINITY, c->sign[j] < 0 ? 0.0 : INFINITY, flag,
                "Weight from neuron j onto neuron i (row-major by i).");
        }
    for (uint32_t i = 0; i < n; i++, k++)
        c->info[k] = (animat_param_info)ANIMAT_THETA("b", "", 0, -INFINITY, INFINITY, 0, "Bias of a neuron.");
    for (uint32_t i = 0; i < n; i++, k++) {
        c->theta[k] = v[3];
        c->info[k] = (animat_param_info)ANIMAT_THETA("tau", "s", v[3], c->tau_min, c->tau_max, 0,
                                                     "Time constant of a neuron (positive, bounded).");
    }
    for (uint32_t i = 0; i < c->n_in; i++, k++) {
        c->theta[k] = v[6];
        c->info[k] = (animat_param_info)ANIMAT_THETA("in.gain", "", v[6], -INFINITY, INFINITY, 0,
                                                     "Gain of an input onto its neuron.");
    }
    for (uint32_t i = 0; i < c->n_out; i++, k++) {
        c->theta[k] = v[7];
        c->info[k] = (animat_param_info)ANIMAT_THETA("out.gain", "", v[7], -INFINITY, INFINITY, 0,
                                                     "Gain of an output neuron's rate.");
    }
}

/* Build an instance (see ctrnn_params). NULL after h->error. Phase:
 * create. */
static void *ctrnn_create(const animat_host *h) {
    ctrnn_circuit *c = animat_alloc_array(h, 1, sizeof *c);
    if (!c) return NULL;
    c->h = h;
    double v[8];
    const char *act = NULL, *stepper = NULL, *init = NULL;
    if (ctrnn_configure(c, h, v) != ANIMAT_OK || ctrnn_alloc(c, h) != ANIMAT_OK) goto fail;
    if (h->param_choice(h, "activation", &act) || h->param_choice(h, "stepper", &stepper) ||
        h->param_choice(h, "init", &init)) {
        h->error(h, "cannot read the activation, stepper or init choice");
        goto fail;
    }
    ctrnn_init_theta(c, h, strcmp(init, "random") == 0, v);
    ctrnn_sync(c);
    c->model = (ctrnn_model){c->n,
                             strcmp(act, "sigmoid") == 0   ? CTRNN_F_SIGMOID
                             : strcmp(act, "linear") == 0 ? CTRNN_F_LINEAR
                                                          : CTRNN_F_TANH,
                             c->w_eff, c->theta + (size_t)c->n * c->n, c->tau_eff, c->input, NULL, c->r};
    const gsl_odeiv2_step_type *type = ctrnn_stepper(stepper);
    if (!type || ctrnn_ode_init(&c->ode, &c->model, type, v[2], v[0], v[1]) != 0) {
        h->error(h, "cannot set up the GSL odeiv2 driver (stepper %s)", stepper);
        goto fail;
    }
    c->in = ANIMAT_PORT_INFO("x", c->n_in, "", "Inputs: x_k * in.gain_k drives neuron k.");
    c->out = ANIMAT_PORT_INFO("y", c->n_out, "", "Outputs: out.gain_k times the rate of neuron n - n_out + k.");
    return c;
fail:
    ctrnn_destroy(c);
    return NULL;
}

/* Ports: in.x and out.y, instance-owned. Any phase after create. */
static const animat_port_info *ctrnn_ports(void *self, uint32_t dir, uint32_t *n) {
    ctrnn_circuit *c = self;
    return animat_ports_pick(dir, &c->in, 1, &c->out, 1, n);
}

/* Theta metadata, instance-owned. Any phase after create. */
static const animat_param_info *ctrnn_theta_info(void *self, uint32_t *n) {
    ctrnn_circuit *c = self;
    *n = c->n_theta;
    return c->info;
}

/* Copy theta out. Not during step. */
static int32_t ctrnn_get_theta(void *self, double *theta, uint32_t n) {
    ctrnn_circuit *c = self;
    return animat_theta_get(c->h, c->theta, c->n_theta, theta, n);
}

/* Replace theta; the Dale mask and tau bounds apply to the effective
 * values (theta itself is kept as given). Not during step. */
static int32_t ctrnn_set_theta(void *self, const double *theta, uint32_t n) {
    ctrnn_circuit *c = self;
    if (animat_theta_set(c->h, c->theta, c->n_theta, theta, n) != ANIMAT_OK) return ANIMAT_ERROR;
    ctrnn_sync(c);
    return ANIMAT_OK;
}

/* New episode: y = 0, integrator history and overrides cleared. */
static int32_t ctrnn_reset(void *self, uint64_t seed) {
    (void)seed;
    ctrnn_circuit *c = self;
    memset(c->y, 0, sizeof(double) * c->n);
    memset(c->last, 0, sizeof(double) * c->n);
    cu_clear(&c->units);
    ctrnn_ode_reset(&c->ode);
    return ANIMAT_OK;
}

/* One control step: inputs held over [0, dt], GSL integrates, outputs
 * read the rates at the end (overrides applied). No allocation. */
static int32_t ctrnn_step(void *self, const double *const *in, double *const *out, double dt) {
    ctrnn_circuit *c = self;
    const double *gin = c->theta + (size_t)c->n * c->n + 2u * c->n, *gout = gin + c->n_in;
    for (uint32_t i = 0; i < c->n; i++) c->input[i] = i < c->n_in ? gin[i] * in[0][i] : 0.0;
    c->model.units = c->units.n_active ? &c->units : NULL;
    int status = ctrnn_ode_advance(&c->ode, c->y, dt);
    if (status != GSL_SUCCESS)
        return cu_ode_fail(c->h, status, c->ode.nmax, dt, c->ode.stepper, c->ode.epsabs, c->ode.epsrel);
    ctrnn_rates(&c->model, c->y);
    memcpy(c->last, c->r, sizeof(double) * c->n);
    for (uint32_t k = 0; k < c->n_out; k++) out[0][k] = gout[k] * c->last[c->n - c->n_out + k];
    return ANIMAT_OK;
}

/* "animat.units/1": neuron names "n[i]". Any phase after create. */
static const char *const *ctrnn_unit_names(void *self, uint32_t *n) {
    ctrnn_circuit *c = self;
    *n = c->units.n;
    return c->units.names;
}

/* Unit i's rate r_i at the end of the last step (0 after reset). */
static int32_t ctrnn_unit_get(void *self, uint32_t i, double *value) {
    ctrnn_circuit *c = self;
    if (i >= c->n || !value) return ANIMAT_ERROR;
    *value = c->last[i];
    return ANIMAT_OK;
}

/* Override neuron i's rate wherever it is used (every right-hand side
 * evaluation and the outputs). Between steps. */
static int32_t ctrnn_unit_override(void *self, uint32_t i, uint32_t mode, double value) {
    ctrnn_circuit *c = self;
    if (cu_override(&c->units, i, mode, value) == ANIMAT_OK) return ANIMAT_OK;
    c->h->error(c->h, "units: bad override (unit %u of %u, mode %u, value %g)", i, c->n, mode, value);
    return ANIMAT_ERROR;
}

static const animat_units_ext ctrnn_units = {
    .struct_size = sizeof(animat_units_ext),
    .names = ctrnn_unit_names,
    .get = ctrnn_unit_get,
    .override = ctrnn_unit_override,
};

/* "animat.state/1" (animat/state.h): states, rates, last rates and
 * the integrator's step size (explicit steppers only: cstate_ode.h). */
static uint32_t ctrnn_state_regions(ctrnn_circuit *c, cs_region *r) {
    uint32_t k = 0;
    cs_add(r, &k, c->y, sizeof(double) * c->n);
    cs_add(r, &k, c->r, sizeof(double) * c->n);
    cs_add(r, &k, c->last, sizeof(double) * c->n);
    cs_add_ode(r, &k, c->ode.driver);
    return k;
}

static uint64_t ctrnn_state_size(void *self) {
    cs_region r[CS_MAX_REGIONS];
    return cs_size(r, ctrnn_state_regions(self, r));
}

static int32_t ctrnn_state_save(void *self, void *buf, uint64_t size) {
    cs_region r[CS_MAX_REGIONS];
    uint32_t k = ctrnn_state_regions(self, r);
    return cs_save(((ctrnn_circuit *)self)->h, r, k, buf, size);
}

static int32_t ctrnn_state_load(void *self, const void *buf, uint64_t size) {
    cs_region r[CS_MAX_REGIONS];
    uint32_t k = ctrnn_state_regions(self, r);
    return cs_load(((ctrnn_circuit *)self)->h, r, k, buf, size);
}

static const animat_state_ext ctrnn_state = {sizeof(animat_state_ext), 0, ctrnn_state_size, ctrnn_state_save,
                                            ctrnn_state_load};

/* "animat.ports/1": every port unbounded (the outputs are out.gain (learnable) times the rate). */
static const animat_port_values ctrnn_unbounded = {.struct_size = sizeof(animat_port_values), .lower = -INFINITY,
                                                .upper = INFINITY};
static const animat_port_values *ctrnn_values(void *self, uint32_t dir, uint32_t i) {
    (void)self, (void)dir, (void)i;
    return &ctrnn_unbounded;
}
static const animat_ports_ext ctrnn_ports_ext = {.struct_size = sizeof(animat_ports_ext), .values = ctrnn_values};

/* Capabilities: ANIMAT_EXT_UNITS, ANIMAT_EXT_STATE (explicit Runge-Kutta
 * steppers only), ANIMAT_EXT_PORTS; anything else NULL. Any phase. */
static const void *ctrnn_extension(void *self, const char *id) {
    if (id && strcmp(id, ANIMAT_EXT_PORTS) == 0) return &ctrnn_ports_ext;
    if (id && strcmp(id, ANIMAT_EXT_STATE) == 0)
        return cs_ode_saveable(((ctrnn_circuit *)self)->ode.driver) ? &ctrnn_state : NULL;
    return id && strcmp(id, ANIMAT_EXT_UNITS) == 0 ? &ctrnn_units : NULL;
}

static const animat_circuit_api ctrnn_api = {
    .struct_size = sizeof(animat_circuit_api),
    .create = ctrnn_create,
    .destroy = ctrnn_destroy,
    .ports = ctrnn_ports,
    .theta_info = ctrnn_theta_info,
    .get_theta = ctrnn_get_theta,
    .set_theta = ctrnn_set_theta,
    .reset = ctrnn_reset,
    .step = ctrnn_step,
    .extension = ctrnn_extension,
};

static const animat_plugin_desc ctrnn_desc =
    ANIMAT_DESC_ID(ANIMAT_KIND_CIRCUIT, "org.animat.ctrnn", "ctrnn", "1.0.0",
                "Continuous-time recurrent neural network integrated with GSL odeiv2", ctrnn_params,
                &ctrnn_api);

static const animat_plugin_desc *const ctrnn_plugins[] = {&ctrnn_desc};

/* Process-wide set-up: GSL's default error handler aborts the process; a
 * failed integration must instead come back as a status (step then fails
 * with h->error). Main thread, once, before any instance. */
static int32_t ctrnn_init(char *why, uint32_t cap) {
    (void)why;
    (void)cap;
    gsl_set_error_handler_off();
    return ANIMAT_OK;
}

/* The only exported symbol. */
ANIMAT_EXPORT const animat_plugin_entry animat_entry = ANIMAT_ENTRY_INIT(ctrnn_plugins, ctrnn_init, NULL);
