/* cmd_eval.h -- `animat eval FILE [--theta P.yaml] [--episodes N] [--seed S]
 * [--set K=V]... [--plugin F] [--quiet]`: the held-out evaluation.
 *
 * Runs N episodes of the experiment in the held-out stream domain
 * (sim_heldout, plugin/hostctx.h), which no `animat run` episode and no
 * training episode can use whatever seeds are chosen, with the parameters
 * of --theta (a file written by train) or, without it, the file's own
 * initial ones ("before"). N is --episodes, else train.eval.episodes, else
 * the file's run.episodes, else 10. The same evaluation ends `animat train`,
 * so `animat eval FILE --theta OUT --seed S` repeats a training's closing
 * "held-out mean return" bit for bit.
 */
#ifndef CMD_EVAL_H
#define CMD_EVAL_H

#include <stdio.h>

/* Run the command on argv (the arguments after "eval"). Prints one line per
 * episode (unless --quiet) and "N episodes: held-out mean return M (min A,
 * max B); ..." on out. Returns the exit status: 0, 1 on an error (one line
 * on stderr), 2 on bad usage. */
/* The usage text that `animat eval --help` prints. */
extern const char cmd_eval_usage[];

int cmd_eval_main(int argc, char **argv, FILE *out);

#endif
