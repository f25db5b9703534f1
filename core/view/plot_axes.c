/* plot_axes.c -- see plot_axes.h. */
#include "view/plot_axes.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define FONT "sans-serif"
#define LEFT 72.0
#define TOP 40.0
#define BOTTOM 52.0

void plot_frame_init(plot_frame *f, cairo_t *cr, double W, double H, double right) {
    memset(f, 0, sizeof *f);
    f->cr = cr, f->W = W, f->H = H;
    f->x0 = LEFT, f->x1 = W - right - 16.0;
    f->y0 = TOP, f->y1 = H - BOTTOM;
    if (f->x1 < f->x0 + 10) f->x1 = f->x0 + 10;
    if (f->y1 < f->y0 + 10) f->y1 = f->y0 + 10;
    f->xmin = 0, f->xmax = 1, f->ymin = 0, f->ymax = 1;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
}

double plot_x(const plot_frame *f, double v) {
    return f->x0 + (v - f->xmin) / (f->xmax - f->xmin) * (f->x1 - f->x0);
}

double plot_y(const plot_frame *f, double v) {
    return f->y1 - (v - f->ymin) / (f->ymax - f->ymin) * (f->y1 - f->y0);
}

/* Widen [lo, hi] to something drawable. */
static void fix_range(double *lo, double *hi, double pad) {
    if (!isfinite(*lo) || !isfinite(*hi) || *lo > *hi) *lo = 0, *hi = 1;
    if (*hi - *lo < 1e-12 * (fabs(*lo) + fabs(*hi)) || *hi == *lo) {
        double d = *lo == 0 ? 1 : fabs(*lo) * 0.1;
        *lo -= d, *hi += d;
    }
    double span = *hi - *lo;
    *lo -= pad * span, *hi += pad * span;
}

void plot_frame_range(plot_frame *f, double xmin, double xmax, double ymin, double ymax, double pad) {
    fix_range(&xmin, &xmax, 0);
    fix_range(&ymin, &ymax, pad);
    f->xmin = xmin, f->xmax = xmax, f->ymin = ymin, f->ymax = ymax;
}

void plot_frame_equal(plot_frame *f) {
    double sx = (f->x1 - f->x0) / (f->xmax - f->xmin), sy = (f->y1 - f->y0) / (f->ymax - f->ymin);
    double s = fmin(sx, sy), cx = (f->xmin + f->xmax) / 2, cy = (f->ymin + f->ymax) / 2;
    double hw = (f->x1 - f->x0) / s / 2, hh = (f->y1 - f->y0) / s / 2;
    f->xmin = cx - hw, f->xmax = cx + hw, f->ymin = cy - hh, f->ymax = cy + hh;
}

int plot_nice_ticks(double lo, double hi, int want, double *first, double *step) {
    *first = 0, *step = 1;
    if (!isfinite(lo) || !isfinite(hi) || hi <= lo || want < 2) return 0;
    double raw = (hi - lo) / (want - 1);
    double mag = pow(10, floor(log10(raw)));
    double r = raw / mag;
    double nice = r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10;
    *step = nice * mag;
    for (int tries = 0; tries < 8; tries++) { /* a narrow range: finer steps */
        *first = ceil(lo / *step - 1e-9) * *step;
        int n = (int)floor((hi - *first) / *step + 1e-9) + 1;
        if (n >= 2) return n;
        *step /= nice == 5 ? 2.5 : 2; /* 10 -> 5 -> 2 -> 1 -> 0.5 */
        nice = nice == 5 ? 2 : nice == 2 ? 1 : 5;
    }
    return 0;
}

const char *plot_tick_label(double v, double step, char *buf, uint32_t cap) {
    if (fabs(v) < step * 1e-6) v = 0;
    double a = fabs(v);
    if (a != 0 && (a >= 1e7 || a < 1e-3)) {
        snprintf(buf, cap, "%.2g", v);
    } else {
        int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
        if (dec > 6) dec = 6;
        snprintf(buf, cap, "%.*f", dec, v);
    }
    return buf;
}

void plot_text(cairo_t *cr, double x, double y, double ax, double ay, double size, const char *s) {
    cairo_set_font_size(cr, size);
    cairo_text_extents_t te;
    cairo_text_extents(cr, s, &te);
    cairo_move_to(cr, x - ax * te.x_advance, y - ay * size * 0.8 + size * 0.8);
    cairo_show_text(cr, s);
}

/* Ticks along one axis (horizontal when horiz), with numbers. */
static void axis_ticks(const plot_frame *f, int horiz) {
    cairo_t *cr = f->cr;
    double lo = horiz ? f->xmin : f->ymin, hi = horiz ? f->xmax : f->ymax;
    double first, step;
    int want = horiz ? (int)((f->x1 - f->x0) / 80) + 2 : (int)((f->y1 - f->y0) / 50) + 2;
    int n = plot_nice_ticks(lo, hi, want, &first, &step);
    char buf[32];
    for (int i = 0; i < n; i++) {
        double v = first + i * step;
        plot_tick_label(v, step, buf, sizeof buf);
        if (horiz) {
            double x = plot_x(f, v);
            cairo_move_to(cr, x, f->y1), cairo_line_to(cr, x, f->y1 + 5);
            plot_text(cr, x, f->y1 + 8, 0.5, 0, 11, buf);
        } else {
            double y = plot_y(f, v);
            cairo_move_to(cr, f->x0, y), cairo_line_to(cr, f->x0 - 5, y);
            plot_text(cr, f->x0 - 8, y, 1, 0.5, 11, buf);
        }
    }
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
}

void plot_frame_axes(const plot_frame *f, const char *title, const char *xlabel, const char *ylabel) {
    cairo_t *cr = f->cr;
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1);
    cairo_rectangle(cr, f->x0, f->y0, f->x1 - f->x0, f->y1 - f->y0);
    cairo_stroke(cr);
    axis_ticks(f, 1);
    if (ylabel) axis_ticks(f, 0);
    plot_text(cr, (f->x0 + f->x1) / 2, f->y1 + 28, 0.5, 0, 12, xlabel);
    if (ylabel) {
        cairo_save(cr);
        cairo_translate(cr, 16, (f->y0 + f->y1) / 2);
        cairo_rotate(cr, -M_PI / 2);
        plot_text(cr, 0, 0, 0.5, 0.5, 12, ylabel);
        cairo_restore(cr);
    }
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    plot_text(cr, f->W / 2, 12, 0.5, 0, 14, title);
    cairo_restore(cr);
}

void plot_frame_clip(const plot_frame *f) {
    cairo_save(f->cr);
    cairo_rectangle(f->cr, f->x0, f->y0, f->x1 - f->x0, f->y1 - f->y0);
    cairo_clip(f->cr);
}

/* Tableau 10. */
static const double palette[10][3] = {
    {0.122, 0.467, 0.706}, {1.000, 0.498, 0.055}, {0.173, 0.627, 0.173}, {0.839, 0.153, 0.157},
    {0.580, 0.404, 0.741}, {0.549, 0.337, 0.294}, {0.890, 0.467, 0.761}, {0.498, 0.498, 0.498},
    {0.737, 0.741, 0.133}, {0.090, 0.745, 0.812}};

/* HSV (s = 0.75, v = 0.8) at hue h in [0, 1). */
static void hue(double h, double rgb[3]) {
    double s = 0.75, v = 0.8, c = v * s, hp = h * 6, x = c * (1 - fabs(fmod(hp, 2) - 1));
    double r = 0, g = 0, b = 0;
    int k = (int)hp % 6;
    if (k == 0) r = c, g = x;
    else if (k == 1) r = x, g = c;
    else if (k == 2) g = c, b = x;
    else if (k == 3) g = x, b = c;
    else if (k == 4) r = x, b = c;
    else r = c, b = x;
    rgb[0] = r + v - c, rgb[1] = g + v - c, rgb[2] = b + v - c;
}

void plot_color(uint32_t i, uint32_t n, double rgb[3]) {
    if (n <= 10) {
        memcpy(rgb, palette[i % 10], sizeof palette[0]);
        return;
    }
    hue(0.9 * i / (n - 1), rgb); /* not all the way round: the last hue stays apart from the first */
}

void plot_stroke_series(cairo_t *cr, uint32_t i, uint32_t n) {
    double c[3];
    plot_color(i, n, c);
    cairo_set_source_rgb(cr, c[0], c[1], c[2]);
    cairo_set_line_width(cr, PLOT_SERIES_WIDTH);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
}

void plot_legend(const plot_frame *f, const char *const *names, const double (*colors)[3], uint32_t n) {
    cairo_t *cr = f->cr;
    double row = 14, colw = 110, x = f->x1 + 12, y = f->y0;
    uint32_t per = (uint32_t)((f->y1 - f->y0) / row);
    if (per < 1) per = 1;
    cairo_save(cr);
    for (uint32_t i = 0; i < n; i++) {
        double cx = x + (double)(i / per) * colw, cy = y + (double)(i % per) * row;
        cairo_set_source_rgb(cr, colors[i][0], colors[i][1], colors[i][2]);
        cairo_rectangle(cr, cx, cy + 4, 14, 6);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        plot_text(cr, cx + 18, cy + 7, 0, 0.5, 10, names[i]);
    }
    cairo_restore(cr);
}

void plot_diverging(double v, double rgb[3]) {
    static const double lo[3] = {0.230, 0.299, 0.754}, hi[3] = {0.706, 0.016, 0.150};
    if (isnan(v)) {
        rgb[0] = rgb[1] = rgb[2] = 0.85;
        return;
    }
    v = v < -1 ? -1 : v > 1 ? 1 : v;
    const double *end = v < 0 ? lo : hi;
    double t = fabs(v);
    for (int k = 0; k < 3; k++) rgb[k] = (1 - t) * 1.0 + t * end[k];
}
