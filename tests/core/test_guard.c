/* test_guard.c -- run-time guards and process isolation: a plugin that
 * returns NaN/Inf, asks for an impossible size or makes MuJoCo unstable is
 * stopped with a message naming it, the episode and the step; with
 * run.isolate a segfaulting or hanging plugin fails its episode and, with
 * run.on_crash: continue, the run or training goes on; a plugin that dies
 * in create under run.isolate is named with the phase. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ck_run.h"
#include "ck_expect.h"
#include "proc.h"

static const char *exe, *broken, *src;
static char dir[256];

/* An experiment with broken body `so` and the given run block. */
static const char *body_exp(const char *so, const char *run) {
    char text[2048];
    snprintf(text, sizeof text,
             "body:\n  plugin: %s/%s.so\ncircuit:\n  plugin: ncap\nwiring:\n"
             "  - body.obs.y -> circuit.in.joints\n  - circuit.out.muscles -> body.act.u\nrun:\n%s\n",
             broken, so, run);
    return proc_write(dir, "g.yaml", text);
}

START_TEST(non_finite_values) {
    proc_out p = proc_run("%s run %s", exe, body_exp("nan_obs", "  max_steps: 10"));
    ck_expect_error(&p, "error: body (nan-obs): observation 'y'[0] is NaN in episode 1 at step 2");
    p = proc_run("%s run %s", exe, body_exp("inf_reward", "  max_steps: 10"));
    ck_expect_error(&p, "error: body (inf-reward): reward is +inf in episode 1 at step 2");
}
END_TEST

START_TEST(impossible_sizes) {
    proc_out p = proc_run("%s check %s", exe, body_exp("huge_port", "  max_steps: 10"));
    ck_expect_error(&p, "body (huge-port): port 0 'y' has an impossible size 1073741824 (want 1 .. 16777216)");
    p = proc_run("%s check %s", exe, body_exp("huge_alloc", "  max_steps: 10"));
    ck_expect_error(&p, "body (huge-alloc): create failed: asked the host for an impossible 1099511627776 bytes "
                     "(limit 4294967296)");
}
END_TEST

START_TEST(mujoco_instability_is_an_error) {
    proc_out p = proc_run("cd %s && %s run %s/examples/swimmer-ncap.yaml --episodes 1 "
                          "--set body.params.timestep=0.01 --set body.params.viscosity=10", dir, exe, src);
    ck_expect_error(&p, "body (swimmer): step failed in episode 1 at step 0: simulation diverged at t=0.15 s: MuJoCo "
                     "instability: bad qacc (MuJoCo reset the state) in control step 1; try a smaller timestep");
    /* MuJoCo's default handler would have written a log file here. */
    char log[512];
    snprintf(log, sizeof log, "%s/MUJOCO_LOG.TXT", dir);
    ck_assert_int_ne(access(log, F_OK), 0);
}
END_TEST

START_TEST(isolated_segfault_stop) {
    proc_out p = proc_run("%s run %s", exe, body_exp("segv", "  max_steps: 10\n  isolate: true"));
    ck_expect_error(&p, "error: body (segv) step crashed with SIGSEGV (signal 11) in episode 1 at step 2");
}
END_TEST

START_TEST(isolated_segfault_continue) {
    proc_out p = proc_run("%s run %s", exe,
                          body_exp("segv", "  max_steps: 10\n  episodes: 3\n  isolate: true\n  on_crash: continue"));
    ck_assert(!p.signaled);
    for (int i = 1; i <= 3; i++) {
        char want[160];
        snprintf(want, sizeof want, "episode %d/3  FAILED: body (segv) step crashed with SIGSEGV (signal 11) in episode %d", i, i);
        ck_assert_msg(strstr(p.out, want), "stdout lacks '%s': %s", want, p.out);
    }
    ck_expect_error(&p, "all 3 episodes failed");
}
END_TEST

START_TEST(isolated_hang_times_out) {
    proc_out p = proc_run("%s run %s", exe,
                          body_exp("hang", "  max_steps: 10\n  isolate: true\n  episode_timeout: 1"));
    ck_expect_error(&p, "error: body (hang) step did not finish within 1 s (run.episode_timeout) in episode 1 at step 2; killed");
}
END_TEST

START_TEST(isolation_gives_the_same_results) {
    proc_out a = proc_run("%s run %s/examples/swimmer-ncap.yaml --episodes 2", exe, src);
    proc_out b = proc_run("%s run %s/examples/swimmer-ncap.yaml --episodes 2 --set run.isolate=true", exe, src);
    ck_assert_int_eq(a.status, 0);
    ck_assert_int_eq(b.status, 0);
    /* Identical per-episode lines (everything before the timing summary). */
    *strstr(a.out, "2 episodes:") = '\0';
    *strstr(b.out, "2 episodes:") = '\0';
    ck_assert_str_eq(a.out, b.out);
    proc_free(&a);
    proc_free(&b);
}
END_TEST

/* run.isolate covers create: a body that crashes, aborts, calls exit() or
 * hangs in create is named with the phase in one line, exit 1, for run,
 * check and train alike. */
START_TEST(isolated_create) {
    static const struct {
        const char *so, *want;
    } c[] = {
        {"segv_create", "error: body (segv-create) create crashed with SIGSEGV (signal 11)\n"},
        {"aborts", "error: body (aborts) create crashed with SIGABRT (signal 6)\n"},
        {"exit_create", "error: body (exit-create) create ended the process (exit status 1)\n"},
        {"hang_create", "error: body (hang-create) create did not finish within 1 s (run.episode_timeout); killed\n"},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        for (int cmd = 0; cmd < 2; cmd++) {
            proc_out p = proc_run("%s %s %s", exe, cmd ? "check" : "run",
                                  body_exp(c[i].so, "  max_steps: 10\n  isolate: true\n  episode_timeout: 1"));
            ck_assert_msg(!p.signaled && p.status == 1, "%s: status %d signaled %d: %s", c[i].so, p.status,
                          p.signaled, p.err);
            ck_assert_str_eq(p.err, c[i].want);
            ck_assert_str_eq(p.out, "");
            proc_free(&p);
        }
    /* train: the same line before any epoch (the learner is never created) */
    char text[2048];
    snprintf(text, sizeof text,
             "body:\n  plugin: %s/segv_create.so\ncircuit:\n  plugin: mlp\nwiring:\n"
             "  - body.obs.y -> circuit.in.x\n  - circuit.out.y -> body.act.u\n"
             "learner:\n  plugin: es\ntrain:\n  epochs: 2\n  output: segv.params.yaml\n"
             "run:\n  max_steps: 5\n  isolate: true\n",
             broken);
    proc_out p = proc_run("cd %s && %s train %s --quiet", dir, exe, proc_write(dir, "segv_train.yaml", text));
    ck_assert_msg(p.status == 1 && !p.signaled, "status %d: %s", p.status, p.err);
    ck_assert_str_eq(p.err, "error: body (segv-create) create crashed with SIGSEGV (signal 11)\n");
    char out[512];
    snprintf(out, sizeof out, "%s/segv.params.yaml", dir);
    ck_assert_int_ne(access(out, F_OK), 0);
    proc_free(&p);
    /* the learner's create too (a valid body and circuit) */
    snprintf(text, sizeof text,
             "body:\n  plugin: %s/dummy.so\ncircuit:\n  plugin: ncap\nwiring:\n"
             "  - body.obs.y -> circuit.in.joints\n  - circuit.out.muscles -> body.act.u\n"
             "learner:\n  plugin: %s/segv_learner.so\ntrain:\n  epochs: 2\n  output: segvl.params.yaml\n"
             "run:\n  max_steps: 5\n  isolate: true\n",
             broken, broken);
    p = proc_run("cd %s && %s train %s --quiet", dir, exe, proc_write(dir, "segv_learner.yaml", text));
    ck_assert_msg(p.status == 1 && !p.signaled, "status %d: %s", p.status, p.err);
    ck_assert_str_eq(p.err, "error: learner (segv-learner) create crashed with SIGSEGV (signal 11)\n");
    snprintf(out, sizeof out, "%s/segvl.params.yaml", dir);
    ck_assert_int_ne(access(out, F_OK), 0);
    proc_free(&p);
    /* a create that fails cleanly keeps its own positioned message */
    p = proc_run("%s run %s", exe, body_exp("huge_alloc", "  max_steps: 10\n  isolate: true"));
    ck_expect_error(&p, "g.yaml:2:3: body (huge-alloc): create failed: asked the host for an impossible");
}
END_TEST

/* ES on a quadratic whose body segfaults when x[0] > 0.6: with isolation
 * and on_crash: continue, training survives the crashing candidates. */
static const char *fragile_exp(const char *on_crash) {
    char text[2048];
    snprintf(text, sizeof text,
             "body:\n  plugin: %s/funcbody.so\n  params: {function: quadratic, dim: 2, segv_above: 0.6}\n"
             "circuit:\n  plugin: const\n  params: {init: 0.55}\n"
             "wiring:\n  - circuit.out.y -> body.act.x\n"
             "learner:\n  plugin: es\n  params: {sigma: 0.1, lr: 0.05, weight_decay: 0}\n"
             "train:\n  epochs: 5\n  threads: 2\n  output: fragile.params.yaml\n"
             "run:\n  isolate: true\n  on_crash: %s\n  crash_return: -100\n",
             broken, on_crash);
    return proc_write(dir, "fragile.yaml", text);
}

START_TEST(isolated_training_survives_crashes) {
    proc_out p = proc_run("cd %s && %s train %s --quiet", dir, exe, fragile_exp("continue"));
    ck_assert_msg(p.status == 0, "status %d: %s", p.status, p.err);
    ck_assert_ptr_nonnull(strstr(p.err, "body (funcbody) step crashed with SIGSEGV (signal 11)"));
    ck_assert_ptr_nonnull(strstr(p.err, "scored run.crash_return = -100"));
    ck_assert_ptr_nonnull(strstr(p.out, "trained 5 epochs (40 episodes"));
    proc_free(&p);
    p = proc_run("cd %s && %s train %s --quiet", dir, exe, fragile_exp("stop"));
    ck_expect_error(&p, "body (funcbody) step crashed with SIGSEGV (signal 11) in episode");
}
END_TEST

START_TEST(isolation_config_errors) {
    proc_out p = proc_run("%s run %s --trace %s/t.csv", exe, body_exp("dummy", "  max_steps: 3\n  isolate: true"), dir);
    ck_expect_error(&p, "a trace cannot be recorded with run.isolate: true");
    p = proc_run("%s check %s", exe, body_exp("dummy", "  max_steps: 3\n  on_crash: continue"));
    ck_expect_error(&p, "g.yaml:10:3: run.on_crash: only applies with run.isolate: true");
    p = proc_run("%s check %s", exe, body_exp("dummy", "  isolate: maybe"));
    ck_expect_error(&p, "g.yaml:9:12: run.isolate: expected true or false, got 'maybe'");
    p = proc_run("%s check %s", exe, body_exp("dummy", "  isolate: true\n  on_crash: retry"));
    ck_expect_error(&p, "run.on_crash: expected stop or continue, got retry");
    p = proc_run("cd %s && %s train %s/examples/swimmer-ncap-hebbian.yaml --set run.isolate=true", dir, exe, src);
    ck_expect_error(&p, "learner (hebbian) learns online, which cannot run with run.isolate: true");
}
END_TEST

int main(void) {
    exe = getenv("ANIMAT_EXE");
    broken = getenv("BROKEN_DIR");
    src = getenv("ANIMAT_SRC");
    if (!exe || !broken || !src) return 1;
    snprintf(dir, sizeof dir, "%s", proc_tmpdir());
    Suite *s = suite_create("guard");
    TCase *t = tcase_create("guard");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, non_finite_values);
    tcase_add_test(t, impossible_sizes);
    tcase_add_test(t, mujoco_instability_is_an_error);
    tcase_add_test(t, isolated_segfault_stop);
    tcase_add_test(t, isolated_segfault_continue);
    tcase_add_test(t, isolated_hang_times_out);
    tcase_add_test(t, isolation_gives_the_same_results);
    tcase_add_test(t, isolated_training_survives_crashes);
    tcase_add_test(t, isolation_config_errors);
    tcase_add_test(t, isolated_create);
    suite_add_tcase(s, t);
    return ck_run(s);
}
