/* test_bodies.c -- suite "bodies": the mjcf and reacher2 body plugins, the
 * shipped organisms, and the swimmer's media.
 *
 * Two views, as test_swimmer.c: plugins loaded through the ABI with the test
 * host (ports, error messages, rewards), and the animat CLI end to end
 * (plugin-check, traces, returns). CLI runs happen in a fresh temporary
 * directory, so a MUJOCO_LOG.TXT written by anything would be seen.
 * Environment (tests/bodies/meson.build): ANIMAT_SRC, ANIMAT_EXE, MJCF_SO,
 * REACHER2_SO, SWIMMER_SO.
 */
#include <check.h>
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mujoco/mujoco.h>

#include "ck_run.h"
#include "proc.h"
#include "testhost.h"

#define MAXPORT 40

/* ---------------------------------------------------------------- helpers */

/* Required environment variable (aborts the binary when unset). */
static const char *env(const char *name) {
    const char *v = getenv(name);
    if (!v || !*v) {
        fprintf(stderr, "test_bodies: %s is not set (run through meson test)\n", name);
        exit(77);
    }
    return v;
}

/* The test host of one instance (th_set_* on ->t before inst_open). */
typedef struct shim {
    th_host *t;
} shim;

/* One plugin instance with host-side buffers. */
typedef struct inst {
    const animat_body_api *api;
    shim *s;
    void *b;
    uint32_t nin, nout;
    const animat_port_info *pin, *pout;
    double *act[MAXPORT], *obs[MAXPORT];
} inst;

/* A host for plugin `so_env` with `model` ("" = unset, or a path relative
 * to ANIMAT_SRC). Parameters at defaults; set more with th_set_* on ->t. */
static shim *shim_new(const char *so_env, const char *model) {
    shim *s = calloc(1, sizeof *s);
    s->t = th_new(th_load_env_init(so_env), "body", 0);
    if (*model) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", env("ANIMAT_SRC"), model);
        th_set_path(s->t, "model", path);
    }
    return s;
}

/* Create the instance (NULL b on failure) and allocate its port buffers. */
static void inst_open(inst *x, const char *so_env, shim *s) {
    memset(x, 0, sizeof *x);
    x->api = th_load_env(so_env)->api;
    x->s = s;
    x->b = x->api->create(th_table(s->t));
    if (!x->b) return;
    x->pin = x->api->ports(x->b, ANIMAT_PORT_IN, &x->nin);
    x->pout = x->api->ports(x->b, ANIMAT_PORT_OUT, &x->nout);
    ck_assert_uint_le(x->nin, MAXPORT);
    ck_assert_uint_le(x->nout, MAXPORT);
    for (uint32_t i = 0; i < x->nin; i++) x->act[i] = calloc(x->pin[i].size, sizeof(double));
    for (uint32_t i = 0; i < x->nout; i++) x->obs[i] = calloc(x->pout[i].size, sizeof(double));
}

/* Destroy the instance, free its buffers, its shim and test host. */
static void inst_close(inst *x) {
    if (x->b) x->api->destroy(x->b);
    for (uint32_t i = 0; i < x->nin; i++) free(x->act[i]);
    for (uint32_t i = 0; i < x->nout; i++) free(x->obs[i]);
    th_free(x->s->t);
    free(x->s);
}

/* One expected port: name and size. */
typedef struct want { const char *name; uint32_t size; } want;

/* The ports of direction `dir` are exactly `w` (names, sizes, order). */
static void assert_ports(const animat_port_info *p, uint32_t n, const want *w, uint32_t nw) {
    ck_assert_uint_eq(n, nw);
    for (uint32_t i = 0; i < n; i++) {
        ck_assert_str_eq(p[i].name, w[i].name);
        ck_assert_uint_eq(p[i].size, w[i].size);
    }
}

/* No MuJoCo log in the test's working directory or in `dir`. */
static void assert_no_log(const char *dir) {
    char path[1024];
    struct stat st;
    ck_assert_msg(stat("MUJOCO_LOG.TXT", &st) != 0, "MUJOCO_LOG.TXT written to the working directory");
    snprintf(path, sizeof path, "%s/MUJOCO_LOG.TXT", dir);
    ck_assert_msg(stat(path, &st) != 0, "MUJOCO_LOG.TXT written to %s", dir);
}

/* Run the CLI in a fresh directory: "animat ARGS" (ARGS may use %s for
 * ANIMAT_SRC once). The directory is returned through *dir. */
static proc_out cli(const char **dir, const char *args) {
    *dir = proc_tmpdir();
    char a[4096];
    snprintf(a, sizeof a, args, env("ANIMAT_SRC"));
    return proc_run("cd %s && %s %s", *dir, env("ANIMAT_EXE"), a);
}

/* The "mean return X" of a run's summary line. */
static double mean_return(const char *out) {
    const char *p = strstr(out, "mean return ");
    ck_assert_msg(p != NULL, "no summary in: %s", out);
    return strtod(p + strlen("mean return "), NULL);
}

/* A file without its '#' comment lines (caller frees). */
static char *data_lines(const char *path) {
    char *s = proc_slurp(path), *o = s, *w = s;
    ck_assert_ptr_nonnull(s);
    while (*o) {
        char *nl = strchr(o, '\n');
        size_t len = nl ? (size_t)(nl - o + 1) : strlen(o);
        if (*o != '#') { memmove(w, o, len); w += len; }
        o += len;
    }
    *w = '\0';
    return s;
}

/* ------------------------------------------------------------ mjcf: ports */

/* Ports of every shipped model, names, sizes and order. */
START_TEST(test_mjcf_ports_shipped) {
    static const want sw_in[] = {{"motors", 5}};
    static const want sw_out[] = {{"joints", 5}, {"head_vel", 3}, {"head_gyro", 3}, {"velocimeter", 15},
                                  {"gyro", 15}, {"obs", 41}, {"speed", 1}, {"position", 2}};
    static const want wo_in[] = {{"muscles", 11}};
    static const want wo_out[] = {{"joints", 11}, {"head_pos", 3}, {"obs", 14}, {"speed", 1}, {"position", 2}};
    static const want wa_in[] = {{"motors", 8}};
    static const want wa_out[] = {{"joints", 8}, {"joint_vel", 8}, {"torso_vel", 3}, {"torso_gyro", 3},
                                  {"torso_up", 3}, {"obs", 25}, {"speed", 1}, {"position", 2}};
    static const want de_in[] = {{"motors", 2}};
    static const want de_out[] = {{"joints", 2}, {"obs", 2}, {"speed", 1}, {"position", 2}};
    static const struct { const char *model; const want *in, *out; uint32_t nin, nout; } c[] = {
        {"bodies/mjcf/models/swimmer6.xml", sw_in, sw_out, 1, 8},
        {"bodies/mjcf/models/worm.xml", wo_in, wo_out, 1, 5},
        {"bodies/mjcf/models/walker.xml", wa_in, wa_out, 1, 8},
        {"", de_in, de_out, 1, 4},
    };
    for (size_t k = 0; k < sizeof c / sizeof c[0]; k++) {
        inst x;
        inst_open(&x, "MJCF_SO", shim_new("MJCF_SO", c[k].model));
        ck_assert_msg(x.b != NULL, "%s: %s", c[k].model, th_last_error(x.s->t));
        assert_ports(x.pin, x.nin, c[k].in, c[k].nin);
        assert_ports(x.pout, x.nout, c[k].out, c[k].nout);
        ck_assert_uint_eq(x.pout[c[k].nout - 2].flags, ANIMAT_PORT_METRIC); /* speed, then position */
        if (*c[k].model) { /* against MuJoCo's own count of the file */
            char path[1024], err[1000];
            snprintf(path, sizeof path, "%s/%s", env("ANIMAT_SRC"), c[k].model);
            mjModel *m = mj_loadXML(path, NULL, err, (int)sizeof err);
            ck_assert_msg(m != NULL, "%s", err);
            uint32_t nin = 0, nsen = 0;
            for (uint32_t i = 0; i < x.nin; i++) nin += x.pin[i].size;
            for (uint32_t i = 0; i + 3 < x.nout; i++) nsen += x.pout[i].size; /* sensor groups (then obs, speed, position) */
            ck_assert_uint_eq(nin, (uint32_t)m->nu);
            ck_assert_uint_eq(nsen, (uint32_t)m->nsensordata);
            ck_assert_uint_eq(x.pout[c[k].nout - 3].size, (uint32_t)m->nsensordata); /* obs */
            for (int i = 0; i < m->nu && i < 5; i++) /* stems of the first actuators */
                ck_assert(strncmp(mj_id2name(m, mjOBJ_ACTUATOR, i), x.pin[0].name, strlen(x.pin[0].name)) == 0);
            mj_deleteModel(m);
        }
        inst_close(&x);
    }
}
END_TEST

/* obs_qpos/obs_qvel add ports, and the elements are the model's values in
 * model order: worm joints_i is joint_i's angle, qpos is d->qpos. */
START_TEST(test_mjcf_port_values) {
    shim *s = shim_new("MJCF_SO", "bodies/mjcf/models/worm.xml");
    th_set_real(s->t, "obs_qpos", 1);
    th_set_real(s->t, "obs_qvel", 1);
    th_set_choice(s->t, "init", "joints");
    inst x;
    inst_open(&x, "MJCF_SO", s);
    ck_assert_ptr_nonnull(x.b);
    static const want out[] = {{"joints", 11}, {"head_pos", 3}, {"obs", 14}, {"qpos", 14}, {"qvel", 14}, {"speed", 1},
                               {"position", 2}};
    assert_ports(x.pout, x.nout, out, 7);
    ck_assert_int_eq(x.api->reset(x.b, 1, x.obs), ANIMAT_OK);
    for (int i = 0; i < 11; i++) {
        ck_assert_double_eq(x.obs[0][i], x.obs[3][3 + i]); /* joint_i after rootx, rooty, rootz */
        ck_assert_double_eq(x.obs[2][i], x.obs[0][i]);
        ck_assert(fabs(x.obs[0][i]) <= M_PI / 3 + 1e-12 && x.obs[0][i] != 0.0); /* drawn in range */
    }
    ck_assert_double_eq(x.obs[4][0], 0.0);
    /* position: the head body's origin, 0.025 m from its "head" site
     * (head_pos) whatever the drawn heading (the worm lies in the plane) */
    ck_assert_double_eq_tol(hypot(x.obs[6][0] - x.obs[1][0], x.obs[6][1] - x.obs[1][1]), 0.025, 1e-12);
    inst_close(&x);
}
END_TEST

/* Reach, upright, control cost, alive bonus and height termination on
 * tests/bodies/models/reach_arm.xml, each against values read back from the
 * observations: reward = -2 |to_target| + 0.5 * 1 (the falling ball stays
 * upright) - 0.1 (u0^2 + u1^2) + 0.01 until the ball drops below 0.5 m,
 * which ends the episode at t = sqrt(2 * 0.5 / g) = 0.319 s. */
START_TEST(test_mjcf_task_terms) {
    shim *s = shim_new("MJCF_SO", "tests/bodies/models/reach_arm.xml");
    th_set_real(s->t, "physics_steps", 6); /* 0.03 s */
    th_set_real(s->t, "reach_weight", 2);
    th_set_real(s->t, "upright_weight", 0.5);
    th_set_real(s->t, "ctrl_cost", 0.1);
    th_set_real(s->t, "alive_bonus", 0.01);
    th_set_real(s->t, "min_height", 0.5);
    inst x;
    inst_open(&x, "MJCF_SO", s);
    ck_assert_msg(x.b != NULL, "%s", th_last_error(s->t));
    static const want out[] = {{"joints", 2}, {"obs", 2}, {"to_target", 3}, {"position", 2}};
    assert_ports(x.pout, x.nout, out, 4);
    ck_assert_int_eq(x.api->reset(x.b, 1, x.obs), ANIMAT_OK);
    /* at qpos0 the tip is at (0.2, 0, 0): the target lies in [0.1, 0.2] x [-0.1, 0.1] */
    double tx = x.obs[2][0] + 0.2, ty = x.obs[2][1];
    ck_assert(tx >= 0.1 && tx <= 0.2 && ty >= -0.1 && ty <= 0.1 && x.obs[2][2] == 0.0);
    x.act[0][0] = 0.3;
    x.act[0][1] = -0.4;
    animat_step_result r = {.struct_size = sizeof r};
    int k = 0;
    do {
        ck_assert_int_eq(x.api->step(x.b, (const double *const *)x.act, x.obs, &r), ANIMAT_OK);
        k++;
        const double *v = x.obs[2];
        double expect = -2.0 * sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]) + 0.5 - 0.1 * (0.09 + 0.16) +
                        (r.terminated ? 0.0 : 0.01);
        ck_assert_double_eq_tol(r.reward, expect, 1e-12);
    } while (!r.terminated && k < 100);
    ck_assert_int_eq(k, 11); /* 0.30 s: still above 0.5 m; 0.33 s: below */
    ck_assert_uint_eq(r.truncated, 0);
    inst_close(&x);
}
END_TEST

/* ----------------------------------------------------------- mjcf: errors */

/* Each bad model is refused in create with one line naming the file and
 * the reason; the unstable one fails in step naming MuJoCo's warning. */
START_TEST(test_mjcf_bad_models) {
    static const struct { const char *model, *expect; } c[] = {
        {"tests/bodies/models/no_actuators.xml", "the model has no actuators"},
        {"tests/bodies/models/malformed.xml", "MuJoCo: XML parse error"},
        {"tests/bodies/models/bad_task.xml", "custom text 'animat.forward_body' names body 'nobody'"},
    };
    for (size_t k = 0; k < 3; k++) {
        inst x;
        inst_open(&x, "MJCF_SO", shim_new("MJCF_SO", c[k].model));
        ck_assert_ptr_null(x.b);
        const char *e = th_last_error(x.s->t);
        ck_assert_msg(strstr(e, c[k].model) && strstr(e, c[k].expect), "error: %s", e);
        ck_assert_ptr_null(strchr(e, '\n'));
        inst_close(&x);
    }
    inst x;
    shim *s = shim_new("MJCF_SO", "tests/bodies/models/unstable.xml");
    th_set_real(s->t, "init_noise", 0.1);
    inst_open(&x, "MJCF_SO", s);
    ck_assert_ptr_nonnull(x.b);
    ck_assert_int_eq(x.api->reset(x.b, 1, x.obs), ANIMAT_OK);
    animat_step_result r = {.struct_size = sizeof r};
    ck_assert_int_eq(x.api->step(x.b, (const double *const *)x.act, x.obs, &r), ANIMAT_ERROR);
    const char *e = th_last_error(x.s->t);
    ck_assert_msg(strstr(e, "MuJoCo instability: bad qacc") != NULL, "error: %s", e);
    ck_assert_ptr_null(strchr(e, '\n'));
    inst_close(&x);
    assert_no_log(".");
}
END_TEST

/* Through the CLI: exit 1, exactly one line on stderr naming the file and
 * the reason, nothing on stdout, nothing written to the directory. */
START_TEST(test_mjcf_cli_errors) {
    static const struct { const char *model, *extra, *expect; } c[] = {
        {"nothere.xml", "", "No such file or directory"},
        {"no_actuators.xml", "", "the model has no actuators"},
        {"malformed.xml", "", "MuJoCo: XML parse error"},
        {"unstable.xml", ", init_noise: 0.1", "MuJoCo instability: bad qacc"},
    };
    for (size_t k = 0; k < sizeof c / sizeof c[0]; k++) {
        const char *dir = proc_tmpdir();
        char text[1024];
        snprintf(text, sizeof text,
                 "body: {plugin: mjcf, params: {model: %s/tests/bodies/models/%s%s}}\n"
                 "circuit: {plugin: mlp, params: {hidden: [4]}}\n"
                 "wiring: [body.obs.obs -> circuit.in.obs, circuit.out.act -> body.act.%s]\n",
                 env("ANIMAT_SRC"), c[k].model, c[k].extra, strcmp(c[k].model, "unstable.xml") ? "motors" : "push");
        const char *f = proc_write(dir, "x.yaml", text);
        proc_out p = proc_run("cd %s && %s run %s --quiet", dir, env("ANIMAT_EXE"), f);
        ck_assert_int_eq(p.status, 1);
        ck_assert_int_eq(proc_lines(p.err), 1);
        ck_assert_msg(strstr(p.err, c[k].model) || strcmp(c[k].model, "unstable.xml") == 0, "stderr: %s", p.err);
        ck_assert_msg(strstr(p.err, c[k].expect) != NULL, "stderr: %s", p.err);
        ck_assert_str_eq(p.out, "");
        assert_no_log(dir);
        proc_free(&p);
    }
}
END_TEST

/* ------------------------------------------------------------ plugin-check */

START_TEST(test_plugin_check) {
    const char *so[] = {env("MJCF_SO"), env("REACHER2_SO"), env("SWIMMER_SO")};
    for (int k = 0; k < 3; k++) {
        const char *dir;
        char args[1024];
        snprintf(args, sizeof args, "plugin-check %s", so[k]);
        proc_out p = cli(&dir, args);
        ck_assert_msg(p.status == 0 && strstr(p.out, "14 passed, 0 failed"), "%s: %s%s", so[k], p.out, p.err);
        assert_no_log(dir);
        proc_free(&p);
    }
}
END_TEST

/* ------------------------------------------------------ end-to-end runs */

/* dm_control's swimmer as an MJCF file through mjcf gives the swimmer
 * plugin's trace byte for byte (joints, muscles, reward at every step; the
 * comment lines name different plugins), hence the same returns. */
START_TEST(test_mjcf_swimmer_matches_plugin) {
    const char *dir;
    proc_out a = cli(&dir, "run %s/examples/swimmer-ncap.yaml --trace plugin.csv");
    ck_assert_int_eq(a.status, 0);
    char pa[1024], pb[1024];
    snprintf(pa, sizeof pa, "%s/plugin.csv", dir);
    proc_out b = proc_run("cd %s && %s run %s/examples/mjcf-swimmer-ncap.yaml --trace mjcf.csv", dir,
                          env("ANIMAT_EXE"), env("ANIMAT_SRC"));
    ck_assert_int_eq(b.status, 0);
    snprintf(pb, sizeof pb, "%s/mjcf.csv", dir);
    char *ta = data_lines(pa), *tb = data_lines(pb);
    ck_assert_int_eq(proc_lines(ta), 3 * 1000 + 1); /* header + 1000 steps x 3 (step 0 is the reset) */
    ck_assert_str_eq(ta, tb);
    ck_assert_double_eq(mean_return(a.out), mean_return(b.out));
    ck_assert_double_eq_tol(mean_return(a.out), 795.060, 5e-4); /* README's figure */
    free(ta);
    free(tb);
    proc_free(&a);
    proc_free(&b);
}
END_TEST

/* The worm under NCAP: no net progress with isotropic drag (K = 1, RFT's
 * null case), forward in water (K = 1.5), faster on agar (K = 10). The
 * return is 10 x the mean forward speed in m/s x 1000 steps. */
START_TEST(test_worm_moves_forward) {
    static const double k[] = {1, 1.5, 10};
    double ret[3];
    for (int i = 0; i < 3; i++) {
        const char *dir;
        char args[512];
        snprintf(args, sizeof args, "run %%s/examples/worm-ncap.yaml --episodes 2 --quiet --set body.params.rft_ratio=%g", k[i]);
        proc_out p = cli(&dir, args);
        ck_assert_msg(p.status == 0, "%s", p.err);
        ret[i] = mean_return(p.out);
        assert_no_log(dir);
        proc_free(&p);
    }
    ck_assert_msg(fabs(ret[0]) < 2.0, "K=1 return %g", ret[0]);          /* |v| < 0.2 mm/s */
    ck_assert_msg(ret[1] > 20.0, "water return %g", ret[1]);              /* v > 2 mm/s */
    ck_assert_msg(ret[2] > 5.0 * ret[1], "agar %g vs water %g", ret[2], ret[1]);
}
END_TEST

/* examples/worm-gait.sh: NCAP's head oscillator fixes the frequency (period
 * 60 x 0.03 s: 0.556 Hz) in both media, and the body wave is shorter in
 * agar (K = 10) than in water (K = 1.5), as Fang-Yen et al. 2010 saw. */
START_TEST(test_worm_gait) {
    const char *dir = proc_tmpdir();
    proc_out p = proc_run("cd %s && %s/examples/worm-gait.sh %s", dir, env("ANIMAT_SRC"), env("ANIMAT_EXE"));
    ck_assert_msg(p.status == 0 && proc_lines(p.out) == 2, "%s%s", p.out, p.err);
    double f[2], wl[2], v[2];
    const char *line = p.out;
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(sscanf(strstr(line, "frequency"), "frequency %lf Hz wavelength %lf body lengths speed %lf",
                                &f[i], &wl[i], &v[i]), 3);
        line = strchr(line, '\n') + 1;
    }
    ck_assert_double_eq(f[0], 0.556);
    ck_assert_double_eq(f[1], 0.556);
    ck_assert_msg(wl[1] < wl[0] - 0.1, "wavelength water %g, agar %g", wl[0], wl[1]);
    ck_assert(v[0] > 0 && v[1] > v[0]);
    proc_free(&p);
}
END_TEST

/* The swimmer at its defaults still gives the README's returns, and in the
 * RFT medium it swims forward too (clamped reward > 0 every episode). */
START_TEST(test_swimmer_media) {
    const char *dir;
    proc_out p = cli(&dir, "run %s/examples/swimmer-ncap.yaml");
    ck_assert_int_eq(p.status, 0);
    ck_assert_ptr_nonnull(strstr(p.out, "episode 1/3  return 801.283"));
    ck_assert_ptr_nonnull(strstr(p.out, "episode 2/3  return 792.833"));
    ck_assert_ptr_nonnull(strstr(p.out, "episode 3/3  return 791.063"));
    proc_free(&p);
    /* the design parameters reach the model: explicit defaults change
     * nothing, other values change the returns */
    p = cli(&dir, "run %s/examples/swimmer-ncap.yaml --quiet --set body.params.link_length=0.1 --set body.params.link_radius=0.01");
    ck_assert_double_eq(mean_return(p.out), 795.06);
    proc_free(&p);
    p = cli(&dir, "run %s/examples/swimmer-ncap.yaml --quiet --set body.params.link_length=0.15");
    ck_assert_double_eq(mean_return(p.out), 356.722);
    proc_free(&p);
    p = cli(&dir, "run %s/examples/swimmer-ncap.yaml --quiet --set body.params.link_radius=0.02");
    ck_assert_double_eq(mean_return(p.out), 547.387);
    proc_free(&p);
    p = cli(&dir, "run %s/examples/swimmer-ncap.yaml --set body.params.medium=rft --set body.params.rft_ratio=10");
    ck_assert_int_eq(p.status, 0);
    ck_assert_msg(mean_return(p.out) > 50.0, "%s", p.out);
    assert_no_log(dir);
    proc_free(&p);
}
END_TEST

/* Same seed, same trace, for every new body: two runs compared byte for
 * byte (data lines; the comments hold the same hashes but a run's own
 * command line). */
START_TEST(test_same_seed_same_trace) {
    static const char *const ex[] = {
        "worm-ncap.yaml --set body.params.rft_ratio=10",
        "walker-mlp-es.yaml",
        "mjcf-swimmer-ncap.yaml --set body.params.medium=rft",
        "swimmer-ncap.yaml --set body.params.medium=rft --set body.params.link_length=0.12",
        "reacher2-mlp.yaml",
        "reacher2-mlp.yaml --set body.params.task=hold --set body.params.reward=bounded",
    };
    for (size_t k = 0; k < sizeof ex / sizeof ex[0]; k++) {
        const char *dir = proc_tmpdir();
        char t[2][1024];
        for (int r = 0; r < 2; r++) {
            snprintf(t[r], sizeof t[r], "%s/t%d.csv", dir, r);
            proc_out p = proc_run("cd %s && %s run %s/examples/%s --episodes 2 --seed 7 --quiet --trace %s", dir,
                                  env("ANIMAT_EXE"), env("ANIMAT_SRC"), ex[k], t[r]);
            ck_assert_msg(p.status == 0, "%s: %s", ex[k], p.err);
            proc_free(&p);
        }
        char *a = data_lines(t[0]), *b = data_lines(t[1]);
        ck_assert_int_gt(proc_lines(a), 10);
        ck_assert_msg(strcmp(a, b) == 0, "%s: traces differ", ex[k]);
        free(a);
        free(b);
        assert_no_log(dir);
    }
}
END_TEST

/* The walker learns to walk with ES: 60 epochs (960 episodes) from the
 * example's settings, then 10 held-out episodes (seed 100) return more than
 * 1.5 x the untrained MLP's and move forward. Training is bit-identical for
 * any thread count, so these figures repeat exactly. */
START_TEST(test_walker_learns) {
    const char *dir = proc_tmpdir();
    proc_out p = proc_run("cd %s && %s train %s/examples/walker-mlp-es.yaml --epochs 60 --threads 2 --quiet "
                          "--set train.output=%s/w.params.yaml --set train.curve=%s/w.csv",
                          dir, env("ANIMAT_EXE"), env("ANIMAT_SRC"), dir, dir);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    p = proc_run("cd %s && %s run %s/examples/walker-mlp-es.yaml --episodes 10 --seed 100", dir,
                 env("ANIMAT_EXE"), env("ANIMAT_SRC"));
    ck_assert_int_eq(p.status, 0);
    double before = mean_return(p.out);
    proc_free(&p);
    p = proc_run("cd %s && %s run %s/examples/walker-mlp-es.yaml --episodes 10 --seed 100 --theta %s/w.params.yaml",
                 dir, env("ANIMAT_EXE"), env("ANIMAT_SRC"), dir);
    ck_assert_int_eq(p.status, 0);
    double after = mean_return(p.out);
    fprintf(stderr, "walker: untrained %.3f, trained 60 epochs %.3f\n", before, after);
    ck_assert_msg(after > 1.5 * before && before > 0, "untrained %g, trained %g", before, after);
    assert_no_log(dir);
    proc_free(&p);
}
END_TEST

/* -------------------------------------------------------------- reacher2 */

/* Ports, and rewards computed from the observations: distance reach is
 * minus the two fingertip-target distances, bounded is 0 or 1 per arm. */
START_TEST(test_reacher2) {
    static const want in[] = {{"left", 2}, {"right", 2}};
    static const want out[] = {{"left", 6}, {"right", 6}, {"obs", 12}, {"distance", 1}};
    static const char *const task[] = {"reach", "hold"};
    for (int k = 0; k < 4; k++) {
        shim *s = shim_new("REACHER2_SO", "");
        th_set_choice(s->t, "task", task[k % 2]);
        th_set_choice(s->t, "reward", k < 2 ? "distance" : "bounded");
        inst x;
        inst_open(&x, "REACHER2_SO", s);
        ck_assert_ptr_nonnull(x.b);
        assert_ports(x.pin, x.nin, in, 2);
        assert_ports(x.pout, x.nout, out, 4);
        ck_assert_double_eq_tol(x.api->control_dt(x.b), 0.02, 1e-15);
        ck_assert_int_eq(x.api->reset(x.b, 1, x.obs), ANIMAT_OK);
        /* each target lies 0.05..0.2 m from its arm's base (x = -0.2, 0.2),
         * and moves from one reset to the next: target = fingertip (from the
         * angles; links 0.12 and 0.11 to the tip site) + the observed
         * fingertip-to-target vector */
        double prev[2][2] = {{0, 0}, {0, 0}};
        for (int ep = 0; ep < 2; ep++) {
            ck_assert_int_eq(x.api->reset(x.b, 1, x.obs), ANIMAT_OK);
            for (int a = 0; a < 2; a++) {
                const double *o = x.obs[a];
                double bx = a ? 0.2 : -0.2;
                double tx = bx + 0.12 * cos(o[0]) + 0.11 * cos(o[0] + o[1]) + o[4];
                double ty = 0.12 * sin(o[0]) + 0.11 * sin(o[0] + o[1]) + o[5];
                double rad = hypot(tx - bx, ty);
                ck_assert_msg(rad >= 0.05 - 1e-12 && rad <= 0.2 + 1e-12, "arm %d: target at %g m", a, rad);
                if (ep) ck_assert(hypot(tx - prev[a][0], ty - prev[a][1]) > 1e-6);
                prev[a][0] = tx;
                prev[a][1] = ty;
            }
        }
        animat_step_result r = {.struct_size = sizeof r};
        x.act[0][0] = 0.5; /* left shoulder */
        for (int step = 0; step < 20; step++)
            ck_assert_int_eq(x.api->step(x.b, (const double *const *)x.act, x.obs, &r), ANIMAT_OK);
        double dl = hypot(x.obs[0][4], x.obs[0][5]), dr = hypot(x.obs[1][4], x.obs[1][5]);
        ck_assert_double_eq_tol(x.obs[3][0], 0.5 * (dl + dr), 1e-12);
        ck_assert_double_eq(x.obs[2][4], x.obs[0][4]);
        ck_assert_double_eq(x.obs[2][6 + 5], x.obs[1][5]);
        ck_assert(fabs(x.obs[0][2]) > 0.1); /* the driven shoulder turns */
        if (k == 0) ck_assert_double_eq_tol(r.reward, -(dl + dr), 1e-12);
        if (k == 1) ck_assert(r.reward < -(dl + dr)); /* the moving tip costs extra */
        if (k >= 2) ck_assert(r.reward == 0.0 || r.reward == 1.0 || r.reward == 2.0);
        ck_assert(dl <= 0.2 + 0.22 + 1e-9 && dr <= 0.2 + 0.22 + 1e-9); /* target within reach radius + arm */
        inst_close(&x);
    }
}
END_TEST

/* -------------------------------------------------------------------- main */

int main(void) {
    Suite *s = suite_create("bodies");
    TCase *abi = tcase_create("abi");
    tcase_set_timeout(abi, 120);
    tcase_add_test(abi, test_mjcf_ports_shipped);
    tcase_add_test(abi, test_mjcf_port_values);
    tcase_add_test(abi, test_mjcf_bad_models);
    tcase_add_test(abi, test_mjcf_task_terms);
    tcase_add_test(abi, test_reacher2);
    suite_add_tcase(s, abi);
    TCase *cliq = tcase_create("cli");
    tcase_set_timeout(cliq, 600);
    tcase_add_test(cliq, test_mjcf_cli_errors);
    tcase_add_test(cliq, test_plugin_check);
    tcase_add_test(cliq, test_mjcf_swimmer_matches_plugin);
    tcase_add_test(cliq, test_worm_moves_forward);
    tcase_add_test(cliq, test_worm_gait);
    tcase_add_test(cliq, test_swimmer_media);
    tcase_add_test(cliq, test_same_seed_same_trace);
    tcase_add_test(cliq, test_walker_learns);
    suite_add_tcase(s, cliq);
    return ck_run(s);
}
