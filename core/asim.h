/* asim.h -- one body and one circuit, wired, ready to run episodes.
 *
 * asim_create instantiates the experiment's plugins (body first, so the
 * circuit can size itself from the wiring), checks every connection (ports
 * exist, sizes match), and allocates all port buffers once. A wired input
 * reads its source's buffer directly (no copy); an unwired input reads
 * zeros. asim_episode then runs one episode without allocating:
 *   body.reset -> circuit.reset -> repeat { circuit.step, body.step }
 * Each parallel worker owns its own asim. Thread: one thread per asim.
 */
#ifndef ASIM_H
#define ASIM_H

#include <stdint.h>
#include <stdio.h>

#include "aerr.h"
#include "aexp.h"
#include "ahost.h"

#define ASIM_MAX_METRICS 16

/* A live plugin instance and its ports. */
typedef struct asim_inst {
    ahost host;                       /* its host table */
    const areg_plugin *plugin;
    void *self;                       /* the plugin's instance */
    const animat_port_info *ports[2]; /* [ANIMAT_PORT_IN], [ANIMAT_PORT_OUT] */
    uint32_t nports[2];
    double **bufs[2];                 /* one buffer pointer per port */
} asim_inst;

/* What one episode produced. */
typedef struct asim_result {
    double ret;                        /* sum of rewards */
    uint64_t steps;                    /* control steps taken */
    int terminated, truncated;
    uint32_t nmetrics;
    double metric[ASIM_MAX_METRICS];   /* episode means of METRIC ports */
    const char *metric_name[ASIM_MAX_METRICS];
    const char *metric_unit[ASIM_MAX_METRICS];
} asim_result;

/* Per-step recording hook (the CSV trace); NULL to record nothing. */
typedef struct asim_trace asim_trace;

/* An online learner driving the circuit's plasticity (see learner.h). */
typedef struct asim_online {
    const animat_learner_api *api;       /* the learner's table */
    void *self;                          /* its instance (not owned) */
    ahost *host;                         /* its host table, for messages */
    const animat_plasticity_ext *plast;  /* the circuit's extension */
    double *elig, *theta;                /* ntheta doubles each; owned */
} asim_online;

/* Which plugin call is in progress: written before every call in the step
 * loop. With isolation it lives in memory shared with the parent, which
 * reads it to name the plugin after a crash. */
typedef struct asim_phase {
    uint32_t role;  /* AHOST_ROLE_* of the plugin being called, 0 = none */
    uint32_t what;  /* ASIM_CALL_* */
    uint64_t episode, step;
} asim_phase;

#define ASIM_CALL_RESET 1u
#define ASIM_CALL_STEP 2u
#define ASIM_CALL_LEARN 3u

typedef struct asim {
    const aexp *x;
    asim_phase *phase;  /* &local_phase, or a shared page under isolation */
    asim_phase local_phase;
    void *shared_page;  /* mmap'd by aiso; unmapped by asim_destroy */
    asim_online online; /* api NULL when no online learner is attached */
    asim_inst body, circuit;
    double dt;          /* body control interval, s */
    uint32_t ntheta;
    double *pool;       /* all port buffers; owned */
    double *zeros;      /* shared zero input; owned */
    asim_trace *trace;  /* not owned */
    uint64_t episode;   /* the current episode, for messages */
    uint64_t step;      /* the current step, for messages */
} asim;

/* Create instances and wiring for experiment x (which must outlive s).
 * Sets the circuit's theta from x->theta when given. 0, or -1 with e set
 * ("FILE:L:C: wiring[1]: ..." or "body (swimmer): ...") and s destroyed. */
int asim_create(asim *s, const aexp *x, aerr *e);

/* Destroy the instances and buffers (safe on a zeroed or failed asim). */
void asim_destroy(asim *s);

/* Run episode `episode` (0-based; it keys the random streams with x->seed).
 * Stops when the body terminates or truncates, or after x->max_steps steps
 * when non-zero. Fills *r. 0, or -1 with e naming plugin, episode and step. */
int asim_episode(asim *s, uint64_t episode, asim_result *r, aerr *e);

/* Attach an online learner (learner api with online_step, instance, its
 * host): from the next episode on, after every body step the circuit's
 * eligibility and the reward go to online_step and the updated theta back
 * into the circuit. The circuit must offer ANIMAT_EXT_PLASTICITY. 0, or -1
 * with e set (nothing attached). */
int asim_attach_online(asim *s, const animat_learner_api *api, void *self, ahost *host, aerr *e);

/* Find a port by role/dir/name: its index, or -1. */
int asim_port(const asim *s, uint32_t role, uint32_t dir, const char *name);

/* The instance for a role id. */
asim_inst *asim_role(asim *s, uint32_t role);

/* The circuit's theta length, and copies in and out (caller buffers). */
int asim_get_theta(asim *s, double *theta, aerr *e);
int asim_set_theta(asim *s, const double *theta, aerr *e);

#endif
