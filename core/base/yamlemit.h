/* yamlemit.h -- write a yamltree back out as YAML text (libyaml's emitter).
 *
 * Used to store the resolved experiment (every --set applied) inside a
 * recording, so that the run can be repeated from the recording alone.
 * Scalars written with quotes in the source stay quoted (a quoted "1" stays
 * a string); mappings keep their key order. Positions are not kept.
 */
#ifndef YAMLEMIT_H
#define YAMLEMIT_H

#include "base/errmsg.h"
#include "base/yamltree.h"

/* The tree as block-style YAML text, NUL-terminated; the caller frees it.
 * NULL with e set (out of memory, or a libyaml emitter error). */
char *yamlemit_text(const yamltree *root, errmsg *e);

/* Remove key `key` and its value from MAP m (freeing both). 1 if it was
 * there, 0 if not (m NULL or not a MAP: 0). */
int yamltree_remove(yamltree *m, const char *key);

#endif
