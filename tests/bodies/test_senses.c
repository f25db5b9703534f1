/* test_senses.c -- suite "bodies": senses of the mjcf body (camera ports,
 * bodies/common/mjb_camera.h), through the ABI with the test host and
 * through the CLI. Environment (tests/bodies/meson.build): ANIMAT_SRC,
 * ANIMAT_EXE, MJCF_SO.
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

#define MAXPORT 48

/* Required environment variable (exit 77, skipped, when unset). */
static const char *env(const char *name) {
    const char *v = getenv(name);
    if (!v || !*v) {
        fprintf(stderr, "test_senses: %s is not set (run through meson test)\n", name);
        exit(77);
    }
    return v;
}

/* The test host of one instance. */
typedef struct shim {
    th_host *t;
} shim;

/* One mjcf instance with host-side port buffers. */
typedef struct inst {
    const animat_body_api *api;
    shim s;
    void *b;
    uint32_t nin, nout;
    const animat_port_info *pin, *pout;
    double *act[MAXPORT], *obs[MAXPORT];
} inst;

/* The mjcf plugin, its entry's init called once as the host does. */
static const animat_plugin_desc *mjcf_desc(void) { return th_load_env_init("MJCF_SO"); }

/* Create an instance of model `path` (absolute) with host seed `seed` and
 * camera_mode `mode`; x->b is NULL when create fails (th_last_error(x->s.t)
 * says why). */
static void inst_open_mode(inst *x, const char *path, uint64_t seed, const char *mode) {
    memset(x, 0, sizeof *x);
    x->api = mjcf_desc()->api;
    x->s.t = th_new(mjcf_desc(), "body", seed);
    th_set_choice(x->s.t, "camera_mode", mode);
    th_set_path(x->s.t, "model", path);
    x->b = x->api->create(th_table(x->s.t));
    if (!x->b) return;
    x->pin = x->api->ports(x->b, ANIMAT_PORT_IN, &x->nin);
    x->pout = x->api->ports(x->b, ANIMAT_PORT_OUT, &x->nout);
    ck_assert_uint_le(x->nout, MAXPORT);
    for (uint32_t i = 0; i < x->nin; i++) x->act[i] = calloc(x->pin[i].size, sizeof(double));
    for (uint32_t i = 0; i < x->nout; i++) x->obs[i] = calloc(x->pout[i].size, sizeof(double));
}

static void inst_open(inst *x, const char *path, uint64_t seed) { inst_open_mode(x, path, seed, "ray"); }

static void inst_close(inst *x) {
    if (x->b) x->api->destroy(x->b);
    for (uint32_t i = 0; i < x->nin; i++) free(x->act[i]);
    for (uint32_t i = 0; i < x->nout; i++) free(x->obs[i]);
    th_free(x->s.t);
}

/* Index of OUT port `name` (fails the test when absent). */
static int out_port(const inst *x, const char *name) {
    for (uint32_t i = 0; i < x->nout; i++)
        if (strcmp(x->pout[i].name, name) == 0) return (int)i;
    ck_abort_msg("no port %s", name);
    return -1;
}

/* The test model with two eyes (tests/bodies/models/eyes.xml). */
static const char *eyes_xml(void) {
    static char p[1024];
    snprintf(p, sizeof p, "%s/tests/bodies/models/eyes.xml", env("ANIMAT_SRC"));
    return p;
}

/* ---------------------------------------------------------------- cameras */

static const char *const modes[] = {"ray", "render"};

/* The declared cameras are ports of W*H*C values with bounds [0, 1]; at
 * reset the left eye (looking at the green post) sees green, the right eye
 * (the red post, in grey) sees 0.299 R, and both see more than one value:
 * by rays exactly the posts' colours (0 1 0) and 0.299 * 1, rendered the
 * lit colours. */
START_TEST(test_camera_ports) {
    inst x;
    inst_open_mode(&x, eyes_xml(), 1, modes[_i]);
    ck_assert_msg(x.b != NULL, "%s", th_last_error(x.s.t));
    int l = out_port(&x, "eye_left"), r = out_port(&x, "eye_right");
    ck_assert_uint_eq(x.pout[l].size, 8 * 6 * 3);
    ck_assert_uint_eq(x.pout[r].size, 16);
    const animat_ports_ext *pe = x.api->extension(x.b, ANIMAT_EXT_PORTS);
    ck_assert_ptr_nonnull(pe);
    for (int k = 0; k < 2; k++) {
        const animat_port_values *v = pe->values(x.b, ANIMAT_PORT_OUT, (uint32_t)(k ? r : l));
        ck_assert_ptr_nonnull(v);
        ck_assert_double_eq(v->lower, 0.0);
        ck_assert_double_eq(v->upper, 1.0);
    }
    ck_assert_int_eq(x.api->reset(x.b, 0, x.obs), ANIMAT_OK);
    const double *L = x.obs[l], *R = x.obs[r];
    /* the middle row's middle pixel of the left eye: the green post */
    const double *px = L + (3 * 8 + 4) * 3;
    if (_i == 0) {
        ck_assert(px[0] == 0.0 && px[1] == 1.0 && px[2] == 0.0);
        ck_assert_double_eq_tol(R[8], 0.299, 1e-6);
    } else {
        ck_assert_msg(px[1] > 0.3 && px[1] > 2 * px[0] && px[1] > 2 * px[2], "left eye centre %g %g %g", px[0], px[1],
                      px[2]);
        /* the right eye's facet 8 sees the red post's side, dimly lit: 0.299 R <= 0.3 */
        ck_assert_msg(R[8] > 0.01 && R[8] <= 0.3 + 1e-9, "right eye centre %g", R[8]);
    }
    double lo = 1, hi = 0;
    for (int i = 0; i < 144; i++) {
        ck_assert(L[i] >= 0 && L[i] <= 1);
        lo = fmin(lo, L[i]), hi = fmax(hi, L[i]);
    }
    ck_assert_msg(hi - lo > 0.2, "left eye is flat: %g .. %g", lo, hi);
    inst_close(&x);
}
END_TEST

/* Two instances with the same seed, driven alike, see the same pictures
 * bit for bit in every step; the pictures change as the body turns; a
 * second reset gives the first picture again. */
START_TEST(test_camera_deterministic) {
    inst a, b;
    inst_open_mode(&a, eyes_xml(), 7, modes[_i]);
    inst_open_mode(&b, eyes_xml(), 7, modes[_i]);
    ck_assert_ptr_nonnull(a.b);
    ck_assert_ptr_nonnull(b.b);
    int l = out_port(&a, "eye_left");
    size_t n = a.pout[l].size;
    double first[144];
    ck_assert_int_eq(a.api->reset(a.b, 0, a.obs), ANIMAT_OK);
    ck_assert_int_eq(b.api->reset(b.b, 0, b.obs), ANIMAT_OK);
    memcpy(first, a.obs[l], n * sizeof(double));
    int changed = 0;
    animat_step_result ra = {.struct_size = sizeof ra}, rb = ra;
    for (int t = 0; t < 40; t++) {
        for (int j = 0; j < 2; j++) a.act[0][j] = b.act[0][j] = sin(0.3 * t + j);
        ck_assert_int_eq(a.api->step(a.b, (const double *const *)a.act, a.obs, &ra), ANIMAT_OK);
        ck_assert_int_eq(b.api->step(b.b, (const double *const *)b.act, b.obs, &rb), ANIMAT_OK);
        for (uint32_t p = 0; p < a.nout; p++)
            ck_assert_msg(memcmp(a.obs[p], b.obs[p], a.pout[p].size * sizeof(double)) == 0, "step %d port %s differs",
                          t, a.pout[p].name);
        changed += memcmp(a.obs[l], first, n * sizeof(double)) != 0;
    }
    ck_assert_int_gt(changed, 20);
    ck_assert_int_eq(a.api->reset(a.b, 0, a.obs), ANIMAT_OK);
    ck_assert(memcmp(a.obs[l], first, n * sizeof(double)) == 0);
    inst_close(&a);
    inst_close(&b);
}
END_TEST

/* A copy of eyes.xml with the left eye's declaration replaced by `decl`,
 * written to `dir`; returns its path (static buffer). */
static const char *eyes_variant(const char *dir, const char *decl) {
    char *s = proc_slurp(eyes_xml());
    ck_assert_ptr_nonnull(s);
    const char *old = "<numeric name=\"animat.camera.eye_left\" data=\"8 6 3\"/>";
    char *at = strstr(s, old);
    ck_assert_ptr_nonnull(at);
    size_t cap = strlen(s) + strlen(decl) + 1;
    char *o = malloc(cap);
    snprintf(o, cap, "%.*s%s%s", (int)(at - s), s, decl, at + strlen(old));
    const char *p = proc_write(dir, "bad_eyes.xml", o);
    free(s);
    free(o);
    return p;
}

/* Bad declarations are refused at create with one line naming the file
 * and the key: sizes 0 and 10^5, a fractional size, wrong channel count,
 * wrong arity, a camera the model lacks, a port name clash. */
static const struct { const char *decl, *expect; } bad_cams[] = {
    {"<numeric name=\"animat.camera.eye_left\" data=\"0 6 3\"/>", "width 0 is not a whole number of pixels in [1, 1024]"},
    {"<numeric name=\"animat.camera.eye_left\" data=\"8 100000 3\"/>", "height 100000 is not a whole number"},
    {"<numeric name=\"animat.camera.eye_left\" data=\"8.5 6 3\"/>", "width 8.5 is not a whole number"},
    {"<numeric name=\"animat.camera.eye_left\" data=\"8 6 2\"/>", "channels 2 must be 3 (RGB) or 1 (grey)"},
    {"<numeric name=\"animat.camera.eye_left\" data=\"8 6\"/>", "data must be 3 numbers"},
    {"<numeric name=\"animat.camera.nose\" data=\"8 6 3\"/>", "the model has no <camera name=\"nose\">"},
    {"<numeric name=\"animat.camera.Eye\" data=\"8 6 3\"/>", "must be [a-z0-9_]+"},
};

START_TEST(test_camera_bad) {
    const char *dir = proc_tmpdir();
    const char *path = eyes_variant(dir, bad_cams[_i].decl);
    inst x;
    inst_open(&x, path, 1);
    ck_assert_ptr_null(x.b);
    const char *e = th_last_error(x.s.t);
    ck_assert_msg(strstr(e, path) && strstr(e, "animat.camera.") && strstr(e, bad_cams[_i].expect), "error: %s", e);
    ck_assert_ptr_null(strchr(e, '\n'));
    inst_close(&x);
}
END_TEST

/* Through the CLI: `animat run` refuses a size of 0 with exit 1 and one
 * line; plugin-check passes every check on the model with cameras. */
START_TEST(test_camera_cli) {
    const char *dir = proc_tmpdir();
    const char *model = eyes_variant(dir, bad_cams[0].decl);
    char text[2048];
    snprintf(text, sizeof text,
             "body: {plugin: mjcf, params: {model: %s}}\n"
             "circuit: {plugin: mlp, params: {hidden: [4]}}\n"
             "wiring: [body.obs.eye_right -> circuit.in.obs, circuit.out.act -> body.act.motors]\n",
             model);
    const char *f = proc_write(dir, "x.yaml", text);
    proc_out p = proc_run("cd %s && %s run %s --quiet", dir, env("ANIMAT_EXE"), f);
    ck_assert_int_eq(p.status, 1);
    ck_assert_int_eq(proc_lines(p.err), 1);
    ck_assert_msg(strstr(p.err, "animat.camera.eye_left: width 0"), "stderr: %s", p.err);
    proc_free(&p);
    p = proc_run("cd %s && %s plugin-check %s --set model=%s", dir, env("ANIMAT_EXE"), env("MJCF_SO"), eyes_xml());
    ck_assert_msg(p.status == 0 && strstr(p.out, " 0 failed"), "%s%s", p.out, p.err);
    proc_free(&p);
}
END_TEST

/* ------------------------------------------------------------------ touch */

/* Step x with actions lift, glue for `n` control steps; the box's height. */
static double push(inst *x, double lift, double glue, int n) {
    animat_step_result r = {.struct_size = sizeof r};
    x->act[0][0] = lift;
    x->act[1][0] = glue;
    for (int t = 0; t < n; t++) ck_assert_int_eq(x->api->step(x->b, (const double *const *)x->act, x->obs, &r), ANIMAT_OK);
    return x->obs[out_port(x, "height")][2];
}

/* tests/bodies/models/touch.xml: at rest the touch sensor and the contact
 * force of the box's group (1) and the floor's (0) read m g = 9.81 N, group
 * 2 (no geoms) 0; with the adhesion actuator on (20 N) a lift of 15 N
 * cannot raise the box, which presses with 9.81 + 20 - 15 N; without it
 * the lift raises the box and both read 0. */
START_TEST(test_touch_contact_adhesion) {
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/bodies/models/touch.xml", env("ANIMAT_SRC"));
    inst x;
    inst_open(&x, path, 1);
    ck_assert_msg(x.b != NULL, "%s", th_last_error(x.s.t));
    int touch = out_port(&x, "touch"), cf = out_port(&x, "contact_force");
    ck_assert_uint_eq(x.pout[cf].size, 3);
    ck_assert_str_eq(x.pout[cf].unit, "N");
    ck_assert_int_eq(x.api->reset(x.b, 0, x.obs), ANIMAT_OK);
    double z0 = push(&x, 0, 0, 20);
    ck_assert_double_eq_tol(x.obs[touch][0], 9.81, 0.1);
    ck_assert_double_eq_tol(x.obs[cf][0], 9.81, 0.1);
    ck_assert_double_eq_tol(x.obs[cf][1], 9.81, 0.1);
    ck_assert_double_eq(x.obs[cf][2], 0.0);
    double zglue = push(&x, 1, 1, 10);
    ck_assert_msg(fabs(zglue - z0) < 1e-3, "glued box moved from %g to %g", z0, zglue);
    ck_assert_double_eq_tol(x.obs[touch][0], 9.81 + 20 - 15, 0.2); /* weight + adhesion - lift */
    double zfree = push(&x, 1, 0, 10);
    ck_assert_msg(zfree > z0 + 0.01, "lifted box at %g, started at %g", zfree, z0);
    ck_assert_double_eq(x.obs[touch][0], 0.0);
    ck_assert_double_eq(x.obs[cf][0], 0.0);
    inst_close(&x);
}
END_TEST

static double example_return(const char *example, int steps, const char *extra);

/* ------------------------------------------------------------------ odour */

/* The shipped chemotaxis worm with its odour declaration replaced by
 * `decl` (NULL: unchanged), written to a fresh directory; its path. */
static const char *chemo_variant(const char *decl) {
    char src[1024];
    snprintf(src, sizeof src, "%s/bodies/mjcf/models/worm_chemo.xml", env("ANIMAT_SRC"));
    char *s = proc_slurp(src);
    ck_assert_ptr_nonnull(s);
    const char *old = "<numeric name=\"animat.odour.food\" data=\"0.4 1\"/>";
    char *at = strstr(s, old);
    ck_assert_ptr_nonnull(at);
    if (!decl) decl = old;
    size_t cap = strlen(s) + strlen(decl) + 1;
    char *o = malloc(cap);
    snprintf(o, cap, "%.*s%s%s", (int)(at - s), s, decl, at + strlen(old));
    const char *p = proc_write(proc_tmpdir(), "chemo.xml", o);
    free(s);
    free(o);
    return p;
}

/* smell = A exp(-r^2 / (2 s^2)) at each nose site: checked against the
 * distance from the sites' positions (read back through a second source
 * far away, which adds nothing) -- the left nose, nearer a food placed to
 * the worm's left, smells more. */
START_TEST(test_odour_field) {
    inst x;
    inst_open(&x, chemo_variant(NULL), 3);
    ck_assert_msg(x.b != NULL, "%s", th_last_error(x.s.t));
    int sm = out_port(&x, "smell"), tt = out_port(&x, "to_target"), hp = out_port(&x, "head_pos");
    ck_assert_uint_eq(x.pout[sm].size, 2);
    ck_assert_int_eq(x.api->reset(x.b, 0, x.obs), ANIMAT_OK);
    /* food = head site + to_target; the noses are 0.02 m either side of the
     * head's axis and 0.005 m behind the head site: compare with the head
     * site's own distance, within the noses' offset */
    double dx = x.obs[tt][0], dy = x.obs[tt][1], r = hypot(dx, dy);
    double c = exp(-r * r / (2 * 0.4 * 0.4));
    for (int k = 0; k < 2; k++) ck_assert_msg(fabs(x.obs[sm][k] - c) < 0.15 * c, "smell %g vs %g", x.obs[sm][k], c);
    /* the worm heads along -y at qpos0 (+- 0.1 rad): its left is +x */
    ck_assert_msg((x.obs[sm][0] > x.obs[sm][1]) == (dx > 0), "left %g right %g food dx %g (head %g)", x.obs[sm][0],
                  x.obs[sm][1], dx, x.obs[hp][0]);
    inst_close(&x);
}
END_TEST

static const struct { const char *decl, *expect; } bad_odour[] = {
    {"<numeric name=\"animat.odour.food\" data=\"-0.4 1\"/>", "spread -0.4 m and amplitude 1 must both be positive"},
    {"<numeric name=\"animat.odour.food\" data=\"0 1\"/>", "spread 0 m"},
    {"<numeric name=\"animat.odour.food\" data=\"0.4\"/>", "data must be 2 numbers"},
    {"<numeric name=\"animat.odour.nowhere\" data=\"0.4 1\"/>", "no <site name=\"nowhere\"> (the source)"},
    {"", "animat.smell names sites but the model has no odour source"},
};

/* Bad odour declarations: refused at create, one line naming file and key. */
START_TEST(test_odour_bad) {
    const char *path = chemo_variant(bad_odour[_i].decl);
    inst x;
    inst_open(&x, path, 1);
    ck_assert_ptr_null(x.b);
    const char *e = th_last_error(x.s.t);
    ck_assert_msg(strstr(e, path) && strstr(e, "animat.") && strstr(e, bad_odour[_i].expect), "error: %s", e);
    ck_assert_ptr_null(strchr(e, '\n'));
    inst_close(&x);
}
END_TEST

/* Chemotaxis (examples/worm-chemotaxis.yaml, 5 episodes of 500 steps):
 * steering up the gradient keeps the head nearer the food than no steering,
 * and steering down it farther (-310.4, -470.2 and -546.5 here). */
START_TEST(test_chemotaxis) {
    double up = example_return("worm-chemotaxis.yaml", 500, "");
    double none = example_return("worm-chemotaxis.yaml", 500, "--set circuits.steer.theta=[0,0,0]");
    double down = example_return("worm-chemotaxis.yaml", 500, "--set circuits.steer.theta=[100,-100,0]");
    ck_assert_msg(up > none + 80 && none > down + 30, "returns: up %g, none %g, down %g", up, none, down);
}
END_TEST

/* ----------------------------------------------------------------- arenas */

/* `animat run` of the hexapod example for 200 steps with EXTRA: its
 * output, status and stderr line count through *p (caller frees). */
static proc_out hexapod_run(const char *extra) {
    const char *dir = proc_tmpdir();
    return proc_run("cd %s && %s run %s/examples/hexapod-cpg.yaml --quiet --set run.max_steps=200 %s", dir,
                    env("ANIMAT_EXE"), env("ANIMAT_SRC"), extra);
}

/* Noise terrain: the same seed gives the same return (bit for bit in the
 * printed digits), another seed and the flat ground others; the rocks
 * arena loads and runs. */
START_TEST(test_arena_terrain) {
    const char *noise = "--set body.params.terrain=noise --set body.params.terrain_size=[3,3,0.03,0.05]";
    char a[512], b[512];
    snprintf(a, sizeof a, "%s --set body.params.terrain_seed=1", noise);
    snprintf(b, sizeof b, "%s --set body.params.terrain_seed=2", noise);
    proc_out r1 = hexapod_run(a), r1b = hexapod_run(a), r2 = hexapod_run(b), flat = hexapod_run("");
    char arena[1024];
    snprintf(arena, sizeof arena, "--set body.params.arena=%s/bodies/mjcf/arenas/rocks.xml", env("ANIMAT_SRC"));
    proc_out rocks = hexapod_run(arena);
    ck_assert_msg(r1.status == 0 && r2.status == 0 && flat.status == 0 && rocks.status == 0, "%s%s%s%s", r1.err, r2.err,
                  flat.err, rocks.err);
    /* the summary up to its timing */
    char *cut[] = {strchr(r1.out, ';'), strchr(r1b.out, ';'), strchr(r2.out, ';'), strchr(flat.out, ';')};
    for (int k = 0; k < 4; k++) {
        ck_assert_ptr_nonnull(cut[k]);
        *cut[k] = '\0';
    }
    ck_assert_str_eq(r1.out, r1b.out);
    ck_assert_str_ne(r1.out, r2.out);
    ck_assert_str_ne(r1.out, flat.out);
    proc_free(&r1);
    proc_free(&r1b);
    proc_free(&r2);
    proc_free(&flat);
    proc_free(&rocks);
}
END_TEST

/* Refused before any step, exit 1, one line: a terrain image that is not a
 * PNG (naming it), a body placed inside an obstacle (naming both). */
START_TEST(test_arena_bad) {
    const char *dir = proc_tmpdir();
    char png[900], inside[900]; /* proc_write's result is overwritten by the next call */
    snprintf(png, sizeof png, "%s", proc_write(dir, "terrain.png", "not a png at all"));
    snprintf(inside, sizeof inside, "%s", proc_write(dir, "inside.xml",
                                    "<mujoco><worldbody><geom name=\"boulder\" type=\"box\" size=\".2 .2 .2\" "
                                    "pos=\"0 0 .1\"/></worldbody></mujoco>\n"));
    char a[2048];
    snprintf(a, sizeof a, "--set body.params.terrain=image --set body.params.terrain_image=%s", png);
    proc_out p = hexapod_run(a);
    ck_assert_int_eq(p.status, 1);
    ck_assert_int_eq(proc_lines(p.err), 1);
    ck_assert_msg(strstr(p.err, "terrain.png") && strstr(p.err, "PNG"), "stderr: %s", p.err);
    ck_assert_str_eq(p.out, "");
    proc_free(&p);
    snprintf(a, sizeof a, "--set body.params.arena=%s", inside);
    p = hexapod_run(a);
    ck_assert_int_eq(p.status, 1);
    ck_assert_int_eq(proc_lines(p.err), 1);
    ck_assert_msg(strstr(p.err, "body 'torso' starts inside obstacle 'boulder'"), "stderr: %s", p.err);
    proc_free(&p);
}
END_TEST

/* The printed mean return of examples/worm-ncap.yaml, 1 episode of 300
 * steps, with EXTRA. */
static double worm_return(const char *extra) {
    char a[2048];
    snprintf(a, sizeof a, "--set run.episodes=1 %s", extra);
    return example_return("worm-ncap.yaml", 300, a);
}

/* Medium regions (animat.rft_regions): a region over the whole world with
 * ratio 10 gives the return of rft_ratio 10 everywhere (to rounding: the
 * rotational drag is scaled, not recomputed), a region the worm never
 * enters changes nothing, bit for bit in the printed digits; one over the
 * worm's front half (y < 0.2 m) changes its return; the shipped agar patch
 * loads and runs. */
START_TEST(test_arena_rft_regions) {
    const char *dir = proc_tmpdir();
    char all[900], far[900], half[900], a[1200];
    snprintf(half, sizeof half, "%s", proc_write(dir, "half.xml", "<mujoco><custom><numeric name=\"animat.rft_regions\" "
                                                            "data=\"-10 10 -10 0.2 10\"/></custom></mujoco>\n"));
    snprintf(all, sizeof all, "%s", proc_write(dir, "all.xml", "<mujoco><custom><numeric name=\"animat.rft_regions\" "
                                                          "data=\"-100 100 -100 100 10\"/></custom></mujoco>\n"));
    snprintf(far, sizeof far, "%s", proc_write(dir, "far.xml", "<mujoco><custom><numeric name=\"animat.rft_regions\" "
                                                          "data=\"50 60 50 60 10\"/></custom></mujoco>\n"));
    double water = worm_return(""), agar = worm_return("--set body.params.rft_ratio=10");
    snprintf(a, sizeof a, "--set body.params.arena=%s", all);
    double region_all = worm_return(a);
    snprintf(a, sizeof a, "--set body.params.arena=%s", far);
    double region_far = worm_return(a);
    snprintf(a, sizeof a, "--set body.params.arena=%s/bodies/mjcf/arenas/agar_patch.xml", env("ANIMAT_SRC"));
    double patch = worm_return(a);
    snprintf(a, sizeof a, "--set body.params.arena=%s", half);
    double front = worm_return(a);
    ck_assert_msg(fabs(water - agar) > 1, "water %g agar %g", water, agar);
    ck_assert_msg(fabs(region_all - agar) < 0.01, "region everywhere %g vs rft_ratio 10 %g", region_all, agar);
    ck_assert_double_eq(region_far, water);
    ck_assert_msg(fabs(front - water) > 0.5, "front half in agar %g vs water %g", front, water);
    ck_assert_msg(isfinite(patch), "agar patch %g", patch);
}
END_TEST

/* ---------------------------------------------------------------- animals */

/* The mean return of `animat run EXAMPLE --set run.max_steps=N [EXTRA]`. */
static double example_return(const char *example, int steps, const char *extra) {
    const char *dir = proc_tmpdir();
    proc_out p = proc_run("cd %s && %s run %s/examples/%s --quiet --set run.max_steps=%d %s", dir, env("ANIMAT_EXE"),
                          env("ANIMAT_SRC"), example, steps, extra);
    ck_assert_msg(p.status == 0, "%s: %s", example, p.err);
    const char *m = strstr(p.out, "mean return ");
    ck_assert_msg(m != NULL, "%s: %s", example, p.out);
    double r = strtod(m + strlen("mean return "), NULL);
    proc_free(&p);
    return r;
}

/* Each shipped animal moves forward under its CPG example (returns are 10
 * x the distance in m along its forward direction) and does not without
 * it (amp 0): lamprey 483.5 in 250 steps (5 s), zebrafish 259.5, hexapod
 * 433.0 in 500 steps (10 s). */
static const struct { const char *example; int steps; double min; } animals[] = {
    {"lamprey-cpg.yaml", 250, 400},
    {"zebrafish-cpg.yaml", 250, 200},
    {"hexapod-cpg.yaml", 500, 300},
};

START_TEST(test_animal_moves) {
    double r = example_return(animals[_i].example, animals[_i].steps, "");
    ck_assert_msg(r > animals[_i].min, "%s: return %g", animals[_i].example, r);
    double still = example_return(animals[_i].example, animals[_i].steps, "--set circuit.params.amp=0");
    ck_assert_msg(fabs(still) < 1, "%s without drive: return %g", animals[_i].example, still);
}
END_TEST

int main(void) {
    Suite *s = suite_create("senses");
    TCase *c = tcase_create("camera");
    tcase_set_timeout(c, 120);
    tcase_add_loop_test(c, test_camera_ports, 0, 2);
    tcase_add_loop_test(c, test_camera_deterministic, 0, 2);
    tcase_add_loop_test(c, test_camera_bad, 0, (int)(sizeof bad_cams / sizeof bad_cams[0]));
    tcase_add_test(c, test_camera_cli);
    suite_add_tcase(s, c);
    TCase *t = tcase_create("touch");
    tcase_add_test(t, test_touch_contact_adhesion);
    suite_add_tcase(s, t);
    TCase *o = tcase_create("odour");
    tcase_add_test(o, test_odour_field);
    tcase_add_loop_test(o, test_odour_bad, 0, (int)(sizeof bad_odour / sizeof bad_odour[0]));
    tcase_add_test(o, test_chemotaxis);
    tcase_set_timeout(o, 120);
    suite_add_tcase(s, o);
    TCase *ar = tcase_create("arenas");
    tcase_set_timeout(ar, 120);
    tcase_add_test(ar, test_arena_terrain);
    tcase_add_test(ar, test_arena_bad);
    tcase_add_test(ar, test_arena_rft_regions);
    suite_add_tcase(s, ar);
    TCase *a = tcase_create("animals");
    tcase_set_timeout(a, 120);
    tcase_add_loop_test(a, test_animal_moves, 0, (int)(sizeof animals / sizeof animals[0]));
    suite_add_tcase(s, a);
    return ck_run(s);
}
