/* hostctx.h -- the animat_host table the host gives each plugin instance.
 *
 * One hostctx per instance: it carries the instance's resolved parameters, its
 * random stream (GSL mt19937) and the last error the plugin reported. Its
 * first member is the public table, so `&ah->table` is what plugins see.
 * Thread: used only by the thread driving that instance.
 */
#ifndef HOSTCTX_H
#define HOSTCTX_H

#include <animat/animat.h>
#include <gsl/gsl_rng.h>

#include "base/params.h"
#include "plugin/registry.h"

/* Random-stream keys; they key the random streams, so never renumber them.
 * The body and circuit of the short form (instances named "body" and
 * "circuit") keep keys 1 and 2, the learner 3; any other instance's key is
 * HOSTCTX_STREAM_NAMED + a hash of its name (hostctx_stream_key). */
#define HOSTCTX_ROLE_BODY 1u
#define HOSTCTX_ROLE_CIRCUIT 2u
#define HOSTCTX_ROLE_LEARNER 3u
#define HOSTCTX_STREAM_NAMED 16u

/* Stream domains, or'ed into the 64-bit key (never renumber them). Every
 * role above is below 2^32, so a key with HOSTCTX_DOMAIN_HELDOUT set can
 * never equal a key of the run/train domain (0): for the same run seed and
 * episode the two derived seeds differ for certain (the mix is a bijection),
 * and for any others they meet only as any two hashes do. Held-out
 * evaluation (animat eval, the end of animat train) runs in it. */
#define HOSTCTX_DOMAIN_RUN 0ull
#define HOSTCTX_DOMAIN_HELDOUT (1ull << 32)

/* Episode index used to seed the stream for create (random initial theta). */
#define HOSTCTX_EPISODE_CREATE UINT64_MAX

/* Answers wired_size for instance number `inst` (set by the simulation). */
typedef uint32_t (*hostctx_wired_fn)(void *ctx, uint32_t inst, uint32_t dir, const char *port);

typedef struct hostctx {
    animat_host table;        /* must stay first */
    uint32_t role;            /* random-stream key: HOSTCTX_ROLE_* or a named key */
    uint32_t inst;            /* instance number, for wired_size */
    const char *plugin_name;  /* for messages; plugin-owned */
    const params_set *params;   /* resolved parameters; owned by the experiment */
    gsl_rng *rng;             /* owned */
    hostctx_wired_fn wired;     /* may be NULL: wired_size answers 0 */
    void *wired_ctx;
    int has_error;            /* the plugin called error() */
    char error[512];          /* its message, one line */
    int quiet;                /* drop log() output below WARN */
    int keep_latest;          /* error() keeps the latest message, not the first of the call: for a host
                                 that cannot hostctx_begin before each call (tests/support/testhost.c) */
    animat_host_info info;    /* what extension "animat.host_info/1" answers; strings registry- or
                                 static-owned (hostctx_identify) */
} hostctx;

/* Initialise `ah` for an instance of plugin `name` in role `role` ("body",
 * ...). `params` must outlive the hostctx. 0, or -1 when out of memory. */
int hostctx_init(hostctx *ah, uint32_t role, const char *role_name, const char *name, const params_set *params);

/* Name the plugin this table serves in its "animat.host_info/1" answer:
 * id, file, declared ABI and kind of p (registry-owned, must outlive ah).
 * Until called the answer names the plugin by hostctx_init's `name`. */
void hostctx_identify(hostctx *ah, const registry_plugin *p);

/* Free the generator (NULL-safe on a zeroed hostctx). */
void hostctx_fini(hostctx *ah);

/* The seed of the stream for (run seed, episode, key): a fixed mix of the
 * three numbers, independent of threads and processes. key is a role, or'ed
 * with a stream domain (HOSTCTX_DOMAIN_*). */
uint64_t hostctx_seed(uint64_t run_seed, uint64_t episode, uint64_t key);

/* Reseed the instance's stream for (run seed, episode) in the run/train
 * domain and clear its error. */
void hostctx_reseed(hostctx *ah, uint64_t run_seed, uint64_t episode);

/* The same in stream domain `domain` (HOSTCTX_DOMAIN_*). */
void hostctx_reseed_in(hostctx *ah, uint64_t run_seed, uint64_t episode, uint64_t domain);

/* Take the plugin's last error message ("" if none) and clear it. */
const char *hostctx_take_error(hostctx *ah);

/* Forget any message: call before each fallible plugin call, so that a
 * failure reports the message of the call that failed, never an earlier
 * one (a plugin may call error() and still succeed). Step loop safe. */
static inline void hostctx_begin(hostctx *ah) {
    ah->has_error = 0;
    ah->error[0] = '\0';
}

/* The stream key of an instance called `name` of `kind` (see above). */
uint32_t hostctx_stream_key(const char *name, uint32_t kind);

#endif
