/* aplot.c -- see aplot.h. */
#include "analysis/aplot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <cairo-svg.h>
#include <cairo.h>

#include "view/plot_axes.h"

#define AP_W 900.0
#define AP_H 420.0

/* Start panel `i` of 2 (left, right): clip, translate, frame. Undo with
 * cairo_restore. */
static void panel(plot_frame *f, cairo_t *cr, int i, double right) {
    cairo_save(cr);
    cairo_translate(cr, i * AP_W / 2, 0);
    cairo_rectangle(cr, 0, 0, AP_W / 2, AP_H);
    cairo_clip(cr);
    plot_frame_init(f, cr, AP_W / 2, AP_H, right);
}

static void dot(cairo_t *cr, double x, double y, double r) {
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, r, 0, 2 * M_PI);
}

/* PCA: bars of explained variance (first 10), and component scores. */
static void draw_pca(cairo_t *cr, const an_figure *g) {
    const an_pca *p = g->pca;
    uint32_t nb = p->m < 10 ? p->m : 10, nc = p->m < 3 ? p->m : 3;
    plot_frame f;
    panel(&f, cr, 0, 0);
    plot_frame_range(&f, 0.5, nb + 0.5, 0, 1, 0);
    double rgb[3];
    plot_color(0, 1, rgb);
    cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
    for (uint32_t k = 0; k < nb; k++)
        cairo_rectangle(cr, plot_x(&f, k + 0.7), plot_y(&f, p->explained[k]), plot_x(&f, k + 1.3) - plot_x(&f, k + 0.7),
                        plot_y(&f, 0) - plot_y(&f, p->explained[k]));
    cairo_fill(cr);
    plot_frame_axes(&f, "explained variance", "component", "fraction of variance");
    cairo_restore(cr);
    panel(&f, cr, 1, 70);
    const an_series *s = g->s;
    double lo = INFINITY, hi = -INFINITY;
    for (uint64_t t = 0; t < s->T; t++)
        for (uint32_t k = 0; k < nc; k++) {
            double v = an_pca_score(p, s->x + t * s->m, k);
            lo = fmin(lo, v), hi = fmax(hi, v);
        }
    plot_frame_range(&f, s->t0, s->t0 + (double)(s->T - 1) * s->dt, lo, hi, 0.05);
    for (uint32_t k = 0; k < nc; k++) {
        for (uint64_t t = 0; t < s->T; t++) {
            double x = plot_x(&f, s->t0 + (double)t * s->dt), y = plot_y(&f, an_pca_score(p, s->x + t * s->m, k));
            if (t) cairo_line_to(cr, x, y);
            else cairo_move_to(cr, x, y);
        }
        plot_stroke_series(cr, k, nc);
    }
    const char *names[3] = {"PC1", "PC2", "PC3"};
    double cols[3][3];
    for (uint32_t k = 0; k < nc; k++) plot_color(k, nc, cols[k]);
    plot_legend(&f, names, (const double(*)[3])cols, nc);
    plot_frame_axes(&f, "component time courses", "time (s)", "score");
    cairo_restore(cr);
}

/* DMD: unit circle with eigenvalues; frequency vs growth rate. */
static void draw_dmd(cairo_t *cr, const an_figure *g) {
    const an_dmd *d = g->dmd;
    double amax = 0, fmax_ = 0, glo = 0, ghi = 0;
    for (uint32_t k = 0; k < d->r; k++) {
        amax = fmax(amax, d->modes[k].amplitude), fmax_ = fmax(fmax_, fabs(d->modes[k].freq));
        glo = fmin(glo, d->modes[k].growth), ghi = fmax(ghi, d->modes[k].growth);
    }
    double rgb[3];
    plot_color(0, 1, rgb);
    plot_frame f;
    panel(&f, cr, 0, 0);
    plot_frame_range(&f, -1.2, 1.2, -1.2, 1.2, 0);
    plot_frame_equal(&f);
    cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
    cairo_set_line_width(cr, 1.0);
    cairo_arc(cr, plot_x(&f, 0), plot_y(&f, 0), plot_x(&f, 1) - plot_x(&f, 0), 0, 2 * M_PI);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
    for (uint32_t k = 0; k < d->r; k++)
        dot(cr, plot_x(&f, d->modes[k].re), plot_y(&f, d->modes[k].im),
            2.5 + 5 * (amax > 0 ? sqrt(d->modes[k].amplitude / amax) : 0));
    cairo_fill(cr);
    plot_frame_axes(&f, "eigenvalues (unit circle)", "Re lambda", "Im lambda");
    cairo_restore(cr);
    panel(&f, cr, 1, 0);
    plot_frame_range(&f, -fmax_ * 1.1, fmax_ * 1.1, glo, ghi, 0.1);
    cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
    for (uint32_t k = 0; k < d->r; k++)
        dot(cr, plot_x(&f, d->modes[k].freq), plot_y(&f, d->modes[k].growth),
            2.5 + 5 * (amax > 0 ? sqrt(d->modes[k].amplitude / amax) : 0));
    cairo_fill(cr);
    plot_frame_axes(&f, "continuous-time eigenvalues", "frequency (Hz)", "growth rate (1/s)");
    cairo_restore(cr);
}

/* SINDy: measured (thin grey) and identified derivatives, one colour each. */
static void draw_sindy(cairo_t *cr, const an_figure *g) {
    const an_sindy *s = g->sindy;
    uint32_t n = s->m < 6 ? s->m : 6;
    double lo = INFINITY, hi = -INFINITY;
    for (uint64_t t = 0; t < s->N; t++)
        for (uint32_t i = 0; i < n; i++) {
            double a = s->data[t * s->m + i], b = s->fit[t * s->m + i];
            lo = fmin(lo, fmin(a, b)), hi = fmax(hi, fmax(a, b));
        }
    plot_frame f;
    cairo_save(cr);
    plot_frame_init(&f, cr, AP_W, AP_H, 190);
    plot_frame_range(&f, g->s->t0 + s->t[0], g->s->t0 + s->t[s->N - 1], lo, hi, 0.05);
    plot_frame_clip(&f);
    for (uint32_t i = 0; i < n; i++)
        for (int which = 0; which < 2; which++) {
            const double *v = which ? s->fit : s->data;
            for (uint64_t t = 0; t < s->N; t++) {
                double x = plot_x(&f, g->s->t0 + s->t[t]), y = plot_y(&f, v[t * s->m + i]);
                if (t) cairo_line_to(cr, x, y);
                else cairo_move_to(cr, x, y);
            }
            if (which) {
                plot_stroke_series(cr, i, n);
            } else {
                cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
                cairo_set_line_width(cr, 4.0);
                cairo_stroke(cr);
            }
        }
    cairo_restore(cr);
    const char *names[6];
    double cols[6][3];
    for (uint32_t i = 0; i < n; i++) names[i] = g->s->names[i], plot_color(i, n, cols[i]);
    plot_legend(&f, names, (const double(*)[3])cols, n);
    plot_frame_axes(&f, "identified (colour) vs measured (grey) derivatives", "time (s)", "d/dt");
    cairo_restore(cr);
}

static cairo_status_t buf_write(void *closure, const unsigned char *data, unsigned int len) {
    return plot_buf_add(closure, data, len) ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

int an_plot_render(const an_figure *fig, plot_format fmt, plot_buf *out, errmsg *e) {
    *out = (plot_buf){0};
    cairo_surface_t *s = fmt == PLOT_SVG ? cairo_svg_surface_create_for_stream(buf_write, out, AP_W, AP_H + 24)
                                         : cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)AP_W, (int)AP_H + 24);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    plot_text(cr, AP_W / 2, 6, 0.5, 0, 13, fig->title);
    cairo_translate(cr, 0, 24);
    if (fig->kind == AN_PCA) draw_pca(cr, fig);
    else if (fig->kind == AN_DMD) draw_dmd(cr, fig);
    else draw_sindy(cr, fig);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    if (st == CAIRO_STATUS_SUCCESS && fmt == PLOT_PNG) st = cairo_surface_write_to_png_stream(s, buf_write, out);
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS) {
        plot_buf_free(out);
        return errmsg_set(e, "cairo: %s", cairo_status_to_string(st));
    }
    return 0;
}
