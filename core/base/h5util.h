/* h5util.h -- the few libhdf5 idioms animat's recordings use, in one place.
 *
 * Attributes are written as fixed-length, NUL-terminated ASCII/UTF-8
 * strings, uint64 or double scalars; element names as an array of
 * variable-length strings. Readers accept fixed or variable strings, so
 * files rewritten by other tools (h5py, h5repack) still read. Every
 * function returns 0 or -1 with e set to one line naming `what`; nothing
 * here prints HDF5's own error stack (h5util_quiet turns it off).
 */
#ifndef H5UTIL_H
#define H5UTIL_H

#include <hdf5.h>
#include <stdint.h>

#include "base/errmsg.h"

/* Call first in a process that uses libhdf5, before any other HDF5 call:
 * turns off libhdf5's clean-up at exit (H5dont_atexit). After a write
 * failed (a full disk), closing the file fails and leaves it open, and the
 * library's own clean-up at exit then crashes closing it again; animat
 * removes such a file itself. Then as h5util_quiet. */
void h5util_init(void);

/* Turn off libhdf5's automatic error printing for the calling thread
 * (Debian's libhdf5 is thread-safe: error stacks are per thread). */
void h5util_quiet(void);

/* Scalar attributes on object `obj`. */
int h5util_put_str(hid_t obj, const char *name, const char *value, errmsg *e);
int h5util_put_u64(hid_t obj, const char *name, uint64_t value, errmsg *e);
int h5util_put_f64(hid_t obj, const char *name, double value, errmsg *e);

/* An attribute holding n strings (element names). */
int h5util_put_strs(hid_t obj, const char *name, const char *const *v, uint32_t n, errmsg *e);

/* Read a string attribute into a new NUL-terminated buffer (caller frees).
 * NULL with e set when absent or not a string. */
char *h5util_get_str(hid_t obj, const char *name, errmsg *e);

/* Read a numeric scalar attribute (converted by libhdf5). 0 or -1. */
int h5util_get_u64(hid_t obj, const char *name, uint64_t *out, errmsg *e);
int h5util_get_f64(hid_t obj, const char *name, double *out, errmsg *e);

/* A whole dataset as doubles (converted by libhdf5): *out (caller frees),
 * its rank (<= 3) and dims. 0 or -1 with e set; one of more than
 * H5UTIL_MAX_CELLS values (2 GiB of doubles) is refused before any
 * allocation ("dataset 'P' is too large to read"): dims are declared, so a
 * tiny chunked file can claim terabytes. */
#define H5UTIL_MAX_CELLS ((size_t)1 << 28)
int h5util_read_all(hid_t file, const char *path, double **out, int *rank, uint64_t dims[3], errmsg *e);

/* The number of values in a dataset of `rank` dims, into *cells, when
 * buffers for them as doubles can be sized without overflow (a hostile
 * file can declare dims whose product wraps). 0, or -1 with e set. */
int h5util_cells(const uint64_t *dims, int rank, size_t *cells, errmsg *e);

/* The member names of group `group` of `file` in name order, as a
 * NULL-terminated array of strings (all caller-owned: h5util_names_free)
 * into *names: an empty array when the group does not exist. Returns the
 * count, or -1 with e set (and *names NULL). */
int h5util_members(hid_t file, const char *group, char ***names, errmsg *e);

/* Free what h5util_members returned (NULL is fine). */
void h5util_names_free(char **names);

/* Is `path` an HDF5 file? 1 yes, 0 no (missing, unreadable, other format). */
int h5util_is_hdf5(const char *path);

#endif
