/* mlp.c -- multilayer perceptron baseline circuit (NCAP's MLP baseline) as
 * an animat circuit plugin.
 *
 * Plugin glue only (descriptor, create/destroy, ports, theta, reset, step,
 * the "animat.units/1" extension);
 * the maths lives in mlp_math.c. One instance is used by one thread at a
 * time (animat/circuit.h); nothing here is global except const tables.
 */
#include <animat/animat.h>
#include <animat/helpers.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cstate.h"
#include "cunits.h"
#include "mlp_math.h"

/* Longest theta name, "l<index>.w" plus NUL. */
#define MLP_NAME_LEN 16u
/* Bounds of a hidden width and of n_in / n_out. */
#define MLP_HIDDEN_MAX 4096.0
#define MLP_IO_MAX 100000.0

/* One circuit instance. Everything is allocated in create with h->alloc and
 * released in destroy; step touches only preallocated memory. */
typedef struct mlp_circuit {
    const animat_host *h;    /* host table, valid until destroy returns */
    uint32_t n_layers;       /* number of weight layers (hidden count + 1) */
    uint32_t *sizes;         /* n_layers + 1 widths: inputs, hidden..., outputs */
    uint32_t n_theta;        /* length of theta */
    double *theta;           /* weights and biases, layout in mlp_math.h */
    double *scratch;         /* hidden activations, or NULL without hidden layers */
    animat_param_info *info; /* theta metadata, n_theta */
    char *names;             /* "l<k>.w" and "l<k>.b", MLP_NAME_LEN each */
    double *last_out;        /* the outputs of the last step (units); 0 after reset */
    cu_units units;          /* "animat.units/1": every hidden and output element */
    animat_port_info in_port;  /* "obs" */
    animat_port_info out_port; /* "act" */
} mlp_circuit;

/* Configuration parameters, validated by the host before create. */
static const animat_param_info mlp_params[] = {
    ANIMAT_P_REAL_LIST("hidden", "", "64,64", 1, MLP_HIDDEN_MAX,
                       "Widths of the tanh hidden layers, input side first (integers)."),
    ANIMAT_P_INT("n_in", "", 0, 0, MLP_IO_MAX, "Number of inputs; 0 takes the size of the port wired to in.obs."),
    ANIMAT_P_INT("n_out", "", 0, 0, MLP_IO_MAX,
                 "Number of outputs; 0 takes the size of the port wired from out.act."),
    ANIMAT_P_CHOICE("init", "uniform|zeros", 0,
                    "Initial theta: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) as PyTorch's nn.Linear, or zeros."),
};

/* Destroy an instance: frees every buffer create allocated, then the
 * instance. NULL is a no-op. Phase: destroy; the instance's thread. */
static void mlp_destroy(void *self) {
    mlp_circuit *c = self;
    if (!c) return;
    const animat_host *h = c->h;
    h->free(h, c->sizes);
    h->free(h, c->theta);
    h->free(h, c->scratch);
    h->free(h, c->info);
    h->free(h, c->names);
    h->free(h, c->last_out);
    cu_free(h, &c->units);
    h->free(h, c);
}

/* Resolve an input/output size: the parameter `pname` if > 0, else the size
 * wired to port `port` in `dir`. Returns 0 after h->error when neither gives
 * a size. Phase: create. */
static uint32_t mlp_io_size(const animat_host *h, const char *pname, uint32_t dir,
                            const char *port) {
    double v;
    if (h->param_real(h, pname, &v) != ANIMAT_OK) {
        h->error(h, "cannot read parameter %s", pname);
        return 0;
    }
    if (!(v >= 0.0 && v <= MLP_IO_MAX) || v != floor(v)) {
        h->error(h, "%s must be an integer in [0, 100000], got %g", pname, v);
        return 0;
    }
    uint32_t n = v > 0.0 ? (uint32_t)v : h->wired_size(h, dir, port);
    if (n == 0)
        h->error(h, "%s is 0 and %s.%s is not wired; set %s", pname,
                 dir == ANIMAT_PORT_IN ? "in" : "out", port, pname);
    return n;
}

/* Read the layer widths into c->sizes / c->n_layers (allocated here).
 * Returns ANIMAT_ERROR after h->error. Phase: create. */
static int32_t mlp_configure(mlp_circuit *c, const animat_host *h) {
    const double *hid = NULL;
    uint32_t n_hid = 0;
    if (h->param_list(h, "hidden", &hid, &n_hid) != ANIMAT_OK) {
        h->error(h, "cannot read parameter hidden");
        return ANIMAT_ERROR;
    }
    /* every hidden width is an integer in range */
    for (uint32_t k = 0; k < n_hid; k++) {
        if (!(hid[k] >= 1.0 && hid[k] <= MLP_HIDDEN_MAX) || hid[k] != floor(hid[k])) {
            h->error(h, "hidden[%u] = %g: layer widths must be integers in [1, 4096]", k,
                     hid[k]);
            return ANIMAT_ERROR;
        }
    }
    uint32_t n_in = mlp_io_size(h, "n_in", ANIMAT_PORT_IN, "obs");
    if (n_in == 0) return ANIMAT_ERROR;
    uint32_t n_out = mlp_io_size(h, "n_out", ANIMAT_PORT_OUT, "act");
    if (n_out == 0) return ANIMAT_ERROR;
    /* sizes = inputs, hidden..., outputs */
    c->n_layers = n_hid + 1;
    c->sizes = h->alloc(h, sizeof(uint32_t) * (c->n_layers + 1));
    if (!c->sizes) {
        h->error(h, "out of memory");
        return ANIMAT_ERROR;
    }
    c->sizes[0] = n_in;
    for (uint32_t k = 0; k < n_hid; k++) c->sizes[k + 1] = (uint32_t)hid[k];
    c->sizes[c->n_layers] = n_out;
    return ANIMAT_OK;
}

/* Fill names and theta_info, one block of entries per weight matrix and per
 * bias vector; buffers already allocated. Phase: create. */
static void mlp_fill_info(mlp_circuit *c) {
    uint32_t k = 0;
    for (uint32_t l = 0; l < c->n_layers; l++) {
        char *wname = c->names + (size_t)2 * l * MLP_NAME_LEN;
        char *bname = wname + MLP_NAME_LEN;
        snprintf(wname, MLP_NAME_LEN, "l%u.w", l);
        snprintf(bname, MLP_NAME_LEN, "l%u.b", l);
        uint32_t nw = c->sizes[l] * c->sizes[l + 1], nb = c->sizes[l + 1];
        for (uint32_t e = 0; e < nw + nb; e++, k++)
            c->info[k] = (animat_param_info){
                .struct_size = sizeof(animat_param_info),
                .type = ANIMAT_PARAM_REAL,
                .name = e < nw ? wname : bname,
                .unit = "",
                .min = -INFINITY,
                .max = INFINITY,
                .doc = e < nw ? "Weight of a dense tanh layer (row-major, out x in)."
                              : "Bias of a dense tanh layer.",
            };
    }
}

/* Units: "l<k>[j]" for element j of layer k's output (the hidden layers,
 * then the outputs as the last layer), plus the buffer that keeps the last
 * outputs. ANIMAT_ERROR after h->error. Phase: create. */
static int32_t mlp_make_units(mlp_circuit *c, const animat_host *h, uint32_t n_hidden) {
    uint32_t n_out = c->sizes[c->n_layers];
    c->last_out = animat_alloc_array(h, n_out, sizeof(double));
    if (!c->last_out || cu_alloc(h, &c->units, n_hidden + n_out) != ANIMAT_OK) return ANIMAT_ERROR;
    uint32_t k = 0;
    for (uint32_t l = 0; l < c->n_layers; l++)
        for (uint32_t j = 0; j < c->sizes[l + 1]; j++) cu_name(&c->units, k++, "l%u[%u]", l, j);
    return ANIMAT_OK;
}

/* Build an instance from the host's parameters (see mlp_params); "uniform"
 * init draws every entry from h->rng_uniform in theta order. Returns NULL
 * after h->error on a bad configuration or out of memory. The instance owns
 * everything it allocates. Phase: create. */
static void *mlp_create(const animat_host *h) {
    mlp_circuit *c = h->alloc(h, sizeof *c);
    const char *init = NULL;
    if (!c) {
        h->error(h, "out of memory");
        return NULL;
    }
    c->h = h;
    if (mlp_configure(c, h) != ANIMAT_OK) goto fail;
    if (h->param_choice(h, "init", &init) != ANIMAT_OK || !init ||
        (strcmp(init, "uniform") != 0 && strcmp(init, "zeros") != 0)) {
        h->error(h, "init must be uniform or zeros");
        goto fail;
    }
    /* buffers */
    uint64_t n_theta = mlp_theta_count(c->n_layers, c->sizes);
    if (n_theta > UINT32_MAX / sizeof(animat_param_info)) {
        h->error(h, "network too large: %llu parameters", (unsigned long long)n_theta);
        goto fail;
    }
    c->n_theta = (uint32_t)n_theta;
    uint64_t n_scratch = mlp_scratch_count(c->n_layers, c->sizes);
    c->theta = h->alloc(h, sizeof(double) * c->n_theta);
    c->info = h->alloc(h, sizeof(animat_param_info) * c->n_theta);
    c->names = h->alloc(h, (size_t)2 * MLP_NAME_LEN * c->n_layers);
    if (n_scratch) c->scratch = h->alloc(h, sizeof(double) * n_scratch);
    if (!c->theta || !c->info || !c->names || (n_scratch && !c->scratch)) {
        h->error(h, "out of memory");
        goto fail;
    }
    mlp_fill_info(c);
    if (mlp_make_units(c, h, (uint32_t)n_scratch) != ANIMAT_OK) goto fail;
    /* initial theta: per layer, weights then biases, bound 1/sqrt(fan_in) */
    if (strcmp(init, "uniform") == 0) {
        double *p = c->theta;
        for (uint32_t l = 0; l < c->n_layers; l++) {
            double bound = 1.0 / sqrt((double)c->sizes[l]);
            uint32_t n = c->sizes[l + 1] * (c->sizes[l] + 1);
            for (uint32_t e = 0; e < n; e++) *p++ = (2.0 * h->rng_uniform(h) - 1.0) * bound;
        }
    }
    /* ports */
    c->in_port = ANIMAT_PORT_INFO("obs", c->sizes[0], "", "Observation vector fed to the first layer.");
    c->out_port = ANIMAT_PORT_INFO("act", c->sizes[c->n_layers], "", "Actions in [-1, 1] (tanh output layer).");
    return c;
fail:
    mlp_destroy(c);
    return NULL;
}

/* Ports of `dir`: one instance-owned port each way, valid until destroy.
 * Unknown dir gives NULL and *n = 0 (animat_ports_pick). Any phase after
 * create. */
static const animat_port_info *mlp_ports(void *self, uint32_t dir, uint32_t *n) {
    mlp_circuit *c = self;
    return animat_ports_pick(dir, &c->in_port, 1, &c->out_port, 1, n);
}

/* Theta metadata: instance-owned array of n_theta entries, valid until
 * destroy. Any phase after create. */
static const animat_param_info *mlp_theta_info(void *self, uint32_t *n) {
    mlp_circuit *c = self;
    *n = c->n_theta;
    return c->info;
}

/* Copy theta into the caller's buffer of n doubles; n must equal n_theta.
 * Not during step. */
static int32_t mlp_get_theta(void *self, double *theta, uint32_t n) {
    mlp_circuit *c = self;
    return animat_theta_get(c->h, c->theta, c->n_theta, theta, n);
}

/* Replace theta (copied); n must equal n_theta and every value must be
 * finite, otherwise nothing changes. Not during step. */
static int32_t mlp_set_theta(void *self, const double *theta, uint32_t n) {
    mlp_circuit *c = self;
    return animat_theta_set(c->h, c->theta, c->n_theta, theta, n);
}

/* New episode: the net is stateless; the units read 0 and every override
 * is cleared. Phase: reset. */
static int32_t mlp_reset(void *self, uint64_t seed) {
    (void)seed;
    mlp_circuit *c = self;
    uint64_t n_hidden = mlp_scratch_count(c->n_layers, c->sizes);
    if (n_hidden) memset(c->scratch, 0, sizeof(double) * n_hidden);
    memset(c->last_out, 0, sizeof(double) * c->sizes[c->n_layers]);
    cu_clear(&c->units);
    return ANIMAT_OK;
}

/* One control step: out[0] = net(in[0]) with unit overrides applied; dt
 * is not used. Keeps the outputs for the units extension. No allocation.
 * Phase: step. */
static int32_t mlp_step(void *self, const double *const *in, double *const *out, double dt) {
    (void)dt;
    mlp_circuit *c = self;
    mlp_forward_units(c->n_layers, c->sizes, c->theta, in[0], c->scratch, out[0],
                      c->units.n_active ? &c->units : NULL);
    memcpy(c->last_out, out[0], sizeof(double) * c->sizes[c->n_layers]);
    return ANIMAT_OK;
}

/* "animat.units/1" names: "l<k>[j]". Any phase after create. */
static const char *const *mlp_unit_names(void *self, uint32_t *n) {
    mlp_circuit *c = self;
    *n = c->units.n;
    return c->units.names;
}

/* Unit i's value in the last step: a hidden activation (scratch) or an
 * output (last_out); 0 after reset. Between steps. */
static int32_t mlp_unit_get(void *self, uint32_t i, double *value) {
    mlp_circuit *c = self;
    if (i >= c->units.n || !value) return ANIMAT_ERROR;
    uint32_t n_hidden = c->units.n - c->sizes[c->n_layers];
    *value = i < n_hidden ? c->scratch[i] : c->last_out[i - n_hidden];
    return ANIMAT_OK;
}

/* Override unit i where it is computed (see mlp_forward_units). */
static int32_t mlp_unit_override(void *self, uint32_t i, uint32_t mode, double value) {
    mlp_circuit *c = self;
    if (cu_override(&c->units, i, mode, value) == ANIMAT_OK) return ANIMAT_OK;
    c->h->error(c->h, "units: bad override (unit %u of %u, mode %u, value %g)", i, c->units.n, mode,
                value);
    return ANIMAT_ERROR;
}

static const animat_units_ext mlp_units = {
    .struct_size = sizeof(animat_units_ext),
    .names = mlp_unit_names,
    .get = mlp_unit_get,
    .override = mlp_unit_override,
};

/* "animat.state/1" (animat/state.h): the hidden activations and
 * outputs of the last step (what the units report). */
static uint32_t mlp_state_regions(mlp_circuit *c, cs_region *r) {
    uint32_t k = 0;
    uint64_t n_hidden = mlp_scratch_count(c->n_layers, c->sizes);
    if (n_hidden) cs_add(r, &k, c->scratch, sizeof(double) * n_hidden);
    cs_add(r, &k, c->last_out, sizeof(double) * c->sizes[c->n_layers]);
    return k;
}

static uint64_t mlp_state_size(void *self) {
    cs_region r[CS_MAX_REGIONS];
    return cs_size(r, mlp_state_regions(self, r));
}

static int32_t mlp_state_save(void *self, void *buf, uint64_t size) {
    cs_region r[CS_MAX_REGIONS];
    uint32_t k = mlp_state_regions(self, r);
    return cs_save(((mlp_circuit *)self)->h, r, k, buf, size);
}

static int32_t mlp_state_load(void *self, const void *buf, uint64_t size) {
    cs_region r[CS_MAX_REGIONS];
    uint32_t k = mlp_state_regions(self, r);
    return cs_load(((mlp_circuit *)self)->h, r, k, buf, size);
}

static const animat_state_ext mlp_state = {sizeof(animat_state_ext), 0, mlp_state_size, mlp_state_save,
                                            mlp_state_load};

/* "animat.ports/1": the tanh actions in [-1, 1]; inputs unbounded. */
static const animat_port_values mlp_out_values = {.struct_size = sizeof(animat_port_values), .lower = -1, .upper = 1};
static const animat_port_values *mlp_values(void *self, uint32_t dir, uint32_t i) {
    (void)self, (void)i;
    return dir == ANIMAT_PORT_OUT ? &mlp_out_values : NULL;
}
static const animat_ports_ext mlp_ports_ext = {.struct_size = sizeof(animat_ports_ext), .values = mlp_values};

/* Capabilities: ANIMAT_EXT_UNITS, ANIMAT_EXT_PORTS; anything else NULL. Any phase. */
static const void *mlp_extension(void *self, const char *id) {
    (void)self;
    if (id && strcmp(id, ANIMAT_EXT_STATE) == 0) return &mlp_state;
    if (id && strcmp(id, ANIMAT_EXT_PORTS) == 0) return &mlp_ports_ext;
    return id && strcmp(id, ANIMAT_EXT_UNITS) == 0 ? &mlp_units : NULL;
}

static const animat_circuit_api mlp_api = {
    .struct_size = sizeof(animat_circuit_api),
    .create = mlp_create,
    .destroy = mlp_destroy,
    .ports = mlp_ports,
    .theta_info = mlp_theta_info,
    .get_theta = mlp_get_theta,
    .set_theta = mlp_set_theta,
    .reset = mlp_reset,
    .step = mlp_step,
    .extension = mlp_extension,
};

static const animat_plugin_desc mlp_desc =
    ANIMAT_DESC_ID(ANIMAT_KIND_CIRCUIT, "org.animat.mlp", "mlp", "1.0.0",
                "Multilayer perceptron with tanh layers (NCAP's MLP baseline)", mlp_params, &mlp_api);

static const animat_plugin_desc *const mlp_plugins[] = {&mlp_desc};

/* The only exported symbol. */
ANIMAT_EXPORT const animat_plugin_entry animat_entry = ANIMAT_ENTRY(mlp_plugins);
