/* mjcf_reset.c -- the initial state, drawn from the host's stream. */
#include <math.h>

#include "mjcf.h"

/* dm_control's randomize_limited_and_rotational_joints for hinges and
 * slides, joint by joint in model order: limited -> U(range), unlimited
 * hinge -> U(-pi, pi), unlimited slide -> unchanged. Free and ball joints
 * keep qpos0. Reset phase. */
static void mjcf_randomize_joints(const mjModel *m, mjData *d, const animat_host *h) {
    for (int j = 0; j < m->njnt; j++) {
        int type = m->jnt_type[j], adr = m->jnt_qposadr[j];
        if (type != mjJNT_HINGE && type != mjJNT_SLIDE) continue;
        if (m->jnt_limited[j]) {
            double lo = m->jnt_range[2 * j], hi = m->jnt_range[2 * j + 1];
            d->qpos[adr] = lo + (hi - lo) * h->rng_uniform(h);
        } else if (type == mjJNT_HINGE) {
            d->qpos[adr] = -M_PI + 2.0 * M_PI * h->rng_uniform(h);
        }
    }
}

/* See mjcf.h. Draw order: joints (init: joints), noise per hinge/slide
 * (init_noise > 0), then target x, y. */
void mjcf_reset_state(mjcf_body *b) {
    mjModel *m = b->m;
    mjData *d = b->d;
    const animat_host *h = b->h;
    mj_resetData(m, d);
    if (b->init_joints) mjcf_randomize_joints(m, d, h);
    if (b->init_noise > 0.0)
        for (int j = 0; j < m->njnt; j++)
            if (m->jnt_type[j] == mjJNT_HINGE || m->jnt_type[j] == mjJNT_SLIDE)
                d->qpos[m->jnt_qposadr[j]] += b->init_noise * (2.0 * h->rng_uniform(h) - 1.0);
    const mjcf_task *t = &b->task;
    if (t->target_site >= 0) {
        const double *r = t->target_range;
        m->site_pos[3 * t->target_site + 0] = r[0] + (r[1] - r[0]) * h->rng_uniform(h);
        m->site_pos[3 * t->target_site + 1] = r[2] + (r[3] - r[2]) * h->rng_uniform(h);
    }
    mj_forward(m, d);
}
