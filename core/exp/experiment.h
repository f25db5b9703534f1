/* experiment.h -- the experiment description: load, override, validate.
 *
 * An experiment is a graph of named plugin instances. A file (YAML) has
 * these top-level keys:
 *   name, description       free text (optional)
 *   body:     {plugin, params}                      the short form of
 *   circuit:  {plugin, params, theta | theta_file}  one body + one circuit
 *   bodies:   {NAME: {plugin, params}, ...}         or maps of named
 *   circuits: {NAME: {plugin, params, theta | theta_file, substeps}, ...}
 *             instances (names [a-z][a-z0-9_]*, unique across the file;
 *             body: is the instance "body", circuit: the instance "circuit")
 *   wiring:   ["SRC -> DST" | "SRC ~> DST", ...]    required (exp/wiring.h)
 *   interventions: [{target, do, value, sigma, from, to}, ...]
 *                           clamp/silence/perturb units or theta entries
 *                           (exp/interventions.h)
 *   arena:   {file, terrain, image, size, seed, cells}  optional: one arena
 *                           for every body that takes arenas (exp/arena.h)
 *   theta_file: FILE        a parameter file with entry names for any
 *                           circuits of the graph (what `animat train` writes)
 *   run:     {episodes, seed, max_steps, isolate, on_crash, crash_return,
 *            episode_timeout, guard}               optional
 *   record:  {trace, ports, file, signals, every}  optional (CSV trace;
 *                                                  HDF5 recording, sim/record.h)
 *   learner: {plugin, params, targets}             optional (animat train)
 *   train:   {epochs, threads, curve, output, checkpoint, checkpoint_every,
 *            episodes_per_candidate, common_episodes}
 *                                                  optional (animat train)
 * Every key is checked; every error names FILE:LINE:COL and the key. Values
 * can be overridden before validation with "a.b.c=value" strings (--set),
 * the value being parsed as YAML (so "[32, 32]" is a list).
 * Port sizes are only known once instances exist: sim checks those.
 * Thread: load and free on one thread; a loaded experiment is read-only and
 * may be shared by any number of threads.
 */
#ifndef EXPERIMENT_H
#define EXPERIMENT_H

#include <stdint.h>

#include "base/errmsg.h"
#include "base/params.h"
#include "base/yamltree.h"
#include "exp/thetafile.h"
#include "plugin/registry.h"

#define EXPERIMENT_NAME_MAX 64
#define EXPERIMENT_MAX_INSTS 64   /* bodies + circuits */
#define EXPERIMENT_MAX_SUBSTEPS 100000

/* One plugin instance of the experiment (a body or a circuit), or the
 * learner. Owned by the experiment; valid until experiment_free. */
typedef struct experiment_inst {
    char name[EXPERIMENT_NAME_MAX]; /* instance name ("body", "steer", ...; "learner") */
    uint32_t kind;                  /* ANIMAT_KIND_* */
    uint32_t stream;                /* random-stream key (plugin/hostctx.h) */
    const registry_plugin *plugin;  /* in the experiment's registry; NULL: absent learner */
    params_set params;              /* resolved; owned */
    const yamltree *node;           /* its block, for positions */
    uint32_t substeps;              /* circuits: steps per control step (>= 1) */
    double *theta;                  /* explicit initial theta or NULL; owned */
    uint32_t ntheta;
    const yamltree *theta_node;     /* where theta came from, for messages */
    int theta_named;                /* theta came from a file with entry names */
    char **theta_names;             /* those names (ntheta, each owned) or NULL */
    char *theta_path;               /* the theta_file read, resolved, or NULL; owned */
} experiment_inst;

/* One end of a connection: NAME.DIR.PORT with an optional [i] or [a:b]. */
typedef struct experiment_end {
    uint32_t inst;                  /* index into experiment.insts */
    uint32_t dir;                   /* ANIMAT_PORT_IN or ANIMAT_PORT_OUT */
    char port[EXPERIMENT_NAME_MAX];
    int sliced;                     /* 0: the whole port */
    uint32_t lo, hi;                /* sliced: elements [lo, hi) */
} experiment_end;

/* One intervention (exp/interventions.h). */
typedef struct experiment_iv {
    uint32_t inst;                  /* a circuit instance */
    int on_theta;                   /* 0: a unit, 1: a theta entry */
    char name[EXPERIMENT_NAME_MAX]; /* the unit's or entry's name */
    uint32_t what;                  /* INTERVENTION_* */
    double value, sigma;            /* clamp/perturb value; noise sigma */
    double from, to;                /* window, s since reset */
    const yamltree *node;           /* for messages */
} experiment_iv;

/* One record.signals entry, resolved when the experiment loads. */
#define EXPERIMENT_SIGNAL_REWARD 0u /* the step's total reward */
#define EXPERIMENT_SIGNAL_UNITS 1u  /* a circuit's units: NAME.units */
#define EXPERIMENT_SIGNAL_PORT 2u   /* a whole port: NAME.DIR.PORT */
#define EXPERIMENT_SIGNAL_SPIKES 3u /* a circuit's spike times: NAME.spikes (animat.spikes/1) */
#define EXPERIMENT_SIGNAL_VOLTAGE 4u /* its units' membrane potentials: NAME.voltage (animat.spikes/1) */
#define EXPERIMENT_SIGNAL_QPOS 5u   /* a body's MuJoCo positions: NAME.qpos (animat.mujoco/1) */
typedef struct experiment_signal {
    uint32_t what;                  /* EXPERIMENT_SIGNAL_* */
    uint32_t inst;                  /* UNITS, SPIKES, VOLTAGE: the circuit's index; QPOS: the body's */
    experiment_end end;             /* PORT: the port (never sliced) */
    const yamltree *node;           /* the entry, for positions */
} experiment_signal;

/* One wiring connection "SRC -> DST" (or delayed, "SRC ~> DST"). */
typedef struct experiment_conn {
    experiment_end src, dst;
    int delayed;                    /* reads the source's previous-step value */
    const yamltree *node;           /* the string, for positions */
} experiment_conn;

/* The experiment itself: opaque outside the layers that own or run it
 * (exp/, sim/, train/, view/, embed/ include exp/experiment_impl.h for its
 * fields; cli/ never does, tests/core/test_layout.c checks that) and read
 * there through the accessors below. */
typedef struct experiment experiment;

/* Load `file`, apply `nsets` overrides "a.b=value", resolve plugins (with
 * `extra_plugins` files loaded first, may be NULL) and validate everything
 * that does not need an instance. 0, or -1 with e set and *x freed. */
int experiment_load(experiment *x, const char *file, const char *const *sets, uint32_t nsets,
                    const char *const *extra_plugins, uint32_t nextra, errmsg *e);

/* The same from `text` (NUL-terminated YAML) instead of reading `file`;
 * `file` still names it in messages and anchors relative paths (plugins,
 * theta files, models): `animat rerun` loads a recording's stored
 * experiment this way. text NULL: read `file`. */
int experiment_load_text(experiment *x, const char *file, const char *text, const char *const *sets, uint32_t nsets,
                         const char *const *extra, uint32_t nextra, errmsg *e);

/* A recording's stored experiment: `text` is named `label` in messages
 * ("run.h5 (stored experiment)", never a file on disk) while relative
 * paths resolve against the folder of `origin` (the experiment's original
 * path). */
int experiment_load_stored(experiment *x, const char *label, const char *origin, const char *text,
                           const char *const *extra, uint32_t nextra, errmsg *e);

/* Free everything in x (safe on a zeroed or failed experiment). */
void experiment_free(experiment *x);

/* The files the experiment reads (the experiment file, theta files) into
 * out (at most cap; experiment-owned strings); returns how many. Outputs
 * must never be one of them. */
uint32_t experiment_inputs(const experiment *x, const char **out, uint32_t cap);

/* The instance called `name`, or -1. */
int experiment_find(const experiment *x, const char *name);

/* Conventional direction word: body OUT "obs", body IN "act", circuit
 * "in"/"out". */
const char *experiment_dir_word(uint32_t kind, uint32_t dir);

/* "body"/"circuit"/"learner" for a kind. */
const char *experiment_kind_name(uint32_t kind);

/* experiment_load and experiment_load_stored into a new heap experiment,
 * for code that does not see the struct (cli/): 0 with *out owned by the
 * caller (experiment_close), or -1 with e set and *out NULL. */
int experiment_open(experiment **out, const char *file, const char *const *sets, uint32_t nsets,
                    const char *const *extra_plugins, uint32_t nextra, errmsg *e);
int experiment_open_stored(experiment **out, const char *label, const char *origin, const char *text,
                           const char *const *extra, uint32_t nextra, errmsg *e);

/* Free an experiment of experiment_open and the struct itself (NULL: no-op). */
void experiment_close(experiment *x);

/* Accessors (exp/access.c); x must be a loaded experiment, any thread that
 * may read it. The path as given (experiment-owned). */
const char *experiment_file(const experiment *x);

/* Number of bodies + circuits; instance i (bodies first, then circuits,
 * in file order) for i < that, the learner (plugin NULL when there is no
 * learner block) for i == that, NULL beyond. Experiment-owned. */
uint32_t experiment_ninsts(const experiment *x);
const experiment_inst *experiment_inst_at(const experiment *x, uint32_t i);

/* run.episodes, run.seed, run.max_steps (0 = none), the held-out
 * episodes (eval_episodes: 0 = none). */
uint64_t experiment_episodes(const experiment *x);
uint64_t experiment_seed(const experiment *x);
uint64_t experiment_max_steps(const experiment *x);
uint64_t experiment_eval_episodes(const experiment *x);

/* The tree after overrides, and the top-level theta_file's resolved path
 * (NULL when none). Experiment-owned. */
const yamltree *experiment_doc(const experiment *x);
const char *experiment_theta_file_path(const experiment *x);

/* Forget every output the file names (record.trace, record.file,
 * train.curve, train.output, train.checkpoint): `animat rerun` writes only
 * its own. */
void experiment_drop_outputs(experiment *x);

/* Control steps an episode is expected to take with control interval dt:
 * run.max_steps, else the first body's time_limit parameter (s) / dt, else
 * 0 (unknown). */
uint64_t experiment_expected_steps(const experiment *x, double dt);

#endif
