/* animat/embed.h -- the embedding API of libanimat.so: open an experiment,
 * question its graph, run its episodes, or step it from the calling program.
 *
 * Version: ANIMAT_EMBED_VERSION (this header) must equal
 * animat_embed_version() (the library); a program checks that first.
 * Additions keep the number; a changed or removed function raises it.
 *
 * The library is a thin layer over the same code the `animat` command runs
 * (exp/: loading and validation, sim/: the step loop), and the `animat`
 * command is itself a client of it (`animat run`, `check` and `eval` call
 * animat_open_with, animat_run_with and animat_check): animat_run's returns
 * equal `animat run`'s bit for bit, and episode k after animat_reset(seed s,
 * episode k) starts in the state episode k of `animat run --seed s` starts in.
 *
 * The caller as an instance (the "agent"): animat_open may name one circuit
 * instance of the graph that the program plays instead of the circuit's own
 * code. The circuit is still created (so its ports, sizes, bounds, element
 * names and units are the graph's), but its step is never run: at every
 * control step, when the graph reaches that circuit, the library returns to
 * the program with the circuit's inputs (the observation, every IN port
 * concatenated in port order) and takes the circuit's outputs from it (the
 * action, every OUT port concatenated). A graph without a circuit of its own
 * for the program uses a placeholder (plugin: random sizes itself from what
 * it feeds).
 *
 * Errors: every fallible function returns an ANIMAT_EMBED_* code (0 is
 * success) and leaves one line (no newline) in animat_errmsg(); nothing in
 * the library exits or prints, whatever the input. A plugin that fails
 * during a step ends the episode (ANIMAT_EMBED_EPLUGIN, naming plugin,
 * episode and step); the handle stays usable after animat_reset.
 *
 * Option structs (animat_open_opts, animat_run_opts, animat_run_summary)
 * start with `size`, the struct's size as the caller compiled it (the
 * *_INIT macros set it): the library reads only the fields that size
 * covers and takes zero for later ones, so a struct grows at its end
 * without a new ANIMAT_EMBED_VERSION. A size smaller than the first
 * version's struct is EINPUT.
 *
 * Threads: one handle is used by one thread at a time (any thread; the
 * caller serialises). Different handles may be used concurrently, except
 * animat_open and animat_close, which the library serialises itself.
 * Pointers the library returns (names, bounds, port values) are owned by
 * the handle and valid until animat_close, unless said otherwise.
 */
#ifndef ANIMAT_EMBED_H
#define ANIMAT_EMBED_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ANIMAT_EMBED_VERSION 1u

/* Result codes. */
#define ANIMAT_EMBED_OK 0
#define ANIMAT_EMBED_EINPUT 1       /* bad argument or input: path, YAML, override, name, size, NaN */
#define ANIMAT_EMBED_ESTATE 2       /* wrong moment: step before reset or after the episode ended */
#define ANIMAT_EMBED_EPLUGIN 3      /* a plugin failed (create, reset, step) */
#define ANIMAT_EMBED_ENOMEM 4       /* out of memory */
#define ANIMAT_EMBED_EUNSUPPORTED 5 /* the experiment cannot do that (e.g. run with an agent) */

/* step flags (animat_step, animat_vec_step). */
#define ANIMAT_EMBED_TERMINATED 1u  /* a body ended the episode (terminal state) */
#define ANIMAT_EMBED_TRUNCATED 2u   /* a body's time limit or run.max_steps ended it */
#define ANIMAT_EMBED_RESET 4u       /* (vector) this call reset the env instead of stepping it */

/* Port directions, as in animat/port.h. */
#define ANIMAT_EMBED_IN 0u
#define ANIMAT_EMBED_OUT 1u

typedef struct animat_exp animat_exp;

/* One port of one instance. Strings and arrays are handle-owned. */
typedef struct animat_embed_port {
    const char *name;          /* "joints" */
    const char *unit;          /* the port's unit ("" when none) */
    uint32_t size;             /* elements */
    const double *lower;       /* size bounds (animat.ports/1; -inf/+inf where unbounded) */
    const double *upper;
    double *values;            /* the live buffer: read any time between calls; the agent's
                                  OUT ports may be written (that is the action) */
} animat_embed_port;

/* ANIMAT_EMBED_VERSION of the library. Any thread. */
uint32_t animat_embed_version(void);

/* Open an experiment: from `path` (text NULL) or from YAML `text` (path
 * then names it in messages and anchors relative paths; NULL: "<text>"),
 * with `nsets` overrides "a.b.c=value" as `animat run --set` takes them,
 * and optionally `agent`, the name of a circuit instance the caller plays
 * (NULL: none). Plugins are found as `animat` finds them. On success *out
 * owns the experiment and its instances (release with animat_close). On
 * failure *out is NULL and the one-line message ("FILE:LINE:COL: key:
 * reason", "NAME (plugin): reason") is in msg (cap bytes, may be 0).
 * Any thread (serialised internally). */
int animat_open(animat_exp **out, const char *path, const char *text, const char *const *sets, uint32_t nsets,
                const char *agent, char *msg, size_t cap);

/* Release everything x owns, an episode in progress included. NULL is a
 * no-op. x must not be in use by another thread. */
void animat_close(animat_exp *x);

/* The last error's one-line message ("" after success). Valid until the
 * next call on x. */
const char *animat_errmsg(const animat_exp *x);

/* run.seed, run.episodes and run.max_steps (0 = none) after overrides. */
uint64_t animat_seed(const animat_exp *x);
uint64_t animat_episodes(const animat_exp *x);
uint64_t animat_max_steps(const animat_exp *x);

/* Instances: bodies first, then circuits, in file order. Name and plugin
 * name of instance i (NULL for a bad i), its kind (1 body, 2 circuit as in
 * animat/abi.h; 0 for a bad i). */
uint32_t animat_instances(const animat_exp *x);
const char *animat_instance_name(const animat_exp *x, uint32_t i);
const char *animat_instance_plugin(const animat_exp *x, uint32_t i);
uint32_t animat_instance_kind(const animat_exp *x, uint32_t i);

/* Ports of instance i in direction dir: how many, and port p's record. */
uint32_t animat_ports(const animat_exp *x, uint32_t i, uint32_t dir);
int animat_port(animat_exp *x, uint32_t i, uint32_t dir, uint32_t p, animat_embed_port *out);

/* Find "NAME.DIR.PORT" (DIR: obs/act for bodies, in/out for circuits) and
 * fill *out; *inst, *dir, *port may be NULL. EINPUT with a message listing
 * the instance's ports when it does not exist. */
int animat_port_find(animat_exp *x, const char *spec, uint32_t *inst, uint32_t *dir, uint32_t *port,
                     animat_embed_port *out);

/* Name and unit of element k of port p ("joints[2]" when undeclared) into
 * buf (cap bytes); returns buf, or NULL for a bad index. */
const char *animat_element_name(animat_exp *x, uint32_t i, uint32_t dir, uint32_t p, uint32_t k, char *buf,
                                size_t cap);
const char *animat_element_unit(animat_exp *x, uint32_t i, uint32_t dir, uint32_t p, uint32_t k);

/* Parameters of instance i, resolved (defaults filled in): how many, and
 * parameter k's name and value as text ("1.5", "true", "[64, 64]") into buf.
 * Returns buf or NULL for a bad index. */
uint32_t animat_params(const animat_exp *x, uint32_t i);
const char *animat_param(const animat_exp *x, uint32_t i, uint32_t k, const char **name, char *buf, size_t cap);

/* The graph theta (what `animat train` learns: learner.targets' thetas, or
 * every circuit's, concatenated): its length, entry k's name
 * ("circuit.w_osc") into buf, get, and set (projected into declared bounds
 * and signs like the trainer's). n must equal animat_ntheta. Between
 * episodes or steps; a set applies from the next step on. */
uint32_t animat_ntheta(const animat_exp *x);
const char *animat_theta_name(animat_exp *x, uint32_t k, char *buf, size_t cap);
int animat_get_theta(animat_exp *x, double *theta, uint32_t n);
int animat_set_theta(animat_exp *x, const double *theta, uint32_t n);

/* Run episodes first .. first+n-1 under seed animat_seed (as `animat run`
 * does with --episodes first+n, the last n of them); returns[k] and
 * steps[k] (either may be NULL) receive each one's return and step count.
 * EUNSUPPORTED with an agent (step it instead); EPLUGIN when a plugin
 * fails. Ends an episode in progress. */
int animat_run(animat_exp *x, uint64_t first, uint64_t n, double *returns, uint64_t *steps);

/* animat_open with options; the CLI's `animat run`, `check` and `eval`
 * open their experiment this way. On failure *out is NULL and the message
 * is in msg (cap bytes, may be 0). Any thread (serialised internally). */
typedef struct animat_open_opts {
    uint32_t size;               /* sizeof(animat_open_opts) (ANIMAT_OPEN_OPTS_INIT) */
    uint32_t flags;              /* ANIMAT_OPEN_* */
    const char *path, *text;     /* as animat_open's */
    const char *const *sets;     /* as animat_open's; may be NULL when nsets is 0 */
    uint32_t nsets;
    uint32_t nplugins;
    const char *const *plugins;  /* plugin files (.so) loaded before the ones the experiment names,
                                    as `animat run --plugin FILE`; may be NULL when nplugins is 0 */
    const char *agent;           /* as animat_open's; NULL: none */
} animat_open_opts;
#define ANIMAT_OPEN_OPTS_INIT {sizeof(animat_open_opts), 0, NULL, NULL, NULL, 0, 0, NULL, NULL}

/* Load and validate the file only: no instances are created at open (so
 * port sizes, wiring and record.signals are not checked yet, and
 * run.isolate: true is allowed). animat_run_with and animat_check create
 * their own; the first animat_reset or animat_run creates the handle's
 * (until then animat_ports and animat_ntheta are 0). Not with an agent
 * (EINPUT); with run.isolate: true only animat_run_with and animat_check
 * work (the others are EUNSUPPORTED). */
#define ANIMAT_OPEN_DEFER 1u

int animat_open_with(animat_exp **out, const animat_open_opts *o, char *msg, size_t cap);

/* How animat_run_with runs: `animat run`'s options. */
typedef struct animat_run_opts {
    uint32_t size;               /* sizeof(animat_run_opts) (ANIMAT_RUN_OPTS_INIT) */
    int quiet;                   /* 1: no line per episode on out (the summary still) */
    uint64_t episodes;           /* episodes 0 .. episodes-1; 0: run.episodes */
    const char *trace;           /* CSV trace written there (instead of record.trace); NULL: the file's */
    const char *record;          /* recording written there, HDF5 (.h5) or NWB (.nwb), instead of
                                    record.file; NULL: the file's */
    const char *command;         /* the command line stored in the trace's and recording's provenance;
                                    NULL: none */
    FILE *out;                   /* one line per episode and the summary, as `animat run` prints them
                                    (its stdout); NULL: nothing */
    FILE *progress;              /* a progress line with ETA (`animat run`'s stderr); NULL: none */
    const char *state_out;       /* with one episode: the whole experiment's state after state_at
                                    control steps is written there (docs/state.md); NULL: none */
    uint64_t state_at;
    const char *state_in;        /* run that state's episode on from its step; NULL: none */
    int heldout;                 /* 1: held-out evaluation episodes (`animat eval`; streams never shared
                                    with a run's or training's), lines say so; no trace or recording */
    double *returns;             /* when not NULL: the returns of the episodes run, in order (as many
                                    doubles as episodes run; NaN for one that failed under
                                    run.on_crash: continue) */
} animat_run_opts;
#define ANIMAT_RUN_OPTS_INIT {sizeof(animat_run_opts), 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0, NULL}

/* What a run did (the numbers of its summary line). */
typedef struct animat_run_summary {
    uint32_t size;               /* sizeof(animat_run_summary) (ANIMAT_RUN_SUMMARY_INIT) */
    uint64_t episodes;           /* episodes that ran to their end */
    uint64_t failed;             /* episodes that crashed (run.on_crash: continue) */
    uint64_t steps;              /* control steps in all of them */
    double mean_return, min_return, max_return;
    double seconds;              /* wall time of the episode loop */
} animat_run_summary;
#define ANIMAT_RUN_SUMMARY_INIT {sizeof(animat_run_summary), 0, 0, 0, 0, 0, 0, 0}

/* Run the experiment's episodes as `animat run` runs them -- the same code:
 * returns, trace and recording equal the CLI's bit for bit -- on instances
 * of its own (created and destroyed by the call; the handle's theta, when
 * set with animat_set_theta, applies). Every output is checked before any
 * work, written only if everything succeeded, never half-written. sum (may
 * be NULL) receives the summary. Ends an episode in progress.
 * EUNSUPPORTED with an agent; EINPUT for a bad option; EPLUGIN when the
 * run failed (a plugin, an output that cannot be written, a state file of
 * another experiment: the message says which). Thread: as any call on x;
 * out and progress are written from it. */
int animat_run_with(animat_exp *x, const animat_run_opts *o, animat_run_summary *sum);

/* `animat check`: create the instances (ANIMAT_OPEN_DEFER handles: in a
 * child process first under run.isolate: true), check wiring, port sizes
 * and record.signals, and write the summary `animat check` prints to out
 * (NULL: none); then destroy them. EPLUGIN (with the message) when a
 * check fails. */
int animat_check(animat_exp *x, FILE *out);

/* The held-out episodes `animat eval` runs: train.eval.episodes, else
 * run.episodes when the file or an override gives it, else 10 (0: none). */
uint64_t animat_eval_episodes(const animat_exp *x);

/* The agent (animat_open's agent): observation and action sizes (0, 0
 * without one) and their bounds (handle-owned, size doubles each). */
uint32_t animat_obs_size(const animat_exp *x);
uint32_t animat_act_size(const animat_exp *x);
const double *animat_obs_bounds(const animat_exp *x, int upper);
const double *animat_act_bounds(const animat_exp *x, int upper);

/* Start episode `episode` under run seed `seed` (ending one in progress;
 * a seed other than the current one re-creates the instances, as
 * `animat run --seed` would, keeping a theta set with animat_set_theta).
 * Then runs the graph up to the agent (or, without one, stops before the
 * first control step) and copies the observation into obs (n must be
 * animat_obs_size; obs may be NULL when 0). */
int animat_reset(animat_exp *x, uint64_t seed, uint64_t episode, double *obs, uint32_t nobs);

/* One control step: `act` (animat_act_size finite doubles; NULL when 0)
 * becomes the agent's output, the graph runs to the agent's next turn (or,
 * without an agent, to the end of the control step), the next observation is
 * copied to obs, the step's reward (sum over bodies) to *reward and the
 * ANIMAT_EMBED_* flags to *flags (any of the three may be NULL). After a
 * flag, the episode is over: obs is the final observation and the next
 * step is ESTATE until animat_reset. EINPUT (nothing done) for a NaN or
 * infinite action; ESTATE before reset. */
int animat_step(animat_exp *x, const double *act, uint32_t nact, double *obs, uint32_t nobs, double *reward,
                uint32_t *flags);

/* Episode and control step the handle is at, and the return so far. */
uint64_t animat_episode(const animat_exp *x);
uint64_t animat_step_count(const animat_exp *x);
double animat_return(const animat_exp *x);

/* An RGB frame (w x h x 3 bytes, top row first) of every body's current
 * state, side by side, drawn off-screen by MuJoCo's renderer in OSMesa as
 * `animat render` draws them; *rgb is handle-owned and valid until the next
 * animat_render or animat_close. w and h even, in [16, 4096]. The renderer
 * is opened on the first call: later calls must come from the same thread
 * (its GL context is current there). EUNSUPPORTED when a body has no
 * animat.mujoco/1 extension or OSMesa/MuJoCo cannot be loaded. */
int animat_render(animat_exp *x, uint32_t w, uint32_t h, const uint8_t **rgb);

/* Snapshot and restore (animat.state/1, docs/state.md), while an episode
 * goes on (after animat_reset or animat_step): between two control steps
 * without an agent, at the agent's turn with one (the circuits before it
 * have stepped; loading continues that step from the agent, so the next
 * action meets the same state). save writes the whole experiment's state
 * into a new buffer *buf of *size bytes (free it with animat_state_free);
 * load resets to that state's seed and episode and continues it from its
 * step, bit for bit, on this or another handle opened from the same
 * experiment (the same agent); with an agent, animat_obs then gives the
 * observation. EUNSUPPORTED when an instance has no animat.state/1, or with
 * an agent and interventions; EINPUT for a buffer that is not a state of
 * this experiment's setup (another file, parameters or plugins: the
 * message says so). */
int animat_state_save(animat_exp *x, void **buf, uint64_t *size);
void animat_state_free(void *buf); /* NULL is a no-op; any thread */
int animat_state_load(animat_exp *x, const void *buf, uint64_t size);

/* A vector of handles stepped by `threads` threads of the library (1: the
 * calling thread only; at most 1024). create: 0, or EINPUT/ENOMEM with the
 * message in msg and *out NULL. The vector owns its threads (joined by
 * destroy; NULL is a no-op), never the handles. Thread: one caller thread at
 * a time per vector. */
typedef struct animat_vec animat_vec;
int animat_vec_create(animat_vec **out, uint32_t threads, char *msg, size_t cap);
void animat_vec_destroy(animat_vec *v);

/* Step n handles (each with an agent, equal obs and act sizes) at once:
 * handle i takes act[i*na ..] and writes obs[i*no ..], reward[i], flags[i].
 * Autoreset as Gymnasium's vector API (next step): a handle whose previous
 * step ended is reset instead (episode + 1, same seed; its action
 * ignored, reward 0, flags ANIMAT_EMBED_RESET). Results do not depend on
 * `threads`. Each handle at most once per call (a repeat is refused like a
 * NULL handle, before any is stepped). The handles are borrowed for the
 * call: no other thread may use them meanwhile (each is stepped by one library thread, whichever takes it
 * first: a handle's episode may continue on any of them). The
 * arrays are the caller's. On failure the first failing handle's message
 * is copied into msg: returns 0 or, for handle i failing, -(i + 1) (the
 * other handles were stepped). */
int animat_vec_step(animat_vec *v, animat_exp *const *xs, uint32_t n, const double *act, double *obs,
                    double *reward, uint32_t *flags, char *msg, size_t cap);

/* The agent's current observation (its inputs, as animat_step copies them)
 * into obs (n must be animat_obs_size), e.g. after animat_state_load.
 * ESTATE without an episode. */
int animat_obs(animat_exp *x, double *obs, uint32_t n);

/* Recordings: an HDF5 file `animat run --record` wrote (docs/recording.md;
 * any HDF5 file reads) through the library's libhdf5, for programs without
 * an HDF5 binding. Open lists every dataset once, in name order ("time",
 * "episodes/return", "signals/body.obs.joints"); numbers are read as
 * double, int64 or uint64 by their HDF5 class; attributes (the experiment,
 * provenance, element names, units) are read per object. What the library
 * allocates from a file is bounded (a file with more than 65536 datasets,
 * 4096 attributes on one object or 64 MiB of attribute values is refused in
 * one line); datasets are read into the caller's buffers. Thread: one
 * thread at a time per handle. */
typedef struct animat_rec animat_rec;

#define ANIMAT_REC_MAX_RANK 8u
#define ANIMAT_REC_OTHER 0u /* a type this API does not read (compound, enum, strings in a dataset, ...) */
#define ANIMAT_REC_F64 1u   /* floating point: read as double */
#define ANIMAT_REC_I64 2u   /* signed integers: read as int64_t */
#define ANIMAT_REC_U64 3u   /* unsigned integers: read as uint64_t */
#define ANIMAT_REC_TEXT 4u  /* strings (attributes only) */

typedef struct animat_rec_dataset {
    const char *name;   /* its path without the leading '/'; handle-owned */
    uint32_t type;      /* ANIMAT_REC_*: F64, I64, U64 or OTHER */
    uint32_t rank;      /* dims used (at most ANIMAT_REC_MAX_RANK) */
    uint64_t dims[ANIMAT_REC_MAX_RANK];
} animat_rec_dataset;

typedef struct animat_rec_attribute {
    const char *name;   /* handle-owned, as values */
    uint32_t type;      /* ANIMAT_REC_*; OTHER: values NULL, count 0 */
    uint32_t rank;      /* 0: a scalar; else dims[0..rank) */
    uint64_t dims[ANIMAT_REC_MAX_RANK];
    uint64_t count;     /* values (1 for a scalar) */
    const void *values; /* F64: double[count]; I64: int64_t[count]; U64: uint64_t[count];
                           TEXT: count NUL-terminated UTF-8 strings one after another */
} animat_rec_attribute;

/* Open the HDF5 file `path` read-only and list its datasets. 0, or
 * EINPUT/ENOMEM with one line in msg (cap bytes) and *out NULL: "PATH:
 * cannot open: No such file or directory", "PATH: is a directory, not a
 * recording", "PATH: not an HDF5 file", "PATH: cannot open as HDF5:
 * truncated file: eof = ...", libhdf5's own reason). Any thread. */
int animat_rec_open(animat_rec **out, const char *path, char *msg, size_t cap);

/* Close the file, free everything r owns (NULL is a no-op). */
void animat_rec_close(animat_rec *r);

/* The last error's one-line message, "PATH: ..." ("" after success). */
const char *animat_rec_errmsg(const animat_rec *r);

/* How many datasets, and dataset k's name, type and shape. EINPUT for a bad k. */
uint32_t animat_rec_datasets(const animat_rec *r);
int animat_rec_dataset_info(animat_rec *r, uint32_t k, animat_rec_dataset *out);

/* Read dataset k whole, row-major, into buf: bytes must be 8 times the
 * product of its dims (EINPUT otherwise, nothing read). EUNSUPPORTED for
 * type OTHER; EINPUT naming the dataset when its values cannot be read (a
 * truncated file). */
int animat_rec_read(animat_rec *r, uint32_t k, void *buf, uint64_t bytes);

/* Read the attributes of `object` ("" or "/": the file's root, else a
 * dataset's or group's path) into r, in name order; *n their count.
 * animat_rec_attr gives attribute k; both valid until the next
 * animat_rec_attrs or animat_rec_close. EINPUT for no such object, an
 * object reached through an external link (another file is never opened)
 * or an attribute that cannot be read. */
int animat_rec_attrs(animat_rec *r, const char *object, uint32_t *n);
int animat_rec_attr(animat_rec *r, uint32_t k, animat_rec_attribute *out);

#ifdef __cplusplus
}
#endif
#endif /* ANIMAT_EMBED_H */
