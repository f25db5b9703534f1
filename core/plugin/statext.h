/* statext.h -- an instance's "animat.state/1" extension (animat/state.h),
 * called the way instance.h calls the kind tables: checked table, host
 * error collection, one-line failures naming instance and plugin.
 * Thread: the instance's.
 */
#ifndef STATEXT_H
#define STATEXT_H

#include <stdint.h>

#include "base/errmsg.h"
#include "plugin/instance.h"

/* The instance's state table when complete (struct_size covers the three
 * functions, none NULL), else NULL. Any phase after create. */
const animat_state_ext *statext_of(instance *in);

/* The size the instance reports (statext_of must be non-NULL). */
uint64_t statext_size(instance *in);

/* save/load through the table. 0, or -1 with e set to "NAME (plugin):
 * state save failed: reason" (or load). Between calls. */
int statext_save(instance *in, void *buf, uint64_t size, errmsg *e);
int statext_load(instance *in, const void *buf, uint64_t size, errmsg *e);

#endif
