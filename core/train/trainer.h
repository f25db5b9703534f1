/* trainer.h -- `animat train`: learn a circuit's parameters.
 *
 * Per epoch: reseed the learner's stream from (run seed, epoch); ask for P
 * candidates; evaluate candidate k with one episode whose index is
 * epoch * P + k (so its random streams depend on nothing else); tell the
 * returns. Candidates are spread over MPI ranks (k mod ranks) and, within a
 * rank, over worker threads, each with its own body and circuit instances;
 * returns are combined by index, so the learning curve is bit-identical
 * whatever the numbers of threads and ranks. Online learners (online_step)
 * run their episodes in one thread, plasticity on.
 *
 * Outputs (rank 0): one progress line per epoch; the learning curve CSV
 * (train.curve); the learner's parameter estimate as a YAML file that
 * `animat run` loads with circuit.theta_file or --theta (train.output,
 * default BASENAME.params.yaml in the working directory); a checkpoint every
 * train.checkpoint_every epochs (train.checkpoint), written atomically.
 * SIGINT/SIGTERM stop after the current epoch with a checkpoint.
 */
#ifndef TRAINER_H
#define TRAINER_H

#include <stdint.h>
#include <stdio.h>

#include "base/errmsg.h"
#include "exp/experiment.h"

/* Exit status after an interrupt that left a checkpoint. */
#define TRAINER_INTERRUPTED 130

/* What a training run did (filled when trainer_opts.stats is non-NULL). */
typedef struct trainer_stats {
    uint64_t epochs, episodes, steps; /* totals, including resumed epochs */
    double seconds;                   /* wall time of this invocation's epochs */
} trainer_stats;

typedef struct trainer_opts {
    uint64_t threads;     /* overrides train.threads when non-zero */
    int resume;           /* continue from train.checkpoint */
    const char *command;  /* for provenance; may be NULL */
    int quiet;            /* no per-epoch lines */
    trainer_stats *stats;  /* filled on success when non-NULL; caller-owned */
    const char *record;   /* HDF5 recording: per-epoch returns, then one episode of the result; or NULL */
    const char *const *extra_plugins; /* --plugin files, kept in the recording; may be NULL */
    uint32_t nextra;
    int dry;              /* 1: write no curve, parameters or checkpoint (animat rerun) */
    FILE *progress;       /* rank 0: progress of the candidates with ETA (base/progress.h); NULL: none */
} trainer_opts;

/* Train experiment x. Returns 0 when all epochs ran, TRAINER_INTERRUPTED
 * after a signal (checkpoint written if configured), or -1 with e set. */
int trainer_run(const experiment *x, const trainer_opts *o, FILE *out, errmsg *e);

/* Install SIGINT/SIGTERM handlers that make trainer_run stop cleanly. */
void trainer_handle_signals(void);

#endif
