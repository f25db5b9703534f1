/* nwb_impl.h -- the inside of an NWB export, shared by nwb_export.c (the
 * file, its metadata and provenance), nwb_series.c (signals as
 * TimeSeries) and nwb_tables.c (Units, trials). Not a public header. */
#ifndef NWB_IMPL_H
#define NWB_IMPL_H

#include <hdf5.h>
#include <stdint.h>

#include "base/errmsg.h"
#include "sim/nwb_export.h"
#include "sim/nwb_h5.h"

/* The source recording and where its episodes lie on the session clock. */
typedef struct nwb_src {
    hid_t f;
    const char *path;
    double dt;
    uint64_t every, E;
    double *steps, *ret; /* E each; owned */
    uint64_t *first;     /* E + 1: episode e's samples are rows first[e] .. first[e + 1] of each series; owned */
    char *experiment, *exp_file, *command, *plugins, *version, *provenance, *kind; /* root attributes; owned */
    uint64_t seed;
} nwb_src;

/* Where episode k starts on the session clock, s: episodes follow each
 * other on the sample grid (every x dt), so each series has one rate. */
static inline double nwb_ep_start(const nwb_src *s, uint64_t k) { return (double)(s->first[k] * s->every) * s->dt; }

/* Every /signals/NAME as a TimeSeries (SpatialSeries for NAME.obs.position
 * in processing/behavior/Position): body ports and the reward under
 * processing/behavior, circuit ports, units and voltages under
 * processing/circuits. 0 or -1 with e set. */
int nwb_write_series(nwb_h5 *w, const nwb_src *s, nwb_stats *st, errmsg *e);

/* /units (every /spikes/NAME: one row per circuit unit, spike times on
 * the session clock, unit_name and circuit columns) and intervals/trials
 * (each episode's start, stop, return and steps). 0 or -1 with e set. */
int nwb_write_tables(nwb_h5 *w, const nwb_src *s, nwb_stats *st, errmsg *e);

#endif
