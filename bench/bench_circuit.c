/* bench_circuit.c -- nanoseconds per control step of one circuit plugin,
 * called through its ABI table exactly as the host does (no body, no
 * physics): the circuit's share of a control step.
 *
 *   bench_circuit ncap PATH/ncap.so [N_JOINTS]     shared NCAP, default weights
 *   bench_circuit mlp  PATH/mlp.so  [N_IN N_OUT]   64x64 tanh MLP, uniform init
 *
 * Inputs change every step (rows of a precomputed travelling sine wave in
 * [-1, 1], so no maths of ours is timed) and outputs are summed into a
 * printed checksum, so nothing is optimised away. Five
 * rounds of 200000 steps after a warm-up; prints the median ns/step.
 */
#include <animat/animat.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testhost.h"

#define ROUNDS 5
#define STEPS 200000

/* Monotonic clock in seconds. */
static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define TABLE 1024

/* Run `steps` steps of circuit `self` reading input rows of `nin` values
 * from `table` (TABLE rows) and writing `nout` outputs; returns seconds and
 * adds a weighted sum of the outputs to *sum. */
static double run(const animat_circuit_api *api, void *self, uint32_t nin, uint32_t nout, const double *table,
                  double *out, long steps, double *sum) {
    double *outs[1] = {out};
    double t0 = now();
    for (long s = 0; s < steps; s++) {
        const double *ins[1] = {table + (size_t)(s % TABLE) * nin};
        if (api->step(self, ins, outs, 0.03) != ANIMAT_OK) {
            fprintf(stderr, "step failed\n");
            exit(1);
        }
        for (uint32_t i = 0; i < nout; i++) *sum += (double)(i + 1) * out[i];
    }
    return now() - t0;
}

int main(int argc, char **argv) {
    if (argc < 3 || (strcmp(argv[1], "ncap") && strcmp(argv[1], "mlp"))) {
        fprintf(stderr, "usage: bench_circuit ncap|mlp PLUGIN.so [sizes]\n");
        return 2;
    }
    int mlp = !strcmp(argv[1], "mlp");
    const animat_plugin_desc *d = th_load(argv[2]);
    if (!d) return 1;
    th_host *t = th_new(d, "circuit", 1);
    uint32_t nin = mlp ? (argc > 3 ? (uint32_t)atoi(argv[3]) : 23) : (argc > 3 ? (uint32_t)atoi(argv[3]) : 5);
    uint32_t nout = mlp ? (argc > 4 ? (uint32_t)atoi(argv[4]) : 5) : nin;
    th_set_wired(t, ANIMAT_PORT_IN, mlp ? "obs" : "joints", nin);
    th_set_wired(t, ANIMAT_PORT_OUT, mlp ? "act" : "muscles", nout);
    const animat_circuit_api *api = d->api;
    void *self = api->create(th_table(t));
    if (!self) {
        fprintf(stderr, "create failed: %s\n", th_last_error(t));
        return 1;
    }
    uint32_t nth = 0;
    api->theta_info(self, &nth);
    double *in = calloc((size_t)TABLE * nin, sizeof *in), *out = calloc(nout, sizeof *out), sum = 0, ns[ROUNDS];
    for (size_t s = 0; s < TABLE; s++)
        for (uint32_t i = 0; i < nin; i++) in[s * nin + i] = sin(2 * M_PI * (double)s / 60.0 + 0.7 * (double)i);
    api->reset(self, 1);
    run(api, self, nin, nout, in, out, STEPS / 4, &sum); /* warm-up */
    for (int r = 0; r < ROUNDS; r++) ns[r] = 1e9 * run(api, self, nin, nout, in, out, STEPS, &sum) / STEPS;
    qsort(ns, ROUNDS, sizeof *ns, cmp);
    printf("%s: %u inputs, %u outputs, %u parameters: median %.1f ns/step (min %.1f, max %.1f) over %d x %d "
           "steps (checksum %.6g)\n",
           argv[1], nin, nout, nth, ns[ROUNDS / 2], ns[0], ns[ROUNDS - 1], ROUNDS, STEPS, sum);
    api->destroy(self);
    th_free(t);
    free(in);
    free(out);
    return 0;
}
