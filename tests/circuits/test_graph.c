/* test_graph.c -- the graph circuit (GRAPH_SO) and its parser and dynamics
 * (graph_file.c, graph_dyn.c compiled in):
 *   - bad network files are one-line errors naming file and line: unknown
 *     neuron, duplicate synapse or junction, negative gap conductance, a
 *     port naming no neuron, and more; the same line comes back through
 *     the plugin's h->error (the `file` PATH parameter);
 *   - the shipped files parse (motor12, celegans with its documented counts);
 *   - gap currents are antisymmetric; units silence a neuron's chemical
 *     output; outputs follow the port mapping (A-B). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ck_run.h"
#include "graph_dyn.h"
#include "graph_file.h"
#include "proc.h"
#include "testhost.h"

static const animat_plugin_desc *desc(void) { return th_load_env("GRAPH_SO"); }
static const animat_circuit_api *api(void) { return desc()->api; }

#define HEAD "neuron A B C\nchem A B 1.0\n"

/* Bad files and the exact message each gives. */
static const struct {
    const char *text, *msg;
} bad[] = {
    {HEAD "chem A D 0.5\n", "t.graph:3: unknown neuron 'D' (declare it with 'neuron' first)"},
    {HEAD "# comment\nchem A B -2\n", "t.graph:4: duplicate chemical synapse A -> B (first on line 2)"},
    {HEAD "gap A C -0.1\n", "t.graph:3: gap junction A - C has negative conductance -0.1"},
    {HEAD "out y\n", "t.graph:3: port 'y' names no neuron"},
    {HEAD "gap A C 1\ngap C A 1\n", "t.graph:4: duplicate gap junction C - A (first on line 3)"},
    {HEAD "in x A|Q\n", "t.graph:3: unknown neuron 'Q' (declare it with 'neuron' first)"},
    {HEAD "neuron b\n", "t.graph:3: duplicate neuron 'b'"},
    {HEAD "synapse A B 1\n", "t.graph:3: unknown statement 'synapse' (neuron, chem, gap, in, out)"},
    {HEAD "chem B C heavy\n", "t.graph:3: weight 'heavy' is not a finite number"},
    {HEAD "gap B B 1\n", "t.graph:3: gap junction of B with itself"},
    {HEAD "in Xx A\n", "t.graph:3: bad port name 'Xx' (a-z, 0-9, '_')"},
    {HEAD "in x A\nin x B\n", "t.graph:4: duplicate in port 'x'"},
    {"# nothing\n", "t.graph:1: no neurons declared"},
    {HEAD "chem A\n", "t.graph:3: 'chem' takes PRE POST WEIGHT [DELAY]"},
};

START_TEST(test_bad_files_parser) {
    graph_def g;
    char err[512];
    int rc = graph_parse(bad[_i].text, "t.graph", &g, th_mem_calloc, th_mem_free, NULL, err, sizeof err);
    ck_assert_int_eq(rc, -1);
    ck_assert_str_eq(err, bad[_i].msg);
    ck_assert_ptr_null(strchr(err, '\n'));
}
END_TEST

/* Through the plugin (the `file` parameter): create fails with the same
 * one line, the path in place of t.graph. */
START_TEST(test_bad_files_plugin) {
    const char *dir = proc_tmpdir();
    const char *path = proc_write(dir, "t.graph", bad[_i].text);
    char want[1024];
    snprintf(want, sizeof want, "%s%s", path, bad[_i].msg + strlen("t.graph"));
    th_host *t = th_new(desc(), "circuit", 1);
    th_set_path(t, "file", path);
    ck_assert_ptr_null(api()->create(th_table(t)));
    ck_assert_str_eq(th_last_error(t), want);
    th_free(t);
    /* a file that cannot be opened (the host checks paths before create;
     * the plugin still says so in one line) */
    t = th_new(desc(), "circuit", 1);
    th_set_path(t, "file", "/nonexistent/x.graph");
    ck_assert_ptr_null(api()->create(th_table(t)));
    ck_assert_str_eq(th_last_error(t), "/nonexistent/x.graph: cannot open the network file");
    th_free(t);
}
END_TEST

/* The shipped files parse, with the counts their headers state. */
START_TEST(test_shipped_files) {
    const char *src = getenv("ANIMAT_SRC");
    ck_assert_ptr_nonnull(src);
    const struct {
        const char *name;
        uint32_t n, chem, gap, ports;
    } files[] = {{"motor12", 12, 29, 8, 4}, {"celegans", 299, 2266, 563, 4}};
    for (int k = 0; k < 2; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/circuits/graph/graph-data/%s.graph", src, files[k].name);
        char *text = proc_slurp(path);
        ck_assert_ptr_nonnull(text);
        graph_def g;
        char err[512];
        ck_assert_msg(graph_parse(text, path, &g, th_mem_calloc, th_mem_free, NULL, err, sizeof err) == 0, "%s", err);
        ck_assert_uint_eq(g.n, files[k].n);
        ck_assert_uint_eq(g.n_chem, files[k].chem);
        ck_assert_uint_eq(g.n_gap, files[k].gap);
        ck_assert_uint_eq(g.n_ports, files[k].ports);
        graph_def_free(&g, th_mem_free, NULL);
        free(text);
    }
}
END_TEST

/* Gap currents: antisymmetric (they sum to the base), zero at equal
 * voltages. */
START_TEST(test_gap_currents) {
    graph_def g;
    char err[256];
    ck_assert_int_eq(graph_parse("neuron A B C\ngap A B 0.5\ngap B C 2\n", "g", &g, th_mem_calloc, th_mem_free, NULL,
                                 err, sizeof err),
                     0);
    double v[3] = {1.0, -0.5, 0.25}, base[3] = {0.1, 0.2, 0.3}, out[3];
    graph_gap_currents(&g, g.gap_w, v, base, out);
    ck_assert(fabs(out[0] - (0.1 + 0.5 * (-1.5))) < 1e-15);
    ck_assert(fabs(out[1] - (0.2 + 0.5 * 1.5 + 2.0 * 0.75)) < 1e-15);
    ck_assert(fabs(out[2] - (0.3 - 2.0 * 0.75)) < 1e-15);
    ck_assert(fabs(out[0] + out[1] + out[2] - 0.6) < 1e-14);
    graph_def_free(&g, th_mem_free, NULL);
}
END_TEST

/* Through the plugin (motor12, rate model): unit names are the neurons in
 * lower case; clamping AVB to 0 and driving nothing keeps every B neuron's
 * chemical input from AVB at 0, so the outputs are exactly those of an
 * instance whose AVB -> B weights are 0; out.muscles is DBk - VBk. */
START_TEST(test_units_plugin) {
    th_host *ta = th_new(desc(), "circuit", 1), *tb = th_new(desc(), "circuit", 1);
    void *a = api()->create(th_table(ta)), *b = api()->create(th_table(tb));
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(api()->reset(a, 0), ANIMAT_OK);
    ck_assert_int_eq(api()->reset(b, 0), ANIMAT_OK);
    const animat_units_ext *u = api()->extension(a, ANIMAT_EXT_UNITS);
    uint32_t nu;
    const char *const *names = u->names(a, &nu);
    ck_assert_uint_eq(nu, 12);
    ck_assert_str_eq(names[0], "avb");
    ck_assert_str_eq(names[11], "vb5");
    ck_assert_int_eq(u->override(a, 0, ANIMAT_UNIT_CLAMP, 0.0), ANIMAT_OK);
    uint32_t n;
    api()->theta_info(b, &n);
    double *th = calloc(n, sizeof *th);
    ck_assert_int_eq(api()->get_theta(b, th, n), ANIMAT_OK);
    for (int k = 0; k < 10; k++) th[k] = 0.0; /* the AVB -> B synapses come first */
    ck_assert_int_eq(api()->set_theta(b, th, n), ANIMAT_OK);
    /* AVB's own activity must not matter: drive it hard in both */
    double joints[5] = {0.3, -0.2, 0.1, 0.4, -0.5}, drive = 5.0, head = 0.7, ya[5], yb[5];
    const double *in[3] = {joints, &drive, &head};
    for (int s = 0; s < 200; s++) {
        double *oa[1] = {ya}, *ob[1] = {yb};
        ck_assert_int_eq(api()->step(a, in, oa, 0.03), ANIMAT_OK);
        ck_assert_int_eq(api()->step(b, in, ob, 0.03), ANIMAT_OK);
        ck_assert_msg(memcmp(ya, yb, sizeof ya) == 0, "step %d", s);
    }
    /* out.muscles[0] = DB1 - VB1 (out gain 1) */
    double db1, vb1;
    ck_assert_int_eq(u->get(a, 2, &db1), ANIMAT_OK);
    ck_assert_int_eq(u->get(a, 7, &vb1), ANIMAT_OK);
    ck_assert(ya[0] == db1 - vb1);
    free(th);
    api()->destroy(a);
    api()->destroy(b);
    th_free(ta);
    th_free(tb);
}
END_TEST

/* Spike count of neuron B after 1 s of input x (times in_gain 40 nA) into
 * the file's input port, in the LIF model of the file `text` (network:
 * parameter `file`); A's count into *count_a. */
static double lif_count_b(const char *text, double x, double *count_a) {
    const char *path = proc_write(proc_tmpdir(), "lif.graph", text);
    th_host *t = th_new(desc(), "circuit", 1);
    th_set_choice(t, "model", "lif");
    th_set_real(t, "in_gain", 40.0);
    th_set_path(t, "file", path);
    void *c = api()->create(th_table(t));
    ck_assert_msg(c != NULL, "%s", th_last_error(t));
    ck_assert_int_eq(api()->reset(c, 0), ANIMAT_OK);
    const animat_units_ext *u = api()->extension(c, ANIMAT_EXT_UNITS);
    double y, a = 0.0, b = 0.0, v;
    const double *in[1] = {&x};
    double *out[1] = {&y};
    for (int s = 0; s < 100; s++) {
        ck_assert_int_eq(api()->step(c, in, out, 0.01), ANIMAT_OK);
        ck_assert_int_eq(u->get(c, 0, &v), ANIMAT_OK);
        a += v;
        ck_assert_int_eq(u->get(c, 1, &v), ANIMAT_OK);
        b += v;
    }
    api()->destroy(c);
    th_free(t);
    *count_a = a;
    return b;
}

/* LIF model: an excitatory chemical synapse makes B fire from A's spikes,
 * an inhibitory one does not; a gap junction to a silent A shunts B's
 * suprathreshold input (25 mV alone; 13 mV at steady state with g R = 10)
 * and silences it, where conductance 0 leaves B firing. */
START_TEST(test_lif_model) {
    double a;
    ck_assert(lif_count_b("neuron A B\nchem A B 200\nin x A\nout y B\n", 1.0, &a) > 0.0);
    ck_assert(a > 10.0);
    ck_assert(lif_count_b("neuron A B\nchem A B -200\nin x A\nout y B\n", 1.0, &a) == 0.0);
    ck_assert(a > 10.0);
    ck_assert(lif_count_b("neuron A B\ngap A B 0\nin x B\nout y A\n", 0.625, &a) > 10.0);
    ck_assert(a == 0.0);
    ck_assert(lif_count_b("neuron A B\ngap A B 10\nin x B\nout y A\n", 0.625, &a) == 0.0);
    ck_assert(a == 0.0);
}
END_TEST

/* A network file of a million lines (1000 neurons, 999000 synapses, a
 * duplicate at the end) parses in linear time: it ran > 120 s when every
 * name and synapse was found by a scan of those before it. */
START_TEST(test_big_file_linear) {
    enum { N = 1000 };
    size_t cap = (size_t)N * N * 24 + 65536, len = 0;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    len += (size_t)snprintf(text + len, cap - len, "neuron");
    for (int i = 0; i < N; i++) len += (size_t)snprintf(text + len, cap - len, " n%d", i);
    len += (size_t)snprintf(text + len, cap - len, "\n");
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            if (i != j) len += (size_t)snprintf(text + len, cap - len, "chem n%d N%d 0.5\n", i, j);
    len += (size_t)snprintf(text + len, cap - len, "in x n0\nout y n1\nchem n7 n8 1\n");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    graph_def g;
    char err[256] = "";
    int rc = graph_parse(text, "big.graph", &g, th_mem_calloc, th_mem_free, NULL, err, sizeof err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double took = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(!strcmp(err, "big.graph:999004: duplicate chemical synapse n7 -> n8 (first on line 7002)"), "%s",
                  err);
    /* the same without the duplicate parses whole */
    text[len - strlen("chem n7 n8 1\n")] = '\0';
    ck_assert_msg(graph_parse(text, "big.graph", &g, th_mem_calloc, th_mem_free, NULL, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(g.n, N);
    ck_assert_uint_eq(g.n_chem, N * (N - 1));
    ck_assert_uint_eq(g.chem_post[N * (N - 1) - 1], N - 2);
    graph_def_free(&g, th_mem_free, NULL);
    free(text);
    if (!getenv("ANIMAT_WRAP")) ck_assert_msg(took < 10, "parsing took %g s", took);
}
END_TEST

int main(void) {
    Suite *s = suite_create("graph");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    int nbad = (int)(sizeof bad / sizeof bad[0]);
    tcase_add_loop_test(tc, test_bad_files_parser, 0, nbad);
    tcase_add_loop_test(tc, test_bad_files_plugin, 0, nbad);
    tcase_add_test(tc, test_shipped_files);
    tcase_add_test(tc, test_gap_currents);
    tcase_add_test(tc, test_units_plugin);
    tcase_add_test(tc, test_lif_model);
    tcase_add_test(tc, test_big_file_linear);
    suite_add_tcase(s, tc);
    return ck_run(s);
}
