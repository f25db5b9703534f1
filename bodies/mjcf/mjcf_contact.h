/* mjcf_contact.h -- contact forces per geom group as an observation port of
 * the mjcf body (module mjcf_contact_).
 *
 * A model that lists geom groups in its <custom> section,
 *
 *   <numeric name="animat.contact_groups" data="1 2"/>
 *
 * gets the OUT port `contact_force` (N) with one value per listed group:
 * the summed normal force of the current contacts that involve a geom of
 * that group (mj_contactForce; a contact between two geoms of the group
 * counts once). Groups are MuJoCo's geom groups, integers in [0, 5]; at
 * most MJCF_CONTACT_MAX. Touch sensors (<touch site=.../>) need nothing
 * of this: like every sensor they are ports by name (mjcf.h), as adhesion
 * actuators (<adhesion body=.../>) are action ports.
 */
#ifndef ANIMAT_MJCF_CONTACT_H
#define ANIMAT_MJCF_CONTACT_H

#include <mujoco/mujoco.h>

#define MJCF_CONTACT_MAX 6
#define MJCF_CONTACT_KEY "animat.contact_groups"

/* The listed groups into groups[] and their count into *n (0 when the
 * model lists none). 0, or -1 with a one-line reason in err naming the
 * key. Create phase. */
int mjcf_contact_resolve(const mjModel *m, int groups[MJCF_CONTACT_MAX], int *n, char *err, int errlen);

/* out[k] = summed normal force (N) on contacts touching group groups[k].
 * No allocation. Reset/step phase. */
void mjcf_contact_observe(const mjModel *m, const mjData *d, const int *groups, int n, double *out);

#endif /* ANIMAT_MJCF_CONTACT_H */
