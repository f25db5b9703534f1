/* template_body.c -- a complete MuJoCo body plugin to copy: a torque-driven
 * pendulum. Rename the plugin ("pendulum" below), change the model text,
 * the ports and the reward.
 *
 * What it shows, in the order a body needs it:
 *   1. init/deinit: MuJoCo's process-wide warning handler (its default prints
 *      and writes MUJOCO_LOG.TXT into the working directory);
 *   2. parameters, read in create;
 *   3. the model from a string through MuJoCo's virtual file system;
 *   4. ports: actions in, observations out (one METRIC port);
 *   5. reset: the initial state from the host's random stream only;
 *   6. step: several physics steps per control step, no allocation, MuJoCo's
 *      warnings turned into a one-line error.
 * Build: make (see Makefile); check: animat plugin-check ./template_body.so
 */
#include <animat/animat.h>
#include <animat/helpers.h>
#include <math.h>
#include <mujoco/mujoco.h>
#include <stdio.h>
#include <string.h>

/* ---- 1. process-wide set-up: the warning handler ---- */

/* Drops MuJoCo's warning text; warnings are read from d->warning in step.
 * Any thread. */
static void pendulum_warning_sink(const char *msg) { (void)msg; }

/* Entry init (ABI 1.2): called once by the host after the handshake, before
 * any create, on the main thread. Cannot fail. */
static int32_t pendulum_init(char *why, uint32_t cap) {
    (void)why;
    (void)cap;
    mju_user_warning = pendulum_warning_sink;
    return ANIMAT_OK;
}

/* Entry deinit: once, after the last destroy, before dlclose, main thread.
 * Unhook only if the handler is still ours; never reinstall an old pointer
 * (it may belong to a plugin already unloaded). */
static void pendulum_deinit(void) {
    if (mju_user_warning == pendulum_warning_sink) mju_user_warning = NULL;
}

/* ---- 2. parameters ---- */

static const animat_param_info pendulum_params[] = {
    ANIMAT_P_INT("physics_steps", "", 10, 1, 1000, "MuJoCo steps per control step."),
    ANIMAT_P_REAL("time_limit", "s", 10, 0.01, 3600, "Episode length in simulated seconds."),
    ANIMAT_P_REAL("init_noise", "rad", 0.5, 0, 3.2, "Initial angle drawn uniformly in +-init_noise around hanging down."),
    ANIMAT_P_REAL("gear", "N*m", 2, 0, 100, "Motor torque at action 1."),
};

/* ---- 3. the model ---- */

/* %g: the gear. Angle 0 = hanging straight down. */
static const char pendulum_xml[] =
    "<mujoco model=\"pendulum\">\n"
    "  <option timestep=\"0.002\"/>\n"
    "  <worldbody>\n"
    "    <body name=\"pole\" pos=\"0 0 1\">\n"
    "      <joint name=\"hinge\" type=\"hinge\" axis=\"0 1 0\" damping=\"0.05\"/>\n"
    "      <geom type=\"capsule\" fromto=\"0 0 0 0 0 -0.5\" size=\"0.03\" mass=\"1\"/>\n"
    "    </body>\n"
    "  </worldbody>\n"
    "  <actuator><motor name=\"torque\" joint=\"hinge\" gear=\"%.17g\" ctrllimited=\"true\" ctrlrange=\"-1 1\"/></actuator>\n"
    "</mujoco>\n";

/* Compile the text (mjVFS is ~2 MB: heap, not stack). NULL with MuJoCo's
 * message in err. Create phase. */
static mjModel *pendulum_build(double gear, char *err, int errlen) {
    char xml[sizeof pendulum_xml + 32];
    int len = snprintf(xml, sizeof xml, pendulum_xml, gear);
    mjVFS *vfs = mju_malloc(sizeof(mjVFS));
    mjModel *m = NULL;
    mj_defaultVFS(vfs);
    if (mj_makeEmptyFileVFS(vfs, "pendulum.xml", len) == 0) {
        memcpy(vfs->filedata[vfs->nfile - 1], xml, (size_t)len);
        m = mj_loadXML("pendulum.xml", vfs, err, errlen);
    }
    mj_deleteVFS(vfs);
    mju_free(vfs);
    return m;
}

/* ---- the instance ---- */

enum { OUT_ANGLE, OUT_VELOCITY, OUT_UPRIGHT, NOUT };

/* One instance: created by pendulum_create, freed by pendulum_destroy. */
typedef struct pendulum {
    const animat_host *h; /* valid until destroy */
    mjModel *m;
    mjData *d;
    int physics_steps;
    double init_noise, control_dt;
    uint64_t step_limit, nstep;
    animat_port_info in[1], out[NOUT];
} pendulum;

/* Release everything; NULL is a no-op. Destroy phase. */
static void pendulum_destroy(void *self) {
    pendulum *p = self;
    if (!p) return;
    if (p->d) mj_deleteData(p->d);
    if (p->m) mj_deleteModel(p->m);
    p->h->free(p->h, p);
}

/* Parameters, model, data, ports. The instance, or NULL after h->error.
 * Create phase. */
static void *pendulum_create(const animat_host *h) {
    pendulum *p = h->alloc(h, sizeof *p);
    if (!p) {
        h->error(h, "pendulum: out of memory");
        return NULL;
    }
    p->h = h;
    double steps, time_limit, gear;
    static const char *const names[] = {"physics_steps", "time_limit", "init_noise", "gear"};
    double *const outs[] = {&steps, &time_limit, &p->init_noise, &gear};
    char err[1000] = "";
    if (animat_param_reals(h, names, outs, ANIMAT_COUNT(names)) != ANIMAT_OK) {
        pendulum_destroy(p);
        return NULL;
    }
    p->m = pendulum_build(gear, err, (int)sizeof err);
    if (!p->m || !(p->d = mj_makeData(p->m))) {
        h->error(h, "pendulum: MuJoCo: %s", err);
        pendulum_destroy(p);
        return NULL;
    }
    p->physics_steps = (int)steps;
    p->control_dt = steps * p->m->opt.timestep;
    p->step_limit = (uint64_t)fmax(1.0, round(time_limit / p->control_dt));

    /* ---- 4. ports ---- */
    p->in[0] = ANIMAT_PORT_INFO("torque", 1, "", "Motor command in [-1, 1] (times gear N*m).");
    p->out[OUT_ANGLE] = ANIMAT_PORT_INFO("angle", 2, "", "cos and sin of the angle from hanging down.");
    p->out[OUT_VELOCITY] = ANIMAT_PORT_INFO("velocity", 1, "rad/s", "Angular velocity.");
    p->out[OUT_UPRIGHT] = ANIMAT_PORT_INFO_F("upright", 1, ANIMAT_PORT_METRIC, "",
                                             "(1 - cos angle) / 2: 0 hanging, 1 upright; also the reward.");
    return p;
}

/* Ports by direction. Any phase after create. */
static const animat_port_info *pendulum_ports(void *self, uint32_t dir, uint32_t *n) {
    pendulum *p = self;
    return animat_ports_pick(dir, p->in, 1, p->out, NOUT, n);
}

/* Seconds per control step. Any phase after create. */
static double pendulum_control_dt(void *self) { return ((pendulum *)self)->control_dt; }

/* Write the OUT ports from d. Reset/step phase. */
static void pendulum_observe(const pendulum *p, double *const *obs) {
    double q = p->d->qpos[0];
    obs[OUT_ANGLE][0] = cos(q);
    obs[OUT_ANGLE][1] = sin(q);
    obs[OUT_VELOCITY][0] = p->d->qvel[0];
    obs[OUT_UPRIGHT][0] = 0.5 * (1.0 - cos(q));
}

/* ---- 5. reset: randomness only from the host (reseeded per episode) ---- */
static int32_t pendulum_reset(void *self, uint64_t seed, double *const *obs) {
    pendulum *p = self;
    (void)seed;
    mj_resetData(p->m, p->d); /* also clears d->warning */
    p->d->qpos[0] = p->init_noise * (2.0 * p->h->rng_uniform(p->h) - 1.0);
    mj_forward(p->m, p->d);
    p->nstep = 0;
    pendulum_observe(p, obs);
    return ANIMAT_OK;
}

/* ---- 6. step: substeps, then MuJoCo's warnings as an error ---- */
static int32_t pendulum_step(void *self, const double *const *act, double *const *obs,
                             animat_step_result *out) {
    pendulum *p = self;
    p->d->ctrl[0] = act[0][0];
    for (int k = 0; k < p->physics_steps; k++) mj_step(p->m, p->d);
    static const int bad[] = {mjWARN_BADQACC, mjWARN_BADQVEL, mjWARN_BADQPOS};
    for (int i = 0; i < 3; i++)
        if (p->d->warning[bad[i]].number > 0) {
            p->h->error(p->h, "MuJoCo warning %d (bad qacc/qvel/qpos) at t=%g s; try a smaller timestep",
                        bad[i], p->d->time);
            return ANIMAT_ERROR;
        }
    p->nstep++;
    pendulum_observe(p, obs);
    out->reward = obs[OUT_UPRIGHT][0];
    out->terminated = 0;
    out->truncated = p->nstep >= p->step_limit;
    return ANIMAT_OK;
}

static const animat_body_api pendulum_api = {
    .struct_size = sizeof(animat_body_api),
    .create = pendulum_create,
    .destroy = pendulum_destroy,
    .ports = pendulum_ports,
    .control_dt = pendulum_control_dt,
    .reset = pendulum_reset,
    .step = pendulum_step,
};

static const animat_plugin_desc pendulum_desc =
    ANIMAT_DESC_ID(ANIMAT_KIND_BODY, "org.example.pendulum", "pendulum", "0.1.0", "Template body: a torque-driven MuJoCo pendulum.",
                pendulum_params, &pendulum_api);

static const animat_plugin_desc *const pendulum_plugins[] = {&pendulum_desc};

/* The only exported symbol, with init/deinit. */
ANIMAT_EXPORT const animat_plugin_entry animat_entry =
    ANIMAT_ENTRY_INIT(pendulum_plugins, pendulum_init, pendulum_deinit);
