/* reacher2.h -- the "reacher2" body: two planar 2-link arms (module rch_).
 *
 * One MuJoCo world holds a left arm (base at x = -0.2 m) and a right arm
 * (base at x = +0.2 m), each dm_control's reacher proportions (links 0.12 m
 * and 0.1 m, shoulder and elbow hinges about z, motors with gear 0.05), and
 * one target site per arm placed at every reset uniformly in angle around
 * its arm's base at a radius uniform in [0.05, 0.2] m.
 *   reacher2.c       ABI glue: parameters, ports, vtable, entry;
 *   reacher2_model.c the MJCF text and the index of names;
 *   reacher2_task.c  reset draws, observations, rewards.
 * Host-independent except reacher2.c; nothing here allocates in step.
 */
#ifndef ANIMAT_REACHER2_H
#define ANIMAT_REACHER2_H

#include <mujoco/mujoco.h>

#define RCH_ARMS 2
#define RCH_OBS 6 /* per arm: 2 angles, 2 velocities, fingertip->target (x, y) */

/* Tasks and reward shapes (indices into the parameters' choices). */
#define RCH_TASK_REACH 0
#define RCH_TASK_HOLD 1
#define RCH_REWARD_DISTANCE 0
#define RCH_REWARD_BOUNDED 1

/* Resolved model ids, per arm (0 left, 1 right). Plain data. */
typedef struct rch_index {
    int qpos[RCH_ARMS][2];  /* shoulder, elbow qpos addresses */
    int qvel[RCH_ARMS][2];
    int ctrl[RCH_ARMS][2];  /* actuator ids */
    int tip[RCH_ARMS];      /* fingertip site ids */
    int target[RCH_ARMS];   /* target site ids */
    int tip_body[RCH_ARMS]; /* body that carries the fingertip */
    double base[RCH_ARMS][2]; /* arm base (x, y) */
} rch_index;

/* Task settings. Plain data. */
typedef struct rch_task {
    int task, shape;
    double target_radius; /* m: the bounded reward's "at the target" */
    double hold_speed;    /* m/s: bounded hold counts only below this tip speed */
    double hold_weight;   /* s: distance hold subtracts hold_weight * tip speed */
} rch_task;

/* Build the model (timestep in s). NULL with a one-line reason in err. Create. */
mjModel *rch_build(double timestep, char *err, int errlen);

/* Resolve names into ix; 0 or -1 when the layout is unexpected. Create. */
int rch_index_init(const mjModel *m, rch_index *ix);

/* A uniform draw in [0, 1) from the caller's stream. */
typedef double (*rch_uniform_fn)(void *ctx);

/* mj_resetData; shoulders U(-pi, pi), elbows uniform in their range (left
 * arm first, shoulder before elbow); then per arm (left first) the target's
 * angle U(0, 2 pi) and radius U(0.05, 0.2); mj_forward. Moves the target
 * sites in m (the instance's own model). Reset phase. */
void rch_reset_state(mjModel *m, mjData *d, const rch_index *ix, rch_uniform_fn u, void *ctx);

/* Arm a's observation (RCH_OBS values). Reset/step phase. */
void rch_observe_arm(const mjData *d, const rch_index *ix, int a, double *out);

/* Fingertip-to-target distance of arm a, m. */
double rch_distance(const mjData *d, const rch_index *ix, int a);

/* Reward of the current state, summed over both arms. Step phase. */
double rch_reward(const mjModel *m, const mjData *d, const rch_index *ix, const rch_task *t);

#endif /* ANIMAT_REACHER2_H */
