/* mjb_camera.h -- cameras as observation ports of the MuJoCo bodies (mjcf,
 * swimmer; module mjb_eyes_).
 *
 * A model declares a camera port with a <custom> numeric naming one of its
 * <camera>s:
 *
 *   <numeric name="animat.camera.eye_left" data="W H C"/>
 *
 * gives the OUT port `eye_left` of W * H * C values in [0, 1]: the picture
 * of MuJoCo camera `eye_left` (its pose and fovy are the model's), W x H
 * pixels, C = 3 (RGB) or 1 (grey: 0.299 R + 0.587 G + 0.114 B), top row
 * first, element (y * W + x) * C + c. A small W x H is an ommatidia-like
 * sampling (e.g. 16 x 1: a ring of 16 facets). W and H are integers in
 * [1, MJB_CAM_MAX]. The port declares bounds [0, 1] (animat.ports/1).
 *
 * The swimmer writes such a declaration into the model it generates
 * (its parameters camera and camera_size).
 *
 * Two ways to see (body parameter camera_mode), both deterministic bit for
 * bit (the same seed gives the same pictures; tests/bodies/test_senses.c):
 *
 * ray (default): one MuJoCo ray (mj_ray) per pixel through the pixel's
 *   centre, the pinhole geometry of MuJoCo's renderer; the pixel is the
 *   flat colour (material or geom rgba) of the first geom hit, 0 where
 *   none; the camera's own body is not seen. No lighting, no textures. No
 *   allocation, no GL, fork- and thread-safe: passes every plugin-check.
 * render: MuJoCo's renderer (mjv_updateScene, mjr_render, mjr_readPixels;
 *   shadows and reflections off) into an off-screen buffer in the
 *   instance's own OSMesa context (libOSMesa.so.8 is dlopened with
 *   RTLD_GLOBAL at create: MuJoCo's GL loader finds OSMesaGetProcAddress
 *   there; see docs/render.md): lit, textured pictures. Every observation
 *   makes that context current on the calling thread; `animat render`
 *   makes its own current before it draws. Our buffers are allocated at
 *   create, but Mesa allocates inside every draw (about 66 allocator calls
 *   per picture: plugin-check's alloc check fails) and each create costs a
 *   GL context and shader compilation (its leak and growth checks time out).
 */
#ifndef ANIMAT_MJB_CAMERA_H
#define ANIMAT_MJB_CAMERA_H

#include <animat/animat.h>
#include <mujoco/mujoco.h>

#define MJB_MAX_CAMERAS 8   /* camera ports per body */
#define MJB_CAM_MAX 1024    /* largest width or height, pixels */
#define MJB_CAM_PREFIX "animat.camera."

typedef struct mjb_eyes mjb_eyes;

/* Read the model's camera declarations. 0 with *out NULL when there are
 * none; 0 with *out set (owned by the caller: mjb_eyes_destroy); or -1 with
 * a one-line reason in err naming the <custom> key (without the file).
 * Loads OSMesa and makes the GL context, scene and buffers. Create phase. */
int mjb_eyes_create(const animat_host *h, const mjModel *m, int render, mjb_eyes **out, char *err, int errlen);

/* Camera ports: how many, and port k's record (name, size, doc) and
 * bounds [0, 1] (eyes-owned, valid until destroy). Any phase. */
int mjb_eyes_count(const mjb_eyes *e);
animat_port_info mjb_eyes_port(const mjb_eyes *e, int k);
const animat_port_values *mjb_eyes_values(const mjb_eyes *e);

/* Render every camera of state d into obs[0..count-1]. No allocation.
 * Reset/step phase, the instance's thread. */
void mjb_eyes_observe(mjb_eyes *e, const mjModel *m, const mjData *d, double *const *obs);

/* Free GL objects, context and buffers; NULL is a no-op. Destroy phase. */
void mjb_eyes_destroy(const animat_host *h, mjb_eyes *e);

#endif /* ANIMAT_MJB_CAMERA_H */
