/* lif_spikes.h -- the "animat.spikes/1" extension (animat/spikes.h) for a
 * lif_net: after every substep, the neurons that spiked in it become
 * events timed at their interpolated threshold crossing (lif_net.frac),
 * or at the substep's end for a spike an override forced. Shared by the
 * lif and graph (model: lif) circuits.
 *
 * One lif_spikes belongs to one circuit instance and its thread. Memory
 * comes from the caller's allocator in lif_spikes_alloc (create phase);
 * clear and collect never allocate.
 */
#ifndef LIF_SPIKES_H
#define LIF_SPIKES_H

#include <animat/spikes.h>

#include "lif_net.h"

typedef struct lif_spikes {
    animat_spike_event *ev; /* cap events of the last control step, owned */
    uint32_t n;             /* events in ev */
    uint32_t cap;           /* neurons x substeps: at most one spike per neuron and substep */
} lif_spikes;

/* Room for `cap` events (>= 1). 0, or -1 when out of memory. Create. */
int lif_spikes_alloc(lif_spikes *s, uint32_t cap, lif_alloc_fn alloc, void *ctx);

/* Free the events (safe on a zeroed lif_spikes). Destroy. */
void lif_spikes_free(lif_spikes *s, lif_free_fn release, void *ctx);

/* Forget the events: at the start of a control step and at reset. */
static inline void lif_spikes_clear(lif_spikes *s) { s->n = 0; }

/* After a substep of h seconds that began t0 seconds into a control step
 * of dt seconds: append one event per neuron whose output was > 0, at
 * min(t0 + frac h, dt),
 * keeping the step's events in time order (ties in unit order). Events
 * beyond cap are dropped (cannot happen with cap = neurons x substeps).
 * No allocation. */
void lif_spikes_collect(lif_spikes *s, const lif_net *net, double t0, double h, double dt);

#endif /* LIF_SPIKES_H */
