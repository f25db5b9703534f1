/* ncap_ref_v110.h -- the frozen ncap 1.1.0 forward pass (test-only). */
#ifndef NCAP_REF_V110_H
#define NCAP_REF_V110_H

#include <stdint.h>

/* ncap_forward of ncap 1.1.0: effective weights `w` (6 per joint), joint
 * angles, oscillator drive, proprioception flag -> actions. Pure. */
void ncap_ref_forward(uint32_t n_joints, const double *w, const double *angles, double od,
                      double ov, int proprio, double *act);

#endif
