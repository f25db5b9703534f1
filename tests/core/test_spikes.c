/* test_spikes.c -- spikes as events end to end: a lif circuit's spike
 * times land in the recording per (episode, unit) and agree with its spike
 * counts, `rerun` repeats them bit for bit, record.signals picks spikes and
 * voltages, `plot raster` draws them and refuses a recording without, and
 * `export` writes NWB (refusing a file it did not write) that `plot` reads
 * back into the same figure. Runs the real binary. */
#include <check.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ck_run.h"
#include "ck_h5.h"
#include "ck_expect.h"
#include "proc.h"

static const char *exe;

#define LIFP(params)                                                                                            \
    "body:\n  plugin: swimmer\n  params: {n_bodies: 6}\ncircuit:\n  plugin: lif\n  params: {n_neurons: 20, "   \
    "substeps: 10, " params "}\nwiring:\n  - body.obs.joints -> circuit.in.x\n"                                \
    "  - circuit.out.y -> body.act.motors\nrun:\n  episodes: 2\n  max_steps: 60\n"
#define LIF(extra) LIFP("bg_rate: 1000, w_ext: 4" extra)

static int exists(const char *dir, const char *name) {
    char path[1024];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return lstat(path, &st) == 0;
}

/* Per (episode, unit): the spikes recorded equal the unit's spike counts
 * summed over the episode's samples; times lie in the episode, in order. */
START_TEST(times_agree_with_counts) {
    const char *dir = proc_tmpdir(), *exp = proc_write(dir, "x.yaml", LIF(""));
    proc_out p = proc_run("cd %s && %s run %s --quiet --record r.h5 && %s rerun r.h5", dir, exe, exp, exe);
    ck_assert_msg(p.status == 0, "%s", p.err);
    ck_assert_msg(strstr(p.out, "rerun identical"), "%s", p.out);
    proc_free(&p);
    char path[1024];
    snprintf(path, sizeof path, "%s/r.h5", dir);
    /* rerun compares the spike times: change one, and it says so */
    p = proc_run("cp %s %s/c.h5", path, dir);
    proc_free(&p);
    snprintf(path, sizeof path, "%s/c.h5", dir);
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT), d = H5Dopen2(f, "spikes/circuit/spike_times", H5P_DEFAULT);
    hsize_t one[1] = {1}, at[1] = {3};
    double v = 0.123;
    hid_t sp = H5Dget_space(d), mem = H5Screate_simple(1, one, NULL);
    H5Sselect_hyperslab(sp, H5S_SELECT_SET, at, NULL, one, NULL);
    ck_assert_int_ge(H5Dwrite(d, H5T_NATIVE_DOUBLE, mem, sp, H5P_DEFAULT, &v), 0);
    H5Sclose(mem), H5Sclose(sp), H5Dclose(d), H5Fclose(f);
    p = proc_run("%s rerun %s", exe, path);
    ck_assert_int_eq(p.status, 1);
    ck_assert_msg(strstr(p.out, "rerun differs: spikes/circuit/spike_times[3, 0, 0]: recorded 0.123, now "), "%s%s",
                  p.out, p.err);
    proc_free(&p);
    snprintf(path, sizeof path, "%s/r.h5", dir);
    hsize_t di[3], dt[3], du[3];
    double *ix = ck_h5_read(path, "spikes/circuit/spike_times_index", di, NULL);
    double *t = ck_h5_read(path, "spikes/circuit/spike_times", dt, NULL);
    double *u = ck_h5_read(path, "signals/circuit.units", du, NULL);
    ck_assert_uint_eq(di[0], 2);
    ck_assert_uint_eq(di[1], 20);
    ck_assert_uint_eq(du[2], 20);
    double prev = 0;
    for (hsize_t e = 0; e < 2; e++)
        for (hsize_t k = 0; k < 20; k++) {
            double count = 0, end = ix[e * 20 + k];
            for (hsize_t s = 0; s < du[1]; s++)
                if (isfinite(u[(e * du[1] + s) * 20 + k])) count += u[(e * du[1] + s) * 20 + k];
            ck_assert_msg(end - prev == count, "episode %llu unit %llu: %g spike times, %g counted",
                          (unsigned long long)e, (unsigned long long)k, end - prev, count);
            for (hsize_t j = (hsize_t)prev; j < (hsize_t)end; j++) {
                ck_assert(t[j] >= 0 && t[j] <= 60 * 0.03 + 1e-12);
                if (j > (hsize_t)prev) ck_assert(t[j] > t[j - 1]);
            }
            prev = end;
        }
    ck_assert_msg(prev > 50, "only %g spikes", prev);
    ck_assert_uint_eq(dt[0], (hsize_t)prev);
    free(ix), free(t), free(u);
}
END_TEST

/* graph's LIF model: its spikes are recorded under the network's unit
 * names, as many as its spike counts say. */
START_TEST(graph_lif) {
    const char *dir = proc_tmpdir(), *src = getenv("ANIMAT_SRC");
    ck_assert_ptr_nonnull(src);
    proc_out p = proc_run("cd %s && %s run %s/examples/swimmer-graph.yaml --quiet --episodes 1 --set "
                          "run.max_steps=100 --set circuit.params.model=lif --set circuit.params.in_gain=60 "
                          "--record g.h5 && h5dump -A -g /spikes/circuit g.h5", dir, exe, src);
    ck_assert_msg(p.status == 0, "%s", p.err);
    ck_assert_msg(strstr(p.out, "\"avb\", \"ava\", \"db1\""), "%s", p.out);
    proc_free(&p);
    char path[1024];
    snprintf(path, sizeof path, "%s/g.h5", dir);
    hsize_t dt[3], du[3];
    double *t = ck_h5_read(path, "spikes/circuit/spike_times", dt, NULL), *u = ck_h5_read(path, "signals/circuit.units", du, NULL);
    double sum = 0;
    for (hsize_t i = 0; i < du[0] * du[1] * du[2]; i++) sum += isfinite(u[i]) ? u[i] : 0;
    ck_assert_msg(dt[0] > 100 && (double)dt[0] == sum, "%llu spike times, %g counted", (unsigned long long)dt[0], sum);
    free(t), free(u);
}
END_TEST

/* record.signals: [circuit.spikes, circuit.voltage] records exactly those. */
START_TEST(signals_pick_spikes_and_voltage) {
    const char *dir = proc_tmpdir();
    const char *exp = proc_write(dir, "x.yaml", LIF("") "record:\n  signals: [circuit.spikes, circuit.voltage]\n");
    proc_out p = proc_run("cd %s && %s run %s --quiet --record r.h5 && h5ls -r r.h5", dir, exe, exp);
    ck_assert_msg(p.status == 0, "%s", p.err);
    ck_assert_ptr_nonnull(strstr(p.out, "/signals/circuit.voltage Dataset {2/Inf, 60/Inf, 20}"));
    ck_assert_ptr_nonnull(strstr(p.out, "/spikes/circuit/spike_times "));
    ck_assert_ptr_null(strstr(p.out, "circuit.units"));
    proc_free(&p);
    char path[1024];
    snprintf(path, sizeof path, "%s/r.h5", dir);
    hsize_t d[3];
    double *v = ck_h5_read(path, "signals/circuit.voltage", d, NULL), lo = INFINITY, hi = -INFINITY;
    for (hsize_t i = 0; i < d[0] * d[1] * d[2]; i++) lo = fmin(lo, v[i]), hi = fmax(hi, v[i]);
    ck_assert_msg(lo >= 0 && hi < 20 && hi > 5, "voltages in [%g, %g] mV (rest/reset 0, threshold 20)", lo, hi);
    free(v);
    /* a circuit without animat.spikes/1 */
    exp = proc_write(dir, "n.yaml", "body:\n  plugin: swimmer\ncircuit:\n  plugin: ncap\nwiring:\n"
                                    "  - body.obs.joints -> circuit.in.joints\n"
                                    "  - circuit.out.muscles -> body.act.motors\n"
                                    "record:\n  signals: [reward, circuit.spikes]\n");
    p = proc_run("cd %s && %s run %s --record n.h5", dir, exe, exp);
    ck_expect_error(&p, "n.yaml:9:21: record.signals[1]: circuit 'circuit' (ncap) has no spikes to record");
    exp = proc_write(dir, "n.yaml", "body:\n  plugin: swimmer\ncircuit:\n  plugin: ncap\nwiring:\n"
                                    "  - body.obs.joints -> circuit.in.joints\n"
                                    "  - circuit.out.muscles -> body.act.motors\n"
                                    "record:\n  signals: [circuit.voltage]\n");
    p = proc_run("cd %s && %s check %s", dir, exe, exp);
    ck_expect_error(&p, "has no membrane voltages to record");
    ck_assert(!exists(dir, "n.h5"));
}
END_TEST

/* plot raster: drawn from a lif recording; refused in one line, nothing
 * written, for a recording without spike times, an episode without a
 * spike, and a window past the end. */
START_TEST(raster) {
    const char *dir = proc_tmpdir(), *exp = proc_write(dir, "x.yaml", LIF(""));
    proc_write(dir, "q.yaml", LIFP("bg_rate: 0, in_gain: 0"));
    proc_write(dir, "n.yaml", "body:\n  plugin: swimmer\ncircuit:\n  plugin: ncap\nwiring:\n"
                              "  - body.obs.joints -> circuit.in.joints\n"
                                    "  - circuit.out.muscles -> body.act.motors\n"
                              "run:\n  max_steps: 20\n");
    (void)exp;
    proc_out p = proc_run("cd %s && %s run x.yaml --quiet --record r.h5 && %s run q.yaml --quiet --record q.h5 && "
                          "%s run n.yaml --quiet --record n.h5 && %s plot r.h5 raster -o r.svg --episode 2 --from 0.5",
                          dir, exe, exe, exe, exe);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char path[1024];
    snprintf(path, sizeof path, "%s/r.svg", dir);
    char *svg = proc_slurp(path);
    ck_assert_ptr_nonnull(svg);
    ck_assert_ptr_nonnull(strstr(svg, "<svg"));
    free(svg);
    p = proc_run("cd %s && %s plot n.h5 raster -o a.svg", dir, exe);
    ck_expect_error(&p, "n.h5: raster needs spike times");
    p = proc_run("cd %s && %s plot q.h5 raster -o a.svg", dir, exe);
    ck_expect_error(&p, "q.h5: no spikes of circuit.spikes in episode 1 from 0 s to 1.8 s: no raster to draw");
    p = proc_run("cd %s && %s plot r.h5 raster -o a.svg --to 40", dir, exe);
    ck_expect_error(&p, "--to 40 s is beyond the recording: episode 1 of circuit.spikes in r.h5 ends at 1.8 s");
    p = proc_run("cd %s && %s plot r.h5 raster --signal body.spikes -o a.svg", dir, exe);
    ck_expect_error(&p, "r.h5: no spike times 'body.spikes' (recorded: circuit.spikes)");
    ck_assert(!exists(dir, "a.svg"));
}
END_TEST

/* export: NWB that plot reads back into the same figure; a file animat did
 * not write is never replaced, its own earlier export is. */
START_TEST(export_nwb) {
    const char *dir = proc_tmpdir();
    proc_write(dir, "x.yaml", LIF(""));
    proc_write(dir, "foreign.nwb", "not mine\n");
    proc_out p = proc_run("cd %s && %s run x.yaml --quiet --record r.h5 && %s export r.h5 -o r.nwb && "
                          "%s export r.h5 -o r.nwb --quiet && %s plot r.h5 raster -o h.svg --episode 2 && "
                          "%s plot r.nwb raster -o n.svg --episode 2 && cmp h.svg n.svg && "
                          "%s plot r.h5 activity --signal body.obs.joints -o h.svg && "
                          "%s plot r.nwb activity --signal body.obs.joints -o n.svg && cmp h.svg n.svg",
                          dir, exe, exe, exe, exe, exe, exe, exe);
    ck_assert_msg(p.status == 0, "%s%s", p.out, p.err);
    ck_assert_msg(strstr(p.out, "wrote r.nwb (NWB 2.6.0: 11 series, 20 units with "), "%s", p.out);
    proc_free(&p);
    p = proc_run("cd %s && %s export r.h5 -o foreign.nwb", dir, exe);
    ck_expect_error(&p, "-o foreign.nwb: the file exists and is not an NWB file animat wrote; refusing to replace it");
    p = proc_run("cd %s && %s run x.yaml --record foreign.nwb", dir, exe);
    ck_expect_error(&p, "--record foreign.nwb: the file exists and is not an NWB file animat wrote");
    p = proc_run("cd %s && cat foreign.nwb", dir);
    ck_assert_str_eq(p.out, "not mine\n");
    proc_free(&p);
    p = proc_run("cd %s && %s export r.h5 -o r.h5", dir, exe);
    ck_expect_error(&p, "an export is an NWB file");
    p = proc_run("cd %s && %s export x.yaml -o y.nwb", dir, exe);
    ck_expect_error(&p, "x.yaml: not an HDF5 file");
    p = proc_run("cd %s && %s plot foreign.nwb raster -o a.svg", dir, exe);
    ck_expect_error(&p, "not an HDF5 file");
    ck_assert(!exists(dir, "y.nwb") && !exists(dir, "a.svg"));
}
END_TEST

/* plugin-check exercises animat.spikes/1 of lif, spiking and graph's LIF model,
 * at several substeps too (a clamp given per control step reads back as
 * given: it used to apply per substep and read back substeps times), and
 * spiking with plastic weights as units (they read their starting weight
 * after reset, which plugin-check took for a stale output). */
START_TEST(plugin_check) {
    const char *build = getenv("ANIMAT_BUILD");
    ck_assert_ptr_nonnull(build);
    proc_out p = proc_run("%s plugin-check %s/circuits/lif/lif.so --set bg_rate=500 && "
                          "%s plugin-check %s/circuits/graph/graph.so --set model=lif --set substeps=1 && "
                          "%s plugin-check %s/circuits/graph/graph.so --set model=lif --set substeps=10 && "
                          "%s plugin-check %s/circuits/lif/lif.so --set bg_rate=500 --set substeps=5 && "
                          "%s plugin-check %s/circuits/spiking/spiking.so --set substeps=4 && "
                          "%s plugin-check %s/circuits/spiking/spiking.so --set stdp=additive --set homeostasis=scaling",
                          exe, build, exe, build, exe, build, exe, build, exe, build, exe, build);
    ck_assert_msg(p.status == 0, "%s%s", p.out, p.err);
    ck_assert_ptr_nonnull(strstr(p.out, "PASS  lif: extensions: "));
    ck_assert_ptr_nonnull(strstr(p.out, "animat.spikes/1: capacity 40, "));
    ck_assert_ptr_nonnull(strstr(p.out, "PASS  graph: extensions: "));
    ck_assert_ptr_nonnull(strstr(p.out, "animat.spikes/1: capacity 12, "));
    ck_assert_ptr_nonnull(strstr(p.out, "events in 50 steps within the contract, voltages"));
    proc_free(&p);
}
END_TEST

int main(void) {
    exe = getenv("ANIMAT_EXE");
    if (!exe) return 77;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    Suite *s = suite_create("spikes");
    TCase *tc = tcase_create("spikes");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, times_agree_with_counts);
    tcase_add_test(tc, signals_pick_spikes_and_voltage);
    tcase_add_test(tc, raster);
    tcase_add_test(tc, export_nwb);
    tcase_add_test(tc, plugin_check);
    tcase_add_test(tc, graph_lif);
    suite_add_tcase(s, tc);
    return ck_run(s);
}
