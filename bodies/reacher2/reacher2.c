/* reacher2.c -- the "reacher2" body plugin: ABI glue (see reacher2.h). */
#include <animat/animat.h>
#include <animat/helpers.h>
#include <math.h>
#include <string.h>

#include "../common/mjb.h"
#include "reacher2.h"

enum { RCH_OUT_LEFT, RCH_OUT_RIGHT, RCH_OUT_OBS, RCH_OUT_DIST, RCH_NOUT };

/* One instance; created by rch_create, freed by rch_destroy. */
typedef struct rch_body {
    const animat_host *h;
    mjModel *m; /* own copy: reset moves the targets */
    mjData *d;
    rch_index ix;
    rch_task task;
    int physics_steps;
    double control_dt;
    uint64_t step_limit, nstep;
    animat_port_info in[RCH_ARMS], out[RCH_NOUT];
} rch_body;

static const animat_param_info rch_params[] = {
    ANIMAT_P_CHOICE("task", "reach|hold", 0, "reach: bring each fingertip to its target; hold: bring it there and keep it still."),
    ANIMAT_P_CHOICE("reward", "distance|bounded", 0, "distance: minus each fingertip's distance to its target; bounded: 1 per arm at the target."),
    ANIMAT_P_REAL("target_radius", "m", 0.015, 1e-4, 1, "bounded: a fingertip within this distance is at its target."),
    ANIMAT_P_REAL("hold_speed", "m/s", 0.02, 0, 10, "bounded hold: the fingertip must also be slower than this."),
    ANIMAT_P_REAL("hold_weight", "s", 0.1, 0, 1e3, "distance hold: minus hold_weight * fingertip speed per arm."),
    ANIMAT_P_REAL("time_limit", "s", 10, 0.02, 3600, "Episode length in simulated seconds (then truncated)."),
    ANIMAT_P_INT("physics_steps", "", 2, 1, 1000, "MuJoCo steps per control step."),
    ANIMAT_P_REAL("timestep", "s", 0.01, 1e-5, 0.05, "MuJoCo timestep."),
};

/* Read the parameters into b; the timestep out. 0 or -1 after h->error. */
static int rch_read(const animat_host *h, rch_body *b, double *timestep) {
    double time_limit, steps;
    static const char *const names[] = {"target_radius", "hold_speed", "hold_weight", "time_limit",
                                        "physics_steps", "timestep"};
    double *const outs[] = {&b->task.target_radius, &b->task.hold_speed, &b->task.hold_weight,
                            &time_limit, &steps, timestep};
    const char *task = "", *shape = "";
    if (animat_param_reals(h, names, outs, ANIMAT_COUNT(names)) != ANIMAT_OK) return -1;
    if (h->param_choice(h, "task", &task) != ANIMAT_OK || h->param_choice(h, "reward", &shape) != ANIMAT_OK) {
        h->error(h, "reacher2: cannot read task or reward");
        return -1;
    }
    b->task.task = strcmp(task, "hold") == 0 ? RCH_TASK_HOLD : RCH_TASK_REACH;
    b->task.shape = strcmp(shape, "bounded") == 0 ? RCH_REWARD_BOUNDED : RCH_REWARD_DISTANCE;
    b->physics_steps = (int)steps;
    b->control_dt = steps * *timestep;
    double n = round(time_limit / b->control_dt);
    b->step_limit = n < 1 ? 1 : (uint64_t)n;
    return 0;
}

/* Release everything; NULL is a no-op. Destroy phase. */
static void rch_destroy(void *self) {
    rch_body *b = self;
    if (!b) return;
    if (b->d) mj_deleteData(b->d);
    if (b->m) mj_deleteModel(b->m);
    b->h->free(b->h, b);
}

/* Declare the ports. Create phase. */
static void rch_make_ports(rch_body *b) {
    b->in[0] = ANIMAT_PORT_INFO("left", 2, "", "Left arm motors in [-1, 1]: shoulder, elbow.");
    b->in[1] = ANIMAT_PORT_INFO("right", 2, "", "Right arm motors in [-1, 1]: shoulder, elbow.");
    b->out[RCH_OUT_LEFT] = ANIMAT_PORT_INFO("left", RCH_OBS, "",
        "Left arm: shoulder and elbow angle (rad), their velocities (rad/s), target minus fingertip x, y (m).");
    b->out[RCH_OUT_RIGHT] = ANIMAT_PORT_INFO("right", RCH_OBS, "", "Right arm, as left.");
    b->out[RCH_OUT_OBS] = ANIMAT_PORT_INFO("obs", 2 * RCH_OBS, "", "left then right.");
    b->out[RCH_OUT_DIST] = ANIMAT_PORT_INFO_F("distance", 1, ANIMAT_PORT_METRIC, "m",
        "Mean fingertip-to-target distance of the two arms.");
}

/* Parameters, model, data, ports; the instance or NULL after h->error. */
static void *rch_create(const animat_host *h) {
    rch_body *b = h->alloc(h, sizeof *b);
    if (!b) {
        h->error(h, "reacher2: out of memory");
        return NULL;
    }
    b->h = h;
    double timestep;
    char err[1200];
    if (rch_read(h, b, &timestep)) {
        rch_destroy(b);
        return NULL;
    }
    b->m = rch_build(timestep, err, (int)sizeof err);
    if (!b->m || !(b->d = mj_makeData(b->m)) || rch_index_init(b->m, &b->ix)) {
        h->error(h, "%s", b->m ? "reacher2: unexpected model layout" : err);
        rch_destroy(b);
        return NULL;
    }
    /* the targets move at reset: never let MuJoCo treat them as sitting at
     * the world's frame (sameframe), whatever their compiled position */
    for (int a = 0; a < RCH_ARMS; a++) b->m->site_sameframe[b->ix.target[a]] = 0;
    rch_make_ports(b);
    return b;
}

/* Ports by direction. Any phase after create. */
static const animat_port_info *rch_ports(void *self, uint32_t dir, uint32_t *n) {
    rch_body *b = self;
    return animat_ports_pick(dir, b->in, RCH_ARMS, b->out, RCH_NOUT, n);
}

/* Seconds per control step. */
static double rch_control_dt(void *self) { return ((rch_body *)self)->control_dt; }

/* Adapter to the host's stream. */
static double rch_uniform(void *ctx) {
    const animat_host *h = ctx;
    return h->rng_uniform(h);
}

/* Write the OUT ports. Reset/step phase. */
static void rch_observe(const rch_body *b, double *const *obs) {
    rch_observe_arm(b->d, &b->ix, 0, obs[RCH_OUT_LEFT]);
    rch_observe_arm(b->d, &b->ix, 1, obs[RCH_OUT_RIGHT]);
    memcpy(obs[RCH_OUT_OBS], obs[RCH_OUT_LEFT], RCH_OBS * sizeof(double));
    memcpy(obs[RCH_OUT_OBS] + RCH_OBS, obs[RCH_OUT_RIGHT], RCH_OBS * sizeof(double));
    obs[RCH_OUT_DIST][0] = 0.5 * (rch_distance(b->d, &b->ix, 0) + rch_distance(b->d, &b->ix, 1));
}

/* New episode from the host's stream. Reset phase. */
static int32_t rch_reset(void *self, uint64_t seed, double *const *obs) {
    rch_body *b = self;
    (void)seed;
    rch_reset_state(b->m, b->d, &b->ix, rch_uniform, (void *)b->h);
    b->nstep = 0;
    rch_observe(b, obs);
    return ANIMAT_OK;
}

/* One control step. No allocation. Step phase. */
static int32_t rch_step(void *self, const double *const *act, double *const *obs, animat_step_result *out) {
    rch_body *b = self;
    double t0 = b->d->time;
    for (int a = 0; a < RCH_ARMS; a++)
        for (int k = 0; k < 2; k++) b->d->ctrl[b->ix.ctrl[a][k]] = act[a][k];
    const char *why = mjb_advance(b->m, b->d, b->physics_steps, NULL);
    if (why) {
        b->h->error(b->h, "simulation diverged at t=%.6g s: %s in control step %llu; try a smaller timestep",
                    t0 + b->control_dt, why, (unsigned long long)b->nstep + 1);
        return ANIMAT_ERROR;
    }
    b->nstep++;
    rch_observe(b, obs);
    out->reward = rch_reward(b->m, b->d, &b->ix, &b->task);
    out->terminated = 0;
    out->truncated = b->nstep >= b->step_limit;
    return ANIMAT_OK;
}

/* animat.mujoco/1: the instance's model and data, read-only for the host.
 * Any phase after create, the instance's thread. */
static const void *rch_mj_model(void *self) { return ((rch_body *)self)->m; }
static const void *rch_mj_data(void *self) { return ((rch_body *)self)->d; }

/* animat.mujoco/1: both arms and their targets from straight above (a
 * fixed camera on the origin, 0.8 m up). ANIMAT_OK. No allocation. */
static int32_t rch_mj_camera(void *self, animat_mujoco_camera *cam) {
    (void)self;
    cam->track_body = -1;
    cam->distance = 0.8;
    cam->azimuth = 90.0;
    cam->elevation = -90.0;
    return ANIMAT_OK;
}

static const animat_mujoco_ext rch_mujoco = {
    .struct_size = sizeof(animat_mujoco_ext),
    .mujoco_version = mjVERSION_HEADER,
    .model = rch_mj_model,
    .data = rch_mj_data,
    .camera = rch_mj_camera,
};

/* "animat.state/1" (animat/state.h): the step counter and the MuJoCo
 * state (mjb_state_*: simulation state, warm start, time, the moved
 * targets). The host's stream and the port buffers are the host's. */
static uint64_t rch_state_size(void *self) {
    const rch_body *b = self;
    return mjb_state_size(b->m, b->d);
}

static int32_t rch_state_save(void *self, void *buf, uint64_t size) {
    rch_body *b = self;
    if (mjb_state_save(b->m, b->d, b->nstep, buf, size) == 0) return ANIMAT_OK;
    b->h->error(b->h, "reacher2: state save: %llu bytes, this instance's state is %llu bytes", (unsigned long long)size,
                (unsigned long long)mjb_state_size(b->m, b->d));
    return ANIMAT_ERROR;
}

static int32_t rch_state_load(void *self, const void *buf, uint64_t size) {
    rch_body *b = self;
    if (mjb_state_load(b->m, b->d, &b->nstep, buf, size) == 0) return ANIMAT_OK;
    b->h->error(b->h, "reacher2: state load: %llu bytes, this instance's state is %llu bytes", (unsigned long long)size,
                (unsigned long long)mjb_state_size(b->m, b->d));
    return ANIMAT_ERROR;
}

static const animat_state_ext rch_state = {sizeof(animat_state_ext), 0, rch_state_size, rch_state_save,
                                            rch_state_load};

/* "animat.ports/1": each arm's motors in [-1, 1], named by joint; the
 * observations are unbounded. */
static const char *const rch_motor_names[] = {"shoulder", "elbow"};
static const animat_port_values rch_motor_values = {
    .struct_size = sizeof(animat_port_values), .lower = -1, .upper = 1, .names = rch_motor_names};
static const animat_port_values *rch_values(void *self, uint32_t dir, uint32_t i) {
    (void)self;
    return dir == ANIMAT_PORT_IN && i < 2 ? &rch_motor_values : NULL;
}
static const animat_ports_ext rch_ports_ext = {.struct_size = sizeof(animat_ports_ext), .values = rch_values};

/* Capabilities by id: ANIMAT_EXT_MUJOCO and ANIMAT_EXT_PORTS give static
 * tables valid for the plugin's lifetime; any other id (or NULL) gives NULL.
 * Any phase after create; the instance's thread. */
static const void *rch_extension(void *self, const char *id) {
    (void)self;
    if (id && strcmp(id, ANIMAT_EXT_STATE) == 0) return &rch_state;
    if (id && strcmp(id, ANIMAT_EXT_MUJOCO) == 0) return &rch_mujoco;
    if (id && strcmp(id, ANIMAT_EXT_PORTS) == 0) return &rch_ports_ext;
    return NULL;
}

static const animat_body_api rch_api = {
    .struct_size = sizeof(animat_body_api),
    .create = rch_create,
    .destroy = rch_destroy,
    .ports = rch_ports,
    .control_dt = rch_control_dt,
    .reset = rch_reset,
    .step = rch_step,
    .extension = rch_extension,
};

static const animat_plugin_desc rch_desc =
    ANIMAT_DESC_ID(ANIMAT_KIND_BODY, "org.animat.reacher2", "reacher2", "1.0.0",
                "Two planar 2-link arms in one world (act.left, act.right); reach or hold random targets.",
                rch_params, &rch_api);

static const animat_plugin_desc *const rch_plugins[] = {&rch_desc};

/* The only exported symbol; init/deinit own MuJoCo's warning handler. */
ANIMAT_EXPORT const animat_plugin_entry animat_entry =
    ANIMAT_ENTRY_INIT(rch_plugins, mjb_warn_init, mjb_warn_deinit);
