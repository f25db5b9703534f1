/* runner.h -- run an experiment's episodes and report them.
 *
 * Used by `animat run` and the benchmarks: creates the simulation, opens the
 * trace if asked, runs every episode printing one progress line each to
 * `out`, then a summary, and commits the trace only if everything succeeded.
 */
#ifndef RUNNER_H
#define RUNNER_H

#include <stdint.h>
#include <stdio.h>

#include "base/errmsg.h"
#include "exp/experiment.h"

typedef struct runner_opts {
    const char *trace;       /* overrides record.trace when non-NULL */
    const char *record;      /* overrides record.file (HDF5) when non-NULL */
    const char *const *extra_plugins; /* --plugin files, kept in the recording; may be NULL */
    uint32_t nextra;
    const char *command;     /* the command line, for provenance; may be NULL */
    int quiet;               /* 1: no per-episode lines */
    /* Experiment state (sim/state.h, docs/state.md): with state_out, the
     * state after state_at control steps of the run's only episode is
     * written there (the run goes on to the episode's end); with state_in,
     * the run is that state's episode, continued from its step. */
    const char *state_out;   /* may be NULL */
    uint64_t state_at;
    const char *state_in;    /* may be NULL */
    FILE *progress;          /* progress of the steps with ETA (base/progress.h), usually stderr; NULL: none */
    int heldout;             /* 1: held-out evaluation (animat eval): episodes in the held-out stream
                                domain (sim_heldout), lines say so; no trace or recording */
    double *returns;         /* when non-NULL: each episode's return, in order (NaN: failed, on_crash
                                continue); as many doubles as episodes run; caller-owned */
    const double *theta;     /* when non-NULL: the graph theta set after the instances are created
                                (sim_set_theta, projected), e.g. the embedding API's animat_set_theta */
} runner_opts;

typedef struct runner_summary {
    uint64_t episodes;
    uint64_t steps;          /* control steps in all episodes */
    double mean_return, min_return, max_return;
    double seconds;          /* wall time of the episode loop */
    uint64_t failed;         /* episodes that crashed (run.on_crash: continue) */
} runner_summary;

/* Run x->episodes episodes of experiment x. Progress goes to `out` (may be
 * NULL; on a terminal each episode line ends with an ETA). Writes the trace
 * and the HDF5 recording when asked (both checked before any work). Fills
 * *sum when non-NULL. 0, or -1 with e set (no trace or recording left). */
int runner_run(const experiment *x, const runner_opts *o, FILE *out, runner_summary *sum, errmsg *e);

/* Provenance text (several lines) for experiment x: version, command, file
 * hashes, seed, plugins and their parameters. Caller frees. NULL on OOM. */
char *runner_provenance(const experiment *x, const char *command);

/* Monotonic clock in seconds. */
double runner_now(void);

#endif
