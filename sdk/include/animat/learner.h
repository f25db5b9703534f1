/* animat/learner.h -- learner plugins: episodic ask/tell optimisers over a
 * circuit's flat parameter vector.
 *
 * Lifecycle (one thread at a time):
 *   create -> { ask -> (host evaluates each candidate) -> tell } * -> destroy
 * A learner knows nothing about bodies or circuits: it sees n_theta doubles,
 * their metadata, and one return per candidate.
 */
#ifndef ANIMAT_LEARNER_H
#define ANIMAT_LEARNER_H

#include "abi.h"
#include "host.h"
#include "param.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct animat_learner_api {
    uint32_t struct_size; /* sizeof(animat_learner_api) */

    /* Build a learner for a vector of n_theta entries described by `info`
     * (stride info[0].struct_size), starting at theta0 (n_theta doubles,
     * copied). Parameters come from h->param_*, randomness from h->rng_*.
     * Returns an opaque instance or NULL after h->error(). Required. */
    void *(*create)(const animat_host *h, uint32_t n_theta,
                    const animat_param_info *info, const double *theta0);

    /* Release the instance. NULL self is a no-op. Required. */
    void (*destroy)(void *self);

    /* Number of candidates per epoch (constant per instance). Required. */
    uint32_t (*population)(void *self);

    /* Write the current epoch's candidates: `thetas` is a caller-owned array
     * of population() rows of n_theta doubles, row-major. Required. */
    int32_t (*ask)(void *self, double *thetas);

    /* Report one return per candidate of the last ask, in the same order
     * (caller-owned, population() doubles) and update. Required. */
    int32_t (*tell)(void *self, const double *returns);

    /* Write the learner's current estimate of the best theta (n_theta
     * doubles, caller-owned buffer). Required. */
    int32_t (*current)(void *self, double *theta);

    /* Checkpointing. state_size: bytes needed; save: write exactly that many
     * into the caller's buffer; load: restore from a buffer save produced.
     * Optional (all three NULL when unsupported). */
    uint64_t (*state_size)(void *self);
    int32_t (*save)(void *self, void *buf, uint64_t size);
    int32_t (*load)(void *self, const void *buf, uint64_t size);

    /* --- ABI 1.1 --- */

    /* Start of an episode for online learning (e.g. keep or reset a reward
     * baseline). Optional; NULL when the learner is not online. */
    int32_t (*online_reset)(void *self);

    /* One plasticity step: given the reward of the step just taken and the
     * circuit's eligibility (n doubles, caller-owned), update theta in place
     * (n doubles, caller-owned; the host copies it into the circuit). Must
     * not allocate. Optional; NULL when the learner is not online. */
    int32_t (*online_step)(void *self, double reward, const double *elig, double *theta,
                           uint32_t n);

    /* --- ABI 1.2 --- */

    /* Optional capabilities of this instance by string id with revision
     * (e.g. "animat.render/1"). Returns a plugin-owned const table valid
     * until destroy, or NULL when unsupported. Any phase after create, the
     * instance's thread. Optional (NULL = no extensions). */
    const void *(*extension)(void *self, const char *id);
} animat_learner_api;

#ifdef __cplusplus
}
#endif
#endif /* ANIMAT_LEARNER_H */
