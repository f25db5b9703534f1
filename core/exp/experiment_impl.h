/* experiment_impl.h -- the body of the experiment struct (exp/experiment.h),
 * for the layers that own or run an experiment: exp/, sim/, train/, view/,
 * embed/ (and tests, benchmarks). cli/ never includes it (tests/core/
 * test_layout.c): it reads an experiment through experiment.h's accessors.
 * Ownership and thread rules are experiment.h's.
 */
#ifndef EXPERIMENT_IMPL_H
#define EXPERIMENT_IMPL_H

#include "exp/experiment.h"

struct experiment {
    char *file;            /* path as given; owned */
    char *base_dir;        /* its directory (relative plugin paths); owned */
    yamltree *doc;         /* the tree after overrides; owned */
    registry reg;          /* loaded plugins; owned */
    experiment_inst *insts;/* bodies first, then circuits, in file order; owned */
    uint32_t ninsts, nbodies;
    int short_form;        /* body:/circuit: keys (their classic messages) */
    experiment_conn *conns;/* owned */
    uint32_t nconns;
    uint64_t episodes;     /* run.episodes, default 1 */
    uint64_t seed;         /* run.seed, default 0 */
    uint64_t max_steps;    /* run.max_steps, 0 = until a body ends the episode */
    int isolate;           /* run.isolate: each episode in a forked process */
    int guard;             /* run.guard: guard values around every port buffer, checked after each call */
    int on_crash_continue; /* run.on_crash: 0 = stop (default), 1 = continue */
    double crash_return;   /* run.crash_return: a crashed candidate's return */
    double episode_timeout;/* run.episode_timeout, s; 0 = none (isolate only) */
    thetafile *theta_file; /* top-level theta_file of a graph, or NULL; owned */
    char *theta_file_path; /* its path, resolved; owned */
    const yamltree *theta_file_node;
    experiment_iv *ivs;    /* interventions; owned */
    uint32_t nivs;
    char *trace;           /* record.trace path or NULL; owned */
    const yamltree *record_ports; /* record.ports list or NULL */
    char *record_file;     /* record.file (HDF5 recording) or NULL; owned */
    experiment_signal *record_sigs; /* record.signals resolved, or NULL (= every port, units, reward); owned */
    uint32_t nrecord_sigs;
    uint64_t record_every; /* record.every: sampling interval in control steps, default 1 */
    experiment_inst learner;      /* plugin NULL when there is no learner block */
    uint32_t targets[EXPERIMENT_MAX_INSTS]; /* learner.targets as instance indices */
    uint32_t ntargets;     /* 0: every circuit (sim decides which have a theta) */
    int targets_given;     /* learner.targets was written */
    uint64_t epochs;       /* train.epochs, default 10 */
    uint64_t threads;      /* train.threads, default 1 */
    uint64_t checkpoint_every; /* train.checkpoint_every, default 1 */
    uint64_t episodes_per_candidate; /* train.episodes_per_candidate k, default 1: score = mean of k */
    uint64_t common_episodes; /* train.common_episodes: 0 none, 1 pairs, 2 epoch; default 1 if k > 1 */
    uint64_t eval_episodes; /* held-out episodes after training and of animat eval: train.eval.episodes,
                               else run.episodes when the file (or --set) gives it, else 10; 0 = none */
    char *curve;           /* train.curve path or NULL; owned */
    char *output;          /* train.output path or NULL; owned */
    char *checkpoint;      /* train.checkpoint path or NULL; owned */
};

#endif
