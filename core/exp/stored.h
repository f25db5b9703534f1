/* stored.h -- what a recording's stored experiment would load as code.
 *
 * A recording is data, not code: `animat rerun` and `animat view run.h5`
 * load plugins by name only, and refuse (unless told otherwise) a stored
 * experiment that names a plugin file by path. This is the one place that
 * finds those paths. Pure; any thread.
 */
#ifndef EXP_STORED_H
#define EXP_STORED_H

#include <stddef.h>

#include "base/errmsg.h"

/* Append to buf (", "-separated, cut to cap) each plugin file the stored
 * experiment `text` (named `label` in messages) names by path -- a
 * `plugin:` value with '/' or ending in .so (registry_resolve's rule) in
 * body, circuit, learner, bodies.NAME or circuits.NAME -- as "VALUE
 * (KEY.plugin)". buf is appended to, not cleared; *n counts the entries
 * (pass the count already in buf). 0, or -1 with e set (text is not YAML). */
int experiment_stored_paths(const char *label, const char *text, char *buf, size_t cap, int *n, errmsg *e);

#endif
