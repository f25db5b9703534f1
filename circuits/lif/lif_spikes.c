/* lif_spikes.c -- see lif_spikes.h. */
#include "lif_spikes.h"

int lif_spikes_alloc(lif_spikes *s, uint32_t cap, lif_alloc_fn alloc, void *ctx) {
    s->n = 0;
    s->cap = cap ? cap : 1u;
    s->ev = alloc(ctx, (size_t)s->cap * sizeof *s->ev);
    return s->ev ? 0 : -1;
}

void lif_spikes_free(lif_spikes *s, lif_free_fn release, void *ctx) {
    if (s->ev) release(ctx, s->ev);
    s->ev = NULL;
    s->n = s->cap = 0;
}

/* Move the last event back to its place among the substep's events that
 * start at `first` (insertion: a substep holds few spikes). */
static void lif_spikes_place(lif_spikes *s, uint32_t first) {
    uint32_t k = s->n - 1;
    animat_spike_event e = s->ev[k];
    while (k > first && s->ev[k - 1].t > e.t) {
        s->ev[k] = s->ev[k - 1];
        k--;
    }
    s->ev[k] = e;
}

void lif_spikes_collect(lif_spikes *s, const lif_net *net, double t0, double h, double dt) {
    uint32_t first = s->n;
    for (uint32_t i = 0; i < net->n && s->n < s->cap; i++) {
        if (!(net->spk[i] > 0.0)) continue;
        double t = t0 + net->frac[i] * h;
        s->ev[s->n++] = (animat_spike_event){.unit = i, .t = t < dt ? t : dt};
        lif_spikes_place(s, first);
    }
}
