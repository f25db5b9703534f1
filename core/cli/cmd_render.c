/* cmd_render.c -- see cmd_render.h. */
#include "cli/cmd_render.h"

#include <animat/helpers.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/progress.h"
#include "cli/setopts.h"
#include "exp/experiment.h"
#include "sim/runner.h"
#include "sim/sim.h"
#include "view/mjapi.h"
#include "view/pace.h"
#include "view/render.h"
#include "view/render_setup.h"
#include "view/video.h"

#define RENDER_MAX_SETS 256

/* The command line and the state of one render. */
typedef struct render_job {
    const char *file, *out, *size;
    const char *sets[RENDER_MAX_SETS];
    uint32_t nsets;
    const char *plugins[64];
    uint32_t nplugins;
    char owned[2][4200];      /* --episodes / --theta rewritten as --set */
    int w, h, quiet, overlay; /* --overlay: time and running return on the frames */
    double dt, ret;           /* control period (s); return so far in this episode */
    uint64_t episodes;        /* in the run, for the overlay */
    view_renderer *r;
    view_video video;
    uint32_t stride;          /* render every stride-th control step */
    double fps;
    uint64_t frames, expect;  /* frames written; expected in all (0 = unknown) */
    double t0;                /* start (runner_now) */
    progress pg;              /* frames, on stderr unless --quiet */
    char err[1100];           /* the observer's message */
} render_job;

/* The video being written, for the MuJoCo error handler. */
static view_video *render_active;

/* MuJoCo's fatal errors (e.g. GL failing in mjr_makeContext) end the
 * process: remove the partial video first, then say why in one line. */
static void render_mj_error(const char *msg) {
    if (render_active) view_video_abort(render_active);
    fprintf(stderr, "error: render: MuJoCo: %s\n", msg);
    exit(1);
}

/* Store "KEY=VALUE" as a --set. 0, or 2 after a usage message. */
static int render_set(render_job *j, const char *text) {
    if (j->nsets == RENDER_MAX_SETS) return fprintf(stderr, "animat: too many --set\n"), 2;
    j->sets[j->nsets++] = text;
    return 0;
}

/* Options with a value. 1 when `a` was one (*i advanced), 0 when not, 2
 * after a usage message. */
static int render_opt_value(render_job *j, const char *a, const char *v, int *i) {
    static const char *const names[] = {"-o", "--size", "--set", "--plugin", "--episodes", "--theta"};
    int k = 0;
    while (k < 6 && strcmp(a, names[k])) k++;
    if (k == 6) return 0;
    if (!v) return fprintf(stderr, "animat: %s needs a value (see animat --help)\n", a), 2;
    (*i)++;
    if (k == 0) j->out = v;
    else if (k == 1) j->size = v;
    else if (k == 2) return render_set(j, v) ? 2 : 1;
    else if (k == 3) {
        if (j->nplugins == 64) return fprintf(stderr, "animat: too many --plugin\n"), 2;
        j->plugins[j->nplugins++] = v;
    } else { /* --episodes, --theta: spelled-out --set KEY=V */
        char *buf = setopts_format(setopts_index(a), v, j->owned[k - 4], sizeof j->owned[0]);
        return render_set(j, buf) ? 2 : 1;
    }
    return 1;
}

/* Parse the arguments. One episode unless --episodes or a later --set
 * run.episodes says otherwise (the first --set is run.episodes=1). 0, or 2
 * after a usage message. */
static int render_parse(int argc, char **argv, render_job *j) {
    render_set(j, "run.episodes=1");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int rc = render_opt_value(j, a, i + 1 < argc ? argv[i + 1] : NULL, &i);
        if (rc == 2) return 2;
        if (rc == 1) continue;
        if (!strcmp(a, "--quiet")) j->quiet = 1;
        else if (!strcmp(a, "--overlay")) j->overlay = 1;
        else if (a[0] == '-' && a[1]) return fprintf(stderr, "animat: unknown option '%s' for render (see animat --help)\n", a), 2;
        else if (!j->file) j->file = a;
        else return fprintf(stderr, "animat: unexpected argument '%s'\n", a), 2;
    }
    if (!j->file) return fprintf(stderr, "animat: render needs an experiment FILE (see animat --help)\n"), 2;
    if (!j->out) return fprintf(stderr, "animat: render needs an output file: -o FILE.mp4 (see animat --help)\n"), 2;
    const char *dot = strrchr(j->out, '.');
    if (!dot || strcasecmp(dot, ".mp4"))
        return fprintf(stderr, "animat: render: -o %s: the video is an H.264 MP4; give a name ending in .mp4\n", j->out), 2;
    errmsg e;
    errmsg_clear(&e);
    if (view_parse_size(j->size ? j->size : "640x480", "--size", &j->w, &j->h, &e))
        return fprintf(stderr, "animat: %s\n", e.msg), 2;
    return 0;
}

/* --overlay: the time since reset, the return so far (and the episode
 * when there are several) onto the next frame. */
static void render_overlay(render_job *j, uint64_t episode, uint64_t step) {
    char values[VIEW_OVERLAY_MAX];
    double t = (double)step * j->dt;
    if (j->episodes > 1)
        snprintf(values, sizeof values, "%.2f s\n%.2f\n%llu/%llu", t, j->ret, (unsigned long long)episode + 1,
                 (unsigned long long)j->episodes);
    else
        snprintf(values, sizeof values, "%.2f s\n%.2f", t, j->ret);
    view_render_overlay(j->r, j->episodes > 1 ? "time\nreturn\nepisode" : "time\nreturn", values);
}

/* The observer: before the bodies step, film every stride-th step. */
static int render_before(void *ctx, const struct sim *s, uint64_t episode, uint64_t step) {
    render_job *j = ctx;
    errmsg e;
    (void)s;
    if (step == 0) j->ret = 0;
    if (step % j->stride) return 0;
    if (j->overlay) render_overlay(j, episode, step);
    errmsg_clear(&e);
    if (view_video_write(&j->video, view_render_frame(j->r), &e)) {
        snprintf(j->err, sizeof j->err, "%s", e.msg);
        return 1;
    }
    j->frames++;
    progress_add(&j->pg, 1);
    return 0;
}

static int render_after(void *ctx, double reward) {
    ((render_job *)ctx)->ret += reward;
    return 0;
}

static const char *render_error(void *ctx) { return ((render_job *)ctx)->err; }

/* Frame rate: one frame per control step (1 / dt), or every k-th step
 * above VIEW_MAX_FPS (view_frame_stride). */
static void render_rate(render_job *j, double dt) {
    j->stride = view_frame_stride(dt);
    j->fps = dt > 0 ? 1.0 / (dt * j->stride) : VIEW_MAX_FPS;
}

/* Run the episodes with the camera rolling, then commit the video. */
static int render_film(render_job *j, const experiment *x, sim *s, errmsg *e) {
    render_rate(j, sim_dt(s));
    j->dt = sim_dt(s), j->episodes = experiment_episodes(x);
    uint64_t steps = experiment_expected_steps(x, sim_dt(s));
    j->expect = steps ? j->episodes * ((steps + j->stride - 1) / j->stride) : 0;
    sim_observer o = {.ctx = j, .before = render_before, .after = render_after, .error = render_error};
    if (sim_observe(s, &o)) return errmsg_set(e, "render: too many observers");
    if (view_video_open(&j->video, j->out, j->w, j->h, j->fps, e)) return -1;
    render_active = &j->video;
    *view_mj_load(e)->mju_user_error = render_mj_error; /* loaded by render_setup */
    j->t0 = runner_now();
    progress_begin(&j->pg, j->quiet ? NULL : stderr, "render", "frames", 0, j->expect);
    int rc = 0;
    for (uint64_t i = 0; i < j->episodes && !rc; i++) {
        sim_result r;
        rc = sim_episode(s, i, &r, e);
    }
    progress_end(&j->pg);
    double el = runner_now() - j->t0;
    if (!rc && !j->frames) rc = errmsg_set(e, "render: the episodes took no steps: nothing to film");
    if (rc) view_video_abort(&j->video);
    else rc = view_video_commit(&j->video, e);
    render_active = NULL;
    if (!rc && !j->quiet)
        printf("wrote %s: %llu frames of %dx%d at %.4g frames/s (%.2f s of video), rendered in %.2f s "
               "(%.1f frames/s)\n", j->out, (unsigned long long)j->frames, j->w, j->h, j->fps,
               (double)j->frames / j->fps, el, el > 0 ? (double)j->frames / el : 0.0);
    return rc;
}

/* Load, check everything, film. 0 or -1 with e set. */
static int render_run(render_job *j, errmsg *e) {
    experiment *x;
    if (view_video_check(e) || experiment_open(&x, j->file, j->sets, j->nsets, j->plugins, j->nplugins, e)) return -1;
    const char *inputs[EXPERIMENT_MAX_INSTS + 2];
    uint32_t nin = experiment_inputs(x, inputs, EXPERIMENT_MAX_INSTS + 2);
    sim *s = NULL;
    int rc = atomicfile_check(j->out, "-o", inputs, nin, e);
    if (!rc) rc = sim_new(&s, x, e);
    if (!rc) {
        rc = view_render_setup(&j->r, j->w, j->h, 0, s, e);
        if (!rc) rc = render_film(j, x, s, e);
        const view_mj *mj = view_mj_load(e);
        if (mj && *mj->mju_user_error == render_mj_error) *mj->mju_user_error = NULL;
        view_render_close(j->r);
        sim_free(s);
    }
    experiment_close(x);
    return rc;
}

int cmd_render_main(int argc, char **argv) {
    render_job *j = calloc(1, sizeof *j);
    if (!j) return fprintf(stderr, "error: out of memory\n"), 1;
    int rc = render_parse(argc, argv, j);
    if (!rc) {
        errmsg e;
        errmsg_clear(&e);
        j->video.fd = -1;
        if (render_run(j, &e)) {
            fprintf(stderr, "error: %s\n", e.msg);
            rc = 1;
        }
    }
    free(j);
    return rc;
}
