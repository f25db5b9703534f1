/* test_cli.c -- the `animat` command line, end to end: every error is one
 * line naming file:line:col and key (or plugin and reason) with exit status
 * 1; commands print what they promise. Runs the real binary. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ck_run.h"
#include "proc.h"

static const char *exe, *broken, *src;
/* The binary without ANIMAT_WRAP: for cases that print fixed text only
 * (help), where a memory checker finds nothing but costs seconds a call. */
static const char *plain_exe;
static const char *dir;

/* A valid experiment; tests break one thing at a time. */
#define OK_BODY "body:\n  plugin: swimmer\n  params:\n    n_bodies: 6\n"
#define OK_CIRCUIT "circuit:\n  plugin: ncap\n"
#define OK_WIRING "wiring:\n  - body.obs.joints -> circuit.in.joints\n  - circuit.out.muscles -> body.act.motors\n"

/* Run `animat ARGS` on a file with the given text; returns its output. */
static proc_out run_text(const char *args, const char *text) {
    const char *path = proc_write(dir, "exp.yaml", text);
    return proc_run("%s %s %s", exe, args, path);
}

/* Assert: exit 1, not a crash, exactly one stderr line containing `want`. */
static void expect_error(proc_out *p, const char *want) {
    ck_assert_msg(!p->signaled, "crashed: %s", p->err);
    ck_assert_int_eq(p->status, 1);
    ck_assert_int_eq(proc_lines(p->err), 1);
    ck_assert_msg(strstr(p->err, want), "stderr '%s' lacks '%s'", p->err, want);
    ck_assert_msg(strncmp(p->err, "error: ", 7) == 0, "stderr '%s' lacks the error: prefix", p->err);
    proc_free(p);
}

/* The expected "FILE:L:C:" prefix for exp.yaml. */
static const char *at(int line, int col) {
    static char buf[256];
    snprintf(buf, sizeof buf, "error: %s/exp.yaml:%d:%d: ", dir, line, col);
    return buf;
}

START_TEST(unknown_plugin) {
    proc_out p = run_text("run", "body:\n  plugin: swimer\n" OK_CIRCUIT OK_WIRING);
    ck_assert_ptr_nonnull(strstr(p.err, at(2, 11)));
    expect_error(&p, "body.plugin: unknown body plugin 'swimer' (available: ");
}
END_TEST

START_TEST(wrong_kind) {
    proc_out p = run_text("check", "body:\n  plugin: ncap\n" OK_CIRCUIT OK_WIRING);
    expect_error(&p, "body.plugin: plugin 'ncap' is a circuit, not a body");
}
END_TEST

/* Experiment using one of the broken test plugins as its body. */
static proc_out run_broken(const char *cmd, const char *so) {
    char text[2048];
    snprintf(text, sizeof text,
             "body:\n  plugin: %s/%s.so\ncircuit:\n  plugin: ncap\nwiring:\n"
             "  - body.obs.y -> circuit.in.joints\n  - circuit.out.muscles -> body.act.u\nrun:\n  max_steps: 20\n",
             broken, so);
    return run_text(cmd, text);
}

START_TEST(abi_major) {
    proc_out p = run_broken("check", "bad_abi_major");
    expect_error(&p, "bad_abi_major.so: built for animat ABI 99.3, this host speaks ABI 1.3 (major versions must match");
}
END_TEST

START_TEST(abi_minor_newer) {
    proc_out p = run_broken("check", "bad_abi_minor");
    expect_error(&p, "bad_abi_minor.so: built for animat ABI 1.4, newer than this host's 1.3 (upgrade animat)");
}
END_TEST

START_TEST(no_entry) {
    proc_out p = run_broken("check", "no_entry");
    expect_error(&p, "no_entry.so: not an animat plugin: no 'animat_entry' symbol exported");
}
END_TEST

START_TEST(null_function) {
    proc_out p = run_broken("check", "null_step");
    expect_error(&p, "plugin 'null-step': required function 'step' is NULL");
}
END_TEST

START_TEST(bad_default) {
    proc_out p = run_broken("check", "bad_default");
    expect_error(&p, "parameter 'gain' default 5 is outside [0, 2]");
}
END_TEST

START_TEST(bad_sizeof) {
    proc_out p = run_broken("check", "bad_sizeof");
    expect_error(&p, "built with sizeof(double)=4");
}
END_TEST

START_TEST(missing_plugin_file) {
    proc_out p = run_text("check", "body:\n  plugin: ./nope/none.so\n" OK_CIRCUIT OK_WIRING);
    expect_error(&p, "none.so: no such plugin file");
}
END_TEST

START_TEST(unknown_top_key) {
    proc_out p = run_text("check", OK_BODY OK_CIRCUIT OK_WIRING "rnu:\n  episodes: 2\n");
    ck_assert_ptr_nonnull(strstr(p.err, at(10, 1)));
    expect_error(&p, "unknown key 'rnu' (expected one of: name, description, body, circuit, wiring, run, record, learner, train, bodies, circuits, theta_file, interventions, arena)");
}
END_TEST

START_TEST(unknown_param) {
    proc_out p = run_text("check", "body:\n  plugin: swimmer\n  params:\n    n_bodes: 6\n" OK_CIRCUIT OK_WIRING);
    ck_assert_ptr_nonnull(strstr(p.err, at(4, 5)));
    expect_error(&p, "body.params: unknown parameter 'n_bodes' for plugin swimmer (known: n_bodies,");
}
END_TEST

START_TEST(mistyped_value) {
    proc_out p = run_text("check", "body:\n  plugin: swimmer\n  params:\n    n_bodies: six\n" OK_CIRCUIT OK_WIRING);
    ck_assert_ptr_nonnull(strstr(p.err, at(4, 15)));
    expect_error(&p, "body.params.n_bodies: expected an integer, got 'six'");
}
END_TEST

START_TEST(mistyped_bool_and_choice) {
    proc_out p = run_text("check", OK_BODY "circuit:\n  plugin: ncap\n  params:\n    shared: maybe\n" OK_WIRING);
    ck_assert_ptr_nonnull(strstr(p.err, at(8, 13)));
    expect_error(&p, "circuit.params.shared: expected true or false, got 'maybe'");
    p = run_text("check", OK_BODY "circuit:\n  plugin: ncap\n  params:\n    init: randon\n" OK_WIRING);
    expect_error(&p, "circuit.params.init: 'randon' is not one of default|random|random_sign (plugin ncap)");
}
END_TEST

START_TEST(out_of_range) {
    proc_out p = run_text("check", "body:\n  plugin: swimmer\n  params:\n    n_bodies: 40\n" OK_CIRCUIT OK_WIRING);
    ck_assert_ptr_nonnull(strstr(p.err, at(4, 15)));
    expect_error(&p, "body.params.n_bodies: 40 is out of range [3, 16] (plugin swimmer)");
    p = run_text("check", "body:\n  plugin: swimmer\n  params:\n    density: 1e999\n" OK_CIRCUIT OK_WIRING);
    expect_error(&p, "body.params.density: 1e999 is out of range [0, 100000] (plugin swimmer)");
}
END_TEST

START_TEST(size_mismatch) {
    proc_out p = run_text("check", OK_BODY "circuit:\n  plugin: ncap\n  params:\n    n_joints: 5\n"
                                   "wiring:\n  - body.obs.obs -> circuit.in.joints\n  - circuit.out.muscles -> body.act.motors\n");
    ck_assert_ptr_nonnull(strstr(p.err, at(10, 5)));
    expect_error(&p, "wiring[0]: size mismatch: body.obs.obs has 23 values but circuit.in.joints takes 5");
}
END_TEST

START_TEST(unknown_port) {
    proc_out p = run_text("check", OK_BODY OK_CIRCUIT "wiring:\n  - body.obs.jionts -> circuit.in.joints\n");
    expect_error(&p, "wiring[0]: body plugin 'swimmer' has no obs port 'jionts' (it has: joints, velocities, obs, speed, position)");
}
END_TEST

START_TEST(bad_wiring_shapes) {
    proc_out p = run_text("check", OK_BODY OK_CIRCUIT "wiring:\n  - body.obs.joints => circuit.in.joints\n");
    expect_error(&p, "wiring[0]: 'body.obs.joints => circuit.in.joints' is not of the form \"SRC -> DST\"");
    p = run_text("check", OK_BODY OK_CIRCUIT "wiring:\n  - circuit.in.joints -> body.act.motors\n");
    expect_error(&p, "wiring[0]: source 'circuit.in.joints' is an input");
    p = run_text("check", OK_BODY OK_CIRCUIT "wiring:\n  - circuit.out.muscles -> circuit.in.joints\n");
    expect_error(&p, "feeds its own circuit (a cycle");
    p = run_text("check", OK_BODY OK_CIRCUIT "wiring:\n  - body.obs.joints -> circuit.in.joints\n  - body.obs.obs -> circuit.in.joints\n");
    expect_error(&p, "wiring[1]: 'circuit.in.joints' is already fed by wiring[0]");
    p = run_text("check", OK_BODY OK_CIRCUIT "wiring: 3\n");
    expect_error(&p, "wiring: expected a non-empty list");
}
END_TEST

START_TEST(bad_yaml) {
    proc_out p = run_text("check", "body: [\n");
    expect_error(&p, "invalid YAML");
    p = run_text("check", "");
    expect_error(&p, "exp.yaml: the file is empty (an experiment needs body, circuit and wiring");
    p = run_text("check", "- a\n- b\n");
    expect_error(&p, "an experiment must be a mapping");
    p = run_text("check", OK_BODY "body:\n  plugin: swimmer\n");
    expect_error(&p, "duplicate key 'body'");
    p = run_text("check", "\x01\x02\xff\xfe garbage");
    expect_error(&p, "exp.yaml");
    p = proc_run("%s check %s/does-not-exist.yaml", exe, dir);
    expect_error(&p, "does-not-exist.yaml: cannot open: No such file or directory");
}
END_TEST

START_TEST(run_block_errors) {
    proc_out p = run_text("check", OK_BODY OK_CIRCUIT OK_WIRING "run:\n  episodes: 0\n");
    expect_error(&p, "run.episodes: 0 is out of range [1, 1000000000]");
    p = run_text("check", OK_BODY OK_CIRCUIT OK_WIRING "run:\n  seed: -3\n");
    expect_error(&p, "run.seed: expected a whole number >= 0, got '-3'");
    p = run_text("check", OK_BODY OK_CIRCUIT OK_WIRING "run:\n  seed: 99999999999999999999999\n");
    expect_error(&p, "run.seed: 99999999999999999999999 is out of range [0, 18446744073709551615]");
}
END_TEST

START_TEST(theta_errors) {
    proc_out p = run_text("check", OK_BODY "circuit:\n  plugin: ncap\n  theta: [1, 1, 1]\n" OK_WIRING);
    expect_error(&p, "circuit.theta: has 3 values but circuit 'ncap' has 4 parameters");
    p = run_text("check", OK_BODY "circuit:\n  plugin: ncap\n  theta: [1, x, 1, 1]\n" OK_WIRING);
    expect_error(&p, "circuit.theta[1]: expected a finite number");
}
END_TEST

START_TEST(theta_from_pipe) {
    /* bash's <(...) is a pipe whose writer may come late: it must read */
    const char *path = proc_write(dir, "exp.yaml", OK_BODY OK_CIRCUIT OK_WIRING);
    proc_out p =
        proc_run("bash -c \"%s check %s --theta <(sleep 0.2; printf 'theta: [2, 1, 1, -1]\\\\n')\"", exe, path);
    ck_assert_msg(p.status == 0 && strstr(p.out, "ok: "), "status %d: %s", p.status, p.err);
    proc_free(&p);
    p = proc_run("bash -c \"%s check %s --theta <(printf 'theta: [2, 1]')\"", exe, path);
    expect_error(&p, "has 2 values");
}
END_TEST

START_TEST(set_override) {
    proc_out p = run_text("check --set body.params.n_bodies=99", OK_BODY OK_CIRCUIT OK_WIRING);
    expect_error(&p, "--set body.params.n_bodies: body.params.n_bodies: 99 is out of range [3, 16]");
    p = run_text("check --set body.params.n_bodies=9 --set circuit.theta=[2,1,1,-1]", OK_BODY OK_CIRCUIT OK_WIRING);
    ck_assert_int_eq(p.status, 0);
    ck_assert_ptr_nonnull(strstr(p.out, "ok: "));
    proc_free(&p);
    p = run_text("check --set oops", OK_BODY OK_CIRCUIT OK_WIRING);
    expect_error(&p, "--set oops: expected KEY=VALUE");
}
END_TEST

START_TEST(usage_errors) {
    proc_out p = proc_run("%s frobnicate", exe);
    ck_assert_int_eq(p.status, 2);
    ck_assert_ptr_nonnull(strstr(p.err, "unknown command 'frobnicate'"));
    proc_free(&p);
    p = proc_run("%s run", exe);
    ck_assert_int_eq(p.status, 2);
    ck_assert_ptr_nonnull(strstr(p.err, "run needs an experiment FILE"));
    proc_free(&p);
    p = proc_run("%s run x.yaml --episodes", exe);
    ck_assert_int_eq(p.status, 2);
    ck_assert_ptr_nonnull(strstr(p.err, "--episodes needs a value"));
    proc_free(&p);
}
END_TEST

START_TEST(help_and_version) {
    proc_out p = proc_run("%s --help", exe);
    ck_assert_int_eq(p.status, 0);
    const char *words[] = {"run FILE", "check FILE", "train FILE", "plugins info NAME", "plugin-check FILE.so",
                           "--set KEY=VALUE", "--episodes N", "--trace FILE", "--theta FILE", "--threads N",
                           "--resume", "run.isolate", "ANIMAT_PLUGIN_PATH"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        ck_assert_msg(strstr(p.out, words[i]), "help lacks %s", words[i]);
    proc_free(&p);
    p = proc_run("%s --version", exe);
    ck_assert_int_eq(p.status, 0);
    ck_assert_ptr_nonnull(strstr(p.out, "plugin ABI 1.3"));
    proc_free(&p);
}
END_TEST

/* animat COMMAND --help (and -h, and help COMMAND) prints that command's
 * usage and exits 0, for every command that animat --help lists, also with
 * other arguments around it. */
START_TEST(help_per_command) {
    proc_out all = proc_run("%s --help", exe);
    ck_assert_int_eq(all.status, 0);
    const char *sec = strstr(all.out, "\ncommands:\n");
    ck_assert_ptr_nonnull(sec);
    int seen = 0;
    for (const char *l = sec + 11; *l && *l != '\n'; l = strchr(l, '\n') + 1) {
        char cmd[32];
        if (sscanf(l, "  %31[a-z-]", cmd) != 1 || l[2] == ' ') continue; /* continuation lines */
        const char *forms[] = {"%s %s --help", "%s %s -h", "%s help %s", "%s %s some.yaml --quiet --help"};
        for (int f = 0; f < 4; f++) {
            /* the first form under ANIMAT_WRAP too, the rest print the same text */
            proc_out p = proc_run(forms[f], f ? plain_exe : exe, cmd);
            char want[64];
            snprintf(want, sizeof want, "usage: animat %s", cmd);
            ck_assert_msg(p.status == 0 && !strncmp(p.out, want, strlen(want)), "'%s' form %d: status %d, out '%.80s' "
                          "err '%s'", cmd, f, p.status, p.out, p.err);
            proc_free(&p);
        }
        seen++;
    }
    ck_assert_int_ge(seen, 11); /* run check train rerun render plugins plugin-check plot report help version */
    proc_free(&all);
    proc_out p = proc_run("%s help frobnicate", exe);
    ck_assert_int_eq(p.status, 2);
    ck_assert_ptr_nonnull(strstr(p.err, "unknown command 'frobnicate'"));
    proc_free(&p);
}
END_TEST

START_TEST(plugins_list_and_info) {
    proc_out p = proc_run("%s plugins", exe);
    ck_assert_int_eq(p.status, 0);
    ck_assert_ptr_nonnull(strstr(p.out, "body     swimmer      org.animat.swimmer     1.0.0"));
    ck_assert_ptr_nonnull(strstr(p.out, "circuit  ncap         org.animat.ncap        1."));
    ck_assert_ptr_nonnull(strstr(p.out, "circuit  mlp          org.animat.mlp         1.0.0"));
    ck_assert_ptr_nonnull(strstr(p.out, "/bodies/swimmer/swimmer.so"));
    proc_free(&p);
    p = proc_run("%s plugins info swimmer", exe);
    ck_assert_int_eq(p.status, 0);
    ck_assert_ptr_nonnull(strstr(p.out, "n_bodies"));
    ck_assert_ptr_nonnull(strstr(p.out, "[3, 16]"));
    ck_assert_ptr_nonnull(strstr(p.out, "swim|navigate"));
    ck_assert_ptr_nonnull(strstr(p.out, "joints       size 5"));
    ck_assert_ptr_nonnull(strstr(p.out, "motors       size 5"));
    proc_free(&p);
    p = proc_run("%s plugins info ncap", exe);
    ck_assert_int_eq(p.status, 0);
    ck_assert_ptr_nonnull(strstr(p.out, "sign_constraints"));
    ck_assert_ptr_nonnull(strstr(p.out, "ports: depend on the experiment"));
    proc_free(&p);
    p = proc_run("%s plugins info nosuch", exe);
    expect_error(&p, "unknown plugin 'nosuch'");
    /* A rejected file on ANIMAT_PLUGIN_PATH is reported, not fatal. */
    p = proc_run("ANIMAT_PLUGIN_PATH=%s %s plugins", broken, exe);
    ck_assert_msg(p.status == 0, "status %d: %s", p.status, p.err);
    ck_assert_ptr_nonnull(strstr(p.out, "skipped: "));
    ck_assert_ptr_nonnull(strstr(p.out, "bad_abi_major.so: built for animat ABI 99.3"));
    ck_assert_ptr_nonnull(strstr(p.out, "body     dummy"));
    proc_free(&p);
}
END_TEST

/* A .so whose constructor aborts, lying in ANIMAT_PLUGIN_PATH (the test
 * plugins' folder holds ctor_abort.so), killed every `animat run` with
 * SIGABRT: now discovery probes it in a child, names it in one warning line
 * and skips it, cold (no index) and warm (index present), and a corrupt
 * index is ignored and rebuilt; a run loads only the plugins it uses. */
START_TEST(aborting_constructor_skipped) {
    char exp[512];
    snprintf(exp, sizeof exp, "%s/examples/swimmer-ncap.yaml", src);
    const char *garbage[] = {NULL, NULL, "animat-plugin-index 1 animat 0.1.0\n1 2 3 x\n", "\x01\x02junk"};
    for (int k = 0; k < 4; k++) { /* cold, warm, corrupt, foreign */
        if (garbage[k]) ck_assert_ptr_nonnull(proc_write(dir, "cache/animat/plugin-index", garbage[k]));
        /* --quiet: a run slower than 10 s (valgrind) adds a progress line to stderr */
        proc_out p = proc_run("cd %s && %sXDG_CACHE_HOME=%s/cache ANIMAT_PLUGIN_PATH=%s %s run %s --episodes 1 --quiet",
                              dir, k == 0 ? "rm -rf cache; " : "", dir, broken, exe, exp);
        ck_assert_msg(!p.signaled && p.status == 0, "pass %d: status %d: %s", k, p.status, p.err);
        ck_assert_msg(strstr(p.out, "1 episode: mean return 801.283"), "%s", p.out);
        ck_assert_msg(proc_lines(p.err) == 1, "pass %d: %s", k, p.err);
        ck_assert_msg(strstr(p.err, "warning: skipped plugin file ") && strstr(p.err, "/ctor_abort.so: loading it "
                                                                              "killed the process with SIGABRT"),
                      "pass %d: %s", k, p.err);
        proc_free(&p);
    }
    char path[600];
    snprintf(path, sizeof path, "%s/cache/animat/plugin-index", dir);
    char *index = proc_slurp(path);
    ck_assert_msg(index && !strncmp(index, "animat-plugin-index 3 ", 22) && strstr(index, "/ctor_abort.so\t"), "%.500s",
                  index ? index : "(none)");
    free(index);
    proc_out p0;
    /* a file changed after it was indexed is probed again: dummy.so, then overwritten by ctor_abort.so */
    p0 = proc_run("cd %s && rm -rf pp && mkdir pp && cp %s/dummy.so pp/x.so && XDG_CACHE_HOME=%s/cache "
                  "ANIMAT_PLUGIN_PATH=%s/pp %s plugins && cp %s/ctor_abort.so pp/x.so && XDG_CACHE_HOME=%s/cache "
                  "ANIMAT_PLUGIN_PATH=%s/pp %s plugins",
                  dir, broken, dir, dir, exe, broken, dir, dir, exe);
    ck_assert_msg(p0.status == 0 && strstr(p0.err, "pp/x.so: loading it killed the process with SIGABRT"), "%d: %s",
                  p0.status, p0.err);
    proc_free(&p0);
    /* with the index warm, a run loads only the plugins it uses: ctor_mark.so's constructor does not run */
    proc_out p = proc_run("cd %s && rm -f mark && ANIMAT_TEST_CTOR_MARK=%s/mark XDG_CACHE_HOME=%s/cache "
                          "ANIMAT_PLUGIN_PATH=%s %s run %s --episodes 1 2>/dev/null && test ! -e mark",
                          dir, dir, dir, broken, exe, exp);
    ck_assert_msg(p.status == 0, "ctor_mark.so was loaded by a run that does not use it (%d)", p.status);
    proc_free(&p);
    p = proc_run("XDG_CACHE_HOME=%s/cache ANIMAT_PLUGIN_PATH=%s %s plugins", dir, broken, exe);
    ck_assert_msg(p.status == 0 && strstr(p.out, "body     dummy") && strstr(p.out, "circuit  ncap"), "%.1500s", p.out);
    ck_assert_msg(strstr(p.out, "ctor_abort.so: loading it killed the process with SIGABRT"), "%.1500s", p.out);
    proc_free(&p);
}
END_TEST

/* A file named explicitly (--plugin FILE, or `plugin: PATH` in the
 * experiment) was dlopen'ed in animat's own process without a probe: a
 * constructor that aborts killed the run with SIGABRT. Now it is probed in
 * a child like the search path's files and refused in one line. */
START_TEST(explicit_plugin_probed) {
    char exp[512];
    snprintf(exp, sizeof exp, "%s/examples/swimmer-ncap.yaml", src);
    proc_out p = proc_run("cd %s && XDG_CACHE_HOME=%s/cache %s run %s --episodes 1 --plugin %s/ctor_abort.so", dir,
                          dir, exe, exp, broken);
    ck_assert_msg(!p.signaled && p.status == 1, "status %d signaled %d: %s", p.status, p.signaled, p.err);
    ck_assert_int_eq(proc_lines(p.err), 1);
    ck_assert_msg(strstr(p.err, "/ctor_abort.so: loading it killed the process with SIGABRT"), "%s", p.err);
    proc_free(&p);
    p = proc_run("cd %s && sed 's|plugin: ncap |plugin: %s/ctor_abort.so |' %s > ctor.yaml && XDG_CACHE_HOME= HOME= "
                 "%s run ctor.yaml --episodes 1", dir, broken, exp, exe);
    ck_assert_msg(!p.signaled && p.status == 1, "status %d signaled %d: %s", p.status, p.signaled, p.err);
    ck_assert_int_eq(proc_lines(p.err), 1);
    ck_assert_msg(strstr(p.err, "ctor.yaml:") && strstr(p.err, "circuit.plugin: ") &&
                      strstr(p.err, "/ctor_abort.so: loading it killed the process with SIGABRT"), "%s", p.err);
    proc_free(&p);
}
END_TEST

START_TEST(run_prints_episodes) {
    proc_out p = proc_run("%s run %s/examples/swimmer-ncap.yaml --episodes 2", exe, src);
    ck_assert_msg(p.status == 0, "%s", p.err);
    ck_assert_ptr_nonnull(strstr(p.out, "episode 1/2  return "));
    ck_assert_ptr_nonnull(strstr(p.out, "episode 2/2  return "));
    ck_assert_ptr_nonnull(strstr(p.out, "mean speed "));
    ck_assert_ptr_nonnull(strstr(p.out, "2 episodes: mean return "));
    /* The default experiment swims: returns well above zero. */
    double ret = atof(strstr(p.out, "return ") + 7);
    ck_assert_msg(ret > 300, "return %g", ret);
    proc_free(&p);
}
END_TEST

START_TEST(trace_reproducible) {
    char a[1024], b[1024], c[1024];
    snprintf(a, sizeof a, "%s/a.csv", dir);
    snprintf(b, sizeof b, "%s/b.csv", dir);
    snprintf(c, sizeof c, "%s/c.csv", dir);
    const char *ex = "examples/swimmer-ncap.yaml --episodes 1 --quiet";
    proc_out p = proc_run("cd %s && %s run %s --trace %s", src, exe, ex, a);
    ck_assert_msg(p.status == 0, "%s", p.err);
    ck_assert_ptr_nonnull(strstr(p.out, "trace written to"));
    proc_free(&p);
    p = proc_run("cd %s && %s run %s --trace %s", src, exe, ex, b);
    proc_free(&p);
    p = proc_run("cd %s && %s run %s --trace %s --seed 7", src, exe, ex, c);
    proc_free(&p);
    char *ta = proc_slurp(a), *tb = proc_slurp(b), *tc = proc_slurp(c);
    ck_assert_ptr_nonnull(ta);
    /* Skip provenance lines (they hold the command line), compare data. */
    const char *da = strstr(ta, "\nepisode,"), *db = strstr(tb, "\nepisode,"), *dc = strstr(tc, "\nepisode,");
    ck_assert_ptr_nonnull(da);
    ck_assert_str_eq(da, db);
    ck_assert_str_ne(da, dc);
    /* Header: time, the 5 joint angles, the 5 actions, reward; 1000 rows. */
    ck_assert_ptr_nonnull(strstr(da, "episode,step,time,body.obs.joints[0],"));
    ck_assert_ptr_nonnull(strstr(da, "circuit.out.muscles[4],reward\n"));
    ck_assert_int_eq(proc_lines(da + 1), 1001);
    ck_assert_ptr_nonnull(strstr(ta, "# seed: 1 "));
    ck_assert_ptr_nonnull(strstr(ta, "# body: swimmer org.animat.swimmer 1.0.0 "));
    free(ta);
    free(tb);
    free(tc);
}
END_TEST

START_TEST(failure_leaves_no_trace) {
    char trace[1024], tmp[1100];
    snprintf(trace, sizeof trace, "%s/fail.csv", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", trace);
    char args[1200];
    snprintf(args, sizeof args, "run --trace %s", trace);
    char text[2048];
    snprintf(text, sizeof text,
             "body:\n  plugin: %s/step_error.so\ncircuit:\n  plugin: ncap\nwiring:\n"
             "  - body.obs.y -> circuit.in.joints\n  - circuit.out.muscles -> body.act.u\nrun:\n  max_steps: 20\n  episodes: 2\n",
             broken);
    proc_out p = run_text(args, text);
    expect_error(&p, "body (step-error): step failed in episode 1 at step 4: boom: the test plugin fails on purpose");
    ck_assert_int_ne(access(trace, F_OK), 0);
    ck_assert_int_ne(access(tmp, F_OK), 0);
}
END_TEST

/* run.guard: true places guard values around every port buffer and checks
 * them after each plugin call: a body writing one value past its
 * observation port fails the run naming it; without the key the run is
 * unchanged, and a bad value is refused at its position. */
START_TEST(run_guard_names_an_overrun) {
    char text[2048];
    const char *fmt = "body:\n  plugin: %s/overrun.so\ncircuit:\n  plugin: %s/old_circuit.so\nwiring:\n"
                      "  - body.obs.y -> circuit.in.x\n  - circuit.out.y -> body.act.u\nrun:\n  max_steps: 20\n%s";
    snprintf(text, sizeof text, fmt, broken, broken, "");
    proc_out p = run_text("run", text);
    ck_assert_msg(p.status == 0, "%s", p.err);
    ck_assert_ptr_nonnull(strstr(p.out, "episode 1/1  return 20.000  steps 20"));
    proc_free(&p);
    snprintf(text, sizeof text, fmt, broken, broken, "  guard: true\n");
    p = run_text("run", text);
    expect_error(&p, "error: run.guard: body (overrun) step wrote outside a port buffer: the guard values after "
                     "body.obs.y changed in episode 1 at step 2\n");
    snprintf(text, sizeof text, fmt, broken, broken, "  guard: 2\n");
    p = run_text("run", text);
    expect_error(&p, "run.guard: expected true or false");
    /* a well-behaved graph runs the same with and without the guard */
    const char *ex = "%s/examples/swimmer-ncap-train.yaml --episodes 1";
    char a[256];
    snprintf(a, sizeof a, ex, src);
    proc_out p0 = proc_run("%s run %s", exe, a), p1 = proc_run("%s run %s --set run.guard=true", exe, a);
    ck_assert_msg(p0.status == 0 && p1.status == 0, "%s%s", p0.err, p1.err);
    ck_assert_ptr_nonnull(strstr(p0.out, "episode 1/1  return 237.645  steps 1000"));
    ck_assert_ptr_nonnull(strstr(p1.out, "episode 1/1  return 237.645  steps 1000"));
    proc_free(&p0);
    proc_free(&p1);
}
END_TEST

START_TEST(older_minor_abi_plugin_works) {
    /* A circuit built against ABI 1.0 (table ends before 1.1's `extension`,
     * poison after it): it loads, runs, and an online learner is refused
     * cleanly instead of the host calling past struct_size. */
    char text[2048];
    snprintf(text, sizeof text,
             "body:\n  plugin: %s/dummy.so\ncircuit:\n  plugin: %s/old_circuit.so\nwiring:\n"
             "  - body.obs.y -> circuit.in.x\n  - circuit.out.y -> body.act.u\nrun:\n  max_steps: 20\n"
             "learner:\n  plugin: hebbian\ntrain:\n  epochs: 1\n",
             broken, broken);
    proc_out p = run_text("run", text);
    ck_assert_msg(p.status == 0, "%s", p.err);
    ck_assert_ptr_nonnull(strstr(p.out, "episode 1/1  return 20.000  steps 20"));
    proc_free(&p);
    p = run_text("train", text);
    expect_error(&p, "learner (hebbian) learns online, but circuit 'old-circuit' does not offer animat.plasticity/1");
    p = proc_run("%s plugin-check %s/old_circuit.so", exe, broken);
    ck_assert_msg(p.status == 0, "%s%s", p.out, p.err);
    ck_assert_ptr_nonnull(strstr(p.out, "handshake ABI 1.0"));
    proc_free(&p);
}
END_TEST

START_TEST(dummy_runs_with_max_steps) {
    char text[2048];
    snprintf(text, sizeof text,
             "body:\n  plugin: %s/dummy.so\ncircuit:\n  plugin: ncap\nwiring:\n"
             "  - body.obs.y -> circuit.in.joints\n  - circuit.out.muscles -> body.act.u\nrun:\n  max_steps: 20\n",
             broken);
    proc_out p = run_text("run", text);
    ck_assert_msg(p.status == 0, "%s", p.err);
    /* The dummy pays 1 per step: return == steps. */
    ck_assert_ptr_nonnull(strstr(p.out, "episode 1/1  return 20.000  steps 20"));
    proc_free(&p);
}
END_TEST

/* Outputs never destroy data: an empty name, a directory, a FIFO, a device
 * node (a private mknod copy), a symlink, the experiment file itself and two
 * outputs on one path are refused up front with one line, and nothing is
 * replaced. */
START_TEST(outputs_never_destroy_data) {
    char exp[512], path[600];
    snprintf(exp, sizeof exp, "%s/examples/swimmer-ncap.yaml", src);
    proc_out p = proc_run("cd %s && rm -rf od && mkdir od && mkfifo od/fifo && ln -s ../%s od/link && "
                          "(mknod od/null c 1 3 2>/dev/null || true) && mkdir od/dir",
                          dir, "exp.yaml");
    ck_assert_int_eq(p.status, 0);
    proc_free(&p);
    struct { const char *trace, *want; } cases[] = {
        {"''", "--trace: an empty file name"},
        {"od/dir", "is a directory, not a regular file; refusing to replace it"},
        {"od/fifo", "is a FIFO, not a regular file; refusing to replace it"},
        {"od/link", "is a symbolic link, not a regular file; refusing to replace it"},
        {"od/nosuch/t.csv", "folder od/nosuch does not exist"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        p = proc_run("cd %s && %s run %s --episodes 1 --trace %s", dir, exe, exp, cases[i].trace);
        ck_assert_msg(p.status == 1 && proc_lines(p.err) == 1 && strstr(p.err, cases[i].want), "%s: %s", cases[i].trace,
                      p.err);
        ck_assert_msg(!strstr(p.out, "episode 1/1"), "%s: ran before refusing", cases[i].trace);
        proc_free(&p);
    }
    snprintf(path, sizeof path, "%s/od/null", dir);
    if (access(path, F_OK) == 0) {
        p = proc_run("cd %s && %s run %s --episodes 1 --trace od/null", dir, exe, exp);
        ck_assert_msg(p.status == 1 && strstr(p.err, "is a device, not a regular file"), "%s", p.err);
        proc_free(&p);
    }
    p = proc_run("cd %s && %s run %s --episodes 1 --trace %s", dir, exe, exp, exp);
    ck_assert_msg(p.status == 1 && strstr(p.err, "is the same file as"), "%s", p.err);
    proc_free(&p);
    p = proc_run("cd %s && %s train %s/examples/swimmer-ncap-es.yaml --epochs 1 --set train.curve=same "
                 "--set train.checkpoint=same", dir, exe, src);
    ck_assert_msg(p.status == 1 && strstr(p.err, "train.curve: same is the same file as same"), "%s", p.err);
    proc_free(&p);
    /* Ctrl-C in the middle of a traced run leaves no PATH.tmp (nor PATH) */
    /* (the binary itself, not under ANIMAT_WRAP: valgrind's start-up would
     * outlast the second before the signal) */
    /* (signalled once the trace's temporary file exists: a fixed second raced a sanitizer build under load) */
    p = proc_run("cd %s && (%s run %s --episodes 200 --quiet --trace int.csv & pid=$!; for i in $(seq 600); do "
                 "ls | grep -qE '^int\\.csv\\..*tmp$' && break; sleep 0.05; done; sleep 0.2; kill -INT $pid; "
                 "wait $pid; echo status $?) ; ls | grep -cE '^int\\.csv'", dir, getenv("ANIMAT_EXE"), exp);
    ck_assert_msg(strstr(p.out, "status 130") && strstr(p.out, "\n0\n"), "%s", p.out);
    proc_free(&p);
    /* nothing was replaced: the FIFO and the symlink are still what they were */
    p = proc_run("cd %s && test -p od/fifo && test -L od/link && test -d od/dir", dir);
    ck_assert_int_eq(p.status, 0);
    proc_free(&p);
}
END_TEST

/* Input refusals: YAML tags on any node, an empty --set value, train-only
 * options under run/check, and a FIFO posing as a plugin (skipped, no hang). */
START_TEST(input_refusals) {
    proc_out p = run_text("check", "body: !!python/object:os.system {plugin: swimmer}\n");
    expect_error(&p, "YAML tags are not supported (found tag:yaml.org,2002:python/object:os.system)");
    p = run_text("check", "body: {plugin: !custom swimmer}\n");
    expect_error(&p, "YAML tags are not supported (found !custom)");
    char exp[512];
    snprintf(exp, sizeof exp, "%s/examples/swimmer-ncap.yaml", src);
    p = proc_run("%s run %s --set run=", exe, exp);
    expect_error(&p, "--set run=: an empty value");
    p = proc_run("%s run %s --epochs 3", exe, exp);
    ck_assert_int_eq(p.status, 2);
    ck_assert_ptr_nonnull(strstr(p.err, "--epochs is an option of animat train, not of animat run"));
    proc_free(&p);
    p = proc_run("cd %s && rm -rf fifo && mkdir fifo && mkfifo fifo/x.so && ANIMAT_PLUGIN_PATH=%s/fifo timeout 20 %s plugins",
                 dir, dir, exe);
    ck_assert_msg(p.status == 0, "status %d: %s", p.status, p.err);
    ck_assert_ptr_nonnull(strstr(p.out, "x.so: is not a regular file (a FIFO, socket or device), not a plugin file"));
    proc_free(&p);
}
END_TEST

/* A plugin calling exit(0) in step or abort() in create cannot end animat
 * silently: one line names the instance, plugin and call; status non-zero. */
START_TEST(plugin_exit_and_abort) {
    proc_out p = run_broken("run", "exits");
    expect_error(&p, "body (exits) called exit() during step; animat stops");
    p = run_broken("check", "huge_stride");
    expect_error(&p, "huge_stride.so): parameter table struct_size 1073741824 is impossible");
    p = proc_run("ANIMAT_PLUGIN_PATH=%s %s plugins", broken, exe);
    ck_assert_msg(p.status == 0 && strstr(p.out, "huge_stride.so): parameter table struct_size 1073741824 is impossible"),
                  "%d %s %s", p.status, p.out, p.err);
    proc_free(&p);
    /* an mjcf model's ports, seen before writing an experiment */
    p = proc_run("cd %s && %s plugins info mjcf --set body.params.model=bodies/mjcf/models/worm.xml", src, exe);
    ck_assert_msg(p.status == 0 && strstr(p.out, "ports at the given parameters") && strstr(p.out, "joints       size 11"),
                  "%s%s", p.out, p.err);
    proc_free(&p);
    p = run_broken("run", "aborts");
    ck_assert_msg(p.signaled || p.status != 0, "status %d", p.status);
    ck_assert_int_eq(proc_lines(p.err), 1);
    ck_assert_msg(strstr(p.err, "body (aborts) called abort() during create; animat stops"), "%s", p.err);
    proc_free(&p);
}
END_TEST

int main(void) {
    /* ANIMAT_WRAP (e.g. a valgrind command) prefixes every animat run. */
    static char wrapped[2048];
    const char *wrap = getenv("ANIMAT_WRAP");
    exe = plain_exe = getenv("ANIMAT_EXE");
    if (exe && wrap && *wrap) {
        snprintf(wrapped, sizeof wrapped, "%s %s", wrap, exe);
        exe = wrapped;
    }
    broken = getenv("BROKEN_DIR");
    src = getenv("ANIMAT_SRC");
    if (!exe || !broken || !src) {
        fprintf(stderr, "set ANIMAT_EXE, BROKEN_DIR and ANIMAT_SRC\n");
        return 1;
    }
    dir = proc_tmpdir();
    Suite *s = suite_create("cli");
    TCase *t = tcase_create("errors");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, unknown_plugin);
    tcase_add_test(t, wrong_kind);
    tcase_add_test(t, abi_major);
    tcase_add_test(t, abi_minor_newer);
    tcase_add_test(t, no_entry);
    tcase_add_test(t, null_function);
    tcase_add_test(t, bad_default);
    tcase_add_test(t, bad_sizeof);
    tcase_add_test(t, missing_plugin_file);
    tcase_add_test(t, unknown_top_key);
    tcase_add_test(t, unknown_param);
    tcase_add_test(t, mistyped_value);
    tcase_add_test(t, mistyped_bool_and_choice);
    tcase_add_test(t, out_of_range);
    tcase_add_test(t, size_mismatch);
    tcase_add_test(t, unknown_port);
    tcase_add_test(t, bad_wiring_shapes);
    tcase_add_test(t, bad_yaml);
    tcase_add_test(t, run_block_errors);
    tcase_add_test(t, theta_errors);
    tcase_add_test(t, set_override);
    tcase_add_test(t, theta_from_pipe);
    tcase_add_test(t, usage_errors);
    tcase_add_test(t, outputs_never_destroy_data);
    tcase_add_test(t, input_refusals);
    tcase_add_test(t, plugin_exit_and_abort);
    suite_add_tcase(s, t);
    TCase *c = tcase_create("commands");
    tcase_set_timeout(c, 300);
    tcase_add_test(c, help_and_version);
    tcase_add_test(c, help_per_command);
    tcase_add_test(c, plugins_list_and_info);
    tcase_add_test(c, aborting_constructor_skipped);
    tcase_add_test(c, explicit_plugin_probed);
    tcase_add_test(c, run_prints_episodes);
    tcase_add_test(c, trace_reproducible);
    tcase_add_test(c, failure_leaves_no_trace);
    tcase_add_test(c, dummy_runs_with_max_steps);
    tcase_add_test(c, older_minor_abi_plugin_works);
    tcase_add_test(c, run_guard_names_an_overrun);
    suite_add_tcase(s, c);
    return ck_run(s);
}
