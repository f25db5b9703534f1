/* plot_heat.h -- heat maps: values over (element, time) drawn as one image
 * on a plot frame, element names down the left side and a colour bar on the
 * right. The kymograph (a diverging scale symmetric around 0) and activity
 * with many series (a sequential scale from the smallest to the largest
 * value) are drawn with it.
 */
#ifndef PLOT_HEAT_H
#define PLOT_HEAT_H

#include <stdint.h>

#include "view/plot_axes.h"

#define PLOT_HEAT_COLS 2048 /* image columns at most: longer series are averaged in bins */

typedef struct plot_heat {
    const double *v;   /* T x n values, sample-major: v[k * n + i] is element i at sample k; borrowed */
    uint64_t T, n;     /* samples, elements (rows; element 0 on top) */
    double lo, hi;     /* the colour scale's ends (diverging: lo = -hi) */
    int diverging;     /* 1: plot_diverging (blue < 0 < red); 0: sequential (dark blue -> yellow) */
} plot_heat;

/* The sequential scale: v in [0, 1] (clamped) -> rgb, dark blue through
 * green to yellow; NaN -> light grey. */
void plot_sequential(double v, double rgb[3]);

/* Paint the heat map over f's plot area, time t0 .. t1 across (f's x range
 * must contain them). 0, or -1 (nothing drawn) when the image cannot be
 * made (more than 4096 rows, or cairo out of memory). */
int plot_heat_paint(const plot_frame *f, const plot_heat *h, double t0, double t1);

/* Widen the left margin of f so that the row names (font size as
 * plot_heat_rows draws them) and the rotated label fit; at most a third of
 * the width. Call before plot_frame_range and painting. */
void plot_heat_fit_rows(plot_frame *f, const char *const *names, uint64_t n);

/* Row names down the left of the plot area (at most about 40, evenly
 * spread when there are more rows), and `label` along the left edge. */
void plot_heat_rows(const plot_frame *f, const char *const *names, uint64_t n, const char *label);

/* The colour bar right of the plot area (lo at the bottom, hi at the top)
 * with ticks, and `label` (e.g. "circuit.units (no unit recorded)") along it. */
void plot_heat_bar(const plot_frame *f, const plot_heat *h, const char *label);

#endif
