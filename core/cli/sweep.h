/* sweep.h -- `animat sweep`: one experiment over a grid of values and a
 * range of seeds, each run an `animat run` or `animat train` child process.
 *
 * A plan is the cartesian product of the --grid axes (points, the first
 * axis varying slowest) times the seeds; run r = point * nseeds + seed
 * index, named pPPP-sS, recorded under DIR/runs/NAME/ (run.h5, log.txt,
 * and for train its curve and parameters). A finished run has
 * DIR/runs/NAME/result.yaml, written atomically by the sweep after the
 * child succeeded, holding the hash of the run's resolved experiment and its
 * value: the mean return of its episodes, or for --train of its held-out
 * evaluation. A run whose result is missing or has another hash is (re)done.
 * DIR/sweep.yaml holds the sweep's arguments and identity; a directory
 * holding another sweep's sweep.yaml is refused. --shard I/N runs the runs
 * with r mod N = I - 1 and leaves DIR/shards/I-of-N; --collect checks that
 * every run is finished and writes DIR/summary.csv and DIR/summary.md: one
 * row per point with n, mean, sd, the 95% confidence interval of the mean
 * (Student t) and min/max. Everything is validated (every run's experiment
 * loads) before anything under DIR is written.
 * Thread: main thread only.
 */
#ifndef SWEEP_H
#define SWEEP_H

#include <stdint.h>
#include <stdio.h>

#include "base/errmsg.h"

#define SWEEP_MAX_AXES 16
#define SWEEP_MAX_ARGS 512

/* One --grid KEY=[v1, ...]. */
typedef struct sweep_axis {
    char *key;      /* owned */
    char **vals;    /* n values as YAML text for --set KEY=VALUE; owned */
    char **labels;  /* the same on one line, for summaries; owned */
    uint32_t n;
} sweep_axis;

/* One run of the plan. */
typedef struct sweep_run {
    uint32_t point;       /* grid point */
    uint64_t seed;        /* run.seed */
    char name[48];        /* pPPP-sS */
    uint64_t hash;        /* of its resolved experiment (sweep_plan_load) */
    int done;             /* result.yaml present with this hash */
    double value;         /* its mean (held-out) return, when done */
} sweep_run;

/* A whole sweep. Strings point into args (owned) unless noted. */
typedef struct sweep_plan {
    char **args;          /* the arguments that define the sweep (no -j, -o, --shard, --quiet); owned */
    uint32_t nargs;
    char *file;           /* the experiment, absolute; owned */
    const char *sets[SWEEP_MAX_ARGS];  /* --set and --seeds-independent overrides */
    uint32_t nsets;
    char *plugins[64];    /* --plugin files, absolute; owned */
    uint32_t nplugins;
    sweep_axis axes[SWEEP_MAX_AXES];
    uint32_t naxes;
    uint64_t seed_lo, seed_hi;
    int seeds_given;      /* --seeds: else the file's run.seed */
    int train;            /* --train: children run animat train */
    uint32_t npoints;
    sweep_run *runs;      /* npoints * nseeds; owned */
    uint32_t nruns;
    uint64_t id;          /* identity: hash of args */
    char *dir;            /* -o DIR / --collect DIR; owned */
} sweep_plan;

/* Parse the plan-defining arguments (FILE, --grid, --seeds, --set,
 * --plugin, --train) from argv into p and keep a copy in p->args. 0, or -1
 * with e set to one line (an empty or malformed grid, a reversed seed
 * range). */
int sweep_plan_parse(sweep_plan *p, int argc, char **argv, errmsg *e);

/* Load the experiment of every run (each --grid value alone first, so a bad
 * value is named), compute each run's hash and mark the runs whose
 * result.yaml under p->dir matches it as done (reading their values). 0, or
 * -1 with e set. Writes nothing. */
int sweep_plan_load(sweep_plan *p, errmsg *e);

/* Free everything p owns. */
void sweep_plan_free(sweep_plan *p);

/* The label of grid point k: "KEY=V, KEY=V" (or "(no grid)"), into buf. */
const char *sweep_point_label(const sweep_plan *p, uint32_t k, char *buf, size_t cap);

/* Is p->dir usable for this sweep without destroying anything: absent, or a
 * directory that is empty or holds this sweep's sweep.yaml? 0, or -1 with e
 * set ("DIR holds another sweep's runs ..."). */
int sweep_dir_check(const sweep_plan *p, errmsg *e);

/* Create p->dir, DIR/runs and DIR/sweep.yaml (atomically). 0 or -1. */
int sweep_dir_init(const sweep_plan *p, errmsg *e);

/* Read DIR/sweep.yaml back into the arguments it holds (for --collect):
 * *argc strings into argv (caller frees with free on each and the array).
 * 0, or -1 with e set. */
int sweep_dir_args(const char *dir, char ***argv, int *argc, errmsg *e);

/* Run the runs that are not done and belong to shard `shard` of `nshards`
 * (1-based; 1 of 1 = all), at most `jobs` child processes at once. One
 * progress line per finished run on out (done/total, value, ETA), and at
 * least every 10 s while runs are going (unless quiet). Returns the number
 * of runs that failed (their log named on stderr), or -1 with e set when a
 * child could not be started. */
int sweep_pool_run(sweep_plan *p, uint32_t shard, uint32_t nshards, uint32_t jobs, int quiet, FILE *out, errmsg *e);

/* Write DIR/summary.csv and DIR/summary.md from the runs (all done). 0 or -1. */
int sweep_summary_write(const sweep_plan *p, errmsg *e);

#endif
