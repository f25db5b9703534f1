/* pace.h -- the viewer's playback clock and keys, shared by the live view
 * (cli/cmd_view.c) and the replay of a recording (view/replay.c).
 *
 * Playback runs at `speed` simulated seconds per wall second (0: as fast
 * as frames can be drawn). The keys (view/window.h): space pauses, the
 * right arrow shows one more frame while paused, + and - double or halve
 * the speed (within 1/64 .. 1000), Escape or Q quits. After a key the
 * clock restarts from the frame's simulated time, so a pause does not make
 * the playback race to catch up. Thread: the window's (the main thread).
 */
#ifndef VIEW_PACE_H
#define VIEW_PACE_H

#include <stddef.h>
#include <stdint.h>

#include "view/window.h"

typedef struct view_pace {
    double speed;   /* simulated seconds per wall second; 0 = as fast as possible */
    double t_wall0; /* wall clock (runner_now) the pacing counts from */
    double t_sim0;  /* simulated time at t_wall0 */
    int paused;     /* 1 while paused */
    int quit;       /* 1 once the user quit */
} view_pace;

/* Frames shown (or filmed) per simulated second at most. */
#define VIEW_MAX_FPS 60.0

/* Show every k-th sample of interval dt s: 1 up to VIEW_MAX_FPS samples a
 * second, else k = ceil(rate / VIEW_MAX_FPS); 1 for dt <= 0. Shared by the
 * live view, the replay and `animat render`. */
uint32_t view_frame_stride(double dt);

/* Start the clock at simulated time t_sim (a new episode). */
void view_pace_start(view_pace *p, double t_sim);

/* Handle the keys pressed since the last call, waiting here while paused
 * (until a step, an unpause or quit). t_sim is the shown frame's time.
 * Returns p->quit. */
int view_pace_keys(view_pace *p, view_window *w, double t_sim);

/* Sleep until the frame at simulated time t_sim is due (not at all at
 * speed 0 or when late). */
void view_pace_wait(const view_pace *p, double t_sim);

/* The overlay's speed text: "2x", "max", with "paused, " before it while
 * paused. Into buf (cap bytes); returns buf. */
const char *view_pace_label(const view_pace *p, char *buf, size_t cap);

#endif
