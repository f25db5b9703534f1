/* test_outputs.c -- every output of every command is created so that
 * nothing planted in its folder is ever opened: with a symbolic link
 * `PATH.tmp -> victim` (or `PATH.prev -> victim` for what train moves
 * aside), the victim stays byte-identical and PATH ends up a regular file
 * (or the command refuses); and a plugin that calls chdir("/") in create
 * does not move an output. (render -o: tests/view/test_render.c.) */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ck_run.h"
#include "proc.h"

static const char *exe, *broken;

#define EXP "body:\n  plugin: swimmer\n  params:\n    n_bodies: 6\ncircuit:\n  plugin: ncap\n" \
            "wiring:\n  - body.obs.joints -> circuit.in.joints\n  - circuit.out.muscles -> body.act.motors\n" \
            "run:\n  max_steps: 30\n"

/* dir/victim holds "victim\n"; dir/NAME.tmp (or dir/NAME when NAME ends in
 * .prev) is a symbolic link to it, for each of the n names. */
static void plant(const char *dir, const char *const *names, int n) {
    proc_write(dir, "victim", "victim\n");
    for (int i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        int prev = len > 5 && !strcmp(names[i] + len - 5, ".prev");
        proc_out p = proc_run("cd %s && ln -s victim %s%s", dir, names[i], prev ? "" : ".tmp");
        ck_assert_int_eq(p.status, 0);
        proc_free(&p);
    }
}

/* The victim is unchanged and each dir/NAME is absent or a regular file
 * (and, with `made`, present). */
static void assert_safe(const char *dir, const char *const *names, int n, int made) {
    char path[1024];
    snprintf(path, sizeof path, "%s/victim", dir);
    char *v = proc_slurp(path);
    ck_assert_msg(v && !strcmp(v, "victim\n"), "the victim was written through a planted link: %.40s", v ? v : "");
    free(v);
    for (int i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        if (len > 5 && !strcmp(names[i] + len - 5, ".prev")) continue;
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        int there = lstat(path, &st) == 0;
        ck_assert_msg(!there || S_ISREG(st.st_mode), "%s is not a regular file", path);
        if (made) ck_assert_msg(there, "%s was not written", path);
    }
}

START_TEST(run_trace_and_record) {
    const char *dir = proc_tmpdir();
    proc_write(dir, "x.yaml", EXP);
    const char *names[] = {"t.csv", "r.h5"};
    plant(dir, names, 2);
    proc_out p = proc_run("cd %s && %s run x.yaml --quiet --trace t.csv --record r.h5", dir, exe);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    assert_safe(dir, names, 2, 1);
}
END_TEST

START_TEST(record_file_key) {
    const char *dir = proc_tmpdir();
    proc_write(dir, "x.yaml", EXP "record:\n  trace: k.csv\n  file: k.h5\n");
    const char *names[] = {"k.csv", "k.h5"};
    plant(dir, names, 2);
    proc_out p = proc_run("cd %s && %s run x.yaml --quiet", dir, exe);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    assert_safe(dir, names, 2, 1);
}
END_TEST

/* An ES experiment on a quadratic (funcbody) writing every train output. */
static void write_train(const char *dir) {
    char text[2048];
    snprintf(text, sizeof text,
             "body:\n  plugin: %s/funcbody.so\n  params: {function: quadratic, dim: 4}\n"
             "circuit:\n  plugin: const\n  params: {init: 0.5}\nwiring:\n  - circuit.out.y -> body.act.x\n"
             "learner:\n  plugin: es\ntrain:\n  epochs: 2\n  threads: 1\n  output: out.params.yaml\n"
             "  checkpoint: ck.bin\n  curve: curve.csv\n",
             broken);
    proc_write(dir, "t.yaml", text);
}

START_TEST(train_outputs) {
    const char *dir = proc_tmpdir();
    write_train(dir);
    const char *names[] = {"out.params.yaml", "ck.bin", "curve.csv", "tr.h5"};
    plant(dir, names, 4);
    proc_out p = proc_run("cd %s && %s train t.yaml --quiet --record tr.h5", dir, exe);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    assert_safe(dir, names, 4, 1);
    /* a fresh run moves ck.bin and curve.csv aside onto planted .prev links:
     * the links are replaced, never followed */
    const char *prev[] = {"ck.bin.prev", "curve.csv.prev"};
    plant(dir, prev, 2);
    p = proc_run("cd %s && %s train t.yaml --quiet", dir, exe);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    assert_safe(dir, names, 3, 1);
    struct stat st;
    char path[1024];
    snprintf(path, sizeof path, "%s/ck.bin.prev", dir);
    ck_assert(lstat(path, &st) == 0 && S_ISREG(st.st_mode));
}
END_TEST

/* --resume with fewer epochs than the checkpoint holds: refused in one
 * line, nothing written (it used to print "parameters written" and write
 * nothing); and a body calling exit() in create under train is named. */
START_TEST(train_resume_past_end) {
    const char *dir = proc_tmpdir();
    write_train(dir);
    proc_out p = proc_run("cd %s && %s train t.yaml --quiet --epochs 3 >/dev/null && rm out.params.yaml && "
                          "%s train t.yaml --resume --epochs 2", dir, exe, exe);
    ck_assert_msg(p.status == 1, "status %d: %s", p.status, p.out);
    ck_assert_str_eq(p.err, "error: ck.bin: the checkpoint is at epoch 3, past train.epochs 2: nothing to resume and "
                            "no file written (resume with --epochs 3 or more, or train afresh without --resume)\n");
    ck_assert_ptr_null(strstr(p.out, "written"));
    proc_free(&p);
    char path[1024];
    snprintf(path, sizeof path, "%s/out.params.yaml", dir);
    ck_assert_int_ne(access(path, F_OK), 0);
    char text[1024];
    snprintf(text, sizeof text,
             "body:\n  plugin: %s/exit_create.so\ncircuit:\n  plugin: %s/funcbody.so\n  params: {init: 0.5}\n"
             "wiring:\n  - circuit.out.y -> body.act.u\nlearner:\n  plugin: es\ntrain:\n  epochs: 2\n", broken, broken);
    proc_write(dir, "x.yaml", text);
    for (int threads = 1; threads <= 2; threads++) {
        p = proc_run("cd %s && %s train x.yaml --threads %d", dir, exe, threads);
        ck_assert_msg(p.status == 1 && !p.signaled, "status %d: %s", p.status, p.err);
        ck_assert_str_eq(p.err, "error: body (exit-create) called exit() during create; animat stops\n");
        proc_free(&p);
    }
}
END_TEST

START_TEST(plot_and_report) {
    const char *dir = proc_tmpdir();
    proc_write(dir, "x.yaml", EXP);
    proc_out p = proc_run("cd %s && %s run x.yaml --quiet --record r.h5", dir, exe);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    const char *names[] = {"a.svg", "a.png", "r.html"};
    plant(dir, names, 3);
    p = proc_run("cd %s && %s plot r.h5 activity -o a.svg && %s plot r.h5 activity -o a.png && "
                 "%s report r.h5 -o r.html --quiet", dir, exe, exe, exe);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    assert_safe(dir, names, 3, 1);
}
END_TEST

/* NWB outputs: run --record r.nwb (and its scratch recording r.nwb.rec.h5)
 * and export -o e.nwb, then again over animat's own e.nwb. */
START_TEST(nwb_outputs) {
    const char *dir = proc_tmpdir();
    proc_write(dir, "x.yaml", EXP);
    const char *names[] = {"r.nwb", "r.nwb.rec.h5", "e.nwb"};
    plant(dir, names, 3);
    proc_out p = proc_run("cd %s && %s run x.yaml --quiet --record r.nwb && %s run x.yaml --quiet --record r.h5 && "
                          "%s export r.h5 -o e.nwb --quiet && %s export r.h5 -o e.nwb --quiet && ls", dir, exe, exe,
                          exe, exe);
    ck_assert_msg(p.status == 0, "%s", p.err);
    ck_assert_ptr_null(strstr(p.out, "r.nwb.rec.h5\n")); /* the scratch recording is gone */
    proc_free(&p);
    assert_safe(dir, names, 3, 0);
    const char *made[] = {"r.nwb", "e.nwb"};
    assert_safe(dir, made, 2, 1);
}
END_TEST

/* Only the name PATH.tmp is taken: the file goes through a fresh name and
 * nothing is left behind. */
START_TEST(tmp_name_taken) {
    const char *dir = proc_tmpdir();
    proc_write(dir, "x.yaml", EXP);
    proc_write(dir, "t.csv.tmp", "someone else's\n");
    proc_out p = proc_run("cd %s && %s run x.yaml --quiet --trace t.csv >/dev/null && ls | grep -c tmp", dir, exe);
    ck_assert_msg(p.status == 0, "%s", p.err);
    ck_assert_str_eq(p.out, "1\n");
    proc_free(&p);
    char path[1024];
    snprintf(path, sizeof path, "%s/t.csv.tmp", dir);
    char *s = proc_slurp(path);
    ck_assert_str_eq(s, "someone else's\n");
    free(s);
}
END_TEST

/* A body that calls chdir("/") in create: the trace and the recording
 * still land in the folder animat was started in. */
START_TEST(chdir_in_create) {
    const char *dir = proc_tmpdir();
    char text[1024];
    snprintf(text, sizeof text,
             "body:\n  plugin: %s/chdir_create.so\ncircuit:\n  plugin: %s/funcbody.so\n  params: {init: 0.5}\n"
             "wiring:\n  - circuit.out.y -> body.act.u\nrun:\n  max_steps: 5\n",
             broken, broken);
    proc_write(dir, "x.yaml", text);
    proc_out p = proc_run("cd %s && %s run x.yaml --quiet --trace chd-h17a.csv --record chd-h17a.h5", dir, exe);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    const char *names[] = {"chd-h17a.csv", "chd-h17a.h5"};
    for (int i = 0; i < 2; i++) {
        char path[1024];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        ck_assert_msg(stat(path, &st) == 0 && S_ISREG(st.st_mode), "%s is missing", path);
        snprintf(path, sizeof path, "/%s", names[i]);
        ck_assert_msg(lstat(path, &st) != 0, "%s was written", path);
    }
}
END_TEST

int main(void) {
    exe = getenv("ANIMAT_EXE");
    broken = getenv("BROKEN_DIR");
    if (!exe || !broken) return 1;
    Suite *s = suite_create("outputs");
    TCase *t = tcase_create("outputs");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, run_trace_and_record);
    tcase_add_test(t, record_file_key);
    tcase_add_test(t, train_outputs);
    tcase_add_test(t, train_resume_past_end);
    tcase_add_test(t, plot_and_report);
    tcase_add_test(t, tmp_name_taken);
    tcase_add_test(t, chdir_in_create);
    tcase_add_test(t, nwb_outputs);
    suite_add_tcase(s, t);
    return ck_run(s);
}
