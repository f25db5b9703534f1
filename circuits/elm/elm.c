/* elm.c -- the ELM neuron (Expressive Leaky Memory, Spieler et al. 2023) as
 * an animat circuit plugin: memory units with learnable timescales and a
 * small MLP integrating the input with the memory (elm_math.h).
 *
 * Plugin glue only: parameters, create/destroy, ports, theta, reset, step,
 * "animat.ports/1" (outputs in [-1, 1]) and "animat.state/1" (synaptic
 * traces and memory). One instance per thread at a time; nothing global but
 * const tables.
 */
#include <animat/animat.h>
#include <animat/helpers.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cstate.h"
#include "elm_math.h"

#define ELM_IO_MAX 100000.0
#define ELM_WIDTH_MAX 4096.0

/* One instance. Everything is allocated in create with h->alloc. */
typedef struct elm_circuit {
    const animat_host *h;      /* host table, valid until destroy */
    elm_dims d;
    elm_layout l;
    double *theta;             /* l.n entries */
    animat_param_info *info;   /* l.n entries */
    double *s, *m, *hid;       /* traces (n_in), memory (n_mem), hidden (n_hidden) */
    animat_port_info in_port;  /* "x" */
    animat_port_info out_port; /* "y" */
} elm_circuit;

static const animat_param_info elm_params[] = {
    ANIMAT_P_INT("n_mem", "", 4, 1, ELM_WIDTH_MAX, "Memory units, each with its own learnable timescale."),
    ANIMAT_P_INT("hidden", "", 8, 1, ELM_WIDTH_MAX, "Width of the tanh MLP that integrates input and memory."),
    ANIMAT_P_INT("n_in", "", 0, 0, ELM_IO_MAX, "Inputs; 0 takes the size of the port wired to in.x."),
    ANIMAT_P_INT("n_out", "", 0, 0, ELM_IO_MAX, "Outputs; 0 takes the size of the port wired from out.y."),
    ANIMAT_P_REAL("tau_min", "s", 0.01, 1e-4, 1e4, "Lower bound of every learnable timescale (theta tau_s, tau_m)."),
    ANIMAT_P_REAL("tau_max", "s", 100, 1e-4, 1e6, "Upper bound of every learnable timescale."),
};

static void elm_destroy(void *self) {
    elm_circuit *c = self;
    if (!c) return;
    const animat_host *h = c->h;
    h->free(h, c->theta);
    h->free(h, c->info);
    h->free(h, c->s);
    h->free(h, c->m);
    h->free(h, c->hid);
    h->free(h, c);
}

/* An integer parameter, or from the wiring when 0; 0 after h->error. */
static uint32_t elm_size(const animat_host *h, const char *name, uint32_t dir, const char *port) {
    double v = 0;
    if (h->param_real(h, name, &v) != ANIMAT_OK || !(v >= 0 && v <= ELM_IO_MAX) || v != floor(v)) {
        h->error(h, "%s must be an integer in [0, 100000]", name);
        return 0;
    }
    uint32_t n = v > 0 ? (uint32_t)v : (port ? h->wired_size(h, dir, port) : 0);
    if (!n) h->error(h, port ? "%s is 0 and %s.%s is not wired; set %s" : "%s must be at least 1", name,
                     dir == ANIMAT_PORT_IN ? "in" : "out", port ? port : "", name);
    return n;
}

/* Theta records: each block named, timescales bounded. */
static void elm_fill_info(elm_circuit *c, double lo, double hi) {
    static const char *const names[] = {"tau_s", "tau_m", "w1", "b1", "w2", "b2", "wy", "by"};
    static const char *const docs[] = {
        "Timescale of an input's leaky synaptic trace.", "Timescale of a memory unit (learnable, bounded).",
        "Weight of the integrating MLP's hidden layer (row-major, hidden x (inputs + memory)).",
        "Bias of the integrating MLP's hidden layer.", "Weight from the MLP's hidden layer to a memory update.",
        "Bias of a memory update.", "Readout weight from memory to an output.", "Readout bias of an output."};
    const uint32_t start[] = {c->l.tau_s, c->l.tau_m, c->l.w1, c->l.b1, c->l.w2, c->l.b2, c->l.wy, c->l.by, c->l.n};
    for (uint32_t b = 0; b < 8; b++)
        for (uint32_t k = start[b]; k < start[b + 1]; k++)
            c->info[k] = (animat_param_info){.struct_size = sizeof(animat_param_info), .type = ANIMAT_PARAM_REAL,
                                             .name = names[b], .unit = b < 2 ? "s" : "", .min = b < 2 ? lo : -INFINITY,
                                             .max = b < 2 ? hi : INFINITY, .doc = docs[b]};
}

/* Initial theta: synapses at 2 tau_min, memory timescales spread
 * geometrically over [0.1, 10] s (cut to the bounds), weights U(+-1/sqrt(fan
 * in)) from the host's stream in theta order, biases 0. */
static void elm_init_theta(elm_circuit *c, double lo, double hi) {
    const elm_dims *d = &c->d;
    for (uint32_t i = 0; i < d->n_in; i++) c->theta[c->l.tau_s + i] = fmin(2 * lo, hi);
    for (uint32_t i = 0; i < d->n_mem; i++) {
        double t = d->n_mem > 1 ? 0.1 * pow(100.0, (double)i / (d->n_mem - 1)) : 1.0;
        c->theta[c->l.tau_m + i] = fmin(fmax(t, lo), hi);
    }
    double b1 = 1 / sqrt((double)(d->n_in + d->n_mem)), b2 = 1 / sqrt((double)d->n_hidden),
           by = 1 / sqrt((double)d->n_mem);
    for (uint32_t k = c->l.w1; k < c->l.b1; k++) c->theta[k] = (2 * c->h->rng_uniform(c->h) - 1) * b1;
    for (uint32_t k = c->l.w2; k < c->l.b2; k++) c->theta[k] = (2 * c->h->rng_uniform(c->h) - 1) * b2;
    for (uint32_t k = c->l.wy; k < c->l.by; k++) c->theta[k] = (2 * c->h->rng_uniform(c->h) - 1) * by;
}

static void *elm_create(const animat_host *h) {
    elm_circuit *c = h->alloc(h, sizeof *c);
    if (!c) {
        h->error(h, "out of memory");
        return NULL;
    }
    c->h = h;
    double lo = 0, hi = 0;
    c->d.n_mem = elm_size(h, "n_mem", ANIMAT_PORT_IN, NULL);
    c->d.n_hidden = c->d.n_mem ? elm_size(h, "hidden", ANIMAT_PORT_IN, NULL) : 0;
    c->d.n_in = c->d.n_hidden ? elm_size(h, "n_in", ANIMAT_PORT_IN, "x") : 0;
    c->d.n_out = c->d.n_in ? elm_size(h, "n_out", ANIMAT_PORT_OUT, "y") : 0;
    if (!c->d.n_out) goto fail;
    if (h->param_real(h, "tau_min", &lo) != ANIMAT_OK || h->param_real(h, "tau_max", &hi) != ANIMAT_OK ||
        !(lo > 0 && lo < hi)) {
        h->error(h, "tau_min must be > 0 and below tau_max (got %g and %g)", lo, hi);
        goto fail;
    }
    c->l = elm_layout_of(&c->d);
    c->theta = animat_alloc_array(h, c->l.n, sizeof(double));
    c->info = animat_alloc_array(h, c->l.n, sizeof(animat_param_info));
    c->s = animat_alloc_array(h, c->d.n_in, sizeof(double));
    c->m = animat_alloc_array(h, c->d.n_mem, sizeof(double));
    c->hid = animat_alloc_array(h, c->d.n_hidden, sizeof(double));
    if (!c->theta || !c->info || !c->s || !c->m || !c->hid) {
        h->error(h, "out of memory");
        goto fail;
    }
    elm_fill_info(c, lo, hi);
    elm_init_theta(c, lo, hi);
    c->in_port = ANIMAT_PORT_INFO("x", c->d.n_in, "", "Inputs, integrated by leaky synapses.");
    c->out_port = ANIMAT_PORT_INFO("y", c->d.n_out, "", "Outputs in [-1, 1]: tanh readout of the memory.");
    return c;
fail:
    elm_destroy(c);
    return NULL;
}

static const animat_port_info *elm_ports(void *self, uint32_t dir, uint32_t *n) {
    elm_circuit *c = self;
    return animat_ports_pick(dir, &c->in_port, 1, &c->out_port, 1, n);
}

static const animat_param_info *elm_theta_info(void *self, uint32_t *n) {
    elm_circuit *c = self;
    *n = c->l.n;
    return c->info;
}

static int32_t elm_get_theta(void *self, double *theta, uint32_t n) {
    elm_circuit *c = self;
    return animat_theta_get(c->h, c->theta, c->l.n, theta, n);
}

/* Replace theta; a timescale outside its bounds is refused (the host
 * projects learner proposals; this guards the division in exp(-dt/tau)). */
static int32_t elm_set_theta(void *self, const double *theta, uint32_t n) {
    elm_circuit *c = self;
    for (uint32_t k = c->l.tau_s; k < c->l.w1 && k < n; k++)
        if (!(theta[k] >= c->info[k].min && theta[k] <= c->info[k].max)) {
            c->h->error(c->h, "theta entry %u (%s) = %g is outside [%g, %g] s", k, c->info[k].name, theta[k],
                        c->info[k].min, c->info[k].max);
            return ANIMAT_ERROR;
        }
    return animat_theta_set(c->h, c->theta, c->l.n, theta, n);
}

/* New episode: traces and memory at 0. */
static int32_t elm_reset(void *self, uint64_t seed) {
    (void)seed;
    elm_circuit *c = self;
    memset(c->s, 0, c->d.n_in * sizeof(double));
    memset(c->m, 0, c->d.n_mem * sizeof(double));
    memset(c->hid, 0, c->d.n_hidden * sizeof(double));
    return ANIMAT_OK;
}

/* One step of dt seconds (elm_math.h). No allocation. */
static int32_t elm_step_api(void *self, const double *const *in, double *const *out, double dt) {
    elm_circuit *c = self;
    elm_step(&c->d, c->theta, dt, in[0], c->s, c->m, c->hid, out[0]);
    return ANIMAT_OK;
}

/* "animat.state/1": traces and memory (the hidden layer is recomputed). */
static uint32_t elm_regions(elm_circuit *c, cs_region *r) {
    uint32_t k = 0;
    cs_add(r, &k, c->s, c->d.n_in * sizeof(double));
    cs_add(r, &k, c->m, c->d.n_mem * sizeof(double));
    return k;
}

static uint64_t elm_state_size(void *self) {
    cs_region r[CS_MAX_REGIONS];
    return cs_size(r, elm_regions(self, r));
}

static int32_t elm_state_save(void *self, void *buf, uint64_t size) {
    cs_region r[CS_MAX_REGIONS];
    uint32_t k = elm_regions(self, r);
    return cs_save(((elm_circuit *)self)->h, r, k, buf, size);
}

static int32_t elm_state_load(void *self, const void *buf, uint64_t size) {
    cs_region r[CS_MAX_REGIONS];
    uint32_t k = elm_regions(self, r);
    return cs_load(((elm_circuit *)self)->h, r, k, buf, size);
}

static const animat_state_ext elm_state = {sizeof(animat_state_ext), 0, elm_state_size, elm_state_save,
                                            elm_state_load};

static const animat_port_values elm_out_values = {.struct_size = sizeof(animat_port_values), .lower = -1, .upper = 1};
static const animat_port_values *elm_values(void *self, uint32_t dir, uint32_t i) {
    (void)self, (void)i;
    return dir == ANIMAT_PORT_OUT ? &elm_out_values : NULL;
}
static const animat_ports_ext elm_ports_ext = {.struct_size = sizeof(animat_ports_ext), .values = elm_values};

static const void *elm_extension(void *self, const char *id) {
    (void)self;
    if (id && strcmp(id, ANIMAT_EXT_STATE) == 0) return &elm_state;
    if (id && strcmp(id, ANIMAT_EXT_PORTS) == 0) return &elm_ports_ext;
    return NULL;
}

static const animat_circuit_api elm_api = {
    .struct_size = sizeof(animat_circuit_api),
    .create = elm_create,
    .destroy = elm_destroy,
    .ports = elm_ports,
    .theta_info = elm_theta_info,
    .get_theta = elm_get_theta,
    .set_theta = elm_set_theta,
    .reset = elm_reset,
    .step = elm_step_api,
    .extension = elm_extension,
};

static const animat_plugin_desc elm_desc =
    ANIMAT_DESC_ID(ANIMAT_KIND_CIRCUIT, "org.animat.elm", "elm", "1.0.0",
                   "ELM neuron: memory units with learnable timescales and an MLP integrating input and memory",
                   elm_params, &elm_api);

static const animat_plugin_desc *const elm_plugins[] = {&elm_desc};

/* The only exported symbol. */
ANIMAT_EXPORT const animat_plugin_entry animat_entry = ANIMAT_ENTRY(elm_plugins);
