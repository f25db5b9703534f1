/* test_sdk_new.c -- `animat new body|circuit|learner NAME [DIR]`: each
 * scaffold builds as generated with meson against the build tree's SDK
 * (PKG_CONFIG_PATH=build/meson-uninstalled, -Dwerror=true) and passes
 * `animat plugin-check`; into an existing folder, or with a bad name, it is
 * one line, exit 1, and nothing is written or changed. Needs meson and
 * ninja on PATH (skipped, exit 77, without them). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "proc.h"

static const char *exe, *build, *meson;
static char dir[256];
static const char *const kinds[] = {"body", "circuit", "learner"};

START_TEST(scaffold_builds_and_passes_plugin_check) {
    const char *kind = kinds[_i];
    proc_out p = proc_run("cd %s && %s new %s my_%s", dir, exe, kind, kind);
    ck_assert_msg(p.status == 0, "%s", p.err);
    ck_assert_msg(strstr(p.out, "org.example.my_"), "%s", p.out);
    proc_free(&p);
    p = proc_run("cd %s/my_%s && PKG_CONFIG_PATH=%s/meson-uninstalled %s setup build -Dwerror=true -Danimat=%s "
                 ">setup.log 2>&1 && %s compile -C build", dir, kind, build, meson, exe, meson);
    ck_assert_msg(p.status == 0, "%s: %s%s", kind, p.out, p.err);
    proc_free(&p);
    p = proc_run("%s plugin-check %s/my_%s/build/my_%s.so", exe, dir, kind, kind);
    ck_assert_msg(p.status == 0 && strstr(p.out, " passed, 0 failed"), "%s: %s%s", kind, p.out, p.err);
    ck_assert_msg(strstr(p.out, "PASS  load: handshake ABI 1.3"), "%s", p.out);
    proc_free(&p);
    p = proc_run("%s plugins info %s/my_%s/build/my_%s.so", exe, dir, kind, kind);
    ck_assert_msg(strstr(p.out, "id: org.example.my_"), "%s", p.out);
    proc_free(&p);
}
END_TEST

/* An existing folder (even an empty one) is refused; nothing changes. */
START_TEST(existing_folder_refused) {
    proc_out p = proc_run("cd %s && mkdir -p keep empty && echo precious > keep/keep.c && %s new circuit keep; "
                          "echo status=$?; cat keep/keep.c; ls keep; ls -d keep.new-* 2>/dev/null | wc -l",
                          dir, exe);
    ck_assert_msg(strstr(p.out, "status=1\nprecious\nkeep.c\n0\n"), "%s", p.out);
    ck_assert_int_eq(proc_lines(p.err), 1);
    ck_assert_msg(strstr(p.err, "error: keep: already exists"), "%s", p.err);
    proc_free(&p);
    p = proc_run("cd %s && %s new body x empty; echo status=$?; ls empty | wc -l", dir, exe);
    ck_assert_msg(strstr(p.out, "status=1\n0\n"), "%s", p.out);
    ck_assert_int_eq(proc_lines(p.err), 1);
    proc_free(&p);
    p = proc_run("cd %s && %s new circuit Bad-Name; echo status=$?; ls -d Bad-Name 2>/dev/null | wc -l", dir, exe);
    ck_assert_msg(strstr(p.out, "status=1\n0\n"), "%s", p.out);
    ck_assert_msg(proc_lines(p.err) == 1 && strstr(p.err, "is not a plugin name"), "%s", p.err);
    proc_free(&p);
}
END_TEST

int main(void) {
    exe = getenv("ANIMAT_EXE");
    build = getenv("ANIMAT_BUILD");
    meson = getenv("MESON");
    if (!exe || !build) return 1;
    if (!meson || !*meson) return 77;
    snprintf(dir, sizeof dir, "%s", proc_tmpdir());
    Suite *s = suite_create("sdk_new");
    TCase *t = tcase_create("new");
    tcase_set_timeout(t, 300);
    tcase_add_loop_test(t, scaffold_builds_and_passes_plugin_check, 0, 3);
    tcase_add_test(t, existing_folder_refused);
    suite_add_tcase(s, t);
    return ck_run(s);
}
