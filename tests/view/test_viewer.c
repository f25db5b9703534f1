/* test_viewer.c -- suite "view": `animat view` (core/cli/cmd_view.c,
 * core/view/window.c) end to end. Without a display it refuses in one line;
 * under Xvfb (xvfb-run) the window's own framebuffer, read back by
 * --screenshot, shows the swimmer (not blank) and moves between frames.
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

int main(void) {
    Suite *s = suite_create("viewer");
    TCase *c = tcase_create("view");
    tcase_set_timeout(c, 120);
    tcase_add_test(c, test_view_no_display);
    tcase_add_test(c, test_view_xvfb);
    suite_add_tcase(s, c);
    return ck_run(s);
}
