/* ncap.c -- the NCAP swimmer circuit as an animat circuit plugin.
 *
 * Plugin glue only (descriptor, create/destroy, ports, theta, reset, step,
 * the "animat.plasticity/1" and "animat.units/1" extensions); the maths
 * lives in ncap_math.c. The optional steering input in.turn exists only when
 * the experiment wires it (so the default ports are unchanged). One
 * instance is used by one thread at a time (animat/circuit.h); nothing here
 * is global except const tables.
 */
#include <animat/animat.h>
#include <animat/helpers.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cstate.h"
#include "cunits.h"
#include "ncap_math.h"

/* Longest unshared theta name, "j<index>.contra_d" plus NUL. */
#define NCAP_NAME_LEN 24u

/* One circuit instance. Everything is allocated in create with h->alloc and
 * released in destroy; step touches only preallocated memory. */
typedef struct ncap_circuit {
    const animat_host *h;   /* host table, valid until destroy returns */
    uint32_t n;             /* number of joints (= port sizes) */
    int shared;             /* 4 shared weights (1) or 6 per joint (0) */
    int constrained;        /* apply exc/inh sign transforms */
    int proprio;            /* proprioceptive input to B-neurons on */
    int osc;                /* head oscillator on */
    uint32_t period;        /* oscillator period in control steps */
    uint64_t t;             /* control steps since reset (oscillator phase) */
    uint32_t n_theta;       /* length of theta */
    double *theta;          /* raw learnable weights, n_theta */
    double *w;              /* effective weights, NCAP_NW * n (ncap_expand) */
    double *trace;          /* last step's activities, NCAP_NTR * n; 0 after reset */
    animat_param_info *info; /* theta metadata, n_theta */
    char *names;            /* unshared theta names, NCAP_NAME_LEN each, or NULL */
    double osc_last;        /* oscillator unit output in the last step; 0 after reset */
    int has_turn;           /* in.turn exists (it was wired at create) */
    cu_units units;         /* "animat.units/1": names and overrides */
    animat_port_info in[2]; /* "joints", then "turn" when wired */
    animat_port_info out;   /* "muscles" */
} ncap_circuit;

/* Configuration parameters, validated by the host before create. */
static const animat_param_info ncap_params[] = {
    ANIMAT_P_INT("n_joints", "", 0, 0, 64,
                 "Number of actuated joints; 0 takes the size of the port wired to in.joints."),
    ANIMAT_P_BOOL("shared", 1,
                  "Use 4 weights shared by all joints (1) or 6 separate weights per joint (0)."),
    ANIMAT_P_BOOL("sign_constraints", 1,
                  "Clip excitatory weights to >= 0 and inhibitory weights to <= 0 in the forward pass."),
    ANIMAT_P_CHOICE("init", "default|random|random_sign", 0,
                    "Initial weights: (1, 1, 1, -1), uniform random within the sign constraints, or random +-1."),
    ANIMAT_P_BOOL("proprioception", 1,
                  "Feed each joint's angle to the B-neurons of the next joint (0 ablates it)."),
    ANIMAT_P_BOOL("oscillator", 1, "Drive the head joint with the square-wave oscillator (0 ablates it)."),
    ANIMAT_P_INT("osc_period", "steps", 60, 2, 100000,
                 "Oscillator period in control steps: dorsal for the first half, ventral after."),
};

/* Shared theta metadata: {w_prop, w_osc, w_ipsi, w_contra}. */
static const animat_param_info ncap_shared_info[NCAP_NSHARED] = {
    ANIMAT_THETA("w_prop", "", 1, -INFINITY, INFINITY, ANIMAT_PARAM_EXCITATORY,
                 "Proprioceptive weight from joint i-1 to the B-neurons of joint i."),
    ANIMAT_THETA("w_osc", "", 1, -INFINITY, INFINITY, ANIMAT_PARAM_EXCITATORY,
                 "Oscillator weight onto the head joint's B-neurons."),
    ANIMAT_THETA("w_ipsi", "", 1, -INFINITY, INFINITY, ANIMAT_PARAM_EXCITATORY,
                 "Ipsilateral B-neuron to muscle excitation."),
    ANIMAT_THETA("w_contra", "", -1, -INFINITY, INFINITY, ANIMAT_PARAM_INHIBITORY,
                 "Contralateral B-neuron to muscle inhibition."),
};

/* Per-slot suffixes and docs of the unshared layout (joint 0 uses "osc"). */
static const char *const ncap_slot_suffix[NCAP_NW] = {"d", "v", "ipsi_d", "ipsi_v",
                                                      "contra_d", "contra_v"};
static const char *const ncap_slot_doc[NCAP_NW] = {
    "Input weight (oscillator at joint 0, proprioception otherwise) onto the dorsal B-neuron.",
    "Input weight (oscillator at joint 0, proprioception otherwise) onto the ventral B-neuron.",
    "Dorsal B-neuron to dorsal muscle excitation.",
    "Ventral B-neuron to ventral muscle excitation.",
    "Ventral B-neuron to dorsal muscle inhibition.",
    "Dorsal B-neuron to ventral muscle inhibition.",
};

/* Destroy an instance: frees every buffer create allocated, then the
 * instance. NULL is a no-op. Phase: destroy; the instance's thread. */
static void ncap_destroy(void *self) {
    ncap_circuit *c = self;
    if (!c) return;
    const animat_host *h = c->h;
    h->free(h, c->theta);
    h->free(h, c->w);
    h->free(h, c->trace);
    h->free(h, c->info);
    h->free(h, c->names);
    cu_free(h, &c->units);
    h->free(h, c);
}

/* Read and check the configuration into `c` (n, flags, period) and return
 * the init scheme, or -1 after h->error. Phase: create. */
static int32_t ncap_configure(ncap_circuit *c, const animat_host *h) {
    double nj, shared, sign, proprio, osc, period;
    const char *init = NULL;
    static const char *const names[] = {"n_joints",       "shared",     "sign_constraints",
                                        "proprioception", "oscillator", "osc_period"};
    double *const outs[] = {&nj, &shared, &sign, &proprio, &osc, &period};
    if (animat_param_reals(h, names, outs, ANIMAT_COUNT(names)) != ANIMAT_OK) return -1;
    if (h->param_choice(h, "init", &init) != ANIMAT_OK || !init) {
        h->error(h, "cannot read parameter init");
        return -1;
    }
    /* size: explicit, else from the wiring */
    if (!(nj >= 0.0 && nj <= 64.0) || nj != floor(nj)) {
        h->error(h, "n_joints must be an integer in [0, 64], got %g", nj);
        return -1;
    }
    c->n = nj > 0.0 ? (uint32_t)nj : h->wired_size(h, ANIMAT_PORT_IN, "joints");
    if (c->n == 0) {
        h->error(h, "n_joints is 0 and in.joints is not wired; set n_joints");
        return -1;
    }
    if (c->n > 100000u) {
        h->error(h, "in.joints is wired to %u values; at most 100000 joints", c->n);
        return -1;
    }
    if (!(period >= 2.0 && period <= 100000.0) || period != floor(period)) {
        h->error(h, "osc_period must be an integer in [2, 100000], got %g", period);
        return -1;
    }
    c->shared = shared != 0.0;
    c->constrained = sign != 0.0;
    c->proprio = proprio != 0.0;
    c->osc = osc != 0.0;
    c->period = (uint32_t)period;
    /* init scheme by name */
    if (strcmp(init, "default") == 0) return NCAP_INIT_DEFAULT;
    if (strcmp(init, "random") == 0) return NCAP_INIT_RANDOM;
    if (strcmp(init, "random_sign") == 0) return NCAP_INIT_RANDOM_SIGN;
    h->error(h, "init must be default, random or random_sign, got '%s'", init);
    return -1;
}

/* Fill c->info (and c->names when unshared); buffers already allocated.
 * Phase: create. */
static void ncap_fill_info(ncap_circuit *c) {
    if (c->shared) {
        memcpy(c->info, ncap_shared_info, sizeof ncap_shared_info);
        /* the host projects flagged entries onto their sign: only flag them
         * when the constraint is in force */
        for (uint32_t k = 0; !c->constrained && k < NCAP_NSHARED; k++) c->info[k].flags = 0;
        return;
    }
    for (uint32_t k = 0; k < c->n_theta; k++) {
        uint32_t joint = k / NCAP_NW, slot = k % NCAP_NW;
        char *name = c->names + (size_t)k * NCAP_NAME_LEN;
        /* B-neuron input weights are named after their source */
        const char *src = joint == 0 ? "osc_" : "prop_";
        snprintf(name, NCAP_NAME_LEN, "j%u.%s%s", joint, slot < NCAP_IPSI_D ? src : "",
                 ncap_slot_suffix[slot]);
        uint32_t role = ncap_theta_role(0, k);
        c->info[k] = (animat_param_info){
            .struct_size = sizeof(animat_param_info),
            .type = ANIMAT_PARAM_REAL,
            .flags = !c->constrained ? 0 : role == NCAP_INH ? ANIMAT_PARAM_INHIBITORY : ANIMAT_PARAM_EXCITATORY,
            .name = name,
            .unit = "",
            .def = role == NCAP_INH ? -1.0 : 1.0,
            .min = -INFINITY,
            .max = INFINITY,
            .doc = ncap_slot_doc[slot],
        };
    }
}

/* Name the units (see ncap_math.h): "osc", then b[i].d, b[i].v, m[i].d,
 * m[i].v per joint. ANIMAT_ERROR after h->error when out of memory. Phase:
 * create. */
static int32_t ncap_make_units(ncap_circuit *c, const animat_host *h) {
    if (cu_alloc(h, &c->units, ncap_unit_count(c->n)) != ANIMAT_OK) return ANIMAT_ERROR;
    static const char *const kind[NCAP_UNITS_PER_JOINT] = {"b[%u].d", "b[%u].v", "m[%u].d",
                                                           "m[%u].v"};
    cu_name(&c->units, NCAP_UNIT_OSC, "osc");
    for (uint32_t i = 0; i < c->n; i++)
        for (uint32_t k = 0; k < NCAP_UNITS_PER_JOINT; k++)
            cu_name(&c->units, NCAP_UNIT_JOINT0 + NCAP_UNITS_PER_JOINT * i + k, kind[k], i);
    return ANIMAT_OK;
}

/* Build an instance from the host's parameters (see ncap_params). Draws the
 * initial theta from h->rng_uniform in theta order for the random inits.
 * Returns NULL after h->error on a bad configuration or out of memory. The
 * instance owns everything it allocates. Phase: create. */
static void *ncap_create(const animat_host *h) {
    ncap_circuit *c = h->alloc(h, sizeof *c);
    if (!c) {
        h->error(h, "out of memory");
        return NULL;
    }
    c->h = h;
    int32_t scheme = ncap_configure(c, h);
    if (scheme < 0) {
        ncap_destroy(c);
        return NULL;
    }
    /* buffers */
    c->n_theta = ncap_theta_count(c->n, c->shared);
    c->theta = h->alloc(h, sizeof(double) * c->n_theta);
    c->w = h->alloc(h, sizeof(double) * NCAP_NW * c->n);
    c->trace = h->alloc(h, sizeof(double) * NCAP_NTR * c->n);
    c->info = h->alloc(h, sizeof(animat_param_info) * c->n_theta);
    if (!c->shared) c->names = h->alloc(h, (size_t)NCAP_NAME_LEN * c->n_theta);
    if (!c->theta || !c->w || !c->trace || !c->info || (!c->shared && !c->names)) {
        h->error(h, "out of memory");
        ncap_destroy(c);
        return NULL;
    }
    ncap_fill_info(c);
    /* initial theta */
    if (scheme == NCAP_INIT_DEFAULT) {
        ncap_default_theta(c->n, c->shared, c->theta);
    } else {
        for (uint32_t k = 0; k < c->n_theta; k++)
            c->theta[k] = ncap_init_value((uint32_t)scheme, ncap_theta_role(c->shared, k),
                                          c->constrained, h->rng_uniform(h));
    }
    ncap_expand(c->n, c->shared, c->constrained, c->theta, c->w);
    if (ncap_make_units(c, h) != ANIMAT_OK) {
        ncap_destroy(c);
        return NULL;
    }
    /* ports: in.turn only when the experiment wires it */
    c->in[0] = ANIMAT_PORT_INFO("joints", c->n, "rad", "Joint angles, joint 0 = head joint.");
    c->in[1] = ANIMAT_PORT_INFO("turn", 1, "",
                                "Turning bias: added to the head's dorsal B-neuron input, subtracted from its ventral one.");
    c->out = ANIMAT_PORT_INFO("muscles", c->n, "",
                              "Muscle actions md_i - mv_i in [-1, 1], one per joint.");
    /* a wired source of another size is the host's size-mismatch error */
    c->has_turn = h->wired_size(h, ANIMAT_PORT_IN, "turn") > 0;
    return c;
}

/* Ports of `dir`: in.joints (and in.turn when wired), out.muscles;
 * instance-owned, valid until destroy.
 * Unknown dir gives NULL and *n = 0. Any phase after create. */
static const animat_port_info *ncap_ports(void *self, uint32_t dir, uint32_t *n) {
    ncap_circuit *c = self;
    return animat_ports_pick(dir, c->in, c->has_turn ? 2u : 1u, &c->out, 1, n);
}

/* Theta metadata: instance-owned array of n_theta entries, valid until
 * destroy. Any phase after create. */
static const animat_param_info *ncap_theta_info(void *self, uint32_t *n) {
    ncap_circuit *c = self;
    *n = c->n_theta;
    return c->info;
}

/* Copy the raw theta into the caller's buffer of n doubles; n must equal
 * n_theta. Not during step. */
static int32_t ncap_get_theta(void *self, double *theta, uint32_t n) {
    ncap_circuit *c = self;
    return animat_theta_get(c->h, c->theta, c->n_theta, theta, n);
}

/* Replace theta (copied) and recompute the effective weights. n must equal
 * n_theta and every value must be finite; otherwise nothing changes. Not
 * during step. */
static int32_t ncap_set_theta(void *self, const double *theta, uint32_t n) {
    ncap_circuit *c = self;
    if (animat_theta_set(c->h, c->theta, c->n_theta, theta, n) != ANIMAT_OK) return ANIMAT_ERROR;
    ncap_expand(c->n, c->shared, c->constrained, c->theta, c->w);
    return ANIMAT_OK;
}

/* New episode: restart the oscillator phase, forget the last step's
 * activities (eligibility and units read 0 until the next step) and clear
 * every unit override. The circuit is
 * otherwise stateless, so `seed` is unused. Phase: reset. */
static int32_t ncap_reset(void *self, uint64_t seed) {
    (void)seed;
    ncap_circuit *c = self;
    c->t = 0;
    c->osc_last = 0.0;
    memset(c->trace, 0, sizeof(double) * NCAP_NTR * c->n);
    cu_clear(&c->units);
    return ANIMAT_OK;
}

/* One control step: in[0] = joint angles, in[1] = turn (when wired),
 * out[0] = muscle actions. The oscillator uses the step count since reset,
 * then advances it; dt is not used (the period is counted in steps). Unit
 * overrides apply to the oscillator here and to B-neurons and muscles in
 * ncap_forward_full. Records the step's activities in c->trace for the
 * extensions. No allocation. Phase: step. */
static int32_t ncap_step(void *self, const double *const *in, double *const *out, double dt) {
    (void)dt;
    ncap_circuit *c = self;
    double od = 0.0, ov = 0.0;
    if (c->osc) ncap_oscillator(c->t, c->period, &od, &ov);
    const cu_units *u = c->units.n_active ? &c->units : NULL;
    if (u && c->units.mode[NCAP_UNIT_OSC] != ANIMAT_UNIT_FREE) {
        c->osc_last = cu_apply(u, NCAP_UNIT_OSC, od - ov);
        ncap_osc_split(c->osc_last, &od, &ov);
    } else {
        c->osc_last = od - ov;
    }
    double turn = c->has_turn ? in[1][0] : 0.0;
    ncap_forward_full(c->n, c->w, in[0], od, ov, c->proprio, turn, u, out[0], c->trace);
    c->t++;
    return ANIMAT_OK;
}

/* "animat.plasticity/1": pre * post of every theta entry in the last step
 * (see ncap_eligibility), into the caller's `elig` of n doubles; n must equal
 * n_theta and elig must not be NULL, else ANIMAT_ERROR after h->error. All
 * zeros after create or reset until the next step. No allocation. Phase:
 * between steps; the instance's thread. */
static int32_t ncap_eligibility_ext(void *self, double *elig, uint32_t n) {
    ncap_circuit *c = self;
    if (n != c->n_theta || !elig) {
        c->h->error(c->h, "eligibility: expected %u values, got %u", c->n_theta, n);
        return ANIMAT_ERROR;
    }
    ncap_eligibility(c->n, c->shared, c->trace, elig);
    return ANIMAT_OK;
}

static const animat_plasticity_ext ncap_plasticity = {
    .struct_size = sizeof(animat_plasticity_ext),
    .eligibility = ncap_eligibility_ext,
};

/* "animat.units/1" names: instance-owned, valid until destroy. Any phase
 * after create. */
static const char *const *ncap_unit_names(void *self, uint32_t *n) {
    ncap_circuit *c = self;
    *n = c->units.n;
    return c->units.names;
}

/* "animat.units/1" get: unit i's output in the last step (0 after reset),
 * read from the oscillator record and the step's trace. ANIMAT_ERROR for i
 * out of range. Between steps; no allocation. */
static int32_t ncap_unit_get(void *self, uint32_t i, double *value) {
    ncap_circuit *c = self;
    if (i >= c->units.n || !value) return ANIMAT_ERROR;
    if (i == NCAP_UNIT_OSC) {
        *value = c->osc_last;
        return ANIMAT_OK;
    }
    static const uint32_t slot[NCAP_UNITS_PER_JOINT] = {NCAP_TR_BD, NCAP_TR_BV, NCAP_TR_MD,
                                                        NCAP_TR_MV};
    uint32_t j = (i - NCAP_UNIT_JOINT0) / NCAP_UNITS_PER_JOINT;
    uint32_t k = (i - NCAP_UNIT_JOINT0) % NCAP_UNITS_PER_JOINT;
    *value = c->trace[(size_t)NCAP_NTR * j + slot[k]];
    return ANIMAT_OK;
}

/* "animat.units/1" override: see cu_override; reported through h->error on
 * a bad index, mode or value. Between steps; no allocation. */
static int32_t ncap_unit_override(void *self, uint32_t i, uint32_t mode, double value) {
    ncap_circuit *c = self;
    if (cu_override(&c->units, i, mode, value) == ANIMAT_OK) return ANIMAT_OK;
    c->h->error(c->h, "units: bad override (unit %u of %u, mode %u, value %g)", i, c->units.n,
                mode, value);
    return ANIMAT_ERROR;
}

static const animat_units_ext ncap_units = {
    .struct_size = sizeof(animat_units_ext),
    .names = ncap_unit_names,
    .get = ncap_unit_get,
    .override = ncap_unit_override,
};

/* "animat.state/1" (animat/state.h): the oscillator step count,
 * the last activities and the oscillator output. Theta is the host's. */
static uint32_t ncap_state_regions(ncap_circuit *c, cs_region *r) {
    uint32_t k = 0;
    cs_add(r, &k, &c->t, sizeof c->t);
    cs_add(r, &k, c->trace, sizeof(double) * NCAP_NTR * c->n);
    cs_add(r, &k, &c->osc_last, sizeof c->osc_last);
    return k;
}

static uint64_t ncap_state_size(void *self) {
    cs_region r[CS_MAX_REGIONS];
    return cs_size(r, ncap_state_regions(self, r));
}

static int32_t ncap_state_save(void *self, void *buf, uint64_t size) {
    cs_region r[CS_MAX_REGIONS];
    uint32_t k = ncap_state_regions(self, r);
    return cs_save(((ncap_circuit *)self)->h, r, k, buf, size);
}

static int32_t ncap_state_load(void *self, const void *buf, uint64_t size) {
    cs_region r[CS_MAX_REGIONS];
    uint32_t k = ncap_state_regions(self, r);
    return cs_load(((ncap_circuit *)self)->h, r, k, buf, size);
}

static const animat_state_ext ncap_state = {sizeof(animat_state_ext), 0, ncap_state_size, ncap_state_save,
                                            ncap_state_load};

/* "animat.ports/1": the muscle actions in [-1, 1]; inputs unbounded. */
static const animat_port_values ncap_out_values = {.struct_size = sizeof(animat_port_values), .lower = -1, .upper = 1};
static const animat_port_values *ncap_values(void *self, uint32_t dir, uint32_t i) {
    (void)self, (void)i;
    return dir == ANIMAT_PORT_OUT ? &ncap_out_values : NULL;
}
static const animat_ports_ext ncap_ports_ext = {.struct_size = sizeof(animat_ports_ext), .values = ncap_values};

/* Capabilities by id: ANIMAT_EXT_PLASTICITY, ANIMAT_EXT_UNITS and ANIMAT_EXT_PORTS give
 * static tables valid for the plugin's lifetime; any other id (or NULL)
 * gives NULL. Any phase after create; the instance's thread. */
static const void *ncap_extension(void *self, const char *id) {
    (void)self;
    if (id && strcmp(id, ANIMAT_EXT_STATE) == 0) return &ncap_state;
    if (id && strcmp(id, ANIMAT_EXT_PLASTICITY) == 0) return &ncap_plasticity;
    if (id && strcmp(id, ANIMAT_EXT_UNITS) == 0) return &ncap_units;
    if (id && strcmp(id, ANIMAT_EXT_PORTS) == 0) return &ncap_ports_ext;
    return NULL;
}

static const animat_circuit_api ncap_api = {
    .struct_size = sizeof(animat_circuit_api),
    .create = ncap_create,
    .destroy = ncap_destroy,
    .ports = ncap_ports,
    .theta_info = ncap_theta_info,
    .get_theta = ncap_get_theta,
    .set_theta = ncap_set_theta,
    .reset = ncap_reset,
    .step = ncap_step,
    .extension = ncap_extension,
};

static const animat_plugin_desc ncap_desc =
    ANIMAT_DESC_ID(ANIMAT_KIND_CIRCUIT, "org.animat.ncap", "ncap", "1.1.0",
                "NCAP C. elegans-inspired swimmer circuit (Bhattasali et al. 2022)", ncap_params,
                &ncap_api);

static const animat_plugin_desc *const ncap_plugins[] = {&ncap_desc};

/* The only exported symbol. */
ANIMAT_EXPORT const animat_plugin_entry animat_entry = ANIMAT_ENTRY(ncap_plugins);
