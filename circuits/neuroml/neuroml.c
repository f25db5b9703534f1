/* neuroml.c -- a NeuroML2 network (nml_load.c) simulated as an animat
 * circuit (nml_dyn.c): one unit per cell, named as in the file (the
 * population id for populations of size 1, else POP[i]), spikes as events
 * ("animat.spikes/1"), filtered spike rates on out.rates and, with
 * `joints` > 0, c302's body-wall muscle cells mapped to joints on
 * out.muscles (see neuroml_muscles). No theta: the file is the model.
 *
 * The file: `network` (a PATH parameter the host resolves against the
 * experiment's folder), or when unset the shipped c302 network named by
 * `c302` (neuroml-data/c302_NAME.net.nml next to this .so, found with
 * dladdr). Plugin glue only.
 */
#include <animat/animat.h>
#include <animat/helpers.h>
#include <animat/spikes.h>

#include <dlfcn.h>
#include <gsl/gsl_errno.h>
#include <libxml/parser.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cstate.h"
#include "cunits.h"
#include "nml_dyn.h"
#include "nml_net.h"

#define NML_JOINTS_MAX 100u
#define NML_MUSCLE_ROWS 24u

typedef struct nml_circuit {
    const animat_host *h;
    nml_net net;
    nml_sim sim;
    double h_sub, tau_rate, gain;
    uint32_t max_sub, joints;
    uint32_t last_nsub;         /* substeps of the last control step (0 after reset) */
    uint32_t *m_joint;          /* n: joint of each muscle cell, UINT32_MAX for other cells */
    int8_t *m_side;             /* n: +1 dorsal, -1 ventral muscle, 0 other */
    double *m_count;            /* 2 x joints: dorsal, ventral muscle cells per joint */
    char *rate_text;            /* n x CU_NAME_LEN lower-case element names of out.rates */
    const char **rate_names;    /* n pointers into rate_text, or NULL when not all valid */
    char (*joint_text)[48];     /* joints element names of out.muscles */
    const char **joint_names;
    cu_units units;
    animat_port_info out[2];
    animat_port_values vals[2];
} nml_circuit;

static const animat_param_info nml_params[] = {
    ANIMAT_P_PATH("network", "NeuroML2 network file (.net.nml); overrides c302 when set."),
    ANIMAT_P_CHOICE("c302", "A_Oscillator|A_Syns|A_Full|B_Oscillator|B_Syns|B_Full", 0,
                    "Shipped c302 network (neuroml-data/c302_NAME.net.nml), used when network is unset."),
    ANIMAT_P_REAL("substep", "s", 5e-5, 1e-7, 1e-2,
                  "Integration step (GSL rk2, 3 stages); each control step runs ceil(dt / substep) equal substeps."),
    ANIMAT_P_INT("max_substeps", "", 1000, 1, 100000,
                 "Most substeps one control step may need (sizes the spike buffer)."),
    ANIMAT_P_REAL("tau_rate", "s", 0.05, 1e-6, 100, "Time constant of the spike-rate filter behind out.rates."),
    ANIMAT_P_INT("joints", "", 0, 0, NML_JOINTS_MAX,
                 "0, or the number of joints out.muscles drives from c302's muscle cells (M[DV][LR]01..24)."),
    ANIMAT_P_REAL("gain", "1/Hz", 0.05, -1e6, 1e6, "out.muscles = tanh(gain x (dorsal - ventral mean rate))."),
};

/* Free everything create allocated; NULL is a no-op. Phase: destroy. */
static void nml_destroy(void *self) {
    nml_circuit *c = self;
    if (!c) return;
    nml_sim_free(&c->sim);
    nml_free(&c->net);
    void *p[] = {c->m_joint, c->m_side, c->m_count, c->rate_text, c->rate_names, c->joint_text, c->joint_names};
    for (size_t k = 0; k < sizeof p / sizeof p[0]; k++) free(p[k]);
    cu_free(c->h, &c->units);
    c->h->free(c->h, c);
}

/* The network file into buf: `network` when set, else the shipped c302
 * file next to this plugin. ANIMAT_ERROR after h->error. */
static int32_t nml_path(const animat_host *h, char *buf, size_t cap) {
    const char *file = NULL, *c302 = NULL;
    if (ANIMAT_HAS(h, animat_host, param_string) && h->param_string(h, "network", &file) == ANIMAT_OK && file &&
        *file) {
        snprintf(buf, cap, "%s", file);
        return ANIMAT_OK;
    }
    Dl_info info;
    if (h->param_choice(h, "c302", &c302) != ANIMAT_OK || !dladdr((const void *)nml_path, &info) ||
        !info.dli_fname) {
        h->error(h, "cannot locate the shipped c302 networks (neuroml-data/ next to the plugin)");
        return ANIMAT_ERROR;
    }
    const char *slash = strrchr(info.dli_fname, '/');
    int dir = slash ? (int)(slash - info.dli_fname) : 1;
    snprintf(buf, cap, "%.*s/neuroml-data/c302_%s.net.nml", dir, slash ? info.dli_fname : ".", c302);
    return ANIMAT_OK;
}

/* c302 muscle cell name "M[DV][LR]NN" -> side (+1 dorsal, -1 ventral) and
 * row NN (1..24); 0 when the name is not one. */
static int nml_muscle(const char *name, uint32_t *row) {
    if (name[0] != 'M' || (name[1] != 'D' && name[1] != 'V') || (name[2] != 'L' && name[2] != 'R')) return 0;
    if (name[3] < '0' || name[3] > '9' || name[4] < '0' || name[4] > '9' || name[5]) return 0;
    *row = (uint32_t)((name[3] - '0') * 10 + (name[4] - '0'));
    if (*row < 1 || *row > NML_MUSCLE_ROWS) return 0;
    return name[1] == 'D' ? 1 : -1;
}

/* The muscle map: rows 1..24 split into `joints` equal runs from head to
 * tail, joint j = rows [24 j / J + 1, 24 (j + 1) / J]. Element names say
 * which rows each joint reads. ANIMAT_ERROR when the file has no muscle
 * cells on both sides of some joint. Phase: create. */
static int32_t nml_muscles(nml_circuit *c, const char *path) {
    const nml_net *net = &c->net;
    uint32_t J = c->joints;
    c->m_joint = malloc(net->n * sizeof *c->m_joint);
    c->m_side = calloc(net->n, sizeof *c->m_side);
    c->m_count = calloc(2u * J, sizeof *c->m_count);
    c->joint_text = calloc(J, sizeof *c->joint_text);
    c->joint_names = calloc(J, sizeof *c->joint_names);
    if (!c->m_joint || !c->m_side || !c->m_count || !c->joint_text || !c->joint_names) {
        c->h->error(c->h, "out of memory");
        return ANIMAT_ERROR;
    }
    for (uint32_t i = 0; i < net->n; i++) {
        uint32_t row = 0;
        int side = nml_muscle(net->names[i], &row);
        c->m_joint[i] = side ? (row - 1u) * J / NML_MUSCLE_ROWS : UINT32_MAX;
        c->m_side[i] = (int8_t)side;
        if (side) c->m_count[2u * c->m_joint[i] + (side > 0 ? 0u : 1u)] += 1.0;
    }
    for (uint32_t j = 0; j < J; j++) {
        uint32_t lo = (NML_MUSCLE_ROWS * j + J - 1u) / J + 1u, hi = (NML_MUSCLE_ROWS * (j + 1u) + J - 1u) / J;
        snprintf(c->joint_text[j], sizeof c->joint_text[j], "j%u.rows%02u_%02u", j, lo, hi);
        c->joint_names[j] = c->joint_text[j];
        if (c->m_count[2u * j] == 0 || c->m_count[2u * j + 1u] == 0) {
            c->h->error(c->h, "%s: joints: %u needs dorsal and ventral muscle cells (MDL/MDR, MVL/MVR rows %u-%u) "
                              "for joint %u; this network has none there (use joints: 0, or a c302 *_Full network)",
                        path, J, lo, hi, j);
            return ANIMAT_ERROR;
        }
    }
    return ANIMAT_OK;
}

/* Lower-case element names of out.rates (NULL names when some cell name
 * has characters a port element name may not). Phase: create. */
static int32_t nml_rate_names(nml_circuit *c) {
    uint32_t n = c->net.n;
    c->rate_text = calloc(n, CU_NAME_LEN);
    c->rate_names = calloc(n, sizeof *c->rate_names);
    if (!c->rate_text || !c->rate_names) return ANIMAT_ERROR;
    for (uint32_t i = 0; i < n; i++) {
        char *t = c->rate_text + (size_t)i * CU_NAME_LEN;
        snprintf(t, CU_NAME_LEN, "%s", c->net.names[i]);
        for (char *p = t; *p; p++) {
            if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
            if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("_.[]", *p))) {
                free(c->rate_names);
                c->rate_names = NULL;
                return ANIMAT_OK;
            }
        }
        c->rate_names[i] = t;
    }
    return ANIMAT_OK;
}

/* Ports: out.rates (n), and out.muscles (joints) when joints > 0. */
static int32_t nml_ports(nml_circuit *c) {
    c->out[0] = ANIMAT_PORT_INFO("rates", c->net.n, "Hz",
                                 "Each cell's spike rate (exponential filter of its spike output, tau_rate).");
    c->out[1] = ANIMAT_PORT_INFO("muscles", c->joints, "",
                                 "Per joint tanh(gain x (mean dorsal - mean ventral muscle-cell rate)), c302 rows "
                                 "split head to tail.");
    c->vals[0] = (animat_port_values){.struct_size = sizeof(animat_port_values), .lower = 0, .upper = INFINITY,
                                      .names = c->rate_names};
    c->vals[1] = (animat_port_values){.struct_size = sizeof(animat_port_values), .lower = -1, .upper = 1,
                                      .names = c->joint_names};
    return ANIMAT_OK;
}

/* Build an instance: load the file, map muscles, allocate the sim. NULL
 * after h->error. Phase: create. */
static void *nml_create(const animat_host *h) {
    nml_circuit *c = animat_alloc_array(h, 1, sizeof *c);
    if (!c) return NULL;
    c->h = h;
    static const char *const names[] = {"substep", "max_substeps", "tau_rate", "joints", "gain"};
    double v[5];
    double *const outs[] = {&v[0], &v[1], &v[2], &v[3], &v[4]};
    char path[ANIMAT_PARAM_PATH_MAX], err[640];
    if (animat_param_reals(h, names, outs, ANIMAT_COUNT(names)) != ANIMAT_OK) goto fail;
    c->h_sub = v[0];
    c->max_sub = (uint32_t)v[1];
    c->tau_rate = v[2];
    c->joints = (uint32_t)v[3];
    c->gain = v[4];
    if (nml_path(h, path, sizeof path) != ANIMAT_OK) goto fail;
    if (nml_load(path, &c->net, err, sizeof err)) {
        h->error(h, "%s", err);
        goto fail;
    }
    if (c->joints && nml_muscles(c, path) != ANIMAT_OK) goto fail;
    if (nml_rate_names(c) != ANIMAT_OK || cu_alloc(h, &c->units, c->net.n) != ANIMAT_OK ||
        nml_sim_alloc(&c->sim, &c->net, c->h_sub, c->max_sub)) {
        h->error(h, "%s: out of memory for %u cells", path, c->net.n);
        goto fail;
    }
    for (uint32_t i = 0; i < c->net.n; i++) cu_name(&c->units, i, "%s", c->net.names[i]);
    nml_ports(c);
    return c;
fail:
    nml_destroy(c);
    return NULL;
}

static const animat_port_info *nml_port_list(void *self, uint32_t dir, uint32_t *n) {
    nml_circuit *c = self;
    return animat_ports_pick(dir, NULL, 0, c->out, c->joints ? 2u : 1u, n);
}

static const animat_param_info *nml_theta_info(void *self, uint32_t *n) {
    (void)self;
    *n = 0;
    return NULL;
}

/* No theta: get/set accept only n = 0. */
static int32_t nml_get_theta(void *self, double *theta, uint32_t n) {
    (void)theta;
    nml_circuit *c = self;
    if (n == 0) return ANIMAT_OK;
    c->h->error(c->h, "get_theta: expected 0 values, got %u", n);
    return ANIMAT_ERROR;
}

static int32_t nml_set_theta(void *self, const double *theta, uint32_t n) {
    (void)theta;
    nml_circuit *c = self;
    if (n == 0) return ANIMAT_OK;
    c->h->error(c->h, "set_theta: expected 0 values, got %u", n);
    return ANIMAT_ERROR;
}

/* New episode: each cell at its start state, overrides cleared. */
static int32_t nml_reset(void *self, uint64_t seed) {
    (void)seed;
    nml_circuit *c = self;
    nml_sim_reset(&c->sim);
    cu_clear(&c->units);
    c->last_nsub = 0;
    return ANIMAT_OK;
}

/* out.muscles from the rates. No allocation. */
static void nml_muscle_out(const nml_circuit *c, double *out) {
    for (uint32_t j = 0; j < c->joints; j++) out[j] = 0.0;
    for (uint32_t i = 0; i < c->net.n; i++)
        if (c->m_side[i]) {
            uint32_t j = c->m_joint[i];
            out[j] += c->m_side[i] * c->sim.rate[i] / c->m_count[2u * j + (c->m_side[i] > 0 ? 0u : 1u)];
        }
    for (uint32_t j = 0; j < c->joints; j++) out[j] = tanh(c->gain * out[j]);
}

/* One control step: ceil(dt / substep) equal substeps. No allocation. */
static int32_t nml_step(void *self, const double *const *in, double *const *out, double dt) {
    (void)in;
    nml_circuit *c = self;
    double k = ceil(dt / c->h_sub - 1e-9);
    if (!(k >= 1) || k > c->max_sub) {
        c->h->error(c->h, "neuroml: a control step of %g s needs %.0f substeps of %g s; max_substeps is %u", dt, k,
                    c->h_sub, c->max_sub);
        return ANIMAT_ERROR;
    }
    uint32_t nsub = (uint32_t)k;
    double hs = dt / nsub;
    int st = nml_sim_run(&c->sim, nsub, hs, c->units.n_active ? &c->units : NULL, exp(-hs / c->tau_rate),
                         1.0 / c->tau_rate);
    if (st) {
        c->h->error(c->h, "neuroml: GSL rk2 step failed (%s)", gsl_strerror(st));
        return ANIMAT_ERROR;
    }
    c->last_nsub = nsub;
    memcpy(out[0], c->sim.rate, c->net.n * sizeof(double));
    if (c->joints) nml_muscle_out(c, out[1]);
    return ANIMAT_OK;
}

/* "animat.units/1": one unit per cell, named as in the file. */
static const char *const *nml_unit_names(void *self, uint32_t *n) {
    nml_circuit *c = self;
    *n = c->units.n;
    return c->units.names;
}

/* Unit i: its spike output per substep, averaged over the last control
 * step (spikes / substeps; 0 after reset). */
static int32_t nml_unit_get(void *self, uint32_t i, double *value) {
    nml_circuit *c = self;
    if (i >= c->net.n || !value) return ANIMAT_ERROR;
    *value = c->last_nsub ? c->sim.count[i] / c->last_nsub : 0.0;
    return ANIMAT_OK;
}

/* Override cell i's spike output per substep (what its synapses transmit
 * and its rate counts; the membrane and gap junctions are untouched). */
static int32_t nml_unit_override(void *self, uint32_t i, uint32_t mode, double value) {
    nml_circuit *c = self;
    if (cu_override(&c->units, i, mode, value) == ANIMAT_OK) return ANIMAT_OK;
    c->h->error(c->h, "units: bad override (unit %u of %u, mode %u, value %g)", i, c->net.n, mode, value);
    return ANIMAT_ERROR;
}

static const animat_units_ext nml_units = {
    .struct_size = sizeof(animat_units_ext),
    .names = nml_unit_names,
    .get = nml_unit_get,
    .override = nml_unit_override,
};

/* "animat.spikes/1": the last step's spikes (nml_dyn.c fills them). */
static uint32_t nml_spike_cap(void *self) { return ((nml_circuit *)self)->sim.ev_cap; }

static const animat_spike_event *nml_spike_events(void *self, uint32_t *n) {
    nml_circuit *c = self;
    *n = c->sim.n_ev;
    return c->sim.n_ev ? c->sim.ev : NULL;
}

static const animat_spikes_ext nml_spikes = {
    .struct_size = sizeof(animat_spikes_ext), .capacity = nml_spike_cap, .events = nml_spike_events};

/* "animat.state/1": the ODE state, time, refractory ends, pending
 * deliveries, counts and rates. The last step's spike events are not state
 * (they describe a step already taken): a load leaves none. */
static uint32_t nml_state_regions(nml_circuit *c, cs_region *r) {
    nml_sim *s = &c->sim;
    uint32_t k = 0;
    cs_add(r, &k, s->y, s->n_y * sizeof(double));
    cs_add(r, &k, &s->t, sizeof s->t);
    cs_add(r, &k, s->refr_until, s->n * sizeof(double));
    cs_add(r, &k, s->ring, (size_t)s->ring_len * (s->n_ch + 1u) * sizeof(double));
    cs_add(r, &k, &s->ring_pos, sizeof s->ring_pos);
    cs_add(r, &k, s->count, s->n * sizeof(double));
    cs_add(r, &k, s->rate, s->n * sizeof(double));
    cs_add(r, &k, &c->last_nsub, sizeof c->last_nsub);
    return k;
}

static uint64_t nml_state_size(void *self) {
    cs_region r[CS_MAX_REGIONS];
    return cs_size(r, nml_state_regions(self, r));
}

static int32_t nml_state_save(void *self, void *buf, uint64_t size) {
    cs_region r[CS_MAX_REGIONS];
    uint32_t k = nml_state_regions(self, r);
    return cs_save(((nml_circuit *)self)->h, r, k, buf, size);
}

static int32_t nml_state_load(void *self, const void *buf, uint64_t size) {
    nml_circuit *c = self;
    cs_region r[CS_MAX_REGIONS];
    uint32_t k = nml_state_regions(c, r);
    uint32_t ring_pos = c->sim.ring_pos;
    if (cs_load(c->h, r, k, buf, size) != ANIMAT_OK) return ANIMAT_ERROR;
    if (c->sim.ring_pos >= c->sim.ring_len) {
        c->sim.ring_pos = ring_pos;
        c->h->error(c->h, "neuroml: state: ring position out of range");
        return ANIMAT_ERROR;
    }
    c->sim.n_ev = 0;
    return ANIMAT_OK;
}

static const animat_state_ext nml_state = {sizeof(animat_state_ext), 0, nml_state_size, nml_state_save,
                                          nml_state_load};

/* "animat.ports/1": rates in [0, inf) Hz named after the cells, muscles in [-1, 1]. */
static const animat_port_values *nml_values(void *self, uint32_t dir, uint32_t i) {
    nml_circuit *c = self;
    return dir == ANIMAT_PORT_OUT && i < (c->joints ? 2u : 1u) ? &c->vals[i] : NULL;
}

static const animat_ports_ext nml_ports_ext = {.struct_size = sizeof(animat_ports_ext), .values = nml_values};

/* Capabilities: units, spikes, state, ports; anything else NULL. Any phase. */
static const void *nml_extension(void *self, const char *id) {
    (void)self;
    if (!id) return NULL;
    if (!strcmp(id, ANIMAT_EXT_UNITS)) return &nml_units;
    if (!strcmp(id, ANIMAT_EXT_SPIKES)) return &nml_spikes;
    if (!strcmp(id, ANIMAT_EXT_STATE)) return &nml_state;
    return strcmp(id, ANIMAT_EXT_PORTS) == 0 ? &nml_ports_ext : NULL;
}

static const animat_circuit_api nml_api = {
    .struct_size = sizeof(animat_circuit_api),
    .create = nml_create,
    .destroy = nml_destroy,
    .ports = nml_port_list,
    .theta_info = nml_theta_info,
    .get_theta = nml_get_theta,
    .set_theta = nml_set_theta,
    .reset = nml_reset,
    .step = nml_step,
    .extension = nml_extension,
};

static const animat_plugin_desc nml_desc =
    ANIMAT_DESC_ID(ANIMAT_KIND_CIRCUIT, "org.animat.neuroml", "neuroml", "1.0.0",
                   "NeuroML2 network (c302 levels A/B: iaf/izhikevich cells, exp/gap/graded synapses, pulse inputs)",
                   nml_params, &nml_api);

static const animat_plugin_desc *const nml_plugins[] = {&nml_desc};

/* Process-wide set-up: GSL's error handler off (a failure comes back as a
 * status) and libxml2 initialised once. Main thread, once. */
static int32_t nml_init(char *why, uint32_t cap) {
    (void)why;
    (void)cap;
    gsl_set_error_handler_off();
    xmlInitParser();
    return ANIMAT_OK;
}

ANIMAT_EXPORT const animat_plugin_entry animat_entry = ANIMAT_ENTRY_INIT(nml_plugins, nml_init, NULL);
