/* swimmer_sim.h -- episode mechanics of the swimmer over mjModel/mjData (swm_).
 *
 * Initial-state draws, the control step, observations and rewards, written as
 * functions of a model built by swm_build (swimmer_model.h) and its data.
 * Host-independent: randomness comes through a caller-supplied uniform draw,
 * so unit tests compile this file directly. Nothing here allocates.
 */
#ifndef SWIMMER_SIM_H
#define SWIMMER_SIM_H

#include <mujoco/mujoco.h>

/* A uniform draw in [0, 1) from the caller's stream (ctx is passed back). */
typedef double (*swm_uniform_fn)(void *ctx);

/* Model indices resolved once after swm_build. Plain data. */
typedef struct swm_index {
    int n_bodies;    /* links (head + segments) */
    int head_body;   /* body id of "head" */
    int nose_geom;   /* geom id of "nose" */
    int target_geom; /* geom id of "target", or -1 (swim task) */
} swm_index;

/* Resolve the names in m (a model from swm_build) into *ix. Returns 0, or -1
 * when m does not have the expected layout (names, sizes, sensors).
 * m and ix must not be NULL. Create phase, any thread. */
int swm_index_init(const mjModel *m, swm_index *ix);

/* Start an episode on d: mj_resetData, root hinge ~ U(-pi, pi), each segment
 * joint ~ U(-L, L) with L = 2*pi/n, velocities 0; for the navigate task (ix
 * has a target) the target is drawn as dm_control does: close (p = 0.2,
 * drawn first) in [-0.3, 0.3]^2, else in [-2, 2]^2, x then y. The target
 * position is written into m->geom_pos, so m must be this instance's own
 * model. Ends with mj_forward. Reset phase, the instance's thread. */
void swm_reset_state(mjModel *m, mjData *d, const swm_index *ix,
                     swm_uniform_fn uniform, void *ctx);

/* Advance one control interval of `nsub` physics steps with ctrl as already
 * set in d->ctrl. Same trajectory as nsub calls of mj_step, but finishes with
 * mj_step1 so that sensors and positions describe the final state (as
 * dm_control's legacy step does); requires that mj_forward or a previous
 * swm_advance ran on d. Returns NULL, or a static phrase saying what went
 * wrong: a MuJoCo warning (bad qpos/qvel/qacc, after which MuJoCo resets d
 * itself; constraint or contact buffer overflow; bad inertia) or a
 * non-finite state. Step phase, the instance's thread. */
const char *swm_advance(const mjModel *m, mjData *d, int nsub);

/* Segment joint angles, n-1 values, joint 0 nearest the head. Step/reset. */
void swm_joints(const mjModel *m, const mjData *d, const swm_index *ix, double *out);

/* Per body, head first, local (vx, vy, wz) from velocimeter x,y and gyro z:
 * 3n values. Step/reset phase. */
void swm_velocities(const mjModel *m, const mjData *d, const swm_index *ix, double *out);

/* Forward speed of the head: minus the head velocimeter's y (the head swims
 * along its own -y axis). Step/reset phase. */
double swm_forward_speed(const mjModel *m, const mjData *d);

/* Target minus nose, expressed in the head frame, (x, y). ix must have a
 * target. Step/reset phase. */
void swm_nose_to_target(const mjData *d, const swm_index *ix, double out[2]);

/* Swim reward: clamp(v / target_speed, 0, 1). Pure. */
double swm_reward_swim(double v, double target_speed);

/* Navigate reward for a nose-target distance d (dm_control's tolerance with a
 * long tail): 1 if d <= 0.1, else 1 / (1 + (3 (d - 0.1) / 0.5)^2). Pure. */
double swm_reward_navigate(double d);

#endif /* SWIMMER_SIM_H */
