/* atomicfile.h -- write a file so that readers see the old one or the new
 * one, never a torn one: write PATH.tmp, fflush + fsync, rename over PATH,
 * fsync the folder. The one place animat does this (traces, parameter
 * files, learning curves' checkpoints, checkpoints).
 *
 * Lifecycle: atomicfile_open -> write to ->f -> atomicfile_commit (or
 * atomicfile_abort, which removes PATH.tmp). Thread: one thread per
 * atomicfile.
 */
#ifndef ATOMICFILE_H
#define ATOMICFILE_H

#include <stdint.h>
#include <stdio.h>

#include "base/errmsg.h"

typedef struct atomicfile {
    FILE *f;    /* the stream to write; owned until commit/abort */
    char *path; /* final path; owned */
    char *tmp;  /* PATH.tmp; owned */
} atomicfile;

/* Only name PATH and PATH.tmp in *a (f stays NULL): for a temporary file
 * that another library writes by name (libhdf5); commit then fsyncs it by
 * name. 0, or -1 (out of memory) with e set. */
int atomicfile_name(atomicfile *a, const char *path, errmsg *e);

/* Create PATH.tmp for writing (binary). 0, or -1 with e set ("PATH.tmp:
 * cannot write: reason") and *a zeroed. */
int atomicfile_open(atomicfile *a, const char *path, errmsg *e);

/* Flush, fsync, close and rename into place, then fsync the folder. Frees
 * *a either way; on failure PATH.tmp is removed and PATH untouched. 0, or
 * -1 with e set. */
int atomicfile_commit(atomicfile *a, errmsg *e);

/* Close and remove PATH.tmp; PATH untouched. NULL-safe on a zeroed *a. */
void atomicfile_abort(atomicfile *a);

/* Can `path` be written this way without destroying anything? Checked
 * before any work starts: the path is not empty; its folder exists and is
 * writable; if something is already there it is a regular file (a
 * directory, device, FIFO, socket or symlink is refused, never replaced);
 * and it is none of the n paths in `others` (the experiment file, parameter
 * files being read, the run's other outputs; NULL entries are skipped).
 * `what` names the output in the message ("--trace", "train.curve").
 * 0, or -1 with e set to one line. */
int atomicfile_check(const char *path, const char *what, const char *const *others, uint32_t n, errmsg *e);

/* While a long write is open (a run's trace, its recording), SIGINT and
 * SIGTERM remove its PATH.tmp before the process dies of the signal as
 * usual, so Ctrl-C leaves nothing behind. Up to 4 guarded files at once
 * (more are not guarded); unguard before commit or abort. Main thread. */
void atomicfile_guard(const atomicfile *a);
void atomicfile_unguard(const atomicfile *a);

/* The whole cycle for a buffer of `size` bytes. 0, or -1 with e set. */
int atomicfile_write(const char *path, const void *data, uint64_t size, errmsg *e);

#endif
