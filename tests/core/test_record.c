/* test_record.c -- HDF5 recordings end to end: every recorded value equals
 * what the run produced (checked against the 17-digit CSV trace of the same
 * run, with libhdf5 and with h5dump), `animat rerun` reports identical and
 * catches a changed value, train recordings, killed runs never leave a torn
 * file, and bad input is refused before any work. Runs the real binary. */
#include <check.h>
#include <hdf5.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/h5util.h"
#include "ck_run.h"
#include "ck_h5.h"
#include "ck_expect.h"
#include "proc.h"

static const char *exe, *src;
static const char *bare; /* the binary itself: kill tests (valgrind starts too slowly) and cheap refusals */

#define EXP "body:\n  plugin: swimmer\n  params:\n    n_bodies: 6\ncircuit:\n  plugin: ncap\n" \
            "wiring:\n  - body.obs.joints -> circuit.in.joints\n  - circuit.out.muscles -> body.act.motors\n"

/* Column index of `name` in a CSV header line. */
static int column(const char *header, const char *name) {
    int k = 0;
    for (const char *p = header; *p && *p != '\n'; k++) {
        size_t len = strcspn(p, ",\n");
        if (len == strlen(name) && !strncmp(p, name, len)) return k;
        p += len + (p[len] == ',');
    }
    return -1;
}

/* Every traced value of joints, muscles and reward equals the recording's,
 * bit for bit: two independent writers of the same run. */
START_TEST(values_equal_trace) {
    const char *dir = proc_tmpdir();
    const char *exp = proc_write(dir, "exp.yaml", EXP "run:\n  episodes: 2\n  max_steps: 60\n");
    proc_out p = proc_run("cd %s && %s run %s --trace t.csv --record r.h5", dir, exe, exp);
    ck_assert_msg(p.status == 0, "run failed: %s", p.err);
    ck_assert_ptr_nonnull(strstr(p.out, "recording written to r.h5"));
    proc_free(&p);
    char path[512], h5[512];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    snprintf(h5, sizeof h5, "%s/r.h5", dir);
    char *csv = proc_slurp(path);
    char *line = csv;
    while (*line == '#') line = strchr(line, '\n') + 1;
    const char *names[] = {"body.obs.joints", "circuit.out.muscles", "reward"};
    const char *col0[] = {"body.obs.joints[0]", "circuit.out.muscles[0]", "reward"};
    for (int s = 0; s < 3; s++) {
        char set[128];
        snprintf(set, sizeof set, "signals/%s", names[s]);
        hsize_t d[3];
        int rank;
        double *v = ck_h5_read(h5, set, d, &rank);
        ck_assert_int_eq(rank, 3);
        ck_assert_int_eq(d[0], 2);
        ck_assert_int_eq(d[1], 60);
        int c0 = column(line, col0[s]);
        ck_assert_int_ge(c0, 3);
        uint64_t checked = 0;
        for (const char *row = strchr(line, '\n') + 1; *row; row = strchr(row, '\n') + 1) {
            char *end;
            unsigned long ep = strtoul(row, &end, 10) - 1, step = strtoul(end + 1, &end, 10);
            const char *f = row;
            for (int k = 0; k < c0; k++) f = strchr(f, ',') + 1;
            for (hsize_t i = 0; i < d[2]; i++) {
                double want = strtod(f, &end);
                f = end + 1;
                double got = v[(ep * d[1] + step) * d[2] + i];
                ck_assert_msg(memcmp(&want, &got, sizeof got) == 0, "%s[%lu,%lu,%llu]: trace %.17g, recording %.17g",
                              names[s], ep, step, (unsigned long long)i, want, got);
                checked++;
            }
        }
        ck_assert_int_eq(checked, 2 * 60 * d[2]);
        free(v);
    }
    free(csv);
}
END_TEST

/* h5dump (hdf5-tools) reads the same values and the provenance. */
START_TEST(h5dump_reads_it) {
    const char *dir = proc_tmpdir();
    const char *exp = proc_write(dir, "exp.yaml", EXP "run:\n  max_steps: 20\n  seed: 7\n");
    proc_out p = proc_run("cd %s && %s run %s --quiet --record r.h5", dir, bare, exp);
    ck_assert_int_eq(p.status, 0);
    proc_free(&p);
    p = proc_run("h5dump -m %%.17g -d /episodes/return %s/r.h5", dir);
    ck_assert_int_eq(p.status, 0);
    char h5[512];
    snprintf(h5, sizeof h5, "%s/r.h5", dir);
    hsize_t d[3];
    int rank;
    double *ret = ck_h5_read(h5, "episodes/return", d, &rank);
    char want[64];
    snprintf(want, sizeof want, "(0): %.17g", ret[0]);
    ck_assert_msg(strstr(p.out, want), "h5dump printed %s, not %s", p.out, want);
    free(ret);
    proc_free(&p);
    /* every value of a whole signal, as h5dump prints it, equals libhdf5's */
    p = proc_run("h5dump -m %%.17g -d /signals/body.obs.joints -y -w 0 %s/r.h5 | sed -n '/DATA {/,/}/p' | "
                 "tr -s ' ,' '\n\n' | grep -E '^-?[0-9]'", dir);
    ck_assert_int_eq(p.status, 0);
    double *v = ck_h5_read(h5, "signals/body.obs.joints", d, &rank);
    char *q = p.out, *end;
    for (hsize_t i = 0; i < d[0] * d[1] * d[2]; i++, q = end) {
        double x = strtod(q, &end);
        ck_assert_msg(end != q, "h5dump printed only %llu values", (unsigned long long)i);
        ck_assert_msg(memcmp(&x, &v[i], sizeof x) == 0, "value %llu: h5dump %.17g, libhdf5 %.17g",
                      (unsigned long long)i, x, v[i]);
    }
    ck_assert_double_eq(strtod(q, &end), 0);
    ck_assert_ptr_eq(end, q); /* nothing more */
    free(v);
    proc_free(&p);
    p = proc_run("h5dump -A %s/r.h5", dir);
    ck_assert_int_eq(p.status, 0);
    ck_assert_ptr_nonnull(strstr(p.out, "animat-recording/1"));
    ck_assert_ptr_nonnull(strstr(p.out, "seed: 7"));
    ck_assert_ptr_nonnull(strstr(p.out, "ncap"));
    ck_assert_ptr_nonnull(strstr(p.out, "\"joints[4]\""));
    proc_free(&p);
}
END_TEST

/* rerun: identical; after one value is changed, it names that value. */
START_TEST(rerun_identical_then_differs) {
    const char *dir = proc_tmpdir();
    const char *exp = proc_write(dir, "exp.yaml", EXP "run:\n  episodes: 2\n  max_steps: 40\n");
    proc_out p = proc_run("cd %s && %s run %s --quiet --set body.params.n_bodies=5 --record r.h5", dir, exe, exp);
    ck_assert_int_eq(p.status, 0);
    proc_free(&p);
    p = proc_run("cd / && %s rerun %s/r.h5", exe, dir);
    ck_assert_msg(p.status == 0, "rerun: %s %s", p.out, p.err);
    ck_assert_ptr_nonnull(strstr(p.out, "rerun identical: "));
    proc_free(&p);
    char h5[512];
    snprintf(h5, sizeof h5, "%s/r.h5", dir);
    hid_t f = H5Fopen(h5, H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t d = H5Dopen2(f, "signals/circuit.out.muscles", H5P_DEFAULT), sp = H5Dget_space(d);
    hsize_t start[3] = {1, 17, 2}, count[3] = {1, 1, 1};
    H5Sselect_hyperslab(sp, H5S_SELECT_SET, start, NULL, count, NULL);
    hid_t mem = H5Screate_simple(3, count, NULL);
    double v = 0.125;
    ck_assert_int_ge(H5Dwrite(d, H5T_NATIVE_DOUBLE, mem, sp, H5P_DEFAULT, &v), 0);
    H5Sclose(mem), H5Sclose(sp), H5Dclose(d), H5Fclose(f);
    p = proc_run("%s rerun %s/r.h5", exe, dir);
    ck_assert_int_eq(p.status, 1);
    ck_assert_msg(strstr(p.out, "rerun differs: signals/circuit.out.muscles[1, 17, 2]: recorded 0.125, now "), "%s",
                  p.out);
    proc_free(&p);
}
END_TEST

/* Root attribute `name` of recording h5 becomes `value`; with `from`, the
 * old value with its first `from` replaced by `value` instead. */
static void set_attr(const char *h5, const char *name, const char *from, const char *value) {
    hid_t f = H5Fopen(h5, H5F_ACC_RDWR, H5P_DEFAULT);
    ck_assert_int_ge(f, 0);
    errmsg e;
    char *old = h5util_get_str(f, name, &e), buf[65536];
    ck_assert_ptr_nonnull(old);
    if (from) {
        char *at = strstr(old, from);
        ck_assert_msg(at != NULL, "'%s' not in %s: %s", from, name, old);
        snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - old), old, value, at + strlen(from));
    } else {
        snprintf(buf, sizeof buf, "%s", value);
    }
    free(old);
    ck_assert_int_ge(H5Adelete(f, name), 0);
    ck_assert_int_eq(h5util_put_str(f, name, buf, &e), 0);
    H5Fclose(f);
}

/* A recording is data: plugin files named by path (plugin: FILE,
 * extra_plugins) are refused unless --allow-plugin-paths, naming the flag
 * and the files; so is a plugin whose file hashes differently. Before,
 * rerun loaded whatever the file named and said identical. */
START_TEST(rerun_plugin_paths) {
    const char *dir = proc_tmpdir();
    char text[1024];
    snprintf(text, sizeof text, "body:\n  plugin: swimmer\ncircuit:\n  plugin: %s\nwiring:\n"
             "  - body.obs.joints -> circuit.in.joints\n  - circuit.out.muscles -> body.act.motors\n"
             "run:\n  max_steps: 20\n", getenv("NCAP_SO"));
    const char *exp = proc_write(dir, "exp.yaml", text);
    proc_out p = proc_run("cd %s && %s run %s --quiet --record r.h5 && %s run %s --quiet --record s.h5 "
                          "--plugin %s --set circuit.plugin=ncap", dir, exe, exp, exe, exp, getenv("NCAP_SO"));
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char want[2048];
    snprintf(want, sizeof want, "error: %s/r.h5 (stored experiment): the recording names plugin files by path: "
             "%s (circuit.plugin); a recording is data, so rerun loads plugins by name only (pass "
             "--allow-plugin-paths to load these files: they run code)\n", dir, getenv("NCAP_SO"));
    p = proc_run("%s rerun %s/r.h5", exe, dir);
    ck_assert_int_eq(p.status, 1);
    ck_assert_str_eq(p.err, want);
    ck_assert_ptr_null(strstr(p.out, "identical"));
    proc_free(&p);
    p = proc_run("%s rerun %s/s.h5", exe, dir);
    ck_assert_int_eq(p.status, 1);
    ck_assert_msg(strstr(p.err, "ncap.so (extra_plugins); a recording is data") && strstr(p.err, "--allow-plugin-paths"),
                  "%s", p.err);
    proc_free(&p);
    p = proc_run("%s rerun %s/r.h5 --allow-plugin-paths", exe, dir);
    ck_assert_msg(p.status == 0 && strstr(p.out, "rerun identical") && strstr(p.out, "(hash as recorded)"), "%s %s",
                  p.out, p.err);
    proc_free(&p);
    /* a plugin found by name whose file hashes differently from the record */
    p = proc_run("cd %s && %s run %s --quiet --record n.h5 --set circuit.plugin=ncap", dir, exe, exp);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char h5[512];
    snprintf(h5, sizeof h5, "%s/n.h5", dir);
    set_attr(h5, "plugins", "body swimmer org.animat.swimmer 1.0.0 ", "body swimmer org.animat.swimmer 1.0.0 0000000000000000 x");
    p = proc_run("%s rerun %s", exe, h5);
    ck_assert_int_eq(p.status, 1);
    ck_assert_msg(strstr(p.err, "body (swimmer) resolves to ") && strstr(p.err, "is not the recorded one; refusing to "
                  "run it (pass --allow-plugin-paths to run it anyway)"), "%s", p.err);
    ck_assert_ptr_nonnull(strstr(p.out, "HASH DIFFERS from the recording"));
    proc_free(&p);
}
END_TEST

/* The stored experiment's outputs are never written (rerun writes only
 * its own temporary recording), a dataset deleted from the recording is a
 * difference, and errors in the stored experiment name the recording. */
START_TEST(rerun_hostile_recording) {
    const char *dir = proc_tmpdir();
    const char *exp = proc_write(dir, "exp.yaml", EXP "run:\n  max_steps: 20\n");
    proc_out p = proc_run("cd %s && %s run %s --quiet --record r.h5", dir, exe, exp);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char h5[512], v[600], outs[3200];
    snprintf(h5, sizeof h5, "%s/r.h5", dir);
    snprintf(v, sizeof v, "%s/victim", dir);
    snprintf(outs, sizeof outs, "record:\n  trace: %s.csv\n  file: %s.h5\ntrain:\n  output: %s.yaml\n  curve: "
             "%s.curve\n  checkpoint: %s.ck\nrun:", v, v, v, v, v);
    set_attr(h5, "experiment", "run:", outs);
    p = proc_run("%s rerun %s && ls %s", exe, h5, dir);
    ck_assert_msg(p.status == 0 && strstr(p.out, "rerun identical"), "%s %s", p.out, p.err);
    ck_assert_ptr_null(strstr(p.out, "victim"));
    proc_free(&p);
    hid_t f = H5Fopen(h5, H5F_ACC_RDWR, H5P_DEFAULT);
    ck_assert_int_ge(H5Ldelete(f, "signals/body.obs.joints", H5P_DEFAULT), 0);
    H5Fclose(f);
    p = proc_run("%s rerun %s", exe, h5);
    ck_assert_int_eq(p.status, 1);
    ck_assert_msg(strstr(p.out, "rerun differs: signals/body.obs.joints: missing from the recording (the rerun has it)"),
                  "%s", p.out);
    proc_free(&p);
    set_attr(h5, "experiment", "n_bodies: 6", "n_bodies: 40");
    p = proc_run("%s rerun %s", exe, h5);
    ck_assert_int_eq(p.status, 1);
    char want[700];
    snprintf(want, sizeof want, "error: %s (stored experiment):", h5);
    ck_assert_msg(!strncmp(p.err, want, strlen(want)) && strstr(p.err, "n_bodies: 40 is out of range"), "%s", p.err);
    proc_free(&p);
}
END_TEST

/* A 64x64 MLP's 6021 weights are inlined into the stored experiment (an
 * attribute over 64 KiB): the file still writes, and reruns identically. */
START_TEST(large_experiment_text) {
    const char *dir = proc_tmpdir();
    const char *exp = proc_write(dir, "exp.yaml",
                                 "body:\n  plugin: swimmer\ncircuit:\n  plugin: mlp\n  params: {hidden: [64, 64]}\n"
                                 "wiring:\n  - body.obs.obs -> circuit.in.obs\n  - circuit.out.act -> body.act.motors\n"
                                 "run:\n  max_steps: 10\n");
    proc_out p = proc_run("cd %s && %s run %s --quiet --record r.h5 && %s rerun r.h5", dir, exe, exp, exe);
    ck_assert_msg(p.status == 0, "%s %s", p.out, p.err);
    ck_assert_ptr_nonnull(strstr(p.out, "rerun identical"));
    proc_free(&p);
    p = proc_run("h5dump -a experiment %s/r.h5 | wc -c", dir);
    ck_assert_int_gt(atoi(p.out), 65536);
    proc_free(&p);
}
END_TEST

/* train --record: per-epoch returns of every candidate, the initial and
 * learned parameters, then the held-out evaluation of the result; rerun repeats the training without writing its outputs. */
START_TEST(train_recording) {
    const char *dir = proc_tmpdir();
    char text[2048];
    snprintf(text, sizeof text, "%s%s", EXP,
             "run:\n  max_steps: 50\nlearner:\n  plugin: es\n  params:\n    population: 6\n"
             "train:\n  epochs: 3\n");
    const char *exp = proc_write(dir, "exp.yaml", text);
    proc_out p = proc_run("cd %s && %s train %s --quiet --record t.h5", dir, exe, exp);
    ck_assert_msg(p.status == 0, "train: %s", p.err);
    proc_free(&p);
    char h5[512];
    snprintf(h5, sizeof h5, "%s/t.h5", dir);
    hsize_t d[3];
    int rank;
    double *r = ck_h5_read(h5, "learner/returns", d, &rank);
    ck_assert_int_eq(rank, 2);
    ck_assert_int_eq(d[0], 3);
    ck_assert_int_eq(d[1], 6);
    double *steps = ck_h5_read(h5, "learner/env_steps", d, &rank);
    ck_assert_double_eq(steps[0], 300);
    ck_assert_double_eq(steps[2], 900);
    double *best = ck_h5_read(h5, "learner/best", d, &rank);
    double m = r[6];
    for (int i = 7; i < 12; i++) m = r[i] > m ? r[i] : m;
    ck_assert_double_eq(best[1], m);
    free(r), free(steps), free(best);
    double *sig = ck_h5_read(h5, "signals/body.obs.joints", d, &rank);
    ck_assert_int_eq(d[0], 10); /* the held-out evaluation: train.eval.episodes, default 10 */
    ck_assert_int_eq(d[1], 50);
    free(sig);
    double *init = ck_h5_read(h5, "parameters/initial", d, &rank);
    double *learned = ck_h5_read(h5, "parameters/learned", d, &rank);
    ck_assert_int_eq(rank, 1);
    ck_assert_int_eq(d[0], 4);
    ck_assert_msg(memcmp(init, learned, 4 * sizeof *init) != 0, "the learned parameters equal the initial ones");
    free(init), free(learned);
    p = proc_run("h5dump -a /episodes/role %s/t.h5 && h5dump -a /parameters/learned/names %s/t.h5", dir, dir);
    ck_assert_msg(strstr(p.out, "held-out evaluation") && strstr(p.out, "circuit.w_osc"), "%s", p.out);
    proc_free(&p);
    p = proc_run("cd %s && rm -f exp.params.yaml exp.ckpt && %s rerun t.h5 && ls", dir, exe);
    ck_assert_msg(p.status == 0, "rerun: %s %s", p.out, p.err);
    ck_assert_ptr_nonnull(strstr(p.out, "rerun identical"));
    ck_assert_ptr_null(strstr(p.out, "exp.params.yaml"));
    proc_free(&p);
}
END_TEST

/* record.every and record.signals: the samples asked for and their times. */
START_TEST(every_and_signals) {
    const char *dir = proc_tmpdir();
    const char *exp = proc_write(dir, "exp.yaml", EXP "run:\n  max_steps: 50\nrecord:\n  file: r.h5\n  every: 3\n"
                                                    "  signals: [circuit.units, reward]\n");
    proc_out p = proc_run("cd %s && %s run %s --quiet", dir, exe, exp);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char h5[512];
    snprintf(h5, sizeof h5, "%s/r.h5", dir);
    hsize_t d[3];
    int rank;
    double *t = ck_h5_read(h5, "time", d, &rank);
    ck_assert_int_eq(d[0], 17); /* steps 0, 3, ..., 48 */
    ck_assert_double_eq_tol(t[16], 48 * 0.03, 1e-12);
    free(t);
    double *u = ck_h5_read(h5, "signals/circuit.units", d, &rank);
    ck_assert_int_eq(d[1], 17);
    ck_assert_int_gt(d[2], 4);
    free(u);
    hid_t f = H5Fopen(h5, H5F_ACC_RDONLY, H5P_DEFAULT);
    ck_assert_int_le(H5Lexists(f, "signals/body.obs.joints", H5P_DEFAULT), 0);
    H5Fclose(f);
}
END_TEST

/* SIGKILL mid-run: the earlier recording at PATH is untouched (or there
 * is none) -- never a torn file. SIGINT removes the temporary file. */
START_TEST(killed_run_leaves_old_file) {
    const char *dir = proc_tmpdir();
    proc_write(dir, "r.h5", "earlier\n");
    const char *exp = proc_write(dir, "exp.yaml", EXP "run:\n  episodes: 2000\n"); /* one static slot */
    for (int sig = 0; sig < 2; sig++) {
        /* signal it once its temporary file exists (a fixed sleep raced a slow sanitizer build under load) */
        proc_out p = proc_run("cd %s && (%s run %s --quiet --record r.h5 & pid=$!; for i in $(seq 600); do "
                              "ls | grep -qE '%s' && break; sleep 0.05; done; sleep 0.2; kill -%s $pid; wait $pid;"
                              " echo rc=$?)", dir, bare, exp, sig ? "^r\\.h5\\.[a-z0-9]{6}\\.tmp$" : "^r\\.h5\\.tmp$",
                              sig ? "INT" : "KILL");
        ck_assert_msg(strstr(p.out, sig ? "rc=130" : "rc=137"), "sig %d: %s %s", sig, p.out, p.err);
        proc_free(&p);
        char path[512];
        snprintf(path, sizeof path, "%s/r.h5", dir);
        char *old = proc_slurp(path);
        ck_assert_str_eq(old, "earlier\n");
        free(old);
        /* SIGKILL leaves r.h5.tmp behind; the next run then takes a fresh
         * name (r.h5.XXXXXX.tmp), which SIGINT removes */
        proc_out l = proc_run("ls %s | grep -cE '^r\\.h5\\.([a-z0-9]{6}\\.)?tmp$'", dir);
        ck_assert_msg(atoi(l.out) == 1, "sig %d: %s temporary files left", sig, l.out);
        proc_free(&l);
    }
}
END_TEST

/* A hostile recording: datasets whose declared dims multiply past 2^64
 * (chunked, so the file stays tiny). Reading them must be refused, not
 * sized from a wrapped product. */
static void hostile_recording(const char *path) {
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t t = H5Tcopy(H5T_C_S1);
    const char *fmt = "animat-recording/1";
    H5Tset_size(t, strlen(fmt) + 1);
    hid_t sc = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(f, "format", t, sc, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, t, fmt);
    H5Aclose(a);
    const char *attrs[] = {"kind", "experiment", "experiment_path", "extra_plugins"};
    const char *vals[] = {"run\0", "x: 1\0", "/nonexistent\0", "\0"};
    for (int i = 0; i < 4; i++) {
        H5Tset_size(t, strlen(vals[i]) + 1);
        a = H5Acreate2(f, attrs[i], t, sc, H5P_DEFAULT, H5P_DEFAULT);
        H5Awrite(a, t, vals[i]);
        H5Aclose(a);
    }
    hsize_t dims[3] = {1, 1ull << 33, 1ull << 33}, chunk[3] = {1, 1, 1};
    hid_t sp = H5Screate_simple(3, dims, NULL), pl = H5Pcreate(H5P_DATASET_CREATE), lc = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_chunk(pl, 3, chunk);
    H5Pset_create_intermediate_group(lc, 1);
    hid_t d = H5Dcreate2(f, "signals/body.obs.joints", H5T_NATIVE_DOUBLE, sp, lc, pl, H5P_DEFAULT);
    ck_assert_int_ge(d, 0);
    H5Dclose(d), H5Sclose(sp);
    hsize_t big[1] = {1ull << 40}; /* 8 TiB of doubles: no wrap, but never to be allocated */
    sp = H5Screate_simple(1, big, NULL);
    H5Pset_chunk(pl, 1, chunk);
    d = H5Dcreate2(f, "episodes/steps", H5T_NATIVE_DOUBLE, sp, lc, pl, H5P_DEFAULT);
    ck_assert_int_ge(d, 0);
    H5Dclose(d), H5Pclose(lc), H5Pclose(pl), H5Sclose(sp), H5Sclose(sc), H5Tclose(t), H5Fclose(f);
}

START_TEST(hostile_dims_refused) {
    const char *dir = proc_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/huge.h5", dir);
    hostile_recording(path);
    proc_out p = proc_run("%s plot %s kymograph -o %s/k.svg", bare, path, dir);
    ck_assert_msg(!p.signaled && p.status == 1, "status %d signaled %d: %s", p.status, p.signaled, p.err);
    ck_assert_msg(strstr(p.err, "is too large to read") || strstr(p.err, "elements per sample; at most 4096 are drawn"),
                  "%s", p.err);
    proc_free(&p);
    /* rerun compares datasets read whole (h5util_read_all): refused too */
    double *v = NULL;
    int rank = 0;
    uint64_t dims[3];
    errmsg e;
    errmsg_clear(&e);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    ck_assert_int_eq(h5util_read_all(f, "signals/body.obs.joints", &v, &rank, dims, &e), -1);
    ck_assert_ptr_null(v);
    ck_assert_msg(strstr(e.msg, "too large to read"), "%s", e.msg);
    errmsg_clear(&e); /* declared dims that do not wrap but claim terabytes: refused before malloc */
    ck_assert_int_eq(h5util_read_all(f, "episodes/steps", &v, &rank, dims, &e), -1);
    ck_assert_ptr_null(v);
    ck_assert_msg(strstr(e.msg, "dataset 'episodes/steps' is too large to read"), "%s", e.msg);
    H5Fclose(f);
}
END_TEST

START_TEST(bad_input) {
    const char *dir = proc_tmpdir();
    const char *exp = proc_write(dir, "exp.yaml", EXP "record:\n  signals: [body.obs.nothing]\n");
    proc_out p = proc_run("cd %s && %s run %s --record r.h5", dir, exe, exp);
    ck_expect_error(&p, "exp.yaml:11:13: record.signals[0]: body has no obs port 'nothing'");
    p = proc_run("%s check %s", bare, exp);
    ck_expect_error(&p, "exp.yaml:11:13: record.signals[0]: body has no obs port 'nothing'");
    /* a port named "units" is a port, not a circuit's units */
    exp = proc_write(dir, "exp.yaml", EXP "record:\n  signals: [body.obs.units]\n");
    p = proc_run("%s check %s", bare, exp);
    ck_expect_error(&p, "exp.yaml:11:13: record.signals[0]: body has no obs port 'units'");
    exp = proc_write(dir, "exp.yaml", EXP "record:\n  signals: [body.units]\n");
    p = proc_run("cd %s && %s run %s --record r.h5", dir, bare, exp);
    ck_expect_error(&p, "exp.yaml:11:13: record.signals[0]: 'body' is not a circuit of this experiment");
    exp = proc_write(dir, "exp.yaml", EXP);
    p = proc_run("%s run %s --record %s/no/such/r.h5", bare, exp, dir);
    ck_expect_error(&p, "--record: ");
    p = proc_run("%s run %s --record %s", bare, exp, exp);
    ck_expect_error(&p, "refusing to overwrite it");
    p = proc_run("cd %s && ls", dir);
    ck_assert_ptr_null(strstr(p.out, "r.h5"));
    proc_free(&p);
    p = proc_run("%s rerun %s", bare, exp);
    ck_expect_error(&p, "not an HDF5 file");
    char other[512];
    snprintf(other, sizeof other, "%s/other.h5", dir);
    hid_t f = H5Fcreate(other, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    H5Fclose(f);
    p = proc_run("%s rerun %s", bare, other);
    ck_expect_error(&p, "not an animat recording");
    p = proc_run("%s rerun %s", bare, dir);
    ck_expect_error(&p, "not a regular file");
}
END_TEST

int main(void) {
    exe = bare = getenv("ANIMAT_EXE");
    src = getenv("ANIMAT_SRC");
    if (!exe || !src) return 77;
    /* ANIMAT_WRAP (e.g. a valgrind command) prefixes every other animat run. */
    static char wrapped[2048];
    const char *wrap = getenv("ANIMAT_WRAP");
    if (wrap && *wrap) {
        snprintf(wrapped, sizeof wrapped, "%s %s", wrap, exe);
        exe = wrapped;
    }
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    Suite *s = suite_create("record");
    TCase *tc = tcase_create("record");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, values_equal_trace);
    tcase_add_test(tc, h5dump_reads_it);
    tcase_add_test(tc, rerun_identical_then_differs);
    tcase_add_test(tc, rerun_plugin_paths);
    tcase_add_test(tc, rerun_hostile_recording);
    tcase_add_test(tc, train_recording);
    tcase_add_test(tc, large_experiment_text);
    tcase_add_test(tc, every_and_signals);
    tcase_add_test(tc, killed_run_leaves_old_file);
    tcase_add_test(tc, bad_input);
    tcase_add_test(tc, hostile_dims_refused);
    suite_add_tcase(s, tc);
    return ck_run(s);
}
