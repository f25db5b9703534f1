/* buffers.h -- inside sim: where every port's values live, and the slice
 * copies that move them along edges that cannot share a buffer. Used by
 * build.c only (and the tests that check the layout). Thread: the sim's.
 */
#ifndef SIM_BUFFERS_H
#define SIM_BUFFERS_H

#include "sim/sim.h"

/* Values an edge end covers: its slice, or the whole port (0 if the
 * instance does not exist yet). */
uint32_t sim_end_len(const sim *s, const experiment_end *end);

/* Range [lo, hi) an edge writes into its destination port. */
void sim_dst_range(const sim *s, const experiment_conn *c, uint32_t *lo, uint32_t *hi);

/* One pool for every OUT port and every input that needs its own buffer
 * (fed by slices, by several edges or by a delayed edge); an input fed
 * whole by one undelayed edge points at its source's buffer, an unfed one
 * at the shared zeros. 0, or -1 with e set. */
int sim_lay_buffers(sim *s, errmsg *e);

/* The copies: per circuit in step order, then into bodies, then delayed
 * ones (sim.h). 0, or -1 with e set. */
int sim_lay_copies(sim *s, errmsg *e);

/* Write one line per input element range fed by nothing ("ncap.in.turn[0:1]
 * reads zeros: fed by nothing") to f; returns how many. */
uint32_t sim_print_unfed(const sim *s, FILE *f);

/* Write one line per element of every edge whose source is a circuit
 * output with element names (animat.ports/1), naming the element and where
 * it lands ("map: circuit.out.muscles[0] (j0.rows01_05) ->
 * body.act.motors[0]") to f; returns how many. For `animat check`. */
uint32_t sim_print_named_edges(const sim *s, FILE *f);

#endif
