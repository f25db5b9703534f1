/* swimmer_sim.c -- draws, stepping, observations and rewards (swm_). */
#include "swimmer_sim.h"

#include <math.h>

#include "../common/mjb.h"
#include "swimmer_model.h"

/* dm_control's target sphere radius; rewards are full inside it. */
#define SWM_TARGET_SIZE 0.1

/* Look names up and check the sizes the plugin relies on. */
int swm_index_init(const mjModel *m, swm_index *ix) {
    int n = m->nbody - 1;
    ix->n_bodies = n;
    ix->head_body = mj_name2id(m, mjOBJ_BODY, "head");
    ix->nose_geom = mj_name2id(m, mjOBJ_GEOM, "nose");
    ix->target_geom = mj_name2id(m, mjOBJ_GEOM, "target");

    /* layout: 3 root dofs + n-1 hinges, n-1 motors, 2 sensors of 3 per body */
    if (n < SWM_MIN_BODIES || ix->head_body != 1 || ix->nose_geom < 0) return -1;
    if (m->nq != n + 2 || m->nv != n + 2 || m->nu != n - 1) return -1;
    if (m->nsensor != 2 * n || m->nsensordata != 6 * n) return -1;
    for (int s = 0; s < m->nsensor; s++)
        if (m->sensor_adr[s] != 3 * s ||
            m->sensor_type[s] != ((s % 2) ? mjSENS_GYRO : mjSENS_VELOCIMETER))
            return -1;
    return 0;
}

/* dm_control's randomize_limited_and_rotational_joints, then the target. */
void swm_reset_state(mjModel *m, mjData *d, const swm_index *ix,
                     swm_uniform_fn uniform, void *ctx) {
    /* all qpos, qvel, ctrl and warnings to zero (model qpos0 is all zero) */
    mj_resetData(m, d);

    /* joints in model order: rootz (unlimited hinge), then limited hinges */
    double lim = swm_joint_limit(ix->n_bodies);
    d->qpos[2] = -M_PI + 2.0 * M_PI * uniform(ctx);
    for (int i = 3; i < m->nq; i++) d->qpos[i] = -lim + 2.0 * lim * uniform(ctx);

    /* target: Bernoulli(0.2) for a close box first, then x, then y */
    if (ix->target_geom >= 0) {
        double box = (uniform(ctx) < 0.2) ? 0.3 : 2.0;
        double x = -box + 2.0 * box * uniform(ctx);
        double y = -box + 2.0 * box * uniform(ctx);
        m->geom_pos[3 * ix->target_geom + 0] = x;
        m->geom_pos[3 * ix->target_geom + 1] = y;
    }
    mj_forward(m, d);
}

/* The shared control step without a medium (bodies/common/mjb_step.c). */
const char *swm_advance(const mjModel *m, mjData *d, int nsub) {
    return mjb_advance(m, d, nsub, NULL);
}

/* qpos after the three root coordinates. */
void swm_joints(const mjModel *m, const mjData *d, const swm_index *ix, double *out) {
    (void)m;
    for (int i = 0; i < ix->n_bodies - 1; i++) out[i] = d->qpos[3 + i];
}

/* sensordata is [vel_0 (3), gyro_0 (3), vel_1, gyro_1, ...], head first. */
void swm_velocities(const mjModel *m, const mjData *d, const swm_index *ix, double *out) {
    (void)m;
    for (int b = 0; b < ix->n_bodies; b++) {
        const mjtNum *s = d->sensordata + 6 * b;
        out[3 * b + 0] = s[0];
        out[3 * b + 1] = s[1];
        out[3 * b + 2] = s[5];
    }
}

/* Head velocimeter is sensor 0. */
double swm_forward_speed(const mjModel *m, const mjData *d) {
    (void)m;
    return -d->sensordata[1];
}

/* (target - nose) . xmat(head): the world vector rotated into the head frame. */
void swm_nose_to_target(const mjData *d, const swm_index *ix, double out[2]) {
    const mjtNum *t = d->geom_xpos + 3 * ix->target_geom;
    const mjtNum *p = d->geom_xpos + 3 * ix->nose_geom;
    const mjtNum *r = d->xmat + 9 * ix->head_body;
    double w[3] = {t[0] - p[0], t[1] - p[1], t[2] - p[2]};
    for (int j = 0; j < 2; j++) out[j] = w[0] * r[j] + w[1] * r[3 + j] + w[2] * r[6 + j];
}

/* Linear tolerance with bounds (target_speed, inf), margin target_speed. */
double swm_reward_swim(double v, double target_speed) {
    double r = v / target_speed;
    if (!(r > 0.0)) return 0.0;
    return r < 1.0 ? r : 1.0;
}

/* Long-tail tolerance: value 0.1 at a margin of 5 target radii. */
double swm_reward_navigate(double d) {
    if (d <= SWM_TARGET_SIZE) return 1.0;
    double x = 3.0 * (d - SWM_TARGET_SIZE) / (5.0 * SWM_TARGET_SIZE);
    return 1.0 / (1.0 + x * x);
}
