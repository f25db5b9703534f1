/* render_setup.h -- a renderer for every body of a sim: the one setup
 * `animat render`, `animat view` and the embedding API's animat_render
 * share. */
#ifndef VIEW_RENDER_SETUP_H
#define VIEW_RENDER_SETUP_H

#include "base/errmsg.h"
#include "sim/sim.h"
#include "view/render.h"

/* Check every body of s for animat.mujoco/1 (complete, the same MuJoCo),
 * open a w x h renderer into *r (window 1: in the current GL context,
 * view_render_open_gl; 0: off-screen, view_render_open) and add each body
 * with its camera suggestion. 0, or -1 with e naming the first body that
 * cannot be drawn (*r may then be open: view_render_close it). Ownership:
 * *r is the caller's; the bodies' model and data are borrowed and must
 * outlive it. Thread: the caller's. */
int view_render_setup(view_renderer **r, int w, int h, int window, sim *s, errmsg *e);

/* view_render_setup, but body k (in the order of s's bodies) is drawn from
 * data[k] (a const mjData * of that body's model, caller-owned, outliving
 * *r) where data and data[k] are not NULL: a replay draws recorded states
 * into its own data (view/replay.h). */
int view_render_setup_data(view_renderer **r, int w, int h, int window, sim *s, const void *const *data, errmsg *e);

#endif
