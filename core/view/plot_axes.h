/* plot_axes.h -- the pieces every animat plot is drawn from, with cairo: a
 * frame (plot area + data ranges), axes with "nice" ticks, labels and a
 * title, series colours, a legend, and a diverging colour scale.
 *
 * Conventions, so that plots are comparable and their SVG countable: every
 * data series is ONE cairo path stroked with line width PLOT_SERIES_WIDTH
 * (nothing else is stroked with that width) in its own colour from
 * plot_color; legends use filled swatches. Cairo-only; no allocation.
 */
#ifndef PLOT_AXES_H
#define PLOT_AXES_H

#include <stdint.h>

#include <cairo.h>

#define PLOT_SERIES_WIDTH 1.5

typedef struct plot_frame {
    cairo_t *cr;                   /* borrowed */
    double W, H;                   /* surface size (px or pt) */
    double x0, y0, x1, y1;         /* plot area, device coordinates (y0 top) */
    double xmin, xmax, ymin, ymax; /* data ranges mapped onto the area */
} plot_frame;

/* Lay out a frame on a W x H surface, keeping `right` units free right of
 * the plot area (legend, colour bar), and paint the background white. */
void plot_frame_init(plot_frame *f, cairo_t *cr, double W, double H, double right);

/* Data -> device coordinates. */
double plot_x(const plot_frame *f, double v);
double plot_y(const plot_frame *f, double v);

/* Set the data ranges; an empty or non-finite range is widened to a unit
 * one, and `pad` (fraction of the span) is added on each side. */
void plot_frame_range(plot_frame *f, double xmin, double xmax, double ymin, double ymax, double pad);

/* Equal aspect (maps, trajectories): widen the x or the y range about its
 * centre so that one data unit is as long across as up; the old ranges stay
 * inside the new ones. */
void plot_frame_equal(plot_frame *f);

/* Ticks at "nice" numbers (1, 2, 5 x 10^k) covering [lo, hi], at most about
 * `want` of them: sets *first and *step and returns the count (>= 2 for a
 * finite non-empty range, 0 otherwise). */
int plot_nice_ticks(double lo, double hi, int want, double *first, double *step);

/* Draw the box, ticks with numbers, axis labels (with units, e.g.
 * "time (s)") and the title above. ylabel NULL skips y ticks and label
 * (the kymograph draws its own). */
void plot_frame_axes(const plot_frame *f, const char *title, const char *xlabel, const char *ylabel);

/* Clip drawing to the plot area (cairo_save'd; undo with cairo_restore). */
void plot_frame_clip(const plot_frame *f);

/* The colour of series i of n: a 10-colour qualitative palette for n <= 10,
 * else n hues evenly spaced; distinct for distinct i. */
void plot_color(uint32_t i, uint32_t n, double rgb[3]);

/* Stroke the current path as series i of n (colour and width as above). */
void plot_stroke_series(cairo_t *cr, uint32_t i, uint32_t n);

/* The legend right of the plot area: a swatch and the name per entry, in
 * columns when they do not fit. colors: n rgb triples. */
void plot_legend(const plot_frame *f, const char *const *names, const double (*colors)[3], uint32_t n);

/* Text helpers: draw s with its anchor at (x, y); ax/ay in [0,1] place the
 * anchor within the text's box (0,0 = left/top, 0.5,0.5 = centre). */
void plot_text(cairo_t *cr, double x, double y, double ax, double ay, double size, const char *s);

/* A number formatted for a tick ("0.5", "1e+04", "-2"), into buf. */
const char *plot_tick_label(double v, double step, char *buf, uint32_t cap);

/* The diverging colour scale used for signed data (blue < 0 < red, white at
 * 0): v in [-1, 1] (clamped) -> rgb. NaN -> light grey. */
void plot_diverging(double v, double rgb[3]);

#endif
