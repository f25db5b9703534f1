/* template_circuit.c -- a minimal, complete animat circuit plugin: y = gain * x.
 *
 * Copy this folder to start a plugin of your own (see sdk/README.md). It shows
 * everything the ABI asks of a circuit:
 *   - one exported symbol, `animat_entry`, carrying the ABI handshake;
 *   - a descriptor with configuration parameters ("gain", "size") that the
 *     host validates before create and prints in `animat plugins info`;
 *   - ports sized from the wiring (h->wired_size) or from a parameter;
 *   - a learnable parameter vector theta (one entry, the gain);
 *   - all memory from h->alloc in create, none in step; errors via h->error.
 *
 * Build out of tree with pkg-config (Makefile in this folder):
 *   make PKG_CONFIG_PATH=/path/to/animat/build/meson-uninstalled
 * Thread: the host calls one instance from one thread at a time; this file
 * has no mutable global state, so instances on different threads are safe.
 */
#include <animat/animat.h>
#include <animat/helpers.h>

#include <math.h>
#include <stddef.h>
#include <string.h>

/* Largest port this circuit accepts; a guard against absurd wiring. */
#define TPL_MAX_SIZE 4096u

/* One circuit instance. Allocated in create with h->alloc, freed in destroy;
 * step touches only this struct and the host's buffers. */
typedef struct tpl_circuit {
    const animat_host *h;      /* host table; valid until destroy returns */
    uint32_t n;                /* size of in.x and out.y */
    double gain;               /* theta[0] */
    uint64_t t;                /* steps since reset (state a reset clears) */
    animat_port_info in_port;  /* "x" */
    animat_port_info out_port; /* "y" */
} tpl_circuit;

/* Configuration parameters: static, owned by the plugin. The host checks
 * type and [min, max] before create, so create can rely on them. */
static const animat_param_info tpl_params[] = {
    ANIMAT_P_REAL("gain", "", 1.0, -100.0, 100.0,
                  "Initial gain: every output is gain times the matching input (theta[0])."),
    ANIMAT_P_INT("size", "", 0, 0, TPL_MAX_SIZE,
                 "Port size; 0 takes it from the wiring (in.x's source, else out.y's destination)."),
};

/* Metadata of theta: one entry, no sign constraint. */
static const animat_param_info tpl_theta_info_table[] = {
    ANIMAT_THETA("gain", "", 1.0, -100.0, 100.0, 0, "Gain applied to every input (the host keeps it in [-100, 100])."),
};

/* Free the instance. NULL is a no-op. Memory came from h->alloc, so it goes
 * back through h->free. Phase: destroy; the instance's thread. */
static void tpl_destroy(void *self) {
    tpl_circuit *c = self;
    if (!c) return;
    c->h->free(c->h, c);
}

/* Build an instance: read "gain" and "size" through the host, size the ports
 * (explicit size, else the wiring), and keep `h` for later calls. Returns the
 * instance (owned by the caller until destroy), or NULL after h->error() when
 * memory is short or the size cannot be known. Phase: create; main thread. */
static void *tpl_create(const animat_host *h) {
    tpl_circuit *c = h->alloc(h, sizeof *c);
    if (!c) {
        h->error(h, "out of memory");
        return NULL;
    }
    c->h = h;

    /* parameters (already validated against tpl_params by the host) */
    double gain = 0.0, size = 0.0;
    if (h->param_real(h, "gain", &gain) != ANIMAT_OK ||
        h->param_real(h, "size", &size) != ANIMAT_OK) {
        h->error(h, "cannot read parameters gain/size");
        tpl_destroy(c);
        return NULL;
    }
    c->gain = gain;

    /* port size: explicit, else whatever feeds in.x, else what out.y feeds */
    uint32_t n = (uint32_t)size;
    if (n == 0) n = h->wired_size(h, ANIMAT_PORT_IN, "x");
    if (n == 0) n = h->wired_size(h, ANIMAT_PORT_OUT, "y");
    if (n == 0 || n > TPL_MAX_SIZE) {
        h->error(h, "cannot size ports: set params.size or wire circuit.in.x (got %u)", n);
        tpl_destroy(c);
        return NULL;
    }
    c->n = n;

    /* ports: instance-owned records, valid until destroy */
    c->in_port = ANIMAT_PORT_INFO("x", n, "", "Input vector.");
    c->out_port = ANIMAT_PORT_INFO("y", n, "", "Output vector: y_i = gain * x_i.");
    return c;
}

/* Ports in direction `dir`: one each way, instance-owned, valid until
 * destroy; *n gets the count (0 and NULL for an unknown dir). `n` must not be
 * NULL. Any phase after create; the instance's thread. */
static const animat_port_info *tpl_ports(void *self, uint32_t dir, uint32_t *n) {
    tpl_circuit *c = self;
    if (dir == ANIMAT_PORT_IN) {
        *n = 1;
        return &c->in_port;
    }
    if (dir == ANIMAT_PORT_OUT) {
        *n = 1;
        return &c->out_port;
    }
    *n = 0;
    return NULL;
}

/* Theta metadata: a static one-entry table (plugin-owned, valid until
 * dlclose); *n gets its length. Any phase after create. */
static const animat_param_info *tpl_theta_info(void *self, uint32_t *n) {
    (void)self;
    *n = 1;
    return tpl_theta_info_table;
}

/* Copy theta (the gain) into the caller's buffer of n doubles; n must be 1.
 * ANIMAT_OK, or ANIMAT_ERROR after h->error. Not during step. */
static int32_t tpl_get_theta(void *self, double *theta, uint32_t n) {
    tpl_circuit *c = self;
    return animat_theta_get(c->h, &c->gain, 1, theta, n);
}

/* Replace theta from the caller's buffer (copied; the caller keeps it); n
 * must be 1 and the value finite, else nothing changes and ANIMAT_ERROR is
 * returned after h->error. Not during step. */
static int32_t tpl_set_theta(void *self, const double *theta, uint32_t n) {
    tpl_circuit *c = self;
    return animat_theta_set(c->h, &c->gain, 1, theta, n);
}

/* New episode: clear per-episode state. A stateful circuit zeroes its
 * activities here; randomness, if any, comes from h->rng_* (already reseeded
 * by the host), never from `seed` mixed with time or thread ids. Phase:
 * reset; the instance's thread. */
static int32_t tpl_reset(void *self, uint64_t seed) {
    (void)seed;
    tpl_circuit *c = self;
    c->t = 0;
    return ANIMAT_OK;
}

/* One step: out[0][i] = gain * in[0][i]. `in`/`out` hold one host-owned
 * buffer per port (n doubles each), valid for this call only; an unwired
 * input reads zeros. dt (seconds) is unused by a memoryless gain. No
 * allocation, no I/O. Phase: step; the instance's thread. */
static int32_t tpl_step(void *self, const double *const *in, double *const *out, double dt) {
    (void)dt;
    tpl_circuit *c = self;
    const double *x = in[0];
    double *y = out[0];
    for (uint32_t i = 0; i < c->n; i++) y[i] = c->gain * x[i];
    c->t++;
    return ANIMAT_OK;
}

/* The circuit's function table, struct_size first. Every required function is
 * set; optional ones (`extension`, ABI 1.1) are left NULL by omission. */
static const animat_circuit_api tpl_api = {
    .struct_size = sizeof(animat_circuit_api),
    .create = tpl_create,
    .destroy = tpl_destroy,
    .ports = tpl_ports,
    .theta_info = tpl_theta_info,
    .get_theta = tpl_get_theta,
    .set_theta = tpl_set_theta,
    .reset = tpl_reset,
    .step = tpl_step,
};

/* The descriptor: rename `name` (it must be unique among loaded plugins). */
static const animat_plugin_desc tpl_desc =
    ANIMAT_DESC_ID(ANIMAT_KIND_CIRCUIT, "org.example.template", "template", "0.1.0",
                "Template circuit: y = gain * x (copy sdk/template to start a plugin)", tpl_params, &tpl_api);

static const animat_plugin_desc *const tpl_plugins[] = {&tpl_desc};

/* The only exported symbol: the handshake head, then the plugin list. */
ANIMAT_EXPORT const animat_plugin_entry animat_entry = ANIMAT_ENTRY(tpl_plugins);
