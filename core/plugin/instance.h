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
 * with e set to "NAME (plugin): create failed: reason" (code
 * ERRMSG_PLUGIN_CREATE, the reason at e->msg + e->detail) or a port problem
 * (ERRMSG_FAILED), and *in destroyed. */
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

/* ---- The step loop's calls (instcall.c): each runs under the call guard
 * (callguard.h) named "reset", "step", "control_dt" or "plasticity",
 * forgets the plugin's earlier message first, and on failure sets e to
 * "NAME (plugin): WHAT failed in episode E+1 at step S: the plugin's
 * reason". None allocates. The sim schedules them; nothing outside
 * core/plugin/ calls a plugin's table. ---- */

/* That failure message for `what` ("step failed") of in. Returns -1. */
int instance_fail_at(instance *in, const char *what, uint64_t episode, uint64_t step, errmsg *e);

/* Reset for an episode with `seed`; a body writes its first observation
 * into its OUT buffers. 0 or -1. */
int instance_reset(instance *in, uint64_t seed, uint64_t episode, errmsg *e);

/* A circuit: `substeps` steps of dt on its wired buffers (inputs held).
 * 0 or -1. */
int instance_step_circuit(instance *in, uint32_t substeps, double dt, uint64_t episode, uint64_t step, errmsg *e);

/* A body: one control step, *out zeroed (struct_size set) then filled by
 * the plugin. 0 or -1 (out's checks are instance_check_result's). */
int instance_step_body(instance *in, animat_step_result *out, uint64_t episode, uint64_t step, errmsg *e);

/* A body's control interval in seconds, as the plugin answers it. */
double instance_control_dt(instance *in);

/* Every value in's last call wrote to its OUT ports is finite: 0, or -1
 * with e naming port, element and value ("observation 'x'[2] is NaN"). */
int instance_check_outputs(const instance *in, uint64_t episode, uint64_t step, errmsg *e);

/* A body's step result: reserved 0 and a finite reward. 0 or -1. */
int instance_check_result(const instance *in, const animat_step_result *out, uint64_t episode, uint64_t step,
                          errmsg *e);

/* A circuit's "animat.plasticity/1" table if well formed (eligibility
 * present), else NULL. */
const animat_plasticity_ext *instance_plasticity(instance *in);

/* Its eligibility (p from instance_plasticity) into elig[0..n). 0 or -1. */
int instance_eligibility(instance *in, const animat_plasticity_ext *p, double *elig, uint32_t n, uint64_t episode,
                         uint64_t step, errmsg *e);

/* set_theta inside an episode (online plasticity), failing as above. */
int instance_set_theta_at(instance *in, const double *theta, uint32_t n, uint64_t episode, uint64_t step,
                          errmsg *e);

/* ---- A stand-in for a circuit (instcall.c): the embedding API's agent. ---- */

/* What a stand-in keeps: copies of the circuit's plugin record, descriptor
 * and table with reset and step replaced. Owned by the caller; must stay
 * in place while the stand-in is active. */
typedef struct instance_standin {
    const registry_plugin *orig;   /* the instance's own plugin record */
    registry_plugin plugin;        /* a copy pointing at desc */
    animat_plugin_desc desc;       /* a copy whose api is api */
    animat_circuit_api api;        /* the circuit's table, reset and step replaced */
} instance_standin;

/* From now on the circuit instance in calls reset and step of the caller
 * (self is still the circuit's own instance) instead of the plugin's;
 * every other call (ports, theta, extensions, destroy) still reaches the
 * plugin. Undo with instance_stand_down before the instance is destroyed. */
void instance_stand_in(instance *in, instance_standin *st, int32_t (*reset)(void *self, uint64_t seed),
                       int32_t (*step)(void *self, const double *const *in, double *const *out, double dt));

/* Give the instance its own reset and step back (no-op if not standing in). */
void instance_stand_down(instance *in, instance_standin *st);

/* ---- Extension calls (instext.c), each under the call guard. ---- */

/* The instance's "animat.units/1" table if complete (names, get, override),
 * else NULL. */
const animat_units_ext *instance_units(instance *in);

/* Its unit names (plugin-owned, valid until destroy) and their number in
 * *n; NULL with *n = 0 when it names none. u from instance_units. */
const char *const *instance_unit_names(instance *in, const animat_units_ext *u, uint32_t *n);

/* Unit i's output in the last step into *value. 0, or -1 (bad i). Must not
 * allocate. */
int instance_unit_get(instance *in, const animat_units_ext *u, uint32_t i, double *value);

/* Override unit i (mode ANIMAT_UNIT_*). 0, or -1 with e "NAME (plugin):
 * units override failed: reason". */
int instance_unit_override(instance *in, const animat_units_ext *u, uint32_t i, uint32_t mode, double value,
                           errmsg *e);

/* The instance's "animat.spikes/1" table if it has capacity and events,
 * else NULL. */
const animat_spikes_ext *instance_spikes(instance *in);

/* 1 if that table also offers voltages (the optional third member). */
int instance_spikes_have_voltages(const animat_spikes_ext *s);

/* The most spike events one step can report (capacity()). */
uint32_t instance_spike_capacity(instance *in, const animat_spikes_ext *s);

/* The last step's events (instance-owned, valid until its next step) and
 * their number in *n; NULL with *n = 0 when there were none. Must not
 * allocate. */
const animat_spike_event *instance_spike_events(instance *in, const animat_spikes_ext *s, uint32_t *n);

/* Every unit's membrane potential into v[0..n). 0, or -1 (no voltages, a
 * wrong n, or the call failed). Must not allocate. */
int instance_voltages(instance *in, const animat_spikes_ext *s, double *v, uint32_t n);

/* A body's "animat.mujoco/1" table if it has model and data, else NULL. */
const animat_mujoco_ext *instance_mujoco(instance *in);

/* Its mjModel / mjData (const, body-owned; NULL if it gives none). */
const void *instance_mj_model(instance *in, const animat_mujoco_ext *t);
const void *instance_mj_data(instance *in, const animat_mujoco_ext *t);

/* Its camera suggestion into *cam (zeroed, struct_size set first): 1 if
 * it gave one, 0 if not (no camera function, or it failed). */
int instance_mj_camera(instance *in, const animat_mujoco_ext *t, animat_mujoco_camera *cam);

#endif
