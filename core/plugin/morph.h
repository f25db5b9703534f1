/* morph.h -- a body's design parameters (extension "animat.morphology/1",
 * animat/morphology.h) as the host sees them: the instance layer answers a
 * body's theta_info/get_theta/set_theta with them (instance.h), so that
 * learner.targets may name a body and its design parameters join the graph
 * theta like a circuit's weights.
 *
 * Thread: the instance's. No allocation.
 */
#ifndef MORPH_H
#define MORPH_H

#include "plugin/instance.h"

/* The body's morphology table, or NULL when it offers none (or in is a
 * circuit). */
const animat_morphology_ext *morph_ext(instance *in);

/* Its design parameters (plugin-owned, stride struct_size) and their count
 * in *n; NULL and *n = 0 without the extension or for a table that
 * morph_check refuses. */
const animat_param_info *morph_info(instance *in, uint32_t *n);

/* Is the table well formed: functions present, records of a readable
 * stride, each REAL with a name, finite bounds min < max, default inside
 * them, flags and reserved 0? 0, or -1 with e naming the instance and the
 * record. A body without the extension passes (nothing to check). */
int morph_check(instance *in, errmsg *e);

/* get/set through the table. 0, or -1 with e "NAME (plugin): morphology
 * get|set failed: reason". */
int morph_get(instance *in, double *values, uint32_t n, errmsg *e);
int morph_set(instance *in, const double *values, uint32_t n, errmsg *e);

#endif
