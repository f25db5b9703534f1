/* test_viewer.c -- suite "view": `animat view` (core/cli/cmd_view.c,
 * core/view/window.c) end to end. Without a display it refuses in one line;
 * under Xvfb (xvfb-run) the window's own framebuffer, read back by
 * --screenshot, shows the swimmer (not blank) and moves between frames.
 * `animat view run.h5` replays a recording's body positions (core/view/
 * replay.c): its screenshots are not blank, move, and match the live view's
 * frame of the same run; files it cannot replay are refused in one line.
 * The Xvfb cases are skipped, saying so, where xvfb-run is missing.
 * Environment (tests/view/meson.build): ANIMAT_SRC, ANIMAT_EXE.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "proc.h"

static const char *env(const char *name) {
    const char *v = getenv(name);
    if (!v || !*v) {
        fprintf(stderr, "test_viewer: %s is not set (run through meson test)\n", name);
        exit(77);
    }
    return v;
}

/* No display: exit 1, exactly one line naming the reason, nothing on stdout. */
START_TEST(test_view_no_display) {
    const char *dir = proc_tmpdir();
    proc_out p = proc_run("cd %s && env -u DISPLAY -u WAYLAND_DISPLAY %s view %s/examples/swimmer-ncap.yaml", dir,
                          env("ANIMAT_EXE"), env("ANIMAT_SRC"));
    ck_assert_int_eq(p.status, 1);
    ck_assert_int_eq(proc_lines(p.err), 1);
    ck_assert_msg(strstr(p.err, "view needs a display"), "stderr: %s", p.err);
    ck_assert_str_eq(p.out, "");
    proc_free(&p);
}
END_TEST

/* A binary PPM's pixels (caller frees) and size. */
static unsigned char *ppm_read(const char *path, int *w, int *h) {
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "no screenshot %s", path);
    int maxv = 0;
    ck_assert_int_eq(fscanf(f, "P6 %d %d %d", w, h, &maxv), 3);
    fgetc(f);
    size_t n = (size_t)*w * (size_t)*h * 3;
    unsigned char *px = malloc(n);
    ck_assert_uint_eq(fread(px, 1, n, f), n);
    fclose(f);
    return px;
}

/* Under Xvfb: 3 and 40 frames of the swimmer at 160x120; each screenshot
 * has pixel variance > 20 (not blank), and they differ (it moves). */
START_TEST(test_view_xvfb) {
    proc_out which = proc_run("command -v xvfb-run");
    int have = which.status == 0;
    proc_free(&which);
    if (!have) {
        fprintf(stderr, "test_viewer: xvfb-run not found: skipping the window test\n");
        return;
    }
    const char *dir = proc_tmpdir();
    double var[2];
    unsigned char *px[2];
    int w = 0, h = 0;
    const int frames[2] = {3, 40};
    for (int k = 0; k < 2; k++) {
        proc_out p = proc_run("cd %s && xvfb-run -a -s '-screen 0 640x480x24' %s view %s/examples/swimmer-ncap.yaml "
                              "--size 160x120 --speed 0 --frames %d --screenshot s%d.ppm",
                              dir, env("ANIMAT_EXE"), env("ANIMAT_SRC"), frames[k], k);
        ck_assert_msg(p.status == 0, "view: %s%s", p.out, p.err);
        char want[64];
        snprintf(want, sizeof want, "view: %d frames of 160x120", frames[k]);
        ck_assert_msg(strstr(p.out, want), "stdout: %s", p.out);
        proc_free(&p);
        char path[1200];
        snprintf(path, sizeof path, "%s/s%d.ppm", dir, k);
        px[k] = ppm_read(path, &w, &h);
        ck_assert_int_eq(w, 160);
        ck_assert_int_eq(h, 120);
        double s = 0, s2 = 0, n = (double)w * h * 3;
        for (int i = 0; i < w * h * 3; i++) s += px[k][i], s2 += (double)px[k][i] * px[k][i];
        var[k] = s2 / n - (s / n) * (s / n);
        ck_assert_msg(var[k] > 20, "screenshot %d is blank: variance %g", k, var[k]);
    }
    ck_assert_msg(memcmp(px[0], px[1], (size_t)w * h * 3) != 0, "the picture did not change between frames 3 and 40");
    free(px[0]);
    free(px[1]);
}
END_TEST

/* Mean absolute difference of two w x h RGB pictures over columns x0..w-1
 * (right of the overlay). */
static double ppm_diff(const unsigned char *a, const unsigned char *b, int w, int h, int x0) {
    double s = 0;
    for (int y = 0; y < h; y++)
        for (size_t i = ((size_t)y * w + x0) * 3; i < ((size_t)y * w + w) * 3; i++) s += fabs((double)a[i] - b[i]);
    return s / ((double)(w - x0) * h * 3);
}

/* Pixel variance (blank pictures have ~0). */
static double ppm_var(const unsigned char *px, int w, int h) {
    double s = 0, s2 = 0, n = (double)w * h * 3;
    for (int i = 0; i < w * h * 3; i++) s += px[i], s2 += (double)px[i] * px[i];
    return s2 / n - (s / n) * (s / n);
}

/* Does xvfb-run exist? Says so when it does not. */
static int have_xvfb(void) {
    proc_out which = proc_run("command -v xvfb-run");
    int have = which.status == 0;
    proc_free(&which);
    if (!have) fprintf(stderr, "test_viewer: xvfb-run not found: skipping the window test\n");
    return have;
}

/* Under Xvfb: the live view's overlay shows the first circuit's unit
 * activities (ncap: osc, b[0].d, ...) below time, return and speed: frame
 * 3 with them and with `--units none` differ inside the overlay's rows
 * below the speed line and nowhere right of the overlay; a name that is no
 * circuit is one line, exit 1. */
START_TEST(test_view_live_units) {
    if (!have_xvfb()) return;
    const char *dir = proc_tmpdir();
    unsigned char *px[2];
    int w = 0, h = 0;
    const char *units[2] = {"circuit", "none"};
    for (int k = 0; k < 2; k++) {
        proc_out p = proc_run("cd %s && xvfb-run -a -s '-screen 0 640x480x24' %s view %s/examples/swimmer-ncap.yaml "
                              "--size 320x240 --speed 0 --frames 3 --units %s --screenshot u%d.ppm",
                              dir, env("ANIMAT_EXE"), env("ANIMAT_SRC"), units[k], k);
        ck_assert_msg(p.status == 0, "view: %s%s", p.out, p.err);
        proc_free(&p);
        char path[1200];
        snprintf(path, sizeof path, "%s/u%d.ppm", dir, k);
        px[k] = ppm_read(path, &w, &h);
        ck_assert_int_eq(w, 320);
    }
    double below = 0, right = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < 3; c++) {
                size_t i = ((size_t)y * w + x) * 3 + c;
                double d = fabs((double)px[0][i] - px[1][i]);
                if (x < 100 && y >= 70 && y < 200) below += d;
                else if (x >= 130) right += d;
            }
    ck_assert_msg(below > 1000, "no unit lines in the overlay (difference %g)", below);
    ck_assert_msg(right == 0, "the scene differs right of the overlay (difference %g)", right);
    free(px[0]);
    free(px[1]);
    proc_out p = proc_run("cd %s && xvfb-run -a %s view %s/examples/swimmer-ncap.yaml --frames 3 --units body", dir,
                          env("ANIMAT_EXE"), env("ANIMAT_SRC"));
    ck_assert_msg(p.status == 1 && strstr(p.err, "error: view: --units body: the experiment has no circuit 'body'"),
                  "%d: %s", p.status, p.err);
    proc_free(&p);
}
END_TEST

/* Replay under Xvfb: a recording of 60 steps of the swimmer shown for 3 and
 * 40 frames at 320x240; both screenshots are not blank and differ, and the
 * 40th frame equals the live view's 40th frame of the same run (the same
 * seed) right of the overlay, columns 140..319 (mean absolute difference
 * < 0.5 of 255, where frames 3 and 40 differ by > 1: the positions are the
 * recorded ones, drawn by the same renderer; 0 when measured). */
START_TEST(test_view_replay_xvfb) {
    if (!have_xvfb()) return;
    const char *dir = proc_tmpdir(), *exe = env("ANIMAT_EXE"), *src = env("ANIMAT_SRC");
    proc_out p = proc_run("cd %s && %s run %s/examples/swimmer-ncap.yaml --episodes 1 --set run.max_steps=60 "
                          "--record s.h5 --quiet", dir, exe, src);
    ck_assert_msg(p.status == 0, "run: %s%s", p.out, p.err);
    proc_free(&p);
    unsigned char *px[3];
    int w = 0, h = 0;
    for (int k = 0; k < 3; k++) {
        char what[1200];
        if (k < 2) snprintf(what, sizeof what, "s.h5 --frames %d", k ? 40 : 3);
        else snprintf(what, sizeof what, "%s/examples/swimmer-ncap.yaml --frames 40", src);
        p = proc_run("cd %s && xvfb-run -a -s '-screen 0 640x480x24' %s view %s --size 320x240 --speed 0 "
                     "--screenshot s%d.ppm", dir, exe, what, k);
        ck_assert_msg(p.status == 0, "view: %s%s", p.out, p.err);
        ck_assert_msg(strstr(p.out, k ? "view: 40 frames of 320x240" : "view: 3 frames of 320x240"), "%s", p.out);
        proc_free(&p);
        char path[1200];
        snprintf(path, sizeof path, "%s/s%d.ppm", dir, k);
        px[k] = ppm_read(path, &w, &h);
        ck_assert_int_eq(w, 320);
        ck_assert_int_eq(h, 240);
        ck_assert_msg(ppm_var(px[k], w, h) > 20, "screenshot %d is blank", k);
    }
    ck_assert_msg(memcmp(px[0], px[1], (size_t)w * h * 3) != 0, "the replay did not change between frames 3 and 40");
    double same = ppm_diff(px[1], px[2], w, h, 140), moved = ppm_diff(px[0], px[1], w, h, 140);
    ck_assert_msg(same < 0.5 && moved > 1, "replay vs live frame 40: %g (frames 3 vs 40: %g)", same, moved);
    for (int k = 0; k < 3; k++) free(px[k]);
}
END_TEST

/* exit 1, exactly one line containing `want`, nothing on stdout. */
static void expect_error(proc_out *p, const char *want) {
    ck_assert_msg(p->status == 1, "status %d: %s%s", p->status, p->out, p->err);
    ck_assert_int_eq(proc_lines(p->err), 1);
    ck_assert_msg(strstr(p->err, want), "stderr: %s (wanted %s)", p->err, want);
    ck_assert_str_eq(p->out, "");
    proc_free(p);
}

/* Files view cannot replay, each refused in one line before any window
 * (no display needed): not HDF5, a truncated recording, a recording without
 * body positions, a recording without a display, --set on a recording;
 * NAME.qpos in record.signals is recorded for a body, refused for a circuit;
 * a stored experiment's paths resolve against its own folder; a plugin
 * named by path is refused. */
START_TEST(test_view_replay_bad) {
    const char *dir = proc_tmpdir(), *exe = env("ANIMAT_EXE"), *src = env("ANIMAT_SRC");
    proc_write(dir, "q.yaml", "name: q\nbody: {plugin: swimmer}\ncircuit: {plugin: ncap}\nwiring:\n"
                              "  - body.obs.joints -> circuit.in.joints\n  - circuit.out.muscles -> body.act.motors\n"
                              "record: {signals: [reward]}\nrun: {max_steps: 20}\n");
    proc_out p = proc_run("cd %s && cp %s/examples/swimmer-ncap.yaml x.h5 && %s run q.yaml --record q.h5 --quiet && "
                          "%s run %s/examples/swimmer-ncap.yaml --set run.max_steps=20 --record s.h5 --quiet && "
                          "%s run q.yaml --set 'record.signals=[body.qpos]' --record p.h5 --quiet && "
                          "head -c 5000 s.h5 > t.h5", dir, src, exe, exe, src, exe);
    ck_assert_msg(p.status == 0, "%s%s", p.out, p.err);
    proc_free(&p);
    const char *nod = "env -u DISPLAY -u WAYLAND_DISPLAY";
    p = proc_run("cd %s && %s %s view x.h5", dir, nod, exe);
    expect_error(&p, "x.h5: not an HDF5 file");
    p = proc_run("cd %s && %s %s view t.h5", dir, nod, exe);
    expect_error(&p, "t.h5: cannot open as HDF5");
    p = proc_run("cd %s && %s %s view q.h5", dir, nod, exe);
    expect_error(&p, "q.h5: no body positions to replay (no /signals/NAME.qpos");
    p = proc_run("cd %s && %s %s view s.h5 --units nothing.units", dir, nod, exe);
    expect_error(&p, "s.h5: no signal 'nothing.units' to show in the overlay");
    p = proc_run("cd %s && %s %s view s.h5", dir, nod, exe);
    expect_error(&p, "view needs a display");
    p = proc_run("cd %s && %s %s view p.h5", dir, nod, exe); /* record.signals: [body.qpos] passes the checks */
    expect_error(&p, "view needs a display");
    /* the lamprey's model path (../bodies/...) resolves against the stored experiment's own folder, not the cwd */
    p = proc_run("cd %s && %s run examples/lamprey-cpg.yaml --set run.max_steps=5 --record %s/l.h5 >/dev/null && "
                 "cd %s && %s %s view l.h5", src, exe, dir, dir, nod, exe);
    expect_error(&p, "view needs a display");
    p = proc_run("cd %s && %s run q.yaml --set 'record.signals=[circuit.qpos]' --record c.h5", dir, exe);
    expect_error(&p, "record.signals[0]: 'circuit' is not a body of this experiment");
    p = proc_run("cd %s && %s view s.h5 --set run.seed=2", dir, exe);
    expect_error(&p, "s.h5 is a recording: --set and --episodes apply to experiments");
    /* a recording is data: a plugin named by path is not loaded */
    char yaml[1400];
    snprintf(yaml, sizeof yaml, "name: b\nbody: {plugin: %s/bodies/swimmer/swimmer.so}\ncircuit: {plugin: ncap}\n"
             "wiring:\n  - body.obs.joints -> circuit.in.joints\n  - circuit.out.muscles -> body.act.motors\n"
             "run: {max_steps: 5}\n", env("ANIMAT_BUILD"));
    proc_write(dir, "b.yaml", yaml);
    p = proc_run("cd %s && %s run b.yaml --record b.h5 >/dev/null && %s %s view b.h5", dir, exe, nod, exe);
    expect_error(&p, "b.h5 (stored experiment): the recording names plugin files by path: /");
}
END_TEST

/* Hostile recordings, edited with h5py (Debian's /usr/bin/python3; skipped,
 * saying so, without it): a NAME.qpos of the wrong width, rank or type,
 * with fewer episodes than the recording, and a units signal declaring
 * 2^20 x 4096 values in a tiny chunked file. Each is one line, exit 1,
 * before any window: no display is needed to be told. */
START_TEST(test_view_replay_hostile) {
    const char *dir = proc_tmpdir(), *exe = env("ANIMAT_EXE"), *src = env("ANIMAT_SRC");
    proc_out p = proc_run("/usr/bin/python3 -c 'import h5py, numpy'");
    int have = p.status == 0;
    proc_free(&p);
    if (!have) {
        fprintf(stderr, "test_view_replay_hostile: skipped (no h5py in /usr/bin/python3)\n");
        return;
    }
    proc_write(dir, "edit.py",
               "import h5py, numpy as np, shutil, sys\n"
               "def edit(name, path, **kw):\n"
               "    shutil.copy('s.h5', name)\n"
               "    with h5py.File(name, 'r+') as f:\n"
               "        del f[path]\n"
               "        f.create_dataset(path, **kw)\n"
               "edit('w.h5', 'signals/body.qpos', data=np.zeros((2, 20, 7)))\n"
               "edit('r.h5', 'signals/body.qpos', data=np.zeros((2, 20)))\n"
               "edit('d.h5', 'signals/body.qpos', data=np.zeros((2, 20, 8), 'S4'))\n"
               "edit('e.h5', 'signals/body.qpos', data=np.zeros((1, 20, 8)))\n"
               "edit('u.h5', 'signals/circuit.units', shape=(2, 1 << 20, 4096), chunks=(1, 64, 64), dtype='f8')\n");
    p = proc_run("cd %s && %s run %s/examples/swimmer-ncap.yaml --set run.max_steps=20 --set run.episodes=2 "
                 "--record s.h5 --quiet && /usr/bin/python3 edit.py", dir, exe, src);
    ck_assert_msg(p.status == 0, "%s%s", p.out, p.err);
    proc_free(&p);
    const char *nod = "env -u DISPLAY -u WAYLAND_DISPLAY";
    p = proc_run("cd %s && %s %s view w.h5", dir, nod, exe);
    expect_error(&p, "w.h5: body.qpos has 7 elements per sample, but the body's model has nq = 8");
    p = proc_run("cd %s && %s %s view r.h5", dir, nod, exe);
    expect_error(&p, "r.h5: signal body.qpos has rank 2, expected (episodes, T, n)");
    p = proc_run("cd %s && %s %s view d.h5", dir, nod, exe);
    expect_error(&p, "d.h5: signal body.qpos is not numeric");
    p = proc_run("cd %s && %s %s view e.h5", dir, nod, exe);
    expect_error(&p, "e.h5: body.qpos has 1 episodes, but 2 are recorded");
    p = proc_run("cd %s && %s %s view u.h5", dir, nod, exe);
    expect_error(&p, "u.h5: signal circuit.units has 4294967296 values per episode; at most 16777216 are read");
}
END_TEST

int main(void) {
    Suite *s = suite_create("viewer");
    TCase *c = tcase_create("view");
    tcase_set_timeout(c, 120);
    tcase_add_test(c, test_view_no_display);
    tcase_add_test(c, test_view_xvfb);
    tcase_add_test(c, test_view_replay_xvfb);
    tcase_add_test(c, test_view_live_units);
    tcase_add_test(c, test_view_replay_bad);
    tcase_add_test(c, test_view_replay_hostile);
    suite_add_tcase(s, c);
    return ck_run(s);
}
