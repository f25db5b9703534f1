/* test_body_template.c -- suite "bodies": sdk/template/body builds out of
 * tree against an *installed* SDK (meson install --destdir into a temporary
 * root, then pkg-config with the prefix moved there), exports only
 * animat_entry, passes plugin-check and runs under animat run.
 * Environment: ANIMAT_SRC, ANIMAT_BUILD, ANIMAT_EXE (tests/bodies/meson.build);
 * needs meson, make, pkg-config and nm on PATH (skipped, exit 77, without).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "proc.h"

/* Required environment variable (aborts the binary when unset). */
static const char *env(const char *name) {
    const char *v = getenv(name);
    if (!v || !*v) {
        fprintf(stderr, "test_body_template: %s is not set (run through meson test)\n", name);
        exit(77);
    }
    return v;
}

/* Run a command, fail the test with its output unless it exits 0; returns
 * its stdout (caller frees through proc_free of the returned struct). */
static proc_out must(const char *what, proc_out p) {
    ck_assert_msg(p.status == 0, "%s failed (%d):\n%s\n%s", what, p.status, p.out, p.err);
    return p;
}

/* Install, build the template with make against the install, check, run. */
START_TEST(test_template_body_installed_sdk) {
    const char *dir = proc_tmpdir();
    char root[1024], pcdir[2048], pc[2560];
    snprintf(root, sizeof root, "%s/root", dir);
    proc_out p = must("meson install", proc_run("meson install -C %s --no-rebuild --quiet --destdir %s",
                                                env("ANIMAT_BUILD"), root));
    proc_free(&p);

    /* the installed animat-sdk.pc, wherever libdir put it */
    p = must("find .pc", proc_run("dirname \"$(find %s -name animat-sdk.pc | head -n 1)\"", root));
    snprintf(pcdir, sizeof pcdir, "%s", p.out);
    pcdir[strcspn(pcdir, "\n")] = '\0';
    proc_free(&p);
    ck_assert_msg(strstr(pcdir, root) == pcdir, "animat-sdk.pc not installed under %s", root);
    p = must("prefix", proc_run("PKG_CONFIG_PATH=%s pkg-config --variable=prefix animat-sdk", pcdir));
    p.out[strcspn(p.out, "\n")] = '\0';
    snprintf(pc, sizeof pc, "pkg-config --define-variable=prefix=%s%s", root, p.out);
    proc_free(&p);

    /* the headers and the version script come from the installed tree */
    p = must("cflags", proc_run("PKG_CONFIG_PATH=%s %s --cflags animat-sdk; PKG_CONFIG_PATH=%s %s --variable=pluginmap animat-sdk",
                                pcdir, pc, pcdir, pc));
    ck_assert_msg(strstr(p.out, root) != NULL && strstr(p.out, env("ANIMAT_SRC")) == NULL, "%s", p.out);
    proc_free(&p);

    /* a third party's copy of the template, built with make */
    p = must("copy", proc_run("mkdir %s/src && cp %s/sdk/template/body/Makefile %s/sdk/template/body/template_body.c "
                              "%s/sdk/template/body/template_body.yaml %s/src/",
                              dir, env("ANIMAT_SRC"), env("ANIMAT_SRC"), env("ANIMAT_SRC"), dir));
    proc_free(&p);
    p = must("make", proc_run("make -C %s/src PKG_CONFIG='%s' PKG_CONFIG_PATH=%s", dir, pc, pcdir));
    proc_free(&p);
    p = must("nm", proc_run("nm -D --defined-only %s/src/template_body.so | awk '{print $NF}'", dir));
    ck_assert_str_eq(p.out, "animat_entry\n");
    proc_free(&p);

    /* through the host */
    p = must("plugin-check", proc_run("cd %s/src && %s plugin-check ./template_body.so", dir, env("ANIMAT_EXE")));
    ck_assert_msg(strstr(p.out, "14 passed, 0 failed") != NULL, "%s", p.out);
    proc_free(&p);
    p = must("run", proc_run("cd %s/src && ANIMAT_PLUGIN_PATH= %s run template_body.yaml", dir, env("ANIMAT_EXE")));
    ck_assert_msg(strstr(p.out, "episode 2/2  return ") && strstr(p.out, "steps 250"), "%s", p.out);
    proc_free(&p);
    p = proc_run("test ! -e %s/src/MUJOCO_LOG.TXT", dir);
    ck_assert_int_eq(p.status, 0);
    proc_free(&p);
}
END_TEST

/* One test case: the steps depend on each other. */
int main(void) {
    Suite *s = suite_create("bodies-template");
    TCase *t = tcase_create("template");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, test_template_body_installed_sdk);
    suite_add_tcase(s, t);
    return ck_run(s);
}
