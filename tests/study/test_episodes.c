/* test_episodes.c -- train.episodes_per_candidate and train.common_episodes:
 * a candidate's score is the mean of its k episodes (checked against
 * `animat run` of the same episodes); common episodes give the members of an
 * antithetic pair (or the whole epoch) the same initial states; k > 1 keeps
 * thread, MPI-rank and kill -9 + --resume bit-identity; run.episodes under
 * `animat train` is a one-line error. */
#include <check.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ck_run.h"
#include "proc.h"
#include "trainrun.h"

static const char *exe, *src;
static char dir[256], exp_es[512];

/* Short episodes (200 control steps) keep every run here under seconds. */
#define SHORT "--set run.max_steps=200"

/* Train examples/swimmer-ncap-es.yaml as TAG with `prefix` (e.g. mpirun)
 * and extra options; asserts success. */
static void train(const char *tag, const char *prefix, const char *opts) {
    proc_out p = proc_run("cd %s && %s %s train %s --quiet " SHORT " --set train.curve=%s.csv "
                          "--set train.output=%s.params.yaml --set train.checkpoint=%s.ckpt %s",
                          dir, prefix, exe, exp_es, tag, tag, tag, opts);
    ck_assert_msg(p.status == 0, "%s: %s", tag, p.err);
    proc_free(&p);
}

/* Curve rows of TAG without the elapsed column; caller frees. */
static char *curve(const char *tag) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s.csv", dir, tag);
    return trainrun_curve(path);
}

/* Column `col` (0-based: epoch, episodes, env_steps, best, mean) of data row
 * `row` (1-based epoch) of TAG's curve. */
static double cell(const char *tag, int row, int col) {
    char *c = curve(tag), *p = c;
    for (int r = 0; r < row && p; r++) p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
    ck_assert_msg(p && *p, "%s has no row %d", tag, row);
    for (int k = 0; k < col; k++) p = strchr(p, ',') + 1;
    double v = strtod(p, NULL);
    free(c);
    return v;
}


START_TEST(score_is_mean_of_k_episodes) {
    /* sigma 1e-12: every candidate is the initial theta; with common
     * episodes over the epoch each scores the mean of episodes 0..2, which
     * is what `animat run --episodes 3` reports for the same seed. */
    train("m3", "", "--epochs 1 --set learner.params.sigma=1e-12 --set train.episodes_per_candidate=3 "
                    "--set train.common_episodes=epoch");
    proc_out p = proc_run("cd %s && %s run %s --quiet " SHORT " --episodes 3", dir, exe, exp_es);
    ck_assert_msg(p.status == 0, "%s", p.err);
    const char *m = strstr(p.out, "mean return ");
    ck_assert_ptr_nonnull(m);
    double run_mean = atof(m + 12);
    proc_free(&p);
    ck_assert_double_eq(cell("m3", 1, 1), 24);     /* 8 candidates x 3 episodes */
    ck_assert_double_eq(cell("m3", 1, 2), 24 * 200);
    ck_assert_double_eq_tol(cell("m3", 1, 4), run_mean, 1e-3);
    ck_assert_double_eq_tol(cell("m3", 1, 3), run_mean, 1e-3);
    /* The episodes really differ: the single-episode score is another value. */
    train("m1", "", "--epochs 1 --set learner.params.sigma=1e-12 --set train.common_episodes=epoch");
    ck_assert_msg(fabs(cell("m1", 1, 4) - run_mean) > 1e-3, "episode 0 alone scored the 3-episode mean");
}
END_TEST

START_TEST(common_episodes_modes) {
    /* A near-zero perturbation leaves only the episodes to tell candidates
     * apart: best == mean iff every candidate saw the same episodes. */
    const char *tiny = "--epochs 1 --set learner.params.sigma=1e-12 --set learner.params.population=2";
    train("cn", "", tiny);                                      /* k = 1: none */
    train("cp", "", "--epochs 1 --set learner.params.sigma=1e-12 --set learner.params.population=2 "
                    "--set train.episodes_per_candidate=2");    /* k > 1: pairs by default */
    train("cnone2", "", "--epochs 1 --set learner.params.sigma=1e-12 --set learner.params.population=2 "
                        "--set train.episodes_per_candidate=2 --set train.common_episodes=none");
    ck_assert_msg(cell("cn", 1, 3) - cell("cn", 1, 4) > 1e-3, "k=1 default shares episodes");
    ck_assert_double_eq_tol(cell("cp", 1, 3), cell("cp", 1, 4), 1e-6);
    ck_assert_msg(cell("cnone2", 1, 3) - cell("cnone2", 1, 4) > 1e-3, "none shares episodes");
    /* k = 1 spelled out is the default, bit for bit (today's results). */
    train("d0", "", "--epochs 3");
    train("d1", "", "--epochs 3 --set train.episodes_per_candidate=1 --set train.common_episodes=none");
    trainrun_assert_same(dir, "d0", "d1", 60);
}
END_TEST

START_TEST(threads_and_ranks_bit_identical_k3) {
    const char *k3 = "--epochs 3 --set train.episodes_per_candidate=3";
    char o[256];
    snprintf(o, sizeof o, "%s --threads 1", k3);
    train("t1", "", o);
    snprintf(o, sizeof o, "%s --threads 2", k3);
    train("t2", "", o);
    snprintf(o, sizeof o, "%s --threads 3 --set train.common_episodes=pairs", k3);
    train("t3", "", o);
    trainrun_assert_same(dir, "t1", "t2", 60);
    trainrun_assert_same(dir, "t1", "t3", 60);
    proc_out v = proc_run("%s --version", exe);
    int has_mpi = strstr(v.out, "MPI") != NULL;
    proc_free(&v);
    ck_assert_msg(has_mpi, "this animat was built without MPI");
    const char *mpirun = "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 mpirun --allow-run-as-root --oversubscribe "
                         "-x ASAN_OPTIONS -np 2";
    train("r2", mpirun, k3);
    snprintf(o, sizeof o, "%s --threads 2", k3);
    train("r2t", mpirun, o);
    trainrun_assert_same(dir, "t1", "r2", 60);
    trainrun_assert_same(dir, "t1", "r2t", 60);
}
END_TEST


START_TEST(kill_and_resume_identical_k2) {
    const char *opts = "--epochs 8 --set train.checkpoint_every=1 --set train.episodes_per_candidate=2 "
                       "--set train.common_episodes=epoch";
    train("full", "", opts);
    char cmd[4096], ck[512];
    snprintf(ck, sizeof ck, "%s/k.ckpt", dir);
    snprintf(cmd, sizeof cmd,
             "cd %s && exec %s train %s --quiet " SHORT " --set train.curve=k.csv --set train.output=k.params.yaml "
             "--set train.checkpoint=k.ckpt %s >/dev/null 2>&1", dir, exe, exp_es, opts);
    long at = trainrun_kill_mid(cmd, ck, 2, 5000);
    ck_assert_msg(at >= 2 && at < 8, "killed at checkpoint epoch %ld (should be mid-run)", at);
    proc_out p = proc_run("cd %s && %s train %s --resume --quiet " SHORT " --set train.curve=k.csv "
                          "--set train.output=k.params.yaml --set train.checkpoint=k.ckpt %s", dir, exe, exp_es, opts);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    trainrun_assert_same(dir, "full", "k", 60);
    /* Resuming with another k is refused: it is part of the setup. */
    p = proc_run("cd %s && %s train %s --resume " SHORT " --set train.checkpoint=k.ckpt --epochs 9 "
                 "--set train.episodes_per_candidate=3", dir, exe, exp_es);
    ck_assert_int_eq(p.status, 1);
    ck_assert_ptr_nonnull(strstr(p.err, "k.ckpt: checkpoint was written by a different experiment setup"));
    proc_free(&p);
}
END_TEST

START_TEST(run_episodes_is_heldout_count) {
    /* One file serves run and train: run.episodes is the number of held-out
     * episodes train ends with (train.eval.episodes overrides it), and
     * `animat eval --theta` repeats that evaluation bit for bit. */
    char text[1024];
    snprintf(text, sizeof text,
             "body: {plugin: swimmer}\ncircuit: {plugin: ncap, params: {init: random}}\n"
             "wiring:\n  - body.obs.joints -> circuit.in.joints\n  - circuit.out.muscles -> body.act.motors\n"
             "learner: {plugin: es, params: {population: 4}}\ntrain: {epochs: 2, output: re.params.yaml}\n"
             "run:\n  episodes: 3\n");
    const char *f = proc_write(dir, "re.yaml", text);
    proc_out p = proc_run("cd %s && %s train %s --quiet " SHORT, dir, exe, f);
    ck_assert_msg(p.status == 0, "%s", p.err);
    const char *h = strstr(p.out, "held-out mean return ");
    ck_assert_msg(h && strstr(h, " over 3 episodes\n"), "%s", p.out);
    char line[256];
    snprintf(line, sizeof line, "%.*s", (int)(strstr(h, " (min") - h), h);
    proc_free(&p);
    p = proc_run("cd %s && %s eval %s --theta re.params.yaml --quiet " SHORT, dir, exe, f);
    ck_assert_msg(p.status == 0, "%s", p.err);
    ck_assert_msg(strstr(p.out, "3 episodes: ") && strstr(p.out, line), "train said '%s', eval '%s'", line, p.out);
    proc_free(&p);
    p = proc_run("cd %s && %s train %s --quiet " SHORT " --set train.eval.episodes=2", dir, exe, f);
    ck_assert_msg(p.status == 0 && strstr(p.out, " over 2 episodes\n"), "%s%s", p.out, p.err);
    proc_free(&p);
    p = proc_run("cd %s && %s train %s --quiet " SHORT " --set train.eval.episodes=0", dir, exe, f);
    ck_assert_msg(p.status == 0 && !strstr(p.out, "held-out"), "%s%s", p.out, p.err);
    proc_free(&p);
    p = proc_run("cd %s && %s train %s --set train.eval=5", dir, exe, f);
    ck_assert_int_eq(p.status, 1);
    ck_assert_msg(strstr(p.err, "--set train.eval: train.eval: expected a mapping like {episodes: 10}, got a single value"),
                  "%s", p.err);
    proc_free(&p);
    struct { const char *set, *want; } bad[] = {
        {"train.episodes_per_candidate=0", "train.episodes_per_candidate: 0 is out of range [1, 1000000]"},
        {"train.common_episodes=all", "train.common_episodes: expected none, pairs or epoch, got all"},
    };
    for (size_t i = 0; i < 2; i++) {
        p = proc_run("cd %s && %s train %s/examples/swimmer-ncap-es.yaml --set %s", dir, exe, src, bad[i].set);
        ck_assert_int_eq(p.status, 1);
        ck_assert_msg(strstr(p.err, bad[i].want), "'%s' lacks '%s'", p.err, bad[i].want);
        proc_free(&p);
    }
}
END_TEST

int main(void) {
    exe = getenv("ANIMAT_EXE");
    src = getenv("ANIMAT_SRC");
    if (!exe || !src) return 1;
    snprintf(dir, sizeof dir, "%s", proc_tmpdir());
    snprintf(exp_es, sizeof exp_es, "%s/examples/swimmer-ncap-es.yaml", src);
    Suite *s = suite_create("episodes");
    TCase *t = tcase_create("episodes");
    tcase_set_timeout(t, 600);
    tcase_add_test(t, run_episodes_is_heldout_count);
    tcase_add_test(t, score_is_mean_of_k_episodes);
    tcase_add_test(t, common_episodes_modes);
    tcase_add_test(t, threads_and_ranks_bit_identical_k3);
    tcase_add_test(t, kill_and_resume_identical_k2);
    suite_add_tcase(s, t);
    return ck_run(s);
}
