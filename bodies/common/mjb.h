/* mjb.h -- helpers shared by the MuJoCo body plugins (module mjb_).
 *
 * Compiled into each body plugin (the bodies/common sources are listed in every
 * plugin's sources, never built as a shared library), so each .so owns its
 * own copy and nothing crosses a plugin boundary. Host-independent: the unit
 * tests compile these files directly.
 */
#ifndef ANIMAT_BODIES_MJB_H
#define ANIMAT_BODIES_MJB_H

#include <mujoco/mujoco.h>
#include <stdint.h>

/* ---- process-wide warning handler (mjb_warn.c) ---- */

/* The plugin entry's init: point MuJoCo's global warning handler at a silent
 * sink in this library (MuJoCo's default prints to stdout and appends to
 * MUJOCO_LOG.TXT in the working directory). Every warning that matters is
 * counted in mjData and reported by mjb_check_state as an error instead.
 * Always ANIMAT_OK (why/cap unused). Init phase, main thread, once. */
int32_t mjb_warn_init(char *why, uint32_t cap);

/* The plugin entry's deinit: if the handler still points at this library's
 * sink, set it back to NULL (MuJoCo's default). It never reinstalls a saved
 * pointer: with several MuJoCo plugins loaded, a saved pointer may belong to
 * a library already unloaded. Deinit phase, main thread, once. */
void mjb_warn_deinit(void);

/* The sink itself (for tests that check it is installed). */
void mjb_warn_sink(const char *msg);

/* ---- stepping and divergence (mjb_step.c) ---- */

#define MJB_RFT_REGIONS 8

/* Resistive force theory medium (see mjb_rft.c). Plain data. */
typedef struct mjb_rft {
    int on;            /* 0: no RFT forces (mjb_advance is plain mj_step) */
    double ct;         /* tangential drag per body, N s/m */
    double ratio;      /* normal / tangential coefficient */
    double cr;         /* rotational drag per body about the world z, N m s */
    int axis;          /* body-local axis along the segment: 0 x, 1 y, 2 z */
    int first_body;    /* bodies [first_body, nbody) feel the medium */
    /* Regions of another medium (e.g. agar patches in water): a body whose
     * centre of mass lies in [x0, x1] x [y0, y1] of region k feels the
     * ratio regions[5k + 4] instead of `ratio` (the first region that
     * holds it); nregions 0: one medium everywhere. */
    double regions[5 * MJB_RFT_REGIONS];
    int nregions;
} mjb_rft;

/* The first MuJoCo warning since mj_resetData that makes the state
 * untrustworthy (instability, buffer overflow, bad inertia) or a non-finite
 * qpos/qvel, as a static phrase naming it; NULL when the state is sound.
 * Step phase, the instance's thread. */
const char *mjb_check_state(const mjModel *m, const mjData *d);

/* One control interval of nsub physics steps with d->ctrl as set. Without a
 * medium (rft NULL or off): mj_step2, nsub-1 mj_step, mj_step1 -- the same
 * trajectory as nsub mj_step calls, ending with sensors and positions of the
 * final state (dm_control's legacy step). With RFT: nsub times (forces from
 * the current velocities into d->xfrc_applied, mj_step2, mj_step1). Requires
 * mj_forward (or a previous call) on d. Returns mjb_check_state's phrase or
 * NULL. No allocation. Step phase, the instance's thread. */
const char *mjb_advance(const mjModel *m, mjData *d, int nsub, const mjb_rft *rft);

/* ---- state save/load for "animat.state/1" (mjb_state.c) ---- */

/* Bytes of a body's state: its control-step counter, then d's time, qpos,
 * qvel, act, ctrl, qacc_warmstart (the solver's warm start), qfrc_applied,
 * xfrc_applied, mocap poses, userdata and sensordata, then the model's
 * site_pos and geom_pos (bodies move targets at reset). Any phase. */
uint64_t mjb_state_size(const mjModel *m, const mjData *d);

/* Write the state (with the body's counter nstep) into buf of `size`
 * bytes. 0, or -1 when size is not mjb_state_size. No allocation. */
int mjb_state_save(const mjModel *m, const mjData *d, uint64_t nstep, void *buf, uint64_t size);

/* Read a state mjb_state_save wrote for the same model into m and d (the
 * counter into *nstep), then mj_step1, so that d is exactly as mjb_advance
 * left it. 0, or -1 when size is not mjb_state_size (nothing changed). No
 * allocation. Between steps, the instance's thread. */
int mjb_state_load(mjModel *m, mjData *d, uint64_t *nstep, const void *buf, uint64_t size);

/* ---- resistive force theory (mjb_rft.c) ---- */

/* Write RFT drag into d->xfrc_applied for every body the medium covers,
 * from the velocities already computed in d (cvel): per body, with t its
 * local `axis` in world coordinates and v its centre-of-mass velocity,
 * F = -ct (v.t) t - ratio ct (v - (v.t) t) and torque -cr w. Per instance
 * (mjData only), no global callback. No allocation. Step phase. */
void mjb_rft_apply(const mjModel *m, mjData *d, const mjb_rft *rft);

/* ---- model custom fields (mjb_custom.c) ---- */

/* The text of MJCF <custom><text name=NAME data=.../> or NULL. Create phase. */
const char *mjb_custom_text(const mjModel *m, const char *name);

/* The values of <custom><numeric name=NAME .../>: writes up to cap values to
 * out and returns how many the field holds, or -1 if absent. Create phase. */
int mjb_custom_numeric(const mjModel *m, const char *name, double *out, int cap);

#endif /* ANIMAT_BODIES_MJB_H */
