/* plot_kinds.h -- one drawing function per plot kind (plot_curve.c,
 * plot_activity.c, plot_kymo.c, plot_traj.c, plot_raster.c), called by plot_render.
 *
 * Each takes the recording, the options and a resolved signal name, reads
 * and checks its data FIRST (returning -1 with e set and drawing nothing
 * when something is missing), then draws the whole figure on cr (a W x H
 * surface). 0 or -1.
 */
#ifndef PLOT_KINDS_H
#define PLOT_KINDS_H

#include <cairo.h>

#include "base/errmsg.h"
#include "view/plot_data.h"

int plot_curve(const h5rec *r, const plot_opts *o, const char *signal, cairo_t *cr, errmsg *e);
int plot_activity(const h5rec *r, const plot_opts *o, const char *signal, cairo_t *cr, errmsg *e);
int plot_kymograph(const h5rec *r, const plot_opts *o, const char *signal, cairo_t *cr, errmsg *e);
int plot_trajectory(const h5rec *r, const plot_opts *o, const char *signal, cairo_t *cr, errmsg *e);
int plot_raster(const h5rec *r, const plot_opts *o, const char *signal, cairo_t *cr, errmsg *e);

#endif
