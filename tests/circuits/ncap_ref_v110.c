/* ncap_ref_v110.c -- the NCAP forward pass exactly as shipped in ncap 1.1.0
 * (commit 81cdeb3), frozen under a ref_ prefix so tests can prove that the
 * new code paths (in.turn, unit overrides) leave outputs bit-identical when
 * inert. Test-only; never linked into a plugin. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "ncap_ref_v110.h"

static double ref_clamp(double x, double lo, double hi) {
    return x < lo ? lo : (x > hi ? hi : x);
}

static double ref_graded(double x) { return ref_clamp(x, 0.0, 1.0); }

void ncap_ref_forward(uint32_t n_joints, const double *w, const double *angles, double od,
                      double ov, int proprio, double *act) {
    /* angle normalisation: one "segment share" of a full turn maps to 1 */
    const double unit = 2.0 * M_PI / (double)(n_joints + 1u);
    double qd_prev = 0.0, qv_prev = 0.0; /* dorsal/ventral q of joint i-1 */
    for (uint32_t i = 0; i < n_joints; i++) {
        const double *wi = w + (size_t)6u * i;
        /* B-neurons: oscillator at the head, proprioception further back */
        double xd = i == 0 ? od : (proprio ? qd_prev : 0.0);
        double xv = i == 0 ? ov : (proprio ? qv_prev : 0.0);
        double bd = ref_graded(xd * wi[0]);
        double bv = ref_graded(xv * wi[1]);
        /* this joint's proprioceptive state, read before act[i] is written */
        double q = ref_clamp(angles[i] / unit, -1.0, 1.0);
        qd_prev = ref_clamp(q, 0.0, 1.0);
        qv_prev = ref_clamp(-q, 0.0, 1.0);
        /* muscles: ipsilateral excitation, contralateral inhibition */
        double md = ref_graded(bd * wi[2] + bv * wi[4]);
        double mv = ref_graded(bv * wi[3] + bd * wi[5]);
        act[i] = md - mv;
    }
}
