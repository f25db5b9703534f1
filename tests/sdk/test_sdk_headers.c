/* test_sdk_headers.c -- every public header under sdk/include/animat
 * compiles alone, as a C user (C11) and as a C++ user (C++11 and C++17)
 * sees it, with -Wall -Wextra -Werror: self-contained includes, extern "C",
 * no C-only constructs outside macros. The compilers come from CC and CXX
 * (meson finds them); a missing C++ compiler skips (exit 77). */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "proc.h"

static const char *src, *cc, *cxx;
static char headers[32][64];
static int nheaders;

/* The language modes: compiler, -std, -x. */
static const struct {
    const char **compiler;
    const char *std, *lang;
} modes[] = {{&cc, "c11", "c"}, {&cxx, "c++11", "c++"}, {&cxx, "c++17", "c++"}};

START_TEST(header_compiles_alone) {
    int h = _i / 3, m = _i % 3;
    ck_assert_int_lt(h, nheaders);
    proc_out p = proc_run("%s -std=%s -x %s -fsyntax-only -Wall -Wextra -Werror -I%s/sdk/include "
                          "-include animat/%s /dev/null",
                          *modes[m].compiler, modes[m].std, modes[m].lang, src, headers[h]);
    ck_assert_msg(p.status == 0, "animat/%s as %s: %s", headers[h], modes[m].std, p.err);
    proc_free(&p);
}
END_TEST

/* The check can fail: a header with an error is caught in every mode. */
START_TEST(a_broken_header_fails) {
    const char *dir = proc_tmpdir();
    proc_write(dir, "bad.h", "static int f(void) { return 0 }\n");
    for (int m = 0; m < 3; m++) {
        proc_out p = proc_run("%s -std=%s -x %s -fsyntax-only -Wall -Wextra -Werror -include %s/bad.h /dev/null",
                              *modes[m].compiler, modes[m].std, modes[m].lang, dir);
        ck_assert_int_ne(p.status, 0);
        proc_free(&p);
    }
}
END_TEST

int main(void) {
    src = getenv("ANIMAT_SRC");
    cc = getenv("CC");
    cxx = getenv("CXX");
    if (!src) return 1;
    if (!cc || !*cc || !cxx || !*cxx) return 77;
    char path[512];
    snprintf(path, sizeof path, "%s/sdk/include/animat", src);
    DIR *d = opendir(path);
    if (!d) return 1;
    for (struct dirent *de; (de = readdir(d)) && nheaders < 32;) {
        size_t n = strlen(de->d_name);
        if (n > 2 && n < 64 && !strcmp(de->d_name + n - 2, ".h")) snprintf(headers[nheaders++], 64, "%s", de->d_name);
    }
    closedir(d);
    if (nheaders < 9) return 1; /* abi animat body circuit helpers host learner param port */
    Suite *s = suite_create("sdk_headers");
    TCase *t = tcase_create("headers");
    tcase_set_timeout(t, 120);
    tcase_add_loop_test(t, header_compiles_alone, 0, nheaders * 3);
    tcase_add_test(t, a_broken_header_fails);
    suite_add_tcase(s, t);
    return ck_run(s);
}
