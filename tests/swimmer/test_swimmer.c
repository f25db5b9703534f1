/* test_swimmer.c -- Check tests for the "swimmer" body plugin.
 *
 * Two views: the model builder and episode mechanics compiled in directly
 * (swimmer_model.c, swimmer_sim.c: inspect mjModel, place things by hand),
 * and the plugin loaded from $SWIMMER_SO through the ABI with the test host.
 */
#include <dlfcn.h>
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "swimmer_model.h"
#include "swimmer_sim.h"
#include "testhost.h"

#define MAXPORT 8

/* ---------------------------------------------------------------- helpers */

/* The plugin descriptor, loaded once per process. */
static const animat_plugin_desc *plugin(void) { return th_load_env("SWIMMER_SO"); }

/* One plugin instance with host-side port buffers. */
typedef struct {
    const animat_body_api *api;
    th_host *t;
    void *b;
    uint32_t nin, nout;
    const animat_port_info *pin, *pout;
    double *act[MAXPORT], *obs[MAXPORT];
} inst;

/* A fresh host table for the plugin, parameters at their defaults. */
static th_host *host_new(void) {
    return th_new(plugin(), "body", 0);
}

/* Create an instance from t (taking ownership of t) and allocate buffers. */
static void inst_open_host(inst *s, th_host *t) {
    memset(s, 0, sizeof *s);
    s->api = plugin()->api;
    s->t = t;
    s->b = s->api->create(th_table(t));
    ck_assert_msg(s->b != NULL, "create failed: %s", th_last_error(t));
    s->pin = s->api->ports(s->b, ANIMAT_PORT_IN, &s->nin);
    s->pout = s->api->ports(s->b, ANIMAT_PORT_OUT, &s->nout);
    ck_assert_uint_le(s->nin, MAXPORT);
    ck_assert_uint_le(s->nout, MAXPORT);
    for (uint32_t i = 0; i < s->nin; i++) s->act[i] = calloc(s->pin[i].size, sizeof(double));
    for (uint32_t i = 0; i < s->nout; i++) s->obs[i] = calloc(s->pout[i].size, sizeof(double));
}

/* Instance with n bodies, task and fluid density set. */
static void inst_open(inst *s, int n, const char *task, double density) {
    th_host *t = host_new();
    th_set_real(t, "n_bodies", n);
    th_set_choice(t, "task", task);
    th_set_real(t, "density", density);
    inst_open_host(s, t);
}

static void inst_close(inst *s) {
    s->api->destroy(s->b);
    for (uint32_t i = 0; i < s->nin; i++) free(s->act[i]);
    for (uint32_t i = 0; i < s->nout; i++) free(s->obs[i]);
    th_free(s->t);
}

/* Index of OUT port `name`, or -1. */
static int out_index(const inst *s, const char *name) {
    for (uint32_t i = 0; i < s->nout; i++)
        if (strcmp(s->pout[i].name, name) == 0) return (int)i;
    return -1;
}

/* Buffer of OUT port `name` (must exist). */
static double *out_buf(const inst *s, const char *name) {
    int i = out_index(s, name);
    ck_assert_msg(i >= 0, "no OUT port %s", name);
    return s->obs[i];
}

/* Reseed the host stream (as the real host does) and reset. */
static void inst_reset(inst *s, uint64_t seed) {
    th_reseed(s->t, seed);
    ck_assert_int_eq(s->api->reset(s->b, seed, s->obs), ANIMAT_OK);
}

/* One control step with the current act buffers. */
static animat_step_result inst_step(inst *s) {
    animat_step_result r;
    memset(&r, 0, sizeof r);
    r.struct_size = sizeof r;
    ck_assert_int_eq(s->api->step(s->b, (const double *const *)s->act, s->obs, &r), ANIMAT_OK);
    return r;
}

/* Travelling wave: a_i = 0.3 sin(2 pi k / 30 - i pi / 3), head joint leading.
 * The small amplitude keeps joints off their limits most of the time, so the
 * no-fluid control run shows little of Euler's momentum drift (which shrinks
 * with the timestep; with fluid the result is timestep-converged). */
static void wave_action(double *a, int nj, int k) {
    for (int i = 0; i < nj; i++) a[i] = 0.3 * sin(2.0 * M_PI * k / 30.0 - i * M_PI / 3.0);
}

/* Build the model directly; fails the test on error. */
static mjModel *build(int n, int task, double density) {
    swm_config cfg;
    swm_default_config(&cfg);
    cfg.n_bodies = n;
    cfg.task = task;
    cfg.density = density;
    char err[1200];
    mjModel *m = swm_build(&cfg, err, (int)sizeof err);
    ck_assert_msg(m != NULL, "swm_build: %s", err);
    return m;
}

/* swm_uniform_fn over a test host's stream. */
static double host_uniform(void *ctx) {
    const animat_host *h = ctx;
    return h->rng_uniform(h);
}

/* ------------------------------------------------------------ model tests */

static const int model_sizes[] = {3, 6, 16};

START_TEST(test_model_structure) {
    int n = model_sizes[_i];
    mjModel *m = build(n, SWM_TASK_SWIM, 3000);
    double L = 2.0 * M_PI / n;

    /* sizes */
    ck_assert_int_eq(m->nq, 3 + (n - 1));
    ck_assert_int_eq(m->nv, 3 + (n - 1));
    ck_assert_int_eq(m->njnt, 3 + (n - 1));
    ck_assert_int_eq(m->nu, n - 1);
    ck_assert_int_eq(m->nbody, n + 1);
    ck_assert_int_eq(m->nsensor, 2 * n);

    /* options */
    ck_assert_double_eq(m->opt.timestep, 0.002);
    ck_assert_double_eq(m->opt.density, 3000.0);
    ck_assert_double_eq(m->opt.viscosity, 0.0);
    ck_assert_int_eq(m->opt.integrator, mjINT_EULER);
    ck_assert_int_eq(m->opt.solver, mjSOL_NEWTON);
    ck_assert(m->opt.disableflags & mjDSBL_CONTACT);

    /* root joints: slide x, slide y, hinge z, unlimited, no stiffness/armature */
    ck_assert_int_eq(m->jnt_type[0], mjJNT_SLIDE);
    ck_assert_int_eq(m->jnt_type[1], mjJNT_SLIDE);
    ck_assert_int_eq(m->jnt_type[2], mjJNT_HINGE);
    for (int j = 0; j < 3; j++) {
        ck_assert_int_eq(m->jnt_limited[j], 0);
        ck_assert_double_eq(m->jnt_stiffness[j], 0.0);
        ck_assert_double_eq(m->dof_armature[j], 0.0);
        ck_assert_double_eq(m->jnt_pos[3 * j + 1], -0.05);
        ck_assert_int_eq(m->jnt_bodyid[j], 1);
    }

    /* segment joints: limited to +-2pi/n, soft limits, armature */
    for (int j = 3; j < m->njnt; j++) {
        ck_assert_int_eq(m->jnt_type[j], mjJNT_HINGE);
        ck_assert_int_eq(m->jnt_limited[j], 1);
        ck_assert_double_eq_tol(m->jnt_range[2 * j], -L, 1e-12);
        ck_assert_double_eq_tol(m->jnt_range[2 * j + 1], L, 1e-12);
        ck_assert_double_eq(m->dof_armature[j], 1e-6);
        ck_assert_double_eq(m->jnt_solref[2 * j], 0.05);
        ck_assert_double_eq(m->jnt_solref[2 * j + 1], 1.0);
        ck_assert_double_eq(m->jnt_solimp[mjNIMP * j + 0], 0.0);
        ck_assert_double_eq(m->jnt_solimp[mjNIMP * j + 1], 0.8);
        ck_assert_double_eq(m->jnt_solimp[mjNIMP * j + 2], 0.1);
        ck_assert_double_eq(m->jnt_pos[3 * j + 1], -0.05);
        ck_assert_int_eq(m->jnt_bodyid[j], j - 1);
    }

    /* motors */
    for (int a = 0; a < m->nu; a++) {
        ck_assert_double_eq(m->actuator_gear[6 * a], 5e-4);
        ck_assert_int_eq(m->actuator_ctrllimited[a], 1);
        ck_assert_double_eq(m->actuator_ctrlrange[2 * a], -1.0);
        ck_assert_double_eq(m->actuator_ctrlrange[2 * a + 1], 1.0);
        ck_assert_int_eq(m->actuator_trnid[2 * a], 3 + a);
    }

    /* masses and chain geometry */
    for (int b = 1; b <= n; b++) {
        ck_assert_double_eq_tol(m->body_mass[b], 0.01, 1e-15);
        ck_assert_double_eq(m->body_pos[3 * b + 1], b == 1 ? 0.0 : 0.1);
        ck_assert_int_eq(m->body_parentid[b], b - 1);
    }
    ck_assert_double_eq_tol(mj_getTotalmass(m), 0.01 * n, 1e-12);
    ck_assert_double_eq(m->body_pos[3 + 2], 0.05);
    int nose = mj_name2id(m, mjOBJ_GEOM, "nose");
    ck_assert_int_ge(nose, 0);
    ck_assert_double_eq(m->geom_pos[3 * nose + 1], -0.06);
    ck_assert_int_eq(mj_name2id(m, mjOBJ_GEOM, "target"), -1);

    swm_index ix;
    ck_assert_int_eq(swm_index_init(m, &ix), 0);
    ck_assert_int_eq(ix.n_bodies, n);
    mj_deleteModel(m);
}
END_TEST

START_TEST(test_model_navigate_and_invalid) {
    mjModel *m = build(6, SWM_TASK_NAVIGATE, 3000);
    swm_index ix;
    ck_assert_int_eq(swm_index_init(m, &ix), 0);
    ck_assert_int_ge(ix.target_geom, 0);
    ck_assert_double_eq(m->geom_size[3 * ix.target_geom], 0.1);
    mj_deleteModel(m);

    /* the builder refuses what the plugin would refuse */
    swm_config cfg;
    swm_default_config(&cfg);
    cfg.n_bodies = 17;
    char err[256];
    ck_assert_ptr_null(swm_build(&cfg, err, (int)sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "n_bodies"));
    swm_default_config(&cfg);
    cfg.timestep = 0.5;
    ck_assert_ptr_null(swm_build(&cfg, err, (int)sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "timestep"));
}
END_TEST

/* -------------------------------------------------------------- ABI tests */

START_TEST(test_abi_descriptor_and_ports) {
    const animat_plugin_desc *d = plugin();
    ck_assert_uint_eq(d->kind, ANIMAT_KIND_BODY);
    ck_assert_str_eq(d->name, "swimmer");
    ck_assert_str_eq(d->version, "1.0.0");
    ck_assert_uint_eq(d->n_params, 25); /* 8 + link_length, link_radius, medium, rft_drag, rft_ratio, design_lo/hi,
                                          6 arena and 4 camera parameters */
    for (uint32_t i = 0; i < d->n_params; i++) {
        ck_assert_ptr_nonnull(d->params[i].unit);
        ck_assert_ptr_nonnull(d->params[i].doc);
        ck_assert_uint_gt(strlen(d->params[i].doc), 10);
    }

    /* swim */
    static const char *names[] = {"joints", "velocities", "obs", "speed", "position"};
    static const char *nnames[] = {"joints", "velocities", "obs", "speed", "target", "position"};
    inst s;
    inst_open(&s, 6, "swim", 3000);
    ck_assert_uint_eq(s.nin, 1);
    ck_assert_str_eq(s.pin[0].name, "motors");
    ck_assert_uint_eq(s.pin[0].size, 5);
    ck_assert_uint_eq(s.nout, 5);
    uint32_t sizes[] = {5, 18, 23, 1, 2};
    for (int i = 0; i < 5; i++) {
        ck_assert_str_eq(s.pout[i].name, names[i]);
        ck_assert_uint_eq(s.pout[i].size, sizes[i]);
        ck_assert_uint_eq(s.pout[i].flags, i == 3 ? ANIMAT_PORT_METRIC : 0);
    }
    ck_assert_str_eq(s.pout[3].unit, "m/s");
    ck_assert_str_eq(s.pout[4].unit, "m");
    ck_assert_double_eq_tol(s.api->control_dt(s.b), 0.03, 1e-15);
    inst_close(&s);

    /* navigate */
    inst_open(&s, 6, "navigate", 3000);
    ck_assert_uint_eq(s.nout, 6);
    uint32_t nsizes[] = {5, 18, 25, 1, 2, 2};
    for (int i = 0; i < 6; i++) {
        ck_assert_str_eq(s.pout[i].name, nnames[i]);
        ck_assert_uint_eq(s.pout[i].size, nsizes[i]);
    }
    inst_close(&s);
}
END_TEST

START_TEST(test_zero_action_episode) {
    inst s;
    inst_open(&s, 6, "swim", 3000);
    inst_reset(&s, 7);
    double ret = 0.0;
    int k;
    for (k = 1; k <= 2000; k++) {
        animat_step_result r = inst_step(&s);
        ck_assert_uint_eq(r.terminated, 0);
        ret += r.reward;
        if (r.truncated) break;
    }
    ck_assert_int_eq(k, 1000);
    ck_assert(ret == 0.0);

    /* a second episode truncates at the same step again */
    inst_reset(&s, 8);
    for (k = 1; k <= 999; k++) ck_assert_uint_eq(inst_step(&s).truncated, 0);
    ck_assert_uint_eq(inst_step(&s).truncated, 1);
    inst_close(&s);
}
END_TEST

START_TEST(test_reset_draws) {
    /* through the ABI: joints within +-L, all velocities zero */
    inst s;
    inst_open(&s, 6, "swim", 3000);
    double L = 2.0 * M_PI / 6, jmin = 1e9, jmax = -1e9;
    for (uint64_t seed = 0; seed < 300; seed++) {
        inst_reset(&s, seed);
        const double *q = out_buf(&s, "joints"), *v = out_buf(&s, "velocities");
        for (int i = 0; i < 5; i++) {
            ck_assert(q[i] >= -L && q[i] <= L);
            jmin = fmin(jmin, q[i]);
            jmax = fmax(jmax, q[i]);
        }
        for (int i = 0; i < 18; i++) ck_assert_double_eq(v[i], 0.0);
        ck_assert_double_eq(out_buf(&s, "speed")[0], 0.0);
        /* obs = joints ++ velocities */
        ck_assert_mem_eq(out_buf(&s, "obs"), q, 5 * sizeof(double));
    }
    ck_assert(jmin < -0.9 * L && jmax > 0.9 * L);
    inst_close(&s);

    /* directly: root angle in [-pi, pi), root position and qvel zero */
    mjModel *m = build(6, SWM_TASK_SWIM, 3000);
    mjData *d = mj_makeData(m);
    swm_index ix;
    ck_assert_int_eq(swm_index_init(m, &ix), 0);
    th_host *t = host_new();
    double amin = 1e9, amax = -1e9;
    for (uint64_t seed = 0; seed < 300; seed++) {
        th_reseed(t, seed);
        d->qvel[0] = 1.0; /* must be cleared */
        swm_reset_state(m, d, &ix, host_uniform, (void *)th_table(t));
        ck_assert(d->qpos[2] >= -M_PI && d->qpos[2] < M_PI);
        amin = fmin(amin, d->qpos[2]);
        amax = fmax(amax, d->qpos[2]);
        ck_assert_double_eq(d->qpos[0], 0.0);
        ck_assert_double_eq(d->qpos[1], 0.0);
        for (int i = 0; i < m->nv; i++) ck_assert_double_eq(d->qvel[i], 0.0);
        ck_assert_double_eq(d->time, 0.0);
    }
    ck_assert(amin < -0.9 * M_PI && amax > 0.9 * M_PI);
    th_free(t);
    mj_deleteData(d);
    mj_deleteModel(m);
}
END_TEST

/* Joint trace of 200 wave steps after reset(seed), into buf (200*5). */
static void joint_trace(inst *s, uint64_t seed, double *buf) {
    inst_reset(s, seed);
    for (int k = 0; k < 200; k++) {
        wave_action(s->act[0], 5, k);
        inst_step(s);
        memcpy(buf + 5 * k, out_buf(s, "joints"), 5 * sizeof(double));
    }
}

START_TEST(test_determinism) {
    static double a[1000], b[1000], c[1000];
    inst s1, s2;
    inst_open(&s1, 6, "swim", 3000);
    inst_open(&s2, 6, "swim", 3000);
    joint_trace(&s1, 42, a);
    joint_trace(&s2, 42, b);
    ck_assert_mem_eq(a, b, sizeof a);
    /* same instance again, after other episodes */
    joint_trace(&s1, 43, c);
    joint_trace(&s1, 42, c);
    ck_assert_mem_eq(a, c, sizeof a);
    /* different seed */
    joint_trace(&s2, 43, b);
    ck_assert(memcmp(a, b, sizeof a) != 0);
    inst_close(&s1);
    inst_close(&s2);
}
END_TEST

START_TEST(test_joint_limits) {
    inst s;
    inst_open(&s, 6, "swim", 3000);
    double L = 2.0 * M_PI / 6;
    for (int sign = -1; sign <= 1; sign += 2) {
        inst_reset(&s, 3);
        double qmax = 0.0;
        for (int i = 0; i < 5; i++) s.act[0][i] = sign * 1.0;
        for (int k = 0; k < 300; k++) {
            inst_step(&s);
            const double *q = out_buf(&s, "joints");
            for (int i = 0; i < 5; i++) qmax = fmax(qmax, fabs(q[i]));
        }
        /* every joint ends pressed against its limit; the soft limit
         * (solimplimit width 0.1 rad) lets it in by less than 0.15 rad */
        const double *q = out_buf(&s, "joints");
        for (int i = 0; i < 5; i++) {
            ck_assert_msg(sign * q[i] > L, "joint %d at %g, limit %g", i, q[i], L);
        }
        ck_assert_msg(qmax < L + 0.15, "max |q| %g exceeds limit %g", qmax, L);
    }
    inst_close(&s);
}
END_TEST

/* Net displacement of the swimmer's centre of mass after `steps` wave steps
 * from the zero pose, simulated directly (same stepping as the plugin). */
static double wave_displacement(double density, int steps) {
    mjModel *m = build(6, SWM_TASK_SWIM, density);
    mjData *d = mj_makeData(m);
    mj_forward(m, d);
    double x0 = d->subtree_com[3], y0 = d->subtree_com[4]; /* head's subtree: all */
    for (int k = 0; k < steps; k++) {
        wave_action(d->ctrl, 5, k);
        ck_assert_ptr_null(swm_advance(m, d, 15));
    }
    double dx = d->subtree_com[3] - x0, dy = d->subtree_com[4] - y0;
    mj_deleteData(d);
    mj_deleteModel(m);
    return sqrt(dx * dx + dy * dy);
}

START_TEST(test_travelling_wave_swims) {
    /* through the ABI: the speed metric averages away from zero */
    inst s;
    inst_open(&s, 6, "swim", 3000);
    inst_reset(&s, 0);
    double sum = 0.0;
    int k;
    for (k = 0; k < 1000; k++) {
        wave_action(s.act[0], 5, k);
        if (inst_step(&s).truncated) break;
        sum += out_buf(&s, "speed")[0];
    }
    double mean = sum / (k + 1);
    ck_assert_msg(fabs(mean) > 1e-3, "mean speed %g", mean);
    inst_close(&s);

    /* directly: drag turns the wave into net displacement */
    double with = wave_displacement(3000, 1000), without = wave_displacement(0, 1000);
    ck_assert_msg(with > 0.05, "displacement %g m with fluid", with);
    ck_assert_msg(without < 0.2 * with, "displacement %g m without fluid vs %g", without, with);
}
END_TEST

/* NCAP default controller (shared weights +1, +1, +1, -1), one episode. */
static double ncap_episode(int n, uint64_t seed, double *mean_speed) {
    inst s;
    inst_open(&s, n, "swim", 3000);
    inst_reset(&s, seed);
    int nj = n - 1;
    double L = 2.0 * M_PI / n, ret = 0.0, speed = 0.0;
    int k;
    for (k = 0; k < 100000; k++) {
        const double *th = out_buf(&s, "joints");
        int od = (k % 60) < 30, ov = !od;
        double prev_qd = 0, prev_qv = 0;
        for (int i = 0; i < nj; i++) {
            double q = fmax(-1.0, fmin(1.0, th[i] / L));
            double bd = i == 0 ? od : prev_qd, bv = i == 0 ? ov : prev_qv;
            double md = fmax(0.0, fmin(1.0, bd - bv)), mv = fmax(0.0, fmin(1.0, bv - bd));
            s.act[0][i] = md - mv;
            prev_qd = fmax(0.0, fmin(1.0, q));
            prev_qv = fmax(0.0, fmin(1.0, -q));
        }
        animat_step_result r = inst_step(&s);
        ret += r.reward;
        speed += out_buf(&s, "speed")[0];
        if (r.truncated) break;
    }
    ck_assert_int_eq(k + 1, 1000);
    *mean_speed = speed / (k + 1);
    inst_close(&s);
    return ret;
}

START_TEST(test_ncap_controller_swims_forward) {
    static const int ns[] = {6, 9, 12};
    for (int a = 0; a < 3; a++)
        for (uint64_t seed = 0; seed < 3; seed++) {
            double v, ret = ncap_episode(ns[a], seed, &v);
            fprintf(stderr, "ncap n_bodies=%d seed=%d return=%.3f mean_speed=%.4f m/s\n",
                    ns[a], (int)seed, ret, v);
            ck_assert_msg(ret > 100.0, "return %g", ret);
            ck_assert_msg(v > 0.0, "mean speed %g", v);
        }
}
END_TEST

START_TEST(test_bad_params) {
    static const struct { const char *name; double v; } bad[] = {
        {"n_bodies", 2}, {"n_bodies", 17}, {"n_bodies", 4.5}, {"physics_steps", 0},
        {"time_limit", 0.0}, {"timestep", 0.02}, {"density", -1}, {"viscosity", NAN},
        {"target_speed", 0},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        th_host *t = host_new();
        th_set_real(t, bad[i].name, bad[i].v);
        void *b = plugin()->api ? ((const animat_body_api *)plugin()->api)->create(th_table(t))
                                : NULL;
        ck_assert_ptr_null(b);
        ck_assert_msg(strstr(th_last_error(t), bad[i].name) != NULL, "error '%s' for %s",
                      th_last_error(t), bad[i].name);
        th_free(t);
    }
    th_host *t = host_new();
    th_set_choice(t, "task", "fly");
    ck_assert_ptr_null(((const animat_body_api *)plugin()->api)->create(th_table(t)));
    ck_assert_ptr_nonnull(strstr(th_last_error(t), "task"));
    th_free(t);
}
END_TEST

START_TEST(test_navigate_reward) {
    /* the formula */
    ck_assert_double_eq(swm_reward_navigate(0.0), 1.0);
    ck_assert_double_eq(swm_reward_navigate(0.1), 1.0);
    ck_assert_double_eq_tol(swm_reward_navigate(0.6), 0.1, 1e-15);
    ck_assert_double_eq_tol(swm_reward_navigate(0.5), 1.0 / (1.0 + 2.4 * 2.4), 1e-15);
    ck_assert_double_eq(swm_reward_swim(0.05, 0.1), 0.5);
    ck_assert_double_eq(swm_reward_swim(0.2, 0.1), 1.0);
    ck_assert_double_eq(swm_reward_swim(-0.2, 0.1), 0.0);

    /* hand-placed: head turned by theta about its root hinge at (0,-0.05) */
    mjModel *m = build(6, SWM_TASK_NAVIGATE, 3000);
    mjData *d = mj_makeData(m);
    swm_index ix;
    ck_assert_int_eq(swm_index_init(m, &ix), 0);
    double th = 0.7, tx = 0.8, ty = -0.4;
    d->qpos[2] = th;
    m->geom_pos[3 * ix.target_geom] = tx;
    m->geom_pos[3 * ix.target_geom + 1] = ty;
    mj_forward(m, d);
    double nx = 0.01 * sin(th), ny = -0.05 - 0.01 * cos(th); /* nose in the world */
    double wx = tx - nx, wy = ty - ny;
    double ex = cos(th) * wx + sin(th) * wy, ey = -sin(th) * wx + cos(th) * wy;
    double got[2];
    swm_nose_to_target(d, &ix, got);
    ck_assert_double_eq_tol(got[0], ex, 1e-12);
    ck_assert_double_eq_tol(got[1], ey, 1e-12);
    double dist = hypot(wx, wy), x = 3.0 * (dist - 0.1) / 0.5;
    ck_assert_double_eq_tol(swm_reward_navigate(hypot(got[0], got[1])), 1.0 / (1.0 + x * x),
                            1e-12);
    mj_deleteData(d);
    mj_deleteModel(m);

    /* through the ABI: reward agrees with the target port; targets in range */
    inst s;
    inst_open(&s, 6, "navigate", 3000);
    int close = 0;
    for (uint64_t seed = 0; seed < 50; seed++) {
        inst_reset(&s, seed);
        const double *tg = out_buf(&s, "target");
        ck_assert_mem_eq(out_buf(&s, "obs") + 23, tg, 2 * sizeof(double));
        double r0 = hypot(tg[0], tg[1]);
        ck_assert(r0 < 2.0 * sqrt(2.0) + 0.1);
        close += r0 < 0.3 * sqrt(2.0) + 0.1;
        animat_step_result r = inst_step(&s);
        ck_assert_double_eq_tol(r.reward, swm_reward_navigate(hypot(tg[0], tg[1])), 1e-15);
        ck_assert(r.reward > 0.0 && r.reward <= 1.0);
    }
    ck_assert_int_gt(close, 0);
    inst_close(&s);
}
END_TEST

/* Counts MuJoCo warnings that reach the process-wide handler. From ABI 1.2
 * the plugin's entry init installs its own sink (the host calls init once
 * after the handshake), so warnings never reach the previous handler (MuJoCo's
 * default would print and write MUJOCO_LOG.TXT); deinit removes the sink. */
static int n_warnings;
static void quiet_warning(const char *msg) {
    (void)msg;
    n_warnings++;
}

/* The swimmer's entry object, from the library th_load already opened. */
static const animat_plugin_entry *swimmer_entry(void) {
    void *so = dlopen(getenv("SWIMMER_SO"), RTLD_NOW | RTLD_NOLOAD);
    ck_assert_ptr_nonnull(so);
    const animat_plugin_entry *e = dlsym(so, ANIMAT_ENTRY_SYMBOL);
    dlclose(so); /* drops only the reference RTLD_NOLOAD added */
    ck_assert_ptr_nonnull(e);
    ck_assert_ptr_nonnull(e->init);
    ck_assert_ptr_nonnull(e->deinit);
    return e;
}

START_TEST(test_divergence_reported) {
    void (*saved)(const char *) = mju_user_warning;
    mju_user_warning = quiet_warning;
    plugin();
    const animat_plugin_entry *e = swimmer_entry();
    char why[128] = "";
    ck_assert_int_eq(e->init(why, sizeof why), ANIMAT_OK); /* as the host does */
    ck_assert_ptr_ne(mju_user_warning, quiet_warning);
    th_host *t = host_new();
    th_set_real(t, "timestep", 0.01);
    th_set_real(t, "viscosity", 10);
    inst s;
    inst_open_host(&s, t);
    inst_reset(&s, 1);
    for (int i = 0; i < 5; i++) s.act[0][i] = 1.0;
    animat_step_result r;
    memset(&r, 0, sizeof r);
    r.struct_size = sizeof r;
    int32_t rc = ANIMAT_OK;
    for (int k = 0; k < 100 && rc == ANIMAT_OK; k++)
        rc = s.api->step(s.b, (const double *const *)s.act, s.obs, &r);
    ck_assert_int_eq(rc, ANIMAT_ERROR);
    ck_assert_int_eq(n_warnings, 0);          /* the plugin's sink took it */
    ck_assert_ptr_ne(mju_user_warning, quiet_warning);
    ck_assert_msg(strstr(th_last_error(t), "simulation diverged at t=") != NULL &&
                      strstr(th_last_error(t), "MuJoCo instability: bad q") != NULL,
                  "error: %s", th_last_error(t));
    /* a new episode starts from a clean state */
    inst_reset(&s, 2);
    for (int i = 0; i < 18; i++) ck_assert(isfinite(out_buf(&s, "velocities")[i]));
    inst_close(&s);
    e->deinit();
    ck_assert_ptr_null(mju_user_warning); /* deinit removes the sink, reinstalls nothing */
    mju_user_warning = saved;
}
END_TEST

/* ------------------------------------------------------------------ suite */

static Suite *swimmer_suite(void) {
    Suite *s = suite_create("swimmer");
    TCase *model = tcase_create("model");
    tcase_add_loop_test(model, test_model_structure, 0, 3);
    tcase_add_test(model, test_model_navigate_and_invalid);
    suite_add_tcase(s, model);

    TCase *abi = tcase_create("abi");
    tcase_set_timeout(abi, 600);
    tcase_add_test(abi, test_abi_descriptor_and_ports);
    tcase_add_test(abi, test_zero_action_episode);
    tcase_add_test(abi, test_reset_draws);
    tcase_add_test(abi, test_determinism);
    tcase_add_test(abi, test_joint_limits);
    tcase_add_test(abi, test_travelling_wave_swims);
    tcase_add_test(abi, test_ncap_controller_swims_forward);
    tcase_add_test(abi, test_bad_params);
    tcase_add_test(abi, test_navigate_reward);
    tcase_add_test(abi, test_divergence_reported);
    suite_add_tcase(s, abi);
    return s;
}

int main(void) {
    return ck_run(swimmer_suite());
}
