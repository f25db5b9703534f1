/* bench_neuroml.c -- the neuroml circuit's loader and dynamics
 * (circuits/neuroml, compiled in) on one NeuroML2 file, for
 * bench/neuroml_brian2.py and the figures in docs/neuroml.md:
 *
 *   bench_neuroml FILE SECONDS [SUBSTEP]
 *
 * prints "load S" (seconds to parse and build), "rate STEPS_PER_S" (control
 * steps of 10 ms per second of wall time), then per cell "count NAME N"
 * and every spike "spike NAME T", then "v T V0 V1 ..." every 0.5 ms (all
 * cells' voltages, V). Not a test; run by hand. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "nml_dyn.h"
#include "nml_net.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: bench_neuroml FILE SECONDS [SUBSTEP]\n");
        return 1;
    }
    double secs = atof(argv[2]), h = argc > 3 ? atof(argv[3]) : 5e-5, t0 = now();
    nml_net net = {0};
    nml_sim s;
    char err[640];
    uint32_t per_step = (uint32_t)(0.01 / h + 0.5), per_v = (uint32_t)(5e-4 / h + 0.5);
    if (nml_load(argv[1], &net, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    if (nml_sim_alloc(&s, &net, h, per_step)) return 1;
    printf("load %.6f\n", now() - t0);
    uint32_t steps = (uint32_t)(secs / 0.01 + 0.5);
    double *count = calloc(net.n, sizeof *count), t1 = now(), wall = 0;
    for (uint32_t k = 0; k < steps; k++)
        for (uint32_t q = 0; q < per_step; q += per_v) {
            double a = now();
            nml_sim_run(&s, per_v, h, NULL, 1.0, 0.0);
            wall += now() - a;
            double base = k * 0.01 + q * h;
            for (uint32_t e = 0; e < s.n_ev; e++) printf("spike %s %.7f\n", net.names[s.ev[e].unit], base + s.ev[e].t);
            for (uint32_t i = 0; i < net.n; i++) count[i] += s.count[i];
            printf("v %.5f", base + per_v * h);
            for (uint32_t i = 0; i < net.n; i++) printf(" %.9g", s.y[i]);
            printf("\n");
        }
    (void)t1;
    printf("rate %.1f\n", steps / wall);
    for (uint32_t i = 0; i < net.n; i++) printf("count %s %.0f\n", net.names[i], count[i]);
    nml_sim_free(&s);
    nml_free(&net);
    free(count);
    return 0;
}
