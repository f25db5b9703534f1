/* plot_kymo.c -- the kymograph (see plot.h): one signal's elements (joint
 * angles, head at top) over time as a heat map in the diverging colour
 * scale, symmetric around 0, with a colour bar in the signal's unit. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view/plot_axes.h"
#include "view/plot_kinds.h"

#define KYMO_COLS 2048 /* image columns at most: longer signals are averaged in bins */

/* Mean of element i over samples [a, b), finite values only; NaN if none. */
static double bin_mean(const h5signal *s, uint64_t i, uint64_t a, uint64_t b) {
    double sum = 0;
    uint64_t m = 0;
    for (uint64_t k = a; k < b; k++)
        if (isfinite(s->v[k * s->n + i])) sum += s->v[k * s->n + i], m++;
    return m ? sum / (double)m : NAN;
}

/* The heat map as an image: column c = samples of bin c (one sample per
 * column up to KYMO_COLS samples), rows of element i = i-th band of rows;
 * colours scaled by lim. NULL on failure. */
static cairo_surface_t *kymo_image(const h5signal *s, double lim) {
    uint64_t cols = s->T < KYMO_COLS ? s->T : KYMO_COLS;
    if (s->n > 4096) return NULL;
    uint64_t rep = s->n < 64 ? 64 / s->n : 1; /* pixel rows per element: viewers that smooth
                                                 * images blend neighbouring rows only at their edges */
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)cols, (int)(s->n * rep));
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) return cairo_surface_destroy(img), NULL;
    cairo_surface_flush(img);
    unsigned char *px = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    for (uint64_t i = 0; i < s->n; i++)
        for (uint64_t c = 0; c < cols; c++) {
            double rgb[3];
            plot_diverging(bin_mean(s, i, c * s->T / cols, (c + 1) * s->T / cols) / lim, rgb);
            uint32_t v = (uint32_t)(rgb[0] * 255 + 0.5) << 16 | (uint32_t)(rgb[1] * 255 + 0.5) << 8 |
                         (uint32_t)(rgb[2] * 255 + 0.5);
            for (uint64_t k = 0; k < rep; k++)
                ((uint32_t *)(void *)(px + (size_t)(i * rep + k) * (size_t)stride))[c] = v;
        }
    cairo_surface_mark_dirty(img);
    return img;
}

/* Paint the image over the plot area (time t0..t1 across). */
static void kymo_paint(const plot_frame *f, cairo_surface_t *img, double t0, double t1) {
    cairo_t *cr = f->cr;
    plot_frame_clip(f);
    double xa = plot_x(f, t0), xb = plot_x(f, t1);
    cairo_translate(cr, xa, f->y0);
    cairo_scale(cr, (xb - xa) / (double)cairo_image_surface_get_width(img),
                (f->y1 - f->y0) / (double)cairo_image_surface_get_height(img));
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_paint(cr);
    cairo_restore(cr);
}

/* Element names down the left side, head (element 0) at the top. */
static void kymo_rows(const plot_frame *f, const h5signal *s) {
    cairo_t *cr = f->cr;
    uint64_t every = s->n > 16 ? (s->n + 15) / 16 : 1;
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (uint64_t i = 0; i < s->n; i += every) {
        double y = f->y0 + ((double)i + 0.5) * (f->y1 - f->y0) / (double)s->n;
        char buf[24];
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)i);
        plot_text(cr, f->x0 - 8, y, 1, 0.5, 11, buf);
    }
    cairo_save(cr);
    cairo_translate(cr, 16, (f->y0 + f->y1) / 2);
    cairo_rotate(cr, -M_PI / 2);
    size_t len = strlen(s->name);
    int joints = len >= 6 && !strcmp(s->name + len - 6, "joints");
    plot_text(cr, 0, 0, 0.5, 0.5, 12, joints ? "joint index (head at top)" : "element index (first at top)");
    cairo_restore(cr);
}

/* The colour bar right of the plot: -lim (bottom) .. lim (top), in unit. */
static void kymo_bar(const plot_frame *f, double lim, const h5signal *s) {
    cairo_t *cr = f->cr;
    double x = f->x1 + 20, w = 16, h = f->y1 - f->y0;
    /* the scale is linear between its three colours: one gradient draws it exactly */
    cairo_pattern_t *g = cairo_pattern_create_linear(0, f->y0, 0, f->y0 + h);
    for (int k = 0; k < 3; k++) {
        double c[3];
        plot_diverging(1.0 - k, c);
        cairo_pattern_add_color_stop_rgb(g, k / 2.0, c[0], c[1], c[2]);
    }
    cairo_rectangle(cr, x, f->y0, w, h);
    cairo_set_source(cr, g);
    cairo_fill(cr);
    cairo_pattern_destroy(g);
    plot_frame bar = *f; /* ticks through a frame whose y range is the scale */
    bar.ymin = -lim, bar.ymax = lim;
    double first, step;
    int n = plot_nice_ticks(-lim, lim, 5, &first, &step);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int i = 0; i < n; i++) {
        char buf[32];
        double y = plot_y(&bar, first + i * step);
        cairo_move_to(cr, x + w, y), cairo_line_to(cr, x + w + 4, y);
        plot_text(cr, x + w + 6, y, 0, 0.5, 10, plot_tick_label(first + i * step, step, buf, sizeof buf));
    }
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
    char label[300];
    snprintf(label, sizeof label, "%s (%s)", s->name, s->unit[0] ? s->unit : "no unit recorded");
    cairo_save(cr);
    cairo_translate(cr, x + w + 52, (f->y0 + f->y1) / 2);
    cairo_rotate(cr, M_PI / 2);
    plot_text(cr, 0, 0, 0.5, 0.5, 11, label);
    cairo_restore(cr);
}

int plot_kymograph(const h5rec *r, const plot_opts *o, const char *signal, cairo_t *cr, errmsg *e) {
    h5signal s;
    if (h5rec_signal(r, signal, o->episode, &s, e)) return -1;
    double lim = 0, *t = plot_time_axis(r, s.T, s.stride);
    for (uint64_t k = 0; k < s.T * s.n; k++)
        if (isfinite(s.v[k]) && fabs(s.v[k]) > lim) lim = fabs(s.v[k]);
    if (lim == 0) lim = 1;
    cairo_surface_t *img = t && s.T && s.n ? kymo_image(&s, lim) : NULL;
    if (!img) {
        free(t), h5signal_free(&s);
        return errmsg_set(e, "%s: signal %s is empty or too large for a kymograph", r->path, signal);
    }
    double dt = s.T > 1 ? t[1] - t[0] : 1;
    plot_frame f;
    plot_frame_init(&f, cr, o->W, o->H, 90);
    plot_frame_range(&f, t[0], t[s.T - 1] + dt, 0, (double)s.n, 0);
    kymo_paint(&f, img, t[0], t[s.T - 1] + dt);
    cairo_surface_destroy(img);
    kymo_rows(&f, &s);
    kymo_bar(&f, lim, &s);
    char title[512], what[300];
    snprintf(what, sizeof what, "Kymograph of %s, episode %llu", s.name, (unsigned long long)o->episode + 1);
    plot_frame_axes(&f, plot_title_of(r, what, title, sizeof title), "time (s)", NULL);
    free(t), h5signal_free(&s);
    return 0;
}
