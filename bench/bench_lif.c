/* bench_lif.c -- the lif circuit plugin driven directly (bench/minihost.c)
 * on a random LIF network with delays and Poisson input, as bench/lif_bench.py
 * also builds it in Brian2: prints the network size, the total spike count
 * and the wall time of the simulation (create excluded).
 *
 *   bench_lif [--n N] [--p P] [--seconds S] [--dt DT] [--substeps K]
 *             [--bg-rate HZ] [--w-ext NA] [--w NA] [--g-inh G] [--delay-max STEPS]
 *             [--seed N]
 * Control steps of dt * substeps each run `substeps` substeps of dt; spikes
 * are counted with the animat.units/1 extension after every control step. */
#include <animat/animat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "minihost.h"

#ifndef LIF_SO
#error "LIF_SO must name the lif plugin"
#endif

/* Seconds on `clock` (CLOCK_MONOTONIC: wall; CLOCK_PROCESS_CPUTIME_ID: CPU). */
static double now(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv) {
    double n = 302, p = 0.077, seconds = 1.0, dt = 1e-4, substeps = 10, bg = 2000, w_ext = 2.0,
           w = 1.0, g_inh = 4.0, dmax = 20, seed = 1;
    struct { const char *flag; double *v; } opt[] = {
        {"--n", &n}, {"--p", &p}, {"--seconds", &seconds}, {"--dt", &dt}, {"--substeps", &substeps},
        {"--bg-rate", &bg}, {"--w-ext", &w_ext}, {"--w", &w}, {"--g-inh", &g_inh},
        {"--delay-max", &dmax}, {"--seed", &seed}};
    for (int a = 1; a < argc; a++) {
        size_t k = 0;
        while (k < sizeof opt / sizeof opt[0] && strcmp(argv[a], opt[k].flag) != 0) k++;
        if (k == sizeof opt / sizeof opt[0] || a + 1 == argc) {
            fprintf(stderr, "bench_lif: unknown option or missing value: %s\n", argv[a]);
            return 1;
        }
        *opt[k].v = atof(argv[++a]);
    }
    const animat_plugin_desc *d = mh_load(LIF_SO);
    const animat_circuit_api *api = d->api;
    mh_host *m = mh_new(d, (uint64_t)seed);
    mh_set(m, "n_neurons", n);
    mh_set(m, "n_in", 1);
    mh_set(m, "n_out", 1);
    mh_set(m, "p_connect", p);
    mh_set(m, "w_mean", w);
    mh_set(m, "w_sd", 0.0);
    mh_set(m, "g_inh", g_inh);
    mh_set(m, "delay_min", 1);
    mh_set(m, "delay_max", dmax);
    mh_set(m, "bg_rate", bg);
    mh_set(m, "w_ext", w_ext);
    mh_set(m, "in_gain", 0.0);
    mh_set(m, "substeps", substeps);
    void *c = mh_create(m);
    const animat_units_ext *u = api->extension(c, ANIMAT_EXT_UNITS);
    uint32_t n_syn;
    api->theta_info(c, &n_syn);
    n_syn -= 2; /* one input and one output gain */
    double x = 0.0, y = 0.0, spikes = 0.0;
    const double *in[1] = {&x};
    double *out[1] = {&y};
    long steps = (long)(seconds / (dt * substeps) + 0.5);
    double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    for (long s = 0; s < steps; s++) {
        if (api->step(c, in, out, dt * substeps) != ANIMAT_OK) return 1;
        for (uint32_t i = 0; i < (uint32_t)n; i++) {
            double v;
            u->get(c, i, &v);
            spikes += v;
        }
    }
    double wall = now(CLOCK_MONOTONIC) - t0, cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    printf("animat lif: neurons %.0f synapses %u seconds %g dt %g spikes %.0f rate %.3f Hz wall %.6f s cpu %.6f s\n",
           n, n_syn, seconds, dt, spikes, spikes / n / seconds, wall, cpu);
    api->destroy(c);
    mh_free(m);
    return 0;
}
