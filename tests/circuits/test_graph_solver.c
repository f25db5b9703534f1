/* test_graph_solver.c -- the graph circuit's solver choice, conductance
 * synapses and per-synapse delays (graph_solver.c, graph_dyn.c,
 * graph_file.c compiled in; the plugin GRAPH_SO; the binary ANIMAT_EXE):
 *   - the analytic Jacobian equals central differences of the right-hand
 *     side (current and conductance synapses, gap junctions, a self
 *     synapse, a clamped unit);
 *   - every offered solver follows rkf45 at tolerance 1e-10 on the shipped
 *     celegans network to within its own tolerance; "animat.state/1" is
 *     offered by the explicit ones and not by msadams;
 *   - a conductance synapse drives its target to the closed-form steady
 *     state v = (I + g a E) / (1 + g a);
 *   - a file delay of D substeps delays the target's first spike by D - 1
 *     substeps against delay 1; bad delays, unknown solvers and epsabs 0
 *     are one-line errors (file:line where from a file);
 *   - plugin-check passes with every offered solver;
 *   - the Cook et al. 2019 and Witvliet et al. 2020 networks parse with the
 *     counts their headers state, and every presynaptic cell of the Cook
 *     neuromuscular table is a neuron of cook2019.graph. */
#include <check.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "graph_dyn.h"
#include "graph_file.h"
#include "graph_solver.h"
#include "proc.h"
#include "testhost.h"

static const animat_plugin_desc *desc(void) { return th_load_env("GRAPH_SO"); }
static const animat_circuit_api *api(void) { return desc()->api; }

static const char *env(const char *name) {
    const char *v = getenv(name);
    ck_assert_msg(v != NULL, "%s unset", name);
    return v;
}

/* Jacobian against central differences of the rhs, for both synapse
 * kinds; unit 1 clamped (its activity, hence its column's chemical part,
 * does not depend on its voltage). */
START_TEST(test_jacobian_fd) {
    graph_def g;
    char err[256];
    const char *text = "neuron A B C D\nchem A B 1.5\nchem B C -2\nchem C C 0.7\nchem D A 0.4\nchem B D 3\n"
                       "gap A C 0.3\ngap B D 1.1\n";
    ck_assert_msg(graph_parse(text, "j", &g, th_mem_calloc, th_mem_free, NULL, err, sizeof err) == 0, "%s", err);
    cu_units u = {0};
    uint32_t mode[4] = {ANIMAT_UNIT_FREE, ANIMAT_UNIT_CLAMP, ANIMAT_UNIT_FREE, ANIMAT_UNIT_FREE};
    double val[4] = {0, 0.3, 0, 0}, input[4] = {0.2, -0.1, 0.5, 0}, a[4];
    u.n = 4;
    u.n_active = 1;
    u.mode = mode;
    u.value = val;
    for (int cond = 0; cond < 2; cond++) {
        graph_rate m = {.g = &g, .tau = 0.05, .v_half = 0.5, .slope = 0.2, .chem_w = g.chem_w, .gap_w = g.gap_w,
                        .input = input, .units = &u, .a = a, .conductance = cond, .e_exc = 1.0, .e_inh = -0.5};
        double v[4] = {0.1, 0.6, -0.3, 0.9}, J[16], dfdt[4], fp[4], fm[4];
        ck_assert_int_eq(graph_rate_jac(0, v, J, dfdt, &m), GSL_SUCCESS);
        for (int j = 0; j < 4; j++) {
            double h = 1e-6, vj = v[j];
            v[j] = vj + h;
            graph_rate_rhs(0, v, fp, &m);
            v[j] = vj - h;
            graph_rate_rhs(0, v, fm, &m);
            v[j] = vj;
            for (int i = 0; i < 4; i++) {
                double fd = (fp[i] - fm[i]) / (2 * h);
                ck_assert_msg(fabs(J[i * 4 + j] - fd) < 1e-6 * (1 + fabs(fd)), "cond %d J[%d][%d] %g fd %g", cond,
                              i, j, J[i * 4 + j], fd);
            }
            ck_assert(dfdt[j] == 0.0);
        }
    }
    graph_def_free(&g, th_mem_free, NULL);
}
END_TEST

/* Outputs of 20 control steps of celegans (rate) with `solver` at
 * tolerance eps, on fixed inputs; whether it offers animat.state/1. */
static void run_celegans(const char *solver, double eps, double *y, int *has_state) {
    th_host *t = th_new(desc(), "circuit", 1);
    th_set_choice(t, "network", "celegans");
    th_set_choice(t, "solver", solver);
    th_set_real(t, "in_gain", 2.0);
    th_set_real(t, "epsabs", eps);
    th_set_real(t, "epsrel", eps);
    void *c = api()->create(th_table(t));
    ck_assert_msg(c != NULL, "%s", th_last_error(t));
    ck_assert_int_eq(api()->reset(c, 0), ANIMAT_OK);
    *has_state = api()->extension(c, ANIMAT_EXT_STATE) != NULL;
    double joints[5], touch[6] = {0}, drive[2] = {0.5, 0.5};
    const double *in[3] = {joints, touch, drive};
    for (int s = 0; s < 20; s++) {
        for (int k = 0; k < 5; k++) joints[k] = sin(0.7 * s + k);
        double *out[1] = {y + 5 * s};
        ck_assert_int_eq(api()->step(c, in, out, 0.03), ANIMAT_OK);
    }
    api()->destroy(c);
    th_free(t);
}

/* Every offered solver at 1e-6 within 2e-4 of rkf45 at 1e-10 (about 200
 * adaptive steps of local error 1e-6 over the 20 control steps; measured:
 * rkf45 1.1e-4, rkck 5.5e-5, rk8pd 8.1e-6, msadams 1.2e-5), and not equal
 * to it bit for bit (it did run its own stepper). */
START_TEST(test_solvers_agree) {
    static const char *const solvers[] = {"rkf45", "rkck", "rk8pd", "msadams"};
    static const int state[] = {1, 1, 1, 0};
    double ref[100], y[100];
    int has;
    run_celegans("rkf45", 1e-10, ref, &has);
    ck_assert(has);
    for (int k = 0; k < 4; k++) {
        run_celegans(solvers[k], 1e-6, y, &has);
        ck_assert_msg(has == state[k], "%s: state extension %d", solvers[k], has);
        double worst = 0;
        for (int i = 0; i < 100; i++) worst = fmax(worst, fabs(y[i] - ref[i]));
        ck_assert_msg(worst < 2e-4 && worst > 0, "%s: max |dy| = %g", solvers[k], worst);
    }
}
END_TEST

/* Neuron B's activity after 6 s (120 tau) with A clamped at activity 1,
 * one synapse A -> B of weight w, input x into B, in the given synapse
 * mode (e_exc 1, e_inh -0.5). */
static double steady_b(const char *synapse, double w, double x) {
    char text[256];
    snprintf(text, sizeof text, "neuron A B\nchem A B %g\nin x B\nout y B\n", w);
    const char *path = proc_write(proc_tmpdir(), "c.graph", text);
    th_host *t = th_new(desc(), "circuit", 1);
    th_set_choice(t, "synapse", synapse);
    th_set_real(t, "epsabs", 1e-12);
    th_set_real(t, "epsrel", 1e-12);
    th_set_path(t, "file", path);
    void *c = api()->create(th_table(t));
    ck_assert_msg(c != NULL, "%s", th_last_error(t));
    ck_assert_int_eq(api()->reset(c, 0), ANIMAT_OK);
    const animat_units_ext *u = api()->extension(c, ANIMAT_EXT_UNITS);
    ck_assert_int_eq(u->override(c, 0, ANIMAT_UNIT_CLAMP, 1.0), ANIMAT_OK);
    double y = 0;
    const double *in[1] = {&x};
    double *out[1] = {&y};
    for (int s = 0; s < 200; s++) ck_assert_int_eq(api()->step(c, in, out, 0.03), ANIMAT_OK);
    api()->destroy(c);
    th_free(t);
    return y;
}

static double sigmoid(double v) { return 1.0 / (1.0 + exp(-(v - 0.5) / 0.1)); }

/* Conductance synapses: v = (x + |w| E) / (1 + |w|) at a = 1; current
 * synapses: v = x + w. */
START_TEST(test_conductance_steady) {
    ck_assert_double_eq_tol(steady_b("conductance", 2.0, 0.3), sigmoid((0.3 + 2.0 * 1.0) / 3.0), 1e-9);
    ck_assert_double_eq_tol(steady_b("conductance", -2.0, 1.0), sigmoid((1.0 - 2.0 * 0.5) / 3.0), 1e-9);
    ck_assert_double_eq_tol(steady_b("current", 2.0, 0.3), sigmoid(2.3), 1e-9);
}
END_TEST

/* LIF, one substep per control step of 0.1 ms: the control step at which
 * B first spikes, A driven hard, synapse A -> B with the file's `delay`
 * field (empty: the circuit's delay 1). -1 if B never spikes. */
static int first_spike_b(const char *delay) {
    char text[256];
    snprintf(text, sizeof text, "neuron A B\nchem A B 400 %s\nin x A\nout y B\n", delay);
    const char *path = proc_write(proc_tmpdir(), "d.graph", text);
    th_host *t = th_new(desc(), "circuit", 1);
    th_set_choice(t, "model", "lif");
    th_set_real(t, "in_gain", 40.0);
    th_set_real(t, "substeps", 1);
    th_set_path(t, "file", path);
    void *c = api()->create(th_table(t));
    ck_assert_msg(c != NULL, "%s", th_last_error(t));
    ck_assert_int_eq(api()->reset(c, 0), ANIMAT_OK);
    const animat_units_ext *u = api()->extension(c, ANIMAT_EXT_UNITS);
    double x = 1.0, y, b = 0;
    const double *in[1] = {&x};
    double *out[1] = {&y};
    int first = -1;
    for (int s = 0; s < 2000 && first < 0; s++) {
        ck_assert_int_eq(api()->step(c, in, out, 1e-4), ANIMAT_OK);
        ck_assert_int_eq(u->get(c, 1, &b), ANIMAT_OK);
        if (b > 0) first = s;
    }
    api()->destroy(c);
    th_free(t);
    return first;
}

START_TEST(test_file_delays) {
    int d1 = first_spike_b(""), d1f = first_spike_b("1"), d8 = first_spike_b("8"), d40 = first_spike_b("40");
    ck_assert_int_ge(d1, 0);
    ck_assert_int_eq(d1f, d1);
    ck_assert_int_eq(d8, d1 + 7);
    ck_assert_int_eq(d40, d1 + 39);
}
END_TEST

/* Bad delays: parser messages; a rate model given delays: create fails
 * naming the file's line. */
START_TEST(test_bad_delays) {
    static const struct {
        const char *text, *msg;
    } bad[] = {
        {"neuron A B\nchem A B 1 0\n", "t.graph:2: delay 0 of A -> B is below one step (substeps, an integer >= 1)"},
        {"neuron A B\n\nchem A B 1 0.5\n",
         "t.graph:3: delay 0.5 of A -> B is below one step (substeps, an integer >= 1)"},
        {"neuron A B\nchem A B 1 2.5\n",
         "t.graph:2: delay 2.5 of A -> B is not a whole number of substeps up to 10000"},
        {"neuron A B\nchem A B 1 -3\n", "t.graph:2: delay -3 of A -> B is below one step (substeps, an integer >= 1)"},
        {"neuron A B\nchem A B 1 soon\n", "t.graph:2: delay 'soon' is not a finite number"},
        {"neuron A B\nchem A B 1 2 3\n", "t.graph:2: 'chem' takes PRE POST WEIGHT [DELAY]"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        graph_def g;
        char err[512];
        ck_assert_int_eq(graph_parse(bad[k].text, "t.graph", &g, th_mem_calloc, th_mem_free, NULL, err, sizeof err), -1);
        ck_assert_str_eq(err, bad[k].msg);
    }
    const char *path = proc_write(proc_tmpdir(), "r.graph", "neuron A B\nchem B A 1\nchem A B 1 3\nin x A\nout y B\n");
    th_host *t = th_new(desc(), "circuit", 1);
    th_set_path(t, "file", path);
    ck_assert_ptr_null(api()->create(th_table(t)));
    char want[1024];
    snprintf(want, sizeof want, "%s:3: per-synapse delays need model: lif (the rate model has none)", path);
    ck_assert_str_eq(th_last_error(t), want);
    th_free(t);
}
END_TEST

/* Through `animat check`: an unknown solver and an absolute tolerance of 0
 * are one line on stderr naming the experiment's line, exit status 1. */
START_TEST(test_cli_bad_params) {
    static const struct {
        const char *params, *msg;
    } bad[] = {{"solver: bdf", "solver"}, {"epsabs: 0", "epsabs"}};
    for (int k = 0; k < 2; k++) {
        const char *dir = proc_tmpdir();
        char text[512];
        snprintf(text, sizeof text,
                 "bodies:\n  swimmer: {plugin: swimmer, params: {n_bodies: 6}}\n"
                 "circuits:\n  g: {plugin: graph, params: {%s}}\n"
                 "wiring:\n  - g.out.muscles -> swimmer.act.motors\n",
                 bad[k].params);
        const char *exp = proc_write(dir, "x.yaml", text);
        proc_out p = proc_run("%s check %s", env("ANIMAT_EXE"), exp);
        ck_assert_int_eq(p.status, 1);
        ck_assert_int_eq(proc_lines(p.err), 1);
        ck_assert_msg(strstr(p.err, exp) && strstr(p.err, ":4:") && strstr(p.err, bad[k].msg), "%s", p.err);
        proc_free(&p);
    }
}
END_TEST

/* plugin-check passes with every offered solver (motor12, rate model). */
START_TEST(test_plugin_check_solvers) {
    static const char *const solvers[] = {"rkf45", "rkck", "rk8pd", "msadams"};
    for (int k = 0; k < 4; k++) {
        proc_out p = proc_run("%s plugin-check %s --set solver=%s --quiet", env("ANIMAT_EXE"), env("GRAPH_SO"),
                              solvers[k]);
        ck_assert_msg(p.status == 0 && strstr(p.out, "14 passed, 0 failed"), "%s: %s%s", solvers[k], p.out, p.err);
        proc_free(&p);
    }
}
END_TEST

/* The shipped connectomes of c302's Cook and Witvliet workbooks. */
START_TEST(test_new_connectomes) {
    const char *src = env("ANIMAT_SRC");
    const struct {
        const char *name;
        uint32_t n, chem, gap, ports;
    } files[] = {{"cook2019", 302, 3709, 1093, 5}, {"witvliet2020", 180, 1933, 296, 3}};
    graph_def g[2];
    for (int k = 0; k < 2; k++) {
        char path[1024], err[512];
        snprintf(path, sizeof path, "%s/circuits/graph/graph-data/%s.graph", src, files[k].name);
        char *text = proc_slurp(path);
        ck_assert_ptr_nonnull(text);
        ck_assert_msg(graph_parse(text, path, &g[k], th_mem_calloc, th_mem_free, NULL, err, sizeof err) == 0, "%s", err);
        ck_assert_uint_eq(g[k].n, files[k].n);
        ck_assert_uint_eq(g[k].n_chem, files[k].chem);
        ck_assert_uint_eq(g[k].n_gap, files[k].gap);
        ck_assert_uint_eq(g[k].n_ports, files[k].ports);
        free(text);
    }
    ck_assert_int_ge(graph_find(&g[0], "CANL"), 0);
    ck_assert_int_ge(graph_find(&g[0], "VC6"), 0);
    ck_assert_int_lt(graph_find(&g[1], "DB1"), 0); /* the nerve ring only */
    char path[1024], pre[64], muscle[64], kind[64];
    snprintf(path, sizeof path, "%s/circuits/graph/graph-data/cook2019_herm_nmj.tsv", src);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    int rows = 0, count, db = 0;
    ck_assert_int_eq(fscanf(f, "%63s %63s %63s %63s", pre, muscle, kind, pre), 4); /* header */
    while (fscanf(f, "%63s %63s %63s %d", pre, muscle, kind, &count) == 4) {
        ck_assert_msg(graph_find(&g[0], pre) >= 0, "NMJ presynaptic %s is not a neuron", pre);
        ck_assert_msg(muscle[0] == 'M' && count > 0, "%s %s %d", pre, muscle, count);
        db += strncmp(pre, "DB", 2) == 0;
        rows++;
    }
    fclose(f);
    ck_assert_int_eq(rows, 961);
    ck_assert_int_gt(db, 0);
    for (int k = 0; k < 2; k++) graph_def_free(&g[k], th_mem_free, NULL);
}
END_TEST

int main(void) {
    Suite *s = suite_create("graph_solver");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_jacobian_fd);
    tcase_add_test(tc, test_solvers_agree);
    tcase_add_test(tc, test_conductance_steady);
    tcase_add_test(tc, test_file_delays);
    tcase_add_test(tc, test_bad_delays);
    tcase_add_test(tc, test_cli_bad_params);
    tcase_add_test(tc, test_new_connectomes);
    tcase_add_test(tc, test_plugin_check_solvers);
    suite_add_tcase(s, tc);
    return ck_run(s);
}
