/* test_neuroml.c -- the neuroml circuit (NEUROML_SO) and its loader and
 * dynamics (nml_load.c, nml_unit.c, nml_dyn.c compiled in):
 *   - bad NeuroML2 files are one-line errors naming file:line, element and
 *     id: malformed XML, a DOCTYPE with an external entity (never
 *     resolved), XInclude, unknown elements, units that do not parse,
 *     connections to cells that do not exist, negative and huge sizes, an
 *     include of another file; the same line comes back through the
 *     plugin's h->error (the `network` PATH parameter);
 *   - quantities parse into SI;
 *   - the shipped c302 files load with the counts neuroml-data/README.md states;
 *   - one iafCell under a pulse: voltage against the closed form, spike
 *     times against the analytic interspike interval; iafRefCell's
 *     refractory period, izhikevich2007Cell's reset, gap junction and
 *     graded synapse currents, expOneSynapse with a delay and a silenced
 *     presynaptic unit; animat.spikes/1 events through the plugin;
 *   - through the animat binary: plugin-check passes, a bad file exits 1
 *     with one line. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "nml_dyn.h"
#include "nml_net.h"
#include "proc.h"
#include "testhost.h"

static const animat_plugin_desc *desc(void) { return th_load_env("NEUROML_SO"); }
static const animat_circuit_api *api(void) { return desc()->api; }

#define HEAD "<neuroml xmlns=\"http://www.neuroml.org/schema/neuroml2\" id=\"t\">\n"                              \
             "<iafCell id=\"c\" leakReversal=\"-50mV\" thresh=\"-30mV\" reset=\"-50mV\" C=\"3pF\" "              \
             "leakConductance=\"0.1nS\"/>\n"                                                                     \
             "<expTwoSynapse id=\"s\" gbase=\"0.01nS\" erev=\"0mV\" tauDecay=\"10ms\" tauRise=\"3ms\"/>\n"
#define NET "<network id=\"n\">\n<population id=\"A\" component=\"c\" size=\"2\"/>\n"
#define END "</network>\n</neuroml>\n"

/* Bad files and the exact message each gives (after "t.nml"). */
static const struct {
    const char *text, *msg;
} bad[] = {
    {HEAD NET "<population id=\"B\" component=\"c\" size=\"1\">\n" END,
     ":9: malformed XML: Premature end of data in tag neuroml line 1"},
    {"<?xml version=\"1.0\"?>\n<!DOCTYPE neuroml [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>\n"
     "<neuroml id=\"t\">&x;</neuroml>\n",
     ":2: <!DOCTYPE>: refused (entities and DTDs are never resolved in a model file)"},
    {HEAD "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"/etc/hostname\" parse=\"text\"/>\n" NET END,
     ":4: <include>: include of '/etc/hostname' is not followed (no file access from a model file; only c302's "
     "cell_B.xml, whose iafActivityCell is built in)"},
    {HEAD "<hhCell id=\"h\"/>\n" NET END, ":4: <hhCell id=\"h\">: element not supported by the neuroml circuit"},
    {HEAD "<pulseGenerator id=\"p\" delay=\"3 parsecs\" duration=\"1ms\" amplitude=\"1pA\"/>\n" NET END,
     ":4: <pulseGenerator id=\"p\">: attribute delay: '3 parsecs' is not a time (a number and a NeuroML2 unit, e.g. "
     "5ms)"},
    {HEAD NET "<projection id=\"P\" presynapticPopulation=\"A\" postsynapticPopulation=\"A\" synapse=\"s\">\n"
              "<connection id=\"0\" preCellId=\"../A/0/c\" postCellId=\"../A/5/c\"/>\n</projection>\n" END,
     ":7: <connection id=\"0\">: postCellId '../A/5/c': population 'A' has no cell 5 (size 2)"},
    {HEAD NET "<projection id=\"P\" presynapticPopulation=\"A\" postsynapticPopulation=\"Q\" synapse=\"s\">\n"
              "<connection id=\"0\" preCellId=\"../A/0/c\" postCellId=\"../Q/0/c\"/>\n</projection>\n" END,
     ":7: <connection id=\"0\">: postCellId '../Q/0/c': no population 'Q' in this network"},
    {HEAD "<network id=\"n\">\n<population id=\"A\" component=\"c\" size=\"-3\"/>\n" END,
     ":5: <population id=\"A\">: size -3 is negative"},
    {HEAD "<network id=\"n\">\n<population id=\"A\" component=\"c\" size=\"1000000\"/>\n" END,
     ":5: <population id=\"A\">: size 1000000 is more than the 100000 cells allowed"},
    {HEAD "<include href=\"../../secret.nml\"/>\n" NET END,
     ":4: <include>: include of '../../secret.nml' is not followed (no file access from a model file; only c302's "
     "cell_B.xml, whose iafActivityCell is built in)"},
    {HEAD NET "<projection id=\"P\" presynapticPopulation=\"A\" postsynapticPopulation=\"A\" synapse=\"nope\"/>\n" END,
     ":6: <projection id=\"P\">: synapse 'nope' is not defined before it in this file"},
    {HEAD NET "<inputList id=\"I\" population=\"A\" component=\"c\"/>\n" END,
     ":6: <inputList id=\"I\">: component 'c' is not a pulseGenerator defined before it"},
    {HEAD "<iafCell id=\"d\" leakReversal=\"-50mV\" thresh=\"-30mV\" reset=\"-50mV\" C=\"3\" "
          "leakConductance=\"0.1nS\"/>"
          "\n" NET END,
     ":4: <iafCell id=\"d\">: attribute C: '3' is not a capacitance (a number and a NeuroML2 unit, e.g. 3pF)"},
    {HEAD "<network id=\"n\">\n<population id=\"A\" component=\"c\" size=\"1\"/>\n"
          "<population id=\"A\" component=\"c\" size=\"1\"/>\n" END,
     ":4: <network id=\"n\">: two populations have the id 'A'"},
    {HEAD NET "<synapticConnection from=\"A[0]\" to=\"A[1]\" synapse=\"s\"/>\n" END,
     ":6: <synapticConnection>: element not supported in a network by the neuroml circuit"},
    {"<neuroml id=\"t\"></neuroml>\n", ":1: <neuroml id=\"t\">: no <network> element"},
    {HEAD "<network id=\"n\">\n<population id=\"A\" component=\"c\" size=\"2\" type=\"populationList\">\n"
          "<instance id=\"0\"/>\n<instance id=\"7\"/>\n</population>\n" END,
     ":7: <instance id=\"7\">: instance ids must be 0, 1, 2, ... in order (cells are referred to by position)"},
    {HEAD "<network id=\"n\">\n<population id=\"A\" component=\"c\" size=\"1\">\n<cell id=\"x\"/>\n</population>\n" END,
     ":6: <cell id=\"x\">: not supported inside <population id=\"A\"> (instance in a populationList)"},
    {HEAD NET "<population id=\"B\" component=\"c\" size=\"1\"/>\n"
              "<projection id=\"P\" presynapticPopulation=\"A\" postsynapticPopulation=\"A\" synapse=\"s\">\n"
              "<connection id=\"0\" preCellId=\"../B/0/c\" postCellId=\"../A/1/c\"/>\n</projection>\n" END,
     ":8: <connection id=\"0\">: preCellId '../B/0/c' is not in population 'A' (the enclosing element's)"},
};

START_TEST(test_bad_files_loader) {
    const char *dir = proc_tmpdir();
    const char *path = proc_write(dir, "t.nml", bad[_i].text);
    nml_net net = {0};
    char err[640], want[1024];
    ck_assert_int_eq(nml_load(path, &net, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s%s", path, bad[_i].msg);
    ck_assert_str_eq(err, want);
    ck_assert_ptr_null(strchr(err, '\n'));
    nml_free(&net);
}
END_TEST

/* Through the plugin: create fails with the same one line. */
START_TEST(test_bad_files_plugin) {
    const char *dir = proc_tmpdir();
    const char *path = proc_write(dir, "t.nml", bad[_i].text);
    char want[1024];
    snprintf(want, sizeof want, "%s%s", path, bad[_i].msg);
    th_host *t = th_new(desc(), "circuit", 1);
    th_set_path(t, "network", path);
    ck_assert_ptr_null(api()->create(th_table(t)));
    ck_assert_str_eq(th_last_error(t), want);
    th_free(t);
}
END_TEST

/* A file of 100,001 one-cell populations: refused at the first one past
 * the limit, naming its line, before a DOM is built (no hang, no crash). */
START_TEST(test_too_many_populations) {
    size_t cap = 64u << 20, len = 0;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    len += (size_t)snprintf(text + len, cap - len, "%s<network id=\"n\">\n", HEAD);
    for (int i = 0; i <= 100000; i++)
        len += (size_t)snprintf(text + len, cap - len, "<population id=\"p%d\" component=\"c\" size=\"1\"/>\n", i);
    snprintf(text + len, cap - len, "%s", END);
    const char *path = proc_write(proc_tmpdir(), "big.nml", text);
    free(text);
    nml_net net = {0};
    char err[640], want[1024];
    ck_assert_int_eq(nml_load(path, &net, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s:100005: <population>: more than 100000 populations (at most 100000 cells in all)",
             path);
    ck_assert_str_eq(err, want);
    nml_free(&net);
}
END_TEST

START_TEST(test_quantities) {
    double x = 0;
    ck_assert_int_eq(nml_quantity("3pF", "capacitance", &x), 0);
    ck_assert_double_eq_tol(x, 3e-12, 1e-27);
    ck_assert_int_eq(nml_quantity("-50mV", "voltage", &x), 0);
    ck_assert_double_eq_tol(x, -0.05, 1e-18);
    ck_assert_int_eq(nml_quantity("5 ms", "time", &x), 0);
    ck_assert_double_eq_tol(x, 0.005, 1e-18);
    ck_assert_int_eq(nml_quantity("0.1nS", "conductance", &x), 0);
    ck_assert_double_eq_tol(x, 1e-10, 1e-25);
    ck_assert_int_eq(nml_quantity("3 parsecs", "time", &x), -1);
    ck_assert_int_eq(nml_quantity("3mV", "time", &x), -1);
    ck_assert_int_eq(nml_quantity("mV", "voltage", &x), -1);
    ck_assert_int_eq(nml_quantity("nan mV", "voltage", &x), -1);
}
END_TEST

/* The shipped networks load with the counts neuroml-data/README.md states. */
START_TEST(test_shipped_files) {
    const char *src = getenv("ANIMAT_SRC");
    ck_assert_ptr_nonnull(src);
    const struct {
        const char *name;
        uint32_t n, chem, gap;
    } files[] = {{"A_Syns", 6, 3, 0},   {"A_Oscillator", 14, 55, 0},  {"A_Full", 397, 3915, 0},
                 {"B_Syns", 8, 3, 2},   {"B_Oscillator", 14, 31, 24}, {"B_Full", 397, 2831, 1084}};
    for (int k = 0; k < 6; k++) {
        char path[1024], err[640];
        snprintf(path, sizeof path, "%s/circuits/neuroml/neuroml-data/c302_%s.net.nml", src, files[k].name);
        nml_net net = {0};
        ck_assert_msg(nml_load(path, &net, err, sizeof err) == 0, "%s", err);
        ck_assert_uint_eq(net.n, files[k].n);
        ck_assert_uint_eq(net.n_chem, files[k].chem);
        ck_assert_uint_eq(net.n_gap, files[k].gap);
        nml_free(&net);
    }
}
END_TEST

/* One iafCell (tau = C/gL = 30 ms) under a 5 pA pulse from t = 0: below
 * threshold v(t) = EL + (I/gL)(1 - exp(-t/tau)); it crosses -30 mV every
 * T = tau ln(5/3) = 15.32 ms (reset to EL). Voltage to 1e-9 V at 10 ms,
 * the k-th spike time to k substeps (the reset happens at the end of the
 * substep in which v crossed). */
START_TEST(test_iaf_closed_form) {
    const char *text = HEAD "<pulseGenerator id=\"p\" delay=\"0ms\" duration=\"1s\" amplitude=\"5pA\"/>\n"
                            "<network id=\"n\">\n<population id=\"A\" component=\"c\" size=\"1\"/>\n"
                            "<explicitInput target=\"A[0]\" input=\"p\"/>\n" END;
    const char *path = proc_write(proc_tmpdir(), "one.nml", text);
    nml_net net = {0};
    char err[640];
    ck_assert_msg(nml_load(path, &net, err, sizeof err) == 0, "%s", err);
    nml_sim s;
    double h = 5e-5, tau = 0.03, T = tau * log(5.0 / 3.0);
    ck_assert_int_eq(nml_sim_alloc(&s, &net, h, 2000), 0);
    ck_assert_int_eq(nml_sim_run(&s, 200, h, NULL, 1.0, 0.0), 0); /* 10 ms */
    ck_assert_double_eq_tol(nml_sim_v(&s, 0), -0.05 + 0.05 * (1 - exp(-0.01 / tau)), 1e-9);
    ck_assert_uint_eq(s.n_ev, 0);
    ck_assert_int_eq(nml_sim_run(&s, 1800, h, NULL, 1.0, 0.0), 0); /* to 100 ms */
    ck_assert_uint_eq(s.n_ev, 6);
    for (uint32_t k = 0; k < 6; k++) /* each reset lands at the end of its substep: at most h later per spike */
        ck_assert_double_eq_tol(0.01 + s.ev[k].t, (k + 1) * T, (k + 1) * h);
    nml_sim_free(&s);
    nml_free(&net);
}
END_TEST


/* Load `text` as t.nml and build a sim with substep h. */
static void load_sim(const char *text, nml_net *net, nml_sim *s, double h) {
    const char *path = proc_write(proc_tmpdir(), "t.nml", text);
    char err[640];
    memset(net, 0, sizeof *net);
    ck_assert_msg(nml_load(path, net, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(nml_sim_alloc(s, net, h, 4000), 0);
}

#define PULSE(ID, AMP) "<pulseGenerator id=\"" ID "\" delay=\"0ms\" duration=\"1s\" amplitude=\"" AMP "\"/>\n"

/* iafRefCell: v is held at reset for `refract` after each spike, so the
 * interspike interval is T + refract (T = 15.32 ms as above). */
START_TEST(test_iaf_ref) {
    nml_net net;
    nml_sim s;
    load_sim("<neuroml id=\"t\">\n<iafRefCell id=\"r\" leakReversal=\"-50mV\" thresh=\"-30mV\" reset=\"-50mV\" "
             "C=\"3pF\" "
             "leakConductance=\"0.1nS\" refract=\"10ms\"/>\n" PULSE("p", "5pA")
             "<network id=\"n\">\n<population id=\"A\" component=\"r\" size=\"1\"/>\n"
             "<explicitInput target=\"A[0]\" input=\"p\"/>\n</network>\n</neuroml>\n",
             &net, &s, 5e-5);
    ck_assert_int_eq(nml_sim_run(&s, 2000, 5e-5, NULL, 1.0, 0.0), 0); /* 100 ms */
    double T = 0.03 * log(5.0 / 3.0);
    ck_assert_uint_eq(s.n_ev, 4); /* 15.3, 40.6, 66.0, 91.3 ms */
    ck_assert_double_eq_tol(s.ev[1].t - s.ev[0].t, T + 0.01, 2 * 5e-5);
    nml_sim_free(&s);
    nml_free(&net);
}
END_TEST

/* izhikevich2007Cell (Izhikevich's regular-spiking parameters): 100 pA
 * makes it fire; after a spike v is at c and u grew by d. */
START_TEST(test_izhikevich) {
    nml_net net;
    nml_sim s;
    load_sim("<neuroml id=\"t\">\n<izhikevich2007Cell id=\"z\" v0=\"-60mV\" C=\"100pF\" k=\"0.7nS_per_mV\" "
             "vr=\"-60mV\" "
             "vt=\"-40mV\" vpeak=\"35mV\" a=\"0.03per_ms\" b=\"-2nS\" c=\"-50mV\" d=\"100pA\"/>\n" PULSE("p", "100pA")
             "<network id=\"n\">\n<population id=\"Z\" component=\"z\" size=\"1\"/>\n"
             "<explicitInput target=\"Z[0]\" input=\"p\"/>\n</network>\n</neuroml>\n",
             &net, &s, 2.5e-5);
    ck_assert_double_eq(nml_sim_v(&s, 0), -0.06);
    double u_before = 0;
    for (int k = 0; k < 40000 && s.n_ev == 0; k++) {
        u_before = s.y[s.n];
        ck_assert_int_eq(nml_sim_run(&s, 1, 2.5e-5, NULL, 1.0, 0.0), 0);
    }
    ck_assert_uint_eq(s.n_ev, 1);
    ck_assert_double_eq(nml_sim_v(&s, 0), -0.05);                 /* v = c */
    ck_assert_double_eq_tol(s.y[s.n] - u_before, 100e-12, 2e-12);  /* u += d (plus one substep of du/dt) */
    nml_sim_free(&s);
    nml_free(&net);
}
END_TEST

/* Gap junction: a pulsed cell depolarises its partner; the currents are
 * opposite, so with equal cells the mean voltage moves as one cell with
 * half the input would (sum of the two equations). */
START_TEST(test_gap_junction) {
    nml_net net;
    nml_sim s;
    load_sim(HEAD "<gapJunction id=\"g\" conductance=\"0.05nS\"/>\n" PULSE("p", "1pA")
                  "<network id=\"n\">\n<population id=\"A\" component=\"c\" size=\"2\"/>\n"
                  "<electricalProjection id=\"E\" presynapticPopulation=\"A\" postsynapticPopulation=\"A\">\n"
                  "<electricalConnectionInstanceW id=\"0\" preCell=\"../A/0/c\" postCell=\"../A/1/c\" synapse=\"g\" "
                  "weight=\"2\"/>\n</electricalProjection>\n"
                  "<explicitInput target=\"A[0]\" input=\"p\"/>\n" END,
             &net, &s, 5e-5);
    ck_assert_int_eq(nml_sim_run(&s, 2000, 5e-5, NULL, 1.0, 0.0), 0); /* 100 ms */
    double mean = 0.5 * (nml_sim_v(&s, 0) + nml_sim_v(&s, 1));
    ck_assert_double_eq_tol(mean, -0.05 + 0.5e-12 / 1e-10 * (1 - exp(-0.1 / 0.03)), 1e-9);
    ck_assert_double_gt(nml_sim_v(&s, 1), -0.05 + 1e-4);
    ck_assert_double_gt(nml_sim_v(&s, 0), nml_sim_v(&s, 1));
    nml_sim_free(&s);
    nml_free(&net);
}
END_TEST

/* gradedSynapse through a continuousProjection: a depolarised presynaptic
 * cell opens it and pulls the postsynaptic cell towards erev (+ or -). */
START_TEST(test_graded) {
    const char *erev[2] = {"0mV", "-90mV"};
    for (int k = 0; k < 2; k++) {
        char text[2048];
        snprintf(text, sizeof text,
                 HEAD "<silentSynapse id=\"sil\"/>\n<gradedSynapse id=\"gs\" conductance=\"0.5nS\" delta=\"5mV\" "
                      "Vth=\"-45mV\" k=\"0.025per_ms\" erev=\"%s\"/>\n" PULSE("p", "1pA")
                      "<network id=\"n\">\n<population id=\"A\" component=\"c\" size=\"2\"/>\n"
                      "<continuousProjection id=\"G\" presynapticPopulation=\"A\" postsynapticPopulation=\"A\">\n"
                      "<continuousConnectionInstanceW id=\"0\" preCell=\"../A/0/c\" postCell=\"../A/1/c\" "
                      "preComponent=\"sil\" postComponent=\"gs\" weight=\"1\"/>\n</continuousProjection>\n"
                      "<explicitInput target=\"A[0]\" input=\"p\"/>\n" END,
                 erev[k]);
        nml_net net;
        nml_sim s;
        load_sim(text, &net, &s, 5e-5);
        ck_assert_int_eq(nml_sim_run(&s, 4000, 5e-5, NULL, 1.0, 0.0), 0); /* 200 ms */
        if (k == 0) ck_assert_double_gt(nml_sim_v(&s, 1), -0.05 + 1e-4);
        else ck_assert_double_lt(nml_sim_v(&s, 1), -0.05 - 1e-4);
        nml_sim_free(&s);
        nml_free(&net);
    }
}
END_TEST

/* expOneSynapse: one presynaptic spike; without it (CLAMP 0 on the
 * presynaptic unit) the postsynaptic cell stays at rest to the bit. */
START_TEST(test_exp_one_and_silence) {
    for (int silence = 0; silence < 2; silence++) {
        nml_net net;
        nml_sim s;
        load_sim(HEAD "<expOneSynapse id=\"e1\" gbase=\"1nS\" erev=\"0mV\" tauDecay=\"5ms\"/>\n" PULSE("p", "5pA")
                      "<network id=\"n\">\n<population id=\"A\" component=\"c\" size=\"2\"/>\n"
                      "<projection id=\"P\" presynapticPopulation=\"A\" postsynapticPopulation=\"A\" synapse=\"e1\">\n"
                      "<connectionWD id=\"0\" preCellId=\"../A/0/c\" postCellId=\"../A/1/c\" weight=\"1\" "
                      "delay=\"1ms\"/>\n</projection>\n"
                      "<explicitInput target=\"A[0]\" input=\"p\"/>\n" END,
                 &net, &s, 5e-5);
        cu_units u = {0};
        uint32_t mode[2] = {ANIMAT_UNIT_CLAMP, ANIMAT_UNIT_FREE};
        double value[2] = {0, 0};
        u.n = 2;
        u.n_active = 1;
        u.mode = mode;
        u.value = value;
        /* the presynaptic spike at 15.33 ms arrives 1 ms later (16.35 ms, substep 327) */
        ck_assert_int_eq(nml_sim_run(&s, 326, 5e-5, silence ? &u : NULL, 1.0, 0.0), 0);
        ck_assert_uint_eq(s.n_ev, silence ? 0 : 1);
        ck_assert_double_eq(nml_sim_v(&s, 1), -0.05);
        ck_assert_int_eq(nml_sim_run(&s, 14, 5e-5, silence ? &u : NULL, 1.0, 0.0), 0); /* to 17 ms */
        if (silence) ck_assert_double_eq(nml_sim_v(&s, 1), -0.05);
        else ck_assert_double_gt(nml_sim_v(&s, 1), -0.05 + 1e-3);
        nml_sim_free(&s);
        nml_free(&net);
    }
}
END_TEST

/* animat.spikes/1 through the plugin: events in time order, inside the
 * step, as many as the units' outputs say, none after reset. */
START_TEST(test_spike_events) {
    th_host *t = th_new(desc(), "circuit", 1);
    void *c = th_circuit(t, api());
    ck_assert_ptr_nonnull(c);
    const animat_spikes_ext *sp = api()->extension(c, ANIMAT_EXT_SPIKES);
    const animat_units_ext *u = api()->extension(c, ANIMAT_EXT_UNITS);
    ck_assert_int_eq(api()->reset(c, 1), ANIMAT_OK);
    uint32_t n = 9;
    ck_assert_ptr_null(sp->events(c, &n));
    ck_assert_uint_eq(n, 0);
    double rates[14], *outs[1] = {rates};
    uint32_t total = 0;
    for (int k = 0; k < 50; k++) { /* 0.5 s: AVBL, AVBR get 4 pA from 100 ms */
        ck_assert_int_eq(api()->step(c, NULL, outs, 0.01), ANIMAT_OK);
        const animat_spike_event *ev = sp->events(c, &n);
        double per_unit = 0;
        for (uint32_t i = 0; i < 14; i++) {
            double g;
            ck_assert_int_eq(u->get(c, i, &g), ANIMAT_OK);
            per_unit += g * 200; /* 200 substeps of 0.05 ms */
        }
        ck_assert_double_eq_tol(per_unit, n, 1e-9);
        for (uint32_t e = 0; e < n; e++) {
            ck_assert(ev[e].t >= 0 && ev[e].t <= 0.01);
            ck_assert(e == 0 || ev[e].t >= ev[e - 1].t);
            ck_assert_uint_lt(ev[e].unit, 14);
        }
        total += n;
    }
    ck_assert_uint_gt(total, 10);
    api()->destroy(c);
    th_free(t);
}
END_TEST

/* Units are the cells' names as in the file; a shipped net's ports. */
START_TEST(test_units_named) {
    th_host *t = th_new(desc(), "circuit", 1);
    void *c = th_circuit(t, api());
    ck_assert_ptr_nonnull(c);
    const animat_units_ext *u = api()->extension(c, ANIMAT_EXT_UNITS);
    uint32_t n = 0;
    const char *const *names = u->names(c, &n);
    ck_assert_uint_eq(n, 14);
    ck_assert_str_eq(names[0], "AVBL");
    ck_assert_str_eq(names[13], "VD3");
    const animat_spikes_ext *sp = api()->extension(c, ANIMAT_EXT_SPIKES);
    ck_assert_ptr_nonnull(sp);
    ck_assert_uint_eq(sp->capacity(c), 14u * 1000u);
    api()->destroy(c);
    th_free(t);
}
END_TEST

/* Through the binary: plugin-check passes; a bad network exits 1, one line. */
START_TEST(test_cli) {
    /* --timeout: the growth check (5,200 steps of 200 substeps) outlasts the default 10 s in sanitizer builds */
    proc_out p = proc_run("%s plugin-check %s --timeout 120", getenv("ANIMAT_EXE"), getenv("NEUROML_SO"));
    ck_assert_msg(p.status == 0 && strstr(p.out, "0 failed"), "%s", p.out);
    proc_free(&p);
    /* plugins info lists the units (intervention targets) and, at joints > 0, the mapping */
    p = proc_run("%s plugins info %s --set joints=5 --set c302=A_Full", getenv("ANIMAT_EXE"), getenv("NEUROML_SO"));
    ck_assert_msg(p.status == 0 && strstr(p.out, "units (animat.units/1; interventions target circuit.unit.NAME): 397\n"
                                                 "  ADAL ADAR ADEL ADER ADFL ADFR ADLL ADLR\n") &&
                      strstr(p.out, "    [4] j4.rows21_24 "),
                  "%s%s", p.out, p.err);
    proc_free(&p);
    /* the example: check shows the muscle mapping, a short run works */
    const char *src = getenv("ANIMAT_SRC");
    p = proc_run("%s check %s/examples/swimmer-c302.yaml", getenv("ANIMAT_EXE"), src);
    ck_assert_msg(p.status == 0 &&
                      strstr(p.out, "map: circuit.out.muscles[0] (j0.rows01_05) -> body.act.motors[0]\n") &&
                      strstr(p.out, "map: circuit.out.muscles[4] (j4.rows21_24) -> body.act.motors[4]\n"),
                  "%s%s", p.out, p.err);
    proc_free(&p);
    p = proc_run("%s run %s/examples/swimmer-c302.yaml --set run.max_steps=5 --quiet", getenv("ANIMAT_EXE"), src);
    ck_assert_msg(p.status == 0, "%s%s", p.out, p.err);
    proc_free(&p);
    /* a bad network file: exit 1, one line naming file:line, before any step */
    const char *dir = proc_tmpdir();
    proc_write(dir, "bad.nml", bad[4].text);
    proc_write(dir, "x.yaml", "body: {plugin: swimmer}\ncircuit: {plugin: neuroml, params: {network: bad.nml}}\n"
                              "wiring:\n  - circuit.out.rates[0:1] -> body.act.motors[0:1]\n");
    p = proc_run("cd %s && %s run x.yaml", dir, getenv("ANIMAT_EXE"));
    ck_assert_int_eq(p.status, 1);
    ck_assert_int_eq(proc_lines(p.err), 1);
    ck_assert_msg(strstr(p.err, "bad.nml:4: <pulseGenerator id=\"p\">: attribute delay: '3 parsecs' is not a time"),
                  "%s", p.err);
    proc_free(&p);
    /* joints on a network without muscle cells: refused naming the file */
    p = proc_run("%s check %s/examples/swimmer-c302.yaml --set circuit.params.c302=A_Oscillator", getenv("ANIMAT_EXE"),
                 src);
    ck_assert_int_eq(p.status, 1);
    ck_assert_msg(strstr(p.err, "c302_A_Oscillator.net.nml: joints: 5 needs dorsal and ventral muscle cells"), "%s",
                  p.err);
    proc_free(&p);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("neuroml");
    TCase *t = tcase_create("core");
    tcase_set_timeout(t, 120);
    int nb = (int)(sizeof bad / sizeof bad[0]);
    tcase_add_loop_test(t, test_bad_files_loader, 0, nb);
    tcase_add_loop_test(t, test_bad_files_plugin, 0, nb);
    tcase_add_test(t, test_too_many_populations);
    tcase_add_test(t, test_quantities);
    tcase_add_test(t, test_shipped_files);
    tcase_add_test(t, test_iaf_closed_form);
    tcase_add_test(t, test_iaf_ref);
    tcase_add_test(t, test_izhikevich);
    tcase_add_test(t, test_gap_junction);
    tcase_add_test(t, test_graded);
    tcase_add_test(t, test_exp_one_and_silence);
    tcase_add_test(t, test_spike_events);
    tcase_add_test(t, test_units_named);
    tcase_add_test(t, test_cli);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return ck_run(suite()); }
