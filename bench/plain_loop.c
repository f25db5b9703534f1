/* plain_loop.c -- see plain_loop.h. */
#include "plain_loop.h"
#include "exp/experiment_impl.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Build the plain path's model (default swimmer config: 6 bodies, swim) and
 * data, and an hostctx whose random stream reproduces the body's initial-state
 * draws. `x` must outlive p (its body parameters back the hostctx). Returns 0,
 * or -1 after printing why. Create phase, main thread. */
int plain_create(plain_sim *p, const experiment *x) {
    memset(p, 0, sizeof *p);
    swm_config cfg;
    swm_default_config(&cfg);
    char err[1200];
    p->m = swm_build(&cfg, err, (int)sizeof err);
    if (!p->m) {
        fprintf(stderr, "plain_loop: swm_build: %s\n", err);
        return -1;
    }
    p->d = mj_makeData(p->m);
    p->nj = p->m->nu;
    p->chain = 1;
    p->lim = swm_joint_limit(cfg.n_bodies);
    if (!p->d || p->nj != cfg.n_bodies - 1 || p->nj > BENCH_MAX_JOINTS) {
        fprintf(stderr, "plain_loop: unexpected swimmer model layout\n");
        return -1;
    }
    if (hostctx_init(&p->rng_host, HOSTCTX_ROLE_BODY, "body", "plain", &x->insts[0].params)) {
        fprintf(stderr, "plain_loop: out of memory\n");
        return -1;
    }
    return 0;
}

/* Free what plain_create made; safe on a zeroed or failed plain_sim. */
void plain_destroy(plain_sim *p) {
    if (p->d) mj_deleteData(p->d);
    if (p->m) mj_deleteModel(p->m);
    hostctx_fini(&p->rng_host);
    memset(p, 0, sizeof *p);
}

/* The body's observation work: joint angles, per-body (vx, vy, wz), the
 * concatenated obs, the head's forward speed and its position. Step phase. */
static void plain_observe(plain_sim *p) {
    const mjData *d = p->d;
    int nb = p->nj + 1;
    for (int i = 0; i < p->nj; i++) p->joints[i] = d->qpos[3 + i];
    for (int b = 0; b < nb; b++) {
        const mjtNum *s = d->sensordata + 6 * b;
        p->vel[3 * b + 0] = s[0];
        p->vel[3 * b + 1] = s[1];
        p->vel[3 * b + 2] = s[5];
    }
    p->speed = -d->sensordata[1];
    p->position[0] = d->xpos[3], p->position[1] = d->xpos[4]; /* body 1: the head */
    memcpy(p->obs, p->joints, (size_t)p->nj * sizeof(double));
    memcpy(p->obs + p->nj, p->vel, (size_t)(3 * nb) * sizeof(double));
}

/* clamp(x, lo, hi), NaN -> lo. Pure. */
static inline double plain_clamp(double x, double lo, double hi) {
    return x > lo ? (x < hi ? x : hi) : lo;
}

/* The NCAP forward pass with weights (1, 1, 1, -1) inline: oscillator at the
 * head, proprioception from joint i-1 of `in`, a_i = md_i - mv_i into out.
 * `t` is the control step since reset. Step phase. */
static void plain_ncap(const plain_sim *p, const double *in, double *out, uint64_t t) {
    const double unit = 2.0 * M_PI / (double)(p->nj + 1);
    int first_half = (t % BENCH_OSC_PERIOD) < BENCH_OSC_PERIOD / 2u;
    double qd_prev = first_half ? 1.0 : 0.0, qv_prev = first_half ? 0.0 : 1.0;
    for (int i = 0; i < p->nj; i++) {
        /* B-neurons: od/ov at joint 0, qd/qv of joint i-1 after */
        double bd = plain_clamp(qd_prev, 0.0, 1.0), bv = plain_clamp(qv_prev, 0.0, 1.0);
        double q = plain_clamp(in[i] / unit, -1.0, 1.0);
        qd_prev = plain_clamp(q, 0.0, 1.0);
        qv_prev = plain_clamp(-q, 0.0, 1.0);
        /* muscles: ipsilateral +1, contralateral -1 */
        double md = plain_clamp(bd - bv, 0.0, 1.0), mv = plain_clamp(bv - bd, 0.0, 1.0);
        out[i] = md - mv;
    }
}

/* p->chain NCAP passes, each reading the previous one's output (the first
 * reads the joints), the last into p->act. Step phase. */
static void plain_circuits(plain_sim *p, uint64_t t) {
    double tmp[2][BENCH_MAX_JOINTS];
    const double *in = p->joints;
    for (int c = 0; c < p->chain; c++) {
        double *out = c + 1 == p->chain ? p->act : tmp[c % 2];
        plain_ncap(p, in, out, t);
        in = out;
    }
}

/* One plain episode `episode` with run seed `seed`: reset as the body does
 * (host stream for (seed, episode, body)), then BENCH_STEP_LIMIT control
 * steps. Writes the return to *ret. Returns the steps taken, or 0 if the
 * simulation diverged. Main thread; no allocation. */
uint64_t plain_episode(plain_sim *p, uint64_t seed, uint64_t episode, double *ret) {
    const mjModel *m = p->m;
    mjData *d = p->d;
    /* reset: zero state, root hinge ~ U(-pi, pi), joints ~ U(-L, L) */
    hostctx_reseed(&p->rng_host, seed, episode);
    gsl_rng *rng = p->rng_host.rng;
    mj_resetData(m, d);
    d->qpos[2] = -M_PI + 2.0 * M_PI * gsl_rng_uniform(rng);
    for (int i = 3; i < m->nq; i++) d->qpos[i] = -p->lim + 2.0 * p->lim * gsl_rng_uniform(rng);
    mj_forward(m, d);
    plain_observe(p);

    double total = 0.0, speed_sum = 0.0;
    uint64_t t;
    for (t = 0; t < BENCH_STEP_LIMIT; t++) {
        /* circuit, then act */
        plain_circuits(p, t);
        for (int i = 0; i < m->nu; i++) d->ctrl[i] = p->act[i];
        /* physics: 15 steps, ending synced (as the body does) */
        mj_step2(m, d);
        for (int k = 1; k < BENCH_PHYSICS_STEPS; k++) mj_step(m, d);
        mj_step1(m, d);
        if (d->warning[mjWARN_BADQPOS].number > 0 || d->warning[mjWARN_BADQVEL].number > 0 ||
            d->warning[mjWARN_BADQACC].number > 0)
            return 0;
        for (int i = 0; i < m->nq; i++)
            if (!isfinite(d->qpos[i])) return 0;
        for (int i = 0; i < m->nv; i++)
            if (!isfinite(d->qvel[i])) return 0;
        /* observe and reward */
        plain_observe(p);
        double r = p->speed / BENCH_TARGET_SPEED;
        r = r > 0.0 ? (r < 1.0 ? r : 1.0) : 0.0;
        total += r;
        speed_sum += p->speed;
    }
    /* the host also averages the speed metric; keep that work here */
    volatile double mean_speed = speed_sum / (double)t;
    (void)mean_speed;
    *ret = total;
    return t;
}
