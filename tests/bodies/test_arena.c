/* test_arena.c -- suite "bodies": the experiment's arena: section
 * (core/exp/arena.h) and the swimmer in arenas and with a camera
 * (bodies/common/mjb_arena.h, mjb_camera.h), through the CLI and the ABI.
 * Environment (tests/bodies/meson.build): ANIMAT_SRC, ANIMAT_EXE, SWIMMER_SO.
 */
#include <check.h>
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "proc.h"
#include "testhost.h"

/* This test process's temporary folder (one per forked test). */
static const char *tmp(void) {
    static char dir[64];
    if (!dir[0]) snprintf(dir, sizeof dir, "%s", proc_tmpdir());
    return dir;
}

/* Required environment variable (exit 77, skipped, when unset). */
static const char *env(const char *name) {
    const char *v = getenv(name);
    if (!v || !*v) {
        fprintf(stderr, "test_arena: %s is not set (run through meson test)\n", name);
        exit(77);
    }
    return v;
}

/* The hexapod of examples/hexapod-cpg.yaml (model by absolute path) with
 * extra body parameters BODY (YAML lines indented 4) and the top-level
 * block TOP, written as DIR/NAME; returns its path (static). */
static const char *hexapod_yaml(const char *name, const char *body, const char *top) {
    static char path[1024], text[8192];
    snprintf(text, sizeof text,
             "%s\nbody:\n  plugin: mjcf\n  params:\n    model: %s/bodies/mjcf/models/hexapod.xml\n"
             "    physics_steps: 10\n    forward_clamp: false\n%s\n"
             "circuit:\n  plugin: cpg\n  params: {freq: 2.0, amp: 0.5, coupling: 4.0, phase_lag: 1.5708}\n"
             "wiring:\n  - body.obs.legs_pos -> circuit.in.feedback\n  - circuit.out.y -> body.act.legs\n"
             "run: {episodes: 1, seed: 1, max_steps: 150}\n",
             top, env("ANIMAT_SRC"), body);
    snprintf(path, sizeof path, "%s", proc_write(tmp(), name, text));
    return path;
}

/* The swimmer of examples/swimmer-ncap.yaml likewise. */
static const char *swimmer_yaml(const char *name, const char *body, const char *top) {
    static char path[1024], text[8192];
    snprintf(text, sizeof text,
             "%s\nbody:\n  plugin: swimmer\n  params:\n    n_bodies: 6\n%s\n"
             "circuit:\n  plugin: ncap\n  params: {shared: true, sign_constraints: true, init: default}\n"
             "wiring:\n  - body.obs.joints -> circuit.in.joints\n  - circuit.out.muscles -> body.act.motors\n"
             "run: {episodes: 1, seed: 1, max_steps: 1000}\n", /* it reaches a post or wall after 200 steps */
             top, body);
    snprintf(path, sizeof path, "%s", proc_write(tmp(), name, text));
    return path;
}

/* `animat run FILE --trace T` from the temporary folder: the trace's rows
 * without its comment lines (caller frees), status 0 asserted. */
static char *trace_of(const char *file, const char *extra) {
    const char *dir = tmp();
    proc_out p = proc_run("cd %s && rm -f t.csv && %s run %s --quiet --trace t.csv %s", dir, env("ANIMAT_EXE"), file,
                          extra);
    ck_assert_msg(p.status == 0, "%s: %s", file, p.err);
    proc_free(&p);
    char t[1024];
    snprintf(t, sizeof t, "%s/t.csv", dir);
    char *s = proc_slurp(t);
    ck_assert_ptr_nonnull(s);
    char *w = s; /* drop the header's comment lines (command, file hash) */
    for (const char *r = s; *r;) {
        const char *nl = strchr(r, '\n');
        size_t len = nl ? (size_t)(nl - r) + 1 : strlen(r);
        if (*r != '#') memmove(w, r, len), w += len;
        r += len;
    }
    *w = '\0';
    ck_assert_int_gt((int)strlen(s), 1000);
    return s;
}

/* The two traces are the same (1) or not, asserted. */
static void same(const char *a, const char *b, int want, const char *what) {
    ck_assert_msg((strcmp(a, b) == 0) == want, "%s: traces %s", what, want ? "differ" : "are the same");
}

/* Copy the shipped file SRC (relative to the source tree) into the
 * temporary folder as NAME. */
static void copy_in(const char *src, const char *name) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", env("ANIMAT_SRC"), src);
    char *s = proc_slurp(path);
    ck_assert_ptr_nonnull(s);
    proc_write(tmp(), name, s);
    free(s);
}

/* The section gives bit for bit the traces of the same arena given as body
 * parameters -- for the mjcf hexapod (an arena file resolved against the
 * experiment file's folder, plus noise terrain) and for the swimmer (its
 * pool) -- and differs from no arena. */
START_TEST(test_section_is_params) {
    copy_in("bodies/mjcf/arenas/rocks.xml", "rocks.xml");
    copy_in("bodies/swimmer/arenas/pool.xml", "pool.xml");
    const char *terrain = "terrain: noise, size: [3, 3, 0.03, 0.05], seed: 3";
    char top[512];
    snprintf(top, sizeof top, "arena: {file: rocks.xml, %s}", terrain);
    char *sec = trace_of(hexapod_yaml("h_sec.yaml", "", top), "");
    char *par = trace_of(hexapod_yaml("h_par.yaml",
                                      "    arena: rocks.xml\n    terrain: noise\n    terrain_size: [3, 3, 0.03, 0.05]\n"
                                      "    terrain_seed: 3\n", ""), "");
    char *none = trace_of(hexapod_yaml("h_none.yaml", "", ""), "");
    same(sec, par, 1, "hexapod: section vs parameters");
    same(sec, none, 0, "hexapod: section vs no arena");
    free(sec), free(par), free(none);
    sec = trace_of(swimmer_yaml("s_sec.yaml", "", "arena: {file: pool.xml}"), "");
    par = trace_of(swimmer_yaml("s_par.yaml", "    arena: pool.xml\n", ""), "");
    none = trace_of(swimmer_yaml("s_none.yaml", "", ""), "");
    same(sec, par, 1, "swimmer: section vs parameters");
    same(sec, none, 0, "swimmer: section vs no arena");
    free(sec), free(par), free(none);
}
END_TEST

/* A body's own parameter wins over the section's, key by key: seed 5 in
 * the section with terrain_seed 3 in the body is the seed-3 terrain. */
START_TEST(test_body_overrides) {
    char *own = trace_of(hexapod_yaml("o_own.yaml", "    terrain_seed: 3\n",
                                      "arena: {terrain: noise, size: [3, 3, 0.03, 0.05], seed: 5}"), "");
    char *three = trace_of(hexapod_yaml("o_3.yaml", "", "arena: {terrain: noise, size: [3, 3, 0.03, 0.05], seed: 3}"),
                           "");
    char *five = trace_of(hexapod_yaml("o_5.yaml", "", "arena: {terrain: noise, size: [3, 3, 0.03, 0.05], seed: 5}"),
                          "");
    same(own, three, 1, "body seed 3 over section seed 5 vs seed 3");
    same(own, five, 0, "body seed 3 over section seed 5 vs seed 5");
    free(own), free(three), free(five);
}
END_TEST

/* Bad input, refused before any step: exit 1, one line on stderr naming
 * the file (and line where it has one) and the key or reason, nothing on
 * stdout. {body: "hexapod" | "swimmer", body lines, top block, expected}. */
static const struct { int swimmer; const char *body, *top, *want; } bad[] = {
    {0, "", "arena: {fil: rocks.xml}", "bad.yaml:1:9: arena: unknown key 'fil' (expected one of: file, terrain"},
    {0, "", "arena: [rocks.xml]", "bad.yaml:1:8: arena: expected a mapping"},
    {0, "", "arena: {terrain: noise, size: [-3, 3, 0.03, 0.05]}", "bad.yaml:1:32: arena.size[0]: -3 is out of range"},
    {1, "", "arena: {terrain: noise, size: [3, 3, 0, 0.05]}", "bad.yaml:1:38: arena.size[2]: 0 is out of range"},
    {0, "", "arena: {terrain: rough}", "bad.yaml:1:18: arena.terrain: 'rough' is not one of flat|image|noise"},
    {1, "", "arena: {file: nowhere.xml}", "bad.yaml:1:15: arena.file: "},
    {1, "", "arena: {terrain: image, image: notpng.png}", "PNG"},
    {0, "", "arena: {terrain: image, image: notpng.png}", "PNG"},
    {1, "", "arena: {file: inside.xml}", "starts inside obstacle 'boulder'"},
    {1, "    camera: true\n    camera_size: [0, 16, 3]\n", "", "camera_size[0]: 0 is out of range [1, 1024]"},
    {1, "    camera: true\n    camera_size: [16, 100000, 3]\n", "", "camera_size[1]: 100000 is out of range [1, 1024]"},
    {1, "    camera: true\n    camera_size: [16, 16, 2]\n", "",
     "camera_size[2]: channels 2 must be 3 (RGB) or 1 (grey)"},
    {1, "    camera: true\n    camera_size: [16.5, 16, 3]\n", "", "camera_size[0] = 16.5 is not a whole number"},
    {1, "    camera: true\n    camera_size: [16, 16]\n", "", "camera_size needs 3 values"},
    /* files the MJCF names that MuJoCo would block on or read without end, refused before it opens them */
    {1, "", "arena: {file: fifo-include.xml}", "fifo-include.xml: file \"pipe\" (/"},
    {0, "", "arena: {file: fifo-include.xml}", "fifo-include.xml: file \"pipe\" (/"},
    {1, "", "arena: {file: fifo-mesh.xml}", "fifo-mesh.xml: file \"pipe\" (/"},
    {1, "", "arena: {file: fifo-include.xml}", "/pipe) is a FIFO, socket or device, not a regular file"},
    {1, "", "arena: {file: zero-texture.xml}", "file \"/dev/zero\" (/dev/zero) is a FIFO, socket or device"},
    {1, "", "arena: {terrain: image, image: huge.png}", "huge.png: a PNG of 100000 x 100000 pixels (at most 16777216)"},
    {0, "", "arena: {file: huge-texture.xml}", "huge.png: a PNG of 100000 x 100000 pixels (at most 16777216)"},
    {1, "", "arena: {file: huge-hfield.xml}", "huge-hfield.xml: hfield of 100000 x 100000 cells (at most 16777216)"},
    /* a terrain whose starting contacts overflow MuJoCo's buffer: check passed and run failed at step 0 */
    {0, "", "arena: {terrain: noise, cells: 1024}", "the starting pose already has more contacts than MuJoCo's"},
};

START_TEST(test_bad) {
    const char *dir = tmp();
    proc_write(dir, "notpng.png", "not a png at all");
    proc_out q = proc_run("cd %s && rm -f pipe && mkfifo pipe && "
                          "printf '\\211PNG\\r\\n\\032\\n\\0\\0\\0\\rIHDR"
                          "\\0\\1\\206\\240\\0\\1\\206\\240\\10\\0\\0\\0\\0' > huge.png",
                          dir);
    ck_assert_int_eq(q.status, 0);
    proc_free(&q);
    proc_write(dir, "fifo-include.xml", "<mujoco><include file=\"pipe\"/></mujoco>\n");
    proc_write(dir, "fifo-mesh.xml", "<mujoco><asset><mesh name=\"m\" file=\"pipe\"/></asset></mujoco>\n");
    proc_write(dir, "zero-texture.xml", "<mujoco><asset><texture name=\"t\" type=\"2d\" file=\"/dev/zero\"/>"
                                        "</asset></mujoco>\n");
    proc_write(dir, "huge-texture.xml", "<mujoco><asset><texture name=\"t\" type=\"2d\" file=\"huge.png\"/>"
                                        "</asset></mujoco>\n");
    proc_write(dir, "huge-hfield.xml", "<mujoco><asset><hfield name=\"h\" nrow=\"100000\" ncol=\"100000\" "
                                       "size=\"1 1 1 1\"/></asset></mujoco>\n");
    proc_write(dir, "inside.xml", "<mujoco><worldbody><geom name=\"boulder\" type=\"box\" size=\".1 .1 .2\" "
                                  "pos=\"0 .2 .05\"/></worldbody></mujoco>\n");
    const char *f = bad[_i].swimmer ? swimmer_yaml("bad.yaml", bad[_i].body, bad[_i].top)
                                    : hexapod_yaml("bad.yaml", bad[_i].body, bad[_i].top);
    for (int check = 0; check < 2; check++) {
        proc_out p = proc_run("cd %s && %s %s %s --quiet", dir, env("ANIMAT_EXE"), check ? "check" : "run", f);
        ck_assert_msg(p.status == 1, "case %d: status %d: %s", _i, p.status, p.err);
        ck_assert_msg(proc_lines(p.err) == 1, "case %d: %s", _i, p.err);
        ck_assert_msg(strstr(p.err, bad[_i].want), "case %d: want '%s', got: %s", _i, bad[_i].want, p.err);
        ck_assert_msg(strncmp(p.err, "error: ", 7) == 0, "case %d: %s", _i, p.err);
        ck_assert_str_eq(p.out, "");
        proc_free(&p);
    }
}
END_TEST

/* The mjcf body's own model is scanned as an arena is: a model including
 * a FIFO is refused in one line instead of blocking in MuJoCo's fopen. */
START_TEST(test_model_fifo) {
    const char *dir = tmp();
    proc_out p = proc_run("cd %s && rm -f pipe && mkfifo pipe", dir);
    ck_assert_int_eq(p.status, 0);
    proc_free(&p);
    proc_write(dir, "m.xml", "<mujoco><include file=\"pipe\"/></mujoco>\n");
    const char *f = proc_write(dir, "m.yaml", "name: m\nbody: {plugin: mjcf, params: {model: m.xml}}\n"
                                              "circuit: {plugin: cpg}\n"
                                              "wiring: [\"circuit.out.rhythm -> body.act.motors\"]\n");
    p = proc_run("cd %s && timeout 60 %s check %s", dir, env("ANIMAT_EXE"), f);
    ck_assert_msg(p.status == 1 && proc_lines(p.err) == 1, "status %d: %s", p.status, p.err);
    ck_assert_msg(strstr(p.err, "m.xml: file \"pipe\" ("), "%s", p.err);
    ck_assert_msg(strstr(p.err, "/pipe) is a FIFO, socket or device, not a regular file"), "%s", p.err);
    proc_free(&p);
}
END_TEST

/* A body that takes no arena next to an arena: section is refused, naming
 * the body and its plugin. */
START_TEST(test_body_without_arena) {
    const char *dir = tmp();
    char *ex = NULL;
    char path[1024];
    snprintf(path, sizeof path, "%s/examples/reacher2-mlp.yaml", env("ANIMAT_SRC"));
    ex = proc_slurp(path);
    ck_assert_ptr_nonnull(ex);
    char *text = malloc(strlen(ex) + 64);
    sprintf(text, "arena: {terrain: noise}\n%s", ex);
    const char *f = proc_write(dir, "reach.yaml", text);
    proc_out p = proc_run("cd %s && %s check %s", dir, env("ANIMAT_EXE"), f);
    ck_assert_int_eq(p.status, 1);
    ck_assert_int_eq(proc_lines(p.err), 1);
    ck_assert_msg(strstr(p.err, "reach.yaml:1:1: arena: body 'body' (plugin reacher2) takes no arena"), "%s", p.err);
    proc_free(&p);
    free(text);
    free(ex);
}
END_TEST

/* Neither the camera nor contacts with an arena the swimmer never reaches
 * change its physics: swimmer-ncap.yaml's returns with a 16 x 16 eye, and
 * with a box 28 m away (contacts on), are those without (801.283, 792.833,
 * 791.063). */
static const char *const unchanged[] = {"--set body.params.camera=true", "--set arena.file=far.xml"};

START_TEST(test_same_returns) {
    const char *dir = tmp();
    proc_write(dir, "far.xml", "<mujoco><worldbody><geom name=\"far\" type=\"box\" size=\".1 .1 .1\" "
                               "pos=\"20 20 .1\"/></worldbody></mujoco>\n");
    proc_out p = proc_run("cd %s && %s run %s/examples/swimmer-ncap.yaml --quiet %s", dir, env("ANIMAT_EXE"),
                          env("ANIMAT_SRC"), unchanged[_i]);
    ck_assert_msg(p.status == 0, "%s", p.err);
    ck_assert_msg(strstr(p.out, "mean return 795.060 (min 791.063, max 801.283)"), "%s: %s", unchanged[_i], p.out);
    proc_free(&p);
}
END_TEST

/* The swimmer plugin, its entry's init called once as the host does. */
static const animat_plugin_desc *swimmer_desc(void) { return th_load_env_init("SWIMMER_SO"); }

/* Through the ABI: the eye port comes last, W*H*C values in [0, 1]
 * declared and observed; in the pool its pictures change as the swimmer
 * turns (walls, posts, floor: at least 3 distinct colours over the
 * episode), and a swimmer without camera has no such port. */
START_TEST(test_swimmer_eye) {
    const animat_plugin_desc *desc = swimmer_desc();
    const animat_body_api *d = desc->api;
    th_host *t = th_new(desc, "body", 1);
    char pool[1024];
    snprintf(pool, sizeof pool, "%s/bodies/swimmer/arenas/pool.xml", env("ANIMAT_SRC"));
    th_set_path(t, "arena", pool);
    th_set_real(t, "camera", 1);
    const double size[] = {8, 6, 3};
    th_set_list(t, "camera_size", size, 3);
    void *b = d->create(th_table(t));
    ck_assert_msg(b != NULL, "%s", th_last_error(t));
    uint32_t nin, nout;
    d->ports(b, ANIMAT_PORT_IN, &nin);
    const animat_port_info *pout = d->ports(b, ANIMAT_PORT_OUT, &nout);
    ck_assert_uint_eq(nin, 1);
    ck_assert_uint_eq(nout, 6);
    ck_assert_str_eq(pout[5].name, "eye");
    ck_assert_uint_eq(pout[5].size, 8 * 6 * 3);
    const animat_ports_ext *px = d->extension(b, ANIMAT_EXT_PORTS);
    const animat_port_values *v = px->values(b, ANIMAT_PORT_OUT, 5);
    ck_assert(v && v->lower == 0 && v->upper == 1);
    double *obs[6], act[5] = {0};
    for (uint32_t i = 0; i < nout; i++) obs[i] = calloc(pout[i].size, sizeof(double));
    ck_assert_int_eq(d->reset(b, 1, obs), ANIMAT_OK);
    double colours[16][3];
    int ncol = 0;
    for (int s = 0; s < 300; s++) {
        for (int j = 0; j < 5; j++) act[j] = sin(0.3 * s + j);
        const double *a[] = {act};
        animat_step_result r = {0};
        ck_assert_int_eq(d->step(b, a, obs, &r), ANIMAT_OK);
        for (uint32_t k = 0; k < 8 * 6; k++) {
            const double *c = obs[5] + 3 * k;
            for (int i = 0; i < 3; i++) ck_assert(c[i] >= 0 && c[i] <= 1);
            int seen = 0;
            for (int q = 0; q < ncol && !seen; q++) seen = !memcmp(colours[q], c, sizeof colours[q]);
            if (!seen && ncol < 16) memcpy(colours[ncol++], c, sizeof colours[0]);
        }
    }
    ck_assert_int_ge(ncol, 3);
    d->destroy(b);
    for (uint32_t i = 0; i < nout; i++) free(obs[i]);
    th_free(t);
    t = th_new(desc, "body", 1);
    b = d->create(th_table(t));
    ck_assert_ptr_nonnull(b);
    d->ports(b, ANIMAT_PORT_OUT, &nout);
    ck_assert_uint_eq(nout, 5);
    d->destroy(b);
    th_free(t);
}
END_TEST

int main(void) {
    Suite *s = suite_create("arena");
    TCase *c = tcase_create("section");
    tcase_set_timeout(c, 120);
    tcase_add_test(c, test_section_is_params);
    tcase_add_test(c, test_body_overrides);
    tcase_add_loop_test(c, test_bad, 0, (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(c, test_body_without_arena);
    tcase_add_test(c, test_model_fifo);
    suite_add_tcase(s, c);
    TCase *w = tcase_create("swimmer");
    tcase_set_timeout(w, 120);
    tcase_add_loop_test(w, test_same_returns, 0, 2);
    tcase_add_test(w, test_swimmer_eye);
    suite_add_tcase(s, w);
    return ck_run(s);
}
