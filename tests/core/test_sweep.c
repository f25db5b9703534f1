/* test_sweep.c -- `animat sweep` end to end through the binary: the summary's
 * numbers against `animat run`/`animat eval` and GSL's Student t; re-runs
 * keep finished runs and redo torn ones; a SIGKILLed sweep loses no
 * finished run; two shards collected give the unsharded summary byte for
 * byte; every bad input is one line, exit 1, with nothing under DIR changed. */
#include <check.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ck_run.h"
#include "proc.h"

static const char *exe, *src;
static char ex[1024];

/* A short run: 2 episodes of 60 steps. */
#define SHORT "--set run.max_steps=60 --set run.episodes=2"
#define GRID "--grid 'circuit.theta=[[1,1,1,-1],[0.5,1,1,-1]]' --seeds 1..2"

static char *slurp2(const char *dir, const char *name) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return proc_slurp(path);
}

/* The "mean return X" of an animat run/eval output. */
static double mean_of(const char *out) {
    const char *m = strstr(out, "mean return ");
    ck_assert_msg(m != NULL, "%s", out);
    return atof(m + 12);
}

START_TEST(summary_numbers) {
    const char *dir = proc_tmpdir();
    proc_out p = proc_run("cd %s && %s sweep %s " GRID " " SHORT " -j 2 -o sw", dir, exe, ex);
    ck_assert_msg(p.status == 0, "%s%s", p.out, p.err);
    ck_assert_ptr_nonnull(strstr(p.out, "run 4/4  "));
    proc_free(&p);
    double v[2];
    for (int s = 0; s < 2; s++) {
        p = proc_run("%s run %s --quiet " SHORT " --set circuit.theta=[0.5,1,1,-1] --seed %d", exe, ex, s + 1);
        v[s] = mean_of(p.out);
        proc_free(&p);
    }
    char *csv = slurp2(dir, "sw/summary.csv");
    ck_assert_ptr_nonnull(csv);
    const char *row = strstr(csv, "\"[0.5, 1, 1, -1]\",2,");
    ck_assert_msg(row != NULL, "%s", csv);
    double n, mean, sd, lo, hi, mn, mx;
    ck_assert_int_eq(sscanf(row + strlen("\"[0.5, 1, 1, -1]\","), "%lf,%lf,%lf,%lf,%lf,%lf,%lf", &n, &mean, &sd, &lo,
                            &hi, &mn, &mx), 7);
    double m = (v[0] + v[1]) / 2, sdw = fabs(v[0] - v[1]) / sqrt(2.0), half = 12.706204736174698 * sdw / sqrt(2.0);
    ck_assert_msg(fabs(mean - m) < 1e-3 && fabs(sd - sdw) < 2e-3, "mean %g sd %g, want %g %g", mean, sd, m, sdw);
    ck_assert_msg(fabs(lo - (mean - half)) < 2e-2 && fabs(hi - (mean + half)) < 2e-2 && fabs(hi - lo - 2 * half) < 2e-2,
                  "CI [%g, %g], want half-width %g", lo, hi, half);
    ck_assert_msg(fabs(mn - fmin(v[0], v[1])) < 1e-3 && fabs(mx - fmax(v[0], v[1])) < 1e-3, "%g %g", mn, mx);
    free(csv);
    char *md = slurp2(dir, "sw/summary.md");
    ck_assert_ptr_nonnull(strstr(md, "| circuit.theta | n | mean | sd | 95% CI | min | max |"));
    free(md);
}
END_TEST

START_TEST(rerun_keeps_finished_redoes_torn) {
    const char *dir = proc_tmpdir();
    proc_out p = proc_run("cd %s && %s sweep %s " GRID " " SHORT " -o sw --quiet", dir, exe, ex);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char *kept = slurp2(dir, "sw/runs/p000-s1/result.yaml"), *sum = slurp2(dir, "sw/summary.csv");
    struct stat before, after;
    char h5[1024];
    snprintf(h5, sizeof h5, "%s/sw/runs/p000-s1/run.h5", dir);
    ck_assert_int_eq(stat(h5, &before), 0);
    /* a torn run: its result gone, a half-written recording left */
    p = proc_run("cd %s/sw/runs/p001-s2 && rm result.yaml && head -c 100 run.h5 > run.h5.tmp", dir);
    proc_free(&p);
    p = proc_run("cd %s && %s sweep %s " GRID " " SHORT " -o sw", dir, exe, ex);
    ck_assert_msg(p.status == 0, "%s", p.err);
    ck_assert_msg(strstr(p.out, "3 finished runs kept") && strstr(p.out, "run 1/1  p001-s2"), "%s", p.out);
    proc_free(&p);
    ck_assert_int_eq(stat(h5, &after), 0);
    ck_assert_int_eq(before.st_ino, after.st_ino);
    ck_assert_int_eq(before.st_mtime, after.st_mtime);
    char *k2 = slurp2(dir, "sw/runs/p000-s1/result.yaml"), *s2 = slurp2(dir, "sw/summary.csv");
    ck_assert_str_eq(kept, k2);
    ck_assert_str_eq(sum, s2);
    free(kept), free(sum), free(k2), free(s2);
    /* an edited experiment is another run: redone, not reused */
    p = proc_run("cd %s && %s sweep %s " GRID " " SHORT " --set run.max_steps=61 -o sw", dir, exe, ex);
    ck_assert_int_eq(p.status, 1);
    ck_assert_ptr_nonnull(strstr(p.err, "holds another sweep's runs"));
    proc_free(&p);
}
END_TEST

START_TEST(sigkill_loses_no_finished_run) {
    const char *dir = proc_tmpdir();
    /* 6 runs of 2 x 300 steps, one at a time; killed once two have finished */
    proc_out p = proc_run("cd %s && (%s sweep %s --grid 'circuit.theta=[[1,1,1,-1],[0.5,1,1,-1],[1,0.5,1,-1]]' "
                          "--seeds 1..2 --set run.max_steps=300 --set run.episodes=2 -o sw --quiet & echo $! > pid; "
                          "while [ $(ls sw/runs/*/result.yaml 2>/dev/null | wc -l) -lt 2 ]; do sleep 0.05; done; "
                          "kill -9 $(cat pid); wait) ; ls sw/runs/*/result.yaml | wc -l",
                          dir, exe, ex);
    int had = atoi(p.out);
    proc_free(&p);
    ck_assert_msg(had >= 2 && had < 6, "%d results when killed", had);
    p = proc_run("cd %s && cat sw/runs/*/result.yaml", dir);
    char *was = strdup(p.out);
    proc_free(&p);
    p = proc_run("cd %s && %s sweep %s --grid 'circuit.theta=[[1,1,1,-1],[0.5,1,1,-1],[1,0.5,1,-1]]' --seeds 1..2 "
                 "--set run.max_steps=300 --set run.episodes=2 -o sw",
                 dir, exe, ex);
    ck_assert_msg(p.status == 0, "%s", p.err);
    char want[64];
    snprintf(want, sizeof want, "%d finished runs kept", had);
    ck_assert_msg(strstr(p.out, want), "%s", p.out);
    proc_free(&p);
    p = proc_run("cd %s && cat sw/runs/*/result.yaml", dir);
    ck_assert_msg(!strncmp(p.out, was, strlen(was)) || strstr(p.out, was + strlen(was) / 2),
                  "finished results changed");
    proc_free(&p);
    free(was);
    p = proc_run("cd %s && ls sw/runs/*/result.yaml | wc -l && ls sw/summary.md", dir);
    ck_assert_int_eq(atoi(p.out), 6);
    proc_free(&p);
}
END_TEST

START_TEST(two_shards_collect_to_the_same_summary) {
    const char *dir = proc_tmpdir();
    proc_out p = proc_run("cd %s && %s sweep %s " GRID " " SHORT " -o one --quiet && "
                          "%s sweep %s " GRID " " SHORT " -o two --shard 1/2 && "
                          "%s sweep --collect two; echo rc $?",
                          dir, exe, ex, exe, ex, exe);
    ck_assert_msg(strstr(p.out, "shard 1/2 finished") && strstr(p.out, "rc 1"), "%s", p.out);
    ck_assert_msg(strstr(p.err, "error: --collect two: shard 2/2 is missing") && proc_lines(p.err) == 1, "%s", p.err);
    proc_free(&p);
    p = proc_run("cd %s && %s sweep %s " GRID " " SHORT " -o two --shard 2/2 --quiet && %s sweep --collect two", dir,
                 exe, ex, exe);
    ck_assert_msg(p.status == 0 && strstr(p.out, "4 runs collected"), "%s%s", p.out, p.err);
    proc_free(&p);
    const char *files[] = {"summary.csv", "summary.md"};
    for (int i = 0; i < 2; i++) {
        char a[64], b[64];
        snprintf(a, sizeof a, "one/%s", files[i]);
        snprintf(b, sizeof b, "two/%s", files[i]);
        char *x = slurp2(dir, a), *y = slurp2(dir, b);
        ck_assert_ptr_nonnull(x);
        ck_assert_ptr_nonnull(y);
        ck_assert_str_eq(x, y);
        free(x), free(y);
    }
    /* foreign shards: a result of another experiment, a marker of another sweep */
    p = proc_run("cd %s && cp one/runs/p000-s1/result.yaml keep && "
                 "sed -i 's/^hash: .*/hash: '\"'\"'0000000000000001'\"'\"'/' two/runs/p000-s1/result.yaml && "
                 "%s sweep --collect two", dir, exe);
    ck_assert_int_eq(p.status, 1);
    ck_assert_msg(strstr(p.err, "two/runs/p000-s1/result.yaml is from another sweep or experiment") &&
                      proc_lines(p.err) == 1, "%s", p.err);
    proc_free(&p);
    p = proc_run("cd %s && cp keep two/runs/p000-s1/result.yaml && echo 0123456789abcdef > two/shards/2-of-2 && "
                 "%s sweep --collect two", dir, exe);
    ck_assert_int_eq(p.status, 1);
    ck_assert_msg(strstr(p.err, "two/shards/2-of-2 is from another sweep"), "%s", p.err);
    proc_free(&p);
}
END_TEST

START_TEST(bad_input_one_line_nothing_destroyed) {
    const char *dir = proc_tmpdir();
    proc_out p = proc_run("cd %s && %s sweep %s " GRID " " SHORT " -o sw --quiet && touch afile && mkdir other && "
                          "touch other/x", dir, exe, ex);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    struct { const char *args, *want; } bad[] = {
        {"--grid foo.bar=[1,2] -o new", "unknown key 'foo' (expected one of: name, description, body"},
        {"--grid body.params.n_bodies=[] -o new", "error: --grid body.params.n_bodies=[]: the list of values is empty"},
        {"--grid body.params.n_bodies=[6,40] -o new",
         "error: --grid body.params.n_bodies: value 40: --set body.params.n_bodies: body.params.n_bodies: 40 is out "
         "of range [3, 16] (plugin swimmer)"},
        {"--seeds 5..1 -o new", "error: --seeds 5..1: the range is empty (5 > 1)"},
        {"-j 0 -o new", "error: -j 0: expected a number of processes from 1 to 1024"},
        {"--shard 3/2 -o new", "error: --shard 3/2: expected I/N with 1 <= I <= N (e.g. 2/4)"},
        {"-o afile", "error: -o afile: exists and is not a directory"},
        {"--seeds 1..3 -o sw", "error: -o sw: the directory holds another sweep's runs"},
        {"-o other", "error: -o other: the directory is not empty and holds no sweep.yaml"},
        {"--collect other", "error: --collect other: no sweep.yaml: not a sweep's folder"},
        {"--collect missing", "error: --collect missing: not a directory"},
    };
    proc_out before = proc_run("cd %s && ls -lR --time-style=full-iso . | md5sum", dir);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int collect = !strncmp(bad[i].args, "--collect", 9);
        p = proc_run("cd %s && %s sweep %s %s", dir, exe, collect ? "" : ex, bad[i].args);
        ck_assert_msg(p.status == 1 && proc_lines(p.err) == 1 && strstr(p.err, bad[i].want), "%s: status %d: %s",
                      bad[i].args, p.status, p.err);
        proc_free(&p);
    }
    proc_out after = proc_run("cd %s && ls -lR --time-style=full-iso . | md5sum", dir);
    ck_assert_str_eq(before.out, after.out);
    proc_free(&before), proc_free(&after);
}
END_TEST

START_TEST(train_sweep_scores_heldout) {
    const char *dir = proc_tmpdir();
    char es[1024];
    snprintf(es, sizeof es, "%s/examples/swimmer-ncap-es.yaml", src);
    proc_out p = proc_run("cd %s && %s sweep %s --train --grid learner.params.lr=[0.01,0.1] --seeds 1..1 "
                          "--set train.epochs=2 --set run.max_steps=50 --set train.eval.episodes=2 -j 2 -o tr",
                          dir, exe, es);
    ck_assert_msg(p.status == 0 && strstr(p.out, "held-out mean return"), "%s%s", p.out, p.err);
    proc_free(&p);
    p = proc_run("cd %s && %s eval %s --theta tr/runs/p001-s1/params.yaml --set run.max_steps=50 --episodes 2 --quiet",
                 dir, exe, es);
    double want = mean_of(p.out);
    proc_free(&p);
    char *res = slurp2(dir, "tr/runs/p001-s1/result.yaml");
    const char *v = strstr(res, "value: ");
    ck_assert_ptr_nonnull(v);
    ck_assert_msg(fabs(atof(v + 7) - want) < 1e-3, "sweep %s, eval %g", v, want);
    free(res);
}
END_TEST

int main(void) {
    exe = getenv("ANIMAT_EXE");
    src = getenv("ANIMAT_SRC");
    if (!exe || !src) return 1;
    snprintf(ex, sizeof ex, "%s/examples/swimmer-ncap.yaml", src);
    Suite *s = suite_create("sweep");
    TCase *t = tcase_create("sweep");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, summary_numbers);
    tcase_add_test(t, rerun_keeps_finished_redoes_torn);
    tcase_add_test(t, sigkill_loses_no_finished_run);
    tcase_add_test(t, two_shards_collect_to_the_same_summary);
    tcase_add_test(t, bad_input_one_line_nothing_destroyed);
    tcase_add_test(t, train_sweep_scores_heldout);
    suite_add_tcase(s, t);
    return ck_run(s);
}
