/* abi12_circuit.c -- a circuit as a plugin built against ABI 1.2 looks to
 * a 1.3 host: entry minor 2 (with 1.2's init/deinit), a full 1.2 function
 * table, and a descriptor whose struct_size ends before 1.3's `id`. In the
 * id slot sits a poison pointer: a host that reads past struct_size would
 * print or compare it and crash. It offers no "animat.ports/1" (its ports
 * are unbounded) and answers NULL for every extension id. The circuit
 * outputs y = gain * x + bias, theta (gain, bias) = (1, 0.25) at create:
 * values exact in binary, so tests can compare runs bit for bit. */
/* Positional struct initialisers on purpose: spelt the way plugin sources
 * written against ABI 1.2 were. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <animat/animat.h>
#include <stddef.h>

static const animat_port_info in_ports[] = {{sizeof(animat_port_info), 1, 0, 0, "x", "", "input"}};
static const animat_port_info out_ports[] = {{sizeof(animat_port_info), 1, 0, 0, "y", "", "gain * x + bias"}};
static const animat_param_info theta_info[] = {
    {sizeof(animat_param_info), ANIMAT_PARAM_REAL, 0, 0, "gain", "", 1, -10, 10, NULL, NULL, "output gain"},
    {sizeof(animat_param_info), ANIMAT_PARAM_REAL, 0, 0, "bias", "", 0.25, -10, 10, NULL, NULL, "output bias"}};

typedef struct c12 {
    const animat_host *h;
    double theta[2];
} c12;

static int inits; /* process-wide set-up ran (1.2's init) */

static int32_t c12_init(char *why, uint32_t cap) {
    (void)why, (void)cap;
    inits++;
    return ANIMAT_OK;
}
static void c12_deinit(void) { inits--; }

static void *c12_create(const animat_host *h) {
    if (inits != 1) {
        h->error(h, "init did not run once before create");
        return NULL;
    }
    c12 *c = h->alloc(h, sizeof *c);
    if (!c) return NULL;
    c->h = h;
    c->theta[0] = 1;
    c->theta[1] = 0.25;
    return c;
}
static void c12_destroy(void *self) {
    c12 *c = self;
    if (c) c->h->free(c->h, c);
}
static const animat_port_info *c12_ports(void *self, uint32_t dir, uint32_t *n) {
    (void)self;
    *n = 1;
    return dir == ANIMAT_PORT_IN ? in_ports : out_ports;
}
static const animat_param_info *c12_theta_info(void *self, uint32_t *n) {
    (void)self;
    *n = 2;
    return theta_info;
}
static int32_t c12_get(void *self, double *t, uint32_t n) {
    if (n != 2) return ANIMAT_ERROR;
    t[0] = ((c12 *)self)->theta[0], t[1] = ((c12 *)self)->theta[1];
    return ANIMAT_OK;
}
static int32_t c12_set(void *self, const double *t, uint32_t n) {
    if (n != 2) return ANIMAT_ERROR;
    ((c12 *)self)->theta[0] = t[0], ((c12 *)self)->theta[1] = t[1];
    return ANIMAT_OK;
}
static int32_t c12_reset(void *self, uint64_t seed) {
    (void)self, (void)seed;
    return ANIMAT_OK;
}
static int32_t c12_step(void *self, const double *const *in, double *const *out, double dt) {
    (void)dt;
    const c12 *c = self;
    out[0][0] = c->theta[0] * in[0][0] + c->theta[1];
    return ANIMAT_OK;
}
static const void *c12_extension(void *self, const char *id) {
    (void)self, (void)id;
    return NULL;
}

static const animat_circuit_api table = {sizeof(animat_circuit_api), c12_create, c12_destroy, c12_ports,
                                         c12_theta_info, c12_get, c12_set, c12_reset, c12_step, c12_extension};

/* The 1.2 descriptor ended at `api`: its struct_size says so, and poison
 * sits where 1.3 put `id`. */
static const animat_plugin_desc desc = {offsetof(animat_plugin_desc, id), ANIMAT_KIND_CIRCUIT, "abi12-circuit",
                                        "1.2.0", "a circuit built against ABI 1.2", 0, NULL, &table,
                                        (const char *)(uintptr_t)0x1};
static const animat_plugin_desc *const list[] = {&desc};

ANIMAT_EXPORT const animat_plugin_entry animat_entry = {
    sizeof(animat_plugin_entry), ANIMAT_ABI_MAJOR, 2, (uint32_t)sizeof(double), (uint32_t)sizeof(size_t), 1,
    list, c12_init, c12_deinit};
