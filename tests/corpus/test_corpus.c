/* test_corpus.c -- the hostile-input corpus: every file in cases/ is an
 * experiment broken in exactly one way, and expected.txt says which command
 * to run on it and a substring of the one error line it must produce.
 *
 * For each line "FILE<TAB>COMMAND<TAB>SUBSTRING" of $EXPECTED this runs
 * `cd $CASES && [$ANIMAT_WRAP] $ANIMAT_EXE COMMAND FILE` and asserts: it was
 * not killed by a signal (nor hung), it exited with status 1, stderr is
 * exactly one line starting with "error: " and containing SUBSTRING, and no
 * file appeared in $CASES. Lines starting with "#BUG" are known host bugs
 * (the substring is what the host should say) and are tested like the rest;
 * other lines starting with '#' are comments. Every case runs and one
 * assertion lists every failure, so a single run shows all problems. */
#include <check.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ck_run.h"
#include "proc.h"

static const char *exe, *cases, *expected;
static char wrapped[4096];
static int case_timeout = 60;

/* A growing string. */
typedef struct {
    char *s;
    size_t len, cap;
} buf;

static void add(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t nc = (b->cap + (size_t)n + 1) * 2;
        char *p = realloc(b->s, nc);
        ck_assert_ptr_nonnull(p);
        b->s = p;
        b->cap = nc;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* The names in dir, sorted and newline-joined (caller frees). */
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
static char **list_dir(const char *dir, size_t *n) {
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot open %s", dir);
    char **v = NULL;
    size_t cnt = 0;
    for (struct dirent *de; (de = readdir(d));) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        char **t = realloc(v, (cnt + 1) * sizeof *v);
        ck_assert_ptr_nonnull(t);
        v = t;
        v[cnt] = strdup(de->d_name);
        ck_assert_ptr_nonnull(v[cnt]);
        cnt++;
    }
    closedir(d);
    if (cnt) qsort(v, cnt, sizeof *v, cmp_str);
    *n = cnt;
    return v;
}

static void free_list(char **v, size_t n) {
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

static int in_list(char **v, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i], name)) return 1;
    return 0;
}

/* First line of s, at most 300 characters, for messages. */
static const char *first_line(const char *s) {
    static char line[320];
    size_t n = s ? strcspn(s, "\n") : 0;
    if (n > 300) n = 300;
    memcpy(line, s ? s : "", n);
    line[n] = '\0';
    /* Keep the report printable (binary cases may echo odd bytes). */
    for (char *p = line; *p; p++)
        if ((unsigned char)*p < 0x20) *p = '?';
    return line;
}

/* Run one case; append a description of every violated expectation to
 * `fails`. Returns 1 when the case passed. */
static int run_case(const char *file, const char *cmd, const char *want, int bug, buf *fails) {
    size_t nbefore, nafter;
    char **before = list_dir(cases, &nbefore);
    /* timeout(1) turns a hang into status 124 (or 137 after -k). */
    proc_out p = proc_run("cd '%s' && timeout -k 5 %d %s %s '%s'", cases, case_timeout, exe, cmd, file);
    char **after = list_dir(cases, &nafter);
    buf why = {0};
    if (p.signaled)
        add(&why, "; killed by a signal (status %d)", p.status);
    else if (p.status == 124 || p.status == 137)
        add(&why, "; hung (no exit within %d s)", case_timeout);
    else if (p.status != 1)
        add(&why, "; exit status %d, want 1", p.status);
    int lines = proc_lines(p.err);
    size_t errlen = p.err ? strlen(p.err) : 0;
    if (lines != 1 || (errlen && p.err[errlen - 1] != '\n'))
        add(&why, "; stderr has %d lines, want exactly one", lines + (errlen && p.err[errlen - 1] != '\n'));
    if (!p.err || strncmp(p.err, "error: ", 7) != 0) add(&why, "; stderr does not start with \"error: \"");
    if (!p.err || !strstr(p.err, want)) add(&why, "; stderr lacks '%s'", want);
    for (size_t i = 0; i < nafter; i++)
        if (!in_list(before, nbefore, after[i])) {
            add(&why, "; left '%s' behind (removed)", after[i]);
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", cases, after[i]);
            unlink(path);
        }
    int ok = why.len == 0;
    if (!ok)
        add(fails, "\n  %s%s (%s)%s\n      stderr: %s", bug ? "[#BUG] " : "", file, cmd, why.s,
            first_line(p.err));
    free(why.s);
    free_list(before, nbefore);
    free_list(after, nafter);
    proc_free(&p);
    return ok;
}

START_TEST(corpus) {
    char *text = proc_slurp(expected);
    ck_assert_msg(text != NULL, "cannot read %s", expected);
    size_t nfiles;
    char **files = list_dir(cases, &nfiles);
    char *listed = calloc(nfiles ? nfiles : 1, 1);
    ck_assert_ptr_nonnull(listed);
    buf fails = {0};
    int ncases = 0, npass = 0, nbug = 0, nfail = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        int bug = 0;
        if (!strncmp(line, "#BUG", 4)) {
            bug = 1;
            line += 4;
            while (*line == ' ' || *line == '\t') line++;
        } else if (line[0] == '#' || line[0] == '\0') {
            continue;
        }
        char *t1 = strchr(line, '\t');
        char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (!t1 || !t2 || !t2[1]) {
            add(&fails, "\n  expected.txt: malformed line '%s' (want FILE<TAB>COMMAND<TAB>SUBSTRING)", line);
            nfail++;
            continue;
        }
        *t1 = *t2 = '\0';
        const char *file = line, *cmd = t1 + 1, *want = t2 + 1;
        if (strcmp(cmd, "check") && strcmp(cmd, "train")) {
            add(&fails, "\n  expected.txt: %s: command '%s' is not check or train", file, cmd);
            nfail++;
            continue;
        }
        size_t k;
        for (k = 0; k < nfiles && strcmp(files[k], file); k++) {}
        if (k == nfiles) {
            add(&fails, "\n  expected.txt: %s is not in %s", file, cases);
            nfail++;
            continue;
        }
        listed[k] = 1;
        ncases++;
        nbug += bug;
        if (run_case(file, cmd, want, bug, &fails))
            npass++;
        else
            nfail++;
    }
    for (size_t k = 0; k < nfiles; k++)
        if (!listed[k]) {
            add(&fails, "\n  %s has no line in expected.txt", files[k]);
            nfail++;
        }
    printf("corpus: %d cases (%d marked #BUG), %d pass, %d problems\n", ncases, nbug, npass, nfail);
    /* The full list also goes to stderr: Check may cut long messages. */
    if (nfail) fprintf(stderr, "corpus failures:%s\n", fails.s ? fails.s : "");
    fflush(NULL);
    ck_assert_msg(ncases >= 30, "only %d cases in %s", ncases, expected);
    ck_assert_msg(nfail == 0, "%d of %d corpus cases fail:%s", nfail, ncases, fails.s ? fails.s : "");
    free(fails.s);
    free(listed);
    free_list(files, nfiles);
    free(text);
}
END_TEST

int main(void) {
    exe = getenv("ANIMAT_EXE");
    cases = getenv("CASES");
    expected = getenv("EXPECTED");
    if (!exe || !cases || !expected) {
        fprintf(stderr, "set ANIMAT_EXE, CASES and EXPECTED\n");
        return 1;
    }
    /* ANIMAT_WRAP (e.g. a valgrind command) prefixes every animat run. */
    const char *wrap = getenv("ANIMAT_WRAP");
    if (wrap && *wrap) {
        snprintf(wrapped, sizeof wrapped, "%s '%s'", wrap, exe);
        case_timeout = 600;
    } else {
        snprintf(wrapped, sizeof wrapped, "'%s'", exe);
    }
    exe = wrapped;
    /* Room for the whole failure list in the assertion message. */
    setenv("CK_MAX_MSG_SIZE", "262144", 0);
    Suite *s = suite_create("corpus");
    TCase *t = tcase_create("cases");
    tcase_set_timeout(t, 36000); /* meson's timeout governs */
    tcase_add_test(t, corpus);
    suite_add_tcase(s, t);
    return ck_run(s);
}
