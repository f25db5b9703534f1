/* cmd_view.c -- see cmd_view.h. */
#include "cli/cmd_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd_render.h"
#include "view/render_setup.h"
#include "cli/setopts.h"
#include "exp/experiment.h"
#include "sim/runner.h"
#include "sim/sim.h"
#include "view/live_units.h"
#include "view/pace.h"
#include "view/render.h"
#include "view/replay.h"
#include "view/window.h"

#define VIEW_MAX_SETS 256

/* The command line and the state of one viewing. */
typedef struct view_job {
    const char *file, *size, *shot, *units; /* --units: a recording's overlay signal */
    const char *sets[VIEW_MAX_SETS];
    uint32_t nsets;
    char owned[4200];        /* --episodes as a --set */
    int w, h;
    uint64_t max_frames;     /* --frames: stop after this many (0 = never) */
    uint64_t frames;
    uint32_t stride;
    double dt, ret;
    view_pace pace;          /* speed (--speed), clock, pause, quit */
    view_live_units units_shown; /* the overlay's unit activities (--units NAME, or the first circuit's) */
    view_renderer *r;
    view_window *win;
} view_job;

/* Options. 0, or 2 after a usage message. */
static int view_parse(int argc, char **argv, view_job *j) {
    j->pace.speed = 1;
    j->sets[j->nsets++] = "run.episodes=1";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = !strcmp(a, "--size") || !strcmp(a, "--set") || !strcmp(a, "--speed") || !strcmp(a, "--frames") ||
                    !strcmp(a, "--screenshot") || !strcmp(a, "--episodes") || !strcmp(a, "--units");
        if (takes && !v) return fprintf(stderr, "animat: %s needs a value (see animat --help)\n", a), 2;
        if (takes) i++;
        char *end = NULL;
        if (!strcmp(a, "--size")) j->size = v;
        else if (!strcmp(a, "--screenshot")) j->shot = v;
        else if (!strcmp(a, "--units")) j->units = v;
        else if (!strcmp(a, "--set")) {
            if (j->nsets == VIEW_MAX_SETS) return fprintf(stderr, "animat: too many --set\n"), 2;
            j->sets[j->nsets++] = v;
        } else if (!strcmp(a, "--episodes")) {
            j->sets[j->nsets++] = setopts_format(setopts_index(a), v, j->owned, sizeof j->owned);
        } else if (!strcmp(a, "--speed")) {
            j->pace.speed = strtod(v, &end);
            if (end == v || *end || !(j->pace.speed >= 0) || j->pace.speed > 1000)
                return fprintf(stderr, "animat: view: --speed '%s' is not a number in [0, 1000]\n", v), 2;
        } else if (!strcmp(a, "--frames")) {
            long long n = strtoll(v, &end, 10);
            if (end == v || *end || n < 1) return fprintf(stderr, "animat: view: --frames '%s' is not a count >= 1\n", v), 2;
            j->max_frames = (uint64_t)n;
        } else if (a[0] == '-' && a[1]) return fprintf(stderr, "animat: unknown option '%s' for view (see animat --help)\n", a), 2;
        else if (!j->file) j->file = a;
        else return fprintf(stderr, "animat: unexpected argument '%s'\n", a), 2;
    }
    if (!j->file)
        return fprintf(stderr, "animat: view needs an experiment FILE or a recording (see animat --help)\n"), 2;
    errmsg e;
    errmsg_clear(&e);
    if (view_parse_size(j->size ? j->size : "640x480", "--size", &j->w, &j->h, &e))
        return fprintf(stderr, "animat: %s\n", e.msg), 2;
    return 0;
}

/* The overlay: time, return so far, speed (or "paused"). */
static void view_overlay(view_job *j, uint64_t step) {
    char labels[VIEW_OVERLAY_MAX] = "time\nreturn\nspeed", values[VIEW_OVERLAY_MAX], speed[48];
    snprintf(values, sizeof values, "%.2f s\n%.2f\n%s", (double)step * j->dt, j->ret,
             view_pace_label(&j->pace, speed, sizeof speed));
    view_live_units_append(&j->units_shown, labels, values, sizeof values);
    view_render_overlay(j->r, labels, values);
}

/* The observer: before the bodies step, show every stride-th step, paced
 * to `speed` x real time, and handle the keys. */
static int view_before(void *ctx, const struct sim *s, uint64_t episode, uint64_t step) {
    view_job *j = ctx;
    (void)s, (void)episode;
    if (step == 0) {
        j->ret = 0;
        view_pace_start(&j->pace, 0);
    }
    if (step % j->stride) return 0;
    view_overlay(j, step);
    view_render_frame(j->r);
    view_render_present(j->r);
    view_window_show(j->win);
    j->frames++;
    if (j->max_frames && j->frames >= j->max_frames) return j->pace.quit = 1;
    if (view_pace_keys(&j->pace, j->win, (double)step * j->dt)) return 1;
    view_pace_wait(&j->pace, (double)step * j->dt);
    return 0;
}

static int view_after(void *ctx, double reward) {
    ((view_job *)ctx)->ret += reward;
    return 0;
}

static const char *view_error(void *ctx) {
    (void)ctx;
    return "view: stopped";
}

/* Run the episodes in the window until they end or the user quits. */
static int view_show(view_job *j, const experiment *x, sim *s, errmsg *e) {
    j->stride = view_frame_stride(sim_dt(s));
    j->dt = sim_dt(s);
    sim_observer o = {.ctx = j, .before = view_before, .after = view_after, .error = view_error};
    if (sim_observe(s, &o)) return errmsg_set(e, "view: too many observers");
    double t0 = runner_now();
    int rc = 0;
    for (uint64_t i = 0; i < experiment_episodes(x) && !rc && !j->pace.quit; i++) {
        sim_result r;
        rc = sim_episode(s, i, &r, e);
    }
    if (j->pace.quit) rc = 0, errmsg_clear(e); /* the user (or --frames) ended it */
    double el = runner_now() - t0;
    if (!rc && j->shot) {
        view_render_present(j->r); /* the last frame again, into the back buffer */
        rc = view_window_screenshot(j->win, j->shot, e);
    }
    if (!rc)
        printf("view: %llu frames of %dx%d in %.2f s (%.1f frames/s)\n", (unsigned long long)j->frames, j->w, j->h, el,
               el > 0 ? (double)j->frames / el : 0.0);
    return rc;
}

/* A recording (view/replay.h): --set and --episodes do not apply. */
static int view_replay(view_job *j, errmsg *e) {
    if (j->nsets > 1)
        return errmsg_set(e, "view: %s is a recording: --set and --episodes apply to experiments", j->file);
    view_replay_opts o = {j->w, j->h, j->pace.speed, j->max_frames, j->shot, j->units};
    return view_replay_run(j->file, &o, stdout, e);
}

/* Load, check, open the window, show. 0 or -1 with e set. */
static int view_run(view_job *j, errmsg *e) {
    if (view_replay_is_recording(j->file)) return view_replay(j, e);
    experiment *x;
    if (experiment_open(&x, j->file, j->sets, j->nsets, NULL, 0, e)) return -1;
    sim *s = NULL;
    char title[300];
    snprintf(title, sizeof title, "animat view %s", j->file);
    j->win = view_window_open(j->w, j->h, title, e); /* no display: one line before any work */
    int rc = j->win ? sim_new(&s, x, e) : -1;
    if (j->win && !rc) {
        rc = view_live_units_find(&j->units_shown, s, j->units, e) || view_render_setup(&j->r, j->w, j->h, 1, s, e);
        if (!rc) rc = view_show(j, x, s, e);
        view_render_close(j->r);
        sim_free(s);
    }
    view_window_close(j->win);
    experiment_close(x);
    return rc;
}

int cmd_view_main(int argc, char **argv) {
    view_job *j = calloc(1, sizeof *j);
    if (!j) return fprintf(stderr, "error: out of memory\n"), 1;
    int rc = view_parse(argc, argv, j);
    if (!rc) {
        errmsg e;
        errmsg_clear(&e);
        if (view_run(j, &e)) {
            fprintf(stderr, "error: %s\n", e.msg);
            rc = 1;
        }
    }
    free(j);
    return rc;
}
