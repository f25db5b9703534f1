/* testhost.h -- the host table for plugin unit tests.
 *
 * Loads a plugin .so with dlopen exactly as the real host does (but without
 * validation), and hands it the real host table (core/plugin/hostctx.h: the
 * same services, Gaussian sampler and extensions as `animat run`), whose
 * parameters start at the plugin's resolved defaults and can be overridden
 * per test. Not thread-safe; one th_host per plugin instance.
 */
#ifndef TESTHOST_H
#define TESTHOST_H

#include <animat/animat.h>

typedef struct th_host th_host;

/* dlopen `path` and return its first plugin descriptor (NULL on failure, with
 * the reason printed to stderr). The library stays loaded for the process. */
const animat_plugin_desc *th_load(const char *path);

/* th_load on the path in environment variable `var`, once per process
 * (later calls return the cached descriptor). Aborts with a message when the
 * variable is unset or the plugin does not load: nothing can be tested then. */
const animat_plugin_desc *th_load_env(const char *var);

/* th_load_env, then, once per variable, the library entry's init (ABI 1.2)
 * as the host calls it after the handshake (the MuJoCo bodies install their
 * warning sink there). Aborts with the plugin's reason when init fails. */
const animat_plugin_desc *th_load_env_init(const char *var);

/* A host table for one instance of `desc`, parameters at their defaults,
 * RNG seeded with `seed`. Free with th_free. */
th_host *th_new(const animat_plugin_desc *desc, const char *role, uint64_t seed);
void th_free(th_host *t);
const animat_host *th_table(th_host *t);

/* Override parameters (name must be declared by the plugin; aborts if not). */
void th_set_real(th_host *t, const char *name, double v);
void th_set_choice(th_host *t, const char *name, const char *choice);
void th_set_list(th_host *t, const char *name, const double *v, uint32_t n);
/* A PATH parameter, taken as given (not resolved or checked as the host does). */
void th_set_path(th_host *t, const char *name, const char *path);
/* Declare that port `name` in direction `dir` is wired to a peer of `size`. */
void th_set_wired(th_host *t, uint32_t dir, const char *name, uint32_t size);
/* Reseed this instance's generator (GSL mt19937). */
void th_reseed(th_host *t, uint64_t seed);
/* Last message passed to h->error, or "" (owned by t). */
const char *th_last_error(th_host *t);

/* calloc(1, n) and free(p) with the (ctx, ...) signature of the plugins'
 * allocator hooks (graph_file, lif_net, spk_net), for unit tests of their
 * pure parts. ctx is ignored. */
void *th_mem_calloc(void *ctx, size_t n);
void th_mem_free(void *ctx, void *p);

/* Create a circuit instance of `api` on t and reset it (seed 0); fails the
 * test, naming the plugin's reason, when create returns NULL or reset fails. */
void *th_circuit(th_host *t, const animat_circuit_api *api);

#endif
