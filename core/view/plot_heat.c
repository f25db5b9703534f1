/* plot_heat.c -- see plot_heat.h. */
#include "view/plot_heat.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Stops of the sequential scale, evenly spaced over [0, 1]. */
static const double seq_stops[5][3] = {
    {0.267, 0.005, 0.329}, {0.230, 0.322, 0.546}, {0.128, 0.567, 0.551}, {0.369, 0.789, 0.383}, {0.993, 0.906, 0.144},
};

void plot_sequential(double v, double rgb[3]) {
    if (isnan(v)) {
        rgb[0] = rgb[1] = rgb[2] = 0.85;
        return;
    }
    v = v < 0 ? 0 : v > 1 ? 1 : v;
    double x = v * 4;
    int k = x >= 4 ? 3 : (int)x;
    double t = x - k;
    for (int c = 0; c < 3; c++) rgb[c] = (1 - t) * seq_stops[k][c] + t * seq_stops[k + 1][c];
}

/* The colour of value x on h's scale. */
static void heat_color(const plot_heat *h, double x, double rgb[3]) {
    if (h->diverging) plot_diverging(h->hi > 0 ? x / h->hi : x, rgb);
    else plot_sequential(h->hi > h->lo ? (x - h->lo) / (h->hi - h->lo) : isnan(x) ? x : 0.5, rgb);
}

/* Mean of element i over samples [a, b), finite values only; NaN if none. */
static double bin_mean(const plot_heat *h, uint64_t i, uint64_t a, uint64_t b) {
    double sum = 0;
    uint64_t m = 0;
    for (uint64_t k = a; k < b; k++)
        if (isfinite(h->v[k * h->n + i])) sum += h->v[k * h->n + i], m++;
    return m ? sum / (double)m : NAN;
}

/* The image: column c = samples of bin c, element i = i-th band of rows. */
static cairo_surface_t *heat_image(const plot_heat *h) {
    uint64_t cols = h->T < PLOT_HEAT_COLS ? h->T : PLOT_HEAT_COLS;
    if (h->n > 4096 || !cols || !h->n) return NULL;
    uint64_t rep = h->n < 64 ? 64 / h->n : 1; /* pixel rows per element: viewers that smooth
                                                 * images blend neighbouring rows only at their edges */
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)cols, (int)(h->n * rep));
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) return cairo_surface_destroy(img), NULL;
    cairo_surface_flush(img);
    unsigned char *px = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    for (uint64_t i = 0; i < h->n; i++)
        for (uint64_t c = 0; c < cols; c++) {
            double rgb[3];
            heat_color(h, bin_mean(h, i, c * h->T / cols, (c + 1) * h->T / cols), rgb);
            uint32_t v = (uint32_t)(rgb[0] * 255 + 0.5) << 16 | (uint32_t)(rgb[1] * 255 + 0.5) << 8 |
                         (uint32_t)(rgb[2] * 255 + 0.5);
            for (uint64_t k = 0; k < rep; k++)
                ((uint32_t *)(void *)(px + (size_t)(i * rep + k) * (size_t)stride))[c] = v;
        }
    cairo_surface_mark_dirty(img);
    return img;
}

int plot_heat_paint(const plot_frame *f, const plot_heat *h, double t0, double t1) {
    cairo_surface_t *img = heat_image(h);
    if (!img) return -1;
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
    cairo_surface_destroy(img);
    return 0;
}

/* Font size of row names for rows `row` units tall, and every how many rows one is named. */
static double row_font(double row, uint64_t *every) {
    *every = row >= 8 ? 1 : (uint64_t)ceil(8 / row);
    return row >= 11 ? 10 : row >= 8 ? row - 1 : 7;
}

void plot_heat_fit_rows(plot_frame *f, const char *const *names, uint64_t n) {
    uint64_t every;
    double size = row_font((f->y1 - f->y0) / (double)(n ? n : 1), &every), widest = 0;
    cairo_set_font_size(f->cr, size);
    for (uint64_t i = 0; i < n; i += every) {
        cairo_text_extents_t ext;
        cairo_text_extents(f->cr, names[i], &ext);
        widest = fmax(widest, ext.x_advance);
    }
    double x0 = fmin(30 + widest, f->W / 3);
    if (x0 > f->x0) f->x0 = x0;
    if (f->x1 < f->x0 + 10) f->x1 = f->x0 + 10;
}

void plot_heat_rows(const plot_frame *f, const char *const *names, uint64_t n, const char *label) {
    cairo_t *cr = f->cr;
    uint64_t every;
    double row = (f->y1 - f->y0) / (double)(n ? n : 1), size = row_font(row, &every);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (uint64_t i = 0; i < n; i += every)
        plot_text(cr, f->x0 - 6, f->y0 + ((double)i + 0.5) * row, 1, 0.5, size, names[i]);
    cairo_save(cr);
    cairo_translate(cr, 12, (f->y0 + f->y1) / 2);
    cairo_rotate(cr, -M_PI / 2);
    plot_text(cr, 0, 0, 0.5, 0.5, 12, label);
    cairo_restore(cr);
}

void plot_heat_bar(const plot_frame *f, const plot_heat *h, const char *label) {
    cairo_t *cr = f->cr;
    double x = f->x1 + 20, w = 16, hh = f->y1 - f->y0;
    /* both scales are linear between their stops: one gradient draws each exactly */
    cairo_pattern_t *g = cairo_pattern_create_linear(0, f->y0, 0, f->y0 + hh);
    int stops = h->diverging ? 3 : 5;
    for (int k = 0; k < stops; k++) {
        double c[3], at = (double)k / (stops - 1);
        heat_color(h, h->hi - at * (h->hi - h->lo), c);
        cairo_pattern_add_color_stop_rgb(g, at, c[0], c[1], c[2]);
    }
    cairo_rectangle(cr, x, f->y0, w, hh);
    cairo_set_source(cr, g);
    cairo_fill(cr);
    cairo_pattern_destroy(g);
    plot_frame bar = *f; /* ticks through a frame whose y range is the scale */
    bar.ymin = h->lo, bar.ymax = h->hi > h->lo ? h->hi : h->lo + 1;
    double first, step;
    int n = plot_nice_ticks(bar.ymin, bar.ymax, 5, &first, &step);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int i = 0; i < n; i++) {
        char buf[32];
        double y = plot_y(&bar, first + i * step);
        cairo_move_to(cr, x + w, y), cairo_line_to(cr, x + w + 4, y);
        plot_text(cr, x + w + 6, y, 0, 0.5, 10, plot_tick_label(first + i * step, step, buf, sizeof buf));
    }
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
    cairo_save(cr);
    cairo_translate(cr, x + w + 52, (f->y0 + f->y1) / 2);
    cairo_rotate(cr, M_PI / 2);
    plot_text(cr, 0, 0, 0.5, 0.5, 11, label);
    cairo_restore(cr);
}
