/* animat/helpers.h -- header-only conveniences for plugin authors.
 *
 * Everything here is written on the public ABI only (as Lua's lauxlib is
 * written on lua.h): no host internals, no state, nothing a plugin could not
 * write itself. Using it is optional; the shipped plugins and the template
 * do. Include it after <animat/animat.h> (it includes it for you).
 *
 * Tables with designated initialisers -- every field not named is 0/NULL,
 * and struct_size is always right:
 *
 *   static const animat_param_info my_params[] = {
 *       ANIMAT_P_REAL("gain", "", 1.0, -100.0, 100.0, "Initial gain."),
 *       ANIMAT_P_INT("size", "", 0, 0, 4096, "Port size; 0 = from the wiring."),
 *       ANIMAT_P_BOOL("shared", 1, "Share weights across joints."),
 *       ANIMAT_P_CHOICE("init", "default|random", 0, "Initial weights."),
 *       ANIMAT_P_REAL_LIST("hidden", "", "64,64", 1, 4096, "Hidden sizes."),
 *   };
 *   static const animat_plugin_desc my_desc =
 *       ANIMAT_DESC(ANIMAT_KIND_CIRCUIT, "mine", "1.0.0", "One line.", my_params, &my_api);
 *
 * Ports are instance data (their sizes depend on parameters):
 *   c->in[0] = ANIMAT_PORT_INFO("x", n, "", "Input vector.");
 */
#ifndef ANIMAT_HELPERS_H
#define ANIMAT_HELPERS_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "animat.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Number of elements of a static array, as the uint32_t the ABI uses. */
#define ANIMAT_COUNT(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

/* ---- configuration parameter records (animat_param_info) ---- */

#define ANIMAT_P_REAL(NAME, UNIT, DEF, MIN, MAX, DOC)                                  \
    {.struct_size = sizeof(animat_param_info), .type = ANIMAT_PARAM_REAL, .name = (NAME), \
     .unit = (UNIT), .def = (DEF), .min = (MIN), .max = (MAX), .doc = (DOC)}

#define ANIMAT_P_INT(NAME, UNIT, DEF, MIN, MAX, DOC)                                  \
    {.struct_size = sizeof(animat_param_info), .type = ANIMAT_PARAM_INT, .name = (NAME), \
     .unit = (UNIT), .def = (DEF), .min = (MIN), .max = (MAX), .doc = (DOC)}

#define ANIMAT_P_BOOL(NAME, DEF, DOC)                                                  \
    {.struct_size = sizeof(animat_param_info), .type = ANIMAT_PARAM_BOOL, .name = (NAME), \
     .unit = "", .def = (DEF), .min = 0, .max = 1, .doc = (DOC)}

/* CHOICES is "a|b|c"; DEF is the index of the default choice. */
#define ANIMAT_P_CHOICE(NAME, CHOICES, DEF, DOC)                                         \
    {.struct_size = sizeof(animat_param_info), .type = ANIMAT_PARAM_CHOICE, .name = (NAME), \
     .unit = "", .def = (DEF), .choices = (CHOICES), .doc = (DOC)}

/* DEF_LIST is the default as text, "64,64" ("" = empty list). */
#define ANIMAT_P_REAL_LIST(NAME, UNIT, DEF_LIST, MIN, MAX, DOC)                             \
    {.struct_size = sizeof(animat_param_info), .type = ANIMAT_PARAM_REAL_LIST, .name = (NAME), \
     .unit = (UNIT), .min = (MIN), .max = (MAX), .def_list = (DEF_LIST), .doc = (DOC)}

/* A file path (ABI 1.2), read with h->param_string; unset reads "". */
#define ANIMAT_P_PATH(NAME, DOC)                                                        \
    {.struct_size = sizeof(animat_param_info), .type = ANIMAT_PARAM_PATH, .name = (NAME), \
     .unit = "", .doc = (DOC)}

/* A theta entry: FLAGS is 0 or ANIMAT_PARAM_EXCITATORY / _INHIBITORY. The
 * host projects every proposal into [MIN, MAX] and onto the sign before
 * set_theta (see circuit.h), so use -INFINITY/INFINITY for "unbounded". */
#define ANIMAT_THETA(NAME, UNIT, DEF, MIN, MAX, FLAGS, DOC)                           \
    {.struct_size = sizeof(animat_param_info), .type = ANIMAT_PARAM_REAL, .flags = (FLAGS), \
     .name = (NAME), .unit = (UNIT), .def = (DEF), .min = (MIN), .max = (MAX), .doc = (DOC)}

/* ---- the entry, descriptors and ports ---- */

/* The exported entry for the static array PLUGINS of descriptor pointers:
 *   ANIMAT_EXPORT const animat_plugin_entry animat_entry = ANIMAT_ENTRY(my_plugins);
 * Designated initialisers keep -Wextra quiet when the entry grows. */
#define ANIMAT_ENTRY(PLUGINS)                                                          \
    {.struct_size = sizeof(animat_plugin_entry), .abi_major = ANIMAT_ABI_MAJOR,        \
     .abi_minor = ANIMAT_ABI_MINOR, .sizeof_double = (uint32_t)sizeof(double),         \
     .sizeof_size_t = (uint32_t)sizeof(size_t), .n_plugins = ANIMAT_COUNT(PLUGINS),    \
     .plugins = (PLUGINS)}

/* The same with process-wide init/deinit (either may be NULL). */
#define ANIMAT_ENTRY_INIT(PLUGINS, INIT, DEINIT)                                       \
    {.struct_size = sizeof(animat_plugin_entry), .abi_major = ANIMAT_ABI_MAJOR,        \
     .abi_minor = ANIMAT_ABI_MINOR, .sizeof_double = (uint32_t)sizeof(double),         \
     .sizeof_size_t = (uint32_t)sizeof(size_t), .n_plugins = ANIMAT_COUNT(PLUGINS),    \
     .plugins = (PLUGINS), .init = (INIT), .deinit = (DEINIT)}

/* A descriptor whose parameter table is the static array PARAMS. */
#define ANIMAT_DESC(KIND, NAME, VERSION, SUMMARY, PARAMS, API)                          \
    {.struct_size = sizeof(animat_plugin_desc), .kind = (KIND), .name = (NAME),         \
     .version = (VERSION), .summary = (SUMMARY), .n_params = ANIMAT_COUNT(PARAMS),      \
     .params = (PARAMS), .api = (API), .id = NULL}

/* A descriptor without configuration parameters. */
#define ANIMAT_DESC_NOPARAMS(KIND, NAME, VERSION, SUMMARY, API)                       \
    {.struct_size = sizeof(animat_plugin_desc), .kind = (KIND), .name = (NAME),       \
     .version = (VERSION), .summary = (SUMMARY), .n_params = 0, .params = NULL, .api = (API), \
     .id = NULL}

/* The same with a reverse-DNS id (ABI 1.3; abi.h): what every new plugin
 * should use, e.g. ANIMAT_DESC_ID(ANIMAT_KIND_CIRCUIT, "edu.somelab.cpg",
 * "cpg", "1.0.0", "...", params, &api). */
#define ANIMAT_DESC_ID(KIND, ID, NAME, VERSION, SUMMARY, PARAMS, API)                   \
    {.struct_size = sizeof(animat_plugin_desc), .kind = (KIND), .name = (NAME),         \
     .version = (VERSION), .summary = (SUMMARY), .n_params = ANIMAT_COUNT(PARAMS),      \
     .params = (PARAMS), .api = (API), .id = (ID)}

#define ANIMAT_DESC_ID_NOPARAMS(KIND, ID, NAME, VERSION, SUMMARY, API)                \
    {.struct_size = sizeof(animat_plugin_desc), .kind = (KIND), .name = (NAME),       \
     .version = (VERSION), .summary = (SUMMARY), .n_params = 0, .params = NULL,        \
     .api = (API), .id = (ID)}

/* A port's values (extension "animat.ports/1", port.h): every element in
 * [LO, HI], no element names (a compound literal). */
#define ANIMAT_PORT_BOUNDS(LO, HI)                                                     \
    ((animat_port_values){.struct_size = sizeof(animat_port_values), .lower = (LO),     \
                          .upper = (HI)})

/* A port record (a compound literal, so it can be assigned at create). */
#define ANIMAT_PORT_INFO(NAME, SIZE, UNIT, DOC)                                        \
    ((animat_port_info){.struct_size = sizeof(animat_port_info), .size = (SIZE),        \
                        .name = (NAME), .unit = (UNIT), .doc = (DOC)})

/* The same with flags (e.g. ANIMAT_PORT_METRIC). */
#define ANIMAT_PORT_INFO_F(NAME, SIZE, FLAGS, UNIT, DOC)                               \
    ((animat_port_info){.struct_size = sizeof(animat_port_info), .size = (SIZE),        \
                        .flags = (FLAGS), .name = (NAME), .unit = (UNIT), .doc = (DOC)})

/* The body of a `ports` function for an instance that keeps its IN and OUT
 * port records in two arrays: returns the array for `dir` and writes its
 * length to *n (0 and NULL for an unknown direction). */
static inline const animat_port_info *animat_ports_pick(uint32_t dir, const animat_port_info *in,
                                                        uint32_t nin, const animat_port_info *out,
                                                        uint32_t nout, uint32_t *n) {
    if (dir == ANIMAT_PORT_IN) {
        *n = nin;
        return nin ? in : NULL;
    }
    if (dir == ANIMAT_PORT_OUT) {
        *n = nout;
        return nout ? out : NULL;
    }
    *n = 0;
    return NULL;
}

/* ---- reading configuration (create phase) ---- */

/* Read REAL/INT/BOOL parameters names[0..n) into *outs[0..n). ANIMAT_OK, or
 * ANIMAT_ERROR after h->error naming the first parameter that could not be
 * read (a name missing from the plugin's own table: a plugin bug). */
static inline int32_t animat_param_reals(const animat_host *h, const char *const *names,
                                         double *const *outs, uint32_t n) {
    for (uint32_t i = 0; i < n; i++)
        if (h->param_real(h, names[i], outs[i]) != ANIMAT_OK) {
            h->error(h, "cannot read parameter '%s'", names[i]);
            return ANIMAT_ERROR;
        }
    return ANIMAT_OK;
}

/* Zeroed memory for `count` elements of `size` bytes from h->alloc, or NULL
 * (after h->error) when the product overflows or memory is short. */
static inline void *animat_alloc_array(const animat_host *h, size_t count, size_t size) {
    if (size && count > SIZE_MAX / size) {
        h->error(h, "allocation of %zu x %zu bytes overflows", count, size);
        return NULL;
    }
    size_t bytes = count * size;
    void *p = h->alloc(h, bytes > 0 ? bytes : 1);
    if (!p) h->error(h, "out of memory (%zu bytes)", count * size);
    return p;
}

/* ---- theta (get_theta / set_theta bodies) ---- */

/* get_theta for a circuit that keeps theta as `have` contiguous doubles at
 * `src`: copies them to the caller's `dst` of n doubles. ANIMAT_OK, or
 * ANIMAT_ERROR after h->error when n differs or dst is NULL. */
static inline int32_t animat_theta_get(const animat_host *h, const double *src, uint32_t have,
                                       double *dst, uint32_t n) {
    if (n != have || (n && !dst)) {
        h->error(h, "get_theta: expected %u values, got %u", have, n);
        return ANIMAT_ERROR;
    }
    if (n) memcpy(dst, src, (size_t)n * sizeof *dst);
    return ANIMAT_OK;
}

/* set_theta for the same layout: checks the length and that every value is
 * finite, then copies `src` (n doubles) into `dst` (have doubles). On
 * ANIMAT_ERROR (after h->error) nothing changed. */
static inline int32_t animat_theta_set(const animat_host *h, double *dst, uint32_t have,
                                       const double *src, uint32_t n) {
    if (n != have || (n && !src)) {
        h->error(h, "set_theta: expected %u values, got %u", have, n);
        return ANIMAT_ERROR;
    }
    for (uint32_t i = 0; i < n; i++)
        if (!isfinite(src[i])) {
            h->error(h, "set_theta: value %u is not finite", i);
            return ANIMAT_ERROR;
        }
    if (n) memcpy(dst, src, (size_t)n * sizeof *dst);
    return ANIMAT_OK;
}

/* ---- extensions ---- */

/* Does extension table `t` (a plugin- or host-owned struct starting with
 * struct_size) carry field `field` of struct type `type`? Use it before
 * calling an optional function of a table another party filled. */
#define ANIMAT_HAS(t, type, field) \
    ((t) && (t)->struct_size >= offsetof(type, field) + sizeof((t)->field) && (t)->field)

#ifdef __cplusplus
}
#endif
#endif /* ANIMAT_HELPERS_H */
