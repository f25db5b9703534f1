/* test_graph.c -- experiments as graphs: step order from the wiring, delayed
 * edges, slices and concatenation, substeps, graph theta and its bounds,
 * each against values computed by hand on the graphkit test plugins
 * (tests/plugins/graphkit.c); graph errors as one positioned line; the
 * short form and its graph spelling give the same trace as the code before
 * graphs existed (golden hashes); ABI 1.2 init/deinit, a 1.1 learner, and
 * per-call error messages. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ck_run.h"
#include "exp/experiment.h"
#include "proc.h"
#include "sim/buffers.h"
#include "sim/sim.h"
#include "sim/sim_impl.h"

static const char *exe, *broken, *src;
static const char *dir;
static char kit[512];

#define TICK(nv, na, len) "bodies:\n  b: {plugin: tick, params: {nv: " #nv ", na: " #na ", len: " #len "}}\n"

/* Load text as an experiment (graphkit preloaded) and create its sim. */
static void open_text(const char *text, experiment *x, sim *s) {
    const char *path = proc_write(dir, "g.yaml", text);
    errmsg e;
    errmsg_clear(&e);
    const char *extra[] = {kit};
    ck_assert_msg(experiment_load(x, path, NULL, 0, extra, 1, &e) == 0, "%s", e.msg);
    ck_assert_msg(sim_create(s, x, &e) == 0, "%s", e.msg);
}

/* An observer that copies one output buffer (n values) at every step. */
typedef struct grab {
    const double *src;
    uint32_t n, steps;
    double v[16][8];
} grab;

static int grab_before(void *ctx, const sim *s, uint64_t ep, uint64_t step) {
    (void)s, (void)ep;
    grab *g = ctx;
    if (step < 16) memcpy(g->v[step], g->src, g->n * sizeof(double));
    g->steps = (uint32_t)step + 1;
    return 0;
}
static int grab_after(void *ctx, double r) {
    (void)ctx, (void)r;
    return 0;
}
static const char *grab_error(void *ctx) {
    (void)ctx;
    return "";
}

/* Watch port NAME.out.PORT (or a body's obs) of s with g. */
static void watch(sim *s, grab *g, const char *inst, const char *port) {
    instance *in = sim_find(s, inst);
    ck_assert_ptr_nonnull(in);
    int k = instance_port(in, ANIMAT_PORT_OUT, port);
    ck_assert_int_ge(k, 0);
    memset(g, 0, sizeof *g);
    g->src = in->bufs[ANIMAT_PORT_OUT][k];
    g->n = in->ports[ANIMAT_PORT_OUT][k].size;
    sim_observer o = {g, grab_before, grab_after, grab_error};
    ck_assert_int_eq(sim_observe(s, &o), 0);
}

static sim_result episode(sim *s, uint64_t i) {
    sim_result r;
    errmsg e;
    errmsg_clear(&e);
    ck_assert_msg(sim_episode(s, i, &r, &e) == 0, "%s", e.msg);
    return r;
}

/* `first` is declared after `second` but feeds it: the host steps it first,
 * so second sees first's output of the same step. */
START_TEST(order_sources_before_sinks) {
    experiment x;
    sim s;
    grab g;
    open_text(TICK(3, 3, 4) "circuits:\n  second: {plugin: probe, params: {gain: 2, bias: 1}}\n"
                            "  first: {plugin: probe, params: {gain: 1, bias: 0}}\n"
                            "wiring:\n  - b.obs.v -> first.in.x\n  - first.out.y -> second.in.x\n"
                            "  - second.out.y -> b.act.a\n",
              &x, &s);
    ck_assert_str_eq(s.nodes[0].in->name, "first");
    watch(&s, &g, "second", "y");
    sim_result r = episode(&s, 0);
    ck_assert_int_eq(r.steps, 4);
    double want_ret = 0;
    for (int t = 0; t < 4; t++)
        for (int i = 0; i < 3; i++) {
            double y = 2.0 * (10 * t + i) + 1;
            ck_assert_msg(g.v[t][i] == y, "step %d [%d]: %g != %g", t, i, g.v[t][i], y);
            want_ret += (i + 1) * y;
        }
    ck_assert(r.ret == want_ret);
    ck_assert(r.body_ret[0] == want_ret);
    sim_destroy(&s);
    experiment_free(&x);
}
END_TEST

/* a.y(t) = c.y(t-1) + 1 through a delayed edge, c.y(t) = 2 a.y(t): c =
 * 2, 6, 14, 30 (2^(t+2) - 2), and the delay reads zero again after reset. */
START_TEST(delayed_edge_closes_a_loop) {
    experiment x;
    sim s;
    grab g;
    open_text(TICK(1, 1, 4) "circuits:\n  a: {plugin: probe, params: {n: 1, gain: 1, bias: 1}}\n"
                            "  c: {plugin: probe, params: {n: 1, gain: 2, bias: 0}}\n"
                            "wiring:\n  - a.out.y -> c.in.x\n  - c.out.y ~> a.in.x\n  - c.out.y -> b.act.a\n",
              &x, &s);
    watch(&s, &g, "c", "y");
    for (int ep = 0; ep < 2; ep++) {
        episode(&s, (uint64_t)ep);
        for (int t = 0; t < 4; t++) ck_assert_msg(g.v[t][0] == (double)((4 << t) - 2), "ep %d t %d: %g", ep, t, g.v[t][0]);
    }
    sim_destroy(&s);
    experiment_free(&x);
}
END_TEST

/* Slices in and out, two circuits concatenated into one body input, and
 * unfed elements reading zero (listed by check). */
START_TEST(slices_and_concatenation) {
    experiment x;
    sim s;
    grab g;
    open_text(TICK(4, 5, 3) "circuits:\n  p: {plugin: probe, params: {n: 3}}\n"
                            "  q: {plugin: probe, params: {n: 2, gain: -1}}\n"
                            "wiring:\n  - b.obs.v[1:3] -> p.in.x[1:3]\n  - b.obs.v[0] -> q.in.x[1]\n"
                            "  - p.out.y -> b.act.a[0:3]\n  - q.out.y -> b.act.a[3:5]\n",
              &x, &s);
    watch(&s, &g, "b", "echo");
    episode(&s, 0);
    /* echo at the start of step t holds the actions of step t-1 */
    for (int t = 1; t < 3; t++) {
        double v = 10.0 * (t - 1);
        double want[5] = {0, v + 1, v + 2, 0, -v};
        for (int i = 0; i < 5; i++) ck_assert_msg(g.v[t][i] == want[i], "t %d [%d]: %g != %g", t, i, g.v[t][i], want[i]);
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_uint_eq(sim_print_unfed(&s, f), 2);
    fclose(f);
    ck_assert_msg(strstr(buf, "p.in.x[0:1] reads zeros") && strstr(buf, "q.in.x[0:1] reads zeros"), "%s", buf);
    free(buf);
    sim_destroy(&s);
    experiment_free(&x);
}
END_TEST

/* Two bodies, each its own world: reset together, the episode ends with the
 * shorter one, the return is the sum, each body's own return reported. */
START_TEST(two_bodies_sum_their_rewards) {
    experiment x;
    sim s;
    open_text("bodies:\n  l: {plugin: tick, params: {nv: 1, na: 1, len: 3}}\n"
              "  r: {plugin: tick, params: {nv: 1, na: 2, len: 5}}\n"
              "circuits:\n  p: {plugin: probe, params: {n: 1, bias: 1}}\n"
              "wiring:\n  - l.obs.t -> p.in.x\n  - p.out.y -> l.act.a\n  - p.out.y -> r.act.a[1]\n",
              &x, &s);
    sim_result r = episode(&s, 0);
    /* p.y = t + 1 at step t; l: reward y; r: reward 2y (its a[1]); 3 steps */
    ck_assert_int_eq(r.steps, 3);
    ck_assert_uint_eq(r.nbodies, 2);
    ck_assert(r.body_ret[0] == 1 + 2 + 3);
    ck_assert(r.body_ret[1] == 2 * (1 + 2 + 3));
    ck_assert(r.ret == 18);
    ck_assert(r.truncated);
    sim_destroy(&s);
    experiment_free(&x);
}
END_TEST

/* substeps: 4 calls per control step at dt = 0.5 / 4. */
START_TEST(substeps_run_faster) {
    experiment x;
    sim s;
    grab calls, dt;
    open_text(TICK(1, 1, 3) "circuits:\n  p: {plugin: probe, params: {n: 1}, substeps: 4}\n"
                            "wiring:\n  - b.obs.t -> p.in.x\n  - p.out.y -> b.act.a\n",
              &x, &s);
    watch(&s, &calls, "p", "calls");
    watch(&s, &dt, "p", "dt");
    episode(&s, 0);
    for (int t = 0; t < 3; t++) {
        ck_assert(calls.v[t][0] == 4.0 * (t + 1));
        ck_assert(dt.v[t][0] == 0.125);
    }
    sim_destroy(&s);
    experiment_free(&x);
}
END_TEST

/* Graph theta: targets in file order, projection onto [min, max] and sign,
 * names INSTANCE.ENTRY. */
START_TEST(graph_theta_projects) {
    experiment x;
    sim s;
    open_text(TICK(1, 1, 2) "circuits:\n  p: {plugin: probe, params: {n: 1}}\n  q: {plugin: probe, params: {n: 1}}\n"
                            "wiring:\n  - b.obs.t -> p.in.x\n  - p.out.y -> q.in.x\n  - q.out.y -> b.act.a\n"
                            "learner: {plugin: wild, targets: [q]}\n",
              &x, &s);
    ck_assert_uint_eq(s.ntheta, 2);
    char name[64];
    sim_theta_name(&s, 1, name, sizeof name);
    ck_assert_str_eq(name, "q.bias");
    errmsg e;
    errmsg_clear(&e);
    double wild[2] = {1e6, -1e6}, got[2];
    ck_assert_msg(sim_set_theta(&s, wild, &e) == 0, "%s", e.msg);
    ck_assert_int_eq(sim_get_theta(&s, got, &e), 0);
    ck_assert(got[0] == 2 && got[1] == 0);
    sim_destroy(&s);
    experiment_free(&x);
}
END_TEST

/* Run `animat ARGS` on text with graphkit loaded. */
static proc_out run_text(const char *args, const char *text) {
    const char *path = proc_write(dir, "exp.yaml", text);
    return proc_run("cd %s && %s %s %s --plugin %s", dir, exe, args, path, kit);
}

/* One stderr line, exit 1, containing want (and the file:line:col). */
static void expect_error(proc_out p, const char *where, const char *want) {
    ck_assert_msg(!p.signaled && p.status == 1, "status %d: %s", p.status, p.err);
    ck_assert_int_eq(proc_lines(p.err), 1);
    ck_assert_msg(strstr(p.err, want), "'%s' lacks '%s'", p.err, want);
    ck_assert_msg(strstr(p.err, where), "'%s' lacks the position '%s'", p.err, where);
    proc_free(&p);
}

#define TWO "circuits:\n  a: {plugin: probe, params: {n: 2}}\n  c: {plugin: probe, params: {n: 2}}\nwiring:\n"

START_TEST(graph_errors) {
    expect_error(run_text("check", TICK(2, 2, 2) TWO "  - a.out.y -> c.in.x\n  - c.out.y -> a.in.x\n  - c.out.y -> b.act.a\n"),
                 "exp.yaml:7:5:", "wiring: circuits a -> c -> a form a cycle without a delay");
    expect_error(run_text("check", TICK(2, 2, 2) TWO "  - a.out.y -> b.act.a\n  - c.out.y[1] -> b.act.a[1]\n"),
                 "exp.yaml:8:5:", "wiring[1]: b.act.a[1] overlaps wiring[0] (elements 1..1 are written twice)");
    expect_error(run_text("check", TICK(2, 2, 2) TWO "  - b.obs.v[1:3] -> a.in.x[0:2]\n"),
                 "exp.yaml:7:5:", "wiring[0]: slice of b.obs.v[1:3] is out of range: the port has 2 values");
    expect_error(run_text("check", TICK(2, 2, 2) TWO "  - zz.out.y -> a.in.x\n"),
                 "exp.yaml:7:5:", "wiring[0]: unknown instance in 'zz.out.y' (instances: b, a, c)");
    expect_error(run_text("check", TICK(2, 2, 2) TWO "  - a.out.y[2:1] -> c.in.x\n"),
                 "exp.yaml:7:5:", "wiring[0]: bad source 'a.out.y[2:1]'");
    expect_error(run_text("check", TICK(2, 2, 2) "circuits:\n  b: {plugin: probe}\nwiring: [b.out.y -> b.act.a]\n"),
                 "exp.yaml:4:3:", "'b': instance name used twice");
    expect_error(run_text("check", TICK(2, 2, 2) TWO "  - a.out.y -> c.in.x\nlearner: {plugin: wild, targets: [b]}\n"),
                 "exp.yaml:8:35:", "learner.targets[0]: 'b' is a body (tick) without design parameters (animat.morphology/1)");
}
END_TEST

/* check lists unfed inputs and the instances. */
START_TEST(check_lists_unfed_inputs) {
    proc_out p = run_text("check", TICK(2, 2, 2) TWO "  - a.out.y[0] -> c.in.x[1]\n  - c.out.y -> b.act.a\n");
    ck_assert_msg(p.status == 0, "%s", p.err);
    ck_assert_msg(strstr(p.out, "note: a.in.x[0:2] reads zeros: fed by nothing"), "%s", p.out);
    ck_assert_msg(strstr(p.out, "note: c.in.x[0:1] reads zeros: fed by nothing"), "%s", p.out);
    proc_free(&p);
}
END_TEST

/* FNV-1a 64 of a trace's data rows (comment lines skipped). */
static unsigned long long trace_hash(const char *path) {
    char *s = proc_slurp(path);
    ck_assert_msg(s != NULL, "no trace %s", path);
    unsigned long long h = 0xcbf29ce484222325ULL;
    for (char *line = s; line && *line;) {
        char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);
        if (line[0] != '#')
            for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)line[i]) * 0x100000001b3ULL;
        line = nl ? nl + 1 : NULL;
    }
    free(s);
    return h;
}

/* The shipped examples' traces (2 episodes) hash to what the code before
 * experiment graphs wrote (commit 4c07b17, same command), and the short
 * form spelt as a graph gives the same trace. */
START_TEST(short_form_unchanged) {
    static const struct { const char *file; unsigned long long hash; } golden[] = {
        {"swimmer-ncap", 0xb090f184d3b4d345ULL}, {"swimmer-mlp", 0x4a8ee7c45b3c19cdULL},
        {"swimmer-ncap-es", 0xd716c12a6351ae70ULL}};
    for (size_t i = 0; i < sizeof golden / sizeof *golden; i++) {
        proc_out p = proc_run("cd %s && %s run %s/examples/%s.yaml --episodes 2 --quiet --trace t%zu.csv", dir, exe, src,
                              golden[i].file, i);
        ck_assert_msg(p.status == 0, "%s", p.err);
        proc_free(&p);
        char path[512];
        snprintf(path, sizeof path, "%s/t%zu.csv", dir, i);
        unsigned long long h = trace_hash(path);
        ck_assert_msg(h == golden[i].hash, "%s: trace hash %016llx", golden[i].file, h);
    }
    /* swimmer-ncap as a graph with instances named body and circuit */
    const char *graph = "bodies:\n  body: {plugin: swimmer, params: {n_bodies: 6}}\n"
                        "circuits:\n  circuit: {plugin: ncap}\n"
                        "wiring:\n  - body.obs.joints -> circuit.in.joints\n  - circuit.out.muscles -> body.act.motors\n"
                        "run: {episodes: 2, seed: 1}\n";
    proc_out p = run_text("run --quiet --trace tg.csv", graph);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char path[512];
    snprintf(path, sizeof path, "%s/tg.csv", dir);
    ck_assert_msg(trace_hash(path) == golden[0].hash, "graph spelling differs: %016llx", trace_hash(path));
}
END_TEST

/* ABI 1.2 init/deinit: once per process however many registries open the
 * file; a failing init refuses the file with its reason. */
START_TEST(init_and_deinit_once) {
    char log[512];
    snprintf(log, sizeof log, "%s/kit.log", dir);
    unlink(log);
    proc_out p = proc_run("cd %s && GRAPHKIT_LOG=%s %s plugins info %s", dir, log, exe, kit);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char *s = proc_slurp(log);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, "init\ndeinit\n");
    free(s);
    p = run_text("check", TICK(1, 1, 1) "circuits:\n  a: {plugin: probe, params: {n: 1}}\nwiring: [a.out.y -> b.act.a]\n");
    ck_assert_int_eq(p.status, 0);
    proc_free(&p);
    p = proc_run("cd %s && GRAPHKIT_INIT_FAIL=1 %s plugins info %s", dir, exe, kit);
    ck_assert_int_ne(p.status, 0);
    ck_assert_msg(strstr(p.err, "graphkit.so: init failed: GRAPHKIT_INIT_FAIL is set"), "%s", p.err);
    proc_free(&p);
}
END_TEST

/* A failing call reports its own message, never an earlier call's. */
START_TEST(error_message_of_the_failing_call) {
    proc_out p = run_text("run", TICK(1, 1, 9) "circuits:\n  a: {plugin: probe, params: {n: 1, stale_error: true, "
                                               "fail_at: 3}}\nwiring: [a.out.y -> b.act.a]\n");
    ck_assert_int_eq(p.status, 1);
    ck_assert_msg(strstr(p.err, "a (probe): step failed in episode 1 at step 2"), "%s", p.err);
    ck_assert_msg(!strstr(p.err, "stale"), "%s", p.err);
    proc_free(&p);
}
END_TEST

/* A learner built against ABI 1.1 (short table, poison after) trains. */
START_TEST(old_learner_trains) {
    char text[1024];
    snprintf(text, sizeof text,
             TICK(1, 1, 3) "circuits:\n  a: {plugin: probe, params: {n: 1}}\nwiring: [b.obs.t -> a.in.x, a.out.y -> b.act.a]\n"
                           "learner:\n  plugin: %s/old_learner.so\n",
             broken);
    proc_out p = run_text("train --epochs 2 --set train.output=old.params.yaml", text);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char path[512];
    snprintf(path, sizeof path, "%s/old.params.yaml", dir);
    char *s = proc_slurp(path);
    ck_assert_ptr_nonnull(s);
    ck_assert_msg(strstr(s, "names: ['a.gain', 'a.bias']\ntheta: [1.2000000000000002, 0.20000000000000001]"), "%s", s);
    free(s);
}
END_TEST

/* A learner proposing +-1e6 never gets a value past the declared bounds
 * into a circuit (probe refuses them, so training would fail). */
START_TEST(bounds_hold_against_a_wild_learner) {
    proc_out p = run_text("train --epochs 3 --threads 2 --set train.output=wild.params.yaml",
                          TICK(1, 1, 3) "circuits:\n  a: {plugin: probe, params: {n: 1}}\n  c: {plugin: probe, params: {n: 1}}\n"
                                        "wiring: [b.obs.t -> a.in.x, a.out.y -> c.in.x, c.out.y -> b.act.a]\n"
                                        "learner: {plugin: wild}\n");
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char path[512];
    snprintf(path, sizeof path, "%s/wild.params.yaml", dir);
    char *s = proc_slurp(path);
    ck_assert_ptr_nonnull(s);
    ck_assert_msg(strstr(s, "names: ['a.gain', 'a.bias', 'c.gain', 'c.bias']\ntheta: [2, 0, 2, 0]"), "%s", s);
    free(s);
    /* and the file runs back through theta_file (names matched) */
    p = run_text("run --theta wild.params.yaml",
                 TICK(1, 1, 3) "circuits:\n  a: {plugin: probe, params: {n: 1}}\n  c: {plugin: probe, params: {n: 1}}\n"
                               "wiring: [b.obs.t -> a.in.x, a.out.y -> c.in.x, c.out.y -> b.act.a]\n");
    ck_assert_msg(p.status == 0, "%s", p.err);
    ck_assert_msg(strstr(p.out, "return 12.000"), "%s", p.out); /* 4 * (0 + 1 + 2) */
    proc_free(&p);
    /* a file whose names do not match is refused, naming the first mismatch */
    p = run_text("run --theta wild.params.yaml",
                 TICK(1, 1, 3) "circuits:\n  a: {plugin: probe, params: {n: 1}}\n  d: {plugin: probe, params: {n: 1}}\n"
                               "wiring: [b.obs.t -> a.in.x, a.out.y -> d.in.x, d.out.y -> b.act.a]\n");
    ck_assert_int_eq(p.status, 1);
    ck_assert_msg(strstr(p.err, "theta_file: entry 2 'c.gain' names no circuit of this experiment"), "%s", p.err);
    proc_free(&p);
    /* entries in another order: the first mismatch is named */
    proc_write(dir, "swapped.params.yaml", "names: ['a.bias', 'a.gain', 'c.gain', 'c.bias']\ntheta: [0, 2, 2, 0]\n");
    p = run_text("check --theta swapped.params.yaml",
                 TICK(1, 1, 3) "circuits:\n  a: {plugin: probe, params: {n: 1}}\n  c: {plugin: probe, params: {n: 1}}\n"
                               "wiring: [b.obs.t -> a.in.x, a.out.y -> c.in.x, c.out.y -> b.act.a]\n");
    ck_assert_int_eq(p.status, 1);
    ck_assert_msg(strstr(p.err, "theta_file: entry 0 is 'a.bias' in the file but 'a.gain' in the experiment"), "%s", p.err);
    proc_free(&p);
}
END_TEST

/* The shipped graph examples validate and run; a short joint training of
 * steer + ncap writes a parameter file with both circuits' entry names that
 * runs back. */
static const char *const graph_examples[] = {"swimmer-split", "swimmer-navigate-steer", "bilateral-reach",
                                             "bilateral-left-only"};

START_TEST(graph_examples_run) {
    const char *ex = graph_examples[_i];
    proc_out p = proc_run("cd %s && %s check %s/examples/%s.yaml", dir, exe, src, ex);
    ck_assert_msg(p.status == 0 && strstr(p.out, "ok: "), "%s: %s", ex, p.err);
    proc_free(&p);
    p = proc_run("cd %s && %s run %s/examples/%s.yaml --episodes 1 --set run.max_steps=50", dir, exe, src, ex);
    ck_assert_msg(p.status == 0 && strstr(p.out, "episode 1/1  return "), "%s: %s", ex, p.err);
    proc_free(&p);
}
END_TEST

START_TEST(steer_trains_jointly) {
    proc_out p = proc_run("cd %s && %s train %s/examples/swimmer-navigate-steer.yaml --epochs 2 --quiet "
                          "--set learner.params.population=4 --set run.max_steps=50 --set train.output=steer.params.yaml "
                          "--set train.curve=steer.csv",
                          dir, exe, src);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char path[512];
    snprintf(path, sizeof path, "%s/steer.params.yaml", dir);
    char *s = proc_slurp(path);
    ck_assert_ptr_nonnull(s);
    ck_assert_msg(strstr(s, "names: ['steer.") && strstr(s, "'ncap.w_prop', 'ncap.w_osc', 'ncap.w_ipsi', 'ncap.w_contra']"),
                  "%s", s);
    free(s);
    p = proc_run("cd %s && %s run %s/examples/swimmer-navigate-steer.yaml --episodes 1 --set run.max_steps=50 "
                 "--theta steer.params.yaml",
                 dir, exe, src);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
}
END_TEST

int main(void) {
    exe = getenv("ANIMAT_EXE");
    broken = getenv("BROKEN_DIR");
    src = getenv("ANIMAT_SRC");
    if (!exe || !broken || !src) return 1;
    dir = proc_tmpdir();
    snprintf(kit, sizeof kit, "%s/graphkit.so", broken);
    Suite *s = suite_create("graph");
    TCase *t = tcase_create("graph");
    tcase_set_timeout(t, 600);
    tcase_add_test(t, order_sources_before_sinks);
    tcase_add_test(t, delayed_edge_closes_a_loop);
    tcase_add_test(t, slices_and_concatenation);
    tcase_add_test(t, substeps_run_faster);
    tcase_add_test(t, two_bodies_sum_their_rewards);
    tcase_add_test(t, graph_theta_projects);
    tcase_add_test(t, graph_errors);
    tcase_add_test(t, check_lists_unfed_inputs);
    tcase_add_test(t, short_form_unchanged);
    tcase_add_test(t, init_and_deinit_once);
    tcase_add_test(t, error_message_of_the_failing_call);
    tcase_add_test(t, old_learner_trains);
    tcase_add_test(t, bounds_hold_against_a_wild_learner);
    tcase_add_loop_test(t, graph_examples_run, 0, 4);
    tcase_add_test(t, steer_trains_jointly);
    suite_add_tcase(s, t);
    return ck_run(s);
}
