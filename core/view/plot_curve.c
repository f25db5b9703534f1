/* plot_curve.c -- the learning curve (see plot.h): from /learner, return vs
 * environment steps; the min..max band over candidates (filled), the mean
 * and the best candidate's return per epoch (series 0 and 1). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view/plot_axes.h"
#include "view/plot_kinds.h"

/* The learner's arrays, checked for consistent shapes. */
typedef struct curve_data {
    h5array ret, steps; /* (epochs, candidates), (epochs) */
    uint64_t epochs, cands;
} curve_data;

static int curve_load(const h5rec *r, curve_data *d, errmsg *e) {
    memset(d, 0, sizeof *d);
    if (h5rec_read_drawn(r, "/learner/returns", &d->ret, e) ||
        h5rec_read_drawn(r, "/learner/env_steps", &d->steps, e)) {
        h5array_free(&d->ret);
        return -1;
    }
    d->epochs = d->ret.dim[0], d->cands = d->ret.rank == 2 ? d->ret.dim[1] : 1;
    if (d->steps.dim[0] != d->epochs || d->epochs == 0) {
        h5array_free(&d->ret), h5array_free(&d->steps);
        return errmsg_set(e, "%s: /learner/returns and /learner/env_steps disagree on the number of epochs "
                             "(or there are none)", r->path);
    }
    return 0;
}

/* --from/--to for a curve: keep the epochs whose cumulative simulated
 * experience (env steps x dt) lies in [from, to]. 0, or -1 with e set. */
static int curve_window(const h5rec *r, const plot_opts *o, curve_data *d, double *xlo, errmsg *e) {
    *xlo = 0;
    if (!o->window) return 0;
    double dt = 0;
    h5rec_attr_num(r, "dt", &dt);
    if (!(dt > 0)) return errmsg_set(e, "%s: no control period (attribute dt): --from/--to cannot be placed", r->path);
    double total = d->steps.v[d->epochs - 1] * dt;
    const char *which = o->from >= total ? "--from" : isfinite(o->to) && o->to > total + 1e-9 ? "--to" : NULL;
    if (which)
        return errmsg_set(e, "%s %g s is beyond the recording: its %llu epochs hold %g s of simulated experience "
                             "(env steps x dt)", which, which[2] == 'f' ? o->from : o->to,
                          (unsigned long long)d->epochs, total);
    uint64_t k = 0;
    for (uint64_t i = 0; i < d->epochs; i++) {
        double x = d->steps.v[i] * dt;
        if (x < o->from - 1e-12 || x > o->to + 1e-12) continue;
        memmove(d->ret.v + k * d->cands, d->ret.v + i * d->cands, (size_t)d->cands * sizeof *d->ret.v);
        d->steps.v[k++] = d->steps.v[i];
    }
    if (!k) return errmsg_set(e, "--from %g --to %g: no epoch ends in that window of simulated experience", o->from,
                              o->to);
    d->epochs = k;
    *xlo = o->from / dt;
    return 0;
}

/* Min, mean, max of row i (finite values only; NaN when none). */
static void row_stats(const curve_data *d, uint64_t i, double *lo, double *mean, double *hi) {
    double s = 0, a = INFINITY, b = -INFINITY;
    uint64_t m = 0;
    for (uint64_t j = 0; j < d->cands; j++) {
        double v = d->ret.v[i * d->cands + j];
        if (!isfinite(v)) continue;
        s += v, m++;
        a = v < a ? v : a, b = v > b ? v : b;
    }
    *lo = m ? a : NAN, *hi = m ? b : NAN, *mean = m ? s / (double)m : NAN;
}

/* Stroke one line through (steps, value(i)) where value is mean (which 0)
 * or max (which 1) of each epoch, as series `which`. */
static void curve_line(const plot_frame *f, const curve_data *d, int which) {
    cairo_t *cr = f->cr;
    int pen = 0;
    for (uint64_t i = 0; i < d->epochs; i++) {
        double lo, mean, hi, v;
        row_stats(d, i, &lo, &mean, &hi);
        v = which ? hi : mean;
        if (!isfinite(v)) {
            pen = 0;
            continue;
        }
        double x = plot_x(f, d->steps.v[i]), y = plot_y(f, v);
        if (pen) cairo_line_to(cr, x, y);
        else cairo_move_to(cr, x, y);
        if (d->epochs == 1) cairo_line_to(cr, x + 1, y);
        pen = 1;
    }
    plot_stroke_series(cr, (uint32_t)which, 3);
}

/* The filled min..max band (series 2's colour, translucent). */
static void curve_band(const plot_frame *f, const curve_data *d) {
    cairo_t *cr = f->cr;
    double c[3];
    plot_color(2, 3, c);
    for (uint64_t i = 0; i < d->epochs; i++) {
        double lo, mean, hi;
        row_stats(d, i, &lo, &mean, &hi);
        if (isfinite(lo)) cairo_line_to(cr, plot_x(f, d->steps.v[i]), plot_y(f, hi));
    }
    for (uint64_t i = d->epochs; i-- > 0;) {
        double lo, mean, hi;
        row_stats(d, i, &lo, &mean, &hi);
        if (isfinite(lo)) cairo_line_to(cr, plot_x(f, d->steps.v[i]), plot_y(f, lo));
    }
    cairo_close_path(cr);
    cairo_set_source_rgba(cr, c[0], c[1], c[2], 0.3);
    cairo_fill(cr);
}

int plot_curve(const h5rec *r, const plot_opts *o, const char *signal, cairo_t *cr, errmsg *e) {
    (void)signal;
    curve_data d;
    double xlo;
    if (curve_load(r, &d, e)) return -1;
    if (curve_window(r, o, &d, &xlo, e)) return h5array_free(&d.ret), h5array_free(&d.steps), -1;
    double ylo = INFINITY, yhi = -INFINITY;
    for (uint64_t i = 0; i < d.epochs; i++) {
        double lo, mean, hi;
        row_stats(&d, i, &lo, &mean, &hi);
        if (isfinite(lo)) ylo = lo < ylo ? lo : ylo, yhi = hi > yhi ? hi : yhi;
    }
    plot_frame f;
    plot_frame_init(&f, cr, o->W, o->H, 170);
    plot_frame_range(&f, xlo, d.steps.v[d.epochs - 1], ylo, yhi, 0.05);
    plot_frame_clip(&f);
    curve_band(&f, &d);
    curve_line(&f, &d, 0);
    curve_line(&f, &d, 1);
    cairo_restore(cr);
    char title[512], band[64];
    snprintf(band, sizeof band, "min..max of %llu candidates", (unsigned long long)d.cands);
    const char *names[3] = {"mean return", "best return", band};
    double colors[3][3];
    for (uint32_t i = 0; i < 3; i++) plot_color(i, 3, colors[i]);
    plot_legend(&f, names, (const double(*)[3])colors, 3);
    plot_frame_axes(&f, plot_title_of(r, "Learning curve", title, sizeof title), "environment steps",
                    "episode return");
    h5array_free(&d.ret);
    h5array_free(&d.steps);
    return 0;
}
