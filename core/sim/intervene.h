/* intervene.h -- inside sim: applying the experiment's interventions
 * (exp/interventions.h) in the step loop.
 *
 * Units go through the circuit's animat.units/1 extension: before each
 * control step the host sets every active intervention's override (CLAMP
 * for silence and clamp, ADD for perturb and noise, a fresh N(0, sigma^2)
 * draw per step for noise) and releases it (FREE) when its window ends; the
 * circuit applies overrides inside its step, so the step's own outputs and
 * downstream units already see them. Theta entries are set through
 * set_theta for the window and restored afterwards (and at the end of every
 * episode). Noise draws come from a stream keyed by (run seed, episode),
 * like every other stream. With no interventions the step loop pays one
 * test per step. Thread: the sim's.
 */
#ifndef SIM_INTERVENE_H
#define SIM_INTERVENE_H

#include <stdio.h>

#include "sim/sim.h"

/* Resolve every intervention against the live circuits (unit and entry
 * names, the extension present). 0, or -1 with e positioned at the item. */
int sim_iv_init(sim *s, errmsg *e);

/* Start of episode `episode`: nothing active, the noise stream reseeded. */
void sim_iv_begin(sim *s, uint64_t episode);

/* Before the circuits of control step s->step: switch windows on and off,
 * apply values. 0, or -1 with e set (a plugin refused an override). */
int sim_iv_step(sim *s, errmsg *e);

/* End of an episode (also after a failure): restore theta entries. 0 or -1. */
int sim_iv_end(sim *s, errmsg *e);

/* `animat check`'s notes on interventions that look like mistakes: one
 * that never acts (its window holds no control step start, or starts
 * after run.max_steps) and two on the same target whose windows overlap.
 * One "note: ..." line each to f; returns how many. */
uint32_t sim_iv_print_notes(const sim *s, FILE *f);

/* Free what sim_iv_init allocated. */
void sim_iv_free(sim *s);

#endif
