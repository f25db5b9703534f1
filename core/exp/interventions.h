/* interventions.h -- the experiment's `interventions:` list: clamp, silence
 * or perturb a named unit or theta entry of a circuit over a time window,
 * the way experimenters silence or stimulate neurons.
 *
 *   interventions:
 *     - {target: ncap.unit.osc, do: silence}                 # whole episode
 *     - {target: 'ncap.unit.b[2].d', do: clamp, value: 1, from: 5, to: 10}
 *     - {target: 'ncap.unit.m[0].v', do: perturb, value: 0.2}  # adds 0.2
 *     - {target: 'ncap.unit.m[0].v', do: noise, sigma: 0.1}    # N(0, 0.1^2) per step
 * (quote names with brackets inside {...}: YAML flow mappings end at ']')
 *     - {target: ncap.theta.w_osc, do: clamp, value: 0}
 *
 * target: INSTANCE.unit.NAME (a unit the circuit names through the
 * animat.units/1 extension) or INSTANCE.theta.NAME (an entry of its theta).
 * from/to: simulated seconds since reset; the intervention acts on control
 * steps whose start time t satisfies from <= t < to (defaults 0 and the end
 * of the episode). Names are checked against the circuits by sim, before
 * anything runs. Thread: the loader's.
 */
#ifndef INTERVENTIONS_H
#define INTERVENTIONS_H

#include "exp/experiment.h"

#define INTERVENTION_SILENCE 0u /* output (or entry) := 0 */
#define INTERVENTION_CLAMP 1u   /* := value */
#define INTERVENTION_PERTURB 2u /* += value */
#define INTERVENTION_NOISE 3u   /* += N(0, sigma^2), a fresh draw every step */

/* Parse x->doc's `interventions:` into x->ivs. 0, or -1 with e set. */
int interventions_load(experiment *x, errmsg *e);

/* "silence", "clamp", ... for a kind. */
const char *intervention_word(uint32_t what);

#endif
