/* test_yaml.c -- the YAML tree (positions, refusals, --set paths) and the
 * parameter resolver (defaults, types, ranges, lists, choices). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ck_run.h"
#include "base/params.h"
#include "base/yamltree.h"

static yamltree *parse(const char *text, errmsg *e) {
    errmsg_clear(e);
    return yamltree_parse("t.yaml", text, strlen(text), e);
}

START_TEST(positions) {
    errmsg e;
    yamltree *d = parse("a: 1\nb:\n  c: [x, 'y']\n", &e);
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->kind, YAMLTREE_MAP);
    yamltree *c = yamltree_get(yamltree_get(d, "b"), "c");
    ck_assert_int_eq(c->kind, YAMLTREE_SEQ);
    ck_assert_uint_eq(c->line, 3);
    ck_assert_uint_eq(c->col, 6);
    ck_assert_str_eq(c->vals[1]->str, "y");
    ck_assert_int_eq(c->vals[1]->quoted, 1);
    ck_assert_int_eq(c->vals[0]->quoted, 0);
    ck_assert_uint_eq(yamltree_key(d, "b")->line, 2);
    yamltree_free(d);
}
END_TEST

START_TEST(refusals) {
    errmsg e;
    struct { const char *text, *want; } cases[] = {
        {"a: 1\na: 2\n", "t.yaml:2:1: duplicate key 'a'"},
        {"a: &x 1\nb: *x\n", "t.yaml:2:4: YAML aliases (*name) are not supported"},
        {"a: [1, 2\n", "t.yaml:1:4: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence"},
        {"a: 'open\n\nb: 2\n", "t.yaml:1:4: invalid YAML: found unexpected end of stream while scanning a quoted scalar"},
        {"a: 1\nb: \x01\n", "t.yaml:2:4: invalid YAML: control characters are not allowed"},
        {"a: 1\n---\nb: 2\n", "more than one YAML document"},
        {"? [1, 2]\n: 3\n", "mapping keys must be plain names"},
        {"a: !!str 1\n", "YAML tags are not supported"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        yamltree *d = parse(cases[i].text, &e);
        ck_assert_msg(d == NULL, "case %zu parsed", i);
        ck_assert_msg(strstr(e.msg, cases[i].want), "case %zu: '%s' lacks '%s'", i, e.msg, cases[i].want);
    }
    /* Deep nesting is refused, not a stack overflow. */
    char deep[1000];
    memset(deep, '[', 300);
    deep[300] = '\0';
    ck_assert_ptr_null(parse(deep, &e));
    ck_assert_ptr_nonnull(strstr(e.msg, "nesting deeper than 64"));
    /* Empty document: an empty mapping. */
    yamltree *d = parse("", &e);
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->kind, YAMLTREE_MAP);
    ck_assert_uint_eq(d->n, 0);
    yamltree_free(d);
}
END_TEST

START_TEST(set_path) {
    errmsg e;
    yamltree *d = parse("body:\n  params:\n    n: 1\n", &e);
    yamltree *v = parse("[3, 4]", &e);
    ck_assert_int_eq(yamltree_set_path(d, "body.params.n", v, &e), 0);
    ck_assert_int_eq(yamltree_get(yamltree_get(yamltree_get(d, "body"), "params"), "n")->kind, YAMLTREE_SEQ);
    v = parse("7", &e);
    ck_assert_int_eq(yamltree_set_path(d, "run.seed", v, &e), 0); /* creates run: */
    ck_assert_str_eq(yamltree_get(yamltree_get(d, "run"), "seed")->str, "7");
    v = parse("1", &e);
    errmsg_clear(&e);
    ck_assert_int_ne(yamltree_set_path(d, "run.seed.x", v, &e), 0);
    ck_assert_ptr_nonnull(strstr(e.msg, "'run.seed' is a single value, not a mapping"));
    v = parse("1", &e);
    errmsg_clear(&e);
    ck_assert_int_ne(yamltree_set_path(d, "a..b", v, &e), 0);
    yamltree_free(d);
}
END_TEST

/* --set paths with list indices: a[1].b, a[0][1], positioned errors for an
 * index out of range and for indexing what is not a list. */
START_TEST(set_path_index) {
    errmsg e;
    yamltree *d = parse("iv:\n  - {from: 10, to: 20}\n  - {from: 1}\nw: [a, b, [c, d]]\nrun: {seed: 1}\n", &e);
    ck_assert_int_eq(yamltree_set_path(d, "iv[1].from", parse("0", &e), &e), 0);
    ck_assert_str_eq(yamltree_get(yamltree_get(d, "iv")->vals[1], "from")->str, "0");
    ck_assert_str_eq(yamltree_get(yamltree_get(d, "iv")->vals[0], "from")->str, "10");
    ck_assert_int_eq(yamltree_set_path(d, "iv[0].new", parse("5", &e), &e), 0); /* adds a key */
    ck_assert_str_eq(yamltree_get(yamltree_get(d, "iv")->vals[0], "new")->str, "5");
    ck_assert_int_eq(yamltree_set_path(d, "w[1]", parse("x", &e), &e), 0);
    ck_assert_str_eq(yamltree_get(d, "w")->vals[1]->str, "x");
    ck_assert_int_eq(yamltree_set_path(d, "w[2][0]", parse("y", &e), &e), 0);
    ck_assert_str_eq(yamltree_get(d, "w")->vals[2]->vals[0]->str, "y");
    static const char *const bad[][2] = {
        {"iv[2].from", "t.yaml:2:3: --set iv[2].from: 'iv' has 2 items: index [2] is out of range"},
        {"w[2][5]", "t.yaml:4:11: --set w[2][5]: 'w[2]' has 2 items: index [5] is out of range"},
        {"run[0]", "t.yaml:5:6: --set run[0]: 'run' is a mapping, not a list: it has no index [0]"},
        {"iv[0].from[1]", "t.yaml:2:12: --set iv[0].from[1]: 'iv[0].from' is a single value, not a list"},
        {"nope[0].x", "--set nope[0].x: 'nope' does not exist: there is no list to index"},
        {"iv[x].from", "--set iv[x].from: '[x]' is not a list index ([0], [1], ...)"},
        {"iv[-1]", "--set iv[-1]: '[-1]' is not a list index"},
        {"iv[0]x", "--set iv[0]x: 'x' after a list index (expected . or [)"},
        {"[0]", "--set [0]: '' is not a key path"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        errmsg_clear(&e);
        ck_assert_int_ne(yamltree_set_path(d, bad[i][0], parse("1", &e), &e), 0);
        ck_assert_msg(strstr(e.msg, bad[i][1]), "%s: got '%s'", bad[i][0], e.msg);
    }
    ck_assert_ptr_null(yamltree_get(d, "nope")); /* a failed path leaves no key behind */
    yamltree_free(d);
}
END_TEST

static const animat_param_info table[] = {
    {sizeof(animat_param_info), ANIMAT_PARAM_INT, 0, 0, "n", "", 6, 3, 16, NULL, NULL, "count"},
    {sizeof(animat_param_info), ANIMAT_PARAM_REAL, 0, 0, "x", "m", 0.5, 0, 1, NULL, NULL, "length"},
    {sizeof(animat_param_info), ANIMAT_PARAM_BOOL, 0, 0, "on", "", 1, 0, 1, NULL, NULL, "switch"},
    {sizeof(animat_param_info), ANIMAT_PARAM_CHOICE, 0, 0, "mode", "", 1, 0, 0, "a|bb|c", NULL, "mode"},
    {sizeof(animat_param_info), ANIMAT_PARAM_REAL_LIST, 0, 0, "h", "", 0, 1, 100, NULL, "64, 32", "sizes"},
};

/* Resolve `text` against the table; returns rc, result in *s. */
static int resolve(const char *text, params_set *s, errmsg *e) {
    yamltree *d = parse(text, e);
    ck_assert_ptr_nonnull(d);
    int rc = params_resolve(table, 5, d, "p", "test", s, e);
    yamltree_free(d);
    return rc;
}

START_TEST(params_defaults_and_values) {
    errmsg e;
    params_set s;
    ck_assert_int_eq(params_check_table(table, 5, "test", &e), 0);
    ck_assert_int_eq(resolve("{}", &s, &e), 0);
    ck_assert(params_find(&s, "n")->real == 6);
    ck_assert_str_eq(params_find(&s, "mode")->choice, "bb");
    ck_assert_uint_eq(params_find(&s, "h")->nlist, 2);
    ck_assert(params_find(&s, "h")->list[1] == 32);
    params_free(&s);
    ck_assert_int_eq(resolve("n: 9\nx: 1e-1\non: false\nmode: c\nh: [5]\n", &s, &e), 0);
    ck_assert(params_find(&s, "n")->real == 9);
    ck_assert(params_find(&s, "x")->real == 0.1);
    ck_assert(params_find(&s, "on")->real == 0);
    ck_assert_str_eq(params_find(&s, "mode")->choice, "c");
    ck_assert(params_find(&s, "mode")->real == 2);
    ck_assert_uint_eq(params_find(&s, "h")->nlist, 1);
    params_free(&s);
}
END_TEST

START_TEST(params_errors) {
    struct { const char *text, *want; } cases[] = {
        {"n: 2\n", "t.yaml:1:4: p.n: 2 is out of range [3, 16] (plugin test)"},
        {"n: 4.5\n", "p.n: 4.5 must be an integer"},
        {"n: '5'\n", "p.n: expected an integer, got a quoted string '5' (remove the quotes)"},
        {"x: 1e400\n", "t.yaml:1:4: p.x: 1e400 is out of range [0, 1] (plugin test)"},
        {"h: [1, 0]\n", "t.yaml:1:8: p.h[1]: 0 is out of range [1, 100] (plugin test)"},
        {"x: nan\n", "p.x: expected a number, got 'nan'"},
        {"x: inf\n", "p.x: expected a number, got 'inf'"},
        {"x: 0x10\n", "p.x: expected a number, got '0x10'"},
        {"x: [1]\n", "p.x: expected a number, got a list"},
        {"on: 1\n", "p.on: expected true or false, got '1'"},
        {"mode: d\n", "p.mode: 'd' is not one of a|bb|c"},
        {"h: 5\n", "p.h: expected a list of numbers like [64, 64], got a single value"},
        {"h: [1, 200]\n", "p.h[1]: 200 is out of range [1, 100]"},
        {"h: [1, x]\n", "t.yaml:1:8: p.h[1]: expected a number"},
        {"zz: 1\n", "t.yaml:1:1: p: unknown parameter 'zz' for plugin test (known: n, x, on, mode, h)"},
        {"[1]\n", "p: expected a mapping of parameter: value"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        errmsg e;
        params_set s;
        ck_assert_msg(resolve(cases[i].text, &s, &e) != 0, "case %zu accepted", i);
        ck_assert_msg(strstr(e.msg, cases[i].want), "case %zu: '%s' lacks '%s'", i, e.msg, cases[i].want);
    }
}
END_TEST

/* PATH parameters (ABI 1.2): resolved against the folder of the file that
 * holds them, checked to be a readable regular file, "" when unset. */
START_TEST(params_path) {
    static const animat_param_info pt[] = {
        {.struct_size = sizeof(animat_param_info), .type = ANIMAT_PARAM_PATH, .name = "model", .unit = "",
         .doc = "a model file"},
    };
    char dir[] = "/tmp/animat-path-XXXXXX", file[128], text[256];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(file, sizeof file, "%s/m.xml", dir);
    FILE *f = fopen(file, "w");
    ck_assert_ptr_nonnull(f);
    fputs("<mujoco/>", f);
    fclose(f);
    errmsg e;
    params_set s;
    ck_assert_int_eq(params_check_table(pt, 1, "t", &e), 0);
    /* unset: "" */
    yamltree *d = parse("{}", &e);
    ck_assert_int_eq(params_resolve(pt, 1, d, "p", "t", &s, &e), 0);
    ck_assert_ptr_null(params_find(&s, "model")->path);
    params_free(&s);
    yamltree_free(d);
    /* relative to the experiment file's folder */
    char yfile[128];
    snprintf(yfile, sizeof yfile, "%s/exp.yaml", dir);
    errmsg_clear(&e);
    d = yamltree_parse(yfile, "model: m.xml\n", 13, &e);
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(params_resolve(pt, 1, d, "p", "t", &s, &e), 0);
    ck_assert_str_eq(params_find(&s, "model")->path, file);
    params_free(&s);
    yamltree_free(d);
    /* missing file, a directory, empty: positioned one-line errors */
    const char *bad[][2] = {{"model: nope.xml\n", "No such file or directory"},
                            {"model: /tmp\n", "not a regular file"},
                            {"model: ''\n", "p.model: empty file path"}};
    for (size_t i = 0; i < 3; i++) {
        snprintf(text, sizeof text, "%s", bad[i][0]);
        errmsg_clear(&e);
        d = yamltree_parse(yfile, text, strlen(text), &e);
        ck_assert_int_ne(params_resolve(pt, 1, d, "p", "t", &s, &e), 0);
        ck_assert_msg(strstr(e.msg, bad[i][1]) && strstr(e.msg, "exp.yaml:1:8: p.model"), "%zu: %s", i, e.msg);
        yamltree_free(d);
    }
    remove(file);
    rmdir(dir);
}
END_TEST

/* Plugin strings printed safely: control bytes escaped, long ones cut. */
START_TEST(printable_strings) {
    char buf[32];
    ck_assert_str_eq(errmsg_printable("a\x1b[31mb\n", buf, sizeof buf), "a\\x1b[31mb\\x0a");
    ck_assert_str_eq(errmsg_printable(NULL, buf, sizeof buf), "(null)");
    char longs[200];
    memset(longs, 'x', sizeof longs - 1);
    longs[sizeof longs - 1] = 0;
    errmsg_printable(longs, buf, sizeof buf);
    ck_assert_uint_lt(strlen(buf), sizeof buf);
    ck_assert_ptr_nonnull(strstr(buf, "..."));
}
END_TEST

START_TEST(table_checks) {
    errmsg e;
    animat_param_info bad[2] = {table[0], table[0]};
    errmsg_clear(&e);
    ck_assert_int_ne(params_check_table(bad, 2, "t", &e), 0);
    ck_assert_ptr_nonnull(strstr(e.msg, "parameter 'n' declared twice"));
    bad[1].name = "Bad Name";
    errmsg_clear(&e);
    ck_assert_int_ne(params_check_table(bad, 2, "t", &e), 0);
    ck_assert_ptr_nonnull(strstr(e.msg, "invalid name"));
    bad[1] = table[3];
    bad[1].def = 7;
    errmsg_clear(&e);
    ck_assert_int_ne(params_check_table(bad, 2, "t", &e), 0);
    ck_assert_ptr_nonnull(strstr(e.msg, "bad choices or default"));
}
END_TEST

static double mono_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* A FIFO nobody writes is one line within the wait (it blocked forever in
 * open); one whose writer comes late, as bash's <(...) does, still reads. */
START_TEST(fifo_bounded) {
    char path[] = "/tmp/animat-fifo-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(path));
    char fifo[64];
    snprintf(fifo, sizeof fifo, "%s/p.yaml", path);
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    errmsg e;
    errmsg_clear(&e);
    double t0 = mono_now();
    ck_assert_ptr_null(yamltree_load_within(fifo, 0.3, &e));
    double took = mono_now() - t0;
    ck_assert_msg(took >= 0.25 && took < 3, "took %g s", took);
    ck_assert_msg(strstr(e.msg, "p.yaml: no data within 0.3 s"), "%s", e.msg);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(200000); /* the reader is already waiting */
        FILE *w = fopen(fifo, "w");
        if (w) fputs("theta: [1, 2]\n", w);
        _exit(w && fclose(w) == 0 ? 0 : 1);
    }
    yamltree *d = yamltree_load_within(fifo, 5, &e);
    int st;
    waitpid(pid, &st, 0);
    ck_assert_msg(d, "%s", e.msg);
    ck_assert_uint_eq(yamltree_get(d, "theta")->n, 2);
    yamltree_free(d);
    unlink(fifo);
    rmdir(path);
}
END_TEST

int main(void) {

    Suite *s = suite_create("yaml");
    TCase *t = tcase_create("yaml");
    tcase_add_test(t, positions);
    tcase_add_test(t, refusals);
    tcase_add_test(t, set_path);
    tcase_add_test(t, set_path_index);
    tcase_add_test(t, params_defaults_and_values);
    tcase_add_test(t, params_errors);
    tcase_add_test(t, table_checks);
    tcase_add_test(t, params_path);
    tcase_add_test(t, printable_strings);
    tcase_add_test(t, fifo_bounded);
    suite_add_tcase(s, t);
    return ck_run(s);
}
