/* test_analyze.c -- `animat analyze` end to end (suite view) on recordings
 * whose truth is known:
 *   - DMD of the NCAP circuit's units (examples/swimmer-ncap.yaml, 30 s)
 *     finds the head oscillator's period, 60 control steps of 0.03 s = 1.8 s;
 *   - SINDy of the cpg's recorded phases (examples/swimmer-cpg.yaml, two
 *     oscillators) finds its phase equations, every term and coefficient
 *     within 1%;
 *   - PCA of a planar travelling wave (a synthetic recording) gives two
 *     components holding the variance;
 *   - bad input is one line, exit 1, nothing written.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ck_run.h"
#include "h5fixture.h"
#include "pngstat.h"
#include "proc.h"

static const char *exe, *src, *wrap;
static char dir[64];

/* `animat analyze ARGS` (paths relative to dir). */
static proc_out analyze(const char *args) {
    return proc_run("cd %s && %s %s analyze %s", dir, wrap, exe, args);
}

/* Rows of a CSV table file: cells[r][c] of up to 8 columns, returns rows. */
#define MAXROWS 256
static int read_csv(const char *name, char cells[MAXROWS][8][80]) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *text = proc_slurp(path);
    ck_assert_msg(text != NULL, "no %s", path);
    int r = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line && r < MAXROWS; line = strtok_r(NULL, "\n", &save), r++) {
        int c = 0;
        for (char *p = line; p && c < 8; c++) {
            char *comma = strchr(p, ',');
            if (comma) *comma = '\0';
            snprintf(cells[r][c], 80, "%s", p);
            p = comma ? comma + 1 : NULL;
        }
        for (; c < 8; c++) cells[r][c][0] = '\0';
    }
    free(text);
    return r;
}

START_TEST(dmd_finds_the_ncap_head_oscillator_period) {
    proc_out p = proc_run("cd %s && %s run %s/examples/swimmer-ncap.yaml --episodes 1 --record ncap.h5 --quiet", dir,
                          exe, src);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    p = analyze("ncap.h5 dmd -o dmd.csv --plot dmd.png");
    ck_assert_msg(p.status == 0, "%s", p.err);
    const char *dom = strstr(p.out, "dominant oscillation: ");
    ck_assert_msg(dom != NULL, "%s", p.out);
    double f = strtod(dom + strlen("dominant oscillation: "), NULL);
    /* the square wave's fundamental, 1 / (60 * 0.03 s); within 1% on the whole 30 s */
    ck_assert_msg(fabs(f - 1 / 1.8) < 0.01 / 1.8, "dominant frequency %.6f Hz, expected %.6f\n%s", f, 1 / 1.8,
                  p.out);
    ck_assert_ptr_nonnull(strstr(p.out, "21 variables"));
    proc_free(&p);
    /* without the start-up transient: within 0.2% */
    p = analyze("ncap.h5 dmd --from 5");
    dom = strstr(p.out, "dominant oscillation: ");
    ck_assert_ptr_nonnull(dom);
    f = strtod(dom + strlen("dominant oscillation: "), NULL);
    ck_assert_msg(fabs(f - 1 / 1.8) < 0.002 / 1.8, "from 5 s: %.6f Hz", f);
    proc_free(&p);
    char cells[MAXROWS][8][80];
    int rows = read_csv("dmd.csv", cells);
    ck_assert_int_ge(rows, 3);
    ck_assert_str_eq(cells[0][4], "frequency_hz");
    char png[256];
    snprintf(png, sizeof png, "%s/dmd.png", dir);
    int w, h;
    ck_assert_msg(png_variance(png, &w, &h) > 100, "blank dmd.png");
}
END_TEST

/* The coefficient of TERM in equation EQ of a SINDy CSV table, or NAN. */
static double coef(char cells[MAXROWS][8][80], int rows, const char *eq, const char *term, int *terms) {
    double v = NAN;
    *terms = 0;
    for (int r = 1; r < rows; r++)
        if (!strcmp(cells[r][0], eq)) {
            (*terms)++;
            if (!strcmp(cells[r][1], term)) v = strtod(cells[r][2], NULL);
        }
    return v;
}

START_TEST(sindy_finds_the_cpg_phase_equations) {
    /* two oscillators (a 3-link swimmer), amplitudes converged within the
     * first sample (a = 1000), coupling w = 0.5: the phases start together
     * and lock over a few seconds, which is what shows the coupling */
    proc_out p = proc_run("cd %s && %s run %s/examples/swimmer-cpg.yaml --episodes 1 --record cpg.h5 --quiet "
                          "--set body.params.n_bodies=3 --set circuit.params.a=1000 "
                          "--set circuit.params.coupling=0.5", dir, exe, src);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    p = analyze("cpg.h5 sindy --signals circuit.out.phase --phase --from 0.05 -o sindy.csv --plot sindy.svg");
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char cells[MAXROWS][8][80];
    int rows = read_csv("sindy.csv", cells);
    /* dtheta_i/dt = 2 pi nu + w sin(theta_j - theta_i +- phi), with
     * sin(b - a + phi) = cos(phi) (cos a sin b - sin a cos b) + sin(phi) (cos a cos b + sin a sin b) */
    const double nu = 0.4, w = 0.5, phi = 1.2566;
    const char *terms[5] = {"1", "cos(phase[0])*cos(phase[1])", "cos(phase[0])*sin(phase[1])",
                            "sin(phase[0])*cos(phase[1])", "sin(phase[0])*sin(phase[1])"};
    const double truth[5] = {2 * M_PI * nu, w * sin(phi), w * cos(phi), -w * cos(phi), w * sin(phi)};
    for (int i = 0; i < 2; i++) {
        const char *eq = i ? "phase[1]" : "phase[0]";
        for (int k = 0; k < 5; k++) {
            int n;
            double want = k ? (i ? -truth[k] : truth[k]) : truth[0], got = coef(cells, rows, eq, terms[k], &n);
            ck_assert_msg(n == 5, "%s: %d terms identified, expected 5", eq, n);
            ck_assert_msg(fabs(got - want) < 0.01 * fabs(want), "%s, %s: %.6f, expected %.6f", eq, terms[k], got,
                          want);
        }
    }
}
END_TEST

START_TEST(pca_of_a_travelling_wave_has_two_components) {
    proc_out p = analyze("wave.h5 pca --signals body.obs.joints -o pca.csv --plot pca.svg");
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char cells[MAXROWS][8][80];
    int rows = read_csv("pca.csv", cells);
    ck_assert_int_eq(rows, 1 + 5); /* header + one row per joint */
    ck_assert_str_eq(cells[0][2], "explained");
    double e1 = strtod(cells[1][2], NULL), e2 = strtod(cells[2][2], NULL), c2 = strtod(cells[2][3], NULL);
    ck_assert_msg(e1 > 0.3 && e2 > 0.3 && c2 > 0.999999, "PC1 %.6f PC2 %.6f cumulative %.9f", e1, e2, c2);
    ck_assert_msg(strtod(cells[3][2], NULL) < 1e-6, "PC3 explains %s", cells[3][2]);
}
END_TEST

START_TEST(sindy_takes_a_recorded_derivative) {
    /* --derivative names the targets instead of finite differences: given
     * x itself as dx/dt, the identified system is dx_i/dt = 1 x_i */
    proc_out p =
        analyze("wave.h5 sindy --signals body.obs.position --derivative body.obs.position --degree 1 -o d.csv");
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char cells[MAXROWS][8][80];
    int rows = read_csv("d.csv", cells);
    ck_assert_int_eq(rows, 1 + 2);
    for (int r = 1; r < rows; r++) {
        ck_assert_str_eq(cells[r][0], cells[r][1]);
        ck_assert_msg(fabs(strtod(cells[r][2], NULL) - 1) < 1e-9, "%s: %s", cells[r][1], cells[r][2]);
    }
}
END_TEST

/* ARGS fails with exit 1 and one line holding WANT; OUT is not written. */
static void refused(const char *args, const char *want, const char *out) {
    proc_out p = analyze(args);
    ck_assert_msg(p.status == 1, "%s: exit %d\n%.300s%.300s", args, p.status, p.out, p.err);
    ck_assert_msg(proc_lines(p.err) == 1 && strstr(p.err, want), "%s: stderr:\n%.600s", args, p.err);
    proc_free(&p);
    char path[256];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, out);
    ck_assert_msg(stat(path, &st) != 0, "%s: %s was written", args, out);
}

START_TEST(bad_input_is_one_line_and_writes_nothing) {
    refused("wave.h5 pca --signals body.obs.nothing -o x.csv", "no signal 'body.obs.nothing' (recorded:", "x.csv");
    refused("wave.h5 sindy --signals body.obs.joints --degree 0 -o x.csv", "--degree takes a whole number from 1 to 5",
            "x.csv");
    refused("wave.h5 sindy --signals body.obs.joints --degree 20 -o x.csv",
            "--degree takes a whole number from 1 to 5, not '20'", "x.csv");
    refused("wave.h5 dmd --from 3 --to 2 -o x.csv", "--from 3 must be before --to 2", "x.csv");
    refused("wave.h5 dmd --from 2 --to 2 --plot x.svg", "--from 2 must be before --to 2", "x.svg");
    refused("missing.h5 pca -o x.csv", "missing.h5: cannot read", "x.csv");
    refused("wave.h5 fft -o x.csv", "unknown analysis 'fft'", "x.csv");
    refused("wave.h5 pca -o x.txt", "unknown table format '.txt'", "x.txt");
    refused("wave.h5 pca --plot x.gif", "unknown image format", "x.gif");
    refused("wave.h5 pca --degree 2 -o x.csv", "options of sindy, not pca", "x.csv");
    refused("wave.h5 pca --from 100 -o x.csv", "samples in the window", "x.csv");
    refused("wave.h5 pca --episode 9 -o x.csv", "there is no episode 9", "x.csv");
    refused("wave.h5 sindy --signals body.obs.joints,circuit.units --degree 5 -o x.csv", "terms, more than",
            "x.csv");
    refused("plain.h5 dmd -o x.csv", "no circuit units recorded", "x.csv");
    refused("long.h5 sindy --degree 5 -o x.csv", "library matrix would hold 1287 terms x 39998 samples", "x.csv");
    refused("wave.h5 sindy --signals body.obs.joints --derivative circuit.units -o x.csv",
            "--derivative circuit.units: 10 variables over 400 samples, but --signals body.obs.joints has 5", "x.csv");
    refused("wave.h5 dmd --threshold 1 -o x.csv", "options of sindy, not dmd", "x.csv");
    refused("wave.h5 sindy --rank 3 -o x.csv", "--rank is an option of dmd", "x.csv");
    refused("wave.h5 sindy --threshold -1 -o x.csv", "--threshold takes a number from 0", "x.csv");
    refused("wave.h5 pca -o wave.h5", "-o wave.h5: unknown table format '.h5'", "x.csv"); /* never the recording */
    refused("wave.h5 pca -o x.csv --plot x.csv", "x.csv is the same file as x.csv", "x.csv");
    proc_out p = analyze("wave.h5 pca --signals");
    ck_assert_int_eq(p.status, 2);
    proc_free(&p);
}
END_TEST

int main(void) {
    exe = getenv("ANIMAT_EXE");
    src = getenv("ANIMAT_SRC");
    wrap = getenv("ANIMAT_WRAP") ? getenv("ANIMAT_WRAP") : "";
    const char *d = proc_tmpdir();
    if (!exe || !src || !d) return 1;
    snprintf(dir, sizeof dir, "%s", d);
    char p[256];
    fixture wave = {.kind = "run", .episodes = 2, .T = 400, .n = 5, .direction = 1, .units = 1, .position = 1};
    fixture plain = wave;
    plain.units = 0;
    snprintf(p, sizeof p, "%s/wave.h5", dir);
    if (fixture_write(p, &wave)) return 1;
    snprintf(p, sizeof p, "%s/plain.h5", dir);
    if (fixture_write(p, &plain)) return 1;
    fixture longer = {.kind = "run", .episodes = 1, .T = 40000, .n = 4, .direction = 1, .units = 1};
    snprintf(p, sizeof p, "%s/long.h5", dir);
    if (fixture_write(p, &longer)) return 1;
    Suite *s = suite_create("analyze");
    TCase *t = tcase_create("analyze");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, dmd_finds_the_ncap_head_oscillator_period);
    tcase_add_test(t, sindy_finds_the_cpg_phase_equations);
    tcase_add_test(t, pca_of_a_travelling_wave_has_two_components);
    tcase_add_test(t, sindy_takes_a_recorded_derivative);
    tcase_add_test(t, bad_input_is_one_line_and_writes_nothing);
    suite_add_tcase(s, t);
    int rc = ck_run(s);
    proc_out rm = proc_run("rm -rf %s", dir);
    proc_free(&rm);
    return rc;
}
