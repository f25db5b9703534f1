/* bench_host.c -- host overhead: the NCAP swimmer through animat against a
 * plain C loop doing the same work, in one run.
 *
 * Host path: experiment_load(examples/swimmer-ncap.yaml) -> sim_create ->
 * sim_episode repeatedly (swimmer body plugin + ncap circuit plugin, wired
 * through the host's port buffers and function tables).
 *
 * Plain path: the same 6-link model built directly with swm_build, one mjData,
 * and per control step exactly the work the plugins do, written inline: the
 * NCAP forward pass with the default weights (1, 1, 1, -1), d->ctrl, the
 * body's physics sequence (mj_step2, 14 x mj_step, mj_step1, divergence
 * checks), the body's observation ports (joints, velocities, obs, speed, position) and
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

#include "exp/experiment.h"
#include "plugin/hostctx.h"
#include "sim/runner.h"
#include "sim/sim.h"
#include "plain_loop.h"
#include "sim/sim_impl.h"

#ifndef ANIMAT_SRC_ROOT
#define ANIMAT_SRC_ROOT "."
#endif

#define BENCH_MAX_ROUNDS 101
#define BENCH_MAX_EPISODES 100000

/* Command-line options. */
typedef struct bench_opts {
    const char *file; /* experiment file */
    int rounds;       /* measured rounds per path */
    double seconds;   /* minimum wall time per round */
    int chain;        /* plain path: NCAP passes chained per step (--chain) */
} bench_opts;

/* What one round of either path produced. */
typedef struct bench_round {
    uint64_t steps;   /* control steps */
    uint64_t episodes;
    double seconds;   /* wall time */
    double cpu;       /* this thread's CPU time */
} bench_round;


/* Per-episode returns of both paths, indexed by episode, for the agreement
 * check. Heap-allocated in main, BENCH_MAX_EPISODES entries each. */
typedef struct bench_returns {
    double *host, *plain;
    uint64_t nhost, nplain; /* episodes recorded so far */
} bench_returns;

/* This thread's CPU time in seconds (immune to time spent descheduled on a
 * busy machine, unlike runner_now's wall clock). Any thread. */
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
    o->chain = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("usage: bench_host [--rounds N] [--seconds S] [--chain K] [EXPERIMENT.yaml]\n"
                   "Steps/s of the NCAP swimmer through the host vs a plain C loop.\n"
                   "--chain K: the plain loop chains K NCAP passes per step (for a graph of K\n"
                   "ncap circuits in a chain, e.g. bench/graph3.yaml with K = 3)\n"
                   "default experiment: %s\n",
                   o->file);
            return 1;
        }
        /* options with a value */
        if (!strcmp(a, "--chain")) {
            o->chain = v ? atoi(v) : 0;
            if (o->chain < 1 || o->chain > 16) {
                fprintf(stderr, "bench_host: --chain takes 1 to 16\n");
                return 2;
            }
            i++;
        } else if (!strcmp(a, "--rounds") || !strcmp(a, "--seconds")) {
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


/* Run whole host episodes until `seconds` have passed. Episode indices
 * continue from *next (advanced). Records returns into rs. Returns 0, or -1
 * after printing the host's error. Main thread. */
static int host_round(sim *s, uint64_t *next, double seconds, bench_round *out,
                      bench_returns *rs) {
    memset(out, 0, sizeof *out);
    errmsg e;
    errmsg_clear(&e);
    double c0 = bench_cpu_now(), t0 = runner_now(), t1 = t0;
    do {
        sim_result r;
        if (sim_episode(s, *next, &r, &e)) {
            fprintf(stderr, "bench_host: host: %s\n", e.msg);
            return -1;
        }
        if (*next < BENCH_MAX_EPISODES) rs->host[*next] = r.ret, rs->nhost = *next + 1;
        (*next)++;
        out->steps += r.steps;
        out->episodes++;
        t1 = runner_now();
    } while (t1 - t0 < seconds);
    out->seconds = t1 - t0;
    out->cpu = bench_cpu_now() - c0;
    return 0;
}

/* Same as host_round for the plain loop. Returns 0, or -1 on divergence. */
static int plain_round(plain_sim *p, uint64_t seed, uint64_t *next, double seconds,
                       bench_round *out, bench_returns *rs) {
    memset(out, 0, sizeof *out);
    double c0 = bench_cpu_now(), t0 = runner_now(), t1 = t0;
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
        t1 = runner_now();
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
static int bench_run(const bench_opts *o, const experiment *x, sim *s, plain_sim *p,
                     bench_returns *rs) {
    uint64_t next_host = 0, next_plain = 0;
    bench_round hr[BENCH_MAX_ROUNDS], pr[BENCH_MAX_ROUNDS], warm;
    double hrate[BENCH_MAX_ROUNDS], prate[BENCH_MAX_ROUNDS], paired[BENCH_MAX_ROUNDS];
    double hcpu[BENCH_MAX_ROUNDS], pcpu[BENCH_MAX_ROUNDS];

    /* warm-up: one episode each (caches, page faults, CPU clock) */
    if (host_round(s, &next_host, 0.0, &warm, rs) || plain_round(p, x->seed, &next_plain, 0.0, &warm, rs))
        return 1;

    printf("animat host overhead: %s\n", x->file);
    printf("body %s %s, %u circuit%s (first: %s %s); plain loop chains %d NCAP pass%s; %d rounds of >= %.2f s "
           "per path, alternating\n\n",
           x->insts[0].plugin->desc->name, x->insts[0].plugin->desc->version, x->ninsts - 1, x->ninsts == 2 ? "" : "s",
           x->insts[1].plugin->desc->name, x->insts[1].plugin->desc->version, o->chain, o->chain == 1 ? "" : "es",
           o->rounds, o->seconds);
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
    errmsg e;
    errmsg_clear(&e);
    experiment x;
    if (experiment_load(&x, o.file, NULL, 0, NULL, 0, &e)) {
        fprintf(stderr, "bench_host: %s\n", e.msg);
        return 1;
    }
    sim s;
    if (sim_create(&s, &x, &e)) {
        fprintf(stderr, "bench_host: %s\n", e.msg);
        experiment_free(&x);
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
        p.chain = o.chain;
        rc = bench_run(&o, &x, &s, &p, &rs);
    }

    plain_destroy(&p);
    free(rs.host);
    free(rs.plain);
    sim_destroy(&s);
    experiment_free(&x);
    return rc;
}
