/* atomicfile.h -- write a file so that readers see the old one or the new
 * one, never a torn one, and never through anything planted in the folder:
 * create a temporary file in PATH's folder exclusively (O_CREAT | O_EXCL |
 * O_NOFOLLOW: PATH.tmp, or PATH.XXXXXX.tmp when that name is taken, so a
 * symbolic link or file planted at PATH.tmp is never opened), write,
 * fflush + fsync, rename over PATH, fsync the folder. The one place animat
 * creates output files (traces, recordings, videos, parameter files,
 * learning curves, checkpoints, figures, pages).
 *
 * Relative paths are resolved against the working directory that
 * atomicfile_anchor saw (held as a directory fd), so plugin code that
 * calls chdir() cannot redirect an output; before atomicfile_anchor (unit
 * tests), against the current working directory.
 *
 * Lifecycle: atomicfile_open -> write to ->f -> atomicfile_commit (or
 * atomicfile_abort, which removes the temporary file). Thread: one thread
 * per atomicfile.
 */
#ifndef ATOMICFILE_H
#define ATOMICFILE_H

#include <stdint.h>
#include <stdio.h>

#include "base/errmsg.h"

typedef struct atomicfile {
    FILE *f;          /* the stream to write (atomicfile_open); owned until commit/abort */
    char *path;       /* final path; owned */
    char *tmp;        /* the temporary file's path (for messages); owned */
    int fd;           /* atomicfile_name: the temporary file, open; owned; else -1 */
    char byname[32];  /* atomicfile_name: "/proc/self/fd/N", a name that opens exactly that file */
} atomicfile;

/* Record the current working directory (as an fd) that relative output
 * paths are resolved against from now on. Call once at start-up, before
 * any plugin is loaded. Idempotent. */
void atomicfile_anchor(void);

/* Create the temporary file exclusively and keep it open as ->fd, with f
 * NULL: for a library that opens the file by name (libhdf5), which is
 * given ->byname (the descriptor's /proc name, so nothing else can be
 * opened in its place); commit fsyncs and closes ->fd. 0, or -1 with e set
 * and *a zeroed. */
int atomicfile_name(atomicfile *a, const char *path, errmsg *e);

/* Create the temporary file exclusively for writing (binary). 0, or -1
 * with e set ("PATH.tmp: cannot write: reason") and *a zeroed. */
int atomicfile_open(atomicfile *a, const char *path, errmsg *e);

/* A file written in place while it grows (a learning curve): create PATH
 * itself exclusively (it must not exist: move the earlier one aside
 * first), or, with `append`, open the existing regular file (never a
 * symbolic link, FIFO or device), cut it to `keep` bytes and append.
 * The stream, or NULL with e set. */
FILE *atomicfile_live(const char *path, int append, uint64_t keep, errmsg *e);

/* rename(from, to) with both resolved like every output (a symbolic link
 * at `to` is replaced, never followed). 0, or -1 with errno set. */
int atomicfile_rename(const char *from, const char *to);

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
