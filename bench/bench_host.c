/* bench_host.c -- host overhead: the NCAP swimmer through animat against a
 * plain C loop doing the same work, in one run.
 *
 * Host path: aexp_load(examples/swimmer-ncap.yaml) -> asim_create ->
 * asim_episode repeatedly (swimmer body plugin + ncap circuit plugin, wired
 * through the host's port buffers and function tables).
 *
 * Plain path: the same 6-link model built directly with swm_build, one mjData,
 * and per control step exactly the work the plugins do, written inline: the
 * NCAP forward pass with the default weights (1, 1, 1, -1), d->ctrl, the
 * body's physics sequence (mj_step2, 14 x mj_step, mj_step1, divergence
 * checks), the body's observation ports (joints, velocities, obs, speed) and
 * the swim reward. Initial states are drawn from the host's own random stream
 * for (run seed, episode, body), so episode k follows the same trajectory on
 * both paths; the benchmark checks that returns agree bit for bit, which
 * proves both paths did the same physics.
 *
 * Rounds alternate host/plain (order swapped every round) after one warm-up
 * episode each; each round runs whole episodes until --seconds have passed.
 * It prints per-round rates, the median of each path and
 * overhead = plain_rate / host_rate - 1. No thresholds: it reports.
 *
 * Usage: bench_host [--rounds N] [--seconds S] [EXPERIMENT.yaml]
 * Single-threaded; main thread only.
 */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <mujoco/mujoco.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aexp.h"
#include "ahost.h"
#include "arun.h"
#include "asim.h"
#include "swimmer_model.h"

#ifndef ANIMAT_SRC_ROOT
#define ANIMAT_SRC_ROOT "."
#endif

#define BENCH_MAX_ROUNDS 101
#define BENCH_MAX_EPISODES 100000
#define BENCH_PHYSICS_STEPS 15      /* swimmer default physics_steps */
#define BENCH_STEP_LIMIT 1000       /* round(30 s / 0.03 s) */
#define BENCH_TARGET_SPEED 0.1      /* swimmer default target_speed, m/s */
#define BENCH_OSC_PERIOD 60u        /* ncap default osc_period, steps */
#define BENCH_MAX_JOINTS (SWM_MAX_BODIES - 1)

/* Command-line options. */
typedef struct bench_opts {
    const char *file; /* experiment file */
    int rounds;       /* measured rounds per path */
    double seconds;   /* minimum wall time per round */
} bench_opts;

/* What one round of either path produced. */
typedef struct bench_round {
    uint64_t steps;   /* control steps */
    uint64_t episodes;
    double seconds;   /* wall time */
    double cpu;       /* this thread's CPU time */
} bench_round;

/* The plain path's state: model, data, the host-stream generator for
 * initial states and the observation arrays the body would fill. */
typedef struct plain_sim {
    mjModel *m;
    mjData *d;
    ahost rng_host;   /* only its seeding and generator are used */
    int nj;           /* actuated joints */
    double lim;       /* segment joint limit, rad */
    double joints[BENCH_MAX_JOINTS];
    double vel[3 * SWM_MAX_BODIES];
    double obs[BENCH_MAX_JOINTS + 3 * SWM_MAX_BODIES];
    double speed;
    double act[BENCH_MAX_JOINTS];
} plain_sim;

/* Per-episode returns of both paths, indexed by episode, for the agreement
 * check. Heap-allocated in main, BENCH_MAX_EPISODES entries each. */
typedef struct bench_returns {
    double *host, *plain;
    uint64_t nhost, nplain; /* episodes recorded so far */
} bench_returns;

/* This thread's CPU time in seconds (immune to time spent descheduled on a
 * busy machine, unlike arun_now's wall clock). Any thread. */
static double bench_cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Parse argv into *o (defaults: 5 rounds, 2.5 s, the reference experiment
 * in the source tree). Returns 0, 1 after printing help, or 2 on bad usage.
 * argv is borrowed; o->file may point into it. Main thread. */
static int bench_parse(int argc, char **argv, bench_opts *o) {
    o->file = ANIMAT_SRC_ROOT "/examples/swimmer-ncap.yaml";
    o->rounds = 5;
    o->seconds = 2.5;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("usage: bench_host [--rounds N] [--seconds S] [EXPERIMENT.yaml]\n"
                   "Steps/s of the NCAP swimmer through the host vs a plain C loop.\n"
                   "default experiment: %s\n",
                   o->file);
            return 1;
        }
        /* options with a value */
        if (!strcmp(a, "--rounds") || !strcmp(a, "--seconds")) {
            char *end = NULL;
            double x = v ? strtod(v, &end) : 0.0;
            if (!v || end == v || *end) {
                fprintf(stderr, "bench_host: %s needs a number\n", a);
                return 2;
            }
            if (a[2] == 'r') {
                if (!(x >= 1 && x <= BENCH_MAX_ROUNDS) || x != floor(x)) {
                    fprintf(stderr, "bench_host: --rounds must be an integer in [1, %d]\n",
                            BENCH_MAX_ROUNDS);
                    return 2;
                }
                o->rounds = (int)x;
            } else {
                if (!(x > 0 && x <= 3600)) {
                    fprintf(stderr, "bench_host: --seconds must be in (0, 3600]\n");
                    return 2;
                }
                o->seconds = x;
            }
            i++;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "bench_host: unknown option '%s' (see --help)\n", a);
            return 2;
        } else {
            o->file = a;
        }
    }
    return 0;
}

/* Build the plain path's model (default swimmer config: 6 bodies, swim) and
 * data, and an ahost whose random stream reproduces the body's initial-state
 * draws. `x` must outlive p (its body parameters back the ahost). Returns 0,
 * or -1 after printing why. Create phase, main thread. */
static int plain_create(plain_sim *p, const aexp *x) {
    memset(p, 0, sizeof *p);
    swm_config cfg;
    swm_default_config(&cfg);
    char err[1200];
    p->m = swm_build(&cfg, err, (int)sizeof err);
    if (!p->m) {
        fprintf(stderr, "bench_host: swm_build: %s\n", err);
        return -1;
    }
    p->d = mj_makeData(p->m);
    p->nj = p->m->nu;
    p->lim = swm_joint_limit(cfg.n_bodies);
    if (!p->d || p->nj != cfg.n_bodies - 1 || p->nj > BENCH_MAX_JOINTS) {
        fprintf(stderr, "bench_host: unexpected swimmer model layout\n");
        return -1;
    }
    if (ahost_init(&p->rng_host, AHOST_ROLE_BODY, "body", "plain", &x->body.params)) {
        fprintf(stderr, "bench_host: out of memory\n");
        return -1;
    }
    return 0;
}

/* Free what plain_create made; safe on a zeroed or failed plain_sim. */
static void plain_destroy(plain_sim *p) {
    if (p->d) mj_deleteData(p->d);
    if (p->m) mj_deleteModel(p->m);
    ahost_fini(&p->rng_host);
    memset(p, 0, sizeof *p);
}

/* The body's observation work: joint angles, per-body (vx, vy, wz), the
 * concatenated obs and the head's forward speed. Step phase. */
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
    memcpy(p->obs, p->joints, (size_t)p->nj * sizeof(double));
    memcpy(p->obs + p->nj, p->vel, (size_t)(3 * nb) * sizeof(double));
}

/* clamp(x, lo, hi), NaN -> lo. Pure. */
static inline double plain_clamp(double x, double lo, double hi) {
    return x > lo ? (x < hi ? x : hi) : lo;
}

/* The NCAP forward pass with weights (1, 1, 1, -1) inline: oscillator at the
 * head, proprioception from joint i-1, a_i = md_i - mv_i into p->act.
 * `t` is the control step since reset. Step phase. */
static void plain_ncap(plain_sim *p, uint64_t t) {
    const double unit = 2.0 * M_PI / (double)(p->nj + 1);
    int first_half = (t % BENCH_OSC_PERIOD) < BENCH_OSC_PERIOD / 2u;
    double qd_prev = first_half ? 1.0 : 0.0, qv_prev = first_half ? 0.0 : 1.0;
    for (int i = 0; i < p->nj; i++) {
        /* B-neurons: od/ov at joint 0, qd/qv of joint i-1 after */
        double bd = plain_clamp(qd_prev, 0.0, 1.0), bv = plain_clamp(qv_prev, 0.0, 1.0);
        double q = plain_clamp(p->joints[i] / unit, -1.0, 1.0);
        qd_prev = plain_clamp(q, 0.0, 1.0);
        qv_prev = plain_clamp(-q, 0.0, 1.0);
        /* muscles: ipsilateral +1, contralateral -1 */
        double md = plain_clamp(bd - bv, 0.0, 1.0), mv = plain_clamp(bv - bd, 0.0, 1.0);
        p->act[i] = md - mv;
    }
}

/* One plain episode `episode` with run seed `seed`: reset as the body does
 * (host stream for (seed, episode, body)), then BENCH_STEP_LIMIT control
 * steps. Writes the return to *ret. Returns the steps taken, or 0 if the
 * simulation diverged. Main thread; no allocation. */
static uint64_t plain_episode(plain_sim *p, uint64_t seed, uint64_t episode, double *ret) {
    const mjModel *m = p->m;
    mjData *d = p->d;
    /* reset: zero state, root hinge ~ U(-pi, pi), joints ~ U(-L, L) */
    ahost_reseed(&p->rng_host, seed, episode);
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
        plain_ncap(p, t);
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

/* Run whole host episodes until `seconds` have passed. Episode indices
 * continue from *next (advanced). Records returns into rs. Returns 0, or -1
 * after printing the host's error. Main thread. */
static int host_round(asim *s, uint64_t *next, double seconds, bench_round *out,
                      bench_returns *rs) {
    memset(out, 0, sizeof *out);
    aerr e;
    aerr_clear(&e);
    double c0 = bench_cpu_now(), t0 = arun_now(), t1 = t0;
    do {
        asim_result r;
        if (asim_episode(s, *next, &r, &e)) {
            fprintf(stderr, "bench_host: host: %s\n", e.msg);
            return -1;
        }
        if (*next < BENCH_MAX_EPISODES) rs->host[*next] = r.ret, rs->nhost = *next + 1;
        (*next)++;
        out->steps += r.steps;
        out->episodes++;
        t1 = arun_now();
    } while (t1 - t0 < seconds);
    out->seconds = t1 - t0;
    out->cpu = bench_cpu_now() - c0;
    return 0;
}

/* Same as host_round for the plain loop. Returns 0, or -1 on divergence. */
static int plain_round(plain_sim *p, uint64_t seed, uint64_t *next, double seconds,
                       bench_round *out, bench_returns *rs) {
    memset(out, 0, sizeof *out);
    double c0 = bench_cpu_now(), t0 = arun_now(), t1 = t0;
    do {
        double ret = 0.0;
        uint64_t n = plain_episode(p, seed, *next, &ret);
        if (!n) {
            fprintf(stderr, "bench_host: plain loop diverged in episode %llu\n",
                    (unsigned long long)*next);
            return -1;
        }
        if (*next < BENCH_MAX_EPISODES) rs->plain[*next] = ret, rs->nplain = *next + 1;
        (*next)++;
        out->steps += n;
        out->episodes++;
        t1 = arun_now();
    } while (t1 - t0 < seconds);
    out->seconds = t1 - t0;
    out->cpu = bench_cpu_now() - c0;
    return 0;
}

/* qsort comparator for doubles, ascending. */
static int bench_cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of n values (n >= 1); sorts a copy, v is untouched. */
static double bench_median(const double *v, int n) {
    double tmp[BENCH_MAX_ROUNDS];
    memcpy(tmp, v, (size_t)n * sizeof *v);
    qsort(tmp, (size_t)n, sizeof *tmp, bench_cmp);
    return n % 2 ? tmp[n / 2] : 0.5 * (tmp[n / 2 - 1] + tmp[n / 2]);
}

/* Warm up, run the interleaved rounds and print the table. Returns the
 * process exit status. Main thread. */
static int bench_run(const bench_opts *o, const aexp *x, asim *s, plain_sim *p,
                     bench_returns *rs) {
    uint64_t next_host = 0, next_plain = 0;
    bench_round hr[BENCH_MAX_ROUNDS], pr[BENCH_MAX_ROUNDS], warm;
    double hrate[BENCH_MAX_ROUNDS], prate[BENCH_MAX_ROUNDS], paired[BENCH_MAX_ROUNDS];
    double hcpu[BENCH_MAX_ROUNDS], pcpu[BENCH_MAX_ROUNDS];

    /* warm-up: one episode each (caches, page faults, CPU clock) */
    if (host_round(s, &next_host, 0.0, &warm, rs) || plain_round(p, x->seed, &next_plain, 0.0, &warm, rs))
        return 1;

    printf("animat host overhead: %s\n", x->file);
    printf("body %s %s, circuit %s %s; %d rounds of >= %.2f s per path, alternating\n\n",
           x->body.plugin->desc->name, x->body.plugin->desc->version,
           x->circuit.plugin->desc->name, x->circuit.plugin->desc->version, o->rounds,
           o->seconds);
    printf("%-6s %-6s %10s %9s %14s %14s %9s\n", "round", "first", "episodes", "steps", "host steps/s",
           "plain steps/s", "overhead");

    /* measured rounds, order swapped each round to cancel drift */
    for (int k = 0; k < o->rounds; k++) {
        int host_first = (k % 2) == 0;
        for (int half = 0; half < 2; half++) {
            int rc = (half == 0) == host_first
                         ? host_round(s, &next_host, o->seconds, &hr[k], rs)
                         : plain_round(p, x->seed, &next_plain, o->seconds, &pr[k], rs);
            if (rc) return 1;
        }
        hrate[k] = (double)hr[k].steps / hr[k].seconds;
        prate[k] = (double)pr[k].steps / pr[k].seconds;
        paired[k] = prate[k] / hrate[k] - 1.0;
        hcpu[k] = (double)hr[k].steps / hr[k].cpu;
        pcpu[k] = (double)pr[k].steps / pr[k].cpu;
        printf("%-6d %-6s %4llu/%-5llu %9llu %14.0f %14.0f %8.2f%%\n", k + 1,
               host_first ? "host" : "plain", (unsigned long long)hr[k].episodes,
               (unsigned long long)pr[k].episodes, (unsigned long long)(hr[k].steps + pr[k].steps),
               hrate[k], prate[k], 100.0 * paired[k]);
        fflush(stdout);
    }

    /* summary: medians and the overhead of the medians */
    double hm = bench_median(hrate, o->rounds), pm = bench_median(prate, o->rounds);
    printf("\n%-28s %14.0f steps/s  (%.1f us/step)\n", "host   (median)", hm, 1e6 / hm);
    printf("%-28s %14.0f steps/s  (%.1f us/step)\n", "plain  (median)", pm, 1e6 / pm);
    printf("%-28s %13.2f%%  (%.2f us/step)\n", "overhead = plain/host - 1", 100.0 * (pm / hm - 1.0),
           1e6 / hm - 1e6 / pm);
    printf("%-28s %13.2f%%\n", "median of per-round overhead", 100.0 * bench_median(paired, o->rounds));
    double hc = bench_median(hcpu, o->rounds), pc = bench_median(pcpu, o->rounds);
    printf("%-28s %13.2f%%  (host %.0f, plain %.0f steps per CPU second)\n",
           "overhead in thread CPU time", 100.0 * (pc / hc - 1.0), hc, pc);

    /* same work: episode k must give the same return on both paths */
    uint64_t common = rs->nhost < rs->nplain ? rs->nhost : rs->nplain, same = 0;
    for (uint64_t i = 0; i < common; i++) same += rs->host[i] == rs->plain[i];
    printf("%-28s %llu/%llu episodes identical (return of episode 0: %.6f)\n", "same trajectories",
           (unsigned long long)same, (unsigned long long)common, common ? rs->host[0] : 0.0);
    return 0;
}

/* Load the experiment, build both paths, run, clean up. */
int main(int argc, char **argv) {
    bench_opts o;
    int rc = bench_parse(argc, argv, &o);
    if (rc) return rc == 1 ? 0 : rc;

    /* host path */
    aerr e;
    aerr_clear(&e);
    aexp x;
    if (aexp_load(&x, o.file, NULL, 0, NULL, 0, &e)) {
        fprintf(stderr, "bench_host: %s\n", e.msg);
        return 1;
    }
    asim s;
    if (asim_create(&s, &x, &e)) {
        fprintf(stderr, "bench_host: %s\n", e.msg);
        aexp_free(&x);
        return 1;
    }

    /* plain path and the return records */
    plain_sim p;
    bench_returns rs = {calloc(BENCH_MAX_EPISODES, sizeof(double)),
                        calloc(BENCH_MAX_EPISODES, sizeof(double)), 0, 0};
    rc = 1;
    if (!rs.host || !rs.plain) {
        fprintf(stderr, "bench_host: out of memory\n");
        memset(&p, 0, sizeof p);
    } else if (plain_create(&p, &x) == 0) {
        rc = bench_run(&o, &x, &s, &p, &rs);
    }

    plain_destroy(&p);
    free(rs.host);
    free(rs.plain);
    asim_destroy(&s);
    aexp_free(&x);
    return rc;
}
