/* replay.c -- see replay.h. */
#include "view/replay.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "exp/experiment_impl.h"
#include "exp/stored.h"
#include "sim/runner.h"
#include "sim/sim_impl.h"
#include "view/h5read.h"
#include "view/live_units.h"
#include "view/mjapi.h"
#include "view/pace.h"
#include "view/render.h"
#include "view/render_setup.h"
#include "view/window.h"


/* One replay: the recording, the stored experiment's bodies, the window. */
typedef struct replay {
    const char *path;
    const view_replay_opts *o;
    h5rec rec;
    char *text, *origin;           /* the stored experiment and its original path; owned */
    char label[4200];              /* "PATH (stored experiment)" */
    double dt;                     /* control step, s */
    uint64_t every;                /* sampling interval, control steps */
    h5array steps, rets;           /* /episodes/steps and /episodes/return */
    char *units;                   /* the overlay's units signal, or NULL; owned */
    experiment x;
    sim s;
    int loaded, created;
    const view_mj *mj;
    uint32_t nb;                   /* bodies */
    const mjModel *m[VIEW_MAX_BODIES];
    mjData *d[VIEW_MAX_BODIES];    /* ours; owned */
    char qname[VIEW_MAX_BODIES][EXPERIMENT_NAME_MAX + 8];
    h5signal q[VIEW_MAX_BODIES], rew, act; /* the current episode's samples */
    view_renderer *r;
    view_window *win;
    view_pace pace;                /* clock and keys, as the live view's */
    uint64_t frames;
} replay;

int view_replay_is_recording(const char *path) {
    size_t n = strlen(path);
    if (n > 3 && !strcmp(path + n - 3, ".h5")) return 1;
    FILE *f = fopen(path, "rb");
    unsigned char sig[8] = {0};
    size_t got = f ? fread(sig, 1, sizeof sig, f) : 0;
    if (f) fclose(f);
    return got == 8 && !memcmp(sig, "\211HDF\r\n\032\n", 8);
}

/* The recording's attributes and per-episode datasets; the qpos signals
 * and the units signal exist; the stored experiment loads (its relative
 * paths against its original folder). 0 or -1 with e naming the file. */
static int replay_read(replay *p, errmsg *e) {
    if (h5rec_open(&p->rec, p->path, e)) return -1;
    snprintf(p->label, sizeof p->label, "%s (stored experiment)", p->path);
    p->text = h5rec_attr_str(&p->rec, "experiment");
    p->origin = h5rec_attr_str(&p->rec, "experiment_path");
    if (!p->text || !p->origin)
        return errmsg_set(e, "%s: damaged recording: no string attribute '%s'", p->path,
                          p->text ? "experiment_path" : "experiment");
    if (h5rec_attr_num(&p->rec, "dt", &p->dt) || !(p->dt > 0) || h5rec_attr_u64(&p->rec, "every", &p->every) ||
        !p->every)
        return errmsg_set(e, "%s: damaged recording: no attributes 'dt' and 'every'", p->path);
    if (h5rec_read(&p->rec, "episodes/steps", &p->steps, e) || h5rec_read(&p->rec, "episodes/return", &p->rets, e))
        return -1;
    if (p->steps.dim[0] == 0 || p->rets.dim[0] != p->steps.dim[0])
        return errmsg_set(e, "%s: no episodes recorded: nothing to replay", p->path);
    char *q = h5rec_find_signal(&p->rec, "*.qpos");
    int none = !q;
    free(q);
    if (none)
        return errmsg_set(e, "%s: no body positions to replay (no /signals/NAME.qpos: the recording predates them, "
                             "or record.signals leaves them out; list NAME.qpos there)", p->path);
    p->units = p->o->units ? strdup(p->o->units) : h5rec_find_signal(&p->rec, "*.units");
    if (p->units && !h5rec_signal_episodes(&p->rec, p->units))
        return errmsg_set(e, "%s: no signal '%s' to show in the overlay", p->path, p->units);
    char files[2048] = "";
    int npath = 0;
    if (experiment_stored_paths(p->label, p->text, files, sizeof files, &npath, e)) return -1;
    if (npath)
        return errmsg_set(e, "%s: the recording names plugin files by path: %s; a recording is data, so view loads "
                             "plugins by name only", p->label, files);
    if (experiment_load_stored(&p->x, p->label, p->origin, p->text, NULL, 0, e)) return -1;
    p->loaded = 1;
    return 0;
}

/* Read episode ep of every body's qpos, the reward and the units. 0 or -1. */
static int replay_episode(replay *p, uint64_t ep, errmsg *e) {
    for (uint32_t k = 0; k < p->nb; k++) {
        h5signal_free(&p->q[k]);
        if (h5rec_signal_full(&p->rec, p->qname[k], ep, &p->q[k], e)) return -1;
        if (p->q[k].n != (uint64_t)p->m[k]->nq)
            return errmsg_set(e, "%s: %s has %llu elements per sample, but the body's model has nq = %d", p->path,
                              p->qname[k], (unsigned long long)p->q[k].n, p->m[k]->nq);
    }
    h5signal_free(&p->rew);
    h5signal_free(&p->act);
    if (h5rec_signal_episodes(&p->rec, "reward") && h5rec_signal_full(&p->rec, "reward", ep, &p->rew, e)) return -1;
    return p->units && h5rec_signal_full(&p->rec, p->units, ep, &p->act, e) ? -1 : 0;
}

/* Every episode's signals, before any is read: each body's qpos, the
 * reward and the units cover every recorded episode, and a qpos has the
 * model's nq elements per sample. 0 or -1 with e set. */
static int replay_shapes(const replay *p, errmsg *e) {
    uint64_t ne = p->steps.dim[0], nq[3];
    for (uint32_t k = 0; k < p->nb; k++) {
        if (h5rec_signal_dims(&p->rec, p->qname[k], nq, e)) return -1;
        if (nq[0] < ne)
            return errmsg_set(e, "%s: %s has %llu episodes, but %llu are recorded", p->path, p->qname[k],
                              (unsigned long long)nq[0], (unsigned long long)ne);
        if (nq[2] != (uint64_t)p->m[k]->nq)
            return errmsg_set(e, "%s: %s has %llu elements per sample, but the body's model has nq = %d", p->path,
                              p->qname[k], (unsigned long long)nq[2], p->m[k]->nq);
    }
    const char *other[2] = {h5rec_signal_episodes(&p->rec, "reward") ? "reward" : NULL, p->units};
    for (int i = 0; i < 2; i++) {
        if (other[i] && h5rec_signal_dims(&p->rec, other[i], nq, e)) return -1;
        if (other[i] && nq[0] < ne)
            return errmsg_set(e, "%s: %s has %llu episodes, but %llu are recorded", p->path, other[i],
                              (unsigned long long)nq[0], (unsigned long long)ne);
    }
    return 0;
}

/* Build the stored experiment's bodies, our data per body, check every
 * body has its qpos (episode 0 read). 0 or -1 with e set. */
static int replay_bodies(replay *p, errmsg *e) {
    if (!(p->mj = view_mj_load(e))) return -1;
    if (sim_create(&p->s, &p->x, e)) return -1;
    p->created = 1;
    for (uint32_t i = 0; i < p->s.ninsts; i++) {
        instance *in = &p->s.insts[i];
        if (in->kind != ANIMAT_KIND_BODY) continue;
        if (p->nb == VIEW_MAX_BODIES)
            return errmsg_set(e, "%s: more than %d bodies to replay", p->path, VIEW_MAX_BODIES);
        const animat_mujoco_ext *t = instance_mujoco(in);
        if (!t || !(p->m[p->nb] = instance_mj_model(in, t)))
            return errmsg_set(e, "%s: body '%s' (%s) cannot be drawn (no %s extension)", p->path, in->name,
                              in->plugin->desc->name, ANIMAT_EXT_MUJOCO);
        snprintf(p->qname[p->nb], sizeof p->qname[0], "%s.qpos", in->name);
        if (!h5rec_signal_episodes(&p->rec, p->qname[p->nb]))
            return errmsg_set(e, "%s: body '%s' has no recorded positions (no /signals/%s)", p->path, in->name,
                              p->qname[p->nb]);
        if (!(p->d[p->nb] = p->mj->mj_makeData(p->m[p->nb]))) return errmsg_set(e, "out of memory");
        p->nb++;
    }
    return replay_shapes(p, e) ? -1 : replay_episode(p, 0, e);
}

/* Append "label\tvalue" lines for the units of sample k to the overlay. */
static void replay_units(const replay *p, uint64_t k, char *labels, char *values) {
    for (uint64_t u = 0; u < p->act.n && u < VIEW_REPLAY_UNITS && k < p->act.T; u++)
        view_overlay_line(labels, values, VIEW_OVERLAY_MAX, p->act.elems[u], p->act.v[k * p->act.n + u]);
}

/* The overlay for sample k of episode ep; *ret is the return so far. */
static void replay_overlay(replay *p, uint64_t ep, uint64_t k, double ret) {
    char labels[VIEW_OVERLAY_MAX], values[VIEW_OVERLAY_MAX], speed[48];
    snprintf(labels, sizeof labels, "time\n%s\nspeed\nepisode", p->rew.v && p->every == 1 ? "return" : "ep. return");
    snprintf(values, sizeof values, "%.2f s\n%.2f\n%s\n%llu/%llu", (double)(k * p->every) * p->dt, ret,
             view_pace_label(&p->pace, speed, sizeof speed), (unsigned long long)ep + 1,
             (unsigned long long)p->steps.dim[0]);
    replay_units(p, k, labels, values);
    view_render_overlay(p->r, labels, values);
}

/* Show sample k: the recorded positions into our data, forward, draw. */
static void replay_frame(replay *p, uint64_t ep, uint64_t k, double ret) {
    for (uint32_t b = 0; b < p->nb; b++) {
        memcpy(p->d[b]->qpos, p->q[b].v + k * p->q[b].n, p->q[b].n * sizeof *p->d[b]->qpos);
        p->mj->mj_forward(p->m[b], p->d[b]);
    }
    replay_overlay(p, ep, k, ret);
    view_render_frame(p->r);
    view_render_present(p->r);
    view_window_show(p->win);
    p->frames++;
}

/* Play episode ep, every stride-th sample, paced to the speed. 0 or -1. */
static int replay_play(replay *p, uint64_t ep, uint32_t stride, errmsg *e) {
    if (ep > 0 && replay_episode(p, ep, e)) return -1;
    double steps = p->steps.v[ep] >= 0 && p->steps.v[ep] < 1e18 ? p->steps.v[ep] : 0; /* a damaged count: none */
    uint64_t n = ((uint64_t)steps + p->every - 1) / p->every, T = p->q[0].T;
    for (uint32_t b = 1; b < p->nb; b++) T = p->q[b].T < T ? p->q[b].T : T; /* bodies may differ: the shortest */
    double ret = 0, ep_ret = p->rets.v[ep];
    view_pace_start(&p->pace, 0);
    for (uint64_t k = 0; k < n && k < T && !p->pace.quit; k++) {
        if (k % stride == 0) {
            double t = (double)(k * p->every) * p->dt;
            replay_frame(p, ep, k, p->rew.v && p->every == 1 ? ret : ep_ret);
            if (p->o->max_frames && p->frames >= p->o->max_frames) return p->pace.quit = 1, 0;
            if (view_pace_keys(&p->pace, p->win, t)) return 0;
            view_pace_wait(&p->pace, t);
        }
        if (p->rew.v && k < p->rew.T) ret += p->rew.v[k];
    }
    return 0;
}

/* Window, renderer, every episode, the screenshot. 0 or -1. */
static int replay_show(replay *p, FILE *out, errmsg *e) {
    const void *data[VIEW_MAX_BODIES];
    for (uint32_t k = 0; k < p->nb; k++) data[k] = p->d[k];
    if (view_render_setup_data(&p->r, p->o->w, p->o->h, 1, &p->s, data, e)) return -1;
    uint32_t stride = view_frame_stride(p->dt * (double)p->every);
    double t0 = runner_now();
    for (uint64_t ep = 0; ep < p->steps.dim[0] && !p->pace.quit; ep++)
        if (replay_play(p, ep, stride, e)) return -1;
    double el = runner_now() - t0;
    if (p->o->shot) {
        view_render_present(p->r); /* the last frame again, into the back buffer */
        if (view_window_screenshot(p->win, p->o->shot, e)) return -1;
    }
    fprintf(out, "view: %llu frames of %dx%d in %.2f s (%.1f frames/s)\n", (unsigned long long)p->frames, p->o->w,
            p->o->h, el, el > 0 ? (double)p->frames / el : 0.0);
    return 0;
}

/* Free everything (safe on a partly opened replay). */
static void replay_free(replay *p) {
    view_render_close(p->r);
    for (uint32_t k = 0; k < p->nb; k++) {
        h5signal_free(&p->q[k]);
        if (p->d[k]) p->mj->mj_deleteData(p->d[k]);
    }
    h5signal_free(&p->rew);
    h5signal_free(&p->act);
    if (p->created) sim_destroy(&p->s);
    if (p->loaded) experiment_free(&p->x);
    view_window_close(p->win);
    h5array_free(&p->steps);
    h5array_free(&p->rets);
    h5rec_close(&p->rec);
    free(p->text), free(p->origin), free(p->units);
}

int view_replay_run(const char *path, const view_replay_opts *o, FILE *out, errmsg *e) {
    replay *p = calloc(1, sizeof *p);
    if (!p) return errmsg_set(e, "out of memory");
    p->path = path, p->o = o, p->pace.speed = o->speed;
    char title[300];
    snprintf(title, sizeof title, "animat view %s", path);
    int rc = replay_read(p, e);
    if (!rc) rc = replay_bodies(p, e); /* every check on the file before the window (replay.h) */
    if (!rc && !(p->win = view_window_open(o->w, o->h, title, e))) rc = -1;
    if (!rc) rc = replay_show(p, out, e);
    replay_free(p);
    free(p);
    return rc;
}
