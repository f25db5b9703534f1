/* animat/param.h -- parameter metadata.
 *
 * The same record describes two things:
 *   - configuration parameters of a plugin (animat_plugin_desc.params), set in
 *     the experiment file and validated by the host before create; plugins read
 *     the resolved values through animat_host.param_* at create time;
 *   - entries of a circuit's learnable parameter vector ("theta", see
 *     animat_circuit_api.theta_info), where `flags` carries sign constraints.
 * All strings are static data owned by the plugin.
 */
#ifndef ANIMAT_PARAM_H
#define ANIMAT_PARAM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Parameter types (animat_param_info.type). */
#define ANIMAT_PARAM_REAL 1u      /* double in [min, max] */
#define ANIMAT_PARAM_INT 2u       /* integer-valued double in [min, max] */
#define ANIMAT_PARAM_BOOL 3u      /* 0 or 1; YAML true/false */
#define ANIMAT_PARAM_CHOICE 4u    /* one of `choices`; default is index `def` */
#define ANIMAT_PARAM_REAL_LIST 5u /* list of doubles, each in [min, max]; length
                                     in [0, ANIMAT_PARAM_LIST_MAX]; default is
                                     `def_list` */

#define ANIMAT_PARAM_PATH 6u      /* (ABI 1.2) a file path. In an experiment file it
                                     is relative to that file's folder (from
                                     --set: to the working directory); the host
                                     resolves it, checks before create that it
                                     names a readable regular file, and hands
                                     out the resolved path with param_string.
                                     No default: unset reads "" (the plugin
                                     decides whether it is required). */

#define ANIMAT_PARAM_LIST_MAX 64u
#define ANIMAT_PARAM_PATH_MAX 4096u /* longest resolved path, with its NUL */

/* Flags (animat_param_info.flags). */
#define ANIMAT_PARAM_EXCITATORY 0x1u /* theta entry kept >= 0: the host projects
                                        every learner proposal with max(w, 0)
                                        before set_theta (set the flag only
                                        while the constraint is in force) */
#define ANIMAT_PARAM_INHIBITORY 0x2u /* theta entry kept <= 0 (min(w, 0)) */

typedef struct animat_param_info {
    uint32_t struct_size; /* sizeof(animat_param_info) */
    uint32_t type;        /* ANIMAT_PARAM_* */
    uint32_t flags;       /* ANIMAT_PARAM_EXCITATORY | ... or 0 */
    uint32_t reserved;    /* 0 */
    const char *name;     /* required; configuration parameters: [a-z0-9_]+,
                             unique within the table; theta entries may also
                             use '.', '[' and ']' ("j0.osc_d") and repeat */
    const char *unit;     /* required; SI unit ("s", "kg/m^3"), "" if none */
    double def;           /* default (REAL, INT, BOOL, CHOICE index) */
    double min;           /* inclusive lower bound (REAL, INT, REAL_LIST);
                             may be -INFINITY for theta entries. Theta: the
                             host clamps every learner proposal into
                             [min, max] before set_theta */
    double max;           /* inclusive upper bound; may be +INFINITY for theta */
    const char *choices;  /* CHOICE: "a|b|c"; otherwise NULL */
    const char *def_list; /* REAL_LIST: default as "64,64" ("" = empty); else NULL */
    const char *doc;      /* required; one sentence for `animat plugins info` */
    /* (the host refuses a configuration table with a NULL name, unit or doc) */
} animat_param_info;

#ifdef __cplusplus
}
#endif
#endif /* ANIMAT_PARAM_H */
