/* instance.h -- one live plugin instance (a body or a circuit) and its
 * ports: the only place that creates, destroys and questions instances
 * through their kind's function table.
 *
 * Ports are validated once, right after create (instance_check_ports, the
 * one validator used by run, train, `animat plugins` and plugin-check), and
 * the records are copied into host-owned memory: a plugin that changes its
 * port table later cannot make the host read past a buffer.
 * Lifecycle: instance_create -> (sim wires bufs) -> ... -> instance_destroy.
 * Thread: one thread per instance.
 */
#ifndef INSTANCE_H
#define INSTANCE_H

#include <animat/animat.h>
#include <stddef.h>

#include "base/errmsg.h"
#include "plugin/hostctx.h"
#include "plugin/registry.h"

#define INSTANCE_MAX_PORTS 4096u
#define INSTANCE_MAX_PORT_SIZE (1u << 24)

/* What a port's values mean (extension "animat.ports/1", port.h), as the
 * host keeps it: bounds element by element (-INFINITY / INFINITY where
 * unbounded), names and units (plugin-owned arrays valid until destroy, or
 * NULL). Filled for every port, declared or not. */
typedef struct instance_values {
    double *lower, *upper;     /* `size` doubles each; point into instance.bounds */
    const char *const *names;  /* NULL: element k is "PORT[k]" */
    const char *const *units;  /* NULL: every element has the port's unit */
    int bounded;               /* some element has a finite bound */
} instance_values;

typedef struct instance {
    hostctx host;                 /* its host table; owned */
    const registry_plugin *plugin;/* registry-owned */
    uint32_t kind;                /* ANIMAT_KIND_BODY or ANIMAT_KIND_CIRCUIT */
    void *self;                   /* the plugin's instance; NULL before create */
    animat_port_info *ports[2];   /* [ANIMAT_PORT_IN], [ANIMAT_PORT_OUT]: host copies; owned */
    uint32_t nports[2];
    double **bufs[2];             /* one buffer pointer per port; owned array, set by sim */
    const char *name;             /* instance name; experiment-owned */
    instance_values *vals[2];     /* one per port, like ports; owned */
    double *bounds[2];            /* the lower/upper storage; owned */
    uint64_t *clipped;            /* bodies: action values clipped per IN port (sim); owned */
} instance;

/* Create an instance of plugin p called `name` with random-stream key
 * `stream` and resolved `params` (both must outlive it), its stream seeded
 * for create from `seed`. wired/ctx/idx answer the plugin's wired_size
 * (wired may be NULL). Then lists, validates and copies its ports. 0, or -1
 * with e set to "NAME (plugin): create failed: reason" (or a port problem)
 * and *in destroyed. */
int instance_create(instance *in, const registry_plugin *p, const char *name, uint32_t stream,
                    const params_set *params, uint64_t seed, hostctx_wired_fn wired, void *ctx, uint32_t idx,
                    errmsg *e);

/* Destroy the plugin instance and free the copies (zeroed/failed-safe). */
void instance_destroy(instance *in);

/* Validate a port table from a plugin: n at most INSTANCE_MAX_PORTS, records
 * of a known struct_size, names [a-z0-9_]+ unique in the table, sizes in
 * [1, INSTANCE_MAX_PORT_SIZE]. 0, or -1 with a reason in why (cap bytes). */
int instance_check_ports(const animat_port_info *p, uint32_t n, char *why, size_t cap);

/* Validate one record of extension "animat.ports/1" for a port of `size`
 * elements: reserved 0, struct_size a record's, bounds not NaN and lower <=
 * upper, element names present, well-formed and unique. 0, or -1 with a
 * reason in why (cap bytes). */
int instance_check_values(const animat_port_values *v, uint32_t size, char *why, size_t cap);

/* Bounds of port i in direction dir: *lower and *upper point at `size`
 * host-owned doubles (valid until destroy; +-INFINITY where unbounded).
 * 0, or -1 for a bad dir or i. The query embedding code builds observation
 * and action spaces from. */
int instance_port_bounds(const instance *in, uint32_t dir, uint32_t i, const double **lower, const double **upper);

/* Name of element k of port i in direction dir into buf: the declared
 * name, or "PORT[k]". Returns buf. */
const char *instance_element_name(const instance *in, uint32_t dir, uint32_t i, uint32_t k, char *buf, size_t cap);

/* Unit of element k of port i (the declared per-element unit, else the
 * port's); never NULL. */
const char *instance_element_unit(const instance *in, uint32_t dir, uint32_t i, uint32_t k);

/* Clip a body's action buffers into their declared bounds, adding the count
 * of clipped values per IN port to in->clipped. Returns the number clipped
 * now. Must not allocate (step loop). NaN stays NaN. */
uint64_t instance_clip_actions(instance *in);

/* Index of port `name` in direction dir, or -1. */
int instance_port(const instance *in, uint32_t dir, const char *name);

/* Failure of a call: "NAME (plugin): what: reason" from the plugin's own
 * message of that call. Returns -1. */
int instance_fail(instance *in, const char *what, errmsg *e);

/* Circuit theta: its length and metadata (plugin-owned, stride struct_size,
 * valid until destroy). A body's theta is its design parameters
 * (animat.morphology/1, plugin/morph.h; *n = 0 without them): get/set/check
 * below go through that table for bodies. */
const animat_param_info *instance_theta_info(instance *in, uint32_t *n);
int instance_get_theta(instance *in, double *theta, uint32_t n, errmsg *e);

/* Is a circuit's theta_info table readable (length bounded, a record's
 * stride, not NULL when non-empty)? 0, or -1 with e naming the instance. */
int instance_theta_check(instance *in, errmsg *e);
int instance_set_theta(instance *in, const double *theta, uint32_t n, errmsg *e);

/* The instance's extension table for `id`, or NULL (any kind, ABI 1.1 for
 * circuits and 1.2 for bodies; older tables have none). */
const void *instance_extension(instance *in, const char *id);

#endif
