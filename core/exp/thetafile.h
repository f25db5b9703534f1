/* thetafile.h -- parameter files: the learnable parameters `animat train`
 * writes and `--theta FILE` / theta_file: read back.
 *
 * Format (YAML):
 *   circuit: ncap                 optional: the plugin, for one-circuit files
 *   names: [steer.w[0], ...]      optional: INSTANCE.ENTRY per value
 *   theta: [0.1, ...]             required, finite numbers
 * A file with names can only be applied to circuits whose theta entries
 * have exactly those names, in that order (sim checks, naming the first
 * mismatch). Files written before entry names existed have no `names`.
 * Thread: any; no shared state.
 */
#ifndef THETAFILE_H
#define THETAFILE_H

#include <stdint.h>

#include "base/errmsg.h"
#include "base/yamltree.h"

typedef struct thetafile {
    double *theta;  /* n values; owned */
    char **names;   /* n names, or NULL when the file has none; owned */
    uint32_t n;
    char *circuit;  /* the `circuit:` value or NULL; owned */
} thetafile;

/* Read `path` into *t. 0, or -1 with e set ("PATH:LINE:COL: ..."). */
int thetafile_read(const char *path, thetafile *t, errmsg *e);

/* A `theta:` list node into a fresh array (*out, caller frees). `where`
 * names the key in messages. 0, or -1 with e set. */
int thetafile_list(const yamltree *node, const char *where, double **out, uint32_t *n, errmsg *e);

/* Free t's arrays (NULL-safe on a zeroed t). */
void thetafile_free(thetafile *t);

#endif
