/* sim_impl.h -- the body of the sim struct (sim/sim.h), for the layers that
 * run a graph: sim/, train/, view/, embed/ (and tests, benchmarks). cli/
 * never includes it (tests/core/test_layout.c). Thread rules are sim.h's.
 */
#ifndef SIM_IMPL_H
#define SIM_IMPL_H

#include "exp/experiment_impl.h"
#include "sim/sim.h"

struct sim {
    const experiment *x;
    sim_phase *phase;         /* &local_phase, or a shared page under isolation */
    sim_phase local_phase;
    void *shared_page;        /* mmap'd by isolate; unmapped by sim_destroy */
    sim_online online;        /* online.l NULL when no online learner is attached */
    instance *insts;          /* x->ninsts, same order as x->insts; owned */
    uint32_t ninsts, nbodies;
    sim_node *nodes;          /* circuits in step order; owned */
    uint32_t nnodes;
    sim_copy *copies;         /* undelayed copies, grouped: nodes', then bodies'; owned */
    uint32_t ncopies, body_copy0;
    sim_copy *delayed;        /* delayed-edge copies, end of step; owned */
    uint32_t ndelayed;
    double dt;                /* bodies' control interval, s */
    uint32_t ntargets;        /* circuits whose thetas the learner sees */
    instance *targets[EXPERIMENT_MAX_INSTS];
    uint32_t target_n[EXPERIMENT_MAX_INSTS]; /* each one's theta length */
    uint32_t ntheta;          /* their total */
    double *lo, *hi;          /* projection bounds per graph-theta entry; owned */
    double *scratch;          /* ntheta doubles for projection; owned */
    double *pool;             /* all port buffers; owned */
    size_t npool;             /* doubles in pool (guards included) */
    uint32_t nguard;          /* run.guard: SIM_GUARD guard doubles around every pool buffer, checked after
                                 every plugin call (sim/guard.h); 0: none, the step loop checks nothing */
    double *zeros;            /* shared zero input; owned */
    sim_iv *ivs;              /* interventions; owned */
    uint32_t nivs;
    double *ivtheta;          /* a theta buffer for them; owned */
    void *ivrng;              /* their noise stream (gsl_rng); owned */
    sim_observer observers[SIM_MAX_OBSERVERS];
    uint32_t nobservers;
    uint64_t domain;          /* stream domain of its episodes: HOSTCTX_DOMAIN_RUN (0, after
                                 sim_create) or _HELDOUT (sim_heldout); set between episodes */
    uint64_t episode;         /* the current episode, for messages */
    uint64_t step;            /* the current step, for messages */
    sim_hook snap;            /* runs after snap.at control steps, before the next */
    sim_hook restore;         /* runs once after the episode's reset, before its first step */
    uint32_t resume_node;     /* set by the restore hook (a state saved inside a control step, at circuit
                                 node resume_node - 1's turn): the first step skips the interventions' step
                                 and the circuits before that node, which had run; 0: a whole first step */
};

#endif
