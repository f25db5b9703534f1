/* checkpoint.h -- training checkpoints and atomic file writes.
 *
 * A checkpoint holds everything needed to continue a training run exactly:
 * the number of epochs done, counters, the learning-curve file's length at
 * that moment, a fingerprint of the run's configuration, and the learner's
 * own state (learner_api.save). The learner's random stream needs no saving:
 * the host reseeds it from (run seed, epoch) before every ask.
 *
 * Files are sealed files (base/sealfile.h: checksummed, checked on reading,
 * shared with experiment states) written atomically (base/atomicfile.h):
 * to PATH.tmp, fflush + fsync, rename over PATH, fsync of the directory. A
 * reader sees the old file or the new one, never a torn one, even if the
 * process is killed with SIGKILL.
 */
#ifndef CHECKPOINT_H
#define CHECKPOINT_H

#include <stdint.h>

#include "base/errmsg.h"

#define CHECKPOINT_VERSION 4u /* 2: the checksum covers the header too; curve hash; 3: a sealed file;
                                 4: the plugins (role id version fnv1a64 lines) after the state */

typedef struct checkpoint {
    uint32_t n_theta;
    uint64_t epochs_done;   /* next epoch to run */
    uint64_t episodes;      /* episodes evaluated so far */
    uint64_t steps;         /* control steps so far */
    double elapsed;         /* seconds of training so far */
    uint64_t curve_bytes;   /* length of the curve CSV at this checkpoint */
    uint64_t curve_hash;    /* FNV of those bytes: a resumed curve must match */
    uint64_t fingerprint;   /* of the configuration; must match on resume */
    double best_return;     /* best candidate return seen */
    uint64_t state_size;    /* bytes in `state` */
    void *state;            /* learner state; owned (free with checkpoint_free) */
    char *plugins;          /* "ROLE ID VERSION FNV1A64\n" per plugin, NUL-terminated; owned;
                               NULL when none */
} checkpoint;

/* Serialise c and write it atomically to path. 0 or -1 with e set. */
int checkpoint_save(const char *path, const checkpoint *c, errmsg *e);

/* Read a checkpoint into *c (c->state allocated; free with checkpoint_free).
 * 0, or -1 with e set ("PATH: not an animat checkpoint", truncated, ...). */
int checkpoint_load(const char *path, checkpoint *c, errmsg *e);

/* Free c->state and c->plugins (NULL-safe). */
void checkpoint_free(checkpoint *c);

#endif
