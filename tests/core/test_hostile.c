/* test_hostile.c -- small hostile inputs: a theta file that is not one
 * (its text is never quoted back), recordings whose description lies (NaN
 * or negative dt, every 0, element names that do not match the data) are
 * refused by every reader in one line, `animat check` notes interventions
 * that never act or overlap, and control characters in provenance are
 * escaped in every comment header. */
#include <check.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/h5util.h"
#include "ck_run.h"
#include "proc.h"

static const char *exe, *src;

#define EXP "body:\n  plugin: swimmer\ncircuit:\n  plugin: ncap\n" \
            "wiring:\n  - body.obs.joints -> circuit.in.joints\n  - circuit.out.muscles -> body.act.motors\n" \
            "run:\n  max_steps: 20\n"

/* A file that does not parse as a parameter file: the error names file,
 * line and column but never quotes the text (theta_file: /etc/shadow). */
START_TEST(theta_file_not_quoted) {
    const char *dir = proc_tmpdir();
    static const char *const texts[] = {
        "root:$6$SECRET:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n",
        "SECRET: 1\ntheta: [1, 1, 1, -1]\n",
        "theta: [1, 1, 1, -1]\nSECRET: x\n",
        "SECRET: {a: 1}\n",
    };
    proc_write(dir, "x.yaml", EXP);
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        proc_write(dir, "shadow", texts[i]);
        proc_out p = proc_run("cd %s && %s check x.yaml --theta shadow", dir, exe);
        ck_assert_msg(p.status == 1 && proc_lines(p.err) == 1, "%zu: %d %s", i, p.status, p.err);
        ck_assert_msg(strstr(p.err, "shadow:") != NULL, "%zu: %s", i, p.err);
        ck_assert_msg(!strstr(p.err, "SECRET") && !strstr(p.err, "root") && !strstr(p.err, "19000"), "%zu: quoted: %s",
                      i, p.err);
        proc_free(&p);
    }
}
END_TEST

/* Replace root attribute (or, with `ds`, dataset attribute) `name` of
 * recording h5: a double, a uint64, or two strings. */
static void put_attr(const char *h5, const char *ds, const char *name, char type, double v) {
    hid_t f = H5Fopen(h5, H5F_ACC_RDWR, H5P_DEFAULT);
    ck_assert_int_ge(f, 0);
    hid_t o = ds ? H5Dopen2(f, ds, H5P_DEFAULT) : f;
    ck_assert_int_ge(o, 0);
    ck_assert_int_ge(H5Adelete(o, name), 0);
    errmsg e;
    static const char *const two[] = {"a", "b"};
    int rc = type == 'd' ? h5util_put_f64(o, name, v, &e)
             : type == 'u' ? h5util_put_u64(o, name, (uint64_t)v, &e)
                           : h5util_put_strs(o, name, two, 2, &e);
    ck_assert_int_eq(rc, 0);
    if (ds) H5Dclose(o);
    H5Fclose(f);
}

/* plot, report and rerun each refuse a recording with a lying
 * description: exit 1, one line naming the file and what is wrong. */
START_TEST(recording_description_checked) {
    const char *dir = proc_tmpdir();
    proc_write(dir, "x.yaml", EXP);
    static const struct {
        const char *ds, *name;
        char type;
        double v;
        const char *want;
    } c[] = {
        {NULL, "dt", 'd', NAN, "dt is nan, not a positive number of seconds"},
        {NULL, "dt", 'd', -0.03, "dt is -0.03, not a positive number of seconds"},
        {NULL, "every", 'u', 0, "every (the sampling interval) is not a whole number >= 1"},
        {"signals/body.obs.joints", "names", 's', 0, "signal body.obs.joints has 2 element names for 5 elements"},
    };
    for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
        proc_out p = proc_run("cd %s && rm -f r.h5 && %s run x.yaml --quiet --record r.h5", dir, exe);
        ck_assert_msg(p.status == 0, "%s", p.err);
        proc_free(&p);
        char h5[600];
        snprintf(h5, sizeof h5, "%s/r.h5", dir);
        put_attr(h5, c[i].ds, c[i].name, c[i].type, c[i].v);
        static const char *const cmds[] = {"plot r.h5 activity -o a.svg", "report r.h5 -o r.html --quiet", "rerun r.h5"};
        for (int k = 0; k < 3; k++) {
            p = proc_run("cd %s && %s %s", dir, exe, cmds[k]);
            ck_assert_msg(p.status == 1 && proc_lines(p.err) == 1, "%s (%s): %d %s", cmds[k], c[i].want, p.status,
                          p.err);
            ck_assert_msg(strstr(p.err, "error: r.h5: damaged recording: ") && strstr(p.err, c[i].want), "%s: %s",
                          cmds[k], p.err);
            proc_free(&p);
        }
    }
}
END_TEST

/* check notes an intervention that never acts and two that overlap. */
START_TEST(intervention_notes) {
    const char *dir = proc_tmpdir();
    proc_write(dir, "iv.yaml",
               EXP "interventions:\n"
                   "  - {target: circuit.theta.w_osc, do: clamp, value: 0, from: 0.1, to: 0.3}\n"
                   "  - {target: circuit.theta.w_osc, do: clamp, value: 1, from: 0.2}\n"
                   "  - {target: circuit.theta.w_prop, do: clamp, value: 1, from: 10}\n"
                   "  - {target: circuit.theta.w_prop, do: clamp, value: 1, from: 0.01, to: 0.02}\n"
                   "  - {target: circuit.theta.w_prop, do: clamp, value: 1, from: 0, to: 0.3}\n"
                   "  - {target: circuit.theta.w_prop, do: clamp, value: 1, from: 0.3}\n");
    proc_out p = proc_run("cd %s && %s check iv.yaml", dir, exe);
    ck_assert_msg(p.status == 0, "%s", p.err);
    const char *want =
        "note: interventions[0] and interventions[1] both act on circuit.theta.w_osc at the same time; they are "
        "applied in list order\n"
        "note: interventions[2] (circuit.theta.w_prop) never acts: it starts at 10 s, after the last control step "
        "(run.max_steps 20 x 0.03 s)\n"
        "note: interventions[3] (circuit.theta.w_prop) never acts: no control step starts in [0.01, 0.02) s (steps "
        "are 0.03 s apart)\n";
    const char *notes = strstr(p.out, "\nnote: ");
    ck_assert_ptr_nonnull(notes);
    ck_assert_str_eq(notes + 1, want);
    proc_free(&p);
}
END_TEST

/* A CR or ESC on the command line reaches the provenance header escaped. */
START_TEST(provenance_escaped) {
    const char *dir = proc_tmpdir();
    proc_write(dir, "x.yaml", EXP);
    proc_out p = proc_run("cd %s && f=\"e$(printf 'a\\rb\\033[2Jc').yaml\" && cp x.yaml \"$f\" && "
                          "%s run \"$f\" --quiet --trace t.csv >/dev/null && "
                          "grep -c \"$(printf '[\\r\\033]')\" t.csv; grep -c 'ea\\\\x0db\\\\x1b\\[2Jc' t.csv",
                          dir, exe);
    ck_assert_msg(!strncmp(p.out, "0\n", 2), "raw control characters in t.csv: %s %s", p.out, p.err);
    ck_assert_msg(atoi(p.out + 2) >= 1, "escaped text missing: %s", p.out);
    proc_free(&p);
}
END_TEST

int main(void) {
    exe = getenv("ANIMAT_EXE");
    src = getenv("ANIMAT_SRC");
    if (!exe || !src) return 1;
    Suite *s = suite_create("hostile");
    TCase *t = tcase_create("hostile");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, theta_file_not_quoted);
    tcase_add_test(t, recording_description_checked);
    tcase_add_test(t, intervention_notes);
    tcase_add_test(t, provenance_escaped);
    suite_add_tcase(s, t);
    return ck_run(s);
}
