/* animat/state.h -- extension "animat.state/1": an instance's state as bytes.
 *
 * A body or circuit that offers this extension (through its kind table's
 * extension(self, id)) lets the host snapshot it in the middle of an
 * episode and restore it later, into this instance or another instance of
 * the same plugin built from the same parameters, so that every future
 * output comes out bit for bit as if the episode had never stopped (as
 * FMI's get/set FMU state, CLAP's state extension, MuJoCo's plugin state).
 * `animat run --state-at/--state-out/--state-in` is built on it
 * (docs/state.md).
 *
 * What "the state" is: everything inside the instance that determines its
 * future outputs and that reset or step changes -- for a MuJoCo body the
 * simulation state (qpos, qvel, act, ctrl, qacc_warmstart, time, ...), any
 * part of its model it moves at reset (targets), its own counters; for a
 * circuit its dynamic variables, delay lines, step counters, an adaptive
 * integrator's step size, and random streams it keeps itself. NOT the
 * state, because the host saves them itself: theta (get_theta/set_theta),
 * the host's random stream (animat_host.rng_*), the port buffers, and unit
 * overrides (the host re-applies its interventions every step they are
 * active; a restored instance has every unit FREE, as after reset).
 *
 * Bytes are the plugin's own format, read back only by the same plugin
 * build (the host fingerprints plugin files and refuses anything else), so
 * native byte order and raw doubles are fine. The size may depend on the
 * parameters, never on the moment: size() answers the same between reset
 * and destroy.
 *
 * Thread and phase: the instance's thread, between calls (never during
 * step), after a reset. Ownership: `buf` is the caller's, borrowed for the
 * call only. None of the three may allocate.
 *
 * Availability may depend on the instance (e.g. a circuit whose chosen
 * integrator keeps history that cannot be saved returns NULL for this id);
 * the host then refuses --state-* naming the instance.
 */
#ifndef ANIMAT_STATE_H
#define ANIMAT_STATE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ANIMAT_EXT_STATE "animat.state/1"

typedef struct animat_state_ext {
    uint32_t struct_size; /* sizeof(animat_state_ext) */
    uint32_t reserved;    /* 0 */

    /* Bytes save() writes for this instance: constant from create to
     * destroy. Any phase after create. Required. */
    uint64_t (*size)(void *self);

    /* Write the current state into buf (`size` bytes, as size() said).
     * ANIMAT_OK, or ANIMAT_ERROR after h->error (e.g. a wrong size). The
     * instance is unchanged. Between calls, after a reset. Required. */
    int32_t (*save)(void *self, void *buf, uint64_t size);

    /* Replace the current state with one save() wrote (on this instance or
     * another one of the same plugin build and parameters). ANIMAT_OK, or
     * ANIMAT_ERROR after h->error when `size` or the contents cannot be a
     * state of this instance (then the instance must be reset before it is
     * stepped again). The host calls it after a reset, so load may rely on
     * what reset set up. Required. */
    int32_t (*load)(void *self, const void *buf, uint64_t size);
} animat_state_ext;

#ifdef __cplusplus
}
#endif
#endif /* ANIMAT_STATE_H */
