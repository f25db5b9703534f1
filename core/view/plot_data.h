/* plot_data.h -- what every plot kind reads besides its signal: the
 * options, a title naming the experiment, and the sample times. Below
 * plot.h (the dispatcher) and the kinds (plot_kinds.h), so that neither
 * depends on the other's file.
 */
#ifndef PLOT_DATA_H
#define PLOT_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "view/h5read.h"

typedef enum plot_kind {
    PLOT_CURVE, PLOT_ACTIVITY, PLOT_KYMOGRAPH, PLOT_TRAJECTORY, PLOT_RASTER, PLOT_NKINDS
} plot_kind;
typedef enum plot_format { PLOT_SVG, PLOT_PNG } plot_format;

typedef struct plot_opts {
    plot_kind kind;
    const char *signal; /* signal to draw; NULL: the kind's default; activity: a comma-separated list */
    uint64_t episode;   /* 0-based episode (activity, kymograph; trajectory with one_episode) */
    int one_episode;    /* trajectory: draw only `episode` (default: every episode, at most 64) */
    double W, H;        /* size in px (PNG) or pt (SVG); 0: 800 x 500 */
    int window;         /* 1: draw only the time window [from, to) (--from/--to) */
    double from, to;    /* seconds since the episode's start (curve: of simulated experience,
                         * env steps x dt); to may be INFINITY (the end) */
} plot_opts;

/* "WHAT — basename of the experiment_file attribute", for titles; written
 * into buf (cap bytes), which is returned. */
const char *plot_title_of(const h5rec *r, const char *what, char *buf, size_t cap);

/* The times of T samples read every stride-th (h5signal.stride): /time
 * read with that stride when it is long enough, else k * stride * dt *
 * every from the root attributes. Caller frees; NULL when out of memory. */
double *plot_time_axis(const h5rec *r, uint64_t T, uint64_t stride);

/* The times of signal s's rows: plot_time_axis, and for an envelope
 * (s->envelope) each run's start time twice, for its min and max rows.
 * Caller frees; NULL when out of memory. */
double *plot_signal_times(const h5rec *r, const h5signal *s);

/* Check the window o->from..o->to against a signal whose episode ends at
 * `end` seconds, then cut s (and t, its s->T sample times) to the samples
 * with from <= t < to, moving them to the front. No-op without o->window.
 * 0, or -1 with e set ("--from 40 s is beyond the recording: episode 1 of
 * body.obs.joints ends at 30 s"; a window holding no sample). */
int plot_window(const h5rec *r, const plot_opts *o, h5signal *s, double *t, errmsg *e);

/* The time at which the recorded episode of s ends: one sample period after
 * its last sample with a finite value (t: its sample times). */
double plot_episode_end(const h5signal *s, const double *t);

#endif
