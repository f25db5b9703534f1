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

#endif
