/* animat/host.h -- the services the host hands to every plugin instance.
 *
 * Plugins never link against the host. Instead, each instance receives its
 * own `const animat_host *` at create time. The table and everything it points
 * to are owned by the host and stay valid until the instance's destroy returns.
 * Thread: an instance is only ever called from one thread at a time, and may
 * call its host table from that thread only (the table is per instance, so
 * instances on different threads never share one).
 */
#ifndef ANIMAT_HOST_H
#define ANIMAT_HOST_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Log levels for animat_host.log. */
#define ANIMAT_LOG_DEBUG 0u
#define ANIMAT_LOG_INFO 1u
#define ANIMAT_LOG_WARN 2u

#if defined(__GNUC__)
#define ANIMAT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define ANIMAT_PRINTF(a, b)
#endif

typedef struct animat_host animat_host;

struct animat_host {
    uint32_t struct_size; /* sizeof(animat_host) as the host built it */
    uint32_t abi_major;   /* the host's ANIMAT_ABI_MAJOR */
    uint32_t abi_minor;   /* the host's ANIMAT_ABI_MINOR */
    uint32_t reserved;    /* 0 */
    const char *host_version;  /* e.g. "0.1.0"; static */
    const char *instance_name; /* role in the experiment: "body", "circuit", ... */
    void *host_data;           /* opaque to plugins */

    /* Print a message prefixed with the instance name. Any phase. */
    void (*log)(const animat_host *h, uint32_t level, const char *fmt, ...)
        ANIMAT_PRINTF(3, 4);

    /* Record why the current call is about to fail. The host prints it once,
     * prefixed with the plugin name, episode and step. Call it right before
     * returning ANIMAT_ERROR (or NULL from create). Any phase. */
    void (*error)(const animat_host *h, const char *fmt, ...) ANIMAT_PRINTF(2, 3);

    /* Zero-initialised memory, or NULL when out of memory (the plugin must
     * then fail cleanly). Free with `free` below. Allocation belongs in
     * create/reset, never in step. */
    void *(*alloc)(const animat_host *h, size_t size);
    /* Free memory from `alloc`. NULL is a no-op. */
    void (*free)(const animat_host *h, void *ptr);

    /* Resolved configuration parameters (create phase only). Each returns
     * ANIMAT_OK and writes *out, or ANIMAT_ERROR if `name` is not a declared
     * parameter of that type. Values are already validated against the
     * plugin's animat_param_info (range, choices, list length). */
    int32_t (*param_real)(const animat_host *h, const char *name, double *out);
    /* CHOICE parameters: the chosen string, owned by the host, valid until
     * destroy. */
    int32_t (*param_choice)(const animat_host *h, const char *name, const char **out);
    /* REAL_LIST parameters: *values is host-owned (valid until destroy) and
     * holds *n doubles; *values may be NULL when *n is 0. */
    int32_t (*param_list)(const animat_host *h, const char *name,
                          const double **values, uint32_t *n);

    /* Size of the port wired to this instance's port `name` in direction
     * `dir` (ANIMAT_PORT_IN: the source feeding it; ANIMAT_PORT_OUT: the
     * destination it feeds), or 0 when unwired or not yet known. Lets a
     * circuit size itself from the body (create phase). */
    uint32_t (*wired_size)(const animat_host *h, uint32_t dir, const char *name);

    /* This instance's random stream (GSL generator). The host reseeds it
     * before every reset from (run seed, episode, instance role), never from
     * thread or process identity, so draws are reproducible bit for bit.
     * Before create it is seeded from (run seed, "create"), so a circuit's
     * random initial theta is reproducible too. Learners: reseeded from
     * (run seed, epoch) before every ask. Any phase, this thread only. */
    double (*rng_uniform)(const animat_host *h);              /* [0, 1) */
    double (*rng_gaussian)(const animat_host *h, double sigma); /* N(0, sigma^2) */

    /* Optional capabilities of the host by string id with revision, e.g.
     * ANIMAT_EXT_HOST_INFO (below). Returns a host-owned const table, or
     * NULL when the host does not offer it. Any phase. */
    const void *(*extension)(const animat_host *h, const char *id);

    /* --- ABI 1.2 --- */

    /* CHOICE and PATH parameters as a string (create phase only): *out is
     * host-owned, valid until destroy; a PATH is resolved and checked (see
     * param.h) and reads "" when the experiment does not set it. ANIMAT_OK,
     * or ANIMAT_ERROR if `name` is not a declared CHOICE/PATH parameter. */
    int32_t (*param_string)(const animat_host *h, const char *name, const char **out);
};

/* ---- Extensions the host offers (h->extension(h, id)) ---- */

/* "animat.host_info/1" (ABI 1.3): who hosts the caller and how it knows
 * it. A host-owned const table, the same for every call, valid until the
 * instance's destroy returns; any phase. A host before 1.3 answers NULL:
 * ask before use. Lets a plugin log its provenance or find data files next
 * to its own shared object without dladdr. */
#define ANIMAT_EXT_HOST_INFO "animat.host_info/1"

typedef struct animat_host_info {
    uint32_t struct_size;        /* sizeof(animat_host_info) as the host built it */
    uint32_t reserved;           /* 0 */
    const char *host_name;       /* "animat" */
    const char *host_version;    /* as animat_host.host_version */
    uint32_t abi_major, abi_minor;   /* the host's ABI */
    uint32_t plugin_abi_major;   /* the ABI the caller's file declared (its entry's), */
    uint32_t plugin_abi_minor;   /* by which the host reads the caller's tables */
    const char *plugin_id;       /* the id the host names the caller by: its descriptor's id, or
                                    "local.NAME" when it declares none (built before 1.3) */
    const char *plugin_path;     /* the shared object the host loaded the caller from, as found */
    uint32_t kind;               /* the caller's ANIMAT_KIND_* */
    uint32_t reserved2;          /* 0 */
} animat_host_info;

#ifdef __cplusplus
}
#endif
#endif /* ANIMAT_HOST_H */
