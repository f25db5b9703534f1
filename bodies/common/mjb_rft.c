/* mjb_rft.c -- resistive force theory drag for slender segments.
 *
 * Resistive force theory (Gray & Hancock 1955; for C. elegans on agar and in
 * gels, Shen et al. 2012 and Fang-Yen et al. 2010) treats every segment as a
 * slender rod whose drag is linear in its velocity, with a larger coefficient
 * across the rod (normal) than along it (tangential). The ratio K = cn/ct is
 * what makes undulation propel: ~1.5 in water, ~10 on/in agar gels, 30-40 on
 * stiff agar. Forces go through d->xfrc_applied (world frame, applied at the
 * body's centre of mass), so every instance keeps its own state. */
#include "mjb.h"

/* The first region holding world point p, or -1 (the medium's own). */
static int mjb_rft_region(const mjb_rft *rft, const mjtNum *p) {
    for (int k = 0; k < rft->nregions; k++) {
        const double *r = rft->regions + 5 * k;
        if (p[0] >= r[0] && p[0] <= r[1] && p[1] >= r[2] && p[1] <= r[3]) return k;
    }
    return -1;
}

/* Per body: v at the COM from cvel, split along the body's axis. */
void mjb_rft_apply(const mjModel *m, mjData *d, const mjb_rft *rft) {
    for (int b = rft->first_body; b < m->nbody; b++) {
        int k = mjb_rft_region(rft, d->xipos + 3 * b);
        double ratio = k < 0 ? rft->ratio : rft->regions[5 * k + 4], cn = rft->ct * ratio;
        double cr = k < 0 ? rft->cr : rft->cr * ratio / rft->ratio; /* cr is proportional to the ratio */
        mjtNum vel[6]; /* [angular, linear], world frame, at xipos */
        mj_objectVelocity(m, d, mjOBJ_BODY, b, vel, 0);
        const mjtNum *R = d->xmat + 9 * b;
        /* body axis in world coordinates: column `axis` of xmat */
        double t[3] = {R[rft->axis], R[3 + rft->axis], R[6 + rft->axis]};
        const mjtNum *v = vel + 3;
        double vt = v[0] * t[0] + v[1] * t[1] + v[2] * t[2];
        mjtNum *f = d->xfrc_applied + 6 * b;
        for (int j = 0; j < 3; j++) {
            double tang = vt * t[j], norm = v[j] - tang;
            f[j] = -rft->ct * tang - cn * norm;
            f[3 + j] = -cr * vel[j];
        }
    }
}
