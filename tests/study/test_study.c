/* test_study.c -- the NCAP study's first table (return at initialisation)
 * on a reduced budget (5 run seeds, 1 episode each), through the study
 * script itself, and the ordering animat's numbers support:
 *   default weights > sign-constrained random init > unsigned random init,
 *   random actions > unsigned random init, and
 *   sign-constrained random init ~ random actions (within 50: across 5
 *   seeds the sign-constrained init spreads from about 30 to 240).
 * The issue expected "sign-constrained > random actions ~ unsigned"; the
 * measured table contradicts that (docs/results.md says so). Also checks
 * the random circuit through plugin-check. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "proc.h"

static const char *exe, *src, *build;
static char dir[256];

/* Mean over seeds of init.csv's rows for `cond`. */
static double row_mean(const char *csv, const char *cond) {
    double sum = 0;
    int n = 0;
    size_t len = strlen(cond);
    for (const char *p = csv; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, cond, len) || p[len] != ',') continue;
        const char *nl = strchr(p, '\n');
        /* the last field of this line */
        const char *f = p;
        for (const char *c = p; c < (nl ? nl : p + strlen(p)); c++)
            if (*c == ',') f = c + 1;
        sum += atof(f);
        n++;
    }
    ck_assert_msg(n == 5, "%d rows for '%s'", n, cond);
    return sum / n;
}

START_TEST(init_table_ordering) {
    proc_out p = proc_run("ANIMAT=%s ANIMAT_PROGRESS_INTERVAL=0.05 python3 %s/experiments/ncap/study --quick "
                          "--only init --seeds 5 --init-episodes 1 --out %s/study", exe, src, dir);
    ck_assert_msg(p.status == 0, "%s%s", p.out, p.err);
    ck_assert_ptr_nonnull(strstr(p.out, "| default weights | "));
    /* progress on stderr, its last line all of the 7 x 5 x 1 episodes planned */
    ck_assert_msg(strstr(p.err, "study: 35/35 episodes (100%)  elapsed "), "progress: %s", p.err);
    proc_free(&p);
    char path[512];
    snprintf(path, sizeof path, "%s/study/init.csv", dir);
    char *csv = proc_slurp(path);
    ck_assert_ptr_nonnull(csv);
    double def = row_mean(csv, "default weights");
    double sgn = row_mean(csv, "sign-constrained random init");
    double uns = row_mean(csv, "unsigned random init");
    double rnd = row_mean(csv, "random actions");
    double zero = row_mean(csv, "zero weights");
    fprintf(stderr, "init table: default %.1f, signed %.1f, unsigned %.1f, random actions %.1f, zero %.1f\n", def,
            sgn, uns, rnd, zero);
    ck_assert_msg(def > 700 && def > sgn + 500, "default %g signed %g", def, sgn);
    ck_assert_msg(sgn > uns + 20, "signed %g unsigned %g", sgn, uns);
    ck_assert_msg(rnd > uns + 20, "random actions %g unsigned %g", rnd, uns);
    ck_assert_msg(fabs(sgn - rnd) < 50, "signed %g random actions %g", sgn, rnd);
    ck_assert_double_eq(zero, 0.0);
    free(csv);
}
END_TEST

START_TEST(random_circuit_passes_plugin_check) {
    proc_out p = proc_run("%s plugin-check %s/circuits/random/random.so", exe, build);
    ck_assert_msg(p.status == 0, "%s%s", p.out, p.err);
    ck_assert_ptr_nonnull(strstr(p.out, "plugin-check: 14 passed, 0 failed"));
    proc_free(&p);
    /* Actions in [-1, 1], reproducible, and not a constant. */
    char text[512];
    snprintf(text, sizeof text,
             "body: {plugin: swimmer}\ncircuit: {plugin: random}\n"
             "wiring:\n  - circuit.out.actions -> body.act.motors\nrun: {max_steps: 50, seed: 3}\n");
    const char *f = proc_write(dir, "rnd.yaml", text);
    proc_out a = proc_run("cd %s && %s run %s --quiet --trace a.csv >/dev/null && %s run %s --quiet --trace b.csv >/dev/null && "
                          "grep -v '^#' a.csv > a.data && grep -v '^#' b.csv > b.data && cmp a.data b.data && "
                          "awk -F, 'NR>1{for(i=4;i<NF;i++){if($i>1||$i<-1)bad=1; s[$i]=1}} END{n=0; for(k in s)n++; "
                          "print (bad?\"out of range\":\"ok\"), n}' a.data",
                          dir, exe, f, exe, f);
    ck_assert_msg(a.status == 0, "%s%s", a.out, a.err);
    ck_assert_msg(strncmp(a.out, "ok ", 3) == 0 && atoi(a.out + 3) > 200, "%s", a.out);
    proc_free(&a);
}
END_TEST

int main(void) {
    exe = getenv("ANIMAT_EXE");
    src = getenv("ANIMAT_SRC");
    build = getenv("ANIMAT_BUILD");
    if (!exe || !src || !build) return 1;
    snprintf(dir, sizeof dir, "%s", proc_tmpdir());
    Suite *s = suite_create("study");
    TCase *t = tcase_create("study");
    tcase_set_timeout(t, 600);
    tcase_add_test(t, random_circuit_passes_plugin_check);
    tcase_add_test(t, init_table_ordering);
    suite_add_tcase(s, t);
    return ck_run(s);
}
