/* plugcheck.h -- `animat plugin-check FILE.so`: a plugin validator.
 *
 * Loads one shared object and exercises every plugin in it through the ABI,
 * as CLAP's clap-validator does: the handshake and descriptors (through
 * registry_open), parameter tables, ports at default (or --set) parameters,
 * finite outputs on random in-range inputs, reset/step determinism with a
 * fixed seed, the real-time rules of step (no allocator call, no heap growth
 * over thousands of steps, no write outside its output buffers, no state
 * shared between instances or threads, ports fixed after create), 100
 * create/destroy cycles without leaks, and for learners ask/tell,
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
 * line, report, process isolation), plugcheck_run.c (instances under test
 * and the first checks), plugcheck_rt.c (the step-rule checks) and
 * plugcheck_alloc.c (allocator call counting).
 * Thread: main thread only.
 */
#ifndef PLUGCHECK_H
#define PLUGCHECK_H

#include <animat/animat.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>

#include <gsl/gsl_rng.h>

#include "base/params.h"
#include "plugin/hostctx.h"

/* Run `plugin-check` with its own arguments: argv[0] = FILE.so, then
 * optional `--set NAME=VALUE` (repeatable: every plugin of the file is
 * checked at those parameters, validated as `plugins info --set` does),
 * `--seed N`, `--timeout S` (seconds per isolated check, default 10) and
 * `--quiet` (print FAIL lines and the summary only). argv must not be NULL
 * when argc > 0. Writes the report to `out` (not NULL) and usage errors and
 * bad --set values (one line) to stderr. Returns the exit status: 0 when
 * every check passed, 1 when any failed, 2 for bad usage or --set. Phase: a whole command; it loads and
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

#define PLUGCHECK_GUARD      2u         /* canary doubles before and after every port buffer */
#define PLUGCHECK_GROWTH_WARMUP 200u    /* unmeasured steps before the growth check's */
#define PLUGCHECK_GROWTH_STEPS 5000u    /* measured steps of the growth check */
#define PLUGCHECK_GROWTH_BOUND 65536    /* allowed heap growth over them, bytes */
#define PLUGCHECK_STATE_K    50u        /* steps before the state check's save */
#define PLUGCHECK_STATE_M    50u        /* steps compared after it */
#define PLUGCHECK_MAX_STATE  (1ull << 30) /* largest state size() accepted, bytes */

/* What a check gets: the plugin under test and its resolved parameters. */
typedef struct plugcheck_ctx {
    const animat_plugin_desc *desc; /* plugin-owned, valid while loaded */
    const params_set *params;       /* resolved defaults or --set values; owned by the caller */
    int given;                      /* 1: params hold --set values, 0: defaults */
    uint64_t seed;                  /* run seed for every stream */
    const registry_plugin *plugin;  /* desc's registry record (names it in "animat.host_info/1"); may be NULL */
} plugcheck_ctx;

/* One check: returns 0 (PASS), -1 (FAIL) or 1 (SKIP) and writes a one-line detail
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

/* Bodies and circuits: PLUGCHECK_STEPS steps with every allocator call of
 * the process counted while step() runs (plugcheck_alloc_begin/end); any
 * malloc, calloc, realloc or free in a step FAILs naming the count and the
 * first step. Returns 1 (SKIP, msg saying why) where
 * plugcheck_alloc_unavailable() says counting cannot work. */
int plugcheck_alloc(const plugcheck_ctx *c, char *msg, size_t cap);

/* Bodies and circuits: PLUGCHECK_GROWTH_WARMUP steps, then
 * PLUGCHECK_GROWTH_STEPS more (a body is reset whenever it ends an episode);
 * the heap in use (plugcheck_heap_in_use) must not grow by more than
 * PLUGCHECK_GROWTH_BOUND over them and half that over their second half. */
int plugcheck_growth(const plugcheck_ctx *c, char *msg, size_t cap);

/* Bodies and circuits: two instances A and B stepped interleaved (A, B, A,
 * ...), with PLUGCHECK_GUARD canary doubles before and after every port
 * buffer, checked after reset and every step; a changed canary FAILs naming
 * the step, the port and the side, and so does a changed value in an input
 * (action) buffer, and any change a call of one instance makes to the
 * other's buffers (its outputs as its own last call left them, its
 * canaries, its inputs): a plugin that keeps a pointer to another
 * instance's buffer and writes through it. */
int plugcheck_bounds(const plugcheck_ctx *c, char *msg, size_t cap);

/* Bodies and circuits: instances A and B created and run with different
 * seeds (so different inputs and reset seeds) and, for circuits, B's theta
 * moved by 5% of each entry's range (each instance's theta set again, A
 * then B, before every run), must each give what it gives alone when
 * stepped interleaved on one thread and when run at once on two threads. */
int plugcheck_threads(const plugcheck_ctx *c, char *msg, size_t cap);

/* The comparison behind plugcheck_threads, shared with the determinism guard
 * of `animat train` (trainer.c), which runs it in its own process before
 * more than one worker thread or rank starts: A and B each run alone, then
 * stepped alternately on this thread, and with `threads` also at once on two
 * threads; every run must equal the instance's run alone bit for bit.
 * Instances get a plugin-check host table (quiet, wired_size answering
 * PLUGCHECK_WIRED_SIZE). Returns 0 with msg a summary, or -1 with msg naming
 * the instance (A or B), how it ran, and the first differing value and step
 * (or why it could not run). Thread: the calling thread (plus two it starts
 * with `threads`). Runs plugin code. */
int plugcheck_instances(const plugcheck_ctx *c, int threads, char *msg, size_t cap);

/* plugcheck_instances(c, 0, ...) in a forked child with a time limit of
 * timeout_s seconds, for plugins under run.isolate: 0; -1 with msg saying
 * what differed; 1 with msg saying the child crashed (naming the signal),
 * hung or exited without a result (the caller's own isolation meets that again in an episode).
 * What the plugin prints is discarded. Thread: main thread only (it forks). */
int plugcheck_instances_isolated(const plugcheck_ctx *c, int timeout_s, char *msg, size_t cap);

/* Bodies and circuits: the port tables (count, names, sizes, flags) and a
 * circuit's theta length, read again after reset, after the first step and
 * after PLUGCHECK_STEPS steps, must equal what create reported. */
int plugcheck_ports_stable(const plugcheck_ctx *c, char *msg, size_t cap);

/* Bodies and circuits: the extensions offered, through their tables
 * (plugcheck_ext.c): "animat.ports/1" records pass the host's validator;
 * "animat.units/1" names present and unique, get 0 after reset, bad index
 * or mode refused, a clamp visible in get, reset clearing overrides;
 * "animat.mujoco/1" model and data present and stable, camera distance > 0.
 * PASS naming what was exercised, or that nothing was offered. */
int plugcheck_extensions(const plugcheck_ctx *c, char *msg, size_t cap);

/* Bodies and circuits offering "animat.state/1" (plugcheck_ext.c): size()
 * at most PLUGCHECK_MAX_STATE (0: a stateless instance); reset,
 * PLUGCHECK_STATE_K steps, save, then PLUGCHECK_STATE_M steps recorded; load
 * and the same steps (same inputs) again, and load into a second instance
 * created and reset alike and the same steps: both bit-identical to the
 * record; a load of size-1 bytes (1 byte for size 0) must fail. A failing
 * save or load FAILs naming it. Without the extension: PASS "no
 * animat.state/1 offered". */
int plugcheck_state(const plugcheck_ctx *c, char *msg, size_t cap);

/* ---- internal helpers shared by the check files ---- */

/* The process state a plugin must leave alone (plugcheck_proc.c), taken in
 * the check's process before the check and compared after it. */
#define PLUGCHECK_NSIG 14
typedef struct plugcheck_proc {
    void *handler[PLUGCHECK_NSIG]; /* disposition of each watched signal */
    sigset_t mask;                 /* blocked signals */
    mode_t umask;
    char cwd[PATH_MAX];
    int fd_open[3];                /* fds 0, 1, 2 open */
    struct stat fd_st[3];          /* and what they are */
} plugcheck_proc;

/* Take the snapshot. */
void plugcheck_proc_snap(plugcheck_proc *p);

/* Compare with `before`: a changed signal disposition or mask, umask or
 * working directory, a closed or replaced stdin/stdout/stderr, or a child
 * process (the plugin forked) is -1 with msg saying which; else 0. */
int plugcheck_proc_diff(const plugcheck_proc *before, char *msg, size_t cap);

/* Write a printf-style detail into msg (cap bytes) and return -1 (FAIL),
 * so that checks can `return plugcheck_fail(...)`. */
int plugcheck_fail(char *msg, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Bytes the allocator holds in use: glibc's main arena plus mmapped chunks,
 * under ASan the sanitizer allocator's live bytes, or under valgrind every
 * live block memcheck knows of. */
long long plugcheck_heap_in_use(void);

/* Counting of the process's allocator calls (plugcheck_alloc.c): malloc,
 * calloc, realloc and free are interposed by libanimat-alloccount.so
 * (alloccount.c), which only an `animat plugin-check` process preloads
 * (plugcheck_preload), and forward to glibc's __libc_* functions; under a
 * sanitizer, whose allocator replaces them, the sanitizer's malloc/free
 * hooks count instead. begin zeroes the count and starts counting (this
 * thread's calls and any other's); end stops and returns the calls counted
 * since begin (0 where counting is unavailable). */
void plugcheck_alloc_begin(void);
unsigned long plugcheck_alloc_end(void);

/* NULL when counting works in this process, else a static one-line reason. */
const char *plugcheck_alloc_unavailable(void);

/* Called by `animat plugin-check` first, with main's argv: re-execute this
 * process (/proc/self/exe, same argv) once with libanimat-alloccount.so
 * prepended to LD_PRELOAD (the build tree's when animat runs from it, else
 * the installed one); in the re-executed process, put LD_PRELOAD back as
 * it was. Returns without doing anything under valgrind or a sanitizer,
 * when the library is missing or when exec fails (the alloc check then
 * SKIPs). Main thread, before any other thread exists. */
void plugcheck_preload(char **argv);

/* One body or circuit instance under test, with its host table, guarded
 * port buffers and input stream. */
typedef struct plugcheck_inst {
    const plugcheck_ctx *c;
    hostctx ah;
    const hostctx *peer;          /* another live instance's host, or NULL */
    void *self;
    uint32_t n[2];                /* ports per direction (index ANIMAT_PORT_*) */
    const animat_port_info *p[2]; /* the plugin's tables, stride p[d][0].struct_size */
    size_t total[2];              /* doubles per direction */
    double *flat[2];              /* guard, port 0, guard, port 1, ..., guard; owned */
    double **buf[2];              /* one pointer per port into flat; owned */
    double *sent;                 /* the inputs of the last step, total[IN]; owned */
    gsl_rng *g;                   /* input stream of the current episode; owned */
    uint32_t t;                   /* steps since the last reset */
    int guard;                    /* 1: check canaries and inputs after every call */
    const struct plugcheck_inst *other; /* with guard: another live instance whose buffers this one's
                                           calls must not touch, or NULL; not owned */
    double *last_out;             /* outputs after this instance's last call, total[OUT]; owned */
    int count_alloc;              /* 1: count allocator calls during step() */
    unsigned long allocs;         /* counted so far */
} plugcheck_inst;

/* Create a body or circuit at c->params with create seed `seed`, read and
 * validate its ports and lay out guarded buffers. 0, or -1 with msg set
 * (in then needs plugcheck_inst_free all the same). */
int plugcheck_inst_new(plugcheck_inst *in, const plugcheck_ctx *c, uint64_t seed, char *msg, size_t cap);

/* Destroy the instance and free its buffers (safe on a zeroed or half-made one). */
void plugcheck_inst_free(plugcheck_inst *in);

/* Reseed for episode 0 of run seed `seed`, restart the input stream and
 * reset. row (plugcheck_row_width doubles, may be NULL) gets a body's first
 * observation (zeros for circuits). 0 or -1 with msg set. */
int plugcheck_inst_reset(plugcheck_inst *in, uint64_t seed, double *row, char *msg, size_t cap);

/* One step on uniform [-1, 1] inputs from the stream; *res its result
 * (bodies); row (may be NULL) gets the outputs then the reward. 0 or -1. */
int plugcheck_inst_step(plugcheck_inst *in, animat_step_result *res, double *row, char *msg, size_t cap);

/* Reset with `seed`, then up to PLUGCHECK_STEPS steps (bodies stop at
 * terminated/truncated) into rec, (PLUGCHECK_STEPS + 1) rows of
 * plugcheck_row_width; *nsteps the steps taken. 0 or -1 with msg set. */
int plugcheck_inst_run(plugcheck_inst *in, uint64_t seed, double *rec, uint32_t *nsteps, char *msg, size_t cap);

/* Doubles per recorded row: every output value, then the reward. */
size_t plugcheck_row_width(const plugcheck_inst *in);

/* Compare two recorded trajectories bit for bit; 0, or -1 with msg naming
 * `what`, the first differing value and its step. */
int plugcheck_same_run(const plugcheck_inst *in, const double *a, uint32_t na, const double *b, uint32_t nb,
                       const char *what, char *msg, size_t cap);

/* Port i of direction d; "action"/"observation" or "input"/"output"; the
 * name of value k of a recorded row ("observation y[0]", "reward"); "step
 * t" or "reset" (t = 0). */
const animat_port_info *plugcheck_port_at(const plugcheck_inst *in, uint32_t d, uint32_t i);
const char *plugcheck_dir_word(const plugcheck_inst *in, uint32_t d);
void plugcheck_value_name(const plugcheck_inst *in, size_t k, char *buf, size_t cap);
void plugcheck_step_name(uint32_t t, char *buf, size_t cap);

#endif
