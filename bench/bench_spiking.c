/* bench_spiking.c -- the spiking circuit plugin driven directly
 * (bench/minihost.c), for bench/spiking_bench.py and bench/README.md:
 *
 *   bench_spiking single PRESET [--ms T] [--dt MS] [--current I]
 *       one lone neuron of a named preset under its reference current (or
 *       I), interpolated spike times: prints "spike T_MS" lines;
 *   bench_spiking net MODEL [--n N] [--p P] [--seconds S] [--dt MS] [--w W]
 *       [--bias I] [--seed K]
 *       N neurons of MODEL (izhikevich: preset RS, current synapses of W,
 *       default 1, I default 5; adex: preset tonic, W pA, default 10, I
 *       default 300 pA), random wiring with
 *       probability p, exponential 5 ms kernel, 20% inhibitory (weight -W),
 *       every neuron driven by I: prints synapses, spikes, wall and CPU
 *       seconds of the stepping loop (1 ms control steps);
 *   bench_spiking gap PRESET [--g G] [--ms T] [--dt MS] [--current I] [--extra DI]
 *       two neurons of a preset joined by one gap junction of G (default
 *       0: uncoupled), both driven by I (the preset's reference current
 *       by default), neuron 0 by I + DI (default 5% of I): prints
 *       "spike UNIT T_MS" lines in time order;
 *   bench_spiking steps
 *       ns per control step of each model at the example sizes.
 */
#include <animat/animat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "minihost.h"

#ifndef SPIKING_SO
#error "SPIKING_SO must name the spiking plugin"
#endif

static double now(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Parse --flag value pairs from argv[from..] into opt. */
typedef struct bopt {
    const char *flag;
    double *v;
} bopt;
static void parse(int argc, char **argv, int from, const bopt *opt, size_t n) {
    for (int a = from; a < argc; a++) {
        size_t k = 0;
        while (k < n && strcmp(argv[a], opt[k].flag) != 0) k++;
        if (k == n || a + 1 == argc) {
            fprintf(stderr, "bench_spiking: unknown option or missing value: %s\n", argv[a]);
            exit(1);
        }
        *opt[k].v = atof(argv[++a]);
    }
}

static const animat_circuit_api *api_of(const animat_plugin_desc *d) { return d->api; }

static int single(const char *preset, int argc, char **argv) {
    double ms = 500, dt = 0.1, cur = -1e300;
    bopt opt[] = {{"--ms", &ms}, {"--dt", &dt}, {"--current", &cur}};
    parse(argc, argv, 3, opt, sizeof opt / sizeof opt[0]);
    const animat_plugin_desc *d = mh_load(SPIKING_SO);
    mh_host *m = mh_new(d, 1);
    static const struct { const char *name, *model; double i; } ref[] = {
        {"RS", "izhikevich", 10}, {"IB", "izhikevich", 10}, {"CH", "izhikevich", 10}, {"FS", "izhikevich", 10},
        {"LTS", "izhikevich", 10}, {"TC", "izhikevich", 10}, {"RZ", "izhikevich", 10}, {"tonic", "adex", 500},
        {"adapting", "adex", 500}, {"init_burst", "adex", 400}, {"bursting", "adex", 210}, {"delayed", "adex", 300}};
    size_t k = 0;
    while (k < sizeof ref / sizeof ref[0] && strcmp(ref[k].name, preset) != 0) k++;
    if (k == sizeof ref / sizeof ref[0]) {
        fprintf(stderr, "bench_spiking: unknown preset %s\n", preset);
        return 1;
    }
    mh_choice(m, "model", ref[k].model);
    mh_choice(m, "preset", preset);
    mh_set(m, "n_neurons", 4), mh_set(m, "n_in", 1), mh_set(m, "n_out", 1), mh_set(m, "p_connect", 0);
    mh_set(m, "i_bias", cur > -1e300 ? cur : ref[k].i), mh_set(m, "in_gain", 0), mh_set(m, "t_ref", 0);
    mh_set(m, "substeps", 10);
    void *c = mh_create(m);
    const animat_circuit_api *api = api_of(d);
    const animat_spikes_ext *sp = api->extension(c, ANIMAT_EXT_SPIKES);
    double x = 0, y, step = 10 * dt;
    const double *in[1] = {&x};
    double *out[1] = {&y};
    for (long s = 0; s < (long)(ms / step + 0.5); s++) {
        if (api->step(c, in, out, step * 1e-3) != ANIMAT_OK) return 1;
        uint32_t n;
        const animat_spike_event *e = sp->events(c, &n);
        for (uint32_t q = 0; q < n; q++)
            if (e[q].unit == 0) printf("spike %.9f\n", s * step + e[q].t * 1e3);
    }
    api->destroy(c);
    mh_free(m);
    return 0;
}

/* Two gap-coupled neurons of a preset (see the file comment). */
static int gap_pair(const char *preset, int argc, char **argv) {
    double g = 0, ms = 500, dt = 0.1, cur = -1e300, extra = -1e300;
    bopt opt[] = {{"--g", &g}, {"--ms", &ms}, {"--dt", &dt}, {"--current", &cur}, {"--extra", &extra}};
    parse(argc, argv, 3, opt, sizeof opt / sizeof opt[0]);
    const animat_plugin_desc *d = mh_load(SPIKING_SO);
    mh_host *m = mh_new(d, 1);
    int izh = strlen(preset) <= 3 && strcmp(preset, "tonic") != 0;
    double i = cur > -1e300 ? cur : (izh ? 10 : 500);
    mh_choice(m, "model", izh ? "izhikevich" : "adex");
    mh_choice(m, "preset", preset);
    mh_set(m, "n_neurons", 4), mh_set(m, "n_in", 1), mh_set(m, "n_out", 1), mh_set(m, "p_connect", 0);
    mh_set(m, "i_bias", i), mh_set(m, "in_gain", extra > -1e300 ? extra : 0.05 * i), mh_set(m, "t_ref", 0);
    mh_list(m, "gaps", (const double[]){0, 1, g}, 3);
    mh_set(m, "substeps", 10);
    void *c = mh_create(m);
    const animat_circuit_api *api = api_of(d);
    const animat_spikes_ext *sp = api->extension(c, ANIMAT_EXT_SPIKES);
    double x = 1, y, step = 10 * dt; /* x = 1: in_gain into neuron 0 only */
    const double *in[1] = {&x};
    double *out[1] = {&y};
    for (long s = 0; s < (long)(ms / step + 0.5); s++) {
        if (api->step(c, in, out, step * 1e-3) != ANIMAT_OK) return 1;
        uint32_t n;
        const animat_spike_event *e = sp->events(c, &n);
        for (uint32_t q = 0; q < n; q++)
            if (e[q].unit < 2) printf("spike %u %.9f\n", e[q].unit, s * step + e[q].t * 1e3);
    }
    api->destroy(c);
    mh_free(m);
    return 0;
}

/* Create a network instance of `model` for the net and steps modes. */
static void *make_net(mh_host *m, const char *model, double n, double p, double w, double bias, double subs) {
    mh_choice(m, "model", model);
    mh_choice(m, "preset", strcmp(model, "izhikevich") == 0 ? "RS" : "tonic");
    mh_choice(m, "coupling", "current");
    mh_set(m, "n_neurons", n), mh_set(m, "n_in", 1), mh_set(m, "n_out", 1), mh_set(m, "p_connect", p);
    mh_set(m, "w_mean", w), mh_set(m, "w_sd", 0), mh_set(m, "g_inh", 1), mh_set(m, "frac_inh", 0.2);
    mh_set(m, "tau_decay", 5), mh_set(m, "i_bias", bias), mh_set(m, "in_gain", 0), mh_set(m, "t_ref", 0);
    mh_set(m, "substeps", subs);
    return mh_create(m);
}

static int net(const char *model, int argc, char **argv) {
    double n = 302, p = 0.077, seconds = 1, dt = 0.1, w = -1, bias = -1, seed = 1;
    bopt opt[] = {{"--n", &n}, {"--p", &p}, {"--seconds", &seconds}, {"--dt", &dt}, {"--w", &w},
                  {"--bias", &bias}, {"--seed", &seed}};
    parse(argc, argv, 3, opt, sizeof opt / sizeof opt[0]);
    int izh = strcmp(model, "izhikevich") == 0;
    if (w < 0) w = izh ? 1.0 : 10.0;
    if (bias < 0) bias = izh ? 5.0 : 300.0;
    const animat_plugin_desc *d = mh_load(SPIKING_SO);
    mh_host *m = mh_new(d, (uint64_t)seed);
    double subs = 1.0 / dt; /* 1 ms control steps */
    void *c = make_net(m, model, n, p, w, bias, subs);
    const animat_circuit_api *api = api_of(d);
    const animat_units_ext *u = api->extension(c, ANIMAT_EXT_UNITS);
    uint32_t n_syn;
    api->theta_info(c, &n_syn);
    n_syn -= 2;
    double x = 0, y, spikes = 0;
    const double *in[1] = {&x};
    double *out[1] = {&y};
    long steps = (long)(seconds * 1e3 + 0.5);
    double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    for (long s = 0; s < steps; s++) {
        if (api->step(c, in, out, 1e-3) != ANIMAT_OK) return 1;
        for (uint32_t i = 0; i < (uint32_t)n; i++) {
            double v;
            u->get(c, i, &v);
            spikes += v;
        }
    }
    double wall = now(CLOCK_MONOTONIC) - t0, cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    printf("animat %s: neurons %.0f synapses %u seconds %g dt %g spikes %.0f wall %.6f s cpu %.6f s\n", model, n, n_syn,
           seconds, dt, spikes, wall, cpu);
    api->destroy(c);
    mh_free(m);
    return 0;
}

/* ns per control step (30 ms, the swimmer's) at the example sizes. */
static int steps_mode(void) {
    static const struct { const char *label, *model; double n, subs, bias; const char *extra; } cases[] = {
        {"lif (30 neurons, 150 substeps)", "lif", 30, 150, 250, NULL},
        {"alif (30 neurons, 150 substeps)", "alif", 30, 150, 250, NULL},
        {"adex (30 neurons, 150 substeps)", "adex", 30, 150, 450, NULL},
        {"izhikevich (30 neurons, 150 substeps)", "izhikevich", 30, 150, 5, NULL},
        {"izhikevich + gaps p 0.2 (30 neurons, 150 substeps)", "izhikevich", 30, 150, 5, "gap"},
        {"adex + STDP/STP/scaling (16 neurons, 300 substeps)", "adex", 16, 300, 350, "stdp"},
        {"lif + intrinsic (30 neurons, 150 substeps)", "lif", 30, 150, 250, "ip"},
    };
    const animat_plugin_desc *d = mh_load(SPIKING_SO);
    const animat_circuit_api *api = api_of(d);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        mh_host *m = mh_new(d, 1);
        mh_choice(m, "model", cases[k].model);
        if (strcmp(cases[k].model, "izhikevich") == 0) mh_choice(m, "preset", "RS");
        if (strcmp(cases[k].model, "adex") == 0) mh_choice(m, "preset", "tonic");
        if (strcmp(cases[k].model, "lif") == 0) mh_set(m, "v_reset", -60);
        if (strcmp(cases[k].model, "alif") == 0) mh_set(m, "v_reset", -60);
        if (cases[k].extra && strcmp(cases[k].extra, "gap") == 0) mh_set(m, "gap_p", 0.2), mh_set(m, "g_gap", 0.05);
        if (cases[k].extra && strcmp(cases[k].extra, "ip") == 0) mh_choice(m, "intrinsic", "threshold");
        if (cases[k].extra && strcmp(cases[k].extra, "stdp") == 0) {
            mh_choice(m, "stdp", "additive"), mh_choice(m, "stp", "tm"), mh_choice(m, "homeostasis", "scaling");
            mh_choice(m, "synapse", "exp2"), mh_set(m, "p_connect", 0.3);
        }
        if (strcmp(cases[k].model, "izhikevich") == 0) mh_choice(m, "coupling", "current");
        double io = cases[k].n < 20 ? 3 : 5; /* the stdp example's 4-link swimmer has 3 joints */
        mh_set(m, "n_neurons", cases[k].n), mh_set(m, "n_in", io), mh_set(m, "n_out", io);
        mh_set(m, "substeps", cases[k].subs), mh_set(m, "i_bias", cases[k].bias);
        void *c = mh_create(m);
        double x[5] = {0.1, -0.2, 0.3, -0.1, 0.05}, y[5] = {0};
        const double *in[1] = {x};
        double *out[1] = {y};
        long n = 2000;
        for (long s = 0; s < 100; s++) api->step(c, in, out, 0.03);
        double t0 = now(CLOCK_PROCESS_CPUTIME_ID);
        for (long s = 0; s < n; s++)
            if (api->step(c, in, out, 0.03) != ANIMAT_OK) return 1;
        double ns = (now(CLOCK_PROCESS_CPUTIME_ID) - t0) / n * 1e9;
        printf("%-52s %10.0f ns per control step (CPU)\n", cases[k].label, ns);
        api->destroy(c);
        mh_free(m);
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "single") == 0) return single(argv[2], argc, argv);
    if (argc >= 3 && strcmp(argv[1], "net") == 0) return net(argv[2], argc, argv);
    if (argc >= 3 && strcmp(argv[1], "gap") == 0) return gap_pair(argv[2], argc, argv);
    if (argc >= 2 && strcmp(argv[1], "steps") == 0) return steps_mode();
    fprintf(stderr,
            "usage: bench_spiking single PRESET [...] | net izhikevich|adex [...] | gap PRESET [...] | steps\n");
    return 1;
}
