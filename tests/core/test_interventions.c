/* test_interventions.c -- experiments that clamp, silence and perturb named
 * circuit units and theta entries: silencing NCAP's oscillator is exactly
 * the `oscillator: false` ablation; silencing joint i's B-neurons stops its
 * motor; a theta clamp equals the same theta written by hand; windows start
 * and end where they say; noise is reproducible; bad targets are one-line
 * errors at check; interventions act during training too. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "proc.h"

static const char *exe, *dir;

#define SWIM                                                                                                     \
    "bodies:\n  swimmer: {plugin: swimmer, params: {n_bodies: 6}}\n"                                              \
    "circuits:\n  ncap: {plugin: ncap%s}\n"                                                                       \
    "wiring:\n  - swimmer.obs.joints -> ncap.in.joints\n  - ncap.out.muscles -> swimmer.act.motors\n"             \
    "run: {episodes: 2, seed: 3}\n"

/* Run the swimmer with extra circuit text and an interventions block; the
 * trace's data rows (comments dropped) are returned (caller frees). */
static char *trace_of(const char *ncap_extra, const char *ivs, const char *tag) {
    char text[4096], path[512];
    snprintf(text, sizeof text, SWIM "%s", ncap_extra, ivs);
    const char *f = proc_write(dir, "iv.yaml", text);
    proc_out p = proc_run("cd %s && %s run %s --quiet --trace %s.csv", dir, exe, f, tag);
    ck_assert_msg(p.status == 0, "%s: %s", tag, p.err);
    proc_free(&p);
    snprintf(path, sizeof path, "%s/%s.csv", dir, tag);
    char *s = proc_slurp(path);
    ck_assert_ptr_nonnull(s);
    char *out = calloc(strlen(s) + 1, 1), *o = out;
    for (char *line = s; line && *line;) {
        char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);
        if (line[0] != '#') memcpy(o, line, len), o += len;
        line = nl ? nl + 1 : NULL;
    }
    free(s);
    return out;
}

/* Column index of `name` in the header row of a trace, or -1. */
static int column(const char *rows, const char *name) {
    int col = 0;
    for (const char *p = rows; *p && *p != '\n'; col++) {
        size_t len = strcspn(p, ",\n");
        if (len == strlen(name) && !strncmp(p, name, len)) return col;
        p += len + (p[len] == ',');
    }
    return -1;
}

/* How many data rows have a non-zero value in column c. */
static int nonzero_rows(const char *rows, int c) {
    int n = 0;
    for (const char *line = strchr(rows, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
        const char *p = line + 1;
        for (int k = 0; k < c; k++) p = strchr(p, ',') + 1;
        n += strtod(p, NULL) != 0.0;
    }
    return n;
}

START_TEST(silencing_the_oscillator_is_the_ablation) {
    char *a = trace_of(", params: {oscillator: false}", "", "abl");
    char *b = trace_of("", "interventions:\n  - {target: ncap.unit.osc, do: silence}\n", "sil");
    char *c = trace_of("", "", "free");
    ck_assert_str_eq(a, b);
    ck_assert_str_ne(a, c);
    free(a), free(b), free(c);
}
END_TEST

/* The silencing example's header command: --set interventions[0].from=0
 * silences the oscillator from the start, which is the ablation bit for bit
 * (the same returns as oscillator: false with the intervention out of reach). */
START_TEST(set_list_index_on_the_example) {
    const char *src = getenv("ANIMAT_SRC");
    proc_out a = proc_run("%s run %s/examples/swimmer-ncap-silence.yaml --quiet --set 'interventions[0].from=0'", exe, src);
    proc_out b = proc_run("%s run %s/examples/swimmer-ncap-silence.yaml --quiet --set interventions[0].from=1000 "
                          "--set circuits.ncap.params.oscillator=false", exe, src);
    proc_out c = proc_run("%s run %s/examples/swimmer-ncap-silence.yaml --quiet", exe, src);
    ck_assert_msg(a.status == 0 && b.status == 0 && c.status == 0, "%s%s%s", a.err, b.err, c.err);
    *strchr(a.out, ';') = *strchr(b.out, ';') = *strchr(c.out, ';') = '\0'; /* drop the timing */
    ck_assert_str_eq(a.out, b.out);
    ck_assert_str_ne(a.out, c.out);
    proc_free(&a), proc_free(&b), proc_free(&c);
    a = proc_run("%s check %s/examples/swimmer-ncap-silence.yaml --set 'interventions[1].from=0'", exe, src);
    ck_assert_int_eq(a.status, 1);
    ck_assert_msg(strstr(a.err, "swimmer-ncap-silence.yaml:21:3: --set interventions[1].from: 'interventions' has 1 "
                                "item: index [1] is out of range"), "%s", a.err);
    proc_free(&a);
}
END_TEST

START_TEST(silencing_b_neurons_stops_their_joint) {
    char *c = trace_of("", "", "free2");
    char *b = trace_of("", "interventions:\n  - {target: 'ncap.unit.b[2].d', do: silence}\n"
                           "  - {target: 'ncap.unit.b[2].v', do: silence}\n", "b2");
    int k = column(b, "ncap.out.muscles[2]"), k1 = column(b, "ncap.out.muscles[1]");
    ck_assert_int_gt(k, 0);
    ck_assert_int_gt(nonzero_rows(c, k), 100); /* the joint moves when free */
    ck_assert_int_eq(nonzero_rows(b, k), 0);   /* and never when silenced */
    ck_assert_int_gt(nonzero_rows(b, k1), 100); /* its neighbour still does */
    free(b), free(c);
}
END_TEST

/* A theta clamp equals writing that theta by hand; after a window the run
 * is the free one again only in the rows before the window. */
START_TEST(theta_clamp_and_windows) {
    char *a = trace_of(", theta: [1, 0.5, 1, -1]", "", "hand");
    char *b = trace_of("", "interventions:\n  - {target: ncap.theta.w_osc, do: clamp, value: 0.5}\n", "clamp");
    ck_assert_str_eq(a, b);
    char *free_ = trace_of("", "", "free3");
    char *w = trace_of("", "interventions:\n  - {target: ncap.unit.osc, do: silence, from: 3.0, to: 6.0}\n", "win");
    /* rows of steps 0..99 (t < 3 s at 0.03 s per step) agree; step 100 differs */
    const char *pf = free_, *pw = w;
    for (int row = 0; row <= 100; row++) {
        pf = strchr(pf, '\n') + 1;
        pw = strchr(pw, '\n') + 1;
    }
    ck_assert_int_eq(memcmp(free_, w, (size_t)(pf - free_)), 0);
    ck_assert_str_ne(free_, w);
    free(a), free(b), free(free_), free(w);
}
END_TEST

START_TEST(noise_is_reproducible) {
    const char *iv = "interventions:\n  - {target: 'ncap.unit.m[0].d', do: noise, sigma: 0.3}\n";
    char *a = trace_of("", iv, "n1"), *b = trace_of("", iv, "n2"), *c = trace_of("", "", "n0");
    ck_assert_str_eq(a, b);
    ck_assert_str_ne(a, c);
    free(a), free(b), free(c);
}
END_TEST

/* One stderr line, exit 1, naming the item. */
static void expect_error(const char *ivs, const char *want) {
    char text[4096];
    snprintf(text, sizeof text, SWIM "%s", "", ivs);
    const char *f = proc_write(dir, "bad.yaml", text);
    proc_out p = proc_run("%s check %s", exe, f);
    ck_assert_msg(p.status == 1 && proc_lines(p.err) == 1, "status %d: %s", p.status, p.err);
    ck_assert_msg(strstr(p.err, want), "'%s' lacks '%s'", p.err, want);
    proc_free(&p);
}

START_TEST(bad_interventions) {
    expect_error("interventions:\n  - {target: ncap.unit.osx, do: silence}\n",
                 "bad.yaml:10:5: interventions[0]: circuit 'ncap' has no unit 'osx' (units: osc, b[0].d");
    expect_error("interventions:\n  - {target: ncap.theta.w_os, do: clamp, value: 1}\n",
                 "interventions[0]: circuit 'ncap' has no theta entry 'w_os'");
    expect_error("interventions:\n  - {target: swimmer.unit.x, do: silence}\n",
                 "interventions[0].target: 'swimmer' is not a circuit of this experiment");
    expect_error("interventions:\n  - {target: ncap.unit.osc, do: clamp}\n", "interventions[0]: do: clamp needs value");
    expect_error("interventions:\n  - {target: ncap.unit.osc, do: mute}\n",
                 "interventions[0].do: expected silence, clamp, perturb or noise");
    expect_error("interventions:\n  - {target: ncap.unit.osc, do: silence, from: 5, to: 2}\n",
                 "interventions[0]: from (5) must be before to (2)");
}
END_TEST

/* Interventions act during training: a silenced oscillator trains (and is
 * recorded in the parameter file's provenance). */
START_TEST(interventions_during_training) {
    char text[4096];
    snprintf(text, sizeof text,
             "bodies:\n  swimmer: {plugin: swimmer, params: {n_bodies: 6}}\n"
             "circuits:\n  ncap: {plugin: ncap, params: {init: random}}\n"
             "wiring:\n  - swimmer.obs.joints -> ncap.in.joints\n  - ncap.out.muscles -> swimmer.act.motors\n"
             "interventions:\n  - {target: ncap.unit.osc, do: silence}\n"
             "learner: {plugin: es, params: {population: 4}}\n"
             "train: {epochs: 2, output: ivt.params.yaml}\nrun: {max_steps: 100}\n");
    const char *f = proc_write(dir, "ivt.yaml", text);
    proc_out p = proc_run("cd %s && %s train %s --quiet", dir, exe, f);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char path[512];
    snprintf(path, sizeof path, "%s/ivt.params.yaml", dir);
    char *s = proc_slurp(path);
    ck_assert_msg(s && strstr(s, "# intervention: ncap.unit.osc silence"), "%s", s ? s : "(none)");
    free(s);
}
END_TEST

int main(void) {
    exe = getenv("ANIMAT_EXE");
    if (!exe) return 1;
    dir = proc_tmpdir();
    Suite *s = suite_create("interventions");
    TCase *t = tcase_create("interventions");
    tcase_set_timeout(t, 600);
    tcase_add_test(t, silencing_the_oscillator_is_the_ablation);
    tcase_add_test(t, set_list_index_on_the_example);
    tcase_add_test(t, silencing_b_neurons_stops_their_joint);
    tcase_add_test(t, theta_clamp_and_windows);
    tcase_add_test(t, noise_is_reproducible);
    tcase_add_test(t, bad_interventions);
    tcase_add_test(t, interventions_during_training);
    suite_add_tcase(s, t);
    return ck_run(s);
}
