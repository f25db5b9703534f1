/* window.h -- a live window for `animat view` (GLFW, loaded at run time).
 *
 * A GLFW window whose GL context (current from open to close) the renderer
 * draws in (view_render_open_gl, view_render_present), and the keys
 * pressed. libglfw.so.3 and libGL.so.1 are dlopened by view_window_open (as
 * OSMesa is by `render`), so no other command pays for GLFW and X11 at
 * start-up; libGL goes into the global scope, where MuJoCo's GL loader finds
 * glXGetProcAddressARB. (Drawing off-screen with OSMesa and showing the
 * frames through GLX crashed inside Mesa: two Mesa front ends in one
 * process.) Lifecycle: open -> (show, keys)* -> close. Thread: the
 * thread that opened it (GLFW's main-thread rule).
 */
#ifndef VIEW_WINDOW_H
#define VIEW_WINDOW_H

#include <stdint.h>

#include "base/errmsg.h"

#define VIEW_KEY_PAUSE 1u  /* space */
#define VIEW_KEY_STEP 2u   /* right arrow or '.' */
#define VIEW_KEY_FASTER 4u /* '+' or '=' */
#define VIEW_KEY_SLOWER 8u /* '-' */
#define VIEW_KEY_QUIT 16u  /* Escape, 'q', or the window closed */

typedef struct view_window view_window;

/* Open a w x h window titled `title`. NULL with e set to one line when
 * there is no display (neither DISPLAY nor WAYLAND_DISPLAY set, or GLFW
 * cannot connect), GLFW is missing, or the window cannot be made. Caller
 * owns the result (view_window_close). */
view_window *view_window_open(int w, int h, const char *title, errmsg *e);

/* Show what was drawn into the window's back buffer (view_render_present)
 * and process events. No allocation. */
void view_window_show(view_window *win);

/* Process events (without drawing) and return the keys pressed since the
 * last call (VIEW_KEY_* bits). */
unsigned view_window_keys(view_window *win);

/* Write the window's back buffer (what the next show would display: call
 * view_render_present first), read back from the window's framebuffer, as a
 * binary PPM to `path`. 0, or -1 with e set. */
int view_window_screenshot(view_window *win, const char *path, errmsg *e);

/* Destroy the window and terminate GLFW (NULL is a no-op). */
void view_window_close(view_window *win);

#endif
