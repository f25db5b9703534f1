/* theta.h -- inside sim: the graph theta (the concatenation of the target
 * circuits' thetas that a learner sees), its bounds, and the explicit
 * initial thetas of an experiment. The public functions are in sim.h.
 * Thread: the sim's.
 */
#ifndef SIM_THETA_H
#define SIM_THETA_H

#include "sim/sim.h"

/* Choose the targets (learner.targets, else every circuit with a theta),
 * record their lengths and bounds, then apply the explicit thetas: each
 * circuit's theta/theta_file and the graph's theta_file (checked entry name
 * by entry name when the file has names). 0, or -1 with e set. */
int sim_theta_init(sim *s, errmsg *e);

#endif
