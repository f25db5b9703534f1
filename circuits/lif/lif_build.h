/* lif_build.h -- random wiring of a LIF net (pure maths on a GSL
 * generator; the plugin passes a view of the host's stream).
 */
#ifndef LIF_BUILD_H
#define LIF_BUILD_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* Draw every neuron's out-degree ~ Binomial(n - 1, p) into deg (n values)
 * and return their sum (the number of synapses). No allocation. */
uint64_t lif_draw_degrees(gsl_rng *r, uint32_t n, double p, uint32_t *deg);

/* Fill the CSR wiring from the degrees: row (n + 1 offsets), post (targets
 * of each pre, chosen without replacement among the other n - 1 neurons,
 * in increasing order; gsl_ran_choose) and delay (uniform integers in
 * [d_min, d_max]). `scratch` holds n values. No allocation. */
void lif_draw_wiring(gsl_rng *r, uint32_t n, const uint32_t *deg, uint32_t d_min,
                     uint32_t d_max, uint32_t *row, uint32_t *post, uint32_t *delay,
                     uint32_t *scratch);

#endif /* LIF_BUILD_H */
