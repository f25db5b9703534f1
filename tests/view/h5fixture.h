/* h5fixture.h -- small synthetic recordings in exactly the layout of
 * docs/recording.md (animat-recording/1), written with libhdf5, for the
 * view suite: a travelling wave on the joints, a circuit's units, a
 * position, and (train) the learner's statistics. */
#ifndef H5FIXTURE_H
#define H5FIXTURE_H

#include <stdint.h>

typedef struct fixture {
    const char *kind;       /* "run" or "train" */
    uint32_t episodes, T, n; /* episodes, samples, joints */
    int direction;          /* +1: wave head to tail, -1: tail to head */
    int units;              /* record circuit.units (2n units) */
    int cpg;                /* also record a second circuit's units: cpg.units (3 units) */
    int position;           /* record body.obs.position */
    uint32_t epochs, cands; /* train: learner statistics */
    const char *experiment; /* root attribute `experiment` (NULL: a default) */
    const char *format;     /* root attribute `format` (NULL: animat-recording/1) */
} fixture;

/* Write the recording to path; 0 or -1. The last episode ends early (its
 * samples after 3/4 of T are NaN). */
int fixture_write(const char *path, const fixture *f);

#endif
