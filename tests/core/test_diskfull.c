/* test_diskfull.c -- a full disk (or a file-size quota) while animat writes
 * its outputs: `animat train` with checkpoints and `animat run --trace`
 * under RLIMIT_FSIZE of one 512-byte block (`ulimit -f 1` in the shell that
 * execs animat, SIGXFSZ ignored so that write() fails with EFBIG instead of
 * killing the process; no root or special filesystem needed). Each case
 * asserts a non-zero exit, one line on stderr naming the file and the
 * reason, that what was committed before (checkpoint, parameters, curve,
 * trace) is byte-identical to before, that no PATH.tmp is left behind, and
 * that a later run without the limit continues as if nothing happened. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ck_run.h"
#include "proc.h"

static const char *exe, *broken;

/* Run animat in `dir` with arguments `args`, limited to one 512-byte block
 * per file when `limited`. */
static proc_out animat(const char *dir, int limited, const char *args) {
    if (limited)
        return proc_run("cd %s && ANIMAT_PLUGIN_PATH= sh -c \"trap '' XFSZ; ulimit -f 1; exec %s %s\"", dir, exe, args);
    return proc_run("cd %s && ANIMAT_PLUGIN_PATH= %s %s", dir, exe, args);
}

/* dir/name's bytes (caller frees); fails the test when unreadable. */
static char *bytes(const char *dir, const char *name) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *s = proc_slurp(path);
    ck_assert_msg(s != NULL, "%s is missing", path);
    return s;
}

/* dir/name is byte-identical to `was`. */
static void assert_same(const char *dir, const char *name, const char *was) {
    char *now = bytes(dir, name);
    ck_assert_msg(!strcmp(now, was), "%s/%s changed", dir, name);
    free(now);
}

/* No file in dir ends in .tmp. */
static void assert_no_tmp(const char *dir) {
    proc_out p = proc_run("ls %s | grep '\\.tmp$'", dir);
    ck_assert_msg(p.out[0] == '\0', "left behind in %s: %s", dir, p.out);
    proc_free(&p);
}

/* Exit 1, not killed, exactly one stderr line holding `file` and the reason. */
static void assert_refused(const proc_out *p, const char *file) {
    ck_assert_msg(!p->signaled && p->status == 1, "status %d signaled %d: %s", p->status, p->signaled, p->err);
    ck_assert_msg(proc_lines(p->err) == 1, "stderr is not one line: %s", p->err);
    ck_assert_msg(!strncmp(p->err, "error: ", 7) && strstr(p->err, file) && strstr(p->err, "File too large"),
                  "stderr lacks '%s' or the reason: %s", file, p->err);
}

/* The parameters without their '#' provenance lines (which name the command). */
static char *params_only(const char *dir, const char *name) {
    char *s = bytes(dir, name), *w = s;
    for (const char *r = s; *r;) {
        const char *eol = strchr(r, '\n');
        size_t len = eol ? (size_t)(eol - r) + 1 : strlen(r);
        if (*r != '#') {
            memmove(w, r, len);
            w += len;
        }
        r += len;
    }
    *w = '\0';
    return s;
}

/* An ES experiment on a `dim`-dimensional quadratic (funcbody), writing
 * ck.bin, out.params.yaml and, with `curve`, curve.csv. */
static void write_train(const char *dir, int dim, int curve) {
    char text[2048];
    snprintf(text, sizeof text,
             "body:\n  plugin: %s/funcbody.so\n  params: {function: quadratic, dim: %d}\n"
             "circuit:\n  plugin: const\n  params: {init: 0.5}\nwiring:\n  - circuit.out.y -> body.act.x\n"
             "learner:\n  plugin: es\ntrain:\n  epochs: 2\n  threads: 1\n  output: out.params.yaml\n"
             "  checkpoint: ck.bin\n%s",
             broken, dim, curve ? "  curve: curve.csv\n" : "");
    proc_write(dir, "t.yaml", text);
}

/* The parameters of an uninterrupted run of t.yaml to `epochs` epochs. */
static char *uninterrupted(int dim, int curve, int epochs) {
    char dir[256], args[128];
    snprintf(dir, sizeof dir, "%s", proc_tmpdir());
    write_train(dir, dim, curve);
    snprintf(args, sizeof args, "train t.yaml --quiet --set train.epochs=%d", epochs);
    proc_out p = animat(dir, 0, args);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    return params_only(dir, "out.params.yaml");
}

/* Resume to 4 epochs under the limit: the checkpoint (1.6 KB: 64 entries
 * of ES state) cannot be written; ck.bin and out.params.yaml stay as the
 * first run committed them, and a resume without the limit ends where an
 * uninterrupted run ends. */
START_TEST(train_checkpoint_full) {
    char dir[256];
    snprintf(dir, sizeof dir, "%s", proc_tmpdir());
    write_train(dir, 64, 0);
    proc_out p = animat(dir, 0, "train t.yaml --quiet");
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char *ck = bytes(dir, "ck.bin"), *out = bytes(dir, "out.params.yaml");
    ck_assert_uint_gt(strlen(out), 512);
    p = animat(dir, 1, "train t.yaml --quiet --resume --set train.epochs=4");
    assert_refused(&p, "ck.bin");
    proc_free(&p);
    assert_same(dir, "ck.bin", ck);
    assert_same(dir, "out.params.yaml", out);
    assert_no_tmp(dir);
    p = animat(dir, 0, "train t.yaml --quiet --resume --set train.epochs=4");
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char *got = params_only(dir, "out.params.yaml"), *want = uninterrupted(64, 0, 4);
    ck_assert_str_eq(got, want);
    free(got), free(want), free(ck), free(out);
}
END_TEST

/* Resume with a learning curve already past the limit: appending its next
 * row fails first; the curve, checkpoint and parameters stay as they were. */
START_TEST(train_curve_full) {
    char dir[256];
    snprintf(dir, sizeof dir, "%s", proc_tmpdir());
    write_train(dir, 2, 1);
    proc_out p = animat(dir, 0, "train t.yaml --quiet");
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char *ck = bytes(dir, "ck.bin"), *out = bytes(dir, "out.params.yaml"), *curve = bytes(dir, "curve.csv");
    ck_assert_uint_gt(strlen(curve), 512);
    p = animat(dir, 1, "train t.yaml --quiet --resume --set train.epochs=4");
    assert_refused(&p, "curve.csv");
    proc_free(&p);
    assert_same(dir, "ck.bin", ck);
    assert_same(dir, "out.params.yaml", out);
    assert_same(dir, "curve.csv", curve);
    assert_no_tmp(dir);
    p = animat(dir, 0, "train t.yaml --quiet --resume --set train.epochs=4");
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char *got = params_only(dir, "out.params.yaml"), *want = uninterrupted(2, 1, 4);
    ck_assert_str_eq(got, want);
    free(got), free(want), free(ck), free(out), free(curve);
}
END_TEST

/* A fresh run over a finished one: the fresh run moves the earlier
 * checkpoint and curve to ck.bin.prev and curve.csv.prev (as it always
 * does) and starts a new curve, whose first rows then outgrow the limit;
 * the earlier checkpoint and curve are intact as .prev and the earlier
 * parameters at their path. */
START_TEST(train_fresh_full) {
    char dir[256];
    snprintf(dir, sizeof dir, "%s", proc_tmpdir());
    write_train(dir, 2, 1);
    proc_out p = animat(dir, 0, "train t.yaml --quiet");
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char *ck = bytes(dir, "ck.bin"), *out = bytes(dir, "out.params.yaml"), *curve = bytes(dir, "curve.csv");
    p = animat(dir, 1, "train t.yaml --quiet");
    assert_refused(&p, "curve.csv");
    proc_free(&p);
    assert_same(dir, "ck.bin.prev", ck);
    assert_same(dir, "curve.csv.prev", curve);
    assert_same(dir, "out.params.yaml", out);
    assert_no_tmp(dir);
    free(ck), free(out), free(curve);
}
END_TEST

/* The checkpoint (168 bytes) fits but the parameters (about 900) do not:
 * the new checkpoint is committed, the old parameters stay whole, and a
 * resume with nothing left writes the parameters it reports. */
START_TEST(train_params_full) {
    char dir[256];
    snprintf(dir, sizeof dir, "%s", proc_tmpdir());
    write_train(dir, 2, 0);
    proc_out p = animat(dir, 0, "train t.yaml --quiet");
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char *out = bytes(dir, "out.params.yaml");
    p = animat(dir, 1, "train t.yaml --quiet --resume --set train.epochs=3");
    assert_refused(&p, "out.params.yaml");
    proc_free(&p);
    assert_same(dir, "out.params.yaml", out);
    assert_no_tmp(dir);
    p = animat(dir, 0, "train t.yaml --quiet --resume --set train.epochs=3");
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char *got = params_only(dir, "out.params.yaml"), *want = uninterrupted(2, 0, 3);
    ck_assert_str_eq(got, want);
    free(got), free(want), free(out);
}
END_TEST

/* A trace that outgrows the limit mid-run: the run stops with one line,
 * the previous trace is untouched and tr.csv.tmp is removed. */
START_TEST(run_trace_full) {
    char dir[256], text[1024];
    snprintf(dir, sizeof dir, "%s", proc_tmpdir());
    snprintf(text, sizeof text,
             "body:\n  plugin: %s/dummy.so\ncircuit:\n  plugin: ncap\nwiring:\n"
             "  - body.obs.y -> circuit.in.joints\n  - circuit.out.muscles -> body.act.u\nrun:\n  max_steps: 20\n",
             broken);
    proc_write(dir, "r.yaml", text);
    proc_out p = animat(dir, 0, "run r.yaml --quiet --trace tr.csv");
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char *tr = bytes(dir, "tr.csv");
    p = animat(dir, 1, "run r.yaml --quiet --trace tr.csv --set run.max_steps=5000 --episodes 3");
    assert_refused(&p, "tr.csv");
    ck_assert_msg(!strstr(p.out, "trace written"), "%s", p.out);
    proc_free(&p);
    assert_same(dir, "tr.csv", tr);
    assert_no_tmp(dir);
    free(tr);
}
END_TEST

/* A recording (HDF5, written by libhdf5 on a writer thread) that cannot be
 * written: run and train stop with one line naming the file and the
 * reason, no crash at exit, the earlier recording byte-identical, no
 * r.h5.tmp left. */
START_TEST(run_record_full) {
    char dir[256], text[1024];
    snprintf(dir, sizeof dir, "%s", proc_tmpdir());
    snprintf(text, sizeof text,
             "body:\n  plugin: %s/dummy.so\ncircuit:\n  plugin: ncap\nwiring:\n"
             "  - body.obs.y -> circuit.in.joints\n  - circuit.out.muscles -> body.act.u\nrun:\n  max_steps: 20\n"
             "learner:\n  plugin: es\n  params: {population: 4}\ntrain:\n  epochs: 2\n",
             broken);
    proc_write(dir, "r.yaml", text);
    proc_out p = animat(dir, 0, "run r.yaml --quiet --record r.h5");
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    p = proc_run("cd %s && cp r.h5 was.h5", dir);
    proc_free(&p);
    const char *cmds[] = {"run r.yaml --quiet --record r.h5 --set run.max_steps=3000 --episodes 3",
                          "train r.yaml --quiet --record r.h5 --set train.output=o.params.yaml"};
    for (int k = 0; k < 2; k++) {
        p = animat(dir, 1, cmds[k]);
        assert_refused(&p, "r.h5");
        proc_free(&p);
        p = proc_run("cd %s && cmp r.h5 was.h5 && echo same", dir);
        ck_assert_msg(strstr(p.out, "same"), "%s: the earlier recording changed: %s", cmds[k], p.out);
        proc_free(&p);
        assert_no_tmp(dir);
    }
}
END_TEST

int main(void) {
    exe = getenv("ANIMAT_EXE");
    broken = getenv("BROKEN_DIR");
    if (!exe || !broken) return 1;
    Suite *s = suite_create("diskfull");
    TCase *t = tcase_create("diskfull");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, train_checkpoint_full);
    tcase_add_test(t, train_curve_full);
    tcase_add_test(t, train_params_full);
    tcase_add_test(t, train_fresh_full);
    tcase_add_test(t, run_trace_full);
    tcase_add_test(t, run_record_full);
    suite_add_tcase(s, t);
    return ck_run(s);
}
