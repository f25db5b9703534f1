/* bench_train.c -- ES training throughput on the 6-link NCAP swimmer.
 *
 * Trains examples/swimmer-ncap-es.yaml (ES, population 8) for --epochs
 * epochs with 1 thread and with 2 threads, alternating for --rounds rounds,
 * and runs the plain mj_step loop (bench/plain_loop.c) for comparison, all in
 * one run. Reports the median episodes/s of each, the 2-thread/1-thread ratio,
 * and env steps/s of training against the plain loop. Also checks that the
 * 1- and 2-thread runs learned the same parameters, bit for bit.
 * No thresholds: it reports.
 *
 * Usage: bench_train [--rounds N] [--epochs N] [EXPERIMENT.yaml]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exp/experiment.h"
#include "sim/runner.h"
#include "train/trainer.h"
#include "plain_loop.h"
#include "exp/experiment_impl.h"

#ifndef ANIMAT_SRC_ROOT
#define ANIMAT_SRC_ROOT "."
#endif

#define MAX_ROUNDS 51

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of n values (n >= 1); sorts a copy. */
static double median(const double *v, int n) {
    double t[MAX_ROUNDS];
    memcpy(t, v, (size_t)n * sizeof *t);
    qsort(t, (size_t)n, sizeof *t, cmp);
    return n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
}

/* One training run with `threads`; episodes/s and steps/s out. The learned
 * parameter file goes to `out`. 0 or -1 after printing why. */
static int train_once(experiment *x, uint64_t threads, const char *out, double *eps, double *sps) {
    free(x->output);
    x->output = strdup(out);
    trainer_stats st;
    errmsg e;
    errmsg_clear(&e);
    trainer_opts o = {.threads = threads, .quiet = 1, .stats = &st};
    FILE *null = fopen("/dev/null", "w");
    int rc = trainer_run(x, &o, null, &e);
    if (null) fclose(null);
    if (rc) {
        fprintf(stderr, "bench_train: %s\n", e.msg);
        return -1;
    }
    *eps = (double)st.episodes / st.seconds;
    *sps = (double)st.steps / st.seconds;
    return 0;
}

int main(int argc, char **argv) {
    int rounds = 3;
    uint64_t epochs = 10;
    const char *file = ANIMAT_SRC_ROOT "/examples/swimmer-ncap-es.yaml";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--epochs") && i + 1 < argc)
            epochs = strtoull(argv[++i], NULL, 10);
        else if (argv[i][0] != '-')
            file = argv[i];
        else {
            fprintf(stderr, "usage: bench_train [--rounds N] [--epochs N] [EXPERIMENT.yaml]\n");
            return 2;
        }
    }
    if (rounds < 1 || rounds > MAX_ROUNDS || epochs < 1) {
        fprintf(stderr, "bench_train: --rounds 1..%d, --epochs >= 1\n", MAX_ROUNDS);
        return 2;
    }
    experiment x;
    errmsg e;
    errmsg_clear(&e);
    if (experiment_load(&x, file, NULL, 0, NULL, 0, &e)) {
        fprintf(stderr, "bench_train: %s\n", e.msg);
        return 1;
    }
    x.epochs = epochs;
    free(x.checkpoint);
    x.checkpoint = NULL;
    free(x.curve);
    x.curve = NULL;
    char dir[] = "/tmp/animat-bench-XXXXXX";
    if (!mkdtemp(dir)) return 1;
    char out1[64], out2[64];
    snprintf(out1, sizeof out1, "%s/t1.yaml", dir);
    snprintf(out2, sizeof out2, "%s/t2.yaml", dir);

    plain_sim p;
    if (plain_create(&p, &x)) return 1;
    double e1[MAX_ROUNDS], e2[MAX_ROUNDS], s1[MAX_ROUNDS], s2[MAX_ROUNDS], sp[MAX_ROUNDS], ratio[MAX_ROUNDS];
    printf("ES on %s: %llu epochs x 8 episodes per run, %d rounds\n", file, (unsigned long long)epochs, rounds);
    printf("%-6s %14s %14s %8s %16s\n", "round", "1 thread ep/s", "2 threads ep/s", "ratio", "plain steps/s");
    uint64_t ep = 0;
    for (int r = 0; r < rounds; r++) {
        if (train_once(&x, 1, out1, &e1[r], &s1[r]) || train_once(&x, 2, out2, &e2[r], &s2[r])) return 1;
        /* The plain loop for as many episodes as one training run. */
        double t0 = runner_now(), ret;
        uint64_t steps = 0;
        for (uint64_t k = 0; k < epochs * 8; k++) steps += plain_episode(&p, x.seed, ep++, &ret);
        sp[r] = (double)steps / (runner_now() - t0);
        ratio[r] = e2[r] / e1[r]; /* paired: the two runs of one round */
        printf("%-6d %14.2f %14.2f %8.3f %16.0f\n", r + 1, e1[r], e2[r], ratio[r], sp[r]);
    }
    double m1 = median(e1, rounds), m2 = median(e2, rounds), ms1 = median(s1, rounds), ms2 = median(s2, rounds),
           mp = median(sp, rounds);
    printf("\nmedian episodes/s: 1 thread %.2f, 2 threads %.2f; ratio of medians 2/1 = %.3f; median of per-round "
           "ratios = %.3f (on %ld cores)\n",
           m1, m2, m2 / m1, median(ratio, rounds), sysconf(_SC_NPROCESSORS_ONLN));
    printf("median env steps/s: training 1 thread %.0f, 2 threads %.0f; plain mj_step loop %.0f\n", ms1, ms2, mp);
    printf("training (1 thread) costs %.2f%% over the plain loop\n", 100.0 * (mp / ms1 - 1.0));
    char *a = NULL, *b = NULL;
    FILE *fa = fopen(out1, "r"), *fb = fopen(out2, "r");
    size_t na = 0, nb = 0;
    if (fa && fb) {
        getdelim(&a, &na, '\0', fa);
        getdelim(&b, &nb, '\0', fb);
    }
    const char *ta = a ? strstr(a, "\ntheta:") : NULL, *tb = b ? strstr(b, "\ntheta:") : NULL;
    printf("1- and 2-thread runs learned %s parameters\n", ta && tb && !strcmp(ta, tb) ? "bit-identical" : "DIFFERENT");
    if (fa) fclose(fa);
    if (fb) fclose(fb);
    free(a);
    free(b);
    plain_destroy(&p);
    experiment_free(&x);
    return 0;
}
