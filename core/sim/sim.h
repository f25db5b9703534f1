/* sim.h -- an experiment's graph of instances, wired, ready to run episodes.
 *
 * sim_create instantiates the experiment's plugins (bodies first, then
 * circuits in step order, so each can size itself from what feeds it),
 * checks every edge (ports exist, sizes and slices agree, no overlapping
 * writes) and allocates all buffers once. An input fed whole by one
 * undelayed edge reads its source's buffer directly (no copy); any other
 * input has its own buffer, filled by slice copies; elements fed by nothing
 * read zeros. sim_episode then runs one episode without allocating:
 *
 *   reset:  every body (first observation), every circuit, delayed inputs := 0
 *   repeat: for each circuit in graph order (sources before sinks):
 *             copy its undelayed inputs; step it `substeps` times with
 *             dt = control_dt / substeps (inputs held, last output kept)
 *           copy body inputs, clip them into declared bounds (port.h);
 *           observers' before(); step every body;
 *           observers' after(reward); online plasticity;
 *           copy delayed edges (their destinations read them next step)
 *   until any body terminates or truncates, or run.max_steps.
 *
 * The episode's return is the sum of all bodies' rewards; each body's own
 * return is in sim_result.body_ret. Each parallel worker owns its own sim.
 * Thread: one thread per sim.
 */
#ifndef SIM_H
#define SIM_H

#include <stdint.h>
#include <stdio.h>

#include "base/errmsg.h"
#include "exp/experiment.h"
#include "plugin/instance.h"
#include "plugin/learner.h"

#define SIM_MAX_METRICS 16
#define SIM_MAX_BODIES 16

/* What one episode produced. */
typedef struct sim_result {
    double ret;                        /* sum of all bodies' rewards */
    uint64_t steps;                    /* control steps taken */
    int terminated, truncated;
    uint32_t nbodies;
    double body_ret[SIM_MAX_BODIES];   /* each body's own return */
    uint32_t nmetrics;
    double metric[SIM_MAX_METRICS];    /* episode means of METRIC ports */
    const char *metric_name[SIM_MAX_METRICS];
    const char *metric_unit[SIM_MAX_METRICS];
} sim_result;

struct sim;

/* Something that watches the step loop (the CSV trace, recordings): before
 * is called after the circuits stepped and the bodies' action ports were
 * filled, before the bodies step (every port holds what this step uses), after
 * with the step's total reward. Non-zero stops the episode with the
 * observer's own message from error(). All three run on the sim's thread. */
typedef struct sim_observer {
    void *ctx;
    int (*before)(void *ctx, const struct sim *s, uint64_t episode, uint64_t step);
    int (*after)(void *ctx, double reward);
    const char *(*error)(void *ctx);
} sim_observer;

#define SIM_MAX_OBSERVERS 4

/* An online learner driving one circuit's plasticity (see learner.h). */
typedef struct sim_online {
    learner *l;                          /* the learner (not owned); NULL: none attached */
    instance *circuit;                   /* the plastic circuit */
    const animat_plasticity_ext *plast;  /* its extension */
    double *elig, *theta;                /* ntheta doubles each; owned */
    uint32_t ntheta;
} sim_online;

/* Which plugin call is in progress: written before every call in the step
 * loop. With isolation it lives in memory shared with the parent, which
 * reads it to name the plugin after a crash. */
typedef struct sim_phase {
    uint32_t inst;  /* instance index + 1 being called; SIM_PHASE_LEARNER; 0 = none */
    uint32_t what;  /* SIM_CALL_* */
    uint64_t episode, step;
} sim_phase;

#define SIM_PHASE_LEARNER UINT32_MAX
#define SIM_CALL_RESET 1u
#define SIM_CALL_STEP 2u
#define SIM_CALL_LEARN 3u

/* One slice copy dst[0..n) = src[0..n), done at a fixed point of a step. */
typedef struct sim_copy {
    const double *src;
    double *dst;
    uint32_t n;
} sim_copy;

/* A circuit in step order and the copies that fill its inputs. */
typedef struct sim_node {
    instance *in;
    uint32_t substeps;
    double dt;                /* control_dt / substeps */
    uint32_t copy0, ncopy;    /* its range in sim.copies */
} sim_node;

/* One intervention, resolved (sim/intervene.h). */
typedef struct sim_iv {
    const struct experiment_iv *x; /* its description; experiment-owned */
    instance *in;                  /* the circuit */
    const animat_units_ext *ux;    /* units: the circuit's extension */
    uint32_t index;                /* unit index or theta entry */
    uint32_t ntheta;               /* theta: the circuit's theta length */
    uint64_t from, to;             /* active on steps [from, to) */
    int on;                        /* active in the current step */
    double saved;                  /* theta: the entry before the window */
} sim_iv;

/* A hook into an episode (`animat run --state-*`, sim/state.h). Runs on
 * the sim's thread; non-zero ends the episode with e set. */
typedef struct sim_hook {
    int (*fn)(void *ctx, struct sim *s, sim_result *r, errmsg *e); /* NULL: no hook */
    void *ctx;
    uint64_t at; /* snap: the step count it runs at */
} sim_hook;

typedef struct sim {
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
} sim;

/* Create instances and wiring for experiment x (which must outlive s).
 * Applies explicit initial thetas. 0, or -1 with e set ("FILE:L:C:
 * wiring[1]: ..." or "NAME (plugin): ...") and s destroyed. */
int sim_create(sim *s, const experiment *x, errmsg *e);

/* Destroy the instances and buffers (safe on a zeroed or failed sim). */
void sim_destroy(sim *s);

/* One line per body action port whose values were clipped to its declared
 * bounds (port.h, "animat.ports/1") in the episodes run so far, with the
 * count, to f; returns how many lines. */
uint32_t sim_print_clipped(const sim *s, FILE *f);

/* Run episode `episode` (0-based; it keys the random streams with x->seed).
 * Fills *r. 0, or -1 with e naming plugin, episode and step. */
int sim_episode(sim *s, uint64_t episode, sim_result *r, errmsg *e);

/* From the next episode on, key every random stream (instances,
 * interventions) in the held-out evaluation domain (on = 1) or the run/train
 * domain (on = 0, the default): episode k held out never shares a stream
 * key with episode k of a run or any training episode (plugin/hostctx.h). */
void sim_heldout(sim *s, int on);

/* Add an observer (copied). 0, or -1 when SIM_MAX_OBSERVERS are in use. */
int sim_observe(sim *s, const sim_observer *o);

/* Attach an online learner to the single target circuit: from the next
 * episode on, after every body step the circuit's eligibility and the
 * reward go to online_step and the updated theta back into the circuit.
 * 0, or -1 with e set (nothing attached). */
int sim_attach_online(sim *s, learner *l, errmsg *e);

/* The instance called `name`, or NULL. */
instance *sim_find(sim *s, const char *name);

/* Graph theta: the concatenation of the targets' thetas (learner.targets,
 * or every circuit with a theta, in file order). get copies out; set
 * projects each entry into its declared [min, max] and sign (the learner
 * never reaches a circuit with a value outside them), then sets. */
int sim_get_theta(sim *s, double *theta, errmsg *e);
int sim_set_theta(sim *s, const double *theta, errmsg *e);

/* Project a graph theta in place onto the declared bounds (see above). */
void sim_project(const sim *s, double *theta);

/* Entry name k of the graph theta ("steer.w[3]") into buf. */
void sim_theta_name(sim *s, uint32_t k, char *buf, size_t cap);

/* Metadata of graph-theta entry k (plugin-owned). */
const animat_param_info *sim_theta_entry(sim *s, uint32_t k);

#endif
