/* instances.h -- the bodies and circuits of an experiment, and its learner.
 *
 * Short form: `body:` and `circuit:` blocks declare the instances "body"
 * and "circuit" (error messages say body.params..., as they always have).
 * Graph form: `bodies:` and `circuits:` map instance names to blocks
 * {plugin, params} / {plugin, params, theta | theta_file, substeps}.
 * Bodies come first in experiment.insts, then circuits, in file order.
 * Each instance's random stream key comes from its name (hostctx.h), so
 * the short form and a graph with instances named body and circuit draw
 * the same numbers. Thread: the loader's.
 */
#ifndef INSTANCES_H
#define INSTANCES_H

#include "exp/experiment.h"

/* Load every body and circuit instance, their parameters and explicit
 * initial thetas, and the top-level theta_file. 0, or -1 with e set. */
int instances_load(experiment *x, errmsg *e);

/* Load the optional learner block {plugin, params, targets}. 0 or -1. */
int instances_load_learner(experiment *x, errmsg *e);

/* Free what instances_load and instances_load_learner allocated. */
void instances_free(experiment *x);

#endif
