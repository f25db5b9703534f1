/* series.h -- the data an analysis works on: chosen signals of one episode
 * of a recording (view/h5read.h) as one matrix, samples x variables, cut to
 * a time window and to the samples before the episode ended.
 *
 * Lifecycle: an_series_load -> use -> an_series_free. Owned by the caller;
 * one thread.
 */
#ifndef AN_SERIES_H
#define AN_SERIES_H

#include <stdint.h>

#include "base/errmsg.h"
#include "view/h5read.h"

typedef struct an_series {
    double *x;     /* T * m values, sample-major (x[t*m + j]); owned */
    uint64_t T;    /* samples */
    uint32_t m;    /* variables (the elements of every chosen signal, in order) */
    char **names;  /* m variable names: the element names ("osc"), "SIGNAL:ELEM" for several signals; owned */
    double dt;     /* sample interval, s (dt * every of the recording) */
    double t0;     /* time of the first sample, s */
    char *signals; /* the chosen signals, comma-separated; owned */
} an_series;

/* What to load: a comma-separated signal list (NULL: every *.units signal)
 * of episode `episode` (0-based), samples with time in [from, to) (to < 0:
 * to the end). */
typedef struct an_select {
    const char *signals;
    uint64_t episode;
    double from, to;
} an_select;

/* Load the selection from r. Every failure is one line in e naming the
 * file and what is missing: no such signal (with the recorded ones), no
 * episode K, a window with fewer than `min_T` samples. 0 or -1 (*s zeroed). */
int an_series_load(const h5rec *r, const an_select *sel, uint64_t min_T, an_series *s, errmsg *e);

void an_series_free(an_series *s);

#endif
