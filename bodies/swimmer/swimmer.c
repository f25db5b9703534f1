/* swimmer.c -- the "swimmer" body plugin: ABI glue (module swm_).
 *
 * Parameters, ports and the animat_body_api over swimmer_model.c (MJCF) and
 * swimmer_sim.c (draws, stepping, observations, rewards). One instance owns
 * one mjModel and one mjData; everything else lives in the instance struct,
 * allocated with h->alloc.
 */
#include <animat/animat.h>
#include <animat/helpers.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../common/mjb.h"
#include "../common/mjb_arena.h"
#include "../common/mjb_camera.h"
#include "swimmer_model.h"
#include "swimmer_morph.h"
#include "swimmer_sim.h"

/* OUT port order; PORT_TARGET exists for the navigate task only, and
 * `position` comes last (index 4 for swim, 5 for navigate: b->port_position).
 * The `obs` port concatenates joints, velocities, then target; dm_control's
 * navigate observation orders them joints, target, velocities (documented in
 * the port's doc so a policy trained elsewhere is wired knowingly). */
enum { SWM_PORT_JOINTS, SWM_PORT_VELOCITIES, SWM_PORT_OBS, SWM_PORT_SPEED, SWM_PORT_TARGET,
       SWM_NOUT_MAX = SWM_PORT_TARGET + 3 }; /* + position, + the camera port "eye" */

/* One body instance. Created by swm_create, freed by swm_destroy. */
typedef struct swm_body {
    const animat_host *h;           /* host table, valid until destroy */
    mjModel *m;                     /* own model (target position is mutated) */
    mjData *d;                      /* own data */
    swm_index ix;                   /* resolved model indices */
    int task;                       /* SWM_TASK_* */
    int physics_steps;              /* mj_step calls per control step */
    double control_dt;              /* physics_steps * timestep, s */
    mjb_rft rft;                    /* medium: rft.on = 0 for MuJoCo's fluid */
    double target_speed;            /* swim reward scale, m/s */
    uint64_t step_limit;            /* control steps per episode */
    uint64_t nstep;                 /* control steps since reset */
    animat_port_info in[1];         /* "motors" */
    animat_port_info out[SWM_NOUT_MAX];
    uint32_t nout;                  /* 5 (swim) or 6 (navigate) */
    uint32_t port_position;         /* OUT index of "position": nout - 1 */
    double view_distance;           /* camera distance, m: 2 * n_bodies * link_length */
    swm_morph morph;                /* design parameters (animat.morphology/1) */
    mjb_arena arena;                /* arena parameters (mjb_arena.h); paths host-owned */
    mjb_eyes *eyes;                 /* the camera port (mjb_camera.h), or NULL; owned */
    int port_eye;                   /* OUT index of "eye", or -1 */
} swm_body;

/* Configuration parameters, validated by the host and again in create. */
static const animat_param_info swm_params[] = {
    {sizeof(animat_param_info), ANIMAT_PARAM_INT, 0, 0, "n_bodies", "", 6, 3, 16, NULL, NULL,
     "Number of links: the head plus n_bodies-1 actuated segments."},
    {sizeof(animat_param_info), ANIMAT_PARAM_CHOICE, 0, 0, "task", "", 0, 0, 0,
     "swim|navigate", NULL,
     "swim rewards forward head speed; navigate rewards reaching a random target."},
    {sizeof(animat_param_info), ANIMAT_PARAM_REAL, 0, 0, "time_limit", "s", 30, 0.03, 3600,
     NULL, NULL, "Episode length in simulated seconds, after which the episode is truncated."},
    {sizeof(animat_param_info), ANIMAT_PARAM_INT, 0, 0, "physics_steps", "", 15, 1, 1000, NULL,
     NULL, "MuJoCo steps per control step (control dt = physics_steps * timestep)."},
    {sizeof(animat_param_info), ANIMAT_PARAM_REAL, 0, 0, "timestep", "s", 0.002, 1e-5, 0.01,
     NULL, NULL, "MuJoCo integration timestep."},
    {sizeof(animat_param_info), ANIMAT_PARAM_REAL, 0, 0, "density", "kg/m^3", 3000, 0, 1e5,
     NULL, NULL, "Fluid density for MuJoCo's inertia-box drag model (0 turns drag off)."},
    {sizeof(animat_param_info), ANIMAT_PARAM_REAL, 0, 0, "viscosity", "Pa*s", 0, 0, 1e3, NULL,
     NULL, "Fluid viscosity for MuJoCo's inertia-box drag model."},
    {sizeof(animat_param_info), ANIMAT_PARAM_REAL, 0, 0, "target_speed", "m/s", 0.1, 1e-6, 10,
     NULL, NULL, "Head speed at which the swim reward saturates at 1."},
    ANIMAT_P_REAL("link_length", "m", 0.1, 0.01, 1,
                  "Length of every link; the head's geometry scales with it."),
    ANIMAT_P_REAL("link_radius", "m", 0.01, 0.001, 0.1,
                  "Link capsule radius and half-height of its inertial box."),
    ANIMAT_P_CHOICE("medium", "fluid|rft", 0,
                    "fluid: MuJoCo's inertia-box drag (density, viscosity); rft: resistive force theory drag per link (fluid off)."),
    ANIMAT_P_REAL("rft_drag", "N*s/m", 0.05, 0, 100,
                  "rft: tangential drag coefficient of one link."),
    ANIMAT_P_REAL("rft_ratio", "", 1.5, 1, 100,
                  "rft: normal/tangential drag ratio (about 1.5 water, 10 agar gel, 30-40 stiff agar)."),
    ANIMAT_P_REAL("design_lo", "", 0.5, 0.01, 1,
                  "Design parameters (animat.morphology/1): per-link length and radius factors >= design_lo."),
    ANIMAT_P_REAL("design_hi", "", 2, 1, 100,
                  "Design parameters: per-link length and radius factors <= design_hi (rft drag keeps link_length)."),
    ANIMAT_P_PATH("arena", "Arena: an MJCF file whose walls, obstacles and assets are added to the model's; "
                           "contacts with them on (docs/arenas.md)."),
    ANIMAT_P_CHOICE("terrain", "flat|image|noise", 0,
                    "Ground: flat, a heightfield from terrain_image, or seeded noise "
                    "(the swimmer is planar at z = 0.05 m: terrain above it is an obstacle)."),
    ANIMAT_P_PATH("terrain_image", "terrain: image: a PNG whose grey levels are the heights."),
    ANIMAT_P_REAL_LIST("terrain_size", "m", "5,5,0.1,0.05", 0.001, 1000,
                       "Heightfield half-sizes x, y, height and base depth."),
    ANIMAT_P_INT("terrain_seed", "", 1, 0, 4294967295.0, "terrain: noise: the GSL mt19937 seed of the heights."),
    ANIMAT_P_INT("terrain_cells", "", 64, 8, 1024, "terrain: noise: cells per side."),
    ANIMAT_P_BOOL("camera", 0, "Add the OUT port `eye`: the view from the nose, straight ahead (docs/senses.md)."),
    ANIMAT_P_REAL_LIST("camera_size", "", "16,16,3", 1, 1024,
                       "camera: width, height (pixels) and channels (3 RGB, 1 grey)."),
    ANIMAT_P_REAL("camera_fovy", "deg", 90, 1, 179, "camera: vertical field of view."),
    ANIMAT_P_CHOICE("camera_mode", "ray|render", 0, "camera: ray = flat colours by MuJoCo rays (no allocation); "
                                                   "render = lit pictures by MuJoCo's renderer in OSMesa."),
};
#define SWM_NPARAMS ((uint32_t)(sizeof swm_params / sizeof swm_params[0]))

/* Fill one port record. Create phase. */
static void swm_port(animat_port_info *p, const char *name, uint32_t size, uint32_t flags,
                     const char *unit, const char *doc) {
    memset(p, 0, sizeof *p);
    p->struct_size = sizeof *p;
    p->size = size;
    p->flags = flags;
    p->name = name;
    p->unit = unit;
    p->doc = doc;
}

/* Read an integer-valued parameter within [lo, hi]; 0 or -1 after h->error. */
static int swm_param_int(const animat_host *h, const char *name, double lo, double hi,
                         int *out) {
    double v;
    if (h->param_real(h, name, &v) != ANIMAT_OK || !(v >= lo && v <= hi) || v != floor(v)) {
        h->error(h, "swimmer: %s must be an integer in [%g, %g]", name, lo, hi);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* Read a real parameter within [lo, hi]; 0 or -1 after h->error. */
static int swm_param_range(const animat_host *h, const char *name, double lo, double hi,
                           double *out) {
    if (h->param_real(h, name, out) != ANIMAT_OK || !(*out >= lo && *out <= hi)) {
        h->error(h, "swimmer: %s must be in [%g, %g]", name, lo, hi);
        return -1;
    }
    return 0;
}

/* The medium: fluid keeps MuJoCo's drag; rft turns it off and sets up RFT
 * over every link (axis y, rotational drag of a uniform rod, cn L^2 / 12).
 * 0 or -1 after h->error. Create phase. */
static int swm_read_medium(const animat_host *h, swm_config *cfg, mjb_rft *rft) {
    const char *medium = NULL;
    memset(rft, 0, sizeof *rft);
    if (h->param_choice(h, "medium", &medium) != ANIMAT_OK || !medium) medium = "";
    if (strcmp(medium, "fluid") == 0) return 0;
    if (strcmp(medium, "rft") != 0) {
        h->error(h, "swimmer: medium must be fluid or rft, not '%s'", medium);
        return -1;
    }
    if (swm_param_range(h, "rft_drag", 0, 100, &rft->ct) ||
        swm_param_range(h, "rft_ratio", 1, 100, &rft->ratio))
        return -1;
    double L = cfg->link_length;
    rft->on = 1;
    rft->axis = 1;
    rft->first_body = 1;
    rft->cr = rft->ct * rft->ratio * L * L / 12.0;
    cfg->density = 0;
    cfg->viscosity = 0;
    return 0;
}

/* The camera parameters into cfg (eye[0] 0 without camera); *render for
 * camera_mode render. 0 or -1 after h->error. Create phase. */
static int swm_read_camera(const animat_host *h, swm_config *cfg, int *render) {
    double on = 0;
    const double *v = NULL;
    uint32_t n = 0;
    const char *mode = "";
    if (h->param_real(h, "camera", &on) != ANIMAT_OK || h->param_list(h, "camera_size", &v, &n) != ANIMAT_OK ||
        h->param_choice(h, "camera_mode", &mode) != ANIMAT_OK ||
        swm_param_range(h, "camera_fovy", 1, 179, &cfg->eye_fovy)) {
        h->error(h, "swimmer: cannot read the camera parameters");
        return -1;
    }
    *render = strcmp(mode, "render") == 0;
    if (on == 0) return 0;
    if (n != 3) {
        h->error(h, "swimmer: camera_size needs 3 values (width, height, channels), not %u", n);
        return -1;
    }
    for (int k = 0; k < 3; k++) {
        if (!(v[k] >= 1 && v[k] <= MJB_CAM_MAX && v[k] == floor(v[k]))) {
            h->error(h, "swimmer: camera_size[%d] = %g is not a whole number in [1, %d]", k, v[k], MJB_CAM_MAX);
            return -1;
        }
        cfg->eye[k] = (int)v[k];
    }
    if (cfg->eye[2] != 1 && cfg->eye[2] != 3) {
        h->error(h, "swimmer: camera_size[2]: channels %d must be 3 (RGB) or 1 (grey)", cfg->eye[2]);
        return -1;
    }
    return 0;
}

/* Resolve every parameter into cfg and b; 0 or -1 after h->error. Create. */
static int swm_read_params(const animat_host *h, swm_config *cfg, swm_body *b) {
    double time_limit;
    const char *task = NULL;
    if (swm_param_int(h, "n_bodies", SWM_MIN_BODIES, SWM_MAX_BODIES, &cfg->n_bodies) ||
        swm_param_int(h, "physics_steps", 1, 1000, &b->physics_steps) ||
        swm_param_range(h, "time_limit", 0.03, 3600, &time_limit) ||
        swm_param_range(h, "timestep", 1e-5, 0.01, &cfg->timestep) ||
        swm_param_range(h, "density", 0, 1e5, &cfg->density) ||
        swm_param_range(h, "viscosity", 0, 1e3, &cfg->viscosity) ||
        swm_param_range(h, "target_speed", 1e-6, 10, &b->target_speed) ||
        swm_param_range(h, "link_length", 0.01, 1, &cfg->link_length) ||
        swm_param_range(h, "link_radius", 0.001, 0.1, &cfg->link_radius) ||
        swm_read_medium(h, cfg, &b->rft))
        return -1;

    /* task choice */
    if (h->param_choice(h, "task", &task) != ANIMAT_OK || !task) task = "";
    if (strcmp(task, "swim") == 0) cfg->task = SWM_TASK_SWIM;
    else if (strcmp(task, "navigate") == 0) cfg->task = SWM_TASK_NAVIGATE;
    else {
        h->error(h, "swimmer: task must be swim or navigate, not '%s'", task);
        return -1;
    }
    b->task = cfg->task;

    /* timing: episode of round(time_limit / control_dt) steps, at least 1 */
    b->control_dt = b->physics_steps * cfg->timestep;
    double steps = round(time_limit / b->control_dt);
    b->step_limit = steps < 1 ? 1 : (uint64_t)steps;
    return 0;
}

/* Declare the ports for n bodies and the task. Create phase. */
static void swm_make_ports(swm_body *b) {
    uint32_t n = (uint32_t)b->ix.n_bodies, nav = (b->task == SWM_TASK_NAVIGATE);
    swm_port(&b->in[0], "motors", n - 1, 0, "",
             "Motor commands in [-1, 1] per segment joint, head joint first (clipped by MuJoCo).");
    swm_port(&b->out[SWM_PORT_JOINTS], "joints", n - 1, 0, "rad",
             "Segment joint angles, joint 0 nearest the head.");
    swm_port(&b->out[SWM_PORT_VELOCITIES], "velocities", 3 * n, 0, "",
             "Per body, head first: local vx, vy (m/s) from its velocimeter and wz (rad/s) from its gyro.");
    swm_port(&b->out[SWM_PORT_OBS], "obs", (n - 1) + 3 * n + 2 * nav, 0, "",
             "Full observation: joints, then velocities, then target (navigate only; dm_control puts target before velocities).");
    swm_port(&b->out[SWM_PORT_SPEED], "speed", 1, ANIMAT_PORT_METRIC, "m/s",
             "Forward speed of the head along its own -y axis.");
    if (nav)
        swm_port(&b->out[SWM_PORT_TARGET], "target", 2, 0, "m",
                 "Target position relative to the nose, in the head frame (x, y).");
    b->port_position = nav ? 5 : 4;
    swm_port(&b->out[b->port_position], "position", 2, 0, "m",
             "World x, y of the head body's origin (for trajectories).");
    b->nout = b->port_position + 1;
    b->port_eye = b->eyes ? (int)b->nout : -1;
    if (b->eyes) b->out[b->nout++] = mjb_eyes_port(b->eyes, 0);
}

/* Release everything; NULL is a no-op. Destroy phase. */
static void swm_destroy(void *self) {
    swm_body *b = self;
    if (!b) return;
    mjb_eyes_destroy(b->h, b->eyes);
    if (b->d) mj_deleteData(b->d);
    if (b->m) mj_deleteModel(b->m);
    b->h->free(b->h, b);
}

/* "swimmer: WHAT WHY" into err; -1. */
static int swm_fail(char *err, int errlen, const char *what, const char *why) {
    snprintf(err, (size_t)errlen, "swimmer: %s%s", what, why);
    return -1;
}

/* The model for cfg merged with the instance's arena (checked: no link
 * inside an obstacle), its medium regions, data and the camera. 0, or -1
 * with a one-line reason in err. Create phase. */
static int swm_build_world(swm_body *b, swm_config *cfg, int render, char *err, int errlen) {
    char why[800], what[300];
    if (mjb_arena_read(b->h, &b->arena, why, (int)sizeof why)) return swm_fail(err, errlen, "", why);
    cfg->arena = &b->arena;
    if (!(b->m = swm_build(cfg, err, errlen))) return -1;
    snprintf(what, sizeof what, "with arena %.250s: ", *b->arena.arena ? b->arena.arena : "(terrain only)");
    if (mjb_arena_any(&b->arena) && mjb_arena_check(b->m, why, (int)sizeof why))
        return swm_fail(err, errlen, what, why);
    if (mjb_arena_regions(b->m, &b->rft, why, (int)sizeof why) ||
        mjb_eyes_create(b->h, b->m, render, &b->eyes, why, (int)sizeof why))
        return swm_fail(err, errlen, "", why);
    if (!(b->d = mj_makeData(b->m))) return swm_fail(err, errlen, "", "MuJoCo could not allocate the model's data");
    if (swm_index_init(b->m, &b->ix) != 0) return swm_fail(err, errlen, "", "generated model has an unexpected layout");
    return 0;
}

/* Read parameters, build the model and data, declare the ports. Returns the
 * instance or NULL after h->error. Create phase. */
static void *swm_create(const animat_host *h) {
    swm_body *b = h->alloc(h, sizeof *b);
    if (!b) {
        h->error(h, "swimmer: out of memory");
        return NULL;
    }
    b->h = h;

    /* parameters */
    swm_config cfg;
    swm_default_config(&cfg);
    if (swm_read_params(h, &cfg, b) != 0) {
        swm_destroy(b);
        return NULL;
    }

    /* model (with the arena and camera), data, senses */
    char err[1200];
    int render = 0;
    if (swm_read_camera(h, &cfg, &render)) {
        swm_destroy(b);
        return NULL;
    }
    if (swm_build_world(b, &cfg, render, err, (int)sizeof err)) {
        h->error(h, "%s", err);
        swm_destroy(b);
        return NULL;
    }
    swm_make_ports(b);
    double lo = 0.5, hi = 2;
    if (swm_param_range(h, "design_lo", 0.01, 1, &lo) || swm_param_range(h, "design_hi", 1, 100, &hi)) {
        swm_destroy(b);
        return NULL;
    }
    swm_morph_init(&b->morph, &cfg, lo, hi);
    b->view_distance = 2.0 * cfg.n_bodies * cfg.link_length;
    return b;
}

/* Port table by direction (NULL and *n = 0 for an unknown direction).
 * Any phase after create. */
static const animat_port_info *swm_ports(void *self, uint32_t dir, uint32_t *n) {
    swm_body *b = self;
    if (dir == ANIMAT_PORT_IN) {
        *n = 1;
        return b->in;
    }
    if (dir == ANIMAT_PORT_OUT) {
        *n = b->nout;
        return b->out;
    }
    *n = 0;
    return NULL;
}

/* Seconds per control step. Any phase after create. */
static double swm_control_dt(void *self) {
    return ((swm_body *)self)->control_dt;
}

/* Adapter from swm_uniform_fn to the host's stream. */
static double swm_host_uniform(void *ctx) {
    const animat_host *h = ctx;
    return h->rng_uniform(h);
}

/* Write every OUT port from the current (synced) state. Reset/step phase. */
static void swm_observe(swm_body *b, double *const *obs) {
    uint32_t nj = (uint32_t)b->ix.n_bodies - 1, nvel = 3 * (uint32_t)b->ix.n_bodies;
    swm_joints(b->m, b->d, &b->ix, obs[SWM_PORT_JOINTS]);
    swm_velocities(b->m, b->d, &b->ix, obs[SWM_PORT_VELOCITIES]);
    obs[SWM_PORT_SPEED][0] = swm_forward_speed(b->m, b->d);
    obs[b->port_position][0] = b->d->xpos[3 * b->ix.head_body];
    obs[b->port_position][1] = b->d->xpos[3 * b->ix.head_body + 1];
    if (b->port_eye >= 0) mjb_eyes_observe(b->eyes, b->m, b->d, obs + b->port_eye);

    /* obs = joints ++ velocities (++ target) */
    double *all = obs[SWM_PORT_OBS];
    memcpy(all, obs[SWM_PORT_JOINTS], nj * sizeof(double));
    memcpy(all + nj, obs[SWM_PORT_VELOCITIES], nvel * sizeof(double));
    if (b->task == SWM_TASK_NAVIGATE) {
        swm_nose_to_target(b->d, &b->ix, obs[SWM_PORT_TARGET]);
        memcpy(all + nj + nvel, obs[SWM_PORT_TARGET], 2 * sizeof(double));
    }
}

/* Draw the initial state from the host's stream (reseeded by the host; seed
 * itself is unused) and observe it. Reset phase. */
static int32_t swm_reset(void *self, uint64_t seed, double *const *obs) {
    swm_body *b = self;
    (void)seed;
    char err[1400];
    if (swm_morph_apply(&b->morph, b->m, err, sizeof err)) {
        b->h->error(b->h, "swimmer: %s", err);
        return ANIMAT_ERROR;
    }
    swm_reset_state(b->m, b->d, &b->ix, swm_host_uniform, (void *)b->h);
    b->nstep = 0;
    swm_observe(b, obs);
    return ANIMAT_OK;
}

/* Apply motors for one control interval, observe, reward. No allocation.
 * Step phase. */
static int32_t swm_step(void *self, const double *const *act, double *const *obs,
                        animat_step_result *out) {
    swm_body *b = self;
    double t0 = b->d->time; /* MuJoCo resets d->time when it meets a bad value */
    for (int i = 0; i < b->m->nu; i++) b->d->ctrl[i] = act[0][i];
    const char *why = mjb_advance(b->m, b->d, b->physics_steps, &b->rft);
    if (why) {
        char design[600];
        swm_morph_describe(&b->morph, design, sizeof design);
        b->h->error(b->h, "simulation diverged at t=%.6g s: %s in control step %llu; %s%s", t0 + b->control_dt, why,
                    (unsigned long long)b->nstep + 1, *design ? "design " : "try a smaller timestep",
                    design);
        return ANIMAT_ERROR;
    }
    b->nstep++;
    swm_observe(b, obs);

    /* reward */
    double r;
    if (b->task == SWM_TASK_NAVIGATE) {
        const double *t = obs[SWM_PORT_TARGET];
        r = swm_reward_navigate(sqrt(t[0] * t[0] + t[1] * t[1]));
    } else {
        r = swm_reward_swim(obs[SWM_PORT_SPEED][0], b->target_speed);
    }
    out->reward = r;
    out->terminated = 0;
    out->truncated = b->nstep >= b->step_limit;
    return ANIMAT_OK;
}

/* animat.mujoco/1: the instance's model and data, read-only for the host.
 * Any phase after create, the instance's thread. */
static const void *swm_mj_model(void *self) { return ((swm_body *)self)->m; }
static const void *swm_mj_data(void *self) { return ((swm_body *)self)->d; }

/* animat.mujoco/1: a camera following the head body's subtree (the whole
 * swimmer's centre of mass) from above, far enough to see every link.
 * ANIMAT_OK. No allocation. Any phase after create. */
static int32_t swm_mj_camera(void *self, animat_mujoco_camera *cam) {
    const swm_body *b = self;
    cam->track_body = b->ix.head_body;
    cam->distance = b->view_distance;
    cam->azimuth = 90.0;
    cam->elevation = -60.0;
    return ANIMAT_OK;
}

static const animat_mujoco_ext swm_mujoco = {
    .struct_size = sizeof(animat_mujoco_ext),
    .mujoco_version = mjVERSION_HEADER,
    .model = swm_mj_model,
    .data = swm_mj_data,
    .camera = swm_mj_camera,
};

/* "animat.state/1" (animat/state.h): the step counter and the MuJoCo
 * state (mjb_state_*: simulation state, warm start, time, the moved
 * targets). The host's stream and the port buffers are the host's. */
static uint64_t swm_state_size(void *self) {
    const swm_body *b = self;
    return b->morph.n * sizeof(double) + mjb_state_size(b->m, b->d);
}

/* The design in force leads the bytes: a state carries its shape. */
static int32_t swm_state_save(void *self, void *buf, uint64_t size) {
    swm_body *b = self;
    uint64_t k = b->morph.n * sizeof(double);
    if (size >= k) memcpy(buf, b->morph.have, k);
    if (size >= k && mjb_state_save(b->m, b->d, b->nstep, (char *)buf + k, size - k) == 0) return ANIMAT_OK;
    b->h->error(b->h, "swimmer: state save: %llu bytes, this instance's state is %llu bytes", (unsigned long long)size,
                (unsigned long long)swm_state_size(b));
    return ANIMAT_ERROR;
}

/* A state of another design is refused (loading may not allocate, and a
 * rebuild would): run with the same design (--theta) as the saved run. */
static int32_t swm_state_load(void *self, const void *buf, uint64_t size) {
    swm_body *b = self;
    uint64_t k = b->morph.n * sizeof(double);
    if (size == swm_state_size(b) && memcmp(buf, b->morph.have, k)) {
        b->h->error(b->h, "swimmer: state load: the state was saved with another design (animat.morphology/1)");
        return ANIMAT_ERROR;
    }
    if (size >= k && mjb_state_load(b->m, b->d, &b->nstep, (const char *)buf + k, size - k) == 0) return ANIMAT_OK;
    b->h->error(b->h, "swimmer: state load: %llu bytes, this instance's state is %llu bytes", (unsigned long long)size,
                (unsigned long long)swm_state_size(b));
    return ANIMAT_ERROR;
}

static const animat_state_ext swm_state = {sizeof(animat_state_ext), 0, swm_state_size, swm_state_save,
                                            swm_state_load};

/* "animat.ports/1": motors in [-1, 1] (the model's ctrlrange); the camera
 * port in [0, 1]; the other observations are unbounded. */
static const animat_port_values swm_motor_values = {.struct_size = sizeof(animat_port_values), .lower = -1, .upper = 1};
static const animat_port_values *swm_values(void *self, uint32_t dir, uint32_t i) {
    const swm_body *b = self;
    if (dir == ANIMAT_PORT_OUT && b->port_eye >= 0 && i == (uint32_t)b->port_eye) return mjb_eyes_values(b->eyes);
    return dir == ANIMAT_PORT_IN && i == 0 ? &swm_motor_values : NULL;
}
static const animat_ports_ext swm_ports_ext = {.struct_size = sizeof(animat_ports_ext), .values = swm_values};

/* "animat.morphology/1" (animat/morphology.h, swimmer_morph.h): per-link
 * lengths and radii, applied at the next reset. */
static const animat_param_info *swm_morph_info(void *self, uint32_t *n) {
    swm_body *b = self;
    *n = b->morph.n;
    return b->morph.info;
}

static int32_t swm_morph_get(void *self, double *v, uint32_t n) {
    swm_body *b = self;
    if (n != b->morph.n) {
        b->h->error(b->h, "swimmer: morphology get: %u values, this body has %u", n, b->morph.n);
        return ANIMAT_ERROR;
    }
    memcpy(v, b->morph.want, n * sizeof *v);
    return ANIMAT_OK;
}

static int32_t swm_morph_set_values(void *self, const double *v, uint32_t n) {
    swm_body *b = self;
    char why[200];
    if (swm_morph_set(&b->morph, v, n, why, sizeof why) == 0) return ANIMAT_OK;
    b->h->error(b->h, "%s", why);
    return ANIMAT_ERROR;
}

static const animat_morphology_ext swm_morph_ext = {.struct_size = sizeof(animat_morphology_ext),
                                                    .info = swm_morph_info,
                                                    .get = swm_morph_get,
                                                    .set = swm_morph_set_values};

/* Capabilities by id: ANIMAT_EXT_MUJOCO and ANIMAT_EXT_PORTS give static
 * tables valid for the plugin's lifetime; any other id (or NULL) gives NULL.
 * Any phase after create; the instance's thread. */
static const void *swm_extension(void *self, const char *id) {
    (void)self;
    if (id && strcmp(id, ANIMAT_EXT_STATE) == 0) return &swm_state;
    if (id && strcmp(id, ANIMAT_EXT_MUJOCO) == 0) return &swm_mujoco;
    if (id && strcmp(id, ANIMAT_EXT_PORTS) == 0) return &swm_ports_ext;
    if (id && strcmp(id, ANIMAT_EXT_MORPHOLOGY) == 0) return &swm_morph_ext;
    return NULL;
}

/* The body vtable. */
static const animat_body_api swm_api = {
    .struct_size = sizeof(animat_body_api),
    .create = swm_create,
    .destroy = swm_destroy,
    .ports = swm_ports,
    .control_dt = swm_control_dt,
    .reset = swm_reset,
    .step = swm_step,
    .extension = swm_extension,
};

/* The descriptor. */
static const animat_plugin_desc swm_desc = {
    sizeof(animat_plugin_desc),
    ANIMAT_KIND_BODY,
    "swimmer",
    "1.0.0",
    "N-link planar swimmer in a MuJoCo fluid (dm_control / NCAP), swim or navigate task.",
    SWM_NPARAMS,
    swm_params,
    &swm_api,
    "org.animat.swimmer",
};

static const animat_plugin_desc *const swm_plugins[] = {&swm_desc};

/* The only exported symbol. MuJoCo's process-wide warning handler is set in
 * init and removed in deinit (bodies/common/mjb_warn.c): warnings that
 * matter become errors naming them, and nothing is printed or written to
 * MUJOCO_LOG.TXT. */
ANIMAT_EXPORT const animat_plugin_entry animat_entry =
    ANIMAT_ENTRY_INIT(swm_plugins, mjb_warn_init, mjb_warn_deinit);
