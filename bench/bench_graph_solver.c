/* bench_graph_solver.c -- every GSL odeiv2 stepper on the graph circuit's
 * rate model (circuits/graph: graph_dyn.c, graph_solver.c compiled in) on
 * the shipped celegans network at the plugin's defaults (tau 0.05, v_half
 * 0.5, slope 0.1, in_gain 2) in control steps of 30 ms on fixed
 * pseudo-random inputs into every input port: process CPU time per control
 * step, accepted steps, right-hand side and Jacobian evaluations per
 * control step, and the largest deviation of the voltages from rkf45 at
 * tolerance 1e-10 after the run. The implicit steppers (rk2imp, rk4imp,
 * bsimp, msbdf) use the analytic Jacobian graph_rate_jac.
 *
 *   bench_graph_solver FILE.graph [--steps N] [--eps E] [--tau T] [STEPPER...]
 *     (default: 50 steps, eps 1e-6 for epsabs and epsrel, every stepper)
 */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "graph_solver.h"

static long n_rhs, n_jac;

static int count_rhs(double t, const double *v, double *f, void *m) {
    n_rhs++;
    return graph_rate_rhs(t, v, f, m);
}
static int count_jac(double t, const double *v, double *J, double *ft, void *m) {
    n_jac++;
    return graph_rate_jac(t, v, J, ft, m);
}

static void *b_alloc(void *ctx, size_t n) {
    (void)ctx;
    return calloc(1, n);
}
static void b_free(void *ctx, void *p) {
    (void)ctx;
    free(p);
}

static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Inputs of control step s into in (n values): every input element gets
 * 2 sin(0.7 s + e) (in_gain 2). */
static void inputs(const graph_def *g, int s, double *in) {
    double x[256], gain[256];
    memset(in, 0, g->n * sizeof *in);
    for (uint32_t p = 0; p < g->n_ports; p++) {
        if (g->ports[p].dir != 0 || g->ports[p].size > 256) continue;
        for (uint32_t e = 0; e < g->ports[p].size; e++) {
            x[e] = sin(0.7 * s + e);
            gain[e] = 2.0;
        }
        graph_encode(g, &g->ports[p], x, gain, in);
    }
}

/* Run `steps` control steps with stepper `name` at tolerance eps; voltages
 * into v. CPU seconds, or -1 on failure. */
static double run(const graph_def *g, const char *name, double eps, double tau, int steps, double *v,
                  double *in, double *a, long *n_steps) {
    graph_rate m = {.g = g, .tau = tau, .v_half = 0.5, .slope = 0.1, .chem_w = g->chem_w, .gap_w = g->gap_w,
                    .input = in, .a = a};
    graph_solver s;
    if (graph_solver_init(&s, &m, name, 1e-3, eps, eps) != 0) return -1;
    s.sys.function = count_rhs;
    s.sys.jacobian = count_jac;
    gsl_odeiv2_driver_free(s.driver);
    s.driver = gsl_odeiv2_driver_alloc_y_new(&s.sys, graph_solver_type(name), 1e-3, eps, eps);
    gsl_odeiv2_driver_set_nmax(s.driver, 1000000);
    memset(v, 0, g->n * sizeof *v);
    n_rhs = n_jac = *n_steps = 0;
    double t0 = cpu_now();
    for (int k = 0; k < steps; k++) {
        inputs(g, k, in);
        if (graph_solver_advance(&s, v, 0.03) != GSL_SUCCESS) {
            graph_solver_free(&s);
            return -1;
        }
        *n_steps += (long)s.driver->n;
    }
    double cpu = cpu_now() - t0;
    graph_solver_free(&s);
    return cpu;
}

int main(int argc, char **argv) {
    static const char *const all[] = {"rkf45", "rkck", "rk8pd", "msadams", "rk2imp", "rk4imp", "bsimp", "msbdf"};
    int steps = 50, first = 0;
    double eps = 1e-6, tau = 0.05;
    const char *names[16];
    int nn = 0;
    for (int k = 2; k < argc; k++) {
        if (!strcmp(argv[k], "--steps") && k + 1 < argc) steps = atoi(argv[++k]);
        else if (!strcmp(argv[k], "--eps") && k + 1 < argc) eps = atof(argv[++k]);
        else if (!strcmp(argv[k], "--tau") && k + 1 < argc) tau = atof(argv[++k]);
        else if (graph_solver_type(argv[k]) && nn < 16) names[nn++] = argv[k];
        else first = 1;
    }
    if (argc < 2 || first || steps < 1 || !(eps > 0) || !(tau > 0)) {
        fprintf(stderr, "usage: bench_graph_solver FILE.graph [--steps N] [--eps E] [--tau T] [STEPPER...]\n");
        return 1;
    }
    if (nn == 0)
        for (size_t k = 0; k < sizeof all / sizeof all[0]; k++) names[nn++] = all[k];
    FILE *f = fopen(argv[1], "rb");
    static char text[16 << 20];
    size_t len = f ? fread(text, 1, sizeof text - 1, f) : 0;
    if (f) fclose(f);
    text[len] = '\0';
    graph_def g;
    char err[512];
    if (!f || graph_parse(text, argv[1], &g, b_alloc, b_free, NULL, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", f ? err : "cannot read the network file");
        return 1;
    }
    gsl_set_error_handler_off();
    double *ref = calloc(g.n, sizeof *ref), *v = calloc(g.n, sizeof *v), *in = calloc(g.n, sizeof *in),
           *a = calloc(g.n, sizeof *a);
    long ns;
    if (run(&g, "rkf45", 1e-10, tau, steps, ref, in, a, &ns) < 0) return 1;
    printf("%u neurons, %u chemical synapses, %u gap junctions; %d control steps of 30 ms; tau %g; eps %g\n", g.n,
           g.n_chem, g.n_gap, steps, tau, eps);
    printf("%-8s %12s %10s %10s %10s %14s\n", "stepper", "cpu us/step", "steps/ctl", "rhs/ctl", "jac/ctl",
           "max|v-ref|");
    for (int k = 0; k < nn; k++) {
        double cpu = run(&g, names[k], eps, tau, steps, v, in, a, &ns);
        if (cpu < 0) {
            printf("%-8s failed\n", names[k]);
            continue;
        }
        double worst = 0;
        for (uint32_t i = 0; i < g.n; i++) worst = fmax(worst, fabs(v[i] - ref[i]));
        printf("%-8s %12.1f %10.1f %10.1f %10.2f %14.3g\n", names[k], 1e6 * cpu / steps, (double)ns / steps,
               (double)n_rhs / steps, (double)n_jac / steps, worst);
    }
    graph_def_free(&g, b_free, NULL);
    free(ref);
    free(v);
    free(in);
    free(a);
    return 0;
}
