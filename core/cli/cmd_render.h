/* cmd_render.h -- `animat render FILE -o OUT.mp4 [OPTIONS]`: run the
 * experiment's episodes like `animat run` and film its bodies (see
 * docs/render.md). */
#ifndef CMD_RENDER_H
#define CMD_RENDER_H

#include "base/errmsg.h"

/* The render command; argv[0] is "render". Every problem that can be found
 * before simulating (usage, --size, -o, ffmpeg, OSMesa, a body without the
 * animat.mujoco/1 extension) is reported as one line on stderr before any
 * episode runs. Returns the exit status: 0, 1 on an error, 2 on bad usage. */
int cmd_render_main(int argc, char **argv);

/* Check every body of s for animat.mujoco/1 (the same MuJoCo), open a w x h
 * renderer into *r (window 1: in the current GL context, view_render_open_gl) and add each body with its camera suggestion (also for
 * `animat view`). 0, or -1 with e naming the first body that cannot be
 * drawn (*r may then be open: view_render_close it). */
struct sim;
struct view_renderer;
int cmd_render_setup(struct view_renderer **r, int w, int h, int window, struct sim *s, errmsg *e);

#endif
