/* render.h -- off-screen pictures of MuJoCo bodies, on the CPU.
 *
 * One renderer draws the bodies of one simulation into W x H RGB frames
 * with MuJoCo's own renderer (mjv_updateScene, mjr_render, mjr_readPixels)
 * in an OSMesa context: no display, no GPU. n bodies are drawn side by
 * side, each in its own panel of about W/n x H pixels with its own camera
 * (panel k spans columns W*k/n .. W*(k+1)/n - 1).
 *
 * OSMesa is loaded when the first renderer opens (dlopen of libOSMesa.so.8
 * with RTLD_GLOBAL, kept for the life of the process): MuJoCo 2.2.2's GL
 * loader (glad, in mjr_makeContext) looks up OSMesaGetProcAddress in the
 * process's global symbol scope, so it finds OSMesa's GL functions without
 * libGL or a display. Linking libOSMesa into the `animat` binary instead
 * would cost every animat command ~0.13 s of start-up (it pulls in LLVM);
 * see docs/render.md.
 *
 * Cameras: a body's tracking camera (animat_mujoco_camera.track_body) is
 * centred on that body's subtree centre of mass in every frame (MuJoCo's own
 * tracking camera lags behind a moving body). Floors: every finite plane in
 * a scene is drawn VIEW_FLOOR_HALF m in each direction from its centre, its
 * texture at the model's scale, so a body that swims far stays over a floor
 * for the whole episode (the model is not changed; physics never sees it).
 *
 * Lifecycle: view_render_open -> view_render_add per body -> (the bodies
 * step) view_render_frame per step -> view_render_close. Everything is
 * allocated by open/add; view_render_frame does not allocate. Thread: the
 * thread that opened it. add, frame and close make the renderer's OSMesa
 * context current first: a body with camera ports (bodies/mjcf) draws in
 * its own context between frames.
 */
#ifndef VIEW_RENDER_H
#define VIEW_RENDER_H

#include <animat/animat.h>
#include <stdint.h>

#include "base/errmsg.h"

#define VIEW_MAX_BODIES 16
#define VIEW_MIN_SIZE 16
#define VIEW_MAX_SIZE 4096
#define VIEW_FLOOR_HALF 500.0f /* m: half the side of the floor as drawn */
#define VIEW_OVERLAY_MAX 256   /* bytes of overlay text per column */

typedef struct view_renderer view_renderer;

/* Parse a frame size "WxH" (each even, in [VIEW_MIN_SIZE, VIEW_MAX_SIZE]:
 * H.264 in yuv420p needs even sizes). 0, or -1 with e set to one line
 * naming `what` (e.g. "--size"). Pure. */
int view_parse_size(const char *text, const char *what, int *w, int *h, errmsg *e);

/* Load OSMesa and create a renderer for frames of w x h for up to nbodies
 * bodies (1..VIEW_MAX_BODIES). NULL with e set ("rendering needs OSMesa:
 * ...") when OSMesa or its context is unavailable. Caller owns the result
 * (view_render_close). */
view_renderer *view_render_open(int w, int h, uint32_t nbodies, errmsg *e);

/* The same for a window: no OSMesa; the renderer uses the GL context
 * current on the calling thread (a GLFW window's, core/view/window.h), which
 * must stay current for every later call. NULL with e set. */
view_renderer *view_render_open_gl(int w, int h, uint32_t nbodies, errmsg *e);

/* view_render_open_gl only: draw the last frame into the window's back
 * buffer (mjr_drawPixels on the default framebuffer). No allocation. */
void view_render_present(view_renderer *r);

/* Add the next body: its model and data (a const mjModel * and const
 * mjData *, owned by the body plugin and valid until the renderer is
 * closed) and its camera. Uploads the model's meshes and textures and
 * allocates its scene. 0, or -1 with e set (too many bodies, or MuJoCo's
 * version differs: `version` is the plugin's mjVERSION_HEADER). */
int view_render_add(view_renderer *r, const void *model, const void *data, int32_t version,
                    const animat_mujoco_camera *cam, errmsg *e);

/* Draw every body's current state into the renderer's frame and return
 * it: w * h * 3 bytes, RGB, top row first, renderer-owned, overwritten by
 * the next call, valid until close. No allocation. */
const uint8_t *view_render_frame(view_renderer *r);

/* Text drawn over the top-left corner of the first panel in every later
 * frame, as two columns (labels, values; lines separated by '\n'), e.g.
 * "time\nreturn" and "12.30 s\n245.1". Copied (cut to VIEW_OVERLAY_MAX - 1
 * bytes); NULL or "" clears it. No allocation. */
void view_render_overlay(view_renderer *r, const char *labels, const char *values);

/* Free the scenes, GL objects, context and buffers (NULL is a no-op).
 * OSMesa stays loaded. */
void view_render_close(view_renderer *r);

#endif
