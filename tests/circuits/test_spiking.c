/* test_spiking.c -- the spiking circuit's maths (spk_neuron.c, spk_plast.c,
 * spk_net.c compiled in) against independent references, and its plugin
 * (SPIKING_SO):
 *   - a lone LIF neuron's ISI equals tau ln((v_inf - v_r) / (v_inf - v_th))
 *     + t_ref to < 1e-9 relative at h = 0.1 ms with interpolated threshold
 *     crossings (the issue asks < 1e-5; grid spikes miss it by > 1e-4);
 *   - Izhikevich 2003 presets under the paper's I = 10 show their firing
 *     classes (spike counts, first/last ISI), TC its rebound burst, RZ its
 *     damped subthreshold oscillation; AdEx presets (Naud et al. 2008)
 *     classified as tonic, adapting, initial burst, regular bursting,
 *     delayed;
 *   - STDP weight change of an isolated pair equals A+ exp(-dt / tau+) and
 *     -A- exp(dt / tau-) to 1e-9 (additive), the soft-bound forms
 *     (multiplicative), all-to-all vs nearest-spike pairing;
 *   - Tsodyks-Markram steady-state amplitude vs rate equals the closed form;
 *     synaptic scaling's rate estimate and weight update are exact;
 *   - a double-exponential conductance synapse's PSP equals the solution of
 *     the linear ODE (GSL quadrature of its closed-form integrating factor)
 *     to integration error, second order in h;
 *   - the plugin: spike events, weights as units after an episode, bad
 *     parameters refused with one reason;
 *   - through the animat binary: plugin-check passes, both examples run,
 *     ES training is bit-identical on 1 and 2 threads, bad experiment
 *     values are one line naming file:line, exit 1. */
#include <check.h>
#include <gsl/gsl_integration.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "proc.h"
#include "spk_net.h"
#include "spk_neuron.h"
#include "spk_plast.h"
#include "testhost.h"

static const animat_plugin_desc *desc(void) { return th_load_env("SPIKING_SO"); }
static const animat_circuit_api *api(void) { return desc()->api; }

/* ---- single neurons ---------------------------------------------------- */

/* Spike times (ms) of a lone neuron of preset `name` (or cfg c) under
 * current i for T ms at h ms; returns the count (at most cap stored). */
static int lone(const spk_ncfg *c, double i, double T, double h, double *t, int cap) {
    double v = c->v_init, w = c->model == SPK_IZH ? c->b * c->v_init : 0.0, ref = 0.0;
    int n = 0;
    long steps = lround(T / h);
    for (long s = 0; s < steps; s++) {
        double ts = h;
        if (spk_neuron_step(c, h, i, 0, 0, 0, -80, &v, &w, &ref, &ts)) {
            if (n < cap) t[n] = s * h + ts;
            n++;
        }
    }
    return n;
}

static spk_ncfg preset(const char *name) {
    const spk_preset *p = spk_preset_find(name);
    ck_assert_msg(p != NULL, "preset %s", name);
    spk_ncfg c = {.model = p->model, .interp = 1};
    spk_preset_apply(p, &c);
    return c;
}

START_TEST(test_lif_isi_interpolated) {
    spk_ncfg c = {.model = SPK_LIF, .c_m = 200, .g_l = 10, .e_l = -70, .v_th = -50, .v_reset = -60,
                  .t_ref = 2, .v_init = -70};
    const double currents[] = {210, 250, 400, 800};
    for (size_t k = 0; k < sizeof currents / sizeof currents[0]; k++) {
        double vinf = c.e_l + currents[k] / c.g_l, tau = c.c_m / c.g_l;
        double want = tau * log((vinf - c.v_reset) / (vinf - c.v_th)) + c.t_ref;
        double t[400];
        for (int interp = 1; interp >= 0; interp--) {
            c.interp = interp;
            int n = lone(&c, currents[k], 2000, 0.1, t, 400);
            ck_assert_int_ge(n, 20);
            double isi = (t[n - 1] - t[1]) / (n - 2); /* from the 2nd spike: every one after a reset */
            double rel = fabs(isi - want) / want;
            if (getenv("SPIKING_VERBOSE"))
                printf("LIF I = %g pA interpolate %d: ISI %.12g ms, analytic %.12g ms, rel %.2g\n", currents[k], interp,
                       isi, want, rel);
            if (interp)
                ck_assert_msg(rel < 1e-9, "I = %g: ISI %.9g ms, analytic %.9g ms (rel %.2g)", currents[k], isi,
                              want, rel);
            else
                ck_assert_msg(rel > 1e-4, "I = %g: grid ISI unexpectedly exact (rel %.2g)", currents[k], rel);
        }
    }
}
END_TEST

/* Adaptive LIF: with a = b = 0 it is the LIF bit for bit; with
 * spike-triggered adaptation (b = 40 pA, tau_w 100 ms) its ISIs lengthen
 * monotonically (to 1e-4 ms) to a steady ISI where the adaptation
 * current just after a spike is w+ = b / (1 - exp(-ISI / tau_w)) (checked
 * to 1e-6 relative from the simulated w). */
START_TEST(test_alif_adaptation) {
    spk_ncfg lif = {.model = SPK_LIF, .interp = 1, .c_m = 200, .g_l = 10, .e_l = -70, .v_th = -50, .v_reset = -60,
                    .t_ref = 2, .v_init = -70, .tau_w = 100};
    spk_ncfg al = lif;
    al.model = SPK_ALIF;
    double t1[200], t2[200];
    int n1 = lone(&lif, 400, 500, 0.1, t1, 200), n2 = lone(&al, 400, 500, 0.1, t2, 200);
    ck_assert_int_eq(n1, n2);
    for (int k = 0; k < n1; k++) ck_assert(t1[k] == t2[k]);
    al.b = 40;
    double v = al.v_init, w = 0, ref = 0, last = -1, isi = 0, prev_isi = 0, wplus = 0;
    int n = 0;
    for (long s = 0; s < 40000; s++) {
        double ts = 0.1;
        if (spk_neuron_step(&al, 0.1, 400, 0, 0, 0, -80, &v, &w, &ref, &ts)) {
            double t = s * 0.1 + ts;
            if (last >= 0) {
                prev_isi = isi, isi = t - last;
                if (n > 1) ck_assert_msg(isi >= prev_isi - 1e-4, "ISI %d shrinks: %.12g < %.12g", n, isi, prev_isi);
            }
            last = t, n++;
            wplus = w * exp((0.1 - ts) / al.tau_w); /* undo the decay over the rest of the substep (a = 0) */
        }
    }
    double want = al.b / (1.0 - exp(-isi / al.tau_w));
    ck_assert_msg(n > 20 && isi > 1.5 * (t1[2] - t1[1]), "adaptation too weak: %d spikes, ISI %g", n, isi);
    ck_assert_msg(fabs(wplus - want) < 1e-6 * want, "w+ %.9g, steady state %.9g", wplus, want);
}
END_TEST

/* ISIs of the first 500 ms at h = 0.1 ms under the preset's reference current. */
static int isis(const char *name, double *isi, double *first_spike) {
    spk_ncfg c = preset(name);
    double t[4000];
    int n = lone(&c, spk_preset_find(name)->i_ref, 500, 0.1, t, 4000);
    for (int k = 1; k < n; k++) isi[k - 1] = t[k] - t[k - 1];
    *first_spike = n ? t[0] : INFINITY;
    return n;
}

static int count_above(const double *x, int n, double th) {
    int k = 0;
    for (int i = 0; i < n; i++) k += x[i] > th;
    return k;
}

START_TEST(test_izhikevich_classes) {
    double d[4000], t0;
    /* RS: regular spiking, adapting (no burst: first ISI > 10 ms, last > 1.5 first) */
    int n = isis("RS", d, &t0);
    ck_assert_msg(n >= 8 && n <= 20 && d[0] > 10 && d[n - 2] > 1.5 * d[0], "RS n %d isi %g..%g", n, d[0], d[n - 2]);
    /* IB: an initial burst (two ISIs < 6 ms) then regular spiking (ISIs > 20 ms) */
    n = isis("IB", d, &t0);
    ck_assert_msg(d[0] < 6 && d[1] < 6 && d[n - 2] > 20 && count_above(d, n - 1, 20) >= n - 4, "IB %g %g %g", d[0],
                  d[1], d[n - 2]);
    /* CH: repeated bursts: many ISIs < 6 ms and at least 4 inter-burst ISIs > 20 ms */
    n = isis("CH", d, &t0);
    ck_assert_msg(count_above(d, n - 1, 20) >= 4 && n - 1 - count_above(d, n - 1, 6) >= 2 * count_above(d, n - 1, 20),
                  "CH n %d long %d", n, count_above(d, n - 1, 20));
    /* FS: fast spiking, > 100 Hz sustained, weak adaptation */
    n = isis("FS", d, &t0);
    ck_assert_msg(n > 50 && d[n - 2] < 10 && d[n - 2] < 2 * d[0], "FS n %d", n);
    /* LTS: high frequency at onset (first ISI < 5 ms) with strong adaptation (last > 3 first) */
    n = isis("LTS", d, &t0);
    ck_assert_msg(d[0] < 5 && d[n - 2] > 3 * d[0] && count_above(d, n - 1, 20) == 0, "LTS %g %g", d[0], d[n - 2]);
    /* TC: tonic from rest; a rebound burst after 200 ms at I = -10 (RS: none) */
    const char *rb[] = {"TC", "RS"};
    for (int k = 0; k < 2; k++) {
        spk_ncfg c = preset(rb[k]);
        double v = c.v_init, u = c.b * v, ref = 0, ts;
        int spikes = 0;
        for (int s = 0; s < 4000; s++)
            spikes += spk_neuron_step(&c, 0.1, s < 2000 ? -10 : 0, 0, 0, 0, -80, &v, &u, &ref, &ts);
        ck_assert_msg(k == 0 ? spikes >= 2 : spikes == 0, "%s rebound spikes %d", rb[k], spikes);
    }
    /* RZ: a 1 mV kick from rest rings (>= 6 sign changes of v - v_rest in
     * 400 ms, complex eigenvalues); RS relaxes (<= 2) */
    const char *rz[] = {"RZ", "RS"};
    for (int k = 0; k < 2; k++) {
        spk_ncfg c = preset(rz[k]);
        double v = c.v_init, u = c.b * v, ref = 0, ts;
        for (int s = 0; s < 20000; s++) spk_neuron_step(&c, 0.1, 0, 0, 0, 0, -80, &v, &u, &ref, &ts);
        double vr = v, prev = 1.0;
        int cross = 0, spikes = 0;
        v += 1.0;
        for (int s = 0; s < 4000; s++) {
            spikes += spk_neuron_step(&c, 0.1, 0, 0, 0, 0, -80, &v, &u, &ref, &ts);
            cross += (v - vr) * prev < 0.0;
            prev = v - vr;
        }
        ck_assert_msg(spikes == 0 && (k == 0 ? cross >= 6 : cross <= 2), "%s: %d crossings", rz[k], cross);
    }
}
END_TEST

START_TEST(test_adex_classes) {
    double d[4000], t0;
    /* tonic: regular from the first ISI (last / first within 20%) */
    int n = isis("tonic", d, &t0);
    ck_assert_msg(n > 20 && fabs(d[n - 2] / d[0] - 1.0) < 0.2 && t0 < 2 * d[n - 2], "tonic %g %g", d[0], d[n - 2]);
    /* adapting: ISIs grow monotonically from the second on, last > 3 first, no burst */
    n = isis("adapting", d, &t0);
    ck_assert_int_ge(n, 5);
    for (int k = 2; k < n - 1; k++) ck_assert_msg(d[k] >= d[k - 1] - 1e-9, "adapting ISI %d shrinks", k);
    ck_assert_msg(d[n - 2] > 3 * d[0] && d[0] > 6, "adapting %g %g", d[0], d[n - 2]);
    /* initial burst: two short ISIs, then long steady ones (> 5 x the first) */
    n = isis("init_burst", d, &t0);
    ck_assert_msg(d[0] < 10 && d[1] < 10 && d[n - 2] > 5 * d[0] && fabs(d[n - 2] - d[n - 3]) < 0.05 * d[n - 2],
                  "init_burst %g %g %g", d[0], d[1], d[n - 2]);
    /* regular bursting: long ISIs (> 50 ms) recur, separated by short ones */
    n = isis("bursting", d, &t0);
    int longs = count_above(d, n - 1, 50);
    ck_assert_msg(longs >= 3 && n - 1 - longs >= longs, "bursting n %d long %d", n, longs);
    /* delayed (accelerating): first spike after > 2 steady ISIs, ISIs shrink */
    n = isis("delayed", d, &t0);
    ck_assert_msg(t0 > 2 * d[n - 2] && d[n - 2] < 0.8 * d[0], "delayed first %g isi %g..%g", t0, d[0], d[n - 2]);
}
END_TEST

/* ---- networks ------------------------------------------------------------ */

static void *tcalloc(void *ctx, size_t n) {
    (void)ctx;
    return calloc(1, n);
}
static void tfree(void *ctx, void *p) {
    (void)ctx;
    free(p);
}

/* Two LIF neurons at rest (no input), synapses 0 -> 1 (k = 0) and
 * 1 -> 0 (k = 1), both weights w0; conductance exp kernel unless changed. */
static void pair_net(spk_net *net, double w0) {
    memset(net, 0, sizeof *net);
    net->ncfg = (spk_ncfg){.model = SPK_LIF, .interp = 1, .c_m = 200, .g_l = 10, .e_l = -70, .v_th = -50,
                           .v_reset = -60, .t_ref = 2, .v_init = -70};
    net->scfg = (spk_syncfg){.conductance = 1, .kernel = SPK_KERNEL_EXP, .tau_r = 0.5, .tau_d = 5, .e_exc = 0,
                             .e_inh = -80, .w_max = 1, .stp_u = 0.5, .stp_tau_d = 200, .stp_tau_f = 50};
    ck_assert_int_eq(spk_net_alloc(net, 2, 2, tcalloc, NULL), 0);
    net->first_inh = 2;
    net->row[0] = 0, net->row[1] = 1, net->row[2] = 2;
    net->post[0] = 1, net->post[1] = 0;
    spk_net_index(net);
    double w[2] = {w0, w0};
    spk_net_reset(net, w);
}

/* Run substeps [0, steps) forcing neuron i to spike at the substeps listed
 * in at[i] (terminated by -1) with units clamps; h ms each. */
static void drive(spk_net *net, const animat_host *hst, double h, int steps, const int *const at[2]) {
    cu_units u;
    ck_assert_int_eq(cu_alloc(hst, &u, 2), ANIMAT_OK);
    for (int s = 0; s < steps; s++) {
        for (uint32_t i = 0; i < 2; i++) {
            int fire = 0;
            for (const int *p = at[i]; *p >= 0; p++) fire |= *p == s;
            ck_assert_int_eq(cu_override(&u, i, ANIMAT_UNIT_CLAMP, fire ? 1.0 : 0.0), ANIMAT_OK);
        }
        spk_net_substep(net, h, s * h, &u, 0, NULL, NULL, NULL);
    }
    cu_free(hst, &u);
}

START_TEST(test_stdp_window) {
    th_host *t = th_new(desc(), "circuit", 1);
    const double h = 0.1, ap = 0.01, am = 0.012, tp = 16.8, tm = 33.7, w0 = 0.5;
    for (int rule = SPK_STDP_ADD; rule <= SPK_STDP_MULT; rule++)
        for (int m = -300; m <= 300; m += 25) {
            if (m == 0) continue;
            spk_net net;
            pair_net(&net, w0);
            net.stdp = (spk_stdp){.rule = (uint32_t)rule, .a_plus = ap, .a_minus = am, .tau_plus = tp,
                                  .tau_minus = tm, .w_max = 1};
            int pre[] = {400, -1}, post[] = {400 + m, -1};
            drive(&net, th_table(t), h, 800, (const int *const[]){pre, post});
            double dt = m * h, pot = ap * exp(-dt / tp), dep = am * exp(dt / tm);
            double want0 = rule == SPK_STDP_ADD ? (dt > 0 ? w0 + pot : w0 - dep)
                                                : (dt > 0 ? w0 + pot * (1 - w0) : w0 - dep * w0);
            /* synapse 1 -> 0 sees the same pair reversed */
            double rev_dep = am * exp(-dt / tm), rev_pot = ap * exp(dt / tp);
            double want1 = rule == SPK_STDP_ADD ? (dt > 0 ? w0 - rev_dep : w0 + rev_pot)
                                                : (dt > 0 ? w0 - rev_dep * w0 : w0 + rev_pot * (1 - w0));
            ck_assert_msg(fabs(net.w[0] - want0) < 1e-9 && fabs(net.w[1] - want1) < 1e-9,
                          "rule %d dt %g: w %.12g %.12g, window %.12g %.12g", rule, dt, net.w[0], net.w[1], want0,
                          want1);
            spk_net_free(&net, tfree, NULL);
        }
    th_free(t);
}
END_TEST

/* Two presynaptic spikes 5 ms apart, then one postsynaptic spike 5 ms
 * after the second: all-to-all pairs both, nearest-spike only the last. */
START_TEST(test_stdp_pairing) {
    th_host *t = th_new(desc(), "circuit", 1);
    const double ap = 0.01, tp = 20.0;
    for (int nearest = 0; nearest <= 1; nearest++) {
        spk_net net;
        pair_net(&net, 0.5);
        net.stdp = (spk_stdp){.rule = SPK_STDP_ADD, .nearest = nearest, .a_plus = ap, .a_minus = 0, .tau_plus = tp,
                              .tau_minus = 20, .w_max = 1};
        int pre[] = {100, 150, -1}, post[] = {200, -1};
        drive(&net, th_table(t), 0.1, 300, (const int *const[]){pre, post});
        double want = 0.5 + ap * exp(-5.0 / tp) + (nearest ? 0.0 : ap * exp(-10.0 / tp));
        ck_assert_msg(fabs(net.w[0] - want) < 1e-12, "nearest %d: %.15g want %.15g", nearest, net.w[0], want);
        spk_net_free(&net, tfree, NULL);
    }
    th_free(t);
}
END_TEST

/* Periodic presynaptic spikes at rate r: the delivered fraction after 300
 * spikes equals U* x* of the closed form (through the net's clocks), for
 * depressing and facilitating parameter sets and 1..100 Hz. */
START_TEST(test_tm_steady_state) {
    th_host *t = th_new(desc(), "circuit", 1);
    const double sets[][3] = {{0.5, 800, 1e-3}, {0.1, 100, 1000}, {0.25, 200, 50}};
    const int periods[] = {10000, 2000, 500, 200, 100}; /* substeps of 0.1 ms: 1, 5, 20, 50, 100 Hz */
    for (size_t q = 0; q < 3; q++)
        for (size_t k = 0; k < 5; k++) {
            spk_net net;
            pair_net(&net, 0.5);
            net.scfg.stp = 1, net.scfg.stp_u = sets[q][0], net.scfg.stp_tau_d = sets[q][1];
            net.scfg.stp_tau_f = sets[q][2];
            cu_units u;
            ck_assert_int_eq(cu_alloc(th_table(t), &u, 2), ANIMAT_OK);
            double amp = 0.0;
            for (int s = 0; s < 300 * periods[k]; s++) {
                cu_override(&u, 0, ANIMAT_UNIT_CLAMP, s % periods[k] == 0 ? 1.0 : 0.0);
                cu_override(&u, 1, ANIMAT_UNIT_CLAMP, 0.0);
                spk_net_substep(&net, 0.1, 0.0, &u, 0, NULL, NULL, NULL);
                if (s % periods[k] == 0) amp = net.amp[0];
            }
            double T = periods[k] * 0.1, U = sets[q][0];
            double up = U / (1.0 - (1.0 - U) * exp(-T / sets[q][2]));
            double ed = exp(-T / sets[q][1]), xm = (1.0 - ed) / (1.0 - (1.0 - up) * ed);
            ck_assert_msg(fabs(amp - up * xm) < 1e-9, "set %zu, T %g ms: %.12g, closed form %.12g", q, T, amp,
                          up * xm);
            cu_free(th_table(t), &u);
            spk_net_free(&net, tfree, NULL);
        }
    th_free(t);
}
END_TEST

/* Synaptic scaling: neuron 1 forced at 100 Hz for 5 s; its rate estimate
 * (tau_homeo 200 ms) averages 100 Hz over the last second (within 0.5%); a
 * control step of 30 ms then scales its incoming weight by exactly
 * 1 + 0.03 eta (rate_target - r) and leaves neuron 0's (silent, rate 0)
 * scaled by 1 + 0.03 eta rate_target. */
START_TEST(test_synaptic_scaling) {
    th_host *t = th_new(desc(), "circuit", 1);
    spk_net net;
    pair_net(&net, 0.5);
    net.scfg.scaling = 1, net.scfg.rate_target = 20, net.scfg.tau_homeo = 200, net.scfg.w_max = 10;
    net.eta = 0.01;
    cu_units u;
    ck_assert_int_eq(cu_alloc(th_table(t), &u, 2), ANIMAT_OK);
    double mean = 0.0;
    for (int s = 0; s < 50000; s++) {
        cu_override(&u, 0, ANIMAT_UNIT_CLAMP, 0.0);
        cu_override(&u, 1, ANIMAT_UNIT_CLAMP, s % 100 == 0 ? 1.0 : 0.0);
        spk_net_substep(&net, 0.1, 0.0, &u, 0, NULL, NULL, NULL);
        if (s >= 40000) mean += net.rate[1] / 10000.0;
    }
    ck_assert_msg(fabs(mean - 100.0) < 0.5, "rate estimate %g Hz", mean);
    double r1 = net.rate[1], r0 = net.rate[0];
    ck_assert(r0 == 0.0);
    spk_net_scale(&net, 30.0);
    ck_assert_msg(fabs(net.w[0] - 0.5 * (1.0 + 0.03 * 0.01 * (20.0 - r1))) < 1e-15, "w 0->1 %.17g", net.w[0]);
    ck_assert_msg(fabs(net.w[1] - 0.5 * (1.0 + 0.03 * 0.01 * 20.0)) < 1e-15, "w 1->0 %.17g", net.w[1]);
    cu_free(th_table(t), &u);
    spk_net_free(&net, tfree, NULL);
    th_free(t);
}
END_TEST

/* ---- gap junctions ------------------------------------------------------- */

/* pair_net's two LIF neurons without chemical weights, joined by one gap
 * junction of g nS. */
static void gap_pair(spk_net *net, double g) {
    pair_net(net, 0.0);
    ck_assert_int_eq(spk_net_alloc_gaps(net, 1, tcalloc, NULL), 0);
    net->gap_a[0] = 0, net->gap_b[0] = 1, net->gap_g[0] = g;
    spk_net_reset(net, (const double[]){0.0, 0.0});
}

/* Max |u - u_exact| (u = v - E_L, both neurons) over 600 ms of a current
 * step I into neuron 0 of a passive gap-coupled LIF pair at step h, against
 * the exact solution of the linear two-compartment circuit: the sum mode
 * s = u0 + u1 relaxes with rate g_L / C to I / g_L, the difference mode
 * d = u0 - u1 with rate (g_L + 2 g) / C to I / (g_L + 2 g). *cc receives
 * the final coupling coefficient u1 / u0. */
static double gap_passive(double g, double I, double h, double *cc) {
    spk_net net;
    gap_pair(&net, g);
    net.i_ext[0] = I;
    const double C = net.ncfg.c_m, gl = net.ncfg.g_l, el = net.ncfg.e_l;
    double err = 0.0;
    long steps = lround(600.0 / h);
    for (long m = 1; m <= steps; m++) {
        spk_net_substep(&net, h, 0.0, NULL, 0, NULL, NULL, NULL);
        double t = m * h, s = I / gl * (1 - exp(-t * gl / C)), d = I / (gl + 2 * g) * (1 - exp(-t * (gl + 2 * g) / C));
        err = fmax(err, fmax(fabs(net.v[0] - el - (s + d) / 2), fabs(net.v[1] - el - (s - d) / 2)));
        ck_assert(net.n_fired == 0);
    }
    *cc = (net.v[1] - el) / (net.v[0] - el);
    spk_net_free(&net, tfree, NULL);
    return err;
}

/* Passive coupling: the steady-state coupling coefficient u1 / u0 of two
 * identical leaky neurons equals g / (g_L + g) (the closed form of the
 * linear two-compartment circuit: g_L u1 = g (u0 - u1)) to 1e-9, for g
 * from 0.1 to 10 g_L; the transient follows the exact two-mode solution
 * to integration error (< 0.5% of the 15 mV step response at h 0.1 ms;
 * first order in h: halving h halves it). */
START_TEST(test_gap_passive_coupling) {
    const double gs[] = {1.0, 5.0, 10.0, 100.0};
    for (size_t k = 0; k < sizeof gs / sizeof gs[0]; k++) {
        double cc, cc2, e1 = gap_passive(gs[k], 150.0, 0.1, &cc), e2 = gap_passive(gs[k], 150.0, 0.05, &cc2);
        double want = gs[k] / (10.0 + gs[k]);
        if (getenv("SPIKING_VERBOSE"))
            printf("gap g %g nS: coupling coefficient %.12g, closed form %.12g (rel %.2g); max transient error %.3g mV "
                   "at h 0.1, %.3g mV at h 0.05\n", gs[k], cc, want, fabs(cc - want) / want, e1, e2);
        ck_assert_msg(fabs(cc - want) < 1e-9 * want, "g %g: coupling %.12g, closed form %.12g", gs[k], cc, want);
        ck_assert_msg(e1 < 5e-3 * 150.0 / 10.0 && e2 < 0.6 * e1 && e2 > 0.4 * e1,
                      "g %g: transient error %.3g at h 0.1, %.3g at 0.05", gs[k], e1, e2);
    }
}
END_TEST

/* Spike times of a pair of identical neurons (cfg c, current i, neuron 1
 * started at v1) joined by gap conductance g, over T ms at h = 0.1 ms:
 * the absolute time difference of their k-th spikes for the first and
 * the last pair. */
static void gap_sync(const spk_ncfg *c, double i, double v1, double g, double T, double *first, double *last) {
    spk_net net;
    gap_pair(&net, g);
    net.ncfg = *c;
    spk_net_reset(&net, (const double[]){0.0, 0.0});
    net.v[1] = v1;
    net.i_ext[0] = net.i_ext[1] = i;
    double t[2][4000];
    int n[2] = {0, 0};
    animat_spike_event ev[2];
    for (long m = 0; m < lround(T / 0.1); m++) {
        uint32_t ne = 0;
        spk_net_substep(&net, 0.1, m * 0.1, NULL, 0, NULL, ev, &ne);
        for (uint32_t e = 0; e < ne; e++)
            if (n[ev[e].unit] < 4000) t[ev[e].unit][n[ev[e].unit]++] = ev[e].t * 1e3;
    }
    int m = n[0] < n[1] ? n[0] : n[1];
    ck_assert_int_ge(m, 10);
    *first = fabs(t[0][0] - t[1][0]);
    *last = fabs(t[0][m - 1] - t[1][m - 1]);
    spk_net_free(&net, tfree, NULL);
}

/* A spiking pair synchronises through a gap junction: two identical
 * neurons started out of phase fire their last spikes < 0.1 ms apart
 * (coupled) but keep their initial lag (uncoupled). Izhikevich RS (I 10,
 * g 0.05) and AdEx tonic (500 pA, g 20 nS; weaker AdEx coupling, 0.5-5 nS,
 * locks this pair at a lag of 7.4-9.6 ms instead). */
START_TEST(test_gap_synchrony) {
    struct {
        const char *preset;
        double i, v1, g;
    } cases[] = {{"RS", 10, -55, 0.05}, {"tonic", 500, -55, 20}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        spk_ncfg c = preset(cases[k].preset);
        c.t_ref = 0;
        double f0, l0, f1, l1;
        gap_sync(&c, cases[k].i, cases[k].v1, 0.0, 1000, &f0, &l0);
        gap_sync(&c, cases[k].i, cases[k].v1, cases[k].g, 1000, &f1, &l1);
        if (getenv("SPIKING_VERBOSE"))
            printf("gap sync %s: uncoupled lag %.4g -> %.4g ms; coupled (g %g) %.4g -> %.4g ms\n", cases[k].preset,
                   f0, l0, cases[k].g, f1, l1);
        ck_assert_msg(f0 > 1.0 && fabs(l0 - f0) < 0.2 * f0, "%s uncoupled: lag %g -> %g ms", cases[k].preset, f0, l0);
        ck_assert_msg(f1 > 0.5 && l1 < 0.1, "%s coupled: lag %g -> %g ms", cases[k].preset, f1, l1);
    }
}
END_TEST

/* ---- intrinsic plasticity ------------------------------------------------- */

/* Under a clamped spike train (neuron 1 every 10 ms, neuron 0 silent) the
 * threshold shift follows the exact solution of d thr / dt = eta_ip (r -
 * r_target) with the trace r (tau_homeo): thr(t) = eta_ip (sum_k (1 -
 * e^{-(t - t_k) / tau}) - r_target t), t_k the trace's jumps (the ends of
 * the spiking substeps), to 1e-9 relative; the silent neuron's is
 * -eta_ip r_target t. */
START_TEST(test_intrinsic_closed_form) {
    th_host *t = th_new(desc(), "circuit", 1);
    spk_net net;
    pair_net(&net, 0.0);
    net.scfg.intrinsic = 1, net.scfg.rate_target = 20, net.scfg.tau_homeo = 200, net.scfg.ip_max = 1e9;
    net.eta_ip = 0.01;
    cu_units u;
    ck_assert_int_eq(cu_alloc(th_table(t), &u, 2), ANIMAT_OK);
    const double h = 0.1, tau = 200, eta = 0.01;
    double sum = 0.0; /* sum_k e^{t_k / tau}, times e^{-t / tau} below */
    long n_sp = 0;
    for (long s = 0; s < 30000; s++) {
        cu_override(&u, 0, ANIMAT_UNIT_CLAMP, 0.0);
        cu_override(&u, 1, ANIMAT_UNIT_CLAMP, s % 100 == 37 ? 1.0 : 0.0);
        spk_net_substep(&net, h, 0.0, &u, 0, NULL, NULL, NULL);
        double tt = (s + 1) * h;
        if (s % 100 == 37) sum += exp((tt - 3000.0) / tau), n_sp++;
        if ((s + 1) % 5000 == 0) {
            double want1 = eta * (n_sp - sum * exp(-(tt - 3000.0) / tau) - 20.0 * tt * 1e-3);
            double want0 = -eta * 20.0 * tt * 1e-3;
            ck_assert_msg(fabs(net.thr[1] - want1) < 1e-9 * fabs(want1), "t %g: thr %.15g, exact %.15g", tt,
                          net.thr[1], want1);
            ck_assert_msg(fabs(net.thr[0] - want0) < 1e-9 * fabs(want0), "t %g: silent thr %.15g, exact %.15g", tt,
                          net.thr[0], want0);
        }
    }
    ck_assert_msg(net.thr[1] > 0.05, "a neuron above target raises its threshold: %g", net.thr[1]);
    cu_free(th_table(t), &u);
    spk_net_free(&net, tfree, NULL);
    th_free(t);
}
END_TEST

/* A LIF neuron driven at 99 Hz (400 pA) with target 20 Hz raises its
 * threshold until it fires at the target: over the last 20 s of 60 s its
 * rate is within 1% of 20 Hz, and its mean threshold within 0.2 mV of the
 * analytic one for 20 Hz, v_inf - (v_inf - v_r) e^{-(1/f - t_ref) / tau}. */
START_TEST(test_intrinsic_converges) {
    spk_net net;
    pair_net(&net, 0.0);
    net.scfg.intrinsic = 1, net.scfg.rate_target = 20, net.scfg.tau_homeo = 1000, net.scfg.ip_max = 30;
    net.eta_ip = 0.1;
    net.i_ext[0] = 400.0;
    const spk_ncfg *c = &net.ncfg;
    double vinf = c->e_l + 400.0 / c->g_l, tau = c->c_m / c->g_l;
    double f0 = 1e3 / (tau * log((vinf - c->v_reset) / (vinf - c->v_th)) + c->t_ref);
    double want = vinf - (vinf - c->v_reset) * exp(-(1e3 / 20.0 - c->t_ref) / tau);
    long spikes = 0, steps = 600000, from = 400000;
    double th = 0.0;
    animat_spike_event ev[2];
    for (long s = 0; s < steps; s++) {
        uint32_t ne = 0;
        spk_net_substep(&net, 0.1, 0.0, NULL, 0, NULL, ev, &ne);
        if (s < from) continue;
        for (uint32_t e = 0; e < ne; e++) spikes += ev[e].unit == 0;
        th += (c->v_th + net.thr[0]) / (double)(steps - from);
    }
    double rate = spikes / ((steps - from) * 1e-4);
    if (getenv("SPIKING_VERBOSE"))
        printf("intrinsic: rate %.4g Hz without plasticity, %.6g Hz over 40..60 s (target 20); threshold %.6g mV, "
               "analytic %.6g mV\n", f0, rate, th, want);
    ck_assert_msg(f0 > 90.0, "drive %g Hz", f0);
    ck_assert_msg(fabs(rate - 20.0) < 0.2, "converged rate %g Hz, target 20", rate);
    ck_assert_msg(fabs(th - want) < 0.2, "threshold %.6g mV, analytic %.6g mV", th, want);
    spk_net_free(&net, tfree, NULL);
}
END_TEST

/* The PSP reference: u(t) = v - E_L solves C u' = -g_L u + g(t) (E - E_L - u)
 * with g(t) = W f (e^{-t/td} - e^{-t/tr}): u(t) = e^{-P(t)} int_0^t
 * e^{P(s)} g(s) (E - E_L) / C ds, P(t) = (g_L t + int_0^t g) / C, with the
 * integral of g in closed form and the outer one by GSL's QAG. */
typedef struct psp_ref {
    double W, f, tr, td, C, gl, de;
} psp_ref;

static double ref_g(const psp_ref *r, double t) { return r->W * r->f * (exp(-t / r->td) - exp(-t / r->tr)); }
static double ref_P(const psp_ref *r, double t) {
    double G = r->W * r->f * (r->td * (1 - exp(-t / r->td)) - r->tr * (1 - exp(-t / r->tr)));
    return (r->gl * t + G) / r->C;
}
static double ref_integrand(double s, void *p) {
    const psp_ref *r = p;
    return exp(ref_P(r, s)) * ref_g(r, s) * r->de / r->C;
}
static double ref_u(psp_ref *r, double t, gsl_integration_workspace *ws) {
    gsl_function F = {ref_integrand, r};
    double val, err;
    ck_assert_int_eq(gsl_integration_qag(&F, 0, t, 0, 1e-12, 1000, GSL_INTEG_GAUSS41, ws, &val, &err), 0);
    return exp(-ref_P(r, t)) * val;
}

/* Max |v - E_L - u_ref| over 50 ms after one spike of weight W at step h. */
static double psp_error(double h, double *peak) {
    th_host *t = th_new(desc(), "circuit", 1);
    spk_net net;
    const double W = 5.0;
    pair_net(&net, W);
    net.scfg.kernel = SPK_KERNEL_EXP2;
    spk_net_reset(&net, (const double[]){W, W});
    psp_ref r = {W, 0, net.scfg.tau_r, net.scfg.tau_d, net.ncfg.c_m, net.ncfg.g_l, net.scfg.e_exc - net.ncfg.e_l};
    double tpk = r.td * r.tr / (r.td - r.tr) * log(r.td / r.tr);
    r.f = 1.0 / (exp(-tpk / r.td) - exp(-tpk / r.tr)); /* peak W */
    gsl_integration_workspace *ws = gsl_integration_workspace_alloc(1000);
    int s0 = 10, steps = (int)lround(50.0 / h);
    int pre[] = {s0, -1}, none[] = {-1};
    drive(&net, th_table(t), h, s0 + 1, (const int *const[]){pre, none}); /* arrives at the start of s0 + 1 */
    double err = 0.0;
    *peak = 0.0;
    cu_units u;
    ck_assert_int_eq(cu_alloc(th_table(t), &u, 2), ANIMAT_OK);
    for (int m = 0; m < steps; m++) {
        spk_net_substep(&net, h, 0.0, NULL, 0, NULL, NULL, NULL);
        double want = ref_u(&r, (m + 1) * h, ws), got = net.v[1] - net.ncfg.e_l;
        err = fmax(err, fabs(got - want));
        *peak = fmax(*peak, want);
    }
    cu_free(th_table(t), &u);
    gsl_integration_workspace_free(ws);
    spk_net_free(&net, tfree, NULL);
    th_free(t);
    return err;
}

START_TEST(test_psp_double_exponential) {
    double peak, e1 = psp_error(0.1, &peak), peak2, e2 = psp_error(0.05, &peak2);
    if (getenv("SPIKING_VERBOSE")) /* the figures docs/spiking.md quotes */
        printf("PSP peak %.6g mV; max error %.3g mV at h 0.1 ms, %.3g mV at h 0.05 ms\n", peak, e1, e2);
    ck_assert_msg(peak > 0.5 && peak < 20, "PSP peak %g mV", peak);
    ck_assert_msg(e1 < 5e-5 * peak, "h 0.1 ms: max error %.3g mV of a %.3g mV PSP", e1, peak);
    ck_assert_msg(e2 < e1 / 3.0, "not second order: error %.3g at h 0.1, %.3g at h 0.05", e1, e2);
}
END_TEST

/* ---- the plugin ---------------------------------------------------------- */

static const animat_units_ext *units_of(void *c) { return api()->extension(c, ANIMAT_EXT_UNITS); }

/* A 12-neuron adex network with STDP: spike events lie inside the step,
 * in time order, off the substep grid (interpolated) and agree with the
 * counts; the weights read through units change during the episode and a
 * reset restores theta's. */
START_TEST(test_plugin_events_weights) {
    th_host *t = th_new(desc(), "circuit", 3);
    th_set_choice(t, "model", "adex");
    th_set_choice(t, "preset", "tonic");
    th_set_choice(t, "stdp", "additive");
    th_set_real(t, "n_neurons", 12);
    th_set_real(t, "p_connect", 0.5);
    th_set_real(t, "w_mean", 2.0);
    th_set_real(t, "i_bias", 450);
    th_set_real(t, "substeps", 100);
    th_set_wired(t, ANIMAT_PORT_IN, "x", 1);
    th_set_wired(t, ANIMAT_PORT_OUT, "y", 1);
    void *c = th_circuit(t, api());
    const animat_spikes_ext *sp = api()->extension(c, ANIMAT_EXT_SPIKES);
    const animat_units_ext *ue = units_of(c);
    ck_assert_ptr_nonnull(sp);
    ck_assert_uint_eq(sp->capacity(c), 1200);
    uint32_t nu;
    const char *const *names = ue->names(c, &nu);
    uint32_t n_theta;
    api()->theta_info(c, &n_theta);
    uint32_t n_syn = n_theta - 1 - 1 - 2;
    ck_assert_uint_eq(nu, 12 + n_syn);
    ck_assert_str_eq(names[0], "n[0]");
    ck_assert_str_eq(names[12], "w[0]");
    double x = 0.5, y, *th0 = calloc(n_theta, sizeof *th0);
    api()->get_theta(c, th0, n_theta);
    const double *in[] = {&x};
    double *out[] = {&y};
    uint32_t total = 0, off_grid = 0;
    for (int s = 0; s < 100; s++) {
        ck_assert_int_eq(api()->step(c, in, out, 0.01), ANIMAT_OK);
        uint32_t n;
        const animat_spike_event *e = sp->events(c, &n);
        double count = 0, cu;
        for (uint32_t i = 0; i < 12; i++) ue->get(c, i, &cu), count += cu;
        ck_assert_uint_eq(n, (uint32_t)count);
        for (uint32_t k = 0; k < n; k++) {
            ck_assert(e[k].t > 0.0 && e[k].t <= 0.01 && e[k].unit < 12 && e[k].reserved == 0);
            if (k) ck_assert(e[k].t >= e[k - 1].t);
            double q = e[k].t / 1e-4;
            off_grid += fabs(q - round(q)) > 1e-6;
        }
        total += n;
    }
    ck_assert_uint_gt(total, 100);
    ck_assert_uint_gt(off_grid, total / 2);
    uint32_t changed = 0;
    for (uint32_t k = 0; k < n_syn; k++) {
        double w;
        ck_assert_int_eq(ue->get(c, 12 + k, &w), ANIMAT_OK);
        ck_assert(w >= 0.0 && w <= 10.0);
        changed += w != th0[k];
    }
    ck_assert_uint_gt(changed, n_syn / 2);
    ck_assert_int_eq(api()->reset(c, 0), ANIMAT_OK);
    for (uint32_t k = 0; k < n_syn; k++) {
        double w;
        ue->get(c, 12 + k, &w);
        ck_assert(w == th0[k]);
    }
    free(th0);
    api()->destroy(c);
    th_free(t);
}
END_TEST

/* Gap junctions and intrinsic plasticity through the plugin: the listed
 * gaps then the random ones (gap_p 1: every other pair) are theta's last
 * entries, after homeo.eta_ip; threshold shifts are units th[i] that
 * move during an episode (up for the driven neurons), return to 0 at
 * reset and obey CLAMP; plugin-check passes with both on. */
START_TEST(test_plugin_gaps_intrinsic) {
    th_host *t = th_new(desc(), "circuit", 3);
    th_set_choice(t, "model", "lif");
    th_set_choice(t, "intrinsic", "threshold");
    th_set_real(t, "n_neurons", 6);
    th_set_real(t, "p_connect", 0);
    th_set_real(t, "v_reset", -60);
    th_set_real(t, "i_bias", 400);
    th_set_real(t, "eta_ip", 1);
    th_set_real(t, "gap_p", 1);
    th_set_real(t, "g_gap", 0.5);
    th_set_list(t, "gaps", (const double[]){0, 1, 2.5, 3, 2, 1}, 6);
    th_set_real(t, "substeps", 100);
    th_set_wired(t, ANIMAT_PORT_IN, "x", 1);
    th_set_wired(t, ANIMAT_PORT_OUT, "y", 1);
    void *c = th_circuit(t, api());
    uint32_t n_theta;
    const animat_param_info *pi = api()->theta_info(c, &n_theta);
    ck_assert_uint_eq(n_theta, 1 + 1 + 1 + 15);
    ck_assert_str_eq(pi[2].name, "homeo.eta_ip");
    double th[18];
    api()->get_theta(c, th, n_theta);
    ck_assert(th[3] == 2.5 && th[4] == 1.0);
    for (uint32_t k = 3; k < n_theta; k++) ck_assert_str_eq(pi[k].name, "gap.g");
    for (uint32_t k = 5; k < n_theta; k++) ck_assert(th[k] == 0.5);
    const animat_units_ext *ue = units_of(c);
    uint32_t nu;
    const char *const *names = ue->names(c, &nu);
    ck_assert_uint_eq(nu, 12);
    ck_assert_str_eq(names[6], "th[0]");
    double x = 0.0, y, v;
    const double *in[] = {&x};
    double *out[] = {&y};
    for (int s = 0; s < 100; s++) ck_assert_int_eq(api()->step(c, in, out, 0.01), ANIMAT_OK);
    for (uint32_t i = 0; i < 6; i++) {
        ck_assert_int_eq(ue->get(c, 6 + i, &v), ANIMAT_OK);
        ck_assert_msg(v > 1.0, "th[%u] = %g mV after 1 s at ~99 Hz (target 10 Hz)", i, v);
    }
    ck_assert_int_eq(api()->reset(c, 0), ANIMAT_OK);
    ue->get(c, 6, &v);
    ck_assert(v == 0.0);
    /* CLAMP th[4] to 0: neuron 4 keeps v_th and outfires neuron 5 (101 vs 62 spikes in 1 s; same
     * drive, gap-coupled only to the others at 0.5 nS) */
    ck_assert_int_eq(ue->override(c, 10, ANIMAT_UNIT_CLAMP, 0.0), ANIMAT_OK);
    double n4 = 0, n5 = 0, th5, cnt;
    for (int s = 0; s < 100; s++) {
        ck_assert_int_eq(api()->step(c, in, out, 0.01), ANIMAT_OK);
        ue->get(c, 4, &cnt), n4 += cnt;
        ue->get(c, 5, &cnt), n5 += cnt;
    }
    ue->get(c, 10, &v), ue->get(c, 11, &th5);
    ck_assert_msg(v == 0.0 && th5 > 1.0 && n4 > n5 + 20, "th[4] %g th[5] %g counts %g %g", v, th5, n4, n5);
    api()->destroy(c);
    th_free(t);
}
END_TEST

/* Each bad configuration is refused at create with one reason. */
START_TEST(test_plugin_bad_params) {
    struct {
        const char *model, *preset, *key;
        double v;
        const char *choice_key, *choice, *want;
    } bad[] = {
        {"adex", "RS", NULL, 0, NULL, NULL, "preset 'RS' is not a adex preset"},
        {"izhikevich", "tonic", NULL, 0, NULL, NULL, "preset 'tonic' is not a izhikevich preset"},
        {"lif", "none", "e_exc", -55, NULL, NULL, "e_exc = -55 mV is not above the spike threshold (-50 mV)"},
        {"izhikevich", "RS", "e_inh", -40, NULL, NULL, "e_inh = -40 mV is not below the spike threshold (-50 mV)"},
        {"lif", "none", "v_reset", -40, NULL, NULL, "v_reset = -40 mV is not below v_th = -50 mV"},
        {"lif", "none", "a_minus", -0.01, "stdp", "multiplicative", "stdp multiplicative needs a_plus >= 0"},
        {"lif", "none", "tau_rise", 6, "synapse", "exp2", "synapse exp2 needs tau_rise < tau_decay"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        th_host *t = th_new(desc(), "circuit", 1);
        th_set_choice(t, "model", bad[k].model);
        th_set_choice(t, "preset", bad[k].preset);
        if (bad[k].key) th_set_real(t, bad[k].key, bad[k].v);
        if (bad[k].choice_key) th_set_choice(t, bad[k].choice_key, bad[k].choice);
        th_set_wired(t, ANIMAT_PORT_IN, "x", 1);
        th_set_wired(t, ANIMAT_PORT_OUT, "y", 1);
        void *c = api()->create(th_table(t));
        ck_assert_msg(c == NULL, "case %zu accepted", k);
        ck_assert_msg(strstr(th_last_error(t), bad[k].want) != NULL, "case %zu: '%s'", k, th_last_error(t));
        ck_assert(strchr(th_last_error(t), '\n') == NULL);
        th_free(t);
    }
    /* gap junction tables and intrinsic plasticity without a threshold */
    struct {
        double list[6];
        uint32_t n;
        const char *want;
    } gaps[] = {
        {{0, 25, 1}, 3, "gaps triple 1: neuron 25 does not exist (indices 0..19)"},
        {{0, 1, 1, 4, 4, 1}, 6, "gaps triple 2: a gap junction from neuron 4 to itself"},
        {{0, 1.5, 1}, 3, "gaps triple 1: neuron 1.5 does not exist"},
        {{0, 1, 1, 1, 0, 2}, 6, "gaps triple 2: gap junction 1-0 is listed twice (triple 1)"},
        {{0, 1}, 2, "gaps: 2 values are not whole triples a, b, g"},
        {{0}, 0, "intrinsic threshold needs a model with a threshold"},
    };
    for (size_t k = 0; k < sizeof gaps / sizeof gaps[0]; k++) {
        th_host *t = th_new(desc(), "circuit", 1);
        if (gaps[k].n)
            th_set_list(t, "gaps", gaps[k].list, gaps[k].n);
        else
            th_set_choice(t, "model", "izhikevich"), th_set_choice(t, "intrinsic", "threshold");
        th_set_wired(t, ANIMAT_PORT_IN, "x", 1);
        th_set_wired(t, ANIMAT_PORT_OUT, "y", 1);
        ck_assert_msg(api()->create(th_table(t)) == NULL, "gaps case %zu accepted", k);
        ck_assert_msg(strstr(th_last_error(t), gaps[k].want) != NULL, "gaps case %zu: '%s'", k, th_last_error(t));
        ck_assert(strchr(th_last_error(t), '\n') == NULL);
        th_free(t);
    }
    /* additive STDP accepts a negative amplitude (anti-Hebbian) */
    th_host *t = th_new(desc(), "circuit", 1);
    th_set_choice(t, "stdp", "additive");
    th_set_real(t, "a_minus", -0.01);
    th_set_wired(t, ANIMAT_PORT_IN, "x", 1);
    th_set_wired(t, ANIMAT_PORT_OUT, "y", 1);
    void *c = th_circuit(t, api());
    api()->destroy(c);
    th_free(t);
}
END_TEST

/* ---- through the animat binary ------------------------------------------ */

static const char *env(const char *name) {
    const char *v = getenv(name);
    ck_assert_msg(v && *v, "%s is not set", name);
    return v;
}

START_TEST(test_cli_plugin_check_examples) {
    proc_out p = proc_run("%s plugin-check %s", env("ANIMAT_EXE"), env("SPIKING_SO"));
    ck_assert_msg(p.status == 0 && strstr(p.out, " passed, 0 failed\n") && !strstr(p.out, "FAIL"), "%.3000s",
                  p.out);
    proc_free(&p);
    p = proc_run("%s plugin-check %s --set model=adex --set preset=tonic --set i_bias=450 --set intrinsic=threshold "
                 "--set gap_p=0.3 --set gaps=[0,1,2]", env("ANIMAT_EXE"), env("SPIKING_SO"));
    ck_assert_msg(p.status == 0 && strstr(p.out, " passed, 0 failed\n") && !strstr(p.out, "FAIL"), "%.3000s",
                  p.out);
    proc_free(&p);
    const char *ex[] = {"swimmer-spiking.yaml", "swimmer-spiking-stdp.yaml"};
    for (int k = 0; k < 2; k++) {
        p = proc_run("%s run %s/examples/%s --set run.max_steps=50 --quiet", env("ANIMAT_EXE"), env("ANIMAT_SRC"),
                     ex[k]);
        ck_assert_msg(p.status == 0, "%s: exit %d\n%.2000s", ex[k], p.status, p.err);
        proc_free(&p);
    }
    const char *dir = proc_tmpdir();
    char *body[2];
    for (int threads = 1; threads <= 2; threads++) {
        p = proc_run("cd %s && %s train %s/examples/swimmer-spiking-stdp.yaml --epochs 2 --threads %d "
                     "--set run.max_steps=50 --set learner.params.population=4 --set train.output=p%d.yaml "
                     "--set train.curve=c%d.csv",
                     dir, env("ANIMAT_EXE"), env("ANIMAT_SRC"), threads, threads, threads);
        ck_assert_msg(p.status == 0, "train on %d threads: exit %d\n%.2000s", threads, p.status, p.err);
        proc_free(&p);
        char path[512];
        snprintf(path, sizeof path, "%s/p%d.yaml", dir, threads);
        char *s = proc_slurp(path), *t = s ? strstr(s, "theta: [") : NULL;
        ck_assert_msg(t != NULL, "no theta in %s", path);
        body[threads - 1] = calloc(strlen(t) + 1, 1);
        memcpy(body[threads - 1], t, strlen(t));
        free(s);
    }
    ck_assert_str_eq(body[0], body[1]);
    free(body[0]);
    free(body[1]);
}
END_TEST

START_TEST(test_cli_bad_values) {
    const struct {
        const char *params, *want;
    } bad[] = {
        {"{preset: XX}", ":4:41: circuits.s.params.preset: 'XX' is not one of none|RS|"},
        {"{tau_decay: 0}", ":4:44: circuits.s.params.tau_decay: 0 is out of range"},
        {"{tau_w: -5}", ":4:40: circuits.s.params.tau_w: -5 is out of range"},
        {"{e_exc: -60}", ":4:6: s (spiking): create failed: e_exc = -60 mV is not above the spike threshold"},
        {"{model: adex, preset: tonic, e_inh: -45}", "create failed: e_inh = -45 mV is not below the spike threshold"},
        {"{stdp: multiplicative, a_plus: -0.1}", "create failed: stdp multiplicative needs a_plus >= 0"},
        {"{model: adex, preset: LTS}", "create failed: preset 'LTS' is not a adex preset"},
        {"{gaps: [0, 1, -0.5]}", ":4:46: circuits.s.params.gaps[2]: -0.5 is out of range [0, 1e+09]"},
        {"{g_gap: -1, gap_p: 0.1}", ":4:40: circuits.s.params.g_gap: -1 is out of range"},
        {"{gaps: [2, 40, 1]}", ":4:6: s (spiking): create failed: gaps triple 1: neuron 40 does not exist"},
        {"{gaps: [0, 1, 1, 3, 3, 1]}", "create failed: gaps triple 2: a gap junction from neuron 3 to itself"},
        {"{intrinsic: threshold, rate_target: 0}", ":4:68: circuits.s.params.rate_target: 0 is out of range"},
        {"{intrinsic: threshold, tau_homeo: -5}", ":4:66: circuits.s.params.tau_homeo: -5 is out of range"},
        {"{homeostasis: scaling, rate_target: -1}", "circuits.s.params.rate_target: -1 is out of range"},
        {"{intrinsic: threshold, eta_ip: -1}", "circuits.s.params.eta_ip: -1 is out of range"},
    };
    const char *dir = proc_tmpdir();
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char text[1024];
        snprintf(text, sizeof text,
                 "bodies:\n  swimmer: {plugin: swimmer, params: {n_bodies: 3}}\ncircuits:\n"
                 "  s: {plugin: spiking, params: %s}\nwiring:\n  - swimmer.obs.joints -> s.in.x\n"
                 "  - s.out.y -> swimmer.act.motors\n",
                 bad[k].params);
        const char *exp = proc_write(dir, "bad.yaml", text);
        proc_out p = proc_run("%s check %s", env("ANIMAT_EXE"), exp);
        ck_assert_msg(p.status == 1 && proc_lines(p.err) == 1 && strstr(p.err, exp) && strstr(p.err, bad[k].want),
                      "%s: exit %d: %s", bad[k].params, p.status, p.err);
        proc_free(&p);
    }
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("spiking");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_lif_isi_interpolated);
    tcase_add_test(tc, test_alif_adaptation);
    tcase_add_test(tc, test_izhikevich_classes);
    tcase_add_test(tc, test_adex_classes);
    tcase_add_test(tc, test_stdp_window);
    tcase_add_test(tc, test_stdp_pairing);
    tcase_add_test(tc, test_tm_steady_state);
    tcase_add_test(tc, test_synaptic_scaling);
    tcase_add_test(tc, test_psp_double_exponential);
    tcase_add_test(tc, test_gap_passive_coupling);
    tcase_add_test(tc, test_gap_synchrony);
    tcase_add_test(tc, test_intrinsic_closed_form);
    tcase_add_test(tc, test_intrinsic_converges);
    tcase_add_test(tc, test_plugin_events_weights);
    tcase_add_test(tc, test_plugin_gaps_intrinsic);
    tcase_add_test(tc, test_plugin_bad_params);
    tcase_add_test(tc, test_cli_plugin_check_examples);
    tcase_add_test(tc, test_cli_bad_values);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return ck_run(suite()); }
