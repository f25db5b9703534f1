/* old_circuit.c -- a circuit as a plugin built against ABI 1.0 looks to a
 * 1.1 host: entry minor 0, and a function table whose struct_size ends
 * before the 1.1 `extension` field. Right after the table sits a poison
 * pointer where 1.1's `extension` would be: a host that reads past
 * struct_size would call it and crash. The circuit itself outputs -gain *
 * input. Built with -DOC_STATIC it is "static-theta", which keeps one gain
 * for all its instances in a static variable (plugin-check's threads check
 * must catch it). */
/* Positional struct initialisers on purpose: the fixtures are spelt the way
 * plugin sources written before ABI 1.2 were, so new trailing fields stay 0. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <animat/animat.h>
#include <stddef.h>

static const animat_port_info in_ports[] = {{sizeof(animat_port_info), 1, 0, 0, "x", "", "input"}};
static const animat_port_info out_ports[] = {{sizeof(animat_port_info), 1, 0, 0, "y", "", "minus the input"}};
static const animat_param_info theta_info[] = {
    {sizeof(animat_param_info), ANIMAT_PARAM_REAL, 0, 0, "gain", "", 1, -10, 10, NULL, NULL, "output gain"}};

typedef struct oc { const animat_host *h; double gain; } oc;

#ifdef OC_STATIC
#define OC_NAME "static-theta"
static oc one;
static void *oc_create(const animat_host *h) { one.h = h; one.gain = 1; return &one; }
static void oc_destroy(void *self) { (void)self; }
#else
#define OC_NAME "old-circuit"
static void *oc_create(const animat_host *h) {
    oc *c = h->alloc(h, sizeof *c);
    if (!c) return NULL;
    c->h = h;
    c->gain = 1;
    return c;
}
static void oc_destroy(void *self) {
    oc *c = self;
    if (c) c->h->free(c->h, c);
}
#endif
static const animat_port_info *oc_ports(void *self, uint32_t dir, uint32_t *n) {
    (void)self;
    *n = 1;
    return dir == ANIMAT_PORT_IN ? in_ports : out_ports;
}
static const animat_param_info *oc_theta_info(void *self, uint32_t *n) { (void)self; *n = 1; return theta_info; }
static int32_t oc_get(void *self, double *t, uint32_t n) {
    if (n != 1) return ANIMAT_ERROR;
    t[0] = ((oc *)self)->gain;
    return ANIMAT_OK;
}
static int32_t oc_set(void *self, const double *t, uint32_t n) {
    if (n != 1) return ANIMAT_ERROR;
    ((oc *)self)->gain = t[0];
    return ANIMAT_OK;
}
static int32_t oc_reset(void *self, uint64_t seed) { (void)self; (void)seed; return ANIMAT_OK; }
static int32_t oc_step(void *self, const double *const *in, double *const *out, double dt) {
    (void)dt;
    out[0][0] = -((oc *)self)->gain * in[0][0];
    return ANIMAT_OK;
}

/* The 1.0 table followed by poison where 1.1 put `extension`. */
static const struct {
    animat_circuit_api v10; /* only the 1.0 fields are declared by struct_size */
} table = {{offsetof(animat_circuit_api, extension), oc_create, oc_destroy, oc_ports, oc_theta_info, oc_get, oc_set,
            oc_reset, oc_step, (const void *(*)(void *, const char *))(uintptr_t)0x1}};

static const animat_plugin_desc desc = {sizeof(animat_plugin_desc), ANIMAT_KIND_CIRCUIT, OC_NAME, "1.0.0",
                                        "a circuit built against ABI 1.0", 0, NULL, &table.v10};
static const animat_plugin_desc *const list[] = {&desc};

/* The 1.0 entry ended at `plugins`: its struct_size says so, and poison
 * sits where 1.2 put init/deinit. */
ANIMAT_EXPORT const animat_plugin_entry animat_entry = {
    offsetof(animat_plugin_entry, init), ANIMAT_ABI_MAJOR, 0, (uint32_t)sizeof(double), (uint32_t)sizeof(size_t), 1,
    list, (int32_t(*)(char *, uint32_t))(uintptr_t)0x1, (void (*)(void))(uintptr_t)0x1};
