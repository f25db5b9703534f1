/* test_morph.c -- body-brain co-design end to end: a body's design
 * parameters (extension animat.morphology/1, here the swimmer's per-link
 * lengths and radii) join the graph theta when learner.targets names the
 * body; the default design is the built-in body bit for bit, another design
 * changes the physics from the next reset on, a design MuJoCo cannot
 * simulate is one line naming it (exit 1), a state carries its design.
 * (Threads, MPI ranks and kill -9 + resume: test_train's loops over
 * examples/swimmer-ncap-codesign.yaml.) */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "proc.h"
#include "trainrun.h"

static const char *exe, *src, *dir;

/* The co-design experiment, 60-step episodes, with `targets` and extra
 * body params. */
static const char *exp_text(const char *name, const char *targets, const char *body_params) {
    char text[2048];
    snprintf(text, sizeof text,
             "body:\n  plugin: swimmer\n  params: {n_bodies: 4, time_limit: 1.8%s}\n"
             "circuit:\n  plugin: ncap\n  params: {init: random, sign_constraints: true}\n"
             "wiring:\n  - body.obs.joints -> circuit.in.joints\n  - circuit.out.muscles -> body.act.motors\n"
             "learner:\n  plugin: es\n  params: {population: 4, sigma: 0.02, lr: 0.05}\n  targets: %s\n"
             "train:\n  epochs: 2\n  eval: {episodes: 2}\nrun:\n  seed: 3\n",
             body_params, targets);
    proc_write(dir, name, text);
    return name; /* relative to dir, where the commands run */
}

/* A parameter file setting the 4 length factors, then the 4 radius
 * factors, to `values` ("1, 1, ..."). */
static const char *design_file(const char *name, const char *values) {
    char text[1024];
    snprintf(text, sizeof text,
             "names: ['body.length[0]', 'body.length[1]', 'body.length[2]', 'body.length[3]', 'body.radius[0]', "
             "'body.radius[1]', 'body.radius[2]', 'body.radius[3]']\ntheta: [%s]\n", values);
    proc_write(dir, name, text);
    return name; /* relative to dir, where the commands run (proc_write's path is one slot) */
}

/* The summary line of `animat run` ("2 episodes: mean return ..."), copied. */
static char *summary(proc_out *p) {
    ck_assert_msg(p->status == 0, "%s", p->err);
    const char *s = strstr(p->out, "mean return");
    ck_assert_msg(s != NULL, "%s", p->out);
    return strndup(s, strcspn(s, ";"));
}

START_TEST(default_design_is_the_built_in_body) {
    const char *f = exp_text("d.yaml", "[circuit, body]", "");
    proc_out a = proc_run("cd %s && %s run %s --episodes 2", dir, exe, f);
    proc_out b = proc_run("cd %s && %s run %s --episodes 2 --theta %s", dir, exe, f,
                          design_file("one.yaml", "1, 1, 1, 1, 1, 1, 1, 1"));
    proc_out c = proc_run("cd %s && %s run %s --episodes 2 --theta %s", dir, exe, f,
                          design_file("long.yaml", "1.5, 1.5, 1.5, 1.5, 0.8, 0.8, 0.8, 0.8"));
    char *ra = summary(&a), *rb = summary(&b), *rc = summary(&c);
    ck_assert_str_eq(ra, rb);
    ck_assert_msg(strcmp(ra, rc) != 0, "another design left the return unchanged: %s", rc);
    free(ra), free(rb), free(rc);
    proc_free(&a), proc_free(&b), proc_free(&c);
}
END_TEST

/* One vector: the circuit's 4 weights then the body's 8 design entries;
 * the trained file evaluates to the held-out return train reported. */
START_TEST(codesign_trains_weights_and_body) {
    const char *f = exp_text("cd.yaml", "[circuit, body]", "");
    proc_out p = proc_run("cd %s && %s train %s --set train.output=cd.params.yaml", dir, exe, f);
    ck_assert_msg(p.status == 0, "%s", p.err);
    ck_assert_ptr_nonnull(strstr(p.out, "12 parameters"));
    const char *h = strstr(p.out, "held-out mean return ");
    ck_assert_ptr_nonnull(h);
    char want[64] = "";
    sscanf(h, "held-out mean return %63s", want);
    char path[512];
    snprintf(path, sizeof path, "%s/cd.params.yaml", dir);
    char *text = proc_slurp(path);
    ck_assert_ptr_nonnull(strstr(text, "names: ['circuit.w_prop', 'circuit.w_osc', 'circuit.w_ipsi', "
                                       "'circuit.w_contra', 'body.length[0]', "));
    ck_assert_ptr_nonnull(strstr(text, "'body.radius[3]']"));
    ck_assert_ptr_null(strstr(text, "\ncircuit: ncap")); /* not a one-circuit file */
    free(text);
    proc_out e = proc_run("cd %s && %s eval %s --theta cd.params.yaml", dir, exe, f);
    ck_assert_msg(e.status == 0, "%s", e.err);
    char line[96];
    snprintf(line, sizeof line, "held-out mean return %s", want);
    ck_assert_msg(strstr(e.out, line), "eval '%s' lacks '%s'", e.out, line);
    proc_free(&p), proc_free(&e);
}
END_TEST

/* Body only: the design alone, projected into its bounds. */
START_TEST(body_only_stays_in_bounds) {
    const char *f = exp_text("b.yaml", "[body]", ", design_lo: 0.9, design_hi: 1.1");
    proc_out p = proc_run("cd %s && %s train %s --quiet --set learner.params.lr=1 --set train.output=b.params.yaml",
                          dir, exe, f);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char path[512];
    snprintf(path, sizeof path, "%s/b.params.yaml", dir);
    char *text = proc_slurp(path), *t = strstr(text, "\ntheta: [");
    ck_assert_ptr_nonnull(t);
    ck_assert_ptr_nonnull(strstr(text, "names: ['body.length[0]'"));
    ck_assert_ptr_null(strstr(text, "circuit.w"));
    t += 9;
    int n = 0;
    while (*t && *t != ']') {
        double v = strtod(t, &t);
        ck_assert_msg(v >= 0.9 && v <= 1.1, "entry %d = %g is outside [0.9, 1.1]", n, v);
        n++;
        while (*t == ',' || *t == ' ') t++;
    }
    ck_assert_int_eq(n, 8);
    free(text);
}
END_TEST

/* A design MuJoCo cannot simulate: an episode failure naming the design,
 * one line, exit 1 -- never a crash. */
START_TEST(diverging_design_is_one_line) {
    const char *f = exp_text("x.yaml", "[circuit, body]", ", design_lo: 0.01, design_hi: 100");
    proc_write(dir, "x.params.yaml",
               "names: ['body.length[0]', 'body.length[1]', 'body.length[2]', 'body.length[3]', 'body.length[4]', "
               "'body.length[5]', 'body.radius[0]', 'body.radius[1]', 'body.radius[2]', 'body.radius[3]', "
               "'body.radius[4]', 'body.radius[5]']\ntheta: [100, 0.01, 100, 0.01, 100, 0.01, 100, 100, 100, 100, 100, "
               "100]\n");
    proc_out p = proc_run("cd %s && %s run %s --set body.params.n_bodies=6 --theta x.params.yaml", dir, exe, f);
    ck_assert_msg(!p.signaled && p.status == 1, "status %d: %s", p.status, p.err);
    ck_assert_int_eq(proc_lines(p.err), 1);
    ck_assert_msg(strstr(p.err, "simulation diverged") && strstr(p.err, "design length=[100 0.01 100 0.01 100 0.01] "
                                                                          "radius=[100 100 100 100 100 100]"),
                  "%s", p.err);
    proc_free(&p);
    /* outside the declared bounds ([0.5, 2] by default): one line naming the entry */
    proc_out q = proc_run("cd %s && %s run %s --set body.params.n_bodies=6 --theta x.params.yaml", dir, exe,
                          exp_text("y.yaml", "[body]", ""));
    ck_assert_msg(!q.signaled && q.status == 1, "status %d: %s", q.status, q.err);
    ck_assert_int_eq(proc_lines(q.err), 1);
    ck_assert_msg(strstr(q.err, "length[0] = 100 is outside [0.5, 2]"), "%s", q.err);
    proc_free(&q);
}
END_TEST

/* A state saved mid-episode with a design continues bit for bit. */
START_TEST(state_carries_the_design) {
    const char *f = exp_text("s.yaml", "[circuit, body]", "");
    design_file("s.params.yaml", "1.3, 1.2, 1.1, 1, 0.7, 0.8, 0.9, 1");
    proc_out a = proc_run("cd %s && %s run %s --episodes 1 --theta s.params.yaml --state-at 20 --state-out s20.state",
                          dir, exe, f);
    proc_out b = proc_run("cd %s && %s run %s --theta s.params.yaml --state-in s20.state", dir, exe, f);
    char *ra = summary(&a), *rb = summary(&b);
    ck_assert_str_eq(ra, rb);
    free(ra), free(rb);
    proc_free(&a), proc_free(&b);
}
END_TEST

/* The last trace row's value in column col (0-based) of dir/name. */
static double last_col(const char *name, int col) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *text = proc_slurp(path);
    ck_assert_msg(text != NULL, "no trace %s", path);
    char *row = text + strlen(text) - 1;
    while (row > text && row[-1] != '\n') row--;
    char *p = row;
    for (int k = 0; k < col; k++) p = strchr(p, ',') + 1;
    double v = strtod(p, NULL);
    free(text);
    return v;
}

/* The mjcf body's tagged geoms: a ball resting on the floor rests at its
 * size factor times its radius; an unknown tag is one line at create. */
START_TEST(mjcf_tagged_geom_scales) {
    proc_write(dir, "ball.xml",
               "<mujoco model=\"ball\">\n  <custom><text name=\"animat.design_geoms\" data=\"ball\"/></custom>\n"
               "  <worldbody>\n    <geom name=\"floor\" type=\"plane\" size=\"1 1 0.1\"/>\n"
               "    <body name=\"b\" pos=\"0 0 0.5\">\n      <joint name=\"x\" type=\"slide\" axis=\"1 0 0\"/>\n"
               "      <joint name=\"zj\" type=\"slide\" axis=\"0 0 1\"/>\n"
               "      <geom name=\"ball\" type=\"sphere\" size=\"0.05\" mass=\"1\"/>\n      <site name=\"c\"/>\n"
               "    </body>\n  </worldbody>\n  <actuator><motor name=\"push\" joint=\"x\"/></actuator>\n"
               "  <sensor><framepos name=\"z\" objtype=\"site\" objname=\"c\"/></sensor>\n</mujoco>\n");
    proc_write(dir, "ball.yaml",
               "bodies:\n  body: {plugin: mjcf, params: {model: ball.xml, time_limit: 1.5}}\n"
               "circuits:\n  c: {plugin: mlp, params: {hidden: []}}\n"
               "wiring:\n  - body.obs.z -> c.in.obs\n  - c.out.act -> body.act.push\n"
               "learner: {plugin: es, targets: [c, body]}\n");
    proc_write(dir, "big.yaml", "names: ['body.ball.size']\ntheta: [2]\n");
    proc_out a = proc_run("cd %s && %s run ball.yaml --trace one.csv && "
                          "%s run ball.yaml --theta big.yaml --trace two.csv", dir, exe, exe);
    ck_assert_msg(a.status == 0, "%s", a.err);
    proc_free(&a);
    double z1 = last_col("one.csv", 5), z2 = last_col("two.csv", 5); /* episode, step, t, reward, x, z, ... */
    ck_assert_msg(fabs(z1 - 0.05) < 0.002 && fabs(z2 - 0.1) < 0.002, "resting heights %g and %g", z1, z2);
    proc_write(dir, "ball2.xml", "<mujoco><custom><text name=\"animat.design_geoms\" data=\"nope\"/></custom>"
                                 "<worldbody><body><joint name=\"j\"/><geom size=\"1\"/></body></worldbody>"
                                 "<actuator><motor name=\"push\" joint=\"j\"/></actuator></mujoco>\n");
    proc_out b = proc_run("cd %s && %s run ball.yaml --set bodies.body.params.model=ball2.xml", dir, exe);
    ck_assert_msg(!b.signaled && b.status == 1, "status %d: %s", b.status, b.err);
    ck_assert_int_eq(proc_lines(b.err), 1);
    ck_assert_msg(strstr(b.err, "animat.design_geoms: no geom named 'nope'"), "%s", b.err);
    proc_free(&b);
}
END_TEST

/* Train the co-design experiment as `tag` (curve TAG.csv, TAG.params.yaml,
 * checkpoint TAG.ckpt) with a command prefix and options. */
static void train_tag(const char *tag, const char *prefix, const char *opts) {
    proc_out p = proc_run("cd %s && %s %s train dt.yaml --quiet --set train.curve=%s.csv "
                          "--set train.output=%s.params.yaml --set train.checkpoint=%s.ckpt "
                          "--set train.checkpoint_every=1 %s",
                          dir, prefix, exe, tag, tag, tag, opts);
    ck_assert_msg(p.status == 0, "%s: %s", tag, p.err);
    proc_free(&p);
}

/* Weights and design trained together: the same curve and parameters on
 * 1, 2 and 3 threads and on 2 MPI ranks (a worker rebuilds its body for each
 * candidate it draws, so every thread sees other designs). */
START_TEST(codesign_threads_and_ranks_bit_identical) {
    exp_text("dt.yaml", "[circuit, body]", "");
    train_tag("t1", "", "--epochs 4 --threads 1");
    train_tag("t2", "", "--epochs 4 --threads 2");
    train_tag("t3", "", "--epochs 4 --threads 3");
    trainrun_assert_same(dir, "t1", "t2", 100);
    trainrun_assert_same(dir, "t1", "t3", 100);
    proc_out v = proc_run("%s --version", exe);
    int has_mpi = strstr(v.out, "MPI") != NULL;
    proc_free(&v);
    ck_assert_msg(has_mpi, "this animat was built without MPI");
    train_tag("r2", "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 mpirun --allow-run-as-root --oversubscribe "
                    "-x ASAN_OPTIONS -np 2", "--epochs 4 --threads 2");
    trainrun_assert_same(dir, "t1", "r2", 100);
}
END_TEST

/* SIGKILLed mid-run and resumed: the uninterrupted run's result. */
START_TEST(codesign_kill9_resume_identical) {
    exp_text("dt.yaml", "[circuit, body]", "");
    train_tag("full", "", "--epochs 8");
    char cmd[2048], ck[512];
    snprintf(ck, sizeof ck, "%s/k.ckpt", dir);
    snprintf(cmd, sizeof cmd,
             "cd %s && exec %s train dt.yaml --quiet --epochs 8 --set train.curve=k.csv "
             "--set train.output=k.params.yaml --set train.checkpoint=k.ckpt --set train.checkpoint_every=1 "
             ">/dev/null 2>&1",
             dir, exe);
    long at = trainrun_kill_mid(cmd, ck, 2, 2000);
    ck_assert_msg(at >= 2 && at < 8, "killed at checkpoint epoch %ld (should be mid-run)", at);
    train_tag("k", "", "--epochs 8 --resume");
    trainrun_assert_same(dir, "full", "k", 100);
}
END_TEST

int main(void) {
    exe = getenv("ANIMAT_EXE");
    src = getenv("ANIMAT_SRC");
    if (!exe || !src) return 1;
    dir = proc_tmpdir();
    Suite *s = suite_create("morph");
    TCase *t = tcase_create("morph");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, default_design_is_the_built_in_body);
    tcase_add_test(t, codesign_trains_weights_and_body);
    tcase_add_test(t, body_only_stays_in_bounds);
    tcase_add_test(t, diverging_design_is_one_line);
    tcase_add_test(t, state_carries_the_design);
    tcase_add_test(t, mjcf_tagged_geom_scales);
    tcase_add_test(t, codesign_threads_and_ranks_bit_identical);
    tcase_add_test(t, codesign_kill9_resume_identical);
    suite_add_tcase(s, t);
    return ck_run(s);
}
