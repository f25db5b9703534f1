/* fields.h -- reading typed values out of an experiment's YAML mappings,
 * each failure a FILE:LINE:COL message naming the key ("run.seed: ...").
 *
 * `where` is the dotted path of the mapping in messages ("run", "train",
 * "circuits.steer"). Optional getters leave *out untouched when the key is
 * absent. All return 0, or -1 with e set. Thread: the loader's.
 */
#ifndef FIELDS_H
#define FIELDS_H

#include <stdint.h>

#include "base/errmsg.h"
#include "base/yamltree.h"

/* Refuse keys of mapping m that are not in the NULL-terminated list. */
int fields_only_keys(const yamltree *m, const char *where, const char *const *allowed, errmsg *e);

/* The required mapping parent[key], or NULL with e set. */
const yamltree *fields_need_map(const yamltree *parent, const char *key, const char *where, errmsg *e);

/* Optional whole number in [min, max]. */
int fields_uint(const yamltree *m, const char *key, const char *where, uint64_t min, uint64_t max, uint64_t *out,
                errmsg *e);

/* Required non-empty plain string (a name or path), or NULL with e set. */
const char *fields_str(const yamltree *m, const char *key, const char *where, errmsg *e);

/* Optional true/false. */
int fields_bool(const yamltree *m, const char *key, const char *where, int *out, errmsg *e);

/* Optional finite number in [min, max]. */
int fields_real(const yamltree *m, const char *key, const char *where, double min, double max, double *out, errmsg *e);

/* Optional file path, copied into *out (caller frees). */
int fields_path(const yamltree *m, const char *key, const char *where, char **out, errmsg *e);

#endif
