/* animat/body.h -- body plugins: a physical body in a world (Gymnasium-style).
 *
 * Lifecycle (all on one thread at a time):
 *   create -> ports/control_dt -> { reset -> step* } * -> destroy
 * Observations are written to the body's OUT ports; actions are read from its
 * IN ports. One step advances one control interval (e.g. 15 physics steps).
 */
#ifndef ANIMAT_BODY_H
#define ANIMAT_BODY_H

#include "abi.h"
#include "host.h"
#include "port.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Filled by the body on every step. The host sets struct_size and zeroes it
 * before the call; the body writes only fields below struct_size. */
typedef struct animat_step_result {
    uint32_t struct_size; /* set by the host */
    uint32_t terminated;  /* 1 if the episode reached a terminal state */
    uint32_t truncated;   /* 1 if the episode hit its time limit */
    uint32_t reserved;    /* 0 */
    double reward;        /* reward for this control step */
} animat_step_result;

typedef struct animat_body_api {
    uint32_t struct_size; /* sizeof(animat_body_api) */

    /* Build an instance from the resolved parameters (read via h->param_*).
     * Returns an opaque instance, or NULL after h->error(). `h` stays valid
     * until destroy. Phase: create. Required. */
    void *(*create)(const animat_host *h);

    /* Release everything create allocated. NULL self is a no-op. Required. */
    void (*destroy)(void *self);

    /* Ports in direction `dir` (ANIMAT_PORT_IN = actions, ANIMAT_PORT_OUT =
     * observations). Returns an instance-owned array (stride struct_size)
     * valid until destroy and writes its length to *n. Any phase after
     * create. Required. */
    const animat_port_info *(*ports)(void *self, uint32_t dir, uint32_t *n);

    /* Seconds of simulated time per step (e.g. 0.03). Constant per instance.
     * Required. */
    double (*control_dt)(void *self);

    /* Start an episode: draw the initial state from h->rng_* (already
     * reseeded by the host) and write the first observation to `obs` (one
     * buffer per OUT port). `seed` is the same per-episode seed, for bodies
     * that keep their own generator. ANIMAT_OK or ANIMAT_ERROR. Required. */
    int32_t (*reset)(void *self, uint64_t seed, double *const *obs);

    /* Apply `act` (one buffer per IN port) for one control interval, then
     * write observations to `obs` and fill `out`. ANIMAT_OK or ANIMAT_ERROR
     * (the episode is then aborted). Must not allocate. Required. */
    int32_t (*step)(void *self, const double *const *act, double *const *obs,
                    animat_step_result *out);

    /* --- ABI 1.2 --- */

    /* Optional capabilities of this instance by string id with revision
     * (e.g. "animat.render/1"). Returns a plugin-owned const table valid
     * until destroy, or NULL when unsupported. Any phase after create, the
     * instance's thread. Optional (NULL = no extensions). */
    const void *(*extension)(void *self, const char *id);
} animat_body_api;

/* Extension "animat.mujoco/1" (ABI 1.2): a body simulated with MuJoCo shows
 * the host its model and state, so that the host can draw it (`animat
 * render`) with MuJoCo's own renderer: the body brings its own scene (its
 * model's geoms, materials, lights and visual settings). The host only
 * reads; it never writes to the model or the data, never steps them and
 * never frees them.
 *
 * mjModel/mjData are passed as `const void *` so that this header does not
 * need MuJoCo's. Model and data are only meaningful to a host linked against
 * the same MuJoCo: the host compares mujoco_version with its own
 * mj_version() and refuses the body (one line, nothing rendered) when they
 * differ. */
#define ANIMAT_EXT_MUJOCO "animat.mujoco/1"

/* A camera suggestion, filled by animat_mujoco_ext.camera. The host zeroes
 * it and sets struct_size before the call; the body writes only fields
 * below struct_size. Plain data, caller-owned. */
typedef struct animat_mujoco_camera {
    uint32_t struct_size; /* set by the host */
    int32_t track_body;   /* body id the camera follows (its subtree's centre
                           * of mass); -1 = a fixed camera looking at lookat */
    double distance;      /* from the point looked at, m (> 0) */
    double azimuth;       /* degrees, MuJoCo's convention (mjvCamera) */
    double elevation;     /* degrees, negative looks down */
    double lookat[3];     /* world point looked at when track_body is -1 */
} animat_mujoco_camera;

typedef struct animat_mujoco_ext {
    uint32_t struct_size; /* sizeof(animat_mujoco_ext) */

    /* The MuJoCo library version the plugin was compiled against
     * (mjVERSION_HEADER, e.g. 222 for 2.2.2). The host refuses a value
     * other than its own mj_version(). */
    int32_t mujoco_version;

    /* The instance's model (a const mjModel *). Instance-owned, valid and
     * at the same address until destroy; the host may read it (e.g. to
     * upload meshes and textures once) but never writes or frees it. Any
     * phase after create, the instance's thread. Required. */
    const void *(*model)(void *self);

    /* The instance's current state (a const mjData *): after reset or step
     * it describes the state the body just observed (positions, xpos/xmat
     * of bodies and geoms are up to date). Instance-owned, valid and at the
     * same address until destroy; read-only for the host (MuJoCo's
     * mjv_updateScene takes a non-const mjData *, but changes no state),
     * and only between the body's calls, on the instance's thread.
     * Required. */
    const void *(*data)(void *self);

    /* Fill *cam with the body's suggested tracking camera. ANIMAT_OK, or
     * ANIMAT_ERROR (then the host uses its own default view). Any phase
     * after create, the instance's thread. Must not allocate. Optional
     * (NULL = the host's default view). */
    int32_t (*camera)(void *self, animat_mujoco_camera *cam);
} animat_mujoco_ext;

#ifdef __cplusplus
}
#endif
#endif /* ANIMAT_BODY_H */
