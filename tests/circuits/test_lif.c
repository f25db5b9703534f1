/* test_lif.c -- the LIF network (lif_net.c, lif_encode.c, lif_build.c
 * compiled in) and its plugin (LIF_SO):
 *   - constant suprathreshold current: mean ISI = tau_m ln(RI / (RI - v_th))
 *     + t_ref within 1% (dt 0.1 ms);
 *   - a spike sent at substep t reaches its target exactly d substeps later;
 *   - subthreshold input never spikes;
 *   - units: silencing, forcing, reset clearing; learnable delays round and
 *     stay in bounds; random wiring has no self-synapses.
 * Random inputs come from GSL generators. */
#include <check.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "lif_build.h"
#include "lif_encode.h"
#include "lif_net.h"
#include "testhost.h"

static const animat_plugin_desc *desc(void) { return th_load_env("LIF_SO"); }
static const animat_circuit_api *api(void) { return desc()->api; }

static const lif_cfg CFG = {.tau_m = 0.02, .tau_syn = 0.005, .v_rest = 0.0, .v_reset = 0.0,
                            .v_th = 20.0, .r_m = 1.0, .t_ref = 0.002, .w_ext = 0.0};

/* A net of n neurons wired by the (pre, post, delay) triples, weights w. */
static void build(lif_net *net, uint32_t n, uint32_t n_syn, const uint32_t (*syn)[3],
                  const double *w, uint32_t max_delay) {
    memset(net, 0, sizeof *net);
    net->cfg = CFG;
    ck_assert_int_eq(lif_net_alloc(net, n, n_syn, max_delay, th_mem_calloc, NULL), 0);
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        net->row[i] = k;
        for (uint32_t s = 0; s < n_syn; s++)
            if (syn[s][0] == i) {
                net->post[k] = syn[s][1];
                net->delay[k] = syn[s][2];
                k++;
            }
    }
    net->row[n] = k;
    ck_assert_uint_eq(k, n_syn);
    net->w = w;
    lif_net_reset(net);
}

/* Mean ISI of a lone neuron under constant current I over `seconds`. */
static double mean_isi(double I, double h, double seconds, int *spikes) {
    lif_net net;
    build(&net, 1, 0, NULL, NULL, 1);
    net.i_ext[0] = I;
    uint64_t steps = (uint64_t)llround(seconds / h), first = 0, last = 0;
    double count = 0.0;
    *spikes = 0;
    for (uint64_t s = 0; s < steps; s++) {
        double c = 0.0;
        lif_net_substep(&net, h, NULL, NULL, &c);
        if (c != 0.0) {
            if (*spikes == 0) first = s;
            last = s;
            (*spikes)++;
        }
        count += c;
    }
    lif_net_free(&net, th_mem_free, NULL);
    return *spikes > 1 ? (double)(last - first) * h / (*spikes - 1) : INFINITY;
}

START_TEST(test_isi_analytic) {
    const double currents[] = {20.5, 22.0, 25.0, 30.0, 40.0, 80.0};
    for (size_t k = 0; k < sizeof currents / sizeof currents[0]; k++) {
        double I = currents[k], RI = CFG.r_m * I;
        double want = CFG.tau_m * log(RI / (RI - CFG.v_th)) + CFG.t_ref;
        int n;
        double got = mean_isi(I, 1e-4, 5.0, &n);
        ck_assert_msg(n > 10, "I = %g: only %d spikes", I, n);
        ck_assert_msg(fabs(got - want) <= 0.01 * want, "I = %g: ISI %.6g s, analytic %.6g s", I, got,
                      want);
    }
}
END_TEST

START_TEST(test_subthreshold_silent) {
    int n;
    mean_isi(19.99, 1e-4, 20.0, &n);
    ck_assert_int_eq(n, 0);
    /* random subthreshold currents, changing every substep */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 3);
    lif_net net;
    build(&net, 1, 0, NULL, NULL, 1);
    for (int s = 0; s < 200000; s++) {
        double c = 0.0;
        net.i_ext[0] = 19.99 * gsl_rng_uniform(r);
        lif_net_substep(&net, 1e-4, NULL, NULL, &c);
        ck_assert(c == 0.0);
    }
    lif_net_free(&net, th_mem_free, NULL);
    gsl_rng_free(r);
}
END_TEST

/* Neuron 0 is forced to fire once (unit CLAMP 1 for one substep) at
 * substep t0; its synapse onto neuron 1 has delay d: neuron 1's synaptic
 * current and membrane are exactly at rest before substep t0 + d; in
 * substep t0 + d the input w arrives (I_syn = w at its start, w * ds at its
 * end) and the membrane moves. */
START_TEST(test_delay_exact) {
    th_host *t = th_new(desc(), "circuit", 1); /* only for cu_alloc's host table */
    const animat_host *h = th_table(t);
    for (uint32_t d = 1; d <= 37; d += 4) {
        const uint32_t syn[1][3] = {{0, 1, d}};
        const double w[1] = {0.75};
        lif_net net;
        build(&net, 2, 1, syn, w, 40);
        cu_units u;
        ck_assert_int_eq(cu_alloc(h, &u, 2), ANIMAT_OK);
        const uint32_t t0 = 13;
        for (uint32_t s = 0; s < t0 + d + 5; s++) {
            ck_assert_int_eq(cu_override(&u, 0, s == t0 ? ANIMAT_UNIT_CLAMP : ANIMAT_UNIT_FREE, 1.0),
                             ANIMAT_OK);
            lif_net_substep(&net, 1e-4, &u, NULL, NULL);
            ck_assert(net.spk[0] == (s == t0 ? 1.0 : 0.0));
            if (s < t0 + d)
                ck_assert_msg(net.i_syn[1] == 0.0 && net.v[1] == 0.0, "d %u: input at substep %u", d, s);
            if (s == t0 + d)
                ck_assert_msg(net.i_syn[1] == 0.75 * net.ds && net.v[1] > 0.0, "d %u: %g", d, net.i_syn[1]);
        }
        cu_free(h, &u);
        lif_net_free(&net, th_mem_free, NULL);
    }
    th_free(t);
}
END_TEST

/* External Poisson input: with tau_syn huge (no decay) and w_ext = 1,
 * I_syn counts the external events: 10 s at 500 Hz give 5000 +- 4 sd;
 * counts per substep have the Poisson variance (index of dispersion ~1);
 * a rate change takes effect at once; rate 0 adds nothing. */
START_TEST(test_poisson_input) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 21);
    lif_net net;
    build(&net, 1, 0, NULL, NULL, 1);
    net.cfg.tau_syn = 1e12;
    net.cfg.w_ext = 1.0;
    net.cfg.v_th = 1e300; /* never spikes */
    net.rate_ext[0] = 500.0;
    const double h = 1e-3;
    double sum = 0.0, sum2 = 0.0, prev = 0.0;
    for (int s = 0; s < 10000; s++) {
        lif_net_substep(&net, h, NULL, r, NULL);
        double k = net.i_syn[0] - prev;
        prev = net.i_syn[0];
        sum += k;
        sum2 += k * k;
    }
    ck_assert_msg(fabs(sum - 5000.0) < 4.0 * sqrt(5000.0), "%g events", sum);
    double mean = sum / 10000.0, var = sum2 / 10000.0 - mean * mean;
    ck_assert_msg(fabs(var / mean - 1.0) < 0.1, "dispersion %g", var / mean);
    /* rate 0: nothing more */
    net.rate_ext[0] = 0.0;
    double before = net.i_syn[0];
    for (int s = 0; s < 1000; s++) lif_net_substep(&net, h, NULL, r, NULL);
    ck_assert(fabs(net.i_syn[0] - before) < 1e-6); /* only the 1e-15 decay per substep */
    /* a new rate of 2000 Hz: 2 s give 4000 +- 4 sd */
    net.rate_ext[0] = 2000.0;
    for (int s = 0; s < 2000; s++) lif_net_substep(&net, h, NULL, r, NULL);
    ck_assert_msg(fabs(net.i_syn[0] - before - 4000.0) < 4.0 * sqrt(4000.0), "%g", net.i_syn[0] - before);
    lif_net_free(&net, th_mem_free, NULL);
    gsl_rng_free(r);
}
END_TEST

/* Random wiring: degrees sum to the synapse count, targets are sorted,
 * distinct and never the neuron itself, delays in range. */
START_TEST(test_random_wiring) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 11);
    const uint32_t n = 302;
    uint32_t *deg = calloc(n, sizeof *deg), *scratch = calloc(n, sizeof *scratch);
    uint64_t total = lif_draw_degrees(r, n, 0.077, deg);
    ck_assert(total > 6000 && total < 8000);
    uint32_t *row = calloc(n + 1, sizeof *row), *post = calloc(total, sizeof *post),
             *delay = calloc(total, sizeof *delay);
    lif_draw_wiring(r, n, deg, 2, 9, row, post, delay, scratch);
    ck_assert_uint_eq(row[n], total);
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t k = row[i]; k < row[i + 1]; k++) {
            ck_assert_uint_ne(post[k], i);
            ck_assert_uint_lt(post[k], n);
            if (k > row[i]) ck_assert_uint_gt(post[k], post[k - 1]);
            ck_assert(delay[k] >= 2 && delay[k] <= 9);
        }
    free(deg), free(scratch), free(row), free(post), free(delay);
    gsl_rng_free(r);
}
END_TEST

/* Plugin: an instance with `n_in` = `n_out` = 1. */
static void *make(th_host *t) {
    return th_circuit(t, api());
}

static th_host *host(void) {
    th_host *t = th_new(desc(), "circuit", 7);
    th_set_real(t, "n_in", 1);
    th_set_real(t, "n_out", 1);
    th_set_real(t, "n_neurons", 10);
    th_set_real(t, "substeps", 100); /* 0.1 ms at dt = 10 ms */
    return t;
}

/* Through the plugin: a constant suprathreshold input gives the analytic
 * spike count on the encoder neuron; the units extension silences it (and
 * reset clears that); a subthreshold input never spikes. */
START_TEST(test_plugin_units_and_rate) {
    th_host *t = host();
    th_set_real(t, "p_connect", 0); /* isolated neurons */
    void *c = make(t);
    const animat_units_ext *u = api()->extension(c, ANIMAT_EXT_UNITS);
    ck_assert_ptr_nonnull(u);
    uint32_t nu;
    const char *const *names = u->names(c, &nu);
    ck_assert_uint_eq(nu, 10);
    ck_assert_str_eq(names[9], "n[9]");
    /* in_gain 40 nA: x = 0.625 gives 25 nA on neuron 0 */
    double x = 0.625, y, total = 0.0, v;
    const double *in[1] = {&x};
    double *out[1] = {&y};
    for (int s = 0; s < 500; s++) { /* 5 s */
        ck_assert_int_eq(api()->step(c, in, out, 0.01), ANIMAT_OK);
        ck_assert_int_eq(u->get(c, 0, &v), ANIMAT_OK);
        total += v;
    }
    double isi = 0.02 * log(25.0 / 5.0) + 0.002;
    ck_assert_msg(fabs(total - 5.0 / isi) <= 0.01 * 5.0 / isi + 1.0, "%g spikes, want %g", total, 5.0 / isi);
    /* silence neuron 0 */
    ck_assert_int_eq(u->override(c, 0, ANIMAT_UNIT_CLAMP, 0.0), ANIMAT_OK);
    for (int s = 0; s < 100; s++) {
        ck_assert_int_eq(api()->step(c, in, out, 0.01), ANIMAT_OK);
        ck_assert_int_eq(u->get(c, 0, &v), ANIMAT_OK);
        ck_assert(v == 0.0);
    }
    ck_assert_int_eq(api()->reset(c, 0), ANIMAT_OK);
    for (int s = 0, any = 0; s < 10 && !any; s++) {
        ck_assert_int_eq(api()->step(c, in, out, 0.01), ANIMAT_OK);
        ck_assert_int_eq(u->get(c, 0, &v), ANIMAT_OK);
        any = v > 0.0;
        if (s == 9) ck_assert(any);
    }
    /* subthreshold: 0.49 * 40 = 19.6 nA < 20 nA */
    x = 0.49;
    ck_assert_int_eq(api()->reset(c, 0), ANIMAT_OK);
    for (int s = 0; s < 1000; s++) {
        ck_assert_int_eq(api()->step(c, in, out, 0.01), ANIMAT_OK);
        ck_assert_int_eq(u->get(c, 0, &v), ANIMAT_OK);
        ck_assert(v == 0.0);
    }
    ck_assert_int_eq(u->override(c, 10, ANIMAT_UNIT_CLAMP, 0.0), ANIMAT_ERROR);
    api()->destroy(c);
    th_free(t);
}
END_TEST

/* animat.spikes/1: a lone neuron under 25 nA first crosses threshold at
 * tau_m ln(RI / (RI - v_th)) = 32.19 ms; with 1 ms substeps the event is
 * timed by interpolation to well within a substep (the substep's end would
 * be 0.81 ms late); nothing after reset; capacity neurons x substeps. */
START_TEST(test_spike_times) {
    th_host *t = host();
    th_set_real(t, "p_connect", 0);
    th_set_real(t, "substeps", 10); /* 1 ms at dt = 10 ms */
    void *c = make(t);
    const animat_spikes_ext *sx = api()->extension(c, ANIMAT_EXT_SPIKES);
    ck_assert_ptr_nonnull(sx);
    ck_assert_uint_eq(sx->capacity(c), 100);
    double x = 0.625, y, first = -1.0;
    const double *in[1] = {&x};
    double *out[1] = {&y};
    uint32_t n = 7;
    ck_assert_ptr_null(sx->events(c, &n));
    ck_assert_uint_eq(n, 0);
    for (int s = 0; s < 10 && first < 0; s++) {
        ck_assert_int_eq(api()->step(c, in, out, 0.01), ANIMAT_OK);
        const animat_spike_event *ev = sx->events(c, &n);
        for (uint32_t k = 0; k < n; k++) ck_assert_uint_eq(ev[k].unit, 0); /* only neuron 0 is driven */
        if (n) first = s * 0.01 + ev[0].t;
    }
    double want = 0.02 * log(25.0 / 5.0);
    ck_assert_msg(fabs(first - want) < 5e-5, "first spike at %.6f s, analytic %.6f s", first, want);
    ck_assert_int_eq(api()->reset(c, 0), ANIMAT_OK);
    ck_assert_ptr_null(sx->events(c, &n));
    ck_assert_uint_eq(n, 0);
    api()->destroy(c);
    th_free(t);
}
END_TEST

/* learn_delays: delays appear in theta with bounds [delay_min, delay_max];
 * set_theta rounds them. */
START_TEST(test_learn_delays) {
    th_host *t = host();
    th_set_real(t, "learn_delays", 1);
    th_set_real(t, "p_connect", 0.5);
    th_set_real(t, "delay_min", 2);
    th_set_real(t, "delay_max", 6);
    void *c = make(t);
    uint32_t n;
    const animat_param_info *info = api()->theta_info(c, &n);
    uint32_t n_syn = (n - 2) / 2;
    ck_assert_uint_eq(n, 2 * n_syn + 2);
    ck_assert_str_eq(info[0].name, "syn.w");
    ck_assert_str_eq(info[n_syn].name, "in.gain");
    ck_assert_str_eq(info[n_syn + 2].name, "syn.delay");
    ck_assert(info[n_syn + 2].min == 2.0 && info[n_syn + 2].max == 6.0);
    double *th = calloc(n, sizeof *th);
    ck_assert_int_eq(api()->get_theta(c, th, n), ANIMAT_OK);
    for (uint32_t k = 0; k < n_syn; k++) {
        ck_assert(th[n_syn + 2 + k] >= 2.0 && th[n_syn + 2 + k] <= 6.0);
        ck_assert(th[n_syn + 2 + k] == floor(th[n_syn + 2 + k]));
        /* sign flags match the initial weights */
        ck_assert_uint_eq(info[k].flags, th[k] < 0 ? ANIMAT_PARAM_INHIBITORY : ANIMAT_PARAM_EXCITATORY);
        th[n_syn + 2 + k] = 3.4;
    }
    ck_assert_int_eq(api()->set_theta(c, th, n), ANIMAT_OK);
    free(th);
    api()->destroy(c);
    th_free(t);
}
END_TEST

int main(void) {
    Suite *s = suite_create("lif");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_isi_analytic);
    tcase_add_test(tc, test_subthreshold_silent);
    tcase_add_test(tc, test_delay_exact);
    tcase_add_test(tc, test_random_wiring);
    tcase_add_test(tc, test_poisson_input);
    tcase_add_test(tc, test_plugin_units_and_rate);
    tcase_add_test(tc, test_learn_delays);
    tcase_add_test(tc, test_spike_times);
    suite_add_tcase(s, tc);
    return ck_run(s);
}
