/* acheck.h -- `animat plugin-check FILE.so`: a plugin validator.
 *
 * Loads one shared object and exercises every plugin in it through the ABI,
 * as CLAP's clap-validator does: the handshake and descriptors (through
 * areg_open), parameter tables, ports at default parameters, reset/step
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
 * The second half of this header is internal: shared by acheck.c (command
 * line, report, process isolation) and acheck_run.c (the checks themselves).
 * Thread: main thread only.
 */
#ifndef ACHECK_H
#define ACHECK_H

#include <animat/animat.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "apar.h"

/* Run `plugin-check` with its own arguments: argv[0] = FILE.so, then
 * optional `--seed N`, `--timeout S` (seconds per isolated check, default
 * 10) and `--quiet` (print FAIL lines and the summary only). argv must not
 * be NULL when argc > 0. Writes the report to `out` (not NULL) and usage
 * errors to stderr. Returns the exit status: 0 when every check passed, 1
 * when any failed, 2 for bad usage. Phase: a whole command; it loads and
 * unloads the plugin itself and forks one child per isolated check. Thread:
 * main thread only (it forks). */
int acheck_main(int argc, char **argv, FILE *out);

/* ---- internal: shared by acheck.c and acheck_run.c ---- */

#define ACHECK_WIRED_SIZE 3u         /* answer to every wired_size query */
#define ACHECK_STEPS      200u       /* steps per trajectory */
#define ACHECK_CIRCUIT_DT 0.01       /* dt passed to a circuit's step, s */
#define ACHECK_DT_STR "0.01"         /* the same, for messages */
#define ACHECK_CYCLES     100        /* measured create/destroy cycles (leak check) */
#define ACHECK_WARMUP     3          /* unmeasured cycles before them */
#define ACHECK_LEAK_BOUND 65536      /* allowed heap growth over those, bytes */
#define ACHECK_LEARNER_N  4u         /* n_theta a learner is created with */
#define ACHECK_EPOCHS     3u         /* ask/tell epochs per learner check */
#define ACHECK_MAX_PORT   (1u << 24) /* largest port size accepted */
#define ACHECK_MAX_THETA  (1u << 24) /* longest theta accepted */

/* What a check gets: the plugin under test and its resolved defaults. */
typedef struct acheck_ctx {
    const animat_plugin_desc *desc; /* plugin-owned, valid while loaded */
    const apar_set *params;         /* resolved defaults; owned by the caller */
    uint64_t seed;                  /* run seed for every stream */
} acheck_ctx;

/* One check: returns 0 (PASS) or -1 (FAIL) and writes a one-line detail
 * (no newline) into msg (cap bytes; cap >= 1). Runs plugin code, so it is
 * called only inside a forked child (acheck.c). */
typedef int (*acheck_fn)(const acheck_ctx *c, char *msg, size_t cap);

/* The checks (acheck_run.c). Each follows acheck_fn: c and msg not NULL,
 * c->desc of the kind named; creates its own instances at default
 * parameters on a host table from ahost_init (quiet, wired_size answering
 * ACHECK_WIRED_SIZE, alloc/free counted), destroys them and frees what it
 * allocated before returning. */

/* Bodies and circuits: create at defaults; ports named, documented, sized
 * 1 .. ACHECK_MAX_PORT, unique per direction; bodies: control_dt finite > 0;
 * circuits: theta_info entries named and ordered, get_theta finite and
 * accepted back by set_theta. */
int acheck_ports(const acheck_ctx *c, char *msg, size_t cap);

/* Bodies and circuits: reset, then ACHECK_STEPS steps on uniform [-1, 1]
 * inputs; every output (and a body's first observation and rewards) must be
 * finite, and no reset or step may fail. */
int acheck_finite(const acheck_ctx *c, char *msg, size_t cap);

/* Bodies and circuits: two live instances created and reset with the same
 * seed and fed the same inputs give bit-identical outputs and rewards (and
 * circuits the same initial theta); a second reset of the first instance
 * reproduces its trajectory. */
int acheck_determinism(const acheck_ctx *c, char *msg, size_t cap);

/* Any kind: ACHECK_WARMUP then ACHECK_CYCLES create/destroy cycles; h->alloc
 * and h->free calls must balance and the heap in use (mallinfo2, or memcheck
 * under valgrind) must not grow by more than ACHECK_LEAK_BOUND overall and
 * half that over the last half of the cycles. */
int acheck_leak(const acheck_ctx *c, char *msg, size_t cap);

/* Learners, created over ACHECK_LEARNER_N synthetic REAL entries starting
 * at zeros: population() >= 1; ACHECK_EPOCHS of ask (host stream reseeded
 * per epoch) / tell (synthetic returns) / current, all finite; the online
 * hooks, when present, give finite theta. */
int acheck_learner(const acheck_ctx *c, char *msg, size_t cap);

/* Learners: two instances with the same seed ask bit-identical candidates
 * for ACHECK_EPOCHS epochs and agree on current. */
int acheck_learner_determinism(const acheck_ctx *c, char *msg, size_t cap);

/* Learners: state_size/save/load all present or all NULL (PASS, "not
 * offered"); when present, save after one epoch -> load into a fresh
 * instance -> current and the next ask are bit-identical. */
int acheck_checkpoint(const acheck_ctx *c, char *msg, size_t cap);

#endif
