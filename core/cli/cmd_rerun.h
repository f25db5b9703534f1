/* cmd_rerun.h -- `animat rerun FILE.h5 [--plugin F]... [--quiet]`.
 *
 * Reads the resolved experiment stored in a recording (sim/record.h),
 * repeats the run (or the training, writing no curve, parameters or
 * checkpoint) into a temporary recording, and compares every dataset bit
 * for bit. Prints "rerun identical: ..." and returns 0, or "rerun differs:
 * DATASET[episode, sample, element]: recorded X, now Y" and returns 1; 1
 * with one line on stderr for a file that is not a recording; 2 on bad
 * usage.
 */
#ifndef CMD_RERUN_H
#define CMD_RERUN_H

#include <stdio.h>

/* argv holds the arguments after "rerun"; the result goes to out and the
 * progress of the repeat (base/progress.h) to stderr; --quiet: neither. */
int cmd_rerun_main(int argc, char **argv, FILE *out);

#endif
