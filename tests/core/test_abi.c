/* test_abi.c -- ABI 1.3 readiness for third-party plugins, end to end
 * through the animat binary: plugin ids (two files offering one name or
 * one id, one file reached twice), reserved fields, the "animat.ports/1"
 * bounds (refused when inverted or NaN, actions clipped and counted), and
 * a plugin built against ABI 1.2 loading with bit-identical results. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "proc.h"

static const char *exe, *broken;
static char dir[256];

/* Exit 1 with exactly one stderr line that contains every `want`. */
static void expect_one_line(proc_out *p, const char *want1, const char *want2) {
    ck_assert_msg(!p->signaled && p->status == 1, "status %d: %s%s", p->status, p->out, p->err);
    ck_assert_msg(proc_lines(p->err) == 1, "want one line: %s", p->err);
    ck_assert_msg(strstr(p->err, want1), "'%s' lacks '%s'", p->err, want1);
    ck_assert_msg(!want2 || strstr(p->err, want2), "'%s' lacks '%s'", p->err, want2);
    proc_free(p);
}

/* An experiment: body plugin file `body` (in the broken dir) fed by the
 * ABI 1.2 circuit, x(t+1) = x(t) + clip(x(t) + 0.25). */
static const char *loop_exp(const char *body, int steps) {
    static char text[1024];
    snprintf(text, sizeof text,
             "body:\n  plugin: %s/%s.so\ncircuit:\n  plugin: %s/abi12_circuit.so\nwiring:\n"
             "  - body.obs.y -> circuit.in.x\n  - circuit.out.y -> body.act.u\nrun:\n  max_steps: %d\n",
             broken, body, broken, steps);
    return proc_write(dir, "loop.yaml", text);
}

/* A plugin built against ABI 1.2 (descriptor without id, poison after it)
 * loads under the derived id and computes exactly what it did before. */
START_TEST(abi12_plugin_loads_bit_identical) {
    proc_out p = proc_run("%s plugins info %s/abi12_circuit.so", exe, broken);
    ck_assert_msg(p.status == 0, "%s", p.err);
    ck_assert_msg(strstr(p.out, "id: local.abi12-circuit"), "%s", p.out);
    proc_free(&p);
    p = proc_run("cd %s && %s run %s --episodes 1 --trace t.csv", dir, exe, loop_exp("dummy", 4));
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char path[512];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    char *t = proc_slurp(path);
    ck_assert_ptr_nonnull(t);
    /* x: 0 -> 0.25 -> 0.75 -> 1.75 -> 3.75 (y = x + 0.25 each step) */
    ck_assert_msg(strstr(t, "1,0,0,0,0.25,1\n1,1,0.01,0.25,0.5,1\n1,2,0.02,0.75,1,1\n1,3,0.029999999999999999,1.75,2,1\n"),
                  "%s", t);
    ck_assert_msg(strstr(t, "circuit: abi12-circuit local.abi12-circuit 1.2.0 "), "%s", t);
    free(t);
}
END_TEST

/* A body declaring its action in [-0.5, 0.5]: the host clips (the circuit's
 * own output, traced, is unchanged) and reports how many values it clipped. */
START_TEST(actions_clipped_and_counted) {
    proc_out p = proc_run("cd %s && %s run %s --episodes 1 --trace c.csv", dir, exe, loop_exp("bounded", 5));
    ck_assert_msg(p.status == 0, "%s", p.err);
    ck_assert_msg(strstr(p.out, "note: body.act.u: 3 action values outside the declared bounds clipped"), "%s",
                  p.out);
    proc_free(&p);
    char path[512];
    snprintf(path, sizeof path, "%s/c.csv", dir);
    char *t = proc_slurp(path);
    ck_assert_ptr_nonnull(t);
    /* body x: 0, 0.25, 0.75, 1.25, 1.75; circuit y unclipped: 0.25, 0.5, 1, 1.5, 2 */
    ck_assert_msg(strstr(t, "1,2,0.02,0.75,1,1\n1,3,0.029999999999999999,1.25,1.5,1\n1,4,0.040000000000000001,1.75,2,1\n"),
                  "%s", t);
    free(t);
    p = proc_run("%s plugins info %s/bounded.so", exe, broken);
    ck_assert_msg(strstr(p.out, "values in [-0.5, 0.5] (the host clips actions into it)"), "%s", p.out);
    proc_free(&p);
}
END_TEST

/* Bounds inverted or NaN: the instance is refused, naming the port. */
START_TEST(bad_bounds_refused) {
    proc_out p = proc_run("%s plugins info %s/bounds_inverted.so", exe, broken);
    ck_assert_int_eq(p.status, 0); /* info still lists parameters */
    ck_assert_msg(strstr(p.out, "port in.u: element 0: lower bound 1 > upper bound -1"), "%s", p.out);
    proc_free(&p);
    p = proc_run("cd %s && %s check %s", dir, exe, loop_exp("bounds_inverted", 3));
    expect_one_line(&p, "body (bounds-inverted): port in.u: element 0: lower bound 1 > upper bound -1", NULL);
    p = proc_run("cd %s && %s run %s", dir, exe, loop_exp("bounds_nan", 3));
    expect_one_line(&p, "body (bounds-nan): port in.u: element 0: a bound is NaN", NULL);
}
END_TEST

/* Reserved fields set: refused, naming struct and field. */
START_TEST(reserved_fields_refused) {
    proc_out p = proc_run("cd %s && %s run %s", dir, exe, loop_exp("reserved_port", 3));
    expect_one_line(&p, "body (reserved-port): port 0 'u': animat_port_info.reserved is 7 (must be 0)", NULL);
    p = proc_run("cd %s && %s run %s", dir, exe, loop_exp("reserved_result", 5));
    expect_one_line(&p, "body (reserved-result): animat_step_result.reserved is 1 in episode 1 at step 2", NULL);
}
END_TEST

/* A folder DIR/t holding only the two twin fixtures (links to them): the
 * fixtures' own folder also holds ctor_abort.so, whose warning line every
 * scan of it prints. Its path. */
static const char *twins(void) {
    static char t[300];
    snprintf(t, sizeof t, "%s/t", dir);
    proc_out p = proc_run("mkdir -p %s && ln -sf %s/twin_a.so %s/twin_b.so %s/", t, broken, broken, t);
    ck_assert_int_eq(p.status, 0);
    proc_free(&p);
    return t;
}

/* Two files offering one name: the name is an error naming both files and
 * ids, each id works. */
START_TEST(two_files_one_name) {
    const char *t = twins();
    proc_out p = proc_run("ANIMAT_PLUGIN_PATH=%s %s plugins info twin", t, exe);
    expect_one_line(&p, "plugin name 'twin' is ambiguous: org.example.twin-a (", "twin_b.so); use an id");
    p = proc_run("ANIMAT_PLUGIN_PATH=%s %s plugins info org.example.twin-b", t, exe);
    ck_assert_msg(p.status == 0, "%s", p.err);
    ck_assert_msg(strstr(p.out, "id: org.example.twin-b\n  file: ") && strstr(p.out, "twin_b.so"), "%s", p.out);
    proc_free(&p);
    p = proc_run("ANIMAT_PLUGIN_PATH=%s %s plugins", t, exe);
    ck_assert_msg(strstr(p.out, "org.example.twin-a") && strstr(p.out, "another file offers this name"), "%s", p.out);
    proc_free(&p);
}
END_TEST

/* Two copies of one plugin claim one id: an error naming both files; the
 * same file reached through a symlink and its own directory is one plugin. */
START_TEST(two_files_one_id_and_one_file_twice) {
    proc_out p = proc_run("mkdir -p %s/a %s/b %s/l && cp %s/twin_a.so %s/a/ && cp %s/twin_a.so %s/b/ && "
                          "ln -sf %s/twin_a.so %s/l/twin_a.so",
                          dir, dir, dir, broken, dir, broken, dir, broken, dir);
    ck_assert_int_eq(p.status, 0);
    proc_free(&p);
    p = proc_run("ANIMAT_PLUGIN_PATH=%s/a:%s/b %s plugins info org.example.twin-a", dir, dir, exe);
    expect_one_line(&p, "plugin id 'org.example.twin-a' is claimed by two files: ", "/b/twin_a.so (remove one");
    p = proc_run("ANIMAT_PLUGIN_PATH=%s/a:%s/b %s plugins info twin", dir, dir, exe);
    expect_one_line(&p, "plugin id 'org.example.twin-a' is claimed by two files: ", NULL);
    /* t/twin_a.so and l/twin_a.so, both links to one file: one plugin */
    p = proc_run("ANIMAT_PLUGIN_PATH=%s:%s/l %s plugins info org.example.twin-a", twins(), dir, exe);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
}
END_TEST

/* A checkpoint (format 4) stores each plugin's id, version and file hash;
 * a resume with the same plugins continues; one whose circuit id differs
 * under the same name is refused in one line. */
START_TEST(checkpoint_stores_plugin_ids) {
    const char *fmt = "body:\n  plugin: %s/%s.so\ncircuit:\n  plugin: %s/abi12_circuit.so\nwiring:\n"
                      "  - body.obs.y -> circuit.in.x\n  - circuit.out.y -> body.act.u\nrun:\n  max_steps: 5\n"
                      "learner:\n  plugin: es\n  params: {population: 4}\n";
    char text[1024];
    snprintf(text, sizeof text, fmt, broken, "twin_a", broken);
    proc_write(dir, "train.yaml", text);
    const char *opts = "--set train.checkpoint=ck.bin --set train.output=t.params.yaml";
    proc_out p = proc_run("cd %s && %s train train.yaml --epochs 2 %s", dir, exe, opts);
    ck_assert_msg(p.status == 0, "%s%s", p.out, p.err);
    proc_free(&p);
    p = proc_run("cd %s && strings ck.bin | grep -c -e '^circuit local.abi12-circuit 1.2.0 ' "
                 "-e '^learner org.animat.es 1.0.0 ' -e '^body org.example.twin-a 0.0.1 '", dir);
    ck_assert_msg(strstr(p.out, "3\n"), "%s", p.out);
    proc_free(&p);
    p = proc_run("cd %s && cp ck.bin ck0.bin && %s train train.yaml --epochs 3 --resume %s", dir, exe, opts);
    ck_assert_msg(p.status == 0 && strstr(p.out, "resuming"), "%s%s", p.out, p.err);
    proc_free(&p);
    /* the same short name "twin", another id: the fingerprint matches, the id does not */
    snprintf(text, sizeof text, fmt, broken, "twin_b", broken);
    proc_write(dir, "train.yaml", text);
    p = proc_run("cd %s && cp ck0.bin ck.bin && %s train train.yaml --epochs 3 --resume %s", dir, exe, opts);
    expect_one_line(&p, "ck.bin: checkpoint was written with plugin 'body org.example.twin-a 0.0.1 ",
                    "this run has 'body org.example.twin-b 0.0.1 ");
}
END_TEST

/* Circuits declare what their outputs can be: random's actions and graph's
 * LIF-mode (tanh-squashed) outputs in [-1, 1]; graph's rate mode, whose
 * outputs are gain times activity, unbounded. */
START_TEST(circuit_outputs_declared) {
    proc_out p = proc_run("%s plugins info random --set size=3", exe);
    ck_assert_msg(p.status == 0 && strstr(p.out, "actions      size 3           Uniform random actions in [-1, 1].\n"
                                                 "    values in [-1, 1]\n"), "%s%s", p.out, p.err);
    proc_free(&p);
    p = proc_run("%s plugins info graph --set model=lif", exe);
    ck_assert_msg(p.status == 0 && strstr(p.out, "times gains.\n    values in [-1, 1]\n"), "%s%s", p.out, p.err);
    proc_free(&p);
    p = proc_run("%s plugins info graph --set model=rate", exe);
    ck_assert_msg(p.status == 0 && strstr(p.out, "times gains.\nlearnable"), "%s%s", p.out, p.err);
    proc_free(&p);
}
END_TEST

int main(void) {
    exe = getenv("ANIMAT_EXE");
    broken = getenv("BROKEN_DIR");
    if (!exe || !broken) return 1;
    snprintf(dir, sizeof dir, "%s", proc_tmpdir());
    Suite *s = suite_create("abi");
    TCase *t = tcase_create("abi");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, abi12_plugin_loads_bit_identical);
    tcase_add_test(t, circuit_outputs_declared);
    tcase_add_test(t, actions_clipped_and_counted);
    tcase_add_test(t, bad_bounds_refused);
    tcase_add_test(t, reserved_fields_refused);
    tcase_add_test(t, two_files_one_name);
    tcase_add_test(t, two_files_one_id_and_one_file_twice);
    tcase_add_test(t, checkpoint_stores_plugin_ids);
    suite_add_tcase(s, t);
    return ck_run(s);
}
