/* swimmer_model.h -- the N-link planar swimmer as an MJCF model (module swm_).
 *
 * Builds the dm_control/NCAP swimmer (Bhattasali et al. 2022, after dm_control's swimmer) from a small
 * configuration: MJCF text is generated in memory and loaded through MuJoCo's
 * virtual file system. Host-independent, so unit tests compile it directly.
 *
 * Model layout the rest of the plugin relies on:
 *   - qpos/qvel: rootx, rooty, rootz, then joint_0 .. joint_{n-2} (joint_0 is
 *     the one nearest the head);
 *   - bodies: world (0), head (1), segment_0 (2) ...;
 *   - actuators: motor_i drives joint_i;
 *   - sensors: per body, head first, a velocimeter then a gyro (2n sensors of
 *     3 values each, sensordata laid out in that order);
 *   - geoms "nose" and, for the navigate task, "target".
 */
#ifndef SWIMMER_MODEL_H
#define SWIMMER_MODEL_H

#include <mujoco/mujoco.h>

#include "../common/mjb_arena.h"

/* Tasks (swm_config.task); the index into the "swim|navigate" choice. */
#define SWM_TASK_SWIM 0
#define SWM_TASK_NAVIGATE 1

/* Accepted range of n_bodies (head + n_bodies-1 segments). */
#define SWM_MIN_BODIES 3
#define SWM_MAX_BODIES 16

/* What the generated model depends on. Plain data, caller-owned. */
typedef struct swm_config {
    int n_bodies;     /* links, in [SWM_MIN_BODIES, SWM_MAX_BODIES] */
    int task;         /* SWM_TASK_* (navigate adds the target geom) */
    double timestep;  /* physics step, s, in [1e-5, 0.01] */
    double density;   /* fluid density, kg/m^3, in [0, 1e5] */
    double viscosity; /* fluid viscosity, Pa*s, in [0, 1e3] */
    double link_length; /* segment length L, m, in [0.01, 1]; head geometry
                           scales with L / 0.1 */
    double link_radius; /* capsule radius and inertial-box half-height, m,
                           in [0.001, 0.1] */
    int per_link;       /* 1: lengths/radii below give each link its own
                           size (design parameters, swimmer_morph.h); 0:
                           every link has link_length and link_radius */
    double lengths[SWM_MAX_BODIES]; /* per_link: link i's length, head first,
                                       m, in [SWM_MIN_LENGTH, SWM_MAX_LENGTH] */
    double radii[SWM_MAX_BODIES];   /* per_link: link i's radius, m, in
                                       [SWM_MIN_RADIUS, SWM_MAX_RADIUS] */
    const mjb_arena *arena;         /* walls, obstacles, terrain merged in
                                       (../common/mjb_arena.h), or NULL: none.
                                       With one, contacts are on: the links
                                       touch the world's geoms, never each
                                       other, and the navigate target is
                                       touched by nothing */
    int eye[3];                     /* camera port "eye" at the nose, looking
                                       ahead: W, H, C (../common/mjb_camera.h
                                       checks them); eye[0] 0: no camera */
    double eye_fovy;                /* its vertical field of view, degrees */
} swm_config;

/* Accepted per-link sizes (per_link), m: wider than link_length's and
 * link_radius's own ranges, so that a design search can reach shapes whose
 * physics fails (reported as an episode failure, never a crash). */
#define SWM_MIN_LENGTH 0.001
#define SWM_MAX_LENGTH 10.0
#define SWM_MIN_RADIUS 0.0001
#define SWM_MAX_RADIUS 1.0

/* Fill *cfg with the reference values (6 bodies, swim, 0.002 s, 3000, 0,
 * link length 0.1 m, radius 0.01 m, per_link 0, no arena, no camera).
 * cfg must not be NULL. Any phase, any thread. */
void swm_default_config(swm_config *cfg);

/* Half-width of the segment joint range in radians: 2*pi / n_bodies.
 * Any phase, any thread. */
double swm_joint_limit(int n_bodies);

/* Write the MJCF text for cfg into buf. With per_link set and some link's
 * size other than link_length/link_radius, the head takes link 0's size
 * and each segment its own (joint at its head end, body origin at its
 * centre); otherwise the text is the uniform one, byte for byte. Writes (capacity cap bytes, NUL-terminated).
 * Returns the text length, or -1 if cfg is invalid or buf is too small (then
 * a one-line reason goes to err, errlen bytes, when err is not NULL).
 * Caller owns buf. Create phase, any thread. */
int swm_write_xml(const swm_config *cfg, char *buf, int cap, char *err, int errlen);

/* Build the model for cfg. Returns a new mjModel (free with mj_deleteModel),
 * or NULL with a one-line reason in err (errlen bytes; err may be NULL) when
 * cfg is invalid or MuJoCo rejects the text. Temporary buffers (the ~2 MB
 * mjVFS and the text) come from mju_malloc and are freed before returning.
 * Create phase, on the thread that runs create. */
mjModel *swm_build(const swm_config *cfg, char *err, int errlen);

#endif /* SWIMMER_MODEL_H */
