/* test_train.c -- `animat train` end to end: learners minimise test
 * functions and improve the NCAP swimmer; threads and MPI ranks give
 * bit-identical learning curves; a SIGKILLed or interrupted run resumes to
 * exactly the uninterrupted result; bad learner configs are clear errors. */
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

static const char *exe, *broken, *src;
static char dir[256];

/* An experiment minimising `fn` in `dim` dimensions with `learner`. */
static const char *func_exp(const char *name, const char *fn, int dim, const char *learner, const char *train) {
    char text[4096];
    snprintf(text, sizeof text,
             "body:\n  plugin: %s/funcbody.so\n  params: {function: %s, dim: %d}\n"
             "circuit:\n  plugin: const\n  params: {init: -0.5}\n"
             "wiring:\n  - circuit.out.y -> body.act.x\n"
             "learner:\n%s\ntrain:\n%s\n",
             broken, fn, dim, learner, train);
    return proc_write(dir, name, text);
}

/* Parse the theta list of a parameter file written by train. */
static int read_theta(const char *path, double *theta, int cap) {
    char *s = proc_slurp(path);
    ck_assert_msg(s != NULL, "no parameter file %s", path);
    char *p = strstr(s, "\ntheta: [");
    ck_assert_ptr_nonnull(p);
    p += 9;
    int n = 0;
    while (n < cap && *p && *p != ']') {
        theta[n++] = strtod(p, &p);
        while (*p == ',' || *p == ' ') p++;
    }
    free(s);
    return n;
}


START_TEST(es_minimises_quadratic) {
    const char *f = func_exp("q.yaml", "quadratic", 5, "  plugin: es\n  params: {sigma: 0.1, lr: 0.05, population: 16, weight_decay: 0}",
                             "  epochs: 150\n  output: q.params.yaml");
    proc_out p = proc_run("cd %s && %s train %s --quiet", dir, exe, f);
    ck_assert_msg(p.status == 0, "%s", p.err);
    ck_assert_ptr_nonnull(strstr(p.out, "trained 150 epochs (2400 episodes"));
    proc_free(&p);
    /* The parameter file records the learner and its settings. */
    char prov[512];
    snprintf(prov, sizeof prov, "%s/q.params.yaml", dir);
    char *text = proc_slurp(prov);
    ck_assert_ptr_nonnull(strstr(text, "\n# learner: es org.animat.es 1.0.0 "));
    ck_assert_ptr_nonnull(strstr(text, "\n# learner.params: population=16 sigma=0.10000000000000001 lr=0.050000000000000003"));
    free(text);
    double th[8];
    char path[512];
    snprintf(path, sizeof path, "%s/q.params.yaml", dir);
    ck_assert_int_eq(read_theta(path, th, 8), 5);
    for (int i = 0; i < 5; i++) ck_assert_msg(fabs(th[i] - 1) < 0.05, "x%d = %g", i, th[i]); /* started at -0.5 */
}
END_TEST

START_TEST(es_minimises_rosenbrock) {
    /* Rank-shaped ES with Adam creeps along the curved valley: a large
     * budget of cheap one-step episodes (96000, about half a second). */
    const char *f = func_exp("er.yaml", "rosenbrock", 2,
                             "  plugin: es\n  params: {sigma: 0.02, lr: 0.1, population: 32, weight_decay: 0}",
                             "  epochs: 3000\n  output: er.params.yaml");
    proc_out p = proc_run("cd %s && %s train %s --quiet", dir, exe, f);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    double th[4];
    char path[512];
    snprintf(path, sizeof path, "%s/er.params.yaml", dir);
    ck_assert_int_eq(read_theta(path, th, 4), 2);
    ck_assert_msg(fabs(th[0] - 1) < 0.05 && fabs(th[1] - 1) < 0.05, "(%g, %g)", th[0], th[1]);
}
END_TEST

START_TEST(cmaes_minimises_quadratic) {
    const char *f = func_exp("cq.yaml", "quadratic", 8, "  plugin: cmaes\n  params: {sigma0: 0.5}",
                             "  epochs: 150\n  output: cq.params.yaml");
    proc_out p = proc_run("cd %s && %s train %s --quiet", dir, exe, f);
    ck_assert_msg(p.status == 0, "%s", p.err);
    /* Default population for n = 8: 4 + floor(3 ln 8) = 10. */
    ck_assert_ptr_nonnull(strstr(p.out, "trained 150 epochs (1500 episodes"));
    proc_free(&p);
    double th[8];
    char path[512];
    snprintf(path, sizeof path, "%s/cq.params.yaml", dir);
    ck_assert_int_eq(read_theta(path, th, 8), 8);
    for (int i = 0; i < 8; i++) ck_assert_msg(fabs(th[i] - 1) < 1e-4, "x%d = %.9g", i, th[i]);
}
END_TEST

START_TEST(cmaes_minimises_rosenbrock) {
    const char *f = func_exp("r.yaml", "rosenbrock", 2, "  plugin: cmaes\n  params: {sigma0: 0.5}",
                             "  epochs: 200\n  output: r.params.yaml");
    proc_out p = proc_run("cd %s && %s train %s --quiet", dir, exe, f);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    double th[4];
    char path[512];
    snprintf(path, sizeof path, "%s/r.params.yaml", dir);
    ck_assert_int_eq(read_theta(path, th, 4), 2);
    ck_assert_msg(fabs(th[0] - 1) < 1e-3 && fabs(th[1] - 1) < 1e-3, "(%g, %g)", th[0], th[1]);
}
END_TEST

/* Train the same experiment with the given command prefix/options. */
static void train_curve(const char *exp, const char *tag, const char *prefix, const char *opts) {
    proc_out p = proc_run("cd %s && %s %s train %s --quiet --set train.curve=%s.csv --set train.output=%s.params.yaml %s",
                          dir, prefix, exe, exp, tag, tag, opts);
    ck_assert_msg(p.status == 0, "%s: %s", tag, p.err);
    proc_free(&p);
}


/* The determinism tests run on one circuit and on a two-circuit graph. */
static const char *const train_exps[] = {"swimmer-ncap-es", "swimmer-split"};

/* Path of loop test i's experiment into exp; tags get suffix i. The graph
 * example runs 300-step episodes here (a copy with run.max_steps appended:
 * its run block is the file's last), to keep the suite short. */
static void exp_of(int i, char *exp, size_t cap) {
    snprintf(exp, cap, "%s/examples/%s.yaml", src, train_exps[i]);
    if (i == 0) return;
    char *text = proc_slurp(exp);
    ck_assert_ptr_nonnull(text);
    size_t n = strlen(text);
    char *more = malloc(n + 32);
    memcpy(more, text, n);
    strcpy(more + n, "  max_steps: 300\n");
    snprintf(exp, cap, "%s", proc_write(dir, "split-short.yaml", more));
    free(more);
    free(text);
}

/* Tag "NAME_i" (static storage, 4 slots). */
static const char *tag(const char *name, int i) {
    static char buf[4][32];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s_%d", name, i);
    return buf[k];
}

START_TEST(threads_bit_identical) {
    char exp[512], o[256];
    exp_of(_i, exp, sizeof exp);
    for (int th = 1; th <= 3; th++) {
        char name[8];
        snprintf(name, sizeof name, "t%d", th);
        snprintf(o, sizeof o, "--epochs 4 --threads %d --set train.checkpoint=%s.ckpt", th, tag(name, _i));
        train_curve(exp, tag(name, _i), "", o);
    }
    trainrun_assert_same(dir, tag("t1", _i), tag("t2", _i), 100);
    trainrun_assert_same(dir, tag("t1", _i), tag("t3", _i), 100);
}
END_TEST

START_TEST(mpi_ranks_bit_identical) {
    proc_out v = proc_run("%s --version", exe);
    int has_mpi = strstr(v.out, "MPI") != NULL;
    proc_free(&v);
    ck_assert_msg(has_mpi, "this animat was built without MPI");
    char exp[512], o[256];
    exp_of(_i, exp, sizeof exp);
    /* Open MPI's runtime leaks by design; under ASan, leak checking is off
     * for the 2-rank runs only (the 1-rank run above checks our code). */
    const char *mpirun = "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 mpirun --allow-run-as-root --oversubscribe "
                         "-x ASAN_OPTIONS -np 2";
    const char *names[] = {"r1", "r2", "r2t"}, *pre[] = {"", mpirun, mpirun}, *th[] = {"", "", "--threads 2"};
    for (int k = 0; k < 3; k++) {
        snprintf(o, sizeof o, "--epochs 3 %s --set train.checkpoint=%s.ckpt", th[k], tag(names[k], _i));
        train_curve(exp, tag(names[k], _i), pre[k], o);
    }
    trainrun_assert_same(dir, tag("r1", _i), tag("r2", _i), 100);
    trainrun_assert_same(dir, tag("r1", _i), tag("r2t", _i), 100);
}
END_TEST


START_TEST(kill_and_resume_identical) {
    char exp[512], ck[512], o[256];
    exp_of(_i, exp, sizeof exp);
    snprintf(ck, sizeof ck, "%s/k_%d.ckpt", dir, _i);
    const char *opts = "--epochs 6 --set train.checkpoint_every=1";
    snprintf(o, sizeof o, "--epochs 6 --set train.checkpoint=%s.ckpt --set train.checkpoint_every=1", tag("full", _i));
    train_curve(exp, tag("full", _i), "", o);
    /* Start the same run in the background and SIGKILL it mid-way. */
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "cd %s && exec %s train %s --quiet --set train.curve=k_%d.csv --set train.output=k_%d.params.yaml "
             "--set train.checkpoint=k_%d.ckpt %s >/dev/null 2>&1",
             dir, exe, exp, _i, _i, _i, opts);
    long at = trainrun_kill_mid(cmd, ck, 2, 10000);
    ck_assert_msg(at >= 2 && at < 6, "killed at checkpoint epoch %ld (should be mid-run)", at);
    /* Resume to the end. */
    proc_out p = proc_run("cd %s && %s train %s --resume --set train.curve=k_%d.csv --set train.output=k_%d.params.yaml "
                          "--set train.checkpoint=k_%d.ckpt %s",
                          dir, exe, exp, _i, _i, _i, opts);
    ck_assert_msg(p.status == 0, "%s", p.err);
    ck_assert_ptr_nonnull(strstr(p.out, "resuming "));
    proc_free(&p);
    trainrun_assert_same(dir, tag("full", _i), tag("k", _i), 100);
}
END_TEST

START_TEST(sigint_checkpoints_and_resumes) {
    char exp[512], ck[512];
    snprintf(exp, sizeof exp, "%s/examples/swimmer-ncap-es.yaml", src);
    snprintf(ck, sizeof ck, "%s/i.ckpt", dir);
    train_curve(exp, "ifull", "", "--epochs 5 --set train.checkpoint=ifull.ckpt --set train.checkpoint_every=100");
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "cd %s && exec %s train %s --quiet --set train.curve=i.csv --set train.output=i.params.yaml "
             "--set train.checkpoint=i.ckpt --epochs 5 --set train.checkpoint_every=100 >/dev/null 2>%s/i.err",
             dir, exe, exp, dir);
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    /* Wait for the first epoch to be on the curve, then interrupt. */
    char curve[512];
    snprintf(curve, sizeof curve, "%s/i.csv", dir);
    for (int i = 0; i < 6000; i++) {
        usleep(10000);
        char *c = proc_slurp(curve);
        int rows = c && strstr(c, "\n1,") ? 1 : 0;
        free(c);
        if (rows) break;
    }
    kill(pid, SIGINT);
    int st;
    waitpid(pid, &st, 0);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 130, "status %d", st);
    long at = trainrun_ckpt_epochs(ck);
    ck_assert_msg(at >= 1 && at < 5, "interrupt checkpoint at epoch %ld", at);
    proc_out p = proc_run("cd %s && %s train %s --resume --quiet --set train.curve=i.csv --set train.output=i.params.yaml "
                          "--set train.checkpoint=i.ckpt --epochs 5 --set train.checkpoint_every=100",
                          dir, exe, exp);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    trainrun_assert_same(dir, "ifull", "i", 100);
}
END_TEST

/* Checkpoints validate themselves: an edited header, a changed
 * run.max_steps and an edited curve are refused; a fresh run moves an old
 * checkpoint aside; a resume with nothing left writes the parameters. */
START_TEST(checkpoints_validate_themselves) {
    char exp[512];
    snprintf(exp, sizeof exp, "%s/examples/swimmer-ncap-es.yaml", src);
    const char *base = "--quiet --epochs 3 --set run.max_steps=50 --set train.checkpoint=v.ckpt "
                       "--set train.curve=v.csv --set train.output=v.params.yaml";
    proc_out p = proc_run("cd %s && rm -f v.* && %s train %s %s", dir, exe, exp, base);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    /* resume with nothing left: the parameters it reports are written */
    p = proc_run("cd %s && rm v.params.yaml && %s train %s %s --resume && test -s v.params.yaml", dir, exe, exp, base);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    /* run.max_steps is part of the setup */
    p = proc_run("cd %s && %s train %s %s --resume --set run.max_steps=60 --epochs 4", dir, exe, exp, base);
    ck_assert_msg(p.status == 1 && strstr(p.err, "checkpoint was written by a different experiment setup"), "%s", p.err);
    proc_free(&p);
    /* an edited curve */
    p = proc_run("cd %s && cp v.csv v.csv.bak && sed -i 's/^3,/3,9/' v.csv && %s train %s %s --resume --epochs 4; "
                 "s=$?; mv v.csv.bak v.csv; exit $s", dir, exe, exp, base);
    ck_assert_msg(p.status == 1 && strstr(p.err, "the learning curve does not match the checkpoint"), "%s", p.err);
    proc_free(&p);
    /* an edited header (epochs_done at offset 40: after the 32-byte sealed-file head and n_theta) */
    p = proc_run("cd %s && cp v.ckpt v.ckpt.bak && printf '\\001' | dd of=v.ckpt bs=1 seek=40 conv=notrunc 2>/dev/null && "
                 "%s train %s %s --resume --epochs 4; s=$?; mv v.ckpt.bak v.ckpt; exit $s", dir, exe, exp, base);
    ck_assert_msg(p.status == 1 && strstr(p.err, "checkpoint is corrupt or was edited (checksum mismatch)"), "%s", p.err);
    proc_free(&p);
    /* a fresh run moves the old checkpoint aside */
    p = proc_run("cd %s && %s train %s %s --epochs 1 --set train.checkpoint_every=5 && test -f v.ckpt.prev", dir, exe, exp,
                 base);
    ck_assert_msg(p.status == 0, "%s%s", p.out, p.err);
    proc_free(&p);
}
END_TEST

/* kill -9 at 20 random moments (between 30 and 250 ms into each attempt,
 * from a fixed generator), resuming after each, ends exactly where an
 * uninterrupted run ends: curve and parameters byte for byte. */
START_TEST(kill9_at_twenty_points) {
    char exp[512], ck[512], cmd[4096];
    snprintf(exp, sizeof exp, "%s/examples/swimmer-ncap-es.yaml", src);
    snprintf(ck, sizeof ck, "%s/r.ckpt", dir);
    const char *opts = "--quiet --epochs 200 --set run.max_steps=100 --set train.checkpoint_every=1";
    train_curve(exp, "rfull", "", "--epochs 200 --set run.max_steps=100 --set train.checkpoint=rfull.ckpt");
    unlink(ck);
    unsigned long long lcg = 12345;
    int kills = 0, done = 0;
    for (int attempt = 0; attempt < 400 && !done; attempt++) {
        int resume = access(ck, F_OK) == 0;
        snprintf(cmd, sizeof cmd,
                 "cd %s && exec %s train %s %s %s --set train.curve=r.csv --set train.output=r.params.yaml "
                 "--set train.checkpoint=r.ckpt >/dev/null 2>&1",
                 dir, exe, exp, opts, resume ? "--resume" : "");
        if (kills >= 20) { /* the last attempt runs to the end */
            proc_out p = proc_run("%s", cmd);
            ck_assert_msg(p.status == 0, "final resume failed");
            proc_free(&p);
            done = 1;
            break;
        }
        lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
        unsigned delay_us = 30000u + (unsigned)((lcg >> 33) % 220000u);
        pid_t pid = fork();
        if (pid == 0) {
            execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
            _exit(127);
        }
        usleep(delay_us);
        kill(pid, SIGKILL);
        int st;
        waitpid(pid, &st, 0);
        if (WIFSIGNALED(st)) kills++;
        else ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "attempt %d failed with status %d", attempt, st);
    }
    ck_assert_msg(done && kills >= 20, "only %d kills", kills);
    trainrun_assert_same(dir, "rfull", "r", 100);
}
END_TEST

/* Mean return of `animat run` over 8 episodes (seed 100) with given options. */
static double mean_return(const char *exp, const char *opts) {
    proc_out p = proc_run("cd %s && %s run %s --episodes 8 --seed 100 --quiet %s", dir, exe, exp, opts);
    ck_assert_msg(p.status == 0, "%s", p.err);
    const char *m = strstr(p.out, "mean return ");
    ck_assert_ptr_nonnull(m);
    double r = atof(m + 12);
    proc_free(&p);
    return r;
}

START_TEST(es_improves_ncap_from_random_init) {
    char exp[512];
    snprintf(exp, sizeof exp, "%s/examples/swimmer-ncap-es.yaml", src);
    /* CI-sized budget: 30 epochs x 8 episodes with a larger step size. */
    train_curve(exp, "learn", "", "--epochs 30 --threads 2 --set learner.params.lr=0.05 --set train.checkpoint=learn.ckpt");
    double before = mean_return(exp, "");
    double after = mean_return(exp, "--theta learn.params.yaml");
    fprintf(stderr, "NCAP from random init: mean return %.1f before, %.1f after 30 ES epochs\n", before, after);
    ck_assert_msg(after > before + 50, "before %g after %g", before, after);
}
END_TEST

START_TEST(hebbian_changes_weights_online) {
    char exp[512];
    snprintf(exp, sizeof exp, "%s/examples/swimmer-ncap-hebbian.yaml", src);
    train_curve(exp, "h1", "", "--epochs 3");
    train_curve(exp, "h2", "", "--epochs 3");
    trainrun_assert_same(dir, "h1", "h2", 100);
    /* The weights moved away from the random init. */
    proc_out p = proc_run("cd %s && %s train %s --quiet --epochs 1 --set learner.params.eta=0 "
                          "--set train.output=h0.params.yaml", dir, exe, exp);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char a[512], b[512];
    snprintf(a, sizeof a, "%s/h0.params.yaml", dir);
    snprintf(b, sizeof b, "%s/h1.params.yaml", dir);
    double t0[4], t1[4];
    ck_assert_int_eq(read_theta(a, t0, 4), 4);
    ck_assert_int_eq(read_theta(b, t1, 4), 4);
    int moved = 0;
    for (int i = 0; i < 4; i++) moved += t0[i] != t1[i];
    ck_assert_int_gt(moved, 0);
}
END_TEST

START_TEST(check_names_the_learner) {
    proc_out p = proc_run("%s check %s/examples/swimmer-ncap-es.yaml", exe, src);
    ck_assert_msg(p.status == 0, "%s", p.err);
    ck_assert_ptr_nonnull(strstr(p.out, ", learner es 1.0.0 (100 epochs)\n"));
    proc_free(&p);
}
END_TEST

START_TEST(bad_learner_configs) {
    struct { const char *learner, *want; } cases[] = {
        {"  plugin: es\n  params: {population: 7}", "learner (es): create failed: population must be even (antithetic pairs), got 7"},
        {"  plugin: es\n  params: {sigma: 0}", "learner.params.sigma: 0 is out of range [1e-12, "},
        {"  plugin: es\n  params: {sigma: -1}", "learner.params.sigma: -1 is out of range"},
        {"  plugin: es\n  params: {sigmaa: 0.1}", "learner.params: unknown parameter 'sigmaa' for plugin es"},
        {"  plugin: es\n  lr: 0.1", "learner: unknown key 'lr' (expected one of: plugin, params, targets)"},
        {"  plugin: ess", "learner.plugin: unknown learner plugin 'ess'"},
        {"  plugin: ncap", "learner.plugin: plugin 'ncap' is a circuit, not a learner"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *f = func_exp("bad.yaml", "quadratic", 2, cases[i].learner, "  epochs: 1");
        proc_out p = proc_run("cd %s && %s train %s", dir, exe, f);
        ck_assert_msg(!p.signaled && p.status == 1, "case %zu: status %d", i, p.status);
        ck_assert_int_eq(proc_lines(p.err), 1);
        ck_assert_msg(strstr(p.err, cases[i].want), "case %zu: '%s' lacks '%s'", i, p.err, cases[i].want);
        proc_free(&p);
    }
    const char *f = func_exp("bad2.yaml", "quadratic", 2, "  plugin: es", "  epochs: 0");
    proc_out p = proc_run("cd %s && %s train %s", dir, exe, f);
    ck_assert_int_eq(p.status, 1);
    ck_assert_ptr_nonnull(strstr(p.err, "train.epochs: 0 is out of range [1, "));
    proc_free(&p);
    p = proc_run("cd %s && %s train %s/examples/swimmer-ncap.yaml", dir, exe, src);
    ck_assert_int_eq(p.status, 1);
    ck_assert_ptr_nonnull(strstr(p.err, "no learner block"));
    proc_free(&p);
    p = proc_run("cd %s && %s train %s --resume", dir, exe, func_exp("b3.yaml", "quadratic", 2, "  plugin: es", "  epochs: 1"));
    ck_assert_int_eq(p.status, 1);
    ck_assert_ptr_nonnull(strstr(p.err, "--resume needs train.checkpoint to be set"));
    proc_free(&p);
    /* Resuming with a changed setup is refused. */
    char b4[512];
    snprintf(b4, sizeof b4, "%s", func_exp("b4.yaml", "quadratic", 2, "  plugin: es", "  epochs: 2\n  checkpoint: b4.ckpt"));
    f = b4; /* proc_write's buffer is reused below */
    p = proc_run("cd %s && %s train %s --quiet", dir, exe, f);
    ck_assert_int_eq(p.status, 0);
    proc_free(&p);
    p = proc_run("cd %s && %s train %s --resume --set learner.params.sigma=0.5", dir, exe, f);
    ck_assert_int_eq(p.status, 1);
    ck_assert_ptr_nonnull(strstr(p.err, "b4.ckpt: checkpoint was written by a different experiment setup"));
    proc_free(&p);
    /* A flipped byte in the learner state, or bytes appended, is caught. */
    p = proc_run("cd %s && %s train %s --quiet", dir, exe, f);
    ck_assert_int_eq(p.status, 0);
    proc_free(&p);
    p = proc_run("cd %s && cp b4.ckpt b4.good && printf '\\377' | dd of=b4.ckpt bs=1 seek=$(($(stat -c %%s b4.ckpt) - 1)) "
                 "conv=notrunc 2>/dev/null && %s train %s --resume", dir, exe, f);
    ck_assert_int_eq(p.status, 1);
    ck_assert_ptr_nonnull(strstr(p.err, "b4.ckpt: checkpoint is corrupt or was edited (checksum mismatch)"));
    proc_free(&p);
    p = proc_run("cd %s && cp b4.good b4.ckpt && printf x >> b4.ckpt && %s train %s --resume", dir, exe, f);
    ck_assert_int_eq(p.status, 1);
    ck_assert_ptr_nonnull(strstr(p.err, "b4.ckpt: checkpoint has trailing bytes"));
    proc_free(&p);
    p = proc_run("cd %s && %s train %s --threads 0", dir, exe, f);
    ck_assert_int_eq(p.status, 2);
    ck_assert_ptr_nonnull(strstr(p.err, "--threads takes a number from 1 to 1024, not '0'"));
    proc_free(&p);
    /* A corrupt checkpoint is named as such. */
    proc_write(dir, "b4.ckpt", "ANIMATCKgarbage");
    p = proc_run("cd %s && %s train %s --resume", dir, exe, f);
    ck_assert_int_eq(p.status, 1);
    ck_assert_ptr_nonnull(strstr(p.err, "b4.ckpt: not an animat checkpoint (or truncated)"));
    proc_free(&p);
}
END_TEST

/* The determinism guard: a body or circuit whose instances share static
 * state is refused before training on two threads, in one line naming the
 * instance, the plugin and its file and pointing to plugin-check; on one
 * thread it trains as before. */
START_TEST(guard_refuses_shared_state) {
    static const char *const body[] = {"static_state", "dummy"}, *const circ[] = {"old_circuit", "static_theta"};
    static const char *const inst[] = {"body 'body' (plugin static-state", "circuit 'circuit' (plugin static-theta"};
    char text[2048], name[32], want[512];
    snprintf(text, sizeof text,
             "body:\n  plugin: %s/%s.so\ncircuit:\n  plugin: %s/%s.so\nwiring:\n"
             "  - body.obs.y -> circuit.in.x\n  - circuit.out.y -> body.act.u\nrun:\n  max_steps: 20\n"
             "learner:\n  plugin: es\n  params: {population: 4}\ntrain:\n  epochs: 1\n",
             broken, body[_i], broken, circ[_i]);
    snprintf(name, sizeof name, "guard%d.yaml", _i);
    const char *f = proc_write(dir, name, text);
    snprintf(want, sizeof want, "check the plugin with `animat plugin-check %s/%s.so`\n", broken,
             _i ? circ[_i] : body[_i]);
    for (int iso = 0; iso < 2; iso++) { /* in this process, and in a child under run.isolate */
        proc_out p = proc_run("cd %s && %s train %s --quiet --threads 2 --set run.isolate=%s", dir, exe, f,
                              iso ? "true" : "false");
        ck_assert_int_eq(p.status, 1);
        ck_assert_msg(strstr(p.err, inst[_i]) != NULL, "%s", p.err);
        ck_assert_msg(strstr(p.err, want) != NULL, "%s", p.err);
        ck_assert_ptr_nonnull(strstr(p.err, "stepped alternately with the other instance"));
        ck_assert_ptr_eq(strchr(p.err, '\n'), p.err + strlen(p.err) - 1);
        proc_free(&p);
    }
    proc_out p;
    p = proc_run("cd %s && %s train %s --quiet --threads 1", dir, exe, f);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
}
END_TEST

int main(void) {
    exe = getenv("ANIMAT_EXE");
    broken = getenv("BROKEN_DIR");
    src = getenv("ANIMAT_SRC");
    if (!exe || !broken || !src) return 1;
    snprintf(dir, sizeof dir, "%s", proc_tmpdir());
    Suite *s = suite_create("train");
    TCase *t = tcase_create("train");
    tcase_set_timeout(t, 600);
    tcase_add_test(t, check_names_the_learner);
    tcase_add_loop_test(t, guard_refuses_shared_state, 0, 2);
    tcase_add_test(t, bad_learner_configs);
    tcase_add_test(t, checkpoints_validate_themselves);
    tcase_add_test(t, kill9_at_twenty_points);
    tcase_add_test(t, es_minimises_quadratic);
    tcase_add_test(t, es_minimises_rosenbrock);
    tcase_add_test(t, cmaes_minimises_quadratic);
    tcase_add_test(t, cmaes_minimises_rosenbrock);
    tcase_add_loop_test(t, threads_bit_identical, 0, 2);
    tcase_add_loop_test(t, mpi_ranks_bit_identical, 0, 2);
    tcase_add_loop_test(t, kill_and_resume_identical, 0, 2);
    tcase_add_test(t, sigint_checkpoints_and_resumes);
    tcase_add_test(t, hebbian_changes_weights_online);
    tcase_add_test(t, es_improves_ncap_from_random_init);
    suite_add_tcase(s, t);
    return ck_run(s);
}
