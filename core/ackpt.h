/* ackpt.h -- training checkpoints and atomic file writes.
 *
 * A checkpoint holds everything needed to continue a training run exactly:
 * the number of epochs done, counters, the learning-curve file's length at
 * that moment, a fingerprint of the run's configuration, and the learner's
 * own state (learner_api.save). The learner's random stream needs no saving:
 * the host reseeds it from (run seed, epoch) before every ask.
 *
 * Files are written atomically: to PATH.tmp, fflush + fsync, rename over
 * PATH, fsync of the directory. A reader sees the old file or the new one,
 * never a torn one, even if the process is killed with SIGKILL.
 */
#ifndef ACKPT_H
#define ACKPT_H

#include <stdint.h>

#include "aerr.h"

#define ACKPT_VERSION 1u

typedef struct ackpt {
    uint32_t n_theta;
    uint64_t epochs_done;   /* next epoch to run */
    uint64_t episodes;      /* episodes evaluated so far */
    uint64_t steps;         /* control steps so far */
    double elapsed;         /* seconds of training so far */
    uint64_t curve_bytes;   /* length of the curve CSV at this checkpoint */
    uint64_t fingerprint;   /* of the configuration; must match on resume */
    double best_return;     /* best candidate return seen */
    uint64_t state_size;    /* bytes in `state` */
    void *state;            /* learner state; owned (free with ackpt_free) */
} ackpt;

/* Write `size` bytes to `path` atomically (see above). 0 or -1 with e set. */
int ackpt_write_file(const char *path, const void *data, uint64_t size, aerr *e);

/* Serialise c and write it atomically to path. 0 or -1 with e set. */
int ackpt_save(const char *path, const ackpt *c, aerr *e);

/* Read a checkpoint into *c (c->state allocated; free with ackpt_free).
 * 0, or -1 with e set ("PATH: not an animat checkpoint", truncated, ...). */
int ackpt_load(const char *path, ackpt *c, aerr *e);

/* Free c->state (NULL-safe). */
void ackpt_free(ackpt *c);

/* FNV-1a 64 over bytes, continuing from h (start with ACKPT_FNV_INIT). */
#define ACKPT_FNV_INIT 0xcbf29ce484222325ULL
uint64_t ackpt_fnv(uint64_t h, const void *data, uint64_t n);

#endif
