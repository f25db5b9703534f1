/* mjcf.c -- the "mjcf" body plugin: ABI glue (see mjcf.h for the design). */
#include <animat/animat.h>
#include <animat/helpers.h>
#include <math.h>
#include <string.h>

#include "mjcf.h"

/* Configuration parameters. Names of bodies and sites come from the model's
 * <custom> fields (mjcf.h); weights and scales are here. */
static const animat_param_info mjcf_params[] = {
    ANIMAT_P_PATH("model", "MJCF file, relative to the experiment file; unset = a built-in 3-link swimmer."),
    ANIMAT_P_INT("physics_steps", "", 15, 1, 1000, "MuJoCo steps per control step (control dt = physics_steps * the model's timestep)."),
    ANIMAT_P_REAL("time_limit", "s", 30, 0.001, 3600, "Episode length in simulated seconds, after which it is truncated."),
    ANIMAT_P_CHOICE("init", "qpos0|joints", 0, "Initial state: the model's qpos0, or dm_control's joint randomisation (limited hinge/slide uniform in range, unlimited hinge uniform in [-pi, pi])."),
    ANIMAT_P_REAL("init_noise", "", 0, 0, 10, "Uniform noise +-init_noise (rad or m) added to every hinge and slide qpos at reset."),
    ANIMAT_P_REAL("forward_weight", "", 1, -1e6, 1e6, "Weight of the forward-velocity term (needs animat.forward_body)."),
    ANIMAT_P_REAL("forward_speed", "m/s", 0.1, 1e-9, 1e6, "The forward term is v / forward_speed (clamped to [0, 1] when forward_clamp)."),
    ANIMAT_P_BOOL("forward_clamp", 1, "Clamp the forward term to [0, 1] (dm_control's swimmer) or leave it linear."),
    ANIMAT_P_REAL("reach_weight", "1/m", 1, -1e6, 1e6, "Weight of minus the reach-site to target-site distance (needs animat.reach_site/target_site)."),
    ANIMAT_P_REAL("upright_weight", "", 0, -1e6, 1e6, "Weight of the upright term: the z component of animat.upright_body's z axis."),
    ANIMAT_P_REAL("ctrl_cost", "", 0, 0, 1e6, "Weight of minus the sum of squared controls."),
    ANIMAT_P_REAL("alive_bonus", "", 0, -1e6, 1e6, "Added to the reward on every step that does not end the episode."),
    ANIMAT_P_REAL("min_height", "m", 0, -1e6, 1e6, "The episode ends when animat.height_body's z falls below this."),
    ANIMAT_P_BOOL("obs_qpos", 0, "Add an OUT port `qpos` with the generalised positions."),
    ANIMAT_P_BOOL("obs_qvel", 0, "Add an OUT port `qvel` with the generalised velocities."),
    ANIMAT_P_CHOICE("medium", "fluid|rft", 0, "fluid: whatever the model's options say (MuJoCo's drag); rft: resistive force theory drag on every body too."),
    ANIMAT_P_REAL("rft_drag", "N*s/m", 0.05, 0, 1e3, "rft: tangential drag coefficient of one body (segment)."),
    ANIMAT_P_REAL("rft_ratio", "", 1.5, 1, 100, "rft: normal/tangential drag ratio (about 1.5 water, 10 agar gel, 30-40 stiff agar)."),
    ANIMAT_P_REAL("rft_length", "m", 0.1, 0, 10, "rft: segment length, for the rotational drag of a uniform rod (cn L^2 / 12)."),
    ANIMAT_P_CHOICE("rft_axis", "x|y|z", 1, "rft: the body-local axis along each segment."),
    ANIMAT_P_PATH("arena", "Arena: an MJCF file whose walls, obstacles and assets are added to the model's (docs/arenas.md)."),
    ANIMAT_P_CHOICE("terrain", "flat|image|noise", 0, "Ground: flat (the model's own), a heightfield from terrain_image, or seeded noise."),
    ANIMAT_P_PATH("terrain_image", "terrain: image: a PNG whose grey levels are the heights."),
    ANIMAT_P_REAL_LIST("terrain_size", "m", "5,5,0.1,0.05", 0.001, 1000, "Heightfield half-sizes x, y, height and base depth."),
    ANIMAT_P_INT("terrain_seed", "", 1, 0, 4294967295.0, "terrain: noise: the GSL mt19937 seed of the heights."),
    ANIMAT_P_INT("terrain_cells", "", 64, 8, 1024, "terrain: noise: cells per side."),
    ANIMAT_P_CHOICE("camera_mode", "ray|render", 0, "Camera ports (animat.camera.NAME): ray = flat colours by MuJoCo rays (no allocation); render = lit pictures by MuJoCo's renderer in OSMesa."),
};

/* Read REAL/INT/BOOL parameters into the instance. 0 or -1. Create. */
static int mjcf_read_numbers(const animat_host *h, mjcf_body *b, double *time_limit, double *steps) {
    mjcf_task *t = &b->task;
    double clamp, qpos, qvel;
    static const char *const names[] = {"physics_steps", "time_limit", "init_noise", "forward_weight",
        "forward_speed", "forward_clamp", "reach_weight", "upright_weight", "ctrl_cost", "alive_bonus",
        "min_height", "obs_qpos", "obs_qvel", "rft_drag", "rft_ratio", "rft_length"};
    double rft_len;
    double *const outs[] = {steps, time_limit, &b->init_noise, &t->w_forward, &t->forward_speed, &clamp,
        &t->w_reach, &t->w_upright, &t->ctrl_cost, &t->alive_bonus, &t->min_height, &qpos, &qvel,
        &b->rft.ct, &b->rft.ratio, &rft_len};
    if (animat_param_reals(h, names, outs, ANIMAT_COUNT(names)) != ANIMAT_OK) return -1;
    t->forward_clamp = clamp != 0.0;
    b->obs_qpos = qpos != 0.0;
    b->obs_qvel = qvel != 0.0;
    b->rft.cr = b->rft.ct * b->rft.ratio * rft_len * rft_len / 12.0;
    return 0;
}

/* Read the CHOICE parameters. 0 or -1 after h->error. Create. */
static int mjcf_read_choices(const animat_host *h, mjcf_body *b) {
    const char *init = "", *medium = "", *axis = "", *cam = "";
    if (h->param_choice(h, "init", &init) != ANIMAT_OK || h->param_choice(h, "medium", &medium) != ANIMAT_OK ||
        h->param_choice(h, "rft_axis", &axis) != ANIMAT_OK || h->param_choice(h, "camera_mode", &cam) != ANIMAT_OK) {
        h->error(h, "mjcf: cannot read the init, medium, rft_axis or camera_mode parameter");
        return -1;
    }
    b->init_joints = strcmp(init, "joints") == 0;
    b->rft.on = strcmp(medium, "rft") == 0;
    b->rft.axis = axis[0] == 'x' ? 0 : axis[0] == 'y' ? 1 : 2;
    b->rft.first_body = 1;
    b->camera_render = strcmp(cam, "render") == 0;
    return 0;
}

/* Release everything; NULL is a no-op. Destroy phase. */
static void mjcf_destroy(void *self) {
    mjcf_body *b = self;
    if (!b) return;
    if (b->d) mj_deleteData(b->d);
    if (b->m) mj_deleteModel(b->m);
    b->h->free(b->h, b->act_ids);
    b->h->free(b->h, b->sen_ids);
    b->h->free(b->h, b->act_lo);
    b->h->free(b->h, b->act_names);
    mjcf_morph_free(b);
    mjb_eyes_destroy(b->h, b->eyes);
    b->h->free(b->h, b);
}

/* Load the model and build task and ports. 0 or -1 after h->error. */
static int mjcf_build(const animat_host *h, mjcf_body *b, double time_limit, double steps) {
    const char *path = "";
    char err[1200];
    if (h->param_string(h, "model", &path) != ANIMAT_OK) path = "";
    err[0] = '\0';
    b->m = mjb_arena_model(h, path, err, (int)sizeof err);
    if (!b->m && err[0]) {
        h->error(h, "mjcf: %s", err);
        return -1;
    }
    if (!b->m && !(b->m = mjcf_load(path, err, (int)sizeof err))) {
        h->error(h, "%s", err);
        return -1;
    }
    if (mjcf_task_resolve(b->m, &b->task, err, (int)sizeof err) ||
        mjb_arena_regions(b->m, &b->rft, err, (int)sizeof err) ||
        mjb_eyes_create(h, b->m, b->camera_render, &b->eyes, err, (int)sizeof err) ||
        mjcf_make_ports(b, err, (int)sizeof err) || mjcf_morph_init(b, err, (int)sizeof err)) {
        h->error(h, "mjcf: %s: %s", *path ? path : "(built-in model)", err);
        return -1;
    }
    /* the target moves at reset: a site compiled at its body's frame
     * (pos 0, no rotation) is flagged sameframe, and MuJoCo would copy the
     * body's frame instead of reading site_pos */
    if (b->task.target_site >= 0) b->m->site_sameframe[b->task.target_site] = 0;
    b->d = mj_makeData(b->m);
    if (!b->d) {
        h->error(h, "mjcf: MuJoCo could not allocate the model's data");
        return -1;
    }
    b->physics_steps = (int)steps;
    b->control_dt = steps * b->m->opt.timestep;
    double n = round(time_limit / b->control_dt);
    b->step_limit = n < 1 ? 1 : (uint64_t)n;
    return 0;
}

/* Parameters, model, data, ports; the instance or NULL after h->error. */
static void *mjcf_create(const animat_host *h) {
    mjcf_body *b = h->alloc(h, sizeof *b);
    if (!b) {
        h->error(h, "mjcf: out of memory");
        return NULL;
    }
    b->h = h;
    double time_limit, steps;
    if (mjcf_read_numbers(h, b, &time_limit, &steps) || mjcf_read_choices(h, b) ||
        mjcf_build(h, b, time_limit, steps)) {
        mjcf_destroy(b);
        return NULL;
    }
    return b;
}

/* Ports by direction. Any phase after create. */
static const animat_port_info *mjcf_ports(void *self, uint32_t dir, uint32_t *n) {
    mjcf_body *b = self;
    return animat_ports_pick(dir, b->in, b->nin, b->out, b->nout, n);
}

/* Seconds per control step. Any phase after create. */
static double mjcf_control_dt(void *self) { return ((mjcf_body *)self)->control_dt; }

/* New episode from the host's stream (seed unused); fails, naming the
 * MuJoCo warning, when the first mj_forward meets one. Reset phase. */
static int32_t mjcf_reset(void *self, uint64_t seed, double *const *obs) {
    mjcf_body *b = self;
    (void)seed;
    mjcf_morph_apply(b);
    mjcf_reset_state(b);
    b->nstep = 0;
    const char *why = mjb_check_state(b->m, b->d); /* e.g. a drawn state MuJoCo rejects */
    if (why) {
        b->h->error(b->h, "mjcf: initial state: %s", why);
        return ANIMAT_ERROR;
    }
    mjcf_observe(b, obs);
    return ANIMAT_OK;
}

/* One control step: controls, physics, observations, reward. No
 * allocation. Step phase. */
static int32_t mjcf_step(void *self, const double *const *act, double *const *obs, animat_step_result *out) {
    mjcf_body *b = self;
    double t0 = b->d->time;
    mjcf_apply(b, act);
    const char *why = mjb_advance(b->m, b->d, b->physics_steps, &b->rft);
    if (why) {
        char design[512];
        mjcf_morph_describe(b, design, sizeof design);
        b->h->error(b->h, "simulation diverged at t=%.6g s: %s in control step %llu; try a smaller timestep%s",
                    t0 + b->control_dt, why, (unsigned long long)b->nstep + 1, design);
        return ANIMAT_ERROR;
    }
    b->nstep++;
    mjcf_observe(b, obs);
    int terminal = 0;
    out->reward = mjcf_reward(b->m, b->d, &b->task, &terminal);
    out->terminated = (uint32_t)terminal;
    out->truncated = !terminal && b->nstep >= b->step_limit;
    return ANIMAT_OK;
}

/* "animat.state/1" (animat/state.h): the step counter and the MuJoCo
 * state (mjb_state_*: simulation state, warm start, time, the moved
 * targets). The host's stream and the port buffers are the host's. */
static uint64_t mjcf_state_size(void *self) {
    const mjcf_body *b = self;
    return mjcf_morph_state_size(b) + mjb_state_size(b->m, b->d);
}

static int32_t mjcf_state_save(void *self, void *buf, uint64_t size) {
    mjcf_body *b = self;
    uint64_t k = mjcf_morph_state_size(b);
    if (size == mjcf_state_size(b)) mjcf_morph_save(b, buf);
    if (size >= k && mjb_state_save(b->m, b->d, b->nstep, (char *)buf + k, size - k) == 0) return ANIMAT_OK;
    b->h->error(b->h, "mjcf: state save: %llu bytes, this instance's state is %llu bytes", (unsigned long long)size,
                (unsigned long long)mjcf_state_size(b));
    return ANIMAT_ERROR;
}

static int32_t mjcf_state_load(void *self, const void *buf, uint64_t size) {
    mjcf_body *b = self;
    uint64_t k = mjcf_morph_state_size(b);
    if (size == mjcf_state_size(b)) mjcf_morph_load(b, buf); /* before mjb's mj_step1 */
    if (size >= k && mjb_state_load(b->m, b->d, &b->nstep, (const char *)buf + k, size - k) == 0) return ANIMAT_OK;
    b->h->error(b->h, "mjcf: state load: %llu bytes, this instance's state is %llu bytes", (unsigned long long)size,
                (unsigned long long)mjcf_state_size(b));
    return ANIMAT_ERROR;
}

static const animat_state_ext mjcf_state = {sizeof(animat_state_ext), 0, mjcf_state_size, mjcf_state_save,
                                            mjcf_state_load};

/* Capabilities by id: ANIMAT_EXT_MUJOCO (mjcf_view.c) gives a static table
 * valid for the plugin's lifetime; any other id (or NULL) gives NULL. Any
 * phase after create; the instance's thread. */
static const void *mjcf_extension(void *self, const char *id) {
    if (id && strcmp(id, ANIMAT_EXT_STATE) == 0) return &mjcf_state;
    if (id && strcmp(id, ANIMAT_EXT_MUJOCO) == 0) return &mjcf_mujoco_ext;
    if (id && strcmp(id, ANIMAT_EXT_PORTS) == 0) return &mjcf_ports_ext;
    if (id && strcmp(id, ANIMAT_EXT_MORPHOLOGY) == 0 && ((mjcf_body *)self)->morph) return &mjcf_morph_ext;
    return NULL;
}

static const animat_body_api mjcf_api = {
    .struct_size = sizeof(animat_body_api),
    .create = mjcf_create,
    .destroy = mjcf_destroy,
    .ports = mjcf_ports,
    .control_dt = mjcf_control_dt,
    .reset = mjcf_reset,
    .step = mjcf_step,
    .extension = mjcf_extension,
};

static const animat_plugin_desc mjcf_desc =
    ANIMAT_DESC_ID(ANIMAT_KIND_BODY, "org.animat.mjcf", "mjcf", "1.0.0",
                "Any MJCF model as a body: actuators and sensors become ports; forward/reach/upright/control rewards.",
                mjcf_params, &mjcf_api);

static const animat_plugin_desc *const mjcf_plugins[] = {&mjcf_desc};

/* The only exported symbol; init/deinit own MuJoCo's warning handler. */
ANIMAT_EXPORT const animat_plugin_entry animat_entry =
    ANIMAT_ENTRY_INIT(mjcf_plugins, mjb_warn_init, mjb_warn_deinit);
