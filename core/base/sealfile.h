/* sealfile.h -- checksummed binary files: training checkpoints and
 * experiment states share this one format and its checks.
 *
 * A file is a 32-byte head -- magic (8 bytes naming the kind of file), a
 * format number, the payload's size, an FNV-1a 64 checksum of the head
 * (checksum field taken as 0) and the payload -- then the payload. It is
 * written atomically (base/atomicfile.h). Reading refuses, in one line
 * naming the path: something that is not a regular file (a FIFO, directory,
 * device), another kind of file or a truncated head, another format, a
 * truncated payload, trailing bytes, and any edited byte (checksum). The
 * checksum detects accident and casual editing, not an attacker.
 * Thread: any; no shared state.
 */
#ifndef SEALFILE_H
#define SEALFILE_H

#include <stdint.h>

#include "base/errmsg.h"

/* Write `size` bytes of payload under a head with `magic` and `format` to
 * path, atomically. 0, or -1 with e set (nothing at path changed). */
int sealfile_write(const char *path, const char magic[8], uint32_t format, const void *payload, uint64_t size,
                   errmsg *e);

/* Read a file sealfile_write wrote with the same magic and format. `what`
 * names the kind in messages ("checkpoint", "state file"); files over
 * `max` payload bytes are refused. On success *payload is a malloc'ed copy
 * (caller frees; never NULL) of *size bytes. 0, or -1 with e set to
 * "PATH: not an animat WHAT (or truncated)", "PATH: WHAT format F, this
 * animat reads G", "PATH: WHAT is truncated", "PATH: WHAT has trailing
 * bytes", "PATH: WHAT is corrupt or was edited (checksum mismatch)", "PATH:
 * is a directory/FIFO/..., not an animat WHAT" or "PATH: cannot open WHAT:
 * REASON". */
int sealfile_read(const char *path, const char magic[8], uint32_t format, const char *what, uint64_t max,
                  void **payload, uint64_t *size, errmsg *e);

#endif
