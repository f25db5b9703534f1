/* mjcf_task.c -- the model's task fields, reward terms and episode end. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mjcf.h"

/* Id of the object named by custom text `field`, -1 when the field is
 * absent; -2 (and err) when it names nothing. Create phase. */
static int mjcf_named(const mjModel *m, const char *field, int obj, char *err, int errlen) {
    const char *name = mjb_custom_text(m, field);
    if (!name) return -1;
    int id = mj_name2id(m, obj, name);
    if (id < 0)
        snprintf(err, (size_t)errlen, "custom text '%s' names %s '%.60s', which the model does not have",
                 field, obj == mjOBJ_SITE ? "site" : "body", name);
    return id < 0 ? -2 : id;
}

/* See mjcf.h. */
int mjcf_task_resolve(const mjModel *m, mjcf_task *t, char *err, int errlen) {
    t->forward_body = mjcf_named(m, "animat.forward_body", mjOBJ_BODY, err, errlen);
    t->reach_site = mjcf_named(m, "animat.reach_site", mjOBJ_SITE, err, errlen);
    t->target_site = mjcf_named(m, "animat.target_site", mjOBJ_SITE, err, errlen);
    t->forward_from = mjcf_named(m, "animat.forward_from", mjOBJ_BODY, err, errlen);
    t->upright_body = mjcf_named(m, "animat.upright_body", mjOBJ_BODY, err, errlen);
    t->height_body = mjcf_named(m, "animat.height_body", mjOBJ_BODY, err, errlen);
    if (t->forward_body == -2 || t->forward_from == -2 || t->reach_site == -2 || t->target_site == -2 ||
        t->upright_body == -2 || t->height_body == -2)
        return -1;
    double axis[3] = {1, 0, 0};
    int n = mjb_custom_numeric(m, "animat.forward_axis", axis, 3);
    if (n != -1 && n != 3) {
        snprintf(err, (size_t)errlen, "custom numeric 'animat.forward_axis' must hold 3 values, not %d", n);
        return -1;
    }
    memcpy(t->forward_axis, axis, sizeof axis);
    const char *frame = mjb_custom_text(m, "animat.forward_frame");
    if (frame && strcmp(frame, "body") != 0 && strcmp(frame, "world") != 0) {
        snprintf(err, (size_t)errlen, "custom text 'animat.forward_frame' must be body or world, not '%.40s'", frame);
        return -1;
    }
    t->forward_world = frame && strcmp(frame, "world") == 0;
    if ((t->reach_site >= 0) != (t->target_site >= 0)) {
        snprintf(err, (size_t)errlen, "animat.reach_site and animat.target_site go together");
        return -1;
    }
    if (t->target_site >= 0 && m->site_bodyid[t->target_site] != 0) {
        snprintf(err, (size_t)errlen, "the target site must belong to the worldbody (it is moved at reset)");
        return -1;
    }
    double r[4] = {0, 0, 0, 0};
    n = mjb_custom_numeric(m, "animat.target_range", r, 4);
    if (n != -1 && n != 4) {
        snprintf(err, (size_t)errlen, "custom numeric 'animat.target_range' must hold 4 values (x0 x1 y0 y1), not %d", n);
        return -1;
    }
    memcpy(t->target_range, r, sizeof r);
    return 0;
}

/* Mass-weighted centre-of-mass velocity of body `root`'s subtree, world
 * frame. Step phase, no allocation. */
static void mjcf_subtree_velocity(const mjModel *m, const mjData *d, int root, double v[3]) {
    double mass = 0.0;
    v[0] = v[1] = v[2] = 0.0;
    for (int b = root; b < m->nbody; b++) {
        int a = b;
        while (a > root) a = m->body_parentid[a];
        if (a != root || m->body_mass[b] == 0.0) continue;
        mjtNum vel[6];
        mj_objectVelocity(m, d, mjOBJ_BODY, b, vel, 0);
        for (int j = 0; j < 3; j++) v[j] += m->body_mass[b] * vel[3 + j];
        mass += m->body_mass[b];
    }
    for (int j = 0; mass > 0.0 && j < 3; j++) v[j] /= mass;
}

/* With forward_from: subtree COM velocity along from -> forward. Else the
 * linear velocity of the body's frame origin (mjOBJ_XBODY, as a velocimeter
 * at a site there sees it) in the body's frame or the world's, along the
 * axis. */
double mjcf_forward_speed(const mjModel *m, const mjData *d, const mjcf_task *t) {
    if (t->forward_body < 0) return 0.0;
    if (t->forward_from >= 0) {
        const mjtNum *p = d->xpos + 3 * t->forward_body, *q = d->xpos + 3 * t->forward_from;
        double u[3] = {p[0] - q[0], p[1] - q[1], p[2] - q[2]}, v[3];
        double n = sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
        if (!(n > 0.0)) return 0.0;
        mjcf_subtree_velocity(m, d, t->forward_body, v);
        return (u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) / n;
    }
    mjtNum vel[6];
    mj_objectVelocity(m, d, mjOBJ_XBODY, t->forward_body, vel, !t->forward_world);
    const double *a = t->forward_axis;
    return a[0] * vel[3] + a[1] * vel[4] + a[2] * vel[5];
}

/* site_xpos difference. */
void mjcf_to_target(const mjData *d, const mjcf_task *t, double out[3]) {
    const mjtNum *p = d->site_xpos + 3 * t->reach_site, *q = d->site_xpos + 3 * t->target_site;
    for (int j = 0; j < 3; j++) out[j] = q[j] - p[j];
}

/* Sum of the enabled terms; see mjcf.h and the parameter docs. */
double mjcf_reward(const mjModel *m, const mjData *d, const mjcf_task *t, int *terminal) {
    double r = 0.0;
    if (t->forward_body >= 0 && t->w_forward != 0.0) {
        double x = mjcf_forward_speed(m, d, t) / t->forward_speed;
        if (t->forward_clamp) x = !(x > 0.0) ? 0.0 : (x < 1.0 ? x : 1.0);
        r += t->w_forward * x;
    }
    if (t->reach_site >= 0 && t->w_reach != 0.0) {
        double v[3];
        mjcf_to_target(d, t, v);
        r -= t->w_reach * sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    }
    if (t->upright_body >= 0 && t->w_upright != 0.0) r += t->w_upright * d->xmat[9 * t->upright_body + 8];
    if (t->ctrl_cost != 0.0) {
        double u2 = 0.0;
        for (int i = 0; i < m->nu; i++) u2 += d->ctrl[i] * d->ctrl[i];
        r -= t->ctrl_cost * u2;
    }
    *terminal = t->height_body >= 0 && d->xpos[3 * t->height_body + 2] < t->min_height;
    if (!*terminal) r += t->alive_bonus;
    return r;
}
