/* plugcheck.h -- `animat plugin-check FILE.so`: a plugin validator.
 *
 * Loads one shared object and exercises every plugin in it through the ABI,
 * as CLAP's clap-validator does: the handshake and descriptors (through
 * registry_open), parameter tables, ports at default parameters, reset/step
 * determinism with a fixed seed, finite outputs on random in-range inputs,
 * 100 create/destroy cycles without leaks, and for learners ask/tell,
 * determinism and checkpoints. It prints one greppable line per check,
 *   PASS  swimmer: descriptor (body, version 1.0.0, 8 parameters)
 *   FAIL  nan-obs: finite: observation y[0] is not finite (NaN) at step 3
 * and a final "plugin-check: N passed, M failed".
 *
 * Every check that runs plugin code runs in a forked child with a time
 * limit, so a plugin that crashes or hangs yields a FAIL line, never a crash
 * or hang of the validator itself.
 *
 * The second half of this header is internal: shared by plugcheck.c (command
 * line, report, process isolation) and plugcheck_run.c (the checks themselves).
 * Thread: main thread only.
 */
#ifndef PLUGCHECK_H
#define PLUGCHECK_H

#include <animat/animat.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/params.h"

/* Run `plugin-check` with its own arguments: argv[0] = FILE.so, then
 * optional `--seed N`, `--timeout S` (seconds per isolated check, default
 * 10) and `--quiet` (print FAIL lines and the summary only). argv must not
 * be NULL when argc > 0. Writes the report to `out` (not NULL) and usage
 * errors to stderr. Returns the exit status: 0 when every check passed, 1
 * when any failed, 2 for bad usage. Phase: a whole command; it loads and
 * unloads the plugin itself and forks one child per isolated check. Thread:
 * main thread only (it forks). */
int plugcheck_main(int argc, char **argv, FILE *out);

/* ---- internal: shared by plugcheck.c and plugcheck_run.c ---- */

#define PLUGCHECK_WIRED_SIZE 3u         /* answer to every wired_size query */
#define PLUGCHECK_STEPS      200u       /* steps per trajectory */
#define PLUGCHECK_CIRCUIT_DT 0.01       /* dt passed to a circuit's step, s */
#define PLUGCHECK_DT_STR "0.01"         /* the same, for messages */
#define PLUGCHECK_CYCLES     100        /* measured create/destroy cycles (leak check) */
#define PLUGCHECK_WARMUP     3          /* unmeasured cycles before them */
#define PLUGCHECK_LEAK_BOUND 65536      /* allowed heap growth over those, bytes */
#define PLUGCHECK_LEARNER_N  4u         /* n_theta a learner is created with */
#define PLUGCHECK_EPOCHS     3u         /* ask/tell epochs per learner check */
#define PLUGCHECK_MAX_PORT   (1u << 24) /* largest port size accepted */
#define PLUGCHECK_MAX_THETA  (1u << 24) /* longest theta accepted */

/* What a check gets: the plugin under test and its resolved defaults. */
typedef struct plugcheck_ctx {
    const animat_plugin_desc *desc; /* plugin-owned, valid while loaded */
    const params_set *params;         /* resolved defaults; owned by the caller */
    uint64_t seed;                  /* run seed for every stream */
} plugcheck_ctx;

/* One check: returns 0 (PASS) or -1 (FAIL) and writes a one-line detail
 * (no newline) into msg (cap bytes; cap >= 1). Runs plugin code, so it is
 * called only inside a forked child (plugcheck.c). */
typedef int (*plugcheck_fn)(const plugcheck_ctx *c, char *msg, size_t cap);

/* The checks (plugcheck_run.c). Each follows plugcheck_fn: c and msg not NULL,
 * c->desc of the kind named; creates its own instances at default
 * parameters on a host table from hostctx_init (quiet, wired_size answering
 * PLUGCHECK_WIRED_SIZE, alloc/free counted), destroys them and frees what it
 * allocated before returning. */

/* Bodies and circuits: create at defaults; ports named, documented, sized
 * 1 .. PLUGCHECK_MAX_PORT, unique per direction; bodies: control_dt finite > 0;
 * circuits: theta_info entries named and ordered, get_theta finite and
 * accepted back by set_theta. */
int plugcheck_ports(const plugcheck_ctx *c, char *msg, size_t cap);

/* Bodies and circuits: reset, then PLUGCHECK_STEPS steps on uniform [-1, 1]
 * inputs; every output (and a body's first observation and rewards) must be
 * finite, and no reset or step may fail. */
int plugcheck_finite(const plugcheck_ctx *c, char *msg, size_t cap);

/* Bodies and circuits: two live instances created and reset with the same
 * seed and fed the same inputs give bit-identical outputs and rewards (and
 * circuits the same initial theta); a second reset of the first instance
 * reproduces its trajectory. */
int plugcheck_determinism(const plugcheck_ctx *c, char *msg, size_t cap);

/* Any kind: PLUGCHECK_WARMUP then PLUGCHECK_CYCLES create/destroy cycles; h->alloc
 * and h->free calls must balance and the heap in use (mallinfo2, or memcheck
 * under valgrind) must not grow by more than PLUGCHECK_LEAK_BOUND overall and
 * half that over the last half of the cycles. */
int plugcheck_leak(const plugcheck_ctx *c, char *msg, size_t cap);

/* Learners, created over PLUGCHECK_LEARNER_N synthetic REAL entries starting
 * at zeros: population() >= 1; PLUGCHECK_EPOCHS of ask (host stream reseeded
 * per epoch) / tell (synthetic returns) / current, all finite; the online
 * hooks, when present, give finite theta. */
int plugcheck_learner(const plugcheck_ctx *c, char *msg, size_t cap);

/* Learners: two instances with the same seed ask bit-identical candidates
 * for PLUGCHECK_EPOCHS epochs and agree on current. */
int plugcheck_learner_determinism(const plugcheck_ctx *c, char *msg, size_t cap);

/* Learners: state_size/save/load all present or all NULL (PASS, "not
 * offered"); when present, save after one epoch -> load into a fresh
 * instance -> current and the next ask are bit-identical. */
int plugcheck_checkpoint(const plugcheck_ctx *c, char *msg, size_t cap);

#endif
