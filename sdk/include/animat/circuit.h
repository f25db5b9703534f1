/* animat/circuit.h -- circuit plugins: nervous systems and controllers.
 *
 * Lifecycle (all on one thread at a time):
 *   create -> ports/theta_info -> set_theta? -> { reset -> step* } * -> destroy
 * A circuit exposes its learnable parameters as one flat vector "theta" of
 * doubles, described entry by entry by theta_info (names, sign constraints).
 */
#ifndef ANIMAT_CIRCUIT_H
#define ANIMAT_CIRCUIT_H

#include "abi.h"
#include "host.h"
#include "param.h"
#include "port.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct animat_circuit_api {
    uint32_t struct_size; /* sizeof(animat_circuit_api) */

    /* Build an instance from the resolved parameters (h->param_*); input and
     * output sizes may be taken from the wiring with h->wired_size. Draws for
     * a random initial theta come from h->rng_* (seeded from the run seed).
     * Returns an opaque instance, or NULL after h->error(). Phase: create.
     * Required. */
    void *(*create)(const animat_host *h);

    /* Release everything create allocated. NULL self is a no-op. Required. */
    void (*destroy)(void *self);

    /* Ports in direction `dir` (ANIMAT_PORT_IN = inputs, ANIMAT_PORT_OUT =
     * outputs): instance-owned array valid until destroy, length in *n.
     * Required. */
    const animat_port_info *(*ports)(void *self, uint32_t dir, uint32_t *n);

    /* Metadata for each entry of theta: an instance-owned array (stride
     * struct_size) valid until destroy; its length, written to *n, is the
     * length of theta. Required (may report 0 entries). */
    const animat_param_info *(*theta_info)(void *self, uint32_t *n);

    /* Copy theta into the caller's buffer of n doubles (n as theta_info
     * reported). ANIMAT_OK or ANIMAT_ERROR. Not during step. Required. */
    int32_t (*get_theta)(void *self, double *theta, uint32_t n);

    /* Replace theta from the caller's buffer (copied; the caller keeps it).
     * ANIMAT_OK or ANIMAT_ERROR. Not during step. Required. */
    int32_t (*set_theta)(void *self, const double *theta, uint32_t n);

    /* Clear internal state (time, activities) for a new episode.
     * ANIMAT_OK or ANIMAT_ERROR. Required. */
    int32_t (*reset)(void *self, uint64_t seed);

    /* Advance by dt seconds: read `in` (one buffer per IN port), write `out`
     * (one per OUT port). Must not allocate. ANIMAT_OK or ANIMAT_ERROR.
     * Required. */
    int32_t (*step)(void *self, const double *const *in, double *const *out,
                    double dt);

    /* --- ABI 1.1 --- */

    /* Optional capabilities of this instance by string id with revision
     * (e.g. ANIMAT_EXT_PLASTICITY). Returns a plugin-owned const table valid
     * until destroy, or NULL when unsupported. Any phase after create.
     * Optional (NULL = no extensions). */
    const void *(*extension)(void *self, const char *id);
} animat_circuit_api;

/* Extension "animat.plasticity/1": a circuit exposes the Hebbian eligibility
 * of its learnable parameters so an online learner can change them inside
 * an episode (three-factor rules: dw = eta * M(t) * pre * post). */
#define ANIMAT_EXT_PLASTICITY "animat.plasticity/1"

typedef struct animat_plasticity_ext {
    uint32_t struct_size; /* sizeof(animat_plasticity_ext) */

    /* After a step, write for every theta entry k the sum over the synapses
     * that use that entry of pre * post, where pre is the presynaptic
     * activity and post the postsynaptic activity in that step (after the
     * weight transform). Entries that are not plastic get 0. `elig` is a
     * caller-owned buffer of n doubles (n = theta length). Phase: between
     * steps, same thread. Must not allocate. ANIMAT_OK or ANIMAT_ERROR. */
    int32_t (*eligibility)(void *self, double *elig, uint32_t n);
} animat_plasticity_ext;

/* Extension "animat.units/1" (ABI 1.2): a circuit names its internal units
 * (neurons, oscillators, layers' elements) so that experiments can record
 * them and intervene on them the way experimenters silence or stimulate
 * neurons. Unit i's "output" is the value the rest of the circuit (and its
 * output ports) sees from that unit in a step. */
#define ANIMAT_EXT_UNITS "animat.units/1"

/* Override modes for animat_units_ext.override. */
#define ANIMAT_UNIT_FREE 0u  /* no override: the unit computes its own output */
#define ANIMAT_UNIT_CLAMP 1u /* the unit's output is `value` (silence: 0) */
#define ANIMAT_UNIT_ADD 2u   /* the unit's output is its own plus `value` */

typedef struct animat_units_ext {
    uint32_t struct_size; /* sizeof(animat_units_ext) */

    /* The unit names: an instance-owned array of *n strings ([a-z0-9_.\[\]]+,
     * unique, e.g. "osc", "b[2].d"), valid until destroy. Any phase after
     * create. Required. */
    const char *const *(*names)(void *self, uint32_t *n);

    /* Write unit i's output in the last step to *value. After reset: 0 for
     * a step's outputs (spikes, rates), the episode's starting value for a
     * unit that names state (a plastic synapse's weight); the same after
     * every reset with one seed.
     * ANIMAT_OK, or ANIMAT_ERROR for i out of range. Between steps, the
     * instance's thread. Must not allocate. Required. */
    int32_t (*get)(void *self, uint32_t i, double *value);

    /* Override unit i from the next step on, until changed again or reset
     * (reset clears every override to ANIMAT_UNIT_FREE): mode is
     * ANIMAT_UNIT_*; the circuit applies it inside step, wherever the unit's
     * output is used, so downstream units and output ports of the same step
     * see the overridden value. `value` is in the units get reports (a
     * circuit that runs substeps and reports a step's total, e.g. a spike
     * count, spreads it over its substeps), so that get after a CLAMP to v
     * reads v, to rounding. ANIMAT_OK, or ANIMAT_ERROR for a bad i or
     * mode. Between steps, the instance's thread. Must not allocate.
     * Required. */
    int32_t (*override)(void *self, uint32_t i, uint32_t mode, double value);
} animat_units_ext;

#ifdef __cplusplus
}
#endif
#endif /* ANIMAT_CIRCUIT_H */
