/* plot.h -- `animat plot`: figures of a recording (h5read.h) drawn with
 * cairo into SVG or PNG.
 *
 * Kinds (docs/plots.md shows one of each):
 *   curve       learning curve of a train recording (/learner): return vs
 *               environment steps; mean, best, min..max band over candidates
 *   activity    traces over time of one signal's elements (units or ports)
 *   kymograph   a signal (joint angles) over element index and time as a
 *               heat map with a diverging colour scale: the travelling wave
 *   trajectory  the body's path seen from above (NAME.obs.position, x/y in m),
 *               equal aspect, start and end marked, one series per episode
 *   raster      a circuit's spike times (/spikes/NAME) by unit, the
 *               population rate underneath
 *
 * Series are countable in the SVG: see plot_axes.h. Nothing here writes
 * files: plot_render draws into memory; the caller writes it (atomicfile).
 */
#ifndef PLOT_H
#define PLOT_H

#include <stddef.h>
#include <stdint.h>

#include "base/errmsg.h"
#include "view/h5read.h"
#include "view/plot_data.h"

/* A growing byte buffer (the rendered file). */
typedef struct plot_buf {
    unsigned char *p; /* owned; free with plot_buf_free */
    size_t n, cap;
    int oom;          /* set when an append ran out of memory (then p is kept, the bytes dropped) */
} plot_buf;

void plot_buf_free(plot_buf *b);

/* Append n bytes (a zeroed plot_buf is an empty one). 0, or -1 (and
 * b->oom set) when out of memory. */
int plot_buf_add(plot_buf *b, const void *p, size_t n);

/* The kind named s ("curve", ...). 0, or -1 with e set naming the kinds. */
int plot_kind_parse(const char *s, plot_kind *k, errmsg *e);
const char *plot_kind_name(plot_kind k);

/* The format from PATH's extension (.svg or .png, any case). 0, or -1 with
 * e set ("PATH: unknown image format '.x' (use .svg or .png)"). */
int plot_format_of(const char *path, plot_format *f, errmsg *e);

/* "WxH" -> *W, *H (each 100..8000). 0, or -1 with e set. */
int plot_size_parse(const char *s, double *W, double *H, errmsg *e);

/* The signal a kind draws: o->signal if set (each name checked), else the
 * kind's default (activity: every *.units signal, else every circuit
 * *.out.* signal, as a comma-separated list;
 * kymograph: the first *.obs.joints; trajectory: the first
 * *.obs.position; raster: the first /spikes/NAME, "NAME.spikes").
 * Returns a new string (caller frees), or NULL with e set naming what
 * is needed and what was recorded. curve returns "learner". */
char *plot_signal_for(const h5rec *r, const plot_opts *o, errmsg *e);

/* Read and check what the plot needs, then draw it into *out (SVG or PNG
 * bytes; *out owned by the caller). All checks happen before drawing. 0,
 * or -1 with e set (missing data, bad episode, cairo failure). */
int plot_render(const h5rec *r, const plot_opts *o, plot_format fmt, plot_buf *out, errmsg *e);

/* Free the caches cairo and fontconfig keep for the whole process (fonts,
 * patterns), so that leak checkers see none at exit. Call once, when no
 * cairo surface or context is alive any more (the end of a command). */
void plot_release(void);

#endif
