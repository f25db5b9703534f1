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

/* Per body: v at the COM from cvel, split along the body's axis. */
void mjb_rft_apply(const mjModel *m, mjData *d, const mjb_rft *rft) {
    double cn = rft->ct * rft->ratio;
    for (int b = rft->first_body; b < m->nbody; b++) {
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
            f[3 + j] = -rft->cr * vel[j];
        }
    }
}
