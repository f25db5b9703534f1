/* replay.h -- `animat view run.h5`: play a recording's bodies back in the
 * live window (docs/render.md, "Replay").
 *
 * A recording holds each MuJoCo body's positions as /signals/NAME.qpos
 * (sim/record.c records them by default, or as `record.signals:
 * [NAME.qpos]`). The replay builds the stored experiment's bodies (plugins
 * by name, as `animat rerun` does) only for their models and cameras,
 * gives each body its own mjData, and for every shown sample writes the
 * recorded qpos into it, runs mj_forward and draws it with the renderer
 * `render` and `view` use (view_render_setup_data). Nothing is simulated:
 * the bodies never step. Keys and pacing are those of the live view
 * (view/window.h): space pauses, right arrow steps, + and - change the
 * speed, Escape quits; the camera follows each body as in `render`. The
 * overlay shows the time, the return so far (the running sum of the
 * recorded `reward` when every step was sampled, else the episode's
 * recorded return), the speed, and the first VIEW_REPLAY_UNITS elements of
 * a units signal (opts.units, default the first NAME.units recorded).
 *
 * Every check on the file (an HDF5 recording, its stored experiment, a
 * NAME.qpos for every body, shapes that match the models) is made before a
 * window opens; each failure is one line naming the file. Thread: the
 * caller's (GLFW's main-thread rule).
 */
#ifndef VIEW_REPLAY_H
#define VIEW_REPLAY_H

#include <stdint.h>
#include <stdio.h>

#include "base/errmsg.h"

#define VIEW_REPLAY_UNITS 6 /* unit activities shown in the overlay */

typedef struct view_replay_opts {
    int w, h;            /* window size (view_parse_size checked) */
    double speed;        /* recorded seconds per wall second; 0 = as fast as possible */
    uint64_t max_frames; /* stop after this many frames (0 = never) */
    const char *shot;    /* write the last frame as a PPM here (NULL = none) */
    const char *units;   /* the signal whose activities the overlay shows (NULL = the first NAME.units) */
} view_replay_opts;

/* Is `path` a recording to replay rather than an experiment: its name ends
 * in ".h5", or it starts with HDF5's signature? Reads at most 8 bytes. */
int view_replay_is_recording(const char *path);

/* Replay the recording `path` in a window with options o, printing the
 * closing line ("view: N frames of WxH in T s (F frames/s)") to out. 0, or
 * -1 with e set to one line. */
int view_replay_run(const char *path, const view_replay_opts *o, FILE *out, errmsg *e);

#endif
