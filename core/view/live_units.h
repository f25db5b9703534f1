/* live_units.h -- unit activities in the live view's overlay (`animat view
 * FILE [--units NAME]`): the first VIEW_LIVE_UNITS units a circuit names
 * through "animat.units/1", read after each shown step (the values the
 * recording's NAME.units would hold), as the replay shows a recording's.
 * Thread: the simulation's (the observer's).
 */
#ifndef VIEW_LIVE_UNITS_H
#define VIEW_LIVE_UNITS_H

#include <stddef.h>
#include <stdint.h>

#include "base/errmsg.h"
#include "sim/sim.h"

#define VIEW_LIVE_UNITS 6 /* unit activities shown in the overlay */

typedef struct view_live_units {
    struct instance *in;            /* the circuit; the sim's; NULL: no units shown */
    const void *ext;                /* its units table (animat_units_ext) */
    const char *const *names;       /* its unit names; the circuit's */
    uint32_t n;                     /* units shown: at most VIEW_LIVE_UNITS */
} view_live_units;

/* Find the units to show in sim s: circuit `name` ("NAME" or "NAME.units")
 * when given ("none": no units), else the first circuit that names units
 * (none: u->n = 0).
 * 0, or -1 with e set when `name` is no circuit of s or names no units. */
int view_live_units_find(view_live_units *u, sim *s, const char *name, errmsg *e);

/* Append "\nNAME" to labels and "\nVALUE" to values (each of cap bytes)
 * for every shown unit, as far as they fit. */
void view_live_units_append(const view_live_units *u, char *labels, char *values, size_t cap);

/* Append one "\nlabel" / "\nvalue" line pair as far as it fits in cap
 * bytes (shared with the replay's overlay). */
void view_overlay_line(char *labels, char *values, size_t cap, const char *label, double value);

#endif
