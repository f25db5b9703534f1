/* cmd_view.h -- `animat view FILE [OPTIONS]`: run the experiment's
 * episodes like `animat run` and show its bodies live in a window (GLFW),
 * with pause, single step, speed and an overlay (docs/render.md). */
#ifndef CMD_VIEW_H
#define CMD_VIEW_H

/* The view command; argv[0] is "view". Usage errors exit 2; no display,
 * no GLFW, a body without animat.mujoco/1 and the experiment's own errors
 * are one line on stderr and exit 1, before any episode runs. */
int cmd_view_main(int argc, char **argv);

#endif
