/* minihost.h -- a minimal animat host for circuit benchmarks: dlopen a
 * plugin and hand it the real host table (core/plugin/hostctx.h, quiet:
 * INFO logs dropped) whose parameters start at the plugin's resolved
 * defaults with per-name overrides, its GSL mt19937 stream seeded with
 * `seed`, and wired sizes from a small table. Benchmark support only
 * (single-threaded, exits on misuse). */
#ifndef MINIHOST_H
#define MINIHOST_H

#include <animat/animat.h>

typedef struct mh_host mh_host;

/* dlopen `path` and return its first descriptor; exits with a message on
 * failure. */
const animat_plugin_desc *mh_load(const char *path);

/* A host for one instance of `desc`, seeded with `seed`. */
mh_host *mh_new(const animat_plugin_desc *desc, uint64_t seed);
void mh_free(mh_host *m);
const animat_host *mh_table(mh_host *m);

/* Override a numeric (REAL/INT/BOOL) or CHOICE parameter; declare a wired
 * port size. */
void mh_set(mh_host *m, const char *name, double v);
void mh_choice(mh_host *m, const char *name, const char *choice);
/* Override a REAL_LIST parameter with n values (exits past the list limit). */
void mh_list(mh_host *m, const char *name, const double *v, uint32_t n);
void mh_wired(mh_host *m, uint32_t dir, const char *port, uint32_t size);

/* create + reset, exiting with the plugin's message on failure. */
void *mh_create(mh_host *m);

#endif
