/* plot_traj.c -- the body's path seen from above (see plot.h): x/y of a
 * position signal (m) with equal aspect, one series per episode, the start
 * marked by a circle and the end by a square. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view/plot_axes.h"
#include "view/plot_kinds.h"

#define TRAJ_MAX 64 /* episodes drawn at most */

/* --from/--to on episode num's path. 0, or -1 with e set. */
static int traj_window(const h5rec *r, const plot_opts *o, uint64_t num, h5signal *s, errmsg *e) {
    if (!o->window) return 0;
    plot_opts oo = *o;
    oo.episode = num;
    double *t = plot_time_axis(r, s->T, s->stride);
    int rc = t ? plot_window(r, &oo, s, t, e) : errmsg_set(e, "out of memory");
    free(t);
    return rc;
}

/* The episodes to draw (every one, at most TRAJ_MAX, or o->episode alone)
 * into ep, their numbers into num. Returns the count or -1 with e set. */
static int traj_load(const h5rec *r, const plot_opts *o, const char *signal, h5signal *ep, uint64_t *num,
                     errmsg *e) {
    uint64_t E = h5rec_signal_episodes(r, signal), first = o->one_episode ? o->episode : 0;
    int n = o->one_episode ? 1 : (int)(E < TRAJ_MAX ? E : TRAJ_MAX);
    for (int k = 0; k < n; k++) {
        num[k] = first + (uint64_t)k;
        if (!h5rec_signal(r, signal, num[k], &ep[k], e) && ep[k].n >= 2 && !traj_window(r, o, num[k], &ep[k], e))
            continue;
        if (!e || !e->set) errmsg_set(e, "%s: %s has %llu element(s); a trajectory needs x and y", r->path, signal,
                                      (unsigned long long)ep[k].n);
        for (int j = 0; j <= k; j++) h5signal_free(&ep[j]);
        return -1;
    }
    if (!n) return errmsg_set(e, "%s: %s has no episodes", r->path, signal);
    return n;
}

/* Data ranges widened so that one metre is as long across as up. */
static void traj_range(plot_frame *f, const h5signal *ep, int n) {
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int k = 0; k < n; k++)
        for (uint64_t t = 0; t < ep[k].T; t++) {
            double x = ep[k].v[t * ep[k].n], y = ep[k].v[t * ep[k].n + 1];
            if (!isfinite(x) || !isfinite(y)) continue;
            x0 = fmin(x0, x), x1 = fmax(x1, x), y0 = fmin(y0, y), y1 = fmax(y1, y);
        }
    double px = 0.05 * (x1 - x0);
    plot_frame_range(f, x0 - px, x1 + px, y0, y1, 0.05);
    plot_frame_equal(f);
}

/* Episode k's path as series k of n, then its start and end markers. */
static void traj_draw(const plot_frame *f, const h5signal *s, uint32_t k, uint32_t n) {
    cairo_t *cr = f->cr;
    double sx = NAN, sy = NAN, ex = NAN, ey = NAN, c[3];
    for (uint64_t t = 0; t < s->T; t++) {
        double x = s->v[t * s->n], y = s->v[t * s->n + 1];
        if (!isfinite(x) || !isfinite(y)) continue;
        if (isnan(sx)) sx = plot_x(f, x), sy = plot_y(f, y), cairo_move_to(cr, sx, sy);
        ex = plot_x(f, x), ey = plot_y(f, y);
        cairo_line_to(cr, ex, ey);
    }
    plot_stroke_series(cr, k, n);
    if (isnan(sx)) return;
    plot_color(k, n, c);
    cairo_set_source_rgb(cr, c[0], c[1], c[2]);
    cairo_arc(cr, sx, sy, 4.5, 0, 2 * M_PI);
    cairo_fill(cr);
    cairo_rectangle(cr, ex - 4, ey - 4, 8, 8);
    cairo_fill(cr);
}

int plot_trajectory(const h5rec *r, const plot_opts *o, const char *signal, cairo_t *cr, errmsg *e) {
    h5signal ep[TRAJ_MAX];
    uint64_t num[TRAJ_MAX];
    memset(ep, 0, sizeof ep);
    int n = traj_load(r, o, signal, ep, num, e);
    if (n < 0) return -1;
    plot_frame f;
    plot_frame_init(&f, cr, o->W, o->H, 130);
    traj_range(&f, ep, n);
    plot_frame_clip(&f);
    for (int k = 0; k < n; k++) traj_draw(&f, &ep[k], (uint32_t)k, (uint32_t)n);
    cairo_restore(cr);
    char names[TRAJ_MAX][32];
    const char *np[TRAJ_MAX];
    double colors[TRAJ_MAX][3];
    for (int k = 0; k < n; k++) {
        snprintf(names[k], sizeof names[k], "episode %llu", (unsigned long long)num[k] + 1);
        np[k] = names[k];
        plot_color((uint32_t)k, (uint32_t)n, colors[k]);
    }
    plot_legend(&f, np, (const double(*)[3])colors, (uint32_t)n);
    cairo_set_source_rgb(cr, 0, 0, 0);
    plot_text(cr, f.x1 + 12, f.y1 - 24, 0, 0.5, 10, "circle: start");
    plot_text(cr, f.x1 + 12, f.y1 - 10, 0, 0.5, 10, "square: end");
    char title[512], what[300], xl[300], yl[300];
    snprintf(what, sizeof what, "Trajectory (%s), seen from above", signal);
    snprintf(xl, sizeof xl, "x (%s)", ep[0].unit[0] ? ep[0].unit : "m");
    snprintf(yl, sizeof yl, "y (%s)", ep[0].unit[0] ? ep[0].unit : "m");
    plot_frame_axes(&f, plot_title_of(r, what, title, sizeof title), xl, yl);
    for (int k = 0; k < n; k++) h5signal_free(&ep[k]);
    return 0;
}
