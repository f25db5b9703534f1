/* bench_circuits.c -- nanoseconds per control step of every circuit
 * plugin at the size of its shipped example (examples/swimmer-*.yaml: 5
 * joints, dt = 30 ms), driven directly through the plugin ABI
 * (bench/minihost.c) on uniform random inputs in [-1, 1] drawn before the
 * timed loop. One line per circuit: steps, wall and process CPU time and
 * their ns/step (CPU is the steadier figure on a shared machine).
 *
 *   bench_circuits [--seconds S]     (S of stepping per circuit, default 1)
 */
#include <animat/animat.h>

#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "minihost.h"

#define NB_IN 64    /* random input sets, cycled */
#define MAX_VALS 64 /* values per input port */

/* Seconds on `clock` (CLOCK_MONOTONIC: wall; CLOCK_PROCESS_CPUTIME_ID: CPU). */
static double now(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* One benchmark case: a label, the plugin, and its example's settings. */
typedef struct bcase {
    const char *label, *so;
    void (*configure)(mh_host *m);
} bcase;

static void cf_ncap(mh_host *m) { mh_set(m, "n_joints", 5); }
static void cf_mlp(mh_host *m) {
    mh_set(m, "n_in", 23); /* the swimmer's full obs (body.obs.obs in the example) */
    mh_set(m, "n_out", 5);
}
static void cf_lif(mh_host *m) {
    mh_wired(m, ANIMAT_PORT_IN, "x", 5);
    mh_wired(m, ANIMAT_PORT_OUT, "y", 5);
    mh_set(m, "n_neurons", 40);
    mh_set(m, "delay_max", 5);
    mh_set(m, "substeps", 30);
    mh_set(m, "bg_rate", 1000);
    mh_set(m, "w_ext", 4);
}
static void cf_ctrnn(mh_host *m) {
    mh_wired(m, ANIMAT_PORT_IN, "x", 5);
    mh_wired(m, ANIMAT_PORT_OUT, "y", 5);
    mh_set(m, "n_neurons", 10);
    mh_set(m, "w_sd", 2.0);
}
static void cf_cpg(mh_host *m) {
    mh_set(m, "n_osc", 5);
    mh_set(m, "freq", 0.4);
    mh_set(m, "phase_lag", 1.2566);
}
static void cf_graph(mh_host *m) { mh_set(m, "in_gain", 2.0); }
static void cf_celegans(mh_host *m) {
    mh_choice(m, "network", "celegans");
    mh_set(m, "in_gain", 2.0);
}
static void cf_celegans_lif(mh_host *m) {
    cf_celegans(m);
    mh_choice(m, "model", "lif");
}

/* Time `seconds` of stepping of one case; prints its line. */
static void run_case(const bcase *b, double seconds, gsl_rng *r) {
    const animat_plugin_desc *d = mh_load(b->so);
    const animat_circuit_api *api = d->api;
    mh_host *m = mh_new(d, 1);
    b->configure(m);
    void *c = mh_create(m);
    uint32_t nin, nout;
    const animat_port_info *pin = api->ports(c, ANIMAT_PORT_IN, &nin);
    const animat_port_info *pout = api->ports(c, ANIMAT_PORT_OUT, &nout);
    double(*inbuf)[8][MAX_VALS] = calloc(NB_IN, sizeof *inbuf);
    double(*outbuf)[MAX_VALS] = calloc(8, sizeof *outbuf);
    const double *in[NB_IN][8];
    double *out[8];
    for (uint32_t p = 0; p < nout; p++) out[p] = outbuf[p];
    for (int k = 0; k < NB_IN; k++)
        for (uint32_t p = 0; p < nin && p < 8; p++) {
            const animat_port_info *pi = (const void *)((const char *)pin + p * pin[0].struct_size);
            for (uint32_t e = 0; e < pi->size && e < MAX_VALS; e++) inbuf[k][p][e] = 2.0 * gsl_rng_uniform(r) - 1.0;
            in[k][p] = inbuf[k][p];
        }
    (void)pout;
    long steps = 0;
    double t0 = now(CLOCK_MONOTONIC), t = t0, c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    while (t - t0 < seconds) {
        for (int k = 0; k < 256; k++, steps++)
            if (api->step(c, in[steps % NB_IN], out, 0.03) != ANIMAT_OK) {
                fprintf(stderr, "%s: step failed\n", b->label);
                exit(1);
            }
        t = now(CLOCK_MONOTONIC);
    }
    double cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    printf("%-30s %9ld steps  wall %6.3f s %10.0f ns/step   cpu %6.3f s %10.0f ns/step\n", b->label, steps,
           t - t0, 1e9 * (t - t0) / steps, cpu, 1e9 * cpu / steps);
    api->destroy(c);
    mh_free(m);
    free(inbuf);
    free(outbuf);
}

int main(int argc, char **argv) {
    double seconds = 1.0;
    if (argc == 3 && strcmp(argv[1], "--seconds") == 0) seconds = atof(argv[2]);
    else if (argc != 1) {
        fprintf(stderr, "usage: bench_circuits [--seconds S]\n");
        return 1;
    }
    static const bcase cases[] = {
        {"ncap (5 joints)", NCAP_SO, cf_ncap},
        {"mlp (23-64-64-5)", MLP_SO, cf_mlp},
        {"lif (40 neurons, 30 substeps)", LIF_SO, cf_lif},
        {"ctrnn (10 neurons, rkf45)", CTRNN_SO, cf_ctrnn},
        {"cpg (5 oscillators, rkf45)", CPG_SO, cf_cpg},
        {"graph motor12 (rate)", GRAPH_SO, cf_graph},
        {"graph celegans (rate)", GRAPH_SO, cf_celegans},
        {"graph celegans (lif, 10 sub)", GRAPH_SO, cf_celegans_lif},
    };
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 1);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) run_case(&cases[k], seconds, r);
    gsl_rng_free(r);
    return 0;
}
