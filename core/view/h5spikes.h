/* h5spikes.h -- read the spike times of a recording (/spikes/NAME, NWB's
 * Units layout, docs/recording.md) one episode at a time, for the raster
 * plot. Read-only; one thread; what it returns is the caller's.
 */
#ifndef H5SPIKES_H
#define H5SPIKES_H

#include <stdint.h>

#include "base/errmsg.h"
#include "view/h5read.h"

#define H5SPIKES_MAX (1u << 24) /* spikes of one episode read at most (more: refused) */

/* One episode's spikes of one circuit. */
typedef struct h5spikes {
    char *name;      /* "circuit.spikes"; owned */
    uint32_t units;  /* units (rows) */
    char **names;    /* units names; owned */
    uint64_t *first; /* units + 1: unit u's spikes are t[first[u] .. first[u + 1]); owned */
    double *t;       /* seconds since the episode's start, by unit, in time order; owned */
    double end;      /* the episode's length, s (steps x dt) */
} h5spikes;

/* The spike sources of r, "NAME.spikes" joined by commas; caller frees.
 * NULL when none was recorded. */
char *h5spikes_list(const h5rec *r);

/* Read episode k (0-based) of spike source `name` ("NAME.spikes" or
 * "NAME"). 0, or -1 with e set and *s zeroed ("PATH: no spike times
 * 'x' (recorded: a.spikes)", "episode K of E", more than H5SPIKES_MAX). */
int h5spikes_read(const h5rec *r, const char *name, uint64_t k, h5spikes *s, errmsg *e);
void h5spikes_free(h5spikes *s);

#endif
