/* sim.h -- one body and one circuit, wired, ready to run episodes.
 *
 * sim_create instantiates the experiment's plugins (body first, so the
 * circuit can size itself from the wiring), checks every connection (ports
 * exist, sizes match), and allocates all port buffers once. A wired input
 * reads its source's buffer directly (no copy); an unwired input reads
 * zeros. sim_episode then runs one episode without allocating:
 *   body.reset -> circuit.reset -> repeat { circuit.step, body.step }
 * Each parallel worker owns its own sim. Thread: one thread per sim.
 */
#ifndef SIM_H
#define SIM_H

#include <stdint.h>
#include <stdio.h>

#include "base/errmsg.h"
#include "exp/experiment.h"
#include "plugin/hostctx.h"

#define SIM_MAX_METRICS 16

/* A live plugin instance and its ports. */
typedef struct sim_inst {
    hostctx host;                       /* its host table */
    const registry_plugin *plugin;
    void *self;                       /* the plugin's instance */
    const animat_port_info *ports[2]; /* [ANIMAT_PORT_IN], [ANIMAT_PORT_OUT] */
    uint32_t nports[2];
    double **bufs[2];                 /* one buffer pointer per port */
} sim_inst;

/* What one episode produced. */
typedef struct sim_result {
    double ret;                        /* sum of rewards */
    uint64_t steps;                    /* control steps taken */
    int terminated, truncated;
    uint32_t nmetrics;
    double metric[SIM_MAX_METRICS];   /* episode means of METRIC ports */
    const char *metric_name[SIM_MAX_METRICS];
    const char *metric_unit[SIM_MAX_METRICS];
} sim_result;

/* Per-step recording hook (the CSV trace); NULL to record nothing. */
typedef struct sim_trace sim_trace;

/* An online learner driving the circuit's plasticity (see learner.h). */
typedef struct sim_online {
    const animat_learner_api *api;       /* the learner's table */
    void *self;                          /* its instance (not owned) */
    hostctx *host;                         /* its host table, for messages */
    const animat_plasticity_ext *plast;  /* the circuit's extension */
    double *elig, *theta;                /* ntheta doubles each; owned */
} sim_online;

/* Which plugin call is in progress: written before every call in the step
 * loop. With isolation it lives in memory shared with the parent, which
 * reads it to name the plugin after a crash. */
typedef struct sim_phase {
    uint32_t role;  /* HOSTCTX_ROLE_* of the plugin being called, 0 = none */
    uint32_t what;  /* SIM_CALL_* */
    uint64_t episode, step;
} sim_phase;

#define SIM_CALL_RESET 1u
#define SIM_CALL_STEP 2u
#define SIM_CALL_LEARN 3u

typedef struct sim {
    const experiment *x;
    sim_phase *phase;  /* &local_phase, or a shared page under isolation */
    sim_phase local_phase;
    void *shared_page;  /* mmap'd by isolate; unmapped by sim_destroy */
    sim_online online; /* api NULL when no online learner is attached */
    sim_inst body, circuit;
    double dt;          /* body control interval, s */
    uint32_t ntheta;
    double *pool;       /* all port buffers; owned */
    double *zeros;      /* shared zero input; owned */
    sim_trace *trace;  /* not owned */
    uint64_t episode;   /* the current episode, for messages */
    uint64_t step;      /* the current step, for messages */
} sim;

/* Create instances and wiring for experiment x (which must outlive s).
 * Sets the circuit's theta from x->theta when given. 0, or -1 with e set
 * ("FILE:L:C: wiring[1]: ..." or "body (swimmer): ...") and s destroyed. */
int sim_create(sim *s, const experiment *x, errmsg *e);

/* Destroy the instances and buffers (safe on a zeroed or failed sim). */
void sim_destroy(sim *s);

/* Run episode `episode` (0-based; it keys the random streams with x->seed).
 * Stops when the body terminates or truncates, or after x->max_steps steps
 * when non-zero. Fills *r. 0, or -1 with e naming plugin, episode and step. */
int sim_episode(sim *s, uint64_t episode, sim_result *r, errmsg *e);

/* Attach an online learner (learner api with online_step, instance, its
 * host): from the next episode on, after every body step the circuit's
 * eligibility and the reward go to online_step and the updated theta back
 * into the circuit. The circuit must offer ANIMAT_EXT_PLASTICITY. 0, or -1
 * with e set (nothing attached). */
int sim_attach_online(sim *s, const animat_learner_api *api, void *self, hostctx *host, errmsg *e);

/* Find a port by role/dir/name: its index, or -1. */
int sim_port(const sim *s, uint32_t role, uint32_t dir, const char *name);

/* The instance for a role id. */
sim_inst *sim_role(sim *s, uint32_t role);

/* The circuit's theta length, and copies in and out (caller buffers). */
int sim_get_theta(sim *s, double *theta, errmsg *e);
int sim_set_theta(sim *s, const double *theta, errmsg *e);

#endif
