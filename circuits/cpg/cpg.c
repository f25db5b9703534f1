/* cpg.c -- the oscillator-chain CPG (cpg_math.c) integrated with GSL
 * odeiv2, as an animat circuit plugin: a locomotion controller whose
 * out.y drives one joint per oscillator, with a tonic drive input
 * (in.drive) and sensory feedback (in.feedback, e.g. the joint angles);
 * out.phase reports the oscillators' phases (unwrapped, rad), so that a
 * recording holds the phase state (`animat analyze ... sindy`).
 * theta = {freq, amp, coupling, phase_lag, fb_gain}, shared by the chain.
 * "animat.units/1": osc[i] is oscillator i's amplitude. Plugin glue only;
 * one instance per thread at a time; nothing global but const tables.
 */
#include <animat/animat.h>
#include <animat/helpers.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>
#include <math.h>
#include <string.h>

#include "cpg_math.h"
#include "cstate_ode.h"
#include "cunits.h"
#include "odebudget.h"

typedef struct cpg_circuit {
    const animat_host *h;
    uint32_t n;
    double theta[CPG_NTHETA];
    double *state;          /* 3n: phases, amplitudes, amplitude velocities */
    double *fb;             /* n feedback of the current step */
    double *r;              /* n scratch amplitudes (overridden) */
    double *last;           /* n amplitudes as seen in the last step (units) */
    double h0;              /* initial integration step, s */
    cpg_model model;
    gsl_odeiv2_system sys;
    gsl_odeiv2_driver *driver;
    double epsabs, epsrel;  /* tolerances, for messages */
    unsigned long nmax;     /* step budget per control step (odebudget.h) */
    cu_units units;
    animat_port_info in[2], out[2];
} cpg_circuit;

static const animat_param_info cpg_params[] = {
    ANIMAT_P_INT("n_osc", "", 0, 0, 1000, "Oscillators (one per joint); 0 takes the size wired from out.y."),
    ANIMAT_P_REAL("freq", "Hz", 1.0, 0.01, 20, "Initial intrinsic frequency nu."),
    ANIMAT_P_REAL("amp", "", 1.0, 0, 10, "Initial amplitude target R."),
    ANIMAT_P_REAL("coupling", "1/s", 4.0, 0, 1000, "Initial coupling weight w between neighbours."),
    ANIMAT_P_REAL("phase_lag", "rad", 1.0, -M_PI, M_PI, "Initial phase lag phi of each oscillator behind the previous one."),
    ANIMAT_P_REAL("fb_gain", "1/s", 0.0, -100, 100, "Initial sensory feedback gain sigma."),
    ANIMAT_P_REAL("a", "1/s", 20, 0.01, 1000, "Amplitude convergence rate."),
    ANIMAT_P_REAL("drive_freq_gain", "", 0.5, -10, 10, "Frequency gain k_nu of the tonic drive: nu (1 + k_nu d)."),
    ANIMAT_P_CHOICE("stepper", "rkf45|rkck|rk8pd|msadams", 0, "GSL odeiv2 stepper (explicit or multistep: no Jacobian needed)."),
    ANIMAT_P_REAL("epsabs", "", 1e-8, 1e-15, 1, "Absolute error tolerance of the adaptive integration."),
    ANIMAT_P_REAL("epsrel", "", 1e-8, 0, 1, "Relative error tolerance of the adaptive integration."),
    ANIMAT_P_REAL("h_init", "s", 1e-3, 1e-9, 10, "Initial step size of the integrator."),
};

/* Theta metadata (bounds are the parameters' ranges). */
static const animat_param_info cpg_theta_meta[CPG_NTHETA] = {
    ANIMAT_THETA("freq", "Hz", 1.0, 0.01, 20, 0, "Intrinsic frequency nu."),
    ANIMAT_THETA("amp", "", 1.0, 0, 10, 0, "Amplitude target R."),
    ANIMAT_THETA("coupling", "1/s", 4.0, 0, 1000, 0, "Coupling weight w between neighbours."),
    ANIMAT_THETA("phase_lag", "rad", 1.0, -M_PI, M_PI, 0, "Phase lag phi between neighbours."),
    ANIMAT_THETA("fb_gain", "1/s", 0.0, -100, 100, 0, "Sensory feedback gain sigma."),
};

/* GSL steppers by the names of the "stepper" choice, or NULL. Pure. */
static const gsl_odeiv2_step_type *cpg_stepper(const char *name) {
    static const char *const names[] = {"rkf45", "rkck", "rk8pd", "msadams"};
    const gsl_odeiv2_step_type *const *types[] = {&gsl_odeiv2_step_rkf45, &gsl_odeiv2_step_rkck,
                                                  &gsl_odeiv2_step_rk8pd, &gsl_odeiv2_step_msadams};
    for (size_t k = 0; name && k < sizeof names / sizeof names[0]; k++)
        if (strcmp(name, names[k]) == 0) return *types[k];
    return NULL;
}

/* Free everything create allocated; NULL is a no-op. Phase: destroy. */
static void cpg_destroy(void *self) {
    cpg_circuit *c = self;
    if (!c) return;
    const animat_host *h = c->h;
    if (c->driver) gsl_odeiv2_driver_free(c->driver);
    h->free(h, c->state);
    h->free(h, c->fb);
    h->free(h, c->r);
    h->free(h, c->last);
    cu_free(h, &c->units);
    h->free(h, c);
}

/* Read the configuration, allocate, set up the GSL driver. ANIMAT_ERROR
 * after h->error. Phase: create. */
static int32_t cpg_setup(cpg_circuit *c, const animat_host *h) {
    static const char *const names[] = {"n_osc", "freq",   "amp",    "coupling", "phase_lag", "fb_gain",
                                        "a",     "drive_freq_gain", "epsabs", "epsrel", "h_init"};
    double n, eabs, erel;
    double *const outs[] = {&n, &c->theta[CPG_FREQ], &c->theta[CPG_AMP], &c->theta[CPG_W],
                            &c->theta[CPG_PHI], &c->theta[CPG_SIGMA], &c->model.a, &c->model.k_nu,
                            &eabs, &erel, &c->h0};
    const char *stepper = NULL;
    if (animat_param_reals(h, names, outs, ANIMAT_COUNT(names)) != ANIMAT_OK) return ANIMAT_ERROR;
    c->n = n > 0.0 ? (uint32_t)n : h->wired_size(h, ANIMAT_PORT_OUT, "y");
    if (c->n == 0) {
        h->error(h, "n_osc is 0 and out.y is not wired; set n_osc");
        return ANIMAT_ERROR;
    }
    c->state = animat_alloc_array(h, 3u * c->n, sizeof(double));
    c->fb = c->state ? animat_alloc_array(h, c->n, sizeof(double)) : NULL;
    c->r = c->fb ? animat_alloc_array(h, c->n, sizeof(double)) : NULL;
    c->last = c->r ? animat_alloc_array(h, c->n, sizeof(double)) : NULL;
    if (!c->last || cu_alloc(h, &c->units, c->n) != ANIMAT_OK) return ANIMAT_ERROR;
    for (uint32_t i = 0; i < c->n; i++) cu_name(&c->units, i, "osc[%u]", i);
    c->model.n = c->n;
    c->model.theta = c->theta;
    c->model.fb = c->fb;
    c->model.r = c->r;
    c->sys = (gsl_odeiv2_system){cpg_rhs, NULL, 3u * c->n, &c->model};
    if (h->param_choice(h, "stepper", &stepper) != ANIMAT_OK || !cpg_stepper(stepper) ||
        !(c->driver = gsl_odeiv2_driver_alloc_y_new(&c->sys, cpg_stepper(stepper), c->h0, eabs, erel))) {
        h->error(h, "cannot set up the GSL odeiv2 driver");
        return ANIMAT_ERROR;
    }
    c->epsabs = eabs;
    c->epsrel = erel;
    c->nmax = cu_ode_budget(9.0 * c->n); /* each oscillator: 3 states, 2 neighbours */
    gsl_odeiv2_driver_set_nmax(c->driver, c->nmax);
    return ANIMAT_OK;
}

/* Build an instance (see cpg_params). NULL after h->error. Phase: create. */
static void *cpg_create(const animat_host *h) {
    cpg_circuit *c = animat_alloc_array(h, 1, sizeof *c);
    if (!c) return NULL;
    c->h = h;
    if (cpg_setup(c, h) != ANIMAT_OK) {
        cpg_destroy(c);
        return NULL;
    }
    c->in[0] = ANIMAT_PORT_INFO("drive", 1, "", "Tonic drive d: amplitude R (1 + d), frequency nu (1 + k_nu d).");
    c->in[1] = ANIMAT_PORT_INFO("feedback", c->n, "",
                                "Sensory feedback f_i (e.g. joint i's angle): phase term -sigma f_i sin(theta_i).");
    c->out[0] = ANIMAT_PORT_INFO("y", c->n, "", "Oscillator outputs r_i cos(theta_i), one per joint.");
    c->out[1] = ANIMAT_PORT_INFO("phase", c->n, "rad",
                                 "Oscillator phases theta_i at the end of the step, unwrapped (for analysis).");
    return c;
}

/* Ports: in.drive, in.feedback, out.y, out.phase; instance-owned. Any phase. */
static const animat_port_info *cpg_ports(void *self, uint32_t dir, uint32_t *n) {
    cpg_circuit *c = self;
    return animat_ports_pick(dir, c->in, 2, c->out, 2, n);
}

/* Theta metadata: a static table of CPG_NTHETA entries. Any phase. */
static const animat_param_info *cpg_theta_info(void *self, uint32_t *n) {
    (void)self;
    *n = CPG_NTHETA;
    return cpg_theta_meta;
}

/* Copy theta out. Not during step. */
static int32_t cpg_get_theta(void *self, double *theta, uint32_t n) {
    cpg_circuit *c = self;
    return animat_theta_get(c->h, c->theta, CPG_NTHETA, theta, n);
}

/* Replace theta. Not during step. */
static int32_t cpg_set_theta(void *self, const double *theta, uint32_t n) {
    cpg_circuit *c = self;
    return animat_theta_set(c->h, c->theta, CPG_NTHETA, theta, n);
}

/* New episode: phases, amplitudes at 0; integrator history and overrides
 * cleared. Phase: reset. */
static int32_t cpg_reset(void *self, uint64_t seed) {
    (void)seed;
    cpg_circuit *c = self;
    memset(c->state, 0, 3u * c->n * sizeof(double));
    memset(c->last, 0, c->n * sizeof(double));
    cu_clear(&c->units);
    gsl_odeiv2_driver_reset_hstart(c->driver, c->h0);
    return ANIMAT_OK;
}

/* One control step: drive and feedback held over [0, dt], GSL
 * integrates, out.y and out.phase from the end state. No allocation.
 * Phase: step. */
static int32_t cpg_step(void *self, const double *const *in, double *const *out, double dt) {
    cpg_circuit *c = self;
    c->model.drive = in[0][0];
    memcpy(c->fb, in[1], c->n * sizeof(double));
    c->model.units = c->units.n_active ? &c->units : NULL;
    double t = 0.0;
    int status = gsl_odeiv2_driver_apply(c->driver, &t, dt, c->state);
    if (status != GSL_SUCCESS)
        return cu_ode_fail(c->h, status, c->nmax, dt, c->driver->s->type->name, c->epsabs, c->epsrel);
    cpg_outputs(&c->model, c->state, out[0]);
    memcpy(out[1], c->state, c->n * sizeof(double));
    memcpy(c->last, c->r, c->n * sizeof(double));
    return ANIMAT_OK;
}

/* "animat.units/1": osc[i] names. Any phase after create. */
static const char *const *cpg_unit_names(void *self, uint32_t *n) {
    cpg_circuit *c = self;
    *n = c->units.n;
    return c->units.names;
}

/* Oscillator i's amplitude as seen in the last step (0 after reset). */
static int32_t cpg_unit_get(void *self, uint32_t i, double *value) {
    cpg_circuit *c = self;
    if (i >= c->n || !value) return ANIMAT_ERROR;
    *value = c->last[i];
    return ANIMAT_OK;
}

/* Override oscillator i's amplitude in the coupling and the output. */
static int32_t cpg_unit_override(void *self, uint32_t i, uint32_t mode, double value) {
    cpg_circuit *c = self;
    if (cu_override(&c->units, i, mode, value) == ANIMAT_OK) return ANIMAT_OK;
    c->h->error(c->h, "units: bad override (unit %u of %u, mode %u, value %g)", i, c->n, mode, value);
    return ANIMAT_ERROR;
}

static const animat_units_ext cpg_units = {
    .struct_size = sizeof(animat_units_ext),
    .names = cpg_unit_names,
    .get = cpg_unit_get,
    .override = cpg_unit_override,
};

/* "animat.state/1" (animat/state.h): phases, amplitudes and their
 * velocities, the amplitudes of the last step and the integrator's step
 * size (explicit steppers only: cstate_ode.h). */
static uint32_t cpg_state_regions(cpg_circuit *c, cs_region *r) {
    uint32_t k = 0;
    cs_add(r, &k, c->state, 3u * c->n * sizeof(double));
    cs_add(r, &k, c->r, c->n * sizeof(double));
    cs_add(r, &k, c->last, c->n * sizeof(double));
    cs_add_ode(r, &k, c->driver);
    return k;
}

static uint64_t cpg_state_size(void *self) {
    cs_region r[CS_MAX_REGIONS];
    return cs_size(r, cpg_state_regions(self, r));
}

static int32_t cpg_state_save(void *self, void *buf, uint64_t size) {
    cs_region r[CS_MAX_REGIONS];
    uint32_t k = cpg_state_regions(self, r);
    return cs_save(((cpg_circuit *)self)->h, r, k, buf, size);
}

static int32_t cpg_state_load(void *self, const void *buf, uint64_t size) {
    cs_region r[CS_MAX_REGIONS];
    uint32_t k = cpg_state_regions(self, r);
    return cs_load(((cpg_circuit *)self)->h, r, k, buf, size);
}

static const animat_state_ext cpg_state = {sizeof(animat_state_ext), 0, cpg_state_size, cpg_state_save,
                                            cpg_state_load};

/* "animat.ports/1": every port unbounded (the outputs r cos(theta) grow with the drive and phases are unwrapped). */
static const animat_port_values cpg_unbounded = {.struct_size = sizeof(animat_port_values), .lower = -INFINITY,
                                                .upper = INFINITY};
static const animat_port_values *cpg_values(void *self, uint32_t dir, uint32_t i) {
    (void)self, (void)dir, (void)i;
    return &cpg_unbounded;
}
static const animat_ports_ext cpg_ports_ext = {.struct_size = sizeof(animat_ports_ext), .values = cpg_values};

/* Capabilities: ANIMAT_EXT_UNITS, ANIMAT_EXT_STATE (explicit Runge-Kutta
 * steppers only), ANIMAT_EXT_PORTS; anything else NULL. Any phase. */
static const void *cpg_extension(void *self, const char *id) {
    if (id && strcmp(id, ANIMAT_EXT_PORTS) == 0) return &cpg_ports_ext;
    if (id && strcmp(id, ANIMAT_EXT_STATE) == 0)
        return cs_ode_saveable(((cpg_circuit *)self)->driver) ? &cpg_state : NULL;
    return id && strcmp(id, ANIMAT_EXT_UNITS) == 0 ? &cpg_units : NULL;
}

static const animat_circuit_api cpg_api = {
    .struct_size = sizeof(animat_circuit_api),
    .create = cpg_create,
    .destroy = cpg_destroy,
    .ports = cpg_ports,
    .theta_info = cpg_theta_info,
    .get_theta = cpg_get_theta,
    .set_theta = cpg_set_theta,
    .reset = cpg_reset,
    .step = cpg_step,
    .extension = cpg_extension,
};

static const animat_plugin_desc cpg_desc =
    ANIMAT_DESC_ID(ANIMAT_KIND_CIRCUIT, "org.animat.cpg", "cpg", "1.0.0",
                "Chain of coupled phase oscillators (Ijspeert-style CPG) with tonic drive and sensory feedback",
                cpg_params, &cpg_api);

static const animat_plugin_desc *const cpg_plugins[] = {&cpg_desc};

/* Process-wide set-up: GSL's default error handler aborts; a failed
 * integration must come back as a status instead. Main thread, once. */
static int32_t cpg_init(char *why, uint32_t cap) {
    (void)why;
    (void)cap;
    gsl_set_error_handler_off();
    return ANIMAT_OK;
}

/* The only exported symbol. */
ANIMAT_EXPORT const animat_plugin_entry animat_entry = ANIMAT_ENTRY_INIT(cpg_plugins, cpg_init, NULL);
