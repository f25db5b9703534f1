/* plot_activity.c -- traces over time of every element of one signal
 * (units or ports) in one episode: one series per element, a legend with
 * the element names (see plot.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "view/plot_axes.h"
#include "view/plot_kinds.h"

/* Path point (x, y): continue the line, or start one after a gap. */
static void pen_to(cairo_t *cr, int *pen, double x, double y) {
    if (*pen) cairo_line_to(cr, x, y);
    else cairo_move_to(cr, x, y);
    *pen = 1;
}

/* Stroke element i of s over time as series i of n. More samples than
 * twice the pixels across are drawn as each pixel's min..max envelope, so
 * long episodes keep their look and files stay small. */
static void activity_line(const plot_frame *f, const h5signal *s, const double *t, uint64_t i) {
    cairo_t *cr = f->cr;
    uint64_t bins = (uint64_t)(f->x1 - f->x0) * 2, step = s->T > bins && bins ? (s->T + bins - 1) / bins : 1;
    int pen = 0;
    for (uint64_t a = 0; a < s->T; a += step) {
        double lo = INFINITY, hi = -INFINITY, first = NAN;
        for (uint64_t k = a; k < a + step && k < s->T; k++) {
            double v = s->v[k * s->n + i];
            if (!isfinite(v)) continue;
            if (isnan(first)) first = v;
            lo = fmin(lo, v), hi = fmax(hi, v);
        }
        if (isnan(first)) {
            pen = 0;
            continue;
        }
        double x = plot_x(f, t[a]);
        if (step == 1) {
            pen_to(cr, &pen, x, plot_y(f, first));
            continue;
        }
        pen_to(cr, &pen, x, plot_y(f, lo));
        cairo_line_to(cr, x, plot_y(f, hi));
    }
    plot_stroke_series(cr, (uint32_t)i, (uint32_t)s->n);
}

int plot_activity(const h5rec *r, const plot_opts *o, const char *signal, cairo_t *cr, errmsg *e) {
    h5signal s;
    if (h5rec_signal(r, signal, o->episode, &s, e)) return -1;
    double *t = plot_time_axis(r, s.T), lo = INFINITY, hi = -INFINITY, tend = 0;
    double(*colors)[3] = malloc((s.n ? s.n : 1) * sizeof *colors);
    if (!t || !colors) {
        free(t), free(colors), h5signal_free(&s);
        return errmsg_set(e, "out of memory");
    }
    for (uint64_t k = 0; k < s.T; k++)
        for (uint64_t i = 0; i < s.n; i++) {
            double v = s.v[k * s.n + i];
            if (isfinite(v)) lo = v < lo ? v : lo, hi = v > hi ? v : hi, tend = t[k];
        }
    plot_frame f;
    plot_frame_init(&f, cr, o->W, o->H, s.n > 30 ? 250 : 140);
    plot_frame_range(&f, t[0], tend, lo, hi, 0.05);
    plot_frame_clip(&f);
    for (uint64_t i = 0; i < s.n; i++) activity_line(&f, &s, t, i);
    cairo_restore(cr);
    for (uint64_t i = 0; i < s.n; i++) plot_color((uint32_t)i, (uint32_t)s.n, colors[i]);
    plot_legend(&f, (const char *const *)s.elems, (const double(*)[3])colors, (uint32_t)s.n);
    char title[512], what[300], ylabel[300];
    snprintf(what, sizeof what, "Activity of %s, episode %llu", s.name, (unsigned long long)o->episode + 1);
    snprintf(ylabel, sizeof ylabel, "%s%s%s%s", s.name, s.unit[0] ? " (" : "", s.unit, s.unit[0] ? ")" : "");
    plot_frame_axes(&f, plot_title_of(r, what, title, sizeof title), "time (s)", ylabel);
    free(t), free(colors), h5signal_free(&s);
    return 0;
}
