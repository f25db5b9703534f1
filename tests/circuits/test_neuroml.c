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
 *     times against the analytic interspike interval;
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
    {HEAD "<iafCell id=\"d\" leakReversal=\"-50mV\" thresh=\"-30mV\" reset=\"-50mV\" C=\"3\" leakConductance=\"0.1nS\"/>"
          "\n" NET END,
     ":4: <iafCell id=\"d\">: attribute C: '3' is not a capacitance (a number and a NeuroML2 unit, e.g. 3pF)"},
    {HEAD "<network id=\"n\">\n<population id=\"A\" component=\"c\" size=\"1\"/>\n"
          "<population id=\"A\" component=\"c\" size=\"1\"/>\n" END,
     ":4: <network id=\"n\">: two populations have the id 'A'"},
    {HEAD NET "<synapticConnection from=\"A[0]\" to=\"A[1]\" synapse=\"s\"/>\n" END,
     ":6: <synapticConnection>: element not supported in a network by the neuroml circuit"},
    {"<neuroml id=\"t\"></neuroml>\n", ":1: <neuroml id=\"t\">: no <network> element"},
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

/* The test host's table with param_string answering `network`. */
typedef struct path_host {
    animat_host h; /* first */
    const char *file;
} path_host;

static int32_t path_string(const animat_host *h, const char *name, const char **out) {
    if (strcmp(name, "network") != 0) return ANIMAT_ERROR;
    *out = ((const path_host *)(const void *)h)->file;
    return ANIMAT_OK;
}

/* Through the plugin: create fails with the same one line. */
START_TEST(test_bad_files_plugin) {
    const char *dir = proc_tmpdir();
    const char *path = proc_write(dir, "t.nml", bad[_i].text);
    char want[1024];
    snprintf(want, sizeof want, "%s%s", path, bad[_i].msg);
    th_host *t = th_new(desc(), "circuit", 1);
    path_host ph = {.h = *th_table(t), .file = path};
    ph.h.param_string = path_string;
    ck_assert_ptr_null(api()->create(&ph.h));
    ck_assert_str_eq(th_last_error(t), want);
    th_free(t);
}
END_TEST

/* A file of 100,001 one-cell populations: refused at the first one past
 * the limit, naming its line (no hang, no crash). The population is on
 * line 100005: past line 65535 libxml2 2.9 (XML_PARSE_BIG_LINES) numbers a
 * self-closing element one line late; the test pins what users see. */
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
    snprintf(want, sizeof want,
             "%s:100006: <population id=\"p100000\">: the network would have more than the 100000 cells allowed", path);
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
    proc_out p = proc_run("%s plugin-check %s", getenv("ANIMAT_EXE"), getenv("NEUROML_SO"));
    ck_assert_msg(p.status == 0 && strstr(p.out, "0 failed"), "%s", p.out);
    proc_free(&p);
    /* the example: check shows the muscle mapping, a short run works */
    const char *src = getenv("ANIMAT_SRC");
    p = proc_run("%s check %s/examples/swimmer-c302.yaml", getenv("ANIMAT_EXE"), src);
    ck_assert_msg(p.status == 0 && strstr(p.out, "map: circuit.out.muscles[0] (j0.rows01_05) -> body.act.motors[0]\n") &&
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
    tcase_add_test(t, test_units_named);
    tcase_add_test(t, test_cli);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return ck_run(suite()); }
