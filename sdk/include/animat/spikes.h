/* animat/spikes.h -- extension "animat.spikes/1": spikes as events.
 *
 * A spiking circuit (a body could too) that offers this extension through
 * its kind table's extension(self, id) reports, after every control step,
 * which of its units spiked in that step and when: the exact time within
 * the step where the model knows it (an event-driven or interpolated
 * threshold crossing), else the substep at which the spike was registered.
 * The host stores them per unit as spike times (NWB's Units layout) in
 * recordings, draws rasters from them (`animat plot run.h5 raster`) and
 * exports them to NWB. Spike counts per step stay what they were (ports or
 * units); this extension adds the times.
 *
 * Units are the ones the instance names through "animat.units/1"
 * (circuit.h): an instance offering animat.spikes/1 must offer
 * animat.units/1 too, and `unit` below is an index into those names.
 *
 * Thread and phase: the instance's thread, between calls (never during
 * step). Ownership: the event array is the instance's, valid until its next
 * step, reset or destroy. Neither function may allocate.
 */
#ifndef ANIMAT_SPIKES_H
#define ANIMAT_SPIKES_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ANIMAT_EXT_SPIKES "animat.spikes/1"

/* One spike: which unit, and when within the control step it belongs to. */
typedef struct animat_spike_event {
    uint32_t unit;     /* index into the animat.units/1 names */
    uint32_t reserved; /* 0 */
    double t;          /* seconds after the start of the step, 0 <= t <= dt */
} animat_spike_event;

typedef struct animat_spikes_ext {
    uint32_t struct_size; /* sizeof(animat_spikes_ext) */
    uint32_t reserved;    /* 0 */

    /* The most events one control step can report (e.g. units x substeps
     * for a model with at most one spike per substep): constant from create
     * to destroy, so that the host sizes its buffers once. Any phase after
     * create. Required. */
    uint32_t (*capacity)(void *self);

    /* The spikes of the last step in time order (ties in unit order), *n of
     * them (0 after reset, never more than capacity()). Returns the
     * instance-owned array, or NULL with *n = 0 when there were none.
     * Between steps, after a reset. Required. */
    const animat_spike_event *(*events)(void *self, uint32_t *n);

    /* Optional (added after the first two; a table whose struct_size does
     * not reach it has none, as does a NULL): every unit's membrane
     * potential in mV at the end of the last step into v[0..n), n the
     * number of units. What `record.signals: [NAME.voltage]` records.
     * Between steps, after a reset. ANIMAT_OK, or ANIMAT_ERROR for a wrong n
     * (v untouched). No allocation. */
    int32_t (*voltages)(void *self, double *v, uint32_t n);
} animat_spikes_ext;

#ifdef __cplusplus
}
#endif
#endif /* ANIMAT_SPIKES_H */
