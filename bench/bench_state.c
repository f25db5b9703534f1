/* bench_state.c -- what a whole-experiment state costs (sim/state.h): for
 * each experiment file (default: every examples/NAME.yaml), run one episode
 * of run.max_steps 60 and, after control step 25, time N snapshots
 * (sim_state_save) and N restores of that snapshot (sim_state_load: the
 * plugins' load included, e.g. a MuJoCo body's mj_step1), then finish the
 * episode. Prints the median microseconds of one snapshot and of one
 * restore (in memory; no file) and the state file's size (payload + 72
 * bytes of sealed-file and state heads).
 *
 *   ./build/bench/bench_state [-n N] [FILE.yaml ...]
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exp/experiment.h"
#include "sim/runner.h"
#include "sim/sim.h"
#include "sim/state.h"
#include "sim/sim_impl.h"

/* The heads in front of a payload in a state file (base/sealfile.c: 32,
 * sim/state.c: 40). */
#define FILE_HEADS 72u

typedef struct timing {
    int n;
    double save_us, load_us;
    uint64_t size;
} timing;

/* qsort on doubles. */
static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of n values (sorted in place), in microseconds. */
static double median_us(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, by_value);
    return v[n / 2] * 1e6;
}

/* The hook at step 25: N snapshots, then N restores of the last one, each
 * timed alone (the median is robust on a shared machine). */
static int measure(void *ctx, sim *s, sim_result *r, errmsg *e) {
    timing *t = ctx;
    void *buf = NULL;
    uint64_t size = 0;
    double *dt = malloc((size_t)t->n * sizeof *dt);
    if (!dt) return errmsg_set(e, "out of memory");
    int rc = 0;
    for (int i = 0; !rc && i < t->n; i++) {
        free(buf);
        double t0 = runner_now();
        rc = sim_state_save(s, r, &buf, &size, e);
        dt[i] = runner_now() - t0;
    }
    if (!rc) t->save_us = median_us(dt, t->n);
    for (int i = 0; !rc && i < t->n; i++) {
        double t0 = runner_now();
        rc = sim_state_load(s, buf, size, r, e);
        dt[i] = runner_now() - t0;
    }
    if (!rc) t->load_us = median_us(dt, t->n);
    free(buf);
    free(dt);
    t->size = size + FILE_HEADS;
    return rc;
}

/* One file: a line of figures, or a line saying why not. */
static void bench_file(const char *path, int n) {
    static const char *const sets[] = {"run.max_steps=60", "run.episodes=1"};
    errmsg e;
    errmsg_clear(&e);
    experiment x;
    sim s;
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if (experiment_load(&x, path, sets, 2, NULL, 0, &e)) {
        printf("%-28s skipped: %s\n", name, e.msg);
        return;
    }
    timing t = {n, 0, 0, 0};
    sim_result r;
    int rc = sim_create(&s, &x, &e) ? -1 : sim_state_check(&s, &e);
    if (!rc) {
        s.snap = (sim_hook){measure, &t, 25};
        rc = sim_episode(&s, 0, &r, &e);
    }
    if (rc)
        printf("%-28s failed: %s\n", name, e.msg);
    else
        printf("%-28s %9.1f %9.1f %10llu\n", name, t.save_us, t.load_us, (unsigned long long)t.size);
    sim_destroy(&s);
    experiment_free(&x);
}

/* qsort on strings. */
static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv) {
    int n = 200, first = 1;
    if (argc > 2 && !strcmp(argv[1], "-n")) n = atoi(argv[2]), first = 3;
    if (n < 1) n = 1;
    printf("%-28s %9s %9s %10s   (after step 25 of 60; median of %d)\n", "experiment", "save_us", "load_us",
           "file_bytes", n);
    if (first < argc) {
        for (int i = first; i < argc; i++) bench_file(argv[i], n);
        return 0;
    }
    char dir[1024], *files[256];
    int nf = 0;
    snprintf(dir, sizeof dir, "%s/examples", ANIMAT_SRC_ROOT);
    DIR *d = opendir(dir);
    for (struct dirent *de; d && (de = readdir(d)) && nf < 256;) {
        size_t len = strlen(de->d_name);
        if (len > 5 && !strcmp(de->d_name + len - 5, ".yaml")) {
            files[nf] = malloc(strlen(dir) + len + 2);
            sprintf(files[nf++], "%s/%s", dir, de->d_name);
        }
    }
    if (d) closedir(d);
    qsort(files, (size_t)nf, sizeof *files, by_name);
    for (int i = 0; i < nf; i++) {
        bench_file(files[i], n);
        free(files[i]);
    }
    return 0;
}
