/* pace.c -- see pace.h. */
#include "view/pace.h"

#include <math.h>
#include <stdio.h>
#include <time.h>

#include "sim/runner.h"

/* Sleep s seconds (s <= 0: not at all). */
static void pace_sleep(double s) {
    if (s <= 0) return;
    struct timespec ts = {(time_t)s, (long)((s - floor(s)) * 1e9)};
    nanosleep(&ts, NULL);
}

uint32_t view_frame_stride(double dt) {
    double rate = dt > 0 ? 1.0 / dt : VIEW_MAX_FPS;
    return rate > VIEW_MAX_FPS ? (uint32_t)ceil(rate / VIEW_MAX_FPS - 1e-9) : 1;
}

void view_pace_start(view_pace *p, double t_sim) {
    p->t_wall0 = runner_now();
    p->t_sim0 = t_sim;
}

int view_pace_keys(view_pace *p, view_window *w, double t_sim) {
    int changed = 0;
    for (;;) {
        unsigned k = view_window_keys(w);
        if (k & VIEW_KEY_QUIT) return p->quit = 1;
        if (k & VIEW_KEY_FASTER) p->speed = p->speed > 0 ? fmin(1000, p->speed * 2) : 0;
        if (k & VIEW_KEY_SLOWER) p->speed = p->speed > 0 ? fmax(1.0 / 64, p->speed / 2) : 1;
        if (k & VIEW_KEY_PAUSE) p->paused = !p->paused;
        changed |= k != 0;
        if (!p->paused || (k & VIEW_KEY_STEP)) break;
        pace_sleep(0.01);
    }
    if (changed) view_pace_start(p, t_sim);
    return 0;
}

void view_pace_wait(const view_pace *p, double t_sim) {
    if (p->speed > 0) pace_sleep((t_sim - p->t_sim0) / p->speed - (runner_now() - p->t_wall0));
}

const char *view_pace_label(const view_pace *p, char *buf, size_t cap) {
    if (p->speed > 0) snprintf(buf, cap, "%s%.3gx", p->paused ? "paused, " : "", p->speed);
    else snprintf(buf, cap, "%smax", p->paused ? "paused, " : "");
    return buf;
}
