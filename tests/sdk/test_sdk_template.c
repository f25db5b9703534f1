/* test_sdk_template.c -- suite "sdk": a third party can build a plugin out of
 * tree from sdk/template with pkg-config only, and the CLI loads and runs it.
 *
 * Environment (set by tests/sdk/meson.build):
 *   ANIMAT_SRC    source root (sdk/template is copied from there)
 *   ANIMAT_BUILD  build root (meson-uninstalled/animat-sdk-uninstalled.pc)
 *   ANIMAT_EXE    the `animat` CLI of that build
 *   MAKE, NM      optional: the make and nm programs (default "make", "nm")
 * The template is copied into a fresh temporary directory and built there
 * once, in an unchecked fixture (parent process); the tests then inspect the
 * result in forked children. ANIMAT_KEEP_TMP=1 keeps the directory.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ck_run.h"

#define CMD_MAX 8192

/* Output of one shell command: exit status (-1 if it did not exit normally)
 * and everything it wrote to stdout and stderr, NUL-terminated, owned. */
typedef struct cmd_out {
    int status;
    char *text;
} cmd_out;

/* State shared by the tests: filled once by build_setup. */
static char tmpdir[256];         /* the copy of sdk/template */
static char so_path[512];        /* tmpdir/template_circuit.so */
static cmd_out build;            /* the make run */

/* Required environment variable `name`; aborts the test binary when unset
 * (a misconfigured run, not a test failure). Returns a process-owned string. */
static const char *env_req(const char *name) {
    const char *v = getenv(name);
    if (!v || !*v) {
        fprintf(stderr, "test_sdk_template: %s is not set (run through meson test)\n", name);
        exit(77);
    }
    return v;
}

/* Optional environment variable with a default. Never NULL. */
static const char *env_or(const char *name, const char *def) {
    const char *v = getenv(name);
    return v && *v ? v : def;
}

/* Run a printf-formatted command with /bin/sh, stderr merged into stdout.
 * Returns its status and output (caller frees .text; never NULL). Any
 * process, any thread that may fork. */
static cmd_out run_cmd(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static cmd_out run_cmd(const char *fmt, ...) {
    char cmd[CMD_MAX];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(cmd, sizeof cmd - 8, fmt, ap);
    va_end(ap);
    cmd_out r = {-1, NULL};
    if (len < 0 || (size_t)len >= sizeof cmd - 8) {
        r.text = strdup("command too long");
        return r;
    }
    strcat(cmd, " 2>&1");

    /* read everything, growing the buffer */
    size_t cap = 4096, n = 0;
    r.text = malloc(cap);
    FILE *f = popen(cmd, "r");
    if (!r.text || !f) {
        if (f) pclose(f);
        free(r.text);
        r.text = strdup("popen failed");
        return r;
    }
    size_t got;
    while ((got = fread(r.text + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 1024) {
            char *bigger = realloc(r.text, cap * 2);
            if (!bigger) break;
            r.text = bigger;
            cap *= 2;
        }
    }
    r.text[n] = '\0';
    int st = pclose(f);
    r.status = (st != -1 && WIFEXITED(st)) ? WEXITSTATUS(st) : -1;
    return r;
}

/* Unchecked fixture setup (parent process, once): copy sdk/template into a
 * fresh temporary directory and run make there against the build tree's
 * uninstalled pkg-config file. The outcome is kept in `build` for the tests. */
static void build_setup(void) {
    const char *src = env_req("ANIMAT_SRC"), *bld = env_req("ANIMAT_BUILD");
    snprintf(tmpdir, sizeof tmpdir, "%s/animat-sdk-XXXXXX", env_or("TMPDIR", "/tmp"));
    if (!mkdtemp(tmpdir)) {
        build = (cmd_out){-1, strdup("mkdtemp failed")};
        return;
    }
    snprintf(so_path, sizeof so_path, "%s/template_circuit.so", tmpdir);

    /* only the sources a third party would copy (never a stale .so) */
    cmd_out cp = run_cmd("cp '%s/sdk/template/Makefile' '%s/sdk/template/template_circuit.c' "
                         "'%s/sdk/template/template.yaml' '%s/'",
                         src, src, src, tmpdir);
    if (cp.status != 0) {
        build = cp;
        return;
    }
    free(cp.text);

    /* the out-of-tree build: pkg-config is the only link to animat */
    build = run_cmd("'%s' -C '%s' PKG_CONFIG_PATH='%s/meson-uninstalled'", env_or("MAKE", "make"),
                    tmpdir, bld);
}

/* Unchecked fixture teardown: remove the temporary directory unless
 * ANIMAT_KEEP_TMP is set; free the build output. */
static void build_teardown(void) {
    if (tmpdir[0] && !getenv("ANIMAT_KEEP_TMP")) {
        cmd_out rm = run_cmd("rm -rf '%s'", tmpdir);
        free(rm.text);
    }
    free(build.text);
    build.text = NULL;
}

/* Fail the current test unless the build succeeded and produced the .so. */
static void require_plugin(void) {
    struct stat st;
    ck_assert_msg(build.status == 0, "make failed (status %d):\n%s", build.status,
                  build.text ? build.text : "");
    ck_assert_msg(stat(so_path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0,
                  "make succeeded but %s is missing:\n%s", so_path, build.text);
}

/* make, with only pkg-config to find the SDK, produces the shared object. */
START_TEST(test_builds_with_pkg_config) {
    require_plugin();
    /* the flags came from pkg-config, not from paths baked into the Makefile */
    ck_assert_msg(strstr(build.text, "-Wl,-z,defs") != NULL, "no -z defs in:\n%s", build.text);
    ck_assert_msg(strstr(build.text, "--version-script=") != NULL, "no version script in:\n%s",
                  build.text);
}
END_TEST

/* The dynamic symbol table exports exactly one defined symbol: animat_entry. */
START_TEST(test_exports_only_entry) {
    require_plugin();
    cmd_out nm = run_cmd("'%s' -D --defined-only '%s'", env_or("NM", "nm"), so_path);
    ck_assert_msg(nm.status == 0, "nm failed:\n%s", nm.text);

    /* one non-empty line, whose last field is the symbol name */
    int lines = 0, entry = 0;
    for (char *save = NULL, *l = strtok_r(nm.text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (!*l) continue;
        lines++;
        const char *name = strrchr(l, ' ');
        name = name ? name + 1 : l;
        if (strcmp(name, "animat_entry") == 0) entry++;
    }
    ck_assert_msg(lines == 1 && entry == 1, "expected only animat_entry, nm printed %d lines",
                  lines);
    free(nm.text);
}
END_TEST

/* `animat plugins info FILE.so` loads it (handshake passes) and prints the
 * template's name and its parameters. */
START_TEST(test_plugins_info) {
    require_plugin();
    cmd_out info = run_cmd("'%s' plugins info '%s'", env_req("ANIMAT_EXE"), so_path);
    ck_assert_msg(info.status == 0, "plugins info failed (%d):\n%s", info.status, info.text);
    ck_assert_msg(strstr(info.text, "template 0.1.0 (circuit plugin)") != NULL, "%s", info.text);
    ck_assert_msg(strstr(info.text, "  gain ") != NULL, "no gain parameter:\n%s", info.text);
    ck_assert_msg(strstr(info.text, "  size ") != NULL, "no size parameter:\n%s", info.text);
    free(info.text);
}
END_TEST

/* With ANIMAT_PLUGIN_PATH naming the directory, the example experiment runs
 * one episode on the swimmer; without it, the name does not resolve. */
START_TEST(test_run_template_yaml) {
    require_plugin();
    const char *exe = env_req("ANIMAT_EXE");
    cmd_out run = run_cmd("cd '%s' && ANIMAT_PLUGIN_PATH='%s' '%s' run template.yaml --episodes 1",
                          tmpdir, tmpdir, exe);
    ck_assert_msg(run.status == 0, "animat run failed (%d):\n%s", run.status, run.text);
    ck_assert_msg(strstr(run.text, "episode 1/1") != NULL, "no episode line:\n%s", run.text);
    free(run.text);

    /* the plugin was found through ANIMAT_PLUGIN_PATH, not by accident */
    cmd_out bare = run_cmd("cd '%s' && env -u ANIMAT_PLUGIN_PATH '%s' check template.yaml",
                           tmpdir, exe);
    ck_assert_msg(bare.status == 1, "expected failure without ANIMAT_PLUGIN_PATH (%d):\n%s",
                  bare.status, bare.text);
    ck_assert_msg(strstr(bare.text, "template") != NULL, "%s", bare.text);
    free(bare.text);
}
END_TEST

/* The "sdk" suite: one test case sharing the out-of-tree build. */
static Suite *sdk_suite(void) {
    Suite *s = suite_create("sdk");
    TCase *tc = tcase_create("template");
    tcase_add_unchecked_fixture(tc, build_setup, build_teardown);
    tcase_add_test(tc, test_builds_with_pkg_config);
    tcase_add_test(tc, test_exports_only_entry);
    tcase_add_test(tc, test_plugins_info);
    tcase_add_test(tc, test_run_template_yaml);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    return ck_run(sdk_suite());
}
