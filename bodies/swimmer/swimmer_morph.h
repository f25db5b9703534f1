/* swimmer_morph.h -- the swimmer's design parameters (module swm_morph_):
 * extension "animat.morphology/1" (animat/morphology.h) over per-link
 * lengths and radii.
 *
 * Parameters "length[i]" then "radius[i]", link i head first (2 n_bodies
 * entries), as multiples of link_length and link_radius (dimensionless, so
 * that one ES sigma suits them all): default 1, bounds [design_lo,
 * design_hi], cut to the per-link ranges of swimmer_model.h. set() records; swm_morph_apply (at reset) rebuilds the
 * model from the recorded sizes and copies it into the instance's own
 * mjModel (same sizes, same address: animat.mujoco/1 stays valid) when
 * they differ from the sizes in force. Host-independent but for the table
 * types. Thread: the instance's.
 */
#ifndef SWIMMER_MORPH_H
#define SWIMMER_MORPH_H

#include <animat/animat.h>
#include <mujoco/mujoco.h>

#include "swimmer_model.h"

#define SWM_MORPH_MAX (2 * SWM_MAX_BODIES)

/* The design state of one instance. Plain data inside the body instance. */
typedef struct swm_morph {
    swm_config base;                        /* the configuration create built from */
    uint32_t n;                             /* 2 * n_bodies */
    animat_param_info info[SWM_MORPH_MAX];  /* the table; names point into `names` */
    char names[SWM_MORPH_MAX][24];
    double want[SWM_MORPH_MAX];             /* recorded by set (applied at the next reset) */
    double have[SWM_MORPH_MAX];             /* in force in the model */
} swm_morph;

/* Fill *mo for configuration cfg with factor bounds [lo, hi] (0 < lo <= 1
 * <= hi). Create phase. */
void swm_morph_init(swm_morph *mo, const swm_config *cfg, double lo, double hi);

/* Record n values (n == mo->n, each within its bounds). 0, or -1 with a
 * reason in why (cap bytes) and nothing recorded. No allocation. */
int swm_morph_set(swm_morph *mo, const double *v, uint32_t n, char *why, size_t cap);

/* Make the model m match the recorded design: nothing when it already
 * does, else build the model for it and copy it into m (which must have
 * been built from mo->base). 0, or -1 with a one-line reason naming the
 * design in err. Reset phase (allocates while building). */
int swm_morph_apply(swm_morph *mo, mjModel *m, char *err, size_t cap);

/* The design in force, "length=[..] radius=[..]" (factors, %.4g each), into buf;
 * an empty string for the default design. No allocation. */
void swm_morph_describe(const swm_morph *mo, char *buf, size_t cap);

#endif /* SWIMMER_MORPH_H */
