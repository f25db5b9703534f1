/* test_circuit_cli.c -- the new circuit plugins end to end through the
 * real `animat` binary (ANIMAT_EXE):
 *   - `animat plugin-check PLUGIN.so` passes every check;
 *   - `animat train EXAMPLE` (ES, short budget) writes the same parameter
 *     file on 1 and 2 threads (every line but the provenance comments, which
 *     name the command line);
 *   - the example runs.
 * One loop iteration per circuit; the table names the .so (through the
 * environment) and the shipped example experiment. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "proc.h"

static const struct {
    const char *env;     /* variable holding the plugin's path */
    const char *example; /* examples/ file driving it with a learner block */
} circuits[] = {
    {"LIF_SO", "swimmer-lif.yaml"},
    {"CTRNN_SO", "swimmer-ctrnn.yaml"},
    {"CPG_SO", "swimmer-cpg.yaml"},
    {"GRAPH_SO", "swimmer-graph.yaml"},
    {"ELM_SO", "delaycue-elm.yaml"},
};
#define N_CIRCUITS ((int)(sizeof circuits / sizeof circuits[0]))

static const char *env(const char *name) {
    const char *v = getenv(name);
    ck_assert_msg(v && *v, "%s is not set", name);
    return v;
}

START_TEST(test_plugin_check) {
    proc_out p = proc_run("%s plugin-check %s", env("ANIMAT_EXE"), env(circuits[_i].env));
    ck_assert_msg(p.status == 0 && !p.signaled, "%s: exit %d\n%.2000s%.1000s", circuits[_i].env,
                  p.status, p.out, p.err);
    ck_assert_msg(!strstr(p.out, "FAIL") && !strstr(p.out, "SKIP") && strstr(p.out, " passed, 0 failed\n"),
                  "%.2000s", p.out);
    proc_free(&p);
}
END_TEST

/* The parameter file without comment lines (caller frees). */
static char *params_body(const char *path) {
    char *s = proc_slurp(path);
    ck_assert_msg(s != NULL, "no parameter file %s", path);
    char *out = calloc(strlen(s) + 1, 1), *o = out;
    for (char *line = s; *line;) {
        char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line + 1) : strlen(line);
        if (line[0] != '#') {
            memcpy(o, line, len);
            o += len;
        }
        line += len;
    }
    free(s);
    return out;
}

START_TEST(test_train_threads_bit_identical) {
    const char *dir = proc_tmpdir();
    char *body[2];
    for (int threads = 1; threads <= 2; threads++) {
        proc_out p = proc_run("cd %s && %s train %s/examples/%s --epochs 2 --threads %d "
                              "--set run.max_steps=100 --set learner.params.population=4 "
                              "--set train.output=p%d.yaml --set train.curve=c%d.csv",
                              dir, env("ANIMAT_EXE"), env("ANIMAT_SRC"), circuits[_i].example,
                              threads, threads, threads);
        ck_assert_msg(p.status == 0, "%s on %d threads: exit %d\n%.2000s%.2000s", circuits[_i].example,
                      threads, p.status, p.out, p.err);
        proc_free(&p);
        char path[512];
        snprintf(path, sizeof path, "%s/p%d.yaml", dir, threads);
        body[threads - 1] = params_body(path);
        ck_assert_ptr_nonnull(strstr(body[threads - 1], "theta: ["));
    }
    ck_assert_msg(strcmp(body[0], body[1]) == 0, "%s: 1 and 2 threads differ", circuits[_i].example);
    free(body[0]);
    free(body[1]);
}
END_TEST

START_TEST(test_example_runs) {
    proc_out p = proc_run("%s run %s/examples/%s --set run.max_steps=100 --quiet", env("ANIMAT_EXE"),
                          env("ANIMAT_SRC"), circuits[_i].example);
    ck_assert_msg(p.status == 0, "%s: exit %d\n%.2000s", circuits[_i].example, p.status, p.err);
    proc_free(&p);
}
END_TEST

/* graph's `file` parameter end to end: resolved against the experiment's
 * folder; a bad network file is one line naming the experiment's line and
 * the network file's line. */
START_TEST(test_graph_file_error) {
    const char *dir = proc_tmpdir();
    proc_write(dir, "bad.graph", "neuron A B\nchem A B 1\nin x A\nout y B A\nchem B A -1\nchem A B 2\n");
    const char *exp = proc_write(dir, "x.yaml",
                                 "bodies:\n  swimmer: {plugin: swimmer, params: {n_bodies: 3}}\n"
                                 "circuits:\n  g: {plugin: graph, params: {file: bad.graph}}\n"
                                 "wiring:\n  - g.out.y -> swimmer.act.motors\n");
    proc_out p = proc_run("%s check %s", env("ANIMAT_EXE"), exp);
    ck_assert_int_eq(p.status, 1);
    char want[1024];
    snprintf(want, sizeof want,
             "error: %s:4:6: g (graph): create failed: %s/bad.graph:6: duplicate chemical synapse A -> B "
             "(first on line 2)\n",
             exp, dir);
    ck_assert_str_eq(p.err, want);
    proc_free(&p);
}
END_TEST

int main(void) {
    Suite *s = suite_create("circuit_cli");
    TCase *tc = tcase_create("cli");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, test_plugin_check, 0, N_CIRCUITS);
    tcase_add_loop_test(tc, test_train_threads_bit_identical, 0, N_CIRCUITS);
    tcase_add_loop_test(tc, test_example_runs, 0, N_CIRCUITS);
    tcase_add_test(tc, test_graph_file_error);
    suite_add_tcase(s, tc);
    return ck_run(s);
}
