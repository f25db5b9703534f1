/* test_plot.c -- `animat plot` end to end (suite view): every kind's SVG is
 * XML with the expected number of series, PNGs decode and are not blank,
 * the kymograph's data shows the wave's direction, and bad input is refused
 * with one line before anything is written. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cairo.h>
#include <hdf5.h>
#include <time.h>

#include "ck_run.h"
#include "h5fixture.h"
#include "pngstat.h"
#include "proc.h"
#include "view/h5read.h"
#include "view/plot.h"
#include "view/plot_axes.h"
#include "view/plot_heat.h"
#include "view/plot_wave.h"

static const char *exe, *src, *wrap;
static char dir[64];

/* Run `animat plot ARGS`. */
static proc_out plot(const char *args) {
    return proc_run("%s %s plot %s", wrap, exe, args);
}

/* Counts printed by svginfo.py for an SVG file; asserts it parsed. */
typedef struct svg_counts {
    int series, colours, bands, images;
} svg_counts;

static svg_counts svg_info(const char *path) {
    proc_out p = proc_run("python3 %s/tests/view/svginfo.py %s", src, path);
    ck_assert_msg(p.status == 0, "%s: %s", path, p.out);
    svg_counts c;
    ck_assert_int_eq(sscanf(p.out, "series=%d colours=%d bands=%d images=%d", &c.series, &c.colours, &c.bands,
                            &c.images),
                     4);
    proc_free(&p);
    return c;
}

/* Plot KIND of FILE (in dir) to OUT.svg with extra args and count. */
static svg_counts plot_svg(const char *file, const char *kind, const char *extra) {
    char args[1024];
    snprintf(args, sizeof args, "%s/%s %s -o %s/%s.svg %s", dir, file, kind, dir, kind, extra);
    proc_out p = plot(args);
    ck_assert_msg(p.status == 0, "plot %s: %s", args, p.err);
    ck_assert_ptr_nonnull(strstr(p.out, "wrote "));
    proc_free(&p);
    snprintf(args, sizeof args, "%s/%s.svg", dir, kind);
    return svg_info(args);
}

/* Up to 8 series: one line each, a legend; more: one heat map (rows named,
 * a colour bar), no lines. */
START_TEST(activity_has_one_series_per_element) {
    svg_counts c = plot_svg("run.h5", "activity", "--signal body.obs.joints --episode 2");
    ck_assert_int_eq(c.series, 5);
    ck_assert_int_eq(c.colours, 5);
    ck_assert_int_eq(c.images, 0);
    c = plot_svg("run.h5", "activity", "--signal body.obs.joints,body.obs.position"); /* a list: 5 + 2 */
    ck_assert_int_eq(c.series, 7);
    ck_assert_int_eq(c.colours, 7);
}
END_TEST

START_TEST(activity_of_many_series_is_a_heat_map) {
    svg_counts c = plot_svg("run.h5", "activity", ""); /* default: circuit.units, 2n = 10 units */
    ck_assert_int_eq(c.images, 1);
    ck_assert_int_eq(c.series, 0);
    c = plot_svg("big.h5", "activity", ""); /* every circuit's units: 24 + 3 */
    ck_assert_int_eq(c.images, 1);
    ck_assert_int_eq(c.series, 0);
    c = plot_svg("run.h5", "activity", "--signal circuit.units,body.obs.joints"); /* a list: 15 */
    ck_assert_int_eq(c.images, 1);
    ck_assert_int_eq(c.series, 0);
    /* the left margin grows to fit the row names, at most a third of the width */
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 800, 500);
    cairo_t *cr = cairo_create(surf);
    plot_frame f;
    plot_frame_init(&f, cr, 800, 500, 90);
    double left = f.x0;
    const char *shortn[] = {"a", "b"}, *longn[] = {"circuit.units m[4].v", "x"}, *huge[] = {
        "a name far too long to fit into a third of the width of the picture, whatever the font"};
    plot_heat_fit_rows(&f, shortn, 2);
    ck_assert_double_eq(f.x0, left);
    plot_heat_fit_rows(&f, longn, 2);
    ck_assert(f.x0 > left + 20);
    plot_heat_fit_rows(&f, huge, 1);
    ck_assert_double_eq(f.x0, 800.0 / 3);
    cairo_destroy(cr);
    cairo_surface_destroy(surf);
    plot_release();
}
END_TEST

/* --from/--to: every kind draws its window (a different picture from the
 * whole episode); windows outside the recording are refused. */
START_TEST(time_window) {
    const char *kinds[] = {"activity", "kymograph", "trajectory", "curve"};
    for (int k = 0; k < 4; k++) {
        const char *file = k == 3 ? "train.h5" : "run.h5", *win = k == 3 ? "--from 1000 --to 3000" : "--from 2 --to 5";
        char args[1024];
        snprintf(args, sizeof args, "%s/%s %s -o %s/whole.png", dir, file, kinds[k], dir);
        proc_out p = plot(args);
        ck_assert_msg(p.status == 0, "%s", p.err);
        proc_free(&p);
        snprintf(args, sizeof args, "%s/%s %s %s -o %s/part.png", dir, file, kinds[k], win, dir);
        p = plot(args);
        ck_assert_msg(p.status == 0, "%s: %s", args, p.err);
        proc_free(&p);
        p = proc_run("cmp -s %s/whole.png %s/part.png", dir, dir);
        ck_assert_msg(p.status == 1, "%s: the window drew the same picture", kinds[k]);
        proc_free(&p);
    }
    svg_counts c = plot_svg("run.h5", "activity", "--signal body.obs.joints --from 2 --to 5");
    ck_assert_int_eq(c.series, 5);
    c = plot_svg("train.h5", "curve", "--from 1000 --to 3000");
    ck_assert_int_eq(c.series, 2);
    /* the kymograph's wave line describes the window: a flat window has none */
    char args[1024];
    snprintf(args, sizeof args, "%s/run.h5 kymograph --from 11.98 -o %s/k.svg", dir, dir);
    proc_out p = plot(args);
    ck_assert_msg(p.status == 0 && strstr(p.out, "no consistent direction"), "%s%s", p.out, p.err);
    proc_free(&p);
}
END_TEST

static void refused(const char *args, const char *needle, const char *out);

START_TEST(time_window_errors) {
    char args[1024], out[256];
    snprintf(out, sizeof out, "%s/never.svg", dir);
    static const char *const cases[][3] = {
        {"run.h5 activity", "--from 5 --to 5", "--from 5 --to 5: the window is empty (--from must be less than --to)"},
        {"run.h5 activity", "--from 6 --to 2", "the window is empty"},
        {"run.h5 kymograph", "--from -1", "--from -1: a time cannot be negative"},
        {"run.h5 kymograph", "--to -2", "--to -2: a time cannot be negative"},
        {"run.h5 kymograph", "--from x", "--from takes a time in seconds (e.g. 2.5), not 'x'"},
        {"run.h5 kymograph", "--to nan", "--to takes a time in seconds"},
        {"run.h5 activity", "--from 12", "--from 12 s is beyond the recording: episode 1 of circuit.units in"},
        {"run.h5 kymograph", "--to 12.5", "--to 12.5 s is beyond the recording: episode 1 of body.obs.joints in"},
        {"run.h5 trajectory", "--from 20", "--from 20 s is beyond the recording: episode 1 of body.obs.position"},
        {"train.h5 curve", "--from 5000", "--from 5000 s is beyond the recording: its 20 epochs hold 4800 s of "
                                          "simulated experience (env steps x dt)"},
        {"train.h5 curve", "--from 10 --to 20", "no epoch ends in that window"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(args, sizeof args, "%s/%s %s -o %s", dir, cases[i][0], cases[i][1], out);
        refused(args, cases[i][2], out);
    }
}
END_TEST

START_TEST(curve_has_mean_best_and_band) {
    svg_counts c = plot_svg("train.h5", "curve", "");
    ck_assert_int_eq(c.series, 2);
    ck_assert_int_eq(c.bands, 1);
    c = plot_svg("train1.h5", "curve", ""); /* a single epoch still draws both lines */
    ck_assert_int_eq(c.series, 2);
}
END_TEST

START_TEST(kymograph_is_one_heat_map) {
    svg_counts c = plot_svg("run.h5", "kymograph", "--size 640x400");
    ck_assert_int_eq(c.images, 1);
    ck_assert_int_eq(c.series, 0);
}
END_TEST

START_TEST(trajectory_has_one_series_per_episode) {
    svg_counts c = plot_svg("run.h5", "trajectory", "");
    ck_assert_int_eq(c.series, 2);
    c = plot_svg("big.h5", "trajectory", "");
    ck_assert_int_eq(c.series, 3);
    c = plot_svg("big.h5", "trajectory", "--episode 2");
    ck_assert_int_eq(c.series, 1);
}
END_TEST

START_TEST(long_episodes_stay_small) {
    /* 40000 samples: the activity is drawn as a per-pixel envelope and the
     * kymograph averaged into at most 2048 columns */
    svg_counts c = plot_svg("long.h5", "activity", "");
    ck_assert_int_eq(c.series, 6);
    c = plot_svg("long.h5", "kymograph", "");
    ck_assert_int_eq(c.images, 1);
    char path[256];
    const char *kinds[] = {"activity", "kymograph"};
    for (int k = 0; k < 2; k++) {
        snprintf(path, sizeof path, "%s/%s.svg", dir, kinds[k]);
        struct stat st;
        ck_assert_int_eq(stat(path, &st), 0);
        ck_assert_msg(st.st_size < 600000, "%s: %lld bytes", kinds[k], (long long)st.st_size);
    }
}
END_TEST

START_TEST(pngs_decode_and_are_not_blank) {
    const char *kinds[] = {"activity", "kymograph", "trajectory", "curve"};
    for (int k = 0; k < 4; k++) {
        proc_out p = proc_run("%s %s plot %s/%s %s -o %s/%s.png --size 500x300", wrap, exe, dir,
                              k == 3 ? "train.h5" : "run.h5", kinds[k], dir, kinds[k]);
        ck_assert_msg(p.status == 0, "%s: %s", kinds[k], p.err);
        proc_free(&p);
        char path[256];
        snprintf(path, sizeof path, "%s/%s.png", dir, kinds[k]);
        int w, h;
        double var = png_variance(path, &w, &h);
        ck_assert_int_eq(w, 500);
        ck_assert_int_eq(h, 300);
        ck_assert_msg(var > 100, "%s: grey variance %.1f (blank?)", kinds[k], var);
    }
}
END_TEST

/* Wave direction of body.obs.joints, episode 1, of a recording. */
static int wave_of(const char *path, int32_t *lags) {
    errmsg e;
    errmsg_clear(&e);
    h5rec r;
    ck_assert_msg(!h5rec_open(&r, path, &e), "%s", e.msg);
    char *name = h5rec_find_signal(&r, "*.obs.joints");
    ck_assert_ptr_nonnull(name);
    h5signal s;
    ck_assert_msg(!h5rec_signal(&r, name, 0, &s, &e), "%s", e.msg);
    int dir = plot_wave_direction(s.v, s.T, s.n, lags);
    free(name);
    h5signal_free(&s);
    h5rec_close(&r);
    return dir;
}

START_TEST(wave_direction_synthetic) {
    int32_t lags[8];
    char path[256];
    snprintf(path, sizeof path, "%s/run.h5", dir);
    ck_assert_int_eq(wave_of(path, lags), 1);
    /* 0.6 rad at 1.2 Hz and 0.03 s per sample: 2.2 samples */
    for (int i = 0; i < 4; i++) ck_assert_msg(lags[i] >= 2 && lags[i] <= 3, "lag %d = %d", i, lags[i]);
    snprintf(path, sizeof path, "%s/back.h5", dir);
    ck_assert_int_eq(wave_of(path, lags), -1);
    for (int i = 0; i < 4; i++) ck_assert_int_lt(lags[i], 0);
    double flat[400 * 3] = {0}; /* no wave at all */
    ck_assert_int_eq(plot_wave_direction(flat, 400, 3, NULL), 0);
}
END_TEST

START_TEST(real_swimmer_wave_travels_head_to_tail) {
    /* the NCAP swimmer, recorded by animat run --record: the kymograph's data */
    proc_out p = proc_run("cd %s && %s %s run examples/swimmer-ncap.yaml --episodes 1 --record %s/real.h5 --quiet",
                          src, wrap, exe, dir);
    ck_assert_msg(p.status == 0, "run --record: %s", p.err);
    proc_free(&p);
    char path[256];
    snprintf(path, sizeof path, "%s/real.h5", dir);
    int32_t lags[4];
    ck_assert_int_eq(wave_of(path, lags), 1);
    for (int i = 0; i < 4; i++) ck_assert_int_gt(lags[i], 0);
    /* and every plot kind that has data draws it: units of the circuit, one series each */
    errmsg e;
    errmsg_clear(&e);
    h5rec r;
    ck_assert(!h5rec_open(&r, path, &e));
    h5signal units;
    ck_assert_msg(!h5rec_signal(&r, "circuit.units", 0, &units, &e), "%s", e.msg);
    uint64_t n = units.n;
    h5signal_free(&units);
    h5rec_close(&r);
    ck_assert_uint_gt(n, 8);
    svg_counts c = plot_svg("real.h5", "activity", ""); /* more than 8 units: a heat map */
    ck_assert_int_eq(c.images, 1);
    ck_assert_int_eq(c.series, 0);
    c = plot_svg("real.h5", "kymograph", "");
    ck_assert_int_eq(c.images, 1);
    c = plot_svg("real.h5", "activity", "--signal circuit.out.muscles");
    ck_assert_int_eq(c.series, 5);
    c = plot_svg("real.h5", "trajectory", ""); /* the swimmer's head, body.obs.position */
    ck_assert_int_eq(c.series, 1);
}
END_TEST

START_TEST(real_learning_curve) {
    proc_out p = proc_run("cd %s && %s %s train examples/swimmer-ncap-train.yaml --epochs 3 --set run.max_steps=200 "
                          "--set train.output=%s/t.params.yaml --set train.curve=%s/t.curve.csv "
                          "--set train.checkpoint=%s/t.ckpt --record %s/treal.h5 --quiet",
                          src, wrap, exe, dir, dir, dir, dir);
    ck_assert_msg(p.status == 0, "train --record: %s", p.err);
    proc_free(&p);
    svg_counts c = plot_svg("treal.h5", "curve", "");
    ck_assert_int_eq(c.series, 2);
    ck_assert_int_eq(c.bands, 1);
}
END_TEST

START_TEST(equal_aspect) {
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 800, 500);
    cairo_t *cr = cairo_create(surf);
    plot_frame f;
    plot_frame_init(&f, cr, 800, 500, 130);
    const double ranges[2][4] = {{0, 10, 0, 1}, {-0.1, 0.1, -3, 2}};
    for (int k = 0; k < 2; k++) {
        plot_frame_range(&f, ranges[k][0], ranges[k][1], ranges[k][2], ranges[k][3], 0);
        plot_frame_equal(&f);
        double sx = (f.x1 - f.x0) / (f.xmax - f.xmin), sy = (f.y1 - f.y0) / (f.ymax - f.ymin);
        ck_assert_msg(fabs(sx / sy - 1) < 1e-12, "x %g px/unit, y %g px/unit", sx, sy);
        ck_assert(f.xmin <= ranges[k][0] && f.xmax >= ranges[k][1]);
        ck_assert(f.ymin <= ranges[k][2] && f.ymax >= ranges[k][3]);
        /* one range is kept exactly, the other widened */
        ck_assert(fabs(f.xmax - f.xmin - (ranges[k][1] - ranges[k][0])) < 1e-12 ||
                  fabs(f.ymax - f.ymin - (ranges[k][3] - ranges[k][2])) < 1e-12);
    }
    cairo_destroy(cr);
    cairo_surface_destroy(surf);
    plot_release();
}
END_TEST

START_TEST(nice_ticks) {
    double first, step;
    ck_assert_int_eq(plot_nice_ticks(0, 12, 7, &first, &step), 7);
    ck_assert_double_eq(first, 0);
    ck_assert_double_eq(step, 2);
    int n = plot_nice_ticks(-0.4999, 0.4999, 5, &first, &step);
    ck_assert_int_ge(n, 3);
    ck_assert(fabs(first + 0.4) < 1e-9 && fabs(step - 0.2) < 1e-9);
    ck_assert_int_eq(plot_nice_ticks(1, 1, 5, &first, &step), 0);
}
END_TEST

/* Expect `animat plot ARGS` to fail with one line containing `needle` and
 * leave `out` (if given) absent. */
static void refused(const char *args, const char *needle, const char *out) {
    proc_out p = plot(args);
    ck_assert_msg(p.status != 0, "accepted: %s", args);
    ck_assert_msg(!p.signaled, "crashed: %s", args);
    ck_assert_msg(proc_lines(p.err) == 1, "not one line: %s", p.err);
    ck_assert_msg(strstr(p.err, needle), "%s: '%s' lacks '%s'", args, p.err, needle);
    struct stat st;
    if (out) ck_assert_msg(stat(out, &st) != 0, "%s was written", out);
    proc_free(&p);
}

START_TEST(bad_input_is_refused_up_front) {
    char args[1024], out[256];
    snprintf(out, sizeof out, "%s/never.svg", dir);
    snprintf(args, sizeof args, "%s/text.h5 activity -o %s", dir, out);
    refused(args, "not an HDF5 file", out);
    snprintf(args, sizeof args, "%s/other.h5 activity -o %s", dir, out);
    refused(args, "is not animat-recording/1", out);
    snprintf(args, sizeof args, "%s/missing.h5 activity -o %s", dir, out);
    refused(args, "cannot read: No such file or directory", out);
    snprintf(args, sizeof args, "%s/fifo.h5 activity -o %s", dir, out); /* would block if opened */
    refused(args, "not a regular file", out);
    snprintf(args, sizeof args, "%s/cut.h5 activity -o %s", dir, out); /* a truncated recording */
    refused(args, "cut.h5", out);
    snprintf(args, sizeof args, "%s/run.h5 histogram -o %s", dir, out);
    refused(args, "unknown plot kind 'histogram'", out);
    snprintf(args, sizeof args, "%s/run.h5 activity --signal circuit.nope -o %s", dir, out);
    refused(args, "no signal 'circuit.nope' (recorded: body.obs.joints, body.obs.position, circuit.units)", out);
    snprintf(args, sizeof args, "%s/run.h5 activity --signal circuit.units,nope -o %s", dir, out);
    refused(args, "no signal 'nope'", out);
    snprintf(args, sizeof args, "%s/run.h5 kymograph --signal body.obs.joints,circuit.units -o %s", dir, out);
    refused(args, "kymograph draws one signal, not a list", out);
    snprintf(args, sizeof args, "%s/run.h5 activity --episode 3 -o %s", dir, out);
    refused(args, "there is no episode 3", out);
    snprintf(args, sizeof args, "%s/run.h5 trajectory --episode 3 -o %s", dir, out);
    refused(args, "there is no episode 3", out);
    snprintf(args, sizeof args, "%s/run.h5 curve -o %s", dir, out);
    refused(args, "curve needs a train recording", out);
    snprintf(args, sizeof args, "%s/train.h5 trajectory -o %s", dir, out);
    refused(args, "trajectory needs the body's position signal NAME.obs.position", out);
    snprintf(args, sizeof args, "%s/run.h5 activity -o %s/never.pdf", dir, dir);
    refused(args, "unknown image format '.pdf'", NULL);
    snprintf(args, sizeof args, "%s/run.h5 activity -o %s/no/such/dir.svg", dir, dir);
    refused(args, "-o", NULL);
    snprintf(args, sizeof args, "%s/run.h5 activity -o %s", dir, dir); /* a directory */
    refused(args, "unknown image format", NULL);
    snprintf(args, sizeof args, "%s/run.h5 activity -o %s/adir.svg", dir, dir);
    refused(args, "adir.svg", NULL);
    snprintf(args, sizeof args, "%s/run.h5 activity -o %s/run.h5", dir, dir); /* the input itself */
    refused(args, "unknown image format", NULL);
    snprintf(args, sizeof args, "%s/run.h5 activity --size 10x10 -o %s", dir, out);
    refused(args, "--size '10x10'", out);
    struct stat st;
    ck_assert_int_eq(stat(dir, &st), 0);
    ck_assert(S_ISDIR(st.st_mode));
}
END_TEST

START_TEST(existing_output_survives_a_failed_plot) {
    char out[256], args[1024];
    const char *kept = proc_write(dir, "kept.svg", "old contents\n");
    snprintf(out, sizeof out, "%s", kept);
    snprintf(args, sizeof args, "%s/train.h5 trajectory -o %s", dir, out);
    proc_out p = plot(args);
    ck_assert_int_ne(p.status, 0);
    proc_free(&p);
    char *text = proc_slurp(out);
    ck_assert_str_eq(text, "old contents\n");
    free(text);
}
END_TEST

/* Write the fixtures every test reads. */
static void fixtures(void) {
    char p[256];
    fixture run = {.kind = "run", .episodes = 2, .T = 400, .n = 5, .direction = 1, .units = 1, .position = 1};
    fixture back = run, big = run, train = run, other = run, longer = run, train1;
    longer.T = 40000, longer.n = 3, longer.episodes = 1;
    back.direction = -1;
    big.n = 12, big.episodes = 3, big.cpg = 1;
    train.kind = "train", train.units = 0, train.position = 0, train.epochs = 20, train.cands = 8;
    other.format = "animat-recording/0";
    train1 = train, train1.epochs = 1, train1.cands = 4;
    const struct { const char *name; const fixture *f; } all[] = {
        {"run.h5", &run},     {"back.h5", &back},   {"big.h5", &big},
        {"train.h5", &train}, {"other.h5", &other}, {"long.h5", &longer},
        {"train1.h5", &train1}};
    for (int i = 0; i < 7; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, all[i].name);
        if (fixture_write(p, all[i].f)) fprintf(stderr, "cannot write %s\n", p), exit(1);
    }
    proc_write(dir, "text.h5", "this is not HDF5\n");
    snprintf(p, sizeof p, "%s/fifo.h5", dir);
    mkfifo(p, 0644);
    proc_out cut = proc_run("head -c 3000 %s/run.h5 > %s/cut.h5", dir, dir);
    proc_free(&cut);
    snprintf(p, sizeof p, "%s/adir.svg", dir);
    mkdir(p, 0755);
}

/* Add to a recording a chunked signal /signals/NAME of shape (1, T, n) that
 * declares its size but stores nothing (every value the fill value 0.5),
 * and /episodes/return of `episodes` values the same way. */
static void declare_huge(const char *path, const char *name, hsize_t T, hsize_t n, hsize_t episodes) {
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    ck_assert_int_ge(f, 0);
    hsize_t dim[3] = {1, T, n}, chunk[3] = {1, T < 1024 ? T : 1024, n < 64 ? n : 64};
    double fill = 0.5;
    hid_t pl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(pl, 3, chunk);
    H5Pset_fill_value(pl, H5T_NATIVE_DOUBLE, &fill);
    hid_t sp = H5Screate_simple(3, dim, NULL);
    char where[128];
    snprintf(where, sizeof where, "/signals/%s", name);
    hid_t d = H5Dcreate2(f, where, H5T_IEEE_F64LE, sp, H5P_DEFAULT, pl, H5P_DEFAULT);
    ck_assert_int_ge(d, 0);
    H5Dclose(d), H5Sclose(sp), H5Pclose(pl);
    if (episodes) {
        H5Ldelete(f, "/episodes/return", H5P_DEFAULT);
        hid_t p1 = H5Pcreate(H5P_DATASET_CREATE);
        hsize_t c1 = 4096;
        H5Pset_chunk(p1, 1, &c1);
        hid_t s1 = H5Screate_simple(1, &episodes, NULL);
        hid_t d1 = H5Dcreate2(f, "/episodes/return", H5T_IEEE_F64LE, s1, H5P_DEFAULT, p1, H5P_DEFAULT);
        ck_assert_int_ge(d1, 0);
        H5Dclose(d1), H5Sclose(s1), H5Pclose(p1);
    }
    H5Fclose(f);
}

/* A recording declaring 1e9 samples (or 1e9 x 1e9) is drawn from at most
 * H5REC_MAX_SAMPLES samples read with a stride, or refused in one line:
 * plot allocated and read what the file declared. */
START_TEST(huge_declared_sizes_are_bounded) {
    char h5[256], args[1024], out[256];
    snprintf(h5, sizeof h5, "%s/huge.h5", dir);
    fixture run = {.kind = "run", .episodes = 1, .T = 50, .n = 3, .direction = 1, .units = 1};
    ck_assert_int_eq(fixture_write(h5, &run), 0);
    declare_huge(h5, "circuit.long", 1000000000ull, 2, 0);
    declare_huge(h5, "circuit.square", 1000000000ull, 1000000000ull, 1000000000ull);
    time_t t0 = time(NULL);
    for (int k = 0; k < 2; k++) {
        const char *kind = k ? "kymograph" : "activity";
        snprintf(args, sizeof args, "%s %s --signal circuit.long -o %s/huge.svg", h5, kind, dir);
        proc_out p = plot(args);
        ck_assert_msg(p.status == 0 && strstr(p.out, "wrote "), "%s: %s", args, p.err);
        proc_free(&p);
    }
    ck_assert_msg(time(NULL) - t0 < 60, "took %ld s", (long)(time(NULL) - t0));
    snprintf(out, sizeof out, "%s/never.svg", dir);
    snprintf(args, sizeof args, "%s activity --signal circuit.square -o %s", h5, out);
    refused(args, "signal circuit.square has 1000000000 elements per sample; at most 4096 are drawn", out);
    proc_out p = proc_run("%s %s report %s -o %s/never.html", wrap, exe, h5, dir);
    ck_assert_msg(p.status == 1 && proc_lines(p.err) == 1, "%d: %s", p.status, p.err);
    ck_assert_msg(strstr(p.err, "dataset /episodes/return has 1000000000 values; plots and the report read at most"),
                  "%s", p.err);
    proc_free(&p);
}
END_TEST

/* A signal longer than the samples a plot reads: every k-th sample (what
 * plots read before) misses a one-sample spike between kept samples, the
 * envelope (min and max of each run) keeps both spikes and the NaN tail of
 * an episode that ended early. */
START_TEST(envelope_keeps_one_sample_spikes) {
    char h5[256];
    snprintf(h5, sizeof h5, "%s/spiky.h5", dir);
    fixture run = {.kind = "run", .episodes = 1, .T = 50, .n = 3, .direction = 1};
    ck_assert_int_eq(fixture_write(h5, &run), 0);
    enum { T = 10000 };
    double *v = calloc(T, sizeof *v);
    v[4321] = 1.0, v[7777] = -2.0;
    for (int t = 9000; t < T; t++) v[t] = NAN;
    hid_t f = H5Fopen(h5, H5F_ACC_RDWR, H5P_DEFAULT);
    hsize_t dim[3] = {1, T, 1};
    hid_t sp = H5Screate_simple(3, dim, NULL);
    hid_t d = H5Dcreate2(f, "/signals/circuit.spiky", H5T_IEEE_F64LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    ck_assert_int_ge(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v), 0);
    H5Dclose(d), H5Sclose(sp), H5Fclose(f);
    free(v);
    h5rec r;
    errmsg e;
    errmsg_clear(&e);
    ck_assert_msg(!h5rec_open(&r, h5, &e), "%s", e.msg);
    h5signal thin, env;
    ck_assert_msg(!h5rec_signal(&r, "circuit.spiky", 0, &thin, &e), "%s", e.msg);
    ck_assert_msg(!h5rec_signal_envelope(&r, "circuit.spiky", 0, &env, &e), "%s", e.msg);
    double tmax = -INFINITY, tmin = INFINITY;
    for (uint64_t k = 0; k < thin.T; k++)
        if (isfinite(thin.v[k])) tmax = fmax(tmax, thin.v[k]), tmin = fmin(tmin, thin.v[k]);
    ck_assert_msg(thin.stride == 3 && tmax == 0 && tmin == 0, "every 3rd sample: stride %llu, [%g, %g]",
                  (unsigned long long)thin.stride, tmin, tmax);
    ck_assert_int_eq(env.envelope, 1);
    ck_assert_int_eq(env.stride, 5); /* 2048 runs of 5 samples at most: 2000 runs, 4000 rows */
    ck_assert_int_eq(env.T, 4000);
    ck_assert(env.v[2 * (4321 / 5) + 1] == 1.0 && env.v[2 * (4321 / 5)] == 0.0);
    ck_assert(env.v[2 * (7777 / 5)] == -2.0 && env.v[2 * (7777 / 5) + 1] == 0.0);
    ck_assert(isnan(env.v[2 * 1800]) && isnan(env.v[3999]) && env.v[2 * 1799 + 1] == 0.0);
    h5signal_free(&thin);
    h5signal_free(&env);
    h5rec_close(&r);
}
END_TEST

int main(void) {
    exe = getenv("ANIMAT_EXE");
    src = getenv("ANIMAT_SRC");
    wrap = getenv("ANIMAT_WRAP") ? getenv("ANIMAT_WRAP") : "";
    const char *d = proc_tmpdir();
    if (!exe || !src || !d) return 1;
    snprintf(dir, sizeof dir, "%s", d);
    fixtures();
    Suite *s = suite_create("plot");
    TCase *t = tcase_create("plot");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, activity_has_one_series_per_element);
    tcase_add_test(t, activity_of_many_series_is_a_heat_map);
    tcase_add_test(t, time_window);
    tcase_add_test(t, time_window_errors);
    tcase_add_test(t, curve_has_mean_best_and_band);
    tcase_add_test(t, kymograph_is_one_heat_map);
    tcase_add_test(t, trajectory_has_one_series_per_episode);
    tcase_add_test(t, long_episodes_stay_small);
    tcase_add_test(t, pngs_decode_and_are_not_blank);
    tcase_add_test(t, wave_direction_synthetic);
    tcase_add_test(t, real_swimmer_wave_travels_head_to_tail);
    tcase_add_test(t, real_learning_curve);
    tcase_add_test(t, nice_ticks);
    tcase_add_test(t, equal_aspect);
    tcase_add_test(t, bad_input_is_refused_up_front);
    tcase_add_test(t, existing_output_survives_a_failed_plot);
    tcase_add_test(t, huge_declared_sizes_are_bounded);
    tcase_add_test(t, envelope_keeps_one_sample_spikes);
    suite_add_tcase(s, t);
    int rc = ck_run(s);
    proc_out rm = proc_run("rm -rf %s", dir);
    proc_free(&rm);
    return rc;
}
