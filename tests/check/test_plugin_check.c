/* test_plugin_check.c -- `animat plugin-check FILE.so`, end to end: every
 * shipped plugin passes every check (exit 0, "0 failed"); every deliberately
 * broken test plugin fails (exit 1) with the FAIL line of the right check;
 * and the validator itself is never killed by the plugin it checks. Runs the
 * real binary (prefixed by ANIMAT_WRAP, e.g. valgrind, when set). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ck_run.h"
#include "proc.h"

static const char *exe, *broken_dir;
static int wrapped; /* running under ANIMAT_WRAP: allow slow checks */

/* Shipped plugins: an environment variable naming the file, or a file in
 * the broken-plugin build folder (test-only valid plugins). */
static const struct {
    const char *env, *file;
} shipped[] = {
    {"SWIMMER_SO", NULL}, {"NCAP_SO", NULL},    {"MLP_SO", NULL},   {"ES_SO", NULL},
    {"CMAES_SO", NULL},   {"HEBBIAN_SO", NULL}, {NULL, "dummy.so"}, {NULL, "funcbody.so"},
    {"RANDOM_SO", NULL},
    {"ELM_SO", NULL},     {"DELAYCUE_SO", NULL},
};

/* Broken plugins and what their report must say. */
static const struct {
    const char *file, *line, *detail;
} broken[] = {
    {"bad_abi_major.so", "FAIL  load: ", "ABI 99.3"},
    {"bad_abi_minor.so", "FAIL  load: ", "newer than this host's"},
    {"no_entry.so", "FAIL  load: ", "no 'animat_entry' symbol"},
    {"null_step.so", "FAIL  load: ", "required function 'step' is NULL"},
    {"bad_default.so", "FAIL  load: ", "default 5 is outside [0, 2]"},
    {"bad_sizeof.so", "FAIL  load: ", "sizeof(double)=4"},
    {"truncated.so", "FAIL  load: ", "struct_size 8 is smaller"},
    {"dup_param.so", "FAIL  load: ", "'gain' declared twice"},
    {"huge_port.so", "FAIL  huge-port: ports: ", "size 1073741824"},
    {"huge_alloc.so", "FAIL  huge-alloc: ports: ", "asked the host for an impossible 1099511627776 bytes"},
    {"nan_obs.so", "FAIL  nan-obs: finite: ", "observation y[0] is not finite (NaN) at step 3"},
    {"inf_reward.so", "FAIL  inf-reward: finite: ", "reward is not finite (+Inf) at step 3"},
    {"segv.so", "FAIL  segv: finite: ", "crashed with SIGSEGV (signal 11)"},
    {"hang.so", "FAIL  hang: finite: ", "did not finish within 10 s (hang)"},
    {"nondet.so", "FAIL  nondet: determinism: ", "differs at step"},
    {"leak.so", "FAIL  leak: leak: ", "heap in use grew by"},
    {"step_error.so", "FAIL  step-error: finite: ", "step 5 returned ANIMAT_ERROR on inputs in [-1, 1]: boom"},
    {"step_alloc.so", "FAIL  step-alloc: alloc: ",
     "400 allocator calls (malloc/calloc/realloc/free) during 200 steps, the first in step 1"},
    {"step_leak.so", "FAIL  step-leak: growth: ", "over 5000 steps"},
    {"overrun.so", "FAIL  overrun: bounds: ", "step 3 wrote past the end of observation port 'y' (size 1)"},
    {"static_state.so", "FAIL  static-state: threads: ",
     "instance A (seed 1) stepped alternately with the other instance on one thread"},
    {"static_theta.so", "FAIL  static-theta: threads: ",
     "instance A (seed 1) stepped alternately with the other instance on one thread, against its run alone"},
    {"port_change.so", "FAIL  port-change: ports-stable: ",
     "after step 1: observation port 'y' has size 2 flags 0, but create reported size 1"},
    {"ctor_abort.so", "FAIL  load: ", "ctor_abort.so: loading it killed the process with SIGABRT"},
    {"forks.so", "FAIL  forks: ports: ", "the plugin started a child process (fork)"},
    {"sigint.so", "FAIL  sigint: ports: ", "the plugin changed the handling of SIGINT (now ignored)"},
    {"umask.so", "FAIL  umask: ports: ", "to 777 (files animat writes would get other permissions)"},
    {"closes_stdout.so", "FAIL  closes-stdout: ports: ", "the plugin closed stdout (fd 1)"},
    {"cross_write.so", "FAIL  cross-write: bounds: ",
     "step 1 of one instance changed another instance's observation port 'y'[0]"},
    {"reserved_port.so", "FAIL  reserved-port: ports: ", "port 0 'u': animat_port_info.reserved is 7 (must be 0)"},
    {"bounds_inverted.so", "FAIL  bounds-inverted: extensions: ",
     "animat.ports/1: action port 'u': element 0: lower bound 1 > upper bound -1"},
    {"bounds_nan.so", "FAIL  bounds-nan: extensions: ", "element 0: a bound is NaN"},
    {"state_lossy.so", "FAIL  state-lossy: state: ",
     "animat.state/1: saved after step 50, loaded back into the instance (steps counted from the save): "
     "observation y[0] differs at step 1 (57.082950049079955 vs 107.08295004907995)"},
    {"stale_units.so", "FAIL  stale-units: extensions: ",
     "animat.units/1: unit 0 (count) reads "},
};

/* Path of shipped plugin i (static storage). */
static const char *shipped_path(int i) {
    static char buf[4096];
    if (shipped[i].env) {
        const char *p = getenv(shipped[i].env);
        ck_assert_msg(p && *p, "%s is not set", shipped[i].env);
        return p;
    }
    snprintf(buf, sizeof buf, "%s/%s", broken_dir, shipped[i].file);
    return buf;
}

/* Every check of a shipped plugin passes. */
START_TEST(shipped_pass) {
    const char *path = shipped_path(_i);
    proc_out p = proc_run("%s plugin-check %s%s", exe, path, wrapped ? " --timeout 300" : "");
    ck_assert_msg(!p.signaled, "%s: plugin-check crashed: %.1500s", path, p.err);
    ck_assert_msg(p.status == 0, "%s: exit %d\n%.1500s%.1500s", path, p.status, p.out, p.err);
    ck_assert_msg(strstr(p.out, "PASS  load: handshake ABI 1.3, sizeof(double)=8, sizeof(size_t)=8"),
                  "%s: no load line:\n%.2000s", path, p.out);
    ck_assert_msg(strstr(p.out, ": leak: 100 create/destroy cycles"), "%s: no leak line:\n%.2000s", path, p.out);
    /* under valgrind (ANIMAT_WRAP) allocator calls cannot be counted: that SKIP only */
    const char *skip = strstr(p.out, "SKIP");
    if (wrapped && skip && strstr(skip, ": alloc: allocator calls cannot be counted: running under valgrind"))
        skip = strstr(skip + 4, "SKIP");
    ck_assert_msg(!strstr(p.out, "FAIL") && !skip, "%s:\n%.2000s", path, p.out);
    ck_assert_msg(strstr(p.out, "\nplugin-check: ") && strstr(p.out, " passed, 0 failed\n"), "%s:\n%.2000s", path,
                  p.out);
    /* bodies and circuits: the step rules were checked, each on its own line */
    static const char *const rules[] = {": alloc: 200 steps: no malloc", ": growth: 5000 steps after 200 warm-up",
                                        ": bounds: 2 instances, reset and ", ": threads: instances with seeds 1 and 2",
                                        ": ports-stable: ports (and theta length)"};
    for (size_t k = wrapped ? 1 : 0; strstr(p.out, ": ports: ") && k < sizeof rules / sizeof rules[0]; k++)
        ck_assert_msg(strstr(p.out, rules[k]), "%s: no '%s' line:\n%.3000s", path, rules[k], p.out);
    proc_free(&p);
}
END_TEST

/* Each broken plugin fails, naming the check and the defect, and the
 * validator exits 1 on its own (not killed, no hang). */
START_TEST(broken_fail) {
    proc_out p = proc_run("%s plugin-check %s/%s", exe, broken_dir, broken[_i].file);
    ck_assert_msg(!p.signaled, "%s: plugin-check itself crashed: %.1500s", broken[_i].file, p.err);
    ck_assert_msg(p.status == 1, "%s: exit %d (want 1)\n%.1500s%.1500s", broken[_i].file, p.status, p.out, p.err);
    char want[512];
    snprintf(want, sizeof want, "%s", broken[_i].line);
    const char *line = strstr(p.out, want);
    ck_assert_msg(line, "%s: no '%s' line:\n%.2000s", broken[_i].file, want, p.out);
    const char *eol = strchr(line, '\n');
    ck_assert_msg(eol && strstr(line, broken[_i].detail) && strstr(line, broken[_i].detail) < eol,
                  "%s: the FAIL line lacks '%s':\n%.2000s", broken[_i].file, broken[_i].detail, p.out);
    ck_assert_msg(strstr(p.out, "\nplugin-check: ") || !strncmp(p.out, "plugin-check: ", 14),
                  "%s: no summary:\n%.2000s", broken[_i].file, p.out);
    ck_assert_msg(!strstr(p.out, " passed, 0 failed"), "%s:\n%.2000s", broken[_i].file, p.out);
    /* a load failure stops everything else */
    if (!strncmp(broken[_i].line, "FAIL  load", 10))
        ck_assert_msg(!strcmp(strchr(p.out, '\n') + 1, "plugin-check: 0 passed, 1 failed\n"), "%s:\n%.2000s",
                      broken[_i].file, p.out);
    proc_free(&p);
}
END_TEST

/* A plugin that forks 20 sleepers: every check ends when its own process
 * does (the sleepers, its process group, are killed), not at the timeout
 * (took 68 s with --timeout 5); a chatty one's output is cut per check. */
START_TEST(forks_and_chatter_bounded) {
    time_t t0 = time(NULL);
    proc_out p = proc_run("%s plugin-check %s/forks.so --timeout 5", exe, broken_dir);
    time_t took = time(NULL) - t0;
    ck_assert_msg(p.status == 1 && !strstr(p.out, "hang"), "%d\n%.3000s", p.status, p.out);
    ck_assert_msg(took < 15, "took %ld s", (long)took);
    ck_assert_msg(strstr(p.out, "FAIL  forks: leak: the plugin started a child process"), "%.3000s", p.out);
    proc_free(&p);
    /* and none of the sleepers outlives its check (they would sleep 30 s) */
    p = proc_run("pgrep -f '[p]lugin-check %s/forks.so --timeout 5'", broken_dir); /* [p]: not this shell */
    ck_assert_msg(p.status == 1, "sleepers left: %s", p.out);
    proc_free(&p);
    p = proc_run("%s plugin-check %s/chatty.so", exe, broken_dir);
    ck_assert_msg(p.status == 0, "%d\n%.3000s", p.status, p.err);
    ck_assert_msg(strlen(p.out) < 1000000, "%zu bytes of output", strlen(p.out));
    ck_assert_msg(strstr(p.out, "      | xxxxxxxx"), "%.3000s", p.out);
    ck_assert_msg(strstr(p.out, "      ... output cut (the check wrote more than 65536 bytes)"), "%.3000s", p.out);
    proc_free(&p);
}
END_TEST

/* A crash fails only the checks that crashed: the others still run. */
START_TEST(crash_is_contained) {
    proc_out p = proc_run("%s plugin-check %s/segv.so", exe, broken_dir);
    ck_assert_int_eq(p.status, 1);
    ck_assert_ptr_nonnull(strstr(p.out, "PASS  segv: ports: "));
    ck_assert_ptr_nonnull(strstr(p.out, "PASS  segv: leak: "));
    ck_assert_ptr_nonnull(strstr(p.out, "plugin-check: 5 passed, 1 failed\n"));
    proc_free(&p);
}
END_TEST

/* Bad usage exits 2 with a usage line on stderr. */
START_TEST(usage_errors) {
    const char *args[] = {"",          "--seed",           "a.so --seed x", "a.so --bogus", "a.so b.so", "a.so --timeout 0",
                          "a.so --set", "a.so --set gain", "a.so --set =1",  "a.so --set gain="};
    for (size_t i = 0; i < sizeof args / sizeof args[0]; i++) {
        proc_out p = proc_run("%s plugin-check %s", exe, args[i]);
        ck_assert_msg(p.status == 2, "'%s': exit %d", args[i], p.status);
        ck_assert_msg(strstr(p.err, "usage: animat plugin-check"), "'%s': %.1500s", args[i], p.err);
        proc_free(&p);
    }
    /* a missing file is a load failure, not a usage error */
    proc_out p = proc_run("%s plugin-check /nonexistent/x.so", exe);
    ck_assert_int_eq(p.status, 1);
    ck_assert_ptr_nonnull(strstr(p.out, "FAIL  load: /nonexistent/x.so: no such plugin file"));
    proc_free(&p);
}
END_TEST

/* --quiet keeps FAIL lines and the summary; --seed changes nothing for a
 * deterministic plugin. */
START_TEST(quiet_and_seed) {
    proc_out p = proc_run("%s plugin-check %s/dummy.so --quiet --seed 12345", exe, broken_dir);
    ck_assert_int_eq(p.status, 0);
    ck_assert_str_eq(p.out, "plugin-check: 14 passed, 0 failed\n");
    proc_free(&p);
    p = proc_run("%s plugin-check %s/nan_obs.so --quiet", exe, broken_dir);
    ck_assert_int_eq(p.status, 1);
    ck_assert_int_eq(proc_lines(p.out), 2);
    ck_assert_ptr_nonnull(strstr(p.out, "FAIL  nan-obs: finite: "));
    proc_free(&p);
    p = proc_run("%s plugin-check %s/dummy.so --seed 7", exe, broken_dir);
    ck_assert_ptr_nonnull(strstr(p.out, "two instances with seed 7: 200 steps bit-identical"));
    proc_free(&p);
}
END_TEST

/* --set NAME=VALUE: every check runs at those values; a bad name or value
 * is one line on stderr and exit 2, before any check. */
START_TEST(set_params) {
    const char *random = getenv("RANDOM_SO");
    ck_assert_ptr_nonnull(random);
    proc_out p = proc_run("%s plugin-check %s --set size=5", exe, random);
    ck_assert_msg(p.status == 0, "exit %d\n%.2000s%.500s", p.status, p.out, p.err);
    ck_assert_msg(strstr(p.out, "PASS  random: ports: created at the --set parameters (wired_size answers 3); 0 input "
                                "ports (0 values), 1 output port (5 values)"),
                  "%.2000s", p.out);
    ck_assert_ptr_nonnull(strstr(p.out, "the --set values resolve; every check runs at them"));
    ck_assert_ptr_nonnull(strstr(p.out, " passed, 0 failed\n"));
    proc_free(&p);
    static const struct {
        const char *args, *err;
    } bad[] = {
        {"--set gain=7", "plugin-check: --set gain=7: params.gain: 7 is out of range [0, 2] (plugin dummy)\n"},
        {"--set gain=1 --set foo=1",
         "plugin-check: --set foo=1: params: unknown parameter 'foo' for plugin dummy (known: gain)\n"},
        {"--set gain=x", "plugin-check: --set gain=x: params.gain: expected a number, got 'x'\n"},
        {"--set gain=1 --set gain=0.5", "plugin-check: --set (all): duplicate key 'gain'\n"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        p = proc_run("%s plugin-check %s/dummy.so %s", exe, broken_dir, bad[i].args);
        ck_assert_msg(p.status == 2, "'%s': exit %d", bad[i].args, p.status);
        ck_assert_str_eq(p.err, bad[i].err);
        ck_assert_str_eq(p.out, "");
        proc_free(&p);
    }
}
END_TEST

int main(void) {
    static char wrapped_exe[2048];
    const char *wrap = getenv("ANIMAT_WRAP");
    exe = getenv("ANIMAT_EXE");
    broken_dir = getenv("BROKEN_DIR");
    if (!exe || !broken_dir) {
        fprintf(stderr, "set ANIMAT_EXE and BROKEN_DIR\n");
        return 1;
    }
    if (wrap && *wrap) {
        snprintf(wrapped_exe, sizeof wrapped_exe, "%s %s", wrap, exe);
        exe = wrapped_exe;
        wrapped = 1;
    }
    Suite *s = suite_create("check");
    TCase *t = tcase_create("plugin_check");
    tcase_set_timeout(t, 300);
    tcase_add_loop_test(t, shipped_pass, 0, (int)(sizeof shipped / sizeof shipped[0]));
    tcase_add_loop_test(t, broken_fail, 0, (int)(sizeof broken / sizeof broken[0]));
    tcase_add_test(t, crash_is_contained);
    tcase_add_test(t, usage_errors);
    tcase_add_test(t, quiet_and_seed);
    tcase_add_test(t, forks_and_chatter_bounded);
    tcase_add_test(t, set_params);
    suite_add_tcase(s, t);
    return ck_run(s);
}
