/* test_install.c -- meson install puts the manual page (share/man/man1/
 * animat.1) and the bash completion (share/bash-completion/completions/
 * animat) under a DESTDIR; the page renders without a groff warning and
 * names every command of animat --help; the completion completes commands,
 * options and plot kinds. Needs meson and groff on PATH (skipped, 77). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "proc.h"

static const char *exe, *build;
static char man[4096], comp[4096];

/* The one installed file whose path ends in `tail`, into buf ("" when
 * none or several). */
static void installed(const char *root, const char *tail, char *buf, size_t cap) {
    proc_out p = proc_run("find %s -path '*%s' -type f", root, tail);
    buf[0] = '\0';
    if (p.status == 0 && p.out[0] && !strchr(p.out, '\n')[1]) {
        p.out[strcspn(p.out, "\n")] = '\0';
        snprintf(buf, cap, "%s", p.out);
    }
    proc_free(&p);
}

/* meson install into a fresh DESTDIR (in main: Check forks each test, so
 * the paths found here must be known before the tests start). */
static char install_log[8192];
static void install(void) {
    const char *dir = proc_tmpdir();
    proc_out p = proc_run("meson install -C %s --no-rebuild --quiet --destdir %s/root", build, dir);
    snprintf(install_log, sizeof install_log, "status %d: %s%s", p.status, p.out, p.err);
    proc_free(&p);
    char root[2048];
    snprintf(root, sizeof root, "%s/root", dir);
    installed(root, "/share/man/man1/animat.1", man, sizeof man);
    installed(root, "/share/bash-completion/completions/animat", comp, sizeof comp);
}

START_TEST(installed_under_destdir) {
    ck_assert_msg(man[0], "no share/man/man1/animat.1 under the DESTDIR; meson install %s", install_log);
    ck_assert_msg(comp[0], "no share/bash-completion/completions/animat under the DESTDIR; meson install %s",
                  install_log);
}
END_TEST

/* groff with every warning on says nothing; the text names each command. */
START_TEST(man_page_renders_cleanly) {
    ck_assert_msg(man[0], "not installed");
    proc_out p = proc_run("groff -z -wall -man %s", man);
    ck_assert_msg(p.status == 0 && !p.err[0] && !p.out[0], "groff warns: %s%s", p.out, p.err);
    proc_free(&p);
    p = proc_run("MANWIDTH=80 man --warnings -l %s 2>&1 >/dev/null; test -z \"$(command -v man)\" || "
                 "MANWIDTH=80 man -l %s 2>/dev/null | grep -c .", man, man);
    ck_assert_msg(p.status == 0 && !strstr(p.out, "warning"), "man: %s", p.out);
    proc_free(&p);
    proc_out h = proc_run("%s --help | sed -n '/^commands:/,/^$/p' | grep -o '^  [a-z][a-z-]*'", exe);
    ck_assert_int_eq(h.status, 0);
    char *text = proc_slurp(man);
    int n = 0;
    for (char *l = h.out; *l; l = strchr(l, '\n') + 1, n++) {
        char word[64], pat[80];
        sscanf(l, " %63s", word);
        snprintf(pat, sizeof pat, ".B %s", word);
        char *dash = strchr(word, '-');
        if (dash) snprintf(pat, sizeof pat, ".B %.*s\\-%s", (int)(dash - word), word, dash + 1);
        ck_assert_msg(strstr(text, pat), "the manual page lacks the command '%s' (%s)", word, pat);
    }
    ck_assert_int_ge(n, 9);
    free(text);
    proc_free(&h);
}
END_TEST

/* COMPREPLY of the installed completion for the words of a command line
 * (the last word is the one being completed), space-separated and sorted. */
static char *complete(const char *line) {
    proc_out p = proc_run("bash -c 'source %s; COMP_WORDS=(%s); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); "
                          "_animat; printf \"%%s\\n\" \"${COMPREPLY[@]}\" | sort | tr \"\\n\" \" \"'", comp, line);
    ck_assert_msg(p.status == 0, "bash: %s", p.err);
    char *s = strdup(p.out);
    proc_free(&p);
    return s;
}

START_TEST(completion_completes) {
    ck_assert_msg(comp[0], "not installed");
    static const char *const cases[][2] = {
        {"animat tr", "train "},
        {"animat plu", "plugin-check plugins "},
        {"animat train x.yaml --ep", "--episodes --epochs "},
        {"animat plot r.h5 \"\"", "activity curve kymograph raster trajectory "},
        {"animat plot r.nwb \"\"", "activity curve kymograph raster trajectory "},
        {"animat ex", "export "},
        {"animat plot r.h5 curve --f", "--from "},
        {"animat render x.yaml --ov", "--overlay "},
        {"animat help re", "render report rerun "},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = complete(cases[i][0]);
        ck_assert_msg(!strcmp(got, cases[i][1]), "'%s': got '%s', want '%s'", cases[i][0], got, cases[i][1]);
        free(got);
    }
}
END_TEST

int main(void) {
    exe = getenv("ANIMAT_EXE");
    build = getenv("ANIMAT_BUILD");
    if (!exe || !build) return 1;
    proc_out p = proc_run("command -v meson && command -v groff");
    int have = p.status == 0;
    proc_free(&p);
    if (!have) return fprintf(stderr, "test_install: needs meson and groff on PATH\n"), 77;
    install();
    Suite *s = suite_create("install");
    TCase *t = tcase_create("install");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, installed_under_destdir);
    tcase_add_test(t, man_page_renders_cleanly);
    tcase_add_test(t, completion_completes);
    suite_add_tcase(s, t);
    return ck_run(s);
}
