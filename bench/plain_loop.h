/* plain_loop.h -- the benchmarks' reference: the NCAP swimmer as a plain C
 * loop on raw MuJoCo, doing per control step exactly the work the swimmer and
 * ncap plugins do (see bench_host.c for the full account). Shared by
 * bench_host and bench_train. Single-threaded per plain_sim.
 */
#ifndef PLAIN_LOOP_H
#define PLAIN_LOOP_H

#include <mujoco/mujoco.h>
#include <stdint.h>

#include "exp/experiment.h"
#include "plugin/hostctx.h"
#include "swimmer_model.h"

#define BENCH_PHYSICS_STEPS 15      /* swimmer default physics_steps */
#define BENCH_STEP_LIMIT 1000       /* round(30 s / 0.03 s) */
#define BENCH_TARGET_SPEED 0.1      /* swimmer default target_speed, m/s */
#define BENCH_OSC_PERIOD 60u        /* ncap default osc_period, steps */
#define BENCH_MAX_JOINTS (SWM_MAX_BODIES - 1)

/* The plain path's state: model, data, the host-stream generator for
 * initial states and the observation arrays the body would fill. */
typedef struct plain_sim {
    mjModel *m;
    mjData *d;
    hostctx rng_host;   /* only its seeding and generator are used */
    int nj;           /* actuated joints */
    double lim;       /* segment joint limit, rad */
    double joints[BENCH_MAX_JOINTS];
    double vel[3 * SWM_MAX_BODIES];
    double obs[BENCH_MAX_JOINTS + 3 * SWM_MAX_BODIES];
    double speed;
    double position[2];
    double act[BENCH_MAX_JOINTS];
    int chain;        /* NCAP passes per step, each feeding the next (default 1) */
} plain_sim;

/* Build the plain path for experiment x (x must outlive p). 0 or -1. */
int plain_create(plain_sim *p, const experiment *x);

/* Free what plain_create made; safe on a zeroed or failed plain_sim. */
void plain_destroy(plain_sim *p);

/* One plain episode (run seed, episode index): the return in *ret; the
 * steps taken, or 0 if the simulation diverged. No allocation. */
uint64_t plain_episode(plain_sim *p, uint64_t seed, uint64_t episode, double *ret);

#endif
