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
    char *s = proc_slurp(path);
    ck_assert_msg(s != NULL, "no curve %s", path);
    char *out = calloc(strlen(s) + 1, 1), *o = out;
    for (char *line = strstr(s, "epoch,"); line && *line;) {
        char *nl = strchr(line, '\n'), *last = line;
        for (char *c = line; c < (nl ? nl : line + strlen(line)); c++)
            if (*c == ',') last = c;
        memcpy(o, line, (size_t)(last - line));
        o += last - line;
        *o++ = '\n';
        line = nl ? nl + 1 : NULL;
    }
    free(s);
    return out;
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

/* Curves and learned theta of A and B are identical byte for byte. */
static void same_run(const char *a, const char *b) {
    char *ca = curve(a), *cb = curve(b);
    ck_assert_msg(strlen(ca) > 60, "curve too short: %s", ca);
    ck_assert_str_eq(ca, cb);
    free(ca);
    free(cb);
    char pa[512], pb[512];
    snprintf(pa, sizeof pa, "%s/%s.params.yaml", dir, a);
    snprintf(pb, sizeof pb, "%s/%s.params.yaml", dir, b);
    char *ta = proc_slurp(pa), *tb = proc_slurp(pb);
    ck_assert_str_eq(strstr(ta, "\ntheta:"), strstr(tb, "\ntheta:"));
    free(ta);
    free(tb);
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
    same_run("d0", "d1");
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
    same_run("t1", "t2");
    same_run("t1", "t3");
    proc_out v = proc_run("%s --version", exe);
    int has_mpi = strstr(v.out, "MPI") != NULL;
    proc_free(&v);
    ck_assert_msg(has_mpi, "this animat was built without MPI");
    const char *mpirun = "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 mpirun --allow-run-as-root --oversubscribe "
                         "-x ASAN_OPTIONS -np 2";
    train("r2", mpirun, k3);
    snprintf(o, sizeof o, "%s --threads 2", k3);
    train("r2t", mpirun, o);
    same_run("t1", "r2");
    same_run("t1", "r2t");
}
END_TEST

/* Epochs recorded in a checkpoint (the header's epochs_done field). */
static long ckpt_epochs(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    unsigned char h[24];
    long n = -1;
    if (fread(h, 1, 24, f) == 24) {
        unsigned long long e;
        memcpy(&e, h + 16, 8);
        n = (long)e;
    }
    fclose(f);
    return n;
}

START_TEST(kill_and_resume_identical_k2) {
    const char *opts = "--epochs 8 --set train.checkpoint_every=1 --set train.episodes_per_candidate=2 "
                       "--set train.common_episodes=epoch";
    train("full", "", opts);
    char cmd[4096], ck[512];
    snprintf(ck, sizeof ck, "%s/k.ckpt", dir);
    snprintf(cmd, sizeof cmd,
             "cd %s && exec %s train %s --quiet " SHORT " --set train.curve=k.csv --set train.output=k.params.yaml "
             "--set train.checkpoint=k.ckpt %s >/dev/null 2>&1", dir, exe, exp_es, opts);
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    long done = -1;
    for (int i = 0; i < 6000 && done < 2; i++) {
        usleep(5000);
        done = ckpt_epochs(ck);
    }
    kill(pid, SIGKILL);
    int st;
    waitpid(pid, &st, 0);
    long at = ckpt_epochs(ck);
    ck_assert_msg(at >= 2 && at < 8, "killed at checkpoint epoch %ld (should be mid-run)", at);
    proc_out p = proc_run("cd %s && %s train %s --resume --quiet " SHORT " --set train.curve=k.csv "
                          "--set train.output=k.params.yaml --set train.checkpoint=k.ckpt %s", dir, exe, exp_es, opts);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    same_run("full", "k");
    /* Resuming with another k is refused: it is part of the setup. */
    p = proc_run("cd %s && %s train %s --resume " SHORT " --set train.checkpoint=k.ckpt --epochs 9 "
                 "--set train.episodes_per_candidate=3", dir, exe, exp_es);
    ck_assert_int_eq(p.status, 1);
    ck_assert_ptr_nonnull(strstr(p.err, "k.ckpt: checkpoint was written by a different experiment setup"));
    proc_free(&p);
}
END_TEST

START_TEST(run_episodes_refused_by_train) {
    char text[1024];
    snprintf(text, sizeof text,
             "body: {plugin: swimmer}\ncircuit: {plugin: ncap}\n"
             "wiring:\n  - body.obs.joints -> circuit.in.joints\n  - circuit.out.muscles -> body.act.motors\n"
             "learner: {plugin: es}\nrun:\n  episodes: 3\n");
    const char *f = proc_write(dir, "re.yaml", text);
    proc_out p = proc_run("cd %s && %s train %s", dir, exe, f);
    ck_assert_int_eq(p.status, 1);
    ck_assert_int_eq(proc_lines(p.err), 1);
    ck_assert_msg(strstr(p.err, "re.yaml:8:3: run.episodes is not used by animat train; set "
                                "train.episodes_per_candidate (episodes averaged per candidate) instead"), "%s", p.err);
    proc_free(&p);
    p = proc_run("cd %s && %s train %s/examples/swimmer-ncap-es.yaml --episodes 2", dir, exe, src);
    ck_assert_int_eq(p.status, 1);
    ck_assert_ptr_nonnull(strstr(p.err, "run.episodes is not used by animat train"));
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
    tcase_add_test(t, run_episodes_refused_by_train);
    tcase_add_test(t, score_is_mean_of_k_episodes);
    tcase_add_test(t, common_episodes_modes);
    tcase_add_test(t, threads_and_ranks_bit_identical_k3);
    tcase_add_test(t, kill_and_resume_identical_k2);
    suite_add_tcase(s, t);
    return ck_run(s);
}
