/* mjcf_odour.h -- an odour field sampled at body sites: chemosensation as an
 * observation port of the mjcf body (module mjcf_odour_).
 *
 * Sources and sensors are declared in the model's <custom> section:
 *
 *   <numeric name="animat.odour.food" data="SPREAD AMPLITUDE"/>
 *   <text name="animat.smell" data="nose_left nose_right"/>
 *
 * Each animat.odour.SITE makes the site SITE (usually of the worldbody,
 * e.g. the reach target, which reset may move) a source of a steady
 * Gaussian plume, the steady state of diffusion from a point held at
 * concentration AMPLITUDE: c(p) = AMPLITUDE exp(-|p - s|^2 / (2 SPREAD^2)),
 * SPREAD > 0 in m, AMPLITUDE > 0. The field is the sum over sources. The
 * sites named by animat.smell (whitespace-separated, at most
 * MJCF_SMELL_MAX) sample it: the OUT port `smell` holds one concentration
 * per site, in the order listed. Sources without animat.smell (or the
 * reverse) are an error: a field nobody smells is a mistake in the model.
 */
#ifndef ANIMAT_MJCF_ODOUR_H
#define ANIMAT_MJCF_ODOUR_H

#include <mujoco/mujoco.h>

#define MJCF_ODOUR_MAX 8   /* sources */
#define MJCF_SMELL_MAX 8   /* sensing sites */
#define MJCF_ODOUR_PREFIX "animat.odour."
#define MJCF_SMELL_KEY "animat.smell"

/* Sources and sensing sites. Plain data, filled at create. */
typedef struct mjcf_odour {
    int src[MJCF_ODOUR_MAX];       /* source site ids */
    double spread[MJCF_ODOUR_MAX]; /* m */
    double amp[MJCF_ODOUR_MAX];
    int nsrc;
    int sense[MJCF_SMELL_MAX];     /* sensing site ids */
    int nsense;
} mjcf_odour;

/* Read the declarations into o (o->nsense 0: none). 0, or -1 with a
 * one-line reason in err naming the key. Create phase. */
int mjcf_odour_resolve(const mjModel *m, mjcf_odour *o, char *err, int errlen);

/* The field at world point p. Pure, no allocation. */
double mjcf_odour_at(const mjcf_odour *o, const mjData *d, const double p[3]);

/* out[k] = the field at sensing site k. No allocation. Reset/step phase. */
void mjcf_odour_observe(const mjcf_odour *o, const mjData *d, double *out);

#endif /* ANIMAT_MJCF_ODOUR_H */
