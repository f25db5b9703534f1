/* animat/abi.h -- versioning, status codes and the plugin entry point.
 *
 * A plugin is a shared object that exports exactly one symbol, `animat_entry`
 * (an `animat_plugin_entry` object, not a function). The host dlopen()s the
 * file, reads that object, and refuses it unless the handshake below passes:
 *   - abi_major equals the host's ANIMAT_ABI_MAJOR,
 *   - abi_minor is at most the host's ANIMAT_ABI_MINOR (older minors are
 *     accepted: every struct only ever grows at its end),
 *   - sizeof_double and sizeof_size_t equal the host's.
 *
 * Rules every struct of this ABI follows (read them once, they hold everywhere):
 *   - it starts with `uint32_t struct_size`, set by whoever fills the struct to
 *     sizeof() as *they* compiled it; the reader never reads a field that lies
 *     at or past struct_size, and treats such a field as NULL/0;
 *   - arrays of structs are read with a stride of element 0's struct_size;
 *   - fixed-width integers and double only; enums travel as uint32_t;
 *   - optional function pointers may be NULL; required ones are marked so.
 * Strings are UTF-8, NUL-terminated, owned by whoever the field says.
 */
#ifndef ANIMAT_ABI_H
#define ANIMAT_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ABI version this header describes. Major: incompatible change. Minor: a
 * struct grew at its end or a new optional function/extension appeared. */
#define ANIMAT_ABI_MAJOR 1
#define ANIMAT_ABI_MINOR 3
/* History:
 *   1.0  entry, host table, body/circuit/learner kinds, params, ports.
 *   1.1  animat_circuit_api.extension (circuit capabilities by id, e.g.
 *        ANIMAT_EXT_PLASTICITY); animat_learner_api.online_reset and
 *        online_step (per-step plasticity hooks). Plugins built against 1.0
 *        keep working: their structs are shorter and the host reads none of
 *        the new fields from them.
 *   1.2  animat_plugin_entry.init / deinit (process-wide set-up and
 *        tear-down); animat_body_api.extension and
 *        animat_learner_api.extension, so every kind has an extension query.
 *
 *   1.3  animat_plugin_desc.id (a reverse-DNS identity, read before any
 *        instance exists, as CLAP's descriptor id); extension
 *        "animat.ports/1" (port bounds, element names and units, port.h);
 *        the host's own extension "animat.host_info/1" (host.h);
 *        the host enforces `reserved` fields (every one must be 0).
 *        Plugins built against 1.0 .. 1.2 load unchanged; the host calls
 *        them by a derived id, "local.NAME".
 *
 * From 1.2 on the core structs (entry, host table, the three kind tables,
 * param and port records) are frozen: a new capability is a new extension
 * id with its own table, never a new field. The descriptor grew once more,
 * in 1.3, by `id` -- identity, not a capability -- and is frozen from 1.3 on.
 * Extensions are asked for by id and may be absent (NULL).
 *
 * Extension ids: "PREFIX.NAME/REVISION", REVISION a decimal integer >= 1
 * that grows when the table changes incompatibly (a compatible growth keeps
 * the revision and appends fields, struct_size first). The prefix "animat."
 * is reserved for this SDK; a third party uses its own reverse-DNS prefix
 * ("edu.somelab.lamprey.gait/1"), so ids never collide. Plugins answer only
 * ids they implement and NULL for every other.
 *
 * Reserved fields: every field named `reserved` must be 0 in every struct a
 * plugin fills; the host refuses the plugin otherwise, naming struct and
 * field, so that such a field can gain a meaning in a later minor. */

/* Name of the single symbol a plugin exports. */
#define ANIMAT_ENTRY_SYMBOL "animat_entry"

/* Mark the entry object as exported even under -fvisibility=hidden. */
#if defined(__GNUC__)
#define ANIMAT_EXPORT __attribute__((visibility("default")))
#else
#define ANIMAT_EXPORT
#endif

/* Status returned by every fallible plugin function. On failure the plugin
 * should first call host->error() with a one-line reason. */
#define ANIMAT_OK 0
#define ANIMAT_ERROR (-1)

/* Plugin kinds (animat_plugin_desc.kind). */
#define ANIMAT_KIND_BODY 1u    /* vtable is animat_body_api    (animat/body.h)    */
#define ANIMAT_KIND_CIRCUIT 2u /* vtable is animat_circuit_api (animat/circuit.h) */
#define ANIMAT_KIND_LEARNER 3u /* vtable is animat_learner_api (animat/learner.h) */

struct animat_param_info;

/* One plugin inside a shared object. Static, read-only data owned by the
 * plugin; valid from dlopen to dlclose. */
typedef struct animat_plugin_desc {
    uint32_t struct_size;  /* sizeof(animat_plugin_desc) as the plugin built it */
    uint32_t kind;         /* ANIMAT_KIND_* */
    const char *name;      /* required; unique among loaded plugins, [a-z0-9_-]+ */
    const char *version;   /* required; the plugin's own version, e.g. "1.2.0" */
    const char *summary;   /* required; one line for `animat plugins` */
    /* Configuration parameters accepted in the experiment file, validated by
     * the host before create (type, range, choices). May be NULL if n_params
     * is 0. Array stride: params[0].struct_size. */
    uint32_t n_params;
    const struct animat_param_info *params;
    /* Kind-specific function table (animat_body_api, animat_circuit_api or
     * animat_learner_api), cast to the type named by `kind`. Required. */
    const void *api;

    /* --- ABI 1.3 --- */

    /* Globally unique identity in reverse-DNS form, lower case:
     * "org.animat.ncap", "edu.somelab.lamprey" ([a-z0-9_-]+ labels joined by
     * '.', at least two, at most 128 characters). `name` stays a short alias
     * for experiment files; where two files offer one name, only the id
     * tells them apart. Recordings, traces and checkpoints store the id with
     * `version` and the file's hash. Static, plugin-owned. Optional for
     * source compatibility (NULL: the host calls the plugin "local.NAME",
     * as it does every plugin built before 1.3); every shipped plugin and
     * every `animat new` scaffold sets it. */
    const char *id;
} animat_plugin_desc;

/* The exported entry object. The first five fields are frozen forever: a host
 * of any version reads them to decide whether to read the rest. */
typedef struct animat_plugin_entry {
    uint32_t struct_size;   /* sizeof(animat_plugin_entry) */
    uint32_t abi_major;     /* ANIMAT_ABI_MAJOR at plugin build time */
    uint32_t abi_minor;     /* ANIMAT_ABI_MINOR at plugin build time */
    uint32_t sizeof_double; /* sizeof(double) at plugin build time */
    uint32_t sizeof_size_t; /* sizeof(size_t) at plugin build time */
    uint32_t n_plugins;     /* number of entries in `plugins`, at least 1 */
    const animat_plugin_desc *const *plugins; /* static array owned by the plugin */

    /* --- ABI 1.2 --- */

    /* Process-wide set-up (e.g. install a library's global handler). Called
     * once per process by the host after the handshake passes and before any
     * other function of the plugin, on the main thread. On failure write a
     * one-line reason (NUL-terminated, at most `cap` bytes) into `why` and
     * return ANIMAT_ERROR: the host then refuses the file with that reason.
     * Optional (NULL = nothing to set up). Note that the dynamic loader runs
     * the shared object's constructors before the handshake: keep them
     * empty, put set-up here. */
    int32_t (*init)(char *why, uint32_t cap);

    /* Process-wide tear-down: called once, on the main thread, after every
     * instance of every plugin in this file is destroyed and before dlclose
     * -- only if init was absent or returned ANIMAT_OK. The host unloads
     * files only when it is done with all of them: no file's deinit or
     * dlclose happens while an instance of any loaded plugin file exists
     * (so plugins sharing a library's global state, such as MuJoCo's warning
     * handler, never see it torn down under a running instance). Optional. */
    void (*deinit)(void);
} animat_plugin_entry;

/* Initialiser for the frozen head of an entry. Use it as:
 *   ANIMAT_EXPORT const animat_plugin_entry animat_entry = {
 *       ANIMAT_ENTRY_HEAD, 1, my_plugins };
 * or, with process-wide set-up (ABI 1.2):
 *   ANIMAT_EXPORT const animat_plugin_entry animat_entry = {
 *       ANIMAT_ENTRY_HEAD, 1, my_plugins, my_init, my_deinit };          */
#define ANIMAT_ENTRY_HEAD                                                   \
    sizeof(animat_plugin_entry), ANIMAT_ABI_MAJOR, ANIMAT_ABI_MINOR,        \
        (uint32_t)sizeof(double), (uint32_t)sizeof(size_t)

#ifdef __cplusplus
}
#endif
#endif /* ANIMAT_ABI_H */
