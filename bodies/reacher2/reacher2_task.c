/* reacher2_task.c -- reset draws, observations and rewards (rch_). */
#include <math.h>

#include "reacher2.h"

/* See reacher2.h for the draw order. */
void rch_reset_state(mjModel *m, mjData *d, const rch_index *ix, rch_uniform_fn u, void *ctx) {
    mj_resetData(m, d);
    double lim = 160.0 * M_PI / 180.0;
    for (int a = 0; a < RCH_ARMS; a++) {
        d->qpos[ix->qpos[a][0]] = -M_PI + 2.0 * M_PI * u(ctx);
        d->qpos[ix->qpos[a][1]] = -lim + 2.0 * lim * u(ctx);
    }
    for (int a = 0; a < RCH_ARMS; a++) {
        double angle = 2.0 * M_PI * u(ctx), radius = 0.05 + 0.15 * u(ctx);
        m->site_pos[3 * ix->target[a] + 0] = ix->base[a][0] + radius * cos(angle);
        m->site_pos[3 * ix->target[a] + 1] = ix->base[a][1] + radius * sin(angle);
    }
    mj_forward(m, d);
}

/* Angles, velocities, target minus fingertip (world x, y). */
void rch_observe_arm(const mjData *d, const rch_index *ix, int a, double *out) {
    const mjtNum *tip = d->site_xpos + 3 * ix->tip[a], *tg = d->site_xpos + 3 * ix->target[a];
    out[0] = d->qpos[ix->qpos[a][0]];
    out[1] = d->qpos[ix->qpos[a][1]];
    out[2] = d->qvel[ix->qvel[a][0]];
    out[3] = d->qvel[ix->qvel[a][1]];
    out[4] = tg[0] - tip[0];
    out[5] = tg[1] - tip[1];
}

/* Planar distance. */
double rch_distance(const mjData *d, const rch_index *ix, int a) {
    const mjtNum *tip = d->site_xpos + 3 * ix->tip[a], *tg = d->site_xpos + 3 * ix->target[a];
    return hypot(tg[0] - tip[0], tg[1] - tip[1]);
}

/* Fingertip speed in the plane, from the site's velocity. */
static double rch_tip_speed(const mjModel *m, const mjData *d, const rch_index *ix, int a) {
    mjtNum v[6];
    mj_objectVelocity(m, d, mjOBJ_SITE, ix->tip[a], v, 0);
    return hypot(v[3], v[4]);
}

/* reach: -dist, or 1 inside target_radius. hold: the same, and the tip must
 * also keep still: -dist - hold_weight * speed, or 1 only when inside and
 * slower than hold_speed. Summed over arms. */
double rch_reward(const mjModel *m, const mjData *d, const rch_index *ix, const rch_task *t) {
    double r = 0.0;
    for (int a = 0; a < RCH_ARMS; a++) {
        double dist = rch_distance(d, ix, a);
        double speed = t->task == RCH_TASK_HOLD ? rch_tip_speed(m, d, ix, a) : 0.0;
        if (t->shape == RCH_REWARD_DISTANCE)
            r -= dist + (t->task == RCH_TASK_HOLD ? t->hold_weight * speed : 0.0);
        else
            r += (dist <= t->target_radius && (t->task != RCH_TASK_HOLD || speed <= t->hold_speed)) ? 1.0 : 0.0;
    }
    return r;
}
