/* animat/morphology.h -- extension "animat.morphology/1": a body's design
 * parameters.
 *
 * A body that offers this extension (through its kind table's
 * extension(self, id)) exposes part of its morphology -- link lengths,
 * radii, geom sizes -- as named, bounded real numbers, so that a learner
 * can train the body together with (or instead of) a circuit: an
 * experiment's `learner.targets` may name such a body, and its design
 * parameters then join the graph theta after the entries of the targets
 * named before it ("body.link_length[2]"), projected into their bounds
 * like any theta entry (co-design, as in "A good body is all you need").
 * `animat eval --theta`, `animat run --theta` and the graph's theta_file
 * set them by the same names.
 *
 * Applied at the next reset: set() only records the values; the body
 * rebuilds or rescales its model when the next episode starts, so an
 * episode never changes shape in its middle. get() reads what set() last
 * recorded (the defaults after create), whether or not a reset has applied
 * it yet. The values in force are part of the body's animat.state/1 bytes
 * (a state carries the shape it was saved with).
 *
 * A design whose physics cannot be simulated (MuJoCo diverges, a model the
 * compiler refuses) fails the episode -- reset or step returns
 * ANIMAT_ERROR after h->error naming the parameters -- never the process;
 * the host reports it as an episode failure.
 *
 * Thread and phase: the instance's thread, between calls (never during
 * step), after create. Ownership: the info table and its strings are the
 * instance's, valid until destroy; `values` is the caller's, borrowed for
 * the call only. None of the three may allocate.
 */
#ifndef ANIMAT_MORPHOLOGY_H
#define ANIMAT_MORPHOLOGY_H

#include <stdint.h>

#include "param.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ANIMAT_EXT_MORPHOLOGY "animat.morphology/1"

typedef struct animat_morphology_ext {
    uint32_t struct_size; /* sizeof(animat_morphology_ext) */
    uint32_t reserved;    /* 0 */

    /* The design parameters: *n records (stride info[0].struct_size), each
     * type ANIMAT_PARAM_REAL with a name (theta-entry syntax, e.g.
     * "length[0]"), a unit, the default in `def`, finite bounds `min` <
     * `max`, flags 0 and a doc sentence. The count and the table are
     * constant from create to destroy. Required. */
    const animat_param_info *(*info)(void *self, uint32_t *n);

    /* Write the n recorded values (n as info() said). ANIMAT_OK, or
     * ANIMAT_ERROR after h->error (a wrong n). Required. */
    int32_t (*get)(void *self, double *values, uint32_t n);

    /* Record n values, applied at the next reset. The host projects every
     * learner proposal into [min, max] before the call; a value outside
     * them (from a parameter file) is refused: ANIMAT_ERROR after h->error
     * naming the entry, nothing recorded. Required. */
    int32_t (*set)(void *self, const double *values, uint32_t n);
} animat_morphology_ext;

#ifdef __cplusplus
}
#endif
#endif /* ANIMAT_MORPHOLOGY_H */
