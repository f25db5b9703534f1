/* aexp.h -- the experiment description: load, override, validate.
 *
 * An experiment file (YAML) has these top-level keys:
 *   name, description       free text (optional)
 *   body:    {plugin, params}          required
 *   circuit: {plugin, params, theta | theta_file}   required; initial parameters
 *   wiring:  ["body.obs.X -> circuit.in.Y", ...]   required
 *   run:     {episodes, seed, max_steps, isolate, on_crash, crash_return,
 *            episode_timeout}                      optional
 *   record:  {trace, ports}                        optional
 *   learner: {plugin, params}                      optional (animat train)
 *   train:   {epochs, threads, curve, output, checkpoint, checkpoint_every,
 *            episodes_per_candidate, common_episodes}
 *                                                  optional (animat train)
 * Every key is checked; every error names FILE:LINE:COL and the key. Values
 * can be overridden before validation with "a.b.c=value" strings (--set),
 * the value being parsed as YAML (so "[32, 32]" is a list).
 * Port sizes are only known once instances exist: asim checks those.
 */
#ifndef AEXP_H
#define AEXP_H

#include <stdint.h>

#include "aerr.h"
#include "apar.h"
#include "areg.h"
#include "ydoc.h"

#define AEXP_NAME_MAX 64

/* One plugin instance of the experiment. */
typedef struct aexp_role {
    const char *role;            /* "body" or "circuit" (static) */
    const areg_plugin *plugin;   /* in the experiment's registry */
    apar_set params;             /* resolved; owned */
    const ydoc *node;            /* its block, for positions */
} aexp_role;

/* One wiring connection "SRC -> DST". */
typedef struct aexp_conn {
    uint32_t src_role, dst_role; /* AHOST_ROLE_* */
    char src_port[AEXP_NAME_MAX], dst_port[AEXP_NAME_MAX];
    const ydoc *node;            /* the string, for positions */
} aexp_conn;

typedef struct aexp {
    char *file;            /* path as given; owned */
    char *base_dir;        /* its directory (relative plugin paths); owned */
    ydoc *doc;             /* the tree after overrides; owned */
    areg reg;              /* loaded plugins; owned */
    aexp_role body, circuit;
    aexp_conn *conns;      /* owned */
    uint32_t nconns;
    uint64_t episodes;     /* run.episodes, default 1 */
    uint64_t seed;         /* run.seed, default 0 */
    uint64_t max_steps;    /* run.max_steps, 0 = until the body ends the episode */
    int isolate;           /* run.isolate: each episode in a forked process */
    int on_crash_continue; /* run.on_crash: 0 = stop (default), 1 = continue */
    double crash_return;   /* run.crash_return: a crashed candidate's return */
    double episode_timeout;/* run.episode_timeout, s; 0 = none (isolate only) */
    double *theta;         /* circuit.theta if given; owned */
    uint32_t ntheta;
    const ydoc *theta_node;
    char *trace;           /* record.trace path or NULL; owned */
    const ydoc *record_ports; /* record.ports list or NULL */
    aexp_role learner;     /* plugin NULL when there is no learner block */
    uint64_t epochs;       /* train.epochs, default 10 */
    uint64_t threads;      /* train.threads, default 1 */
    uint64_t checkpoint_every; /* train.checkpoint_every, default 1 */
    uint64_t episodes_per_candidate; /* train.episodes_per_candidate k, default 1: score = mean of k */
    uint64_t common_episodes; /* train.common_episodes: 0 none, 1 pairs, 2 epoch; default 1 if k > 1 */
    char *curve;           /* train.curve path or NULL; owned */
    char *output;          /* train.output path or NULL; owned */
    char *checkpoint;      /* train.checkpoint path or NULL; owned */
} aexp;

/* Load `file`, apply `nsets` overrides "a.b=value", resolve plugins (with
 * `extra_plugins` files loaded first, may be NULL) and validate everything
 * that does not need an instance. 0, or -1 with e set and *x freed. */
int aexp_load(aexp *x, const char *file, const char *const *sets, uint32_t nsets,
              const char *const *extra_plugins, uint32_t nextra, aerr *e);

/* Read a parameter file written by `animat train` (YAML with a `theta`
 * list, optionally `circuit: NAME`). On success *theta (caller frees) holds
 * *n values. If `circuit` is non-NULL and the file names another circuit,
 * that is an error. 0, or -1 with e set. */
int aexp_read_theta(const char *path, const char *circuit, double **theta, uint32_t *n, aerr *e);

/* Free everything in x (safe on a zeroed or failed aexp). */
void aexp_free(aexp *x);

/* Parse "role.dir.port" into role/dir (ANIMAT_PORT_IN/OUT)/port. Accepts
 * body.obs|body.act|circuit.in|circuit.out (and body.in|body.out). 0 or -1. */
int aexp_parse_port(const char *s, uint32_t *role, uint32_t *dir, char *port, size_t cap);

/* "body"/"circuit" for a role id. */
const char *aexp_role_name(uint32_t role);

/* Conventional direction word: body OUT "obs", body IN "act", circuit "in"/"out". */
const char *aexp_dir_word(uint32_t role, uint32_t dir);

#endif
