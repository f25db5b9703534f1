/* cmd_sweep.h -- `animat sweep FILE --grid KEY=[v1,...]... [--seeds A..B]
 * [--train] [--set K=V]... [--plugin F]... [-j N] [--shard I/N] [--quiet]
 * -o DIR` and `animat sweep --collect DIR` (cli/sweep.h). */
#ifndef CMD_SWEEP_H
#define CMD_SWEEP_H

#include <stdio.h>

/* Run the command on argv (the arguments after "sweep"). Every argument,
 * grid value and run experiment is checked, and DIR is checked to be new,
 * empty or this sweep's, before anything is written. Returns the exit
 * status: 0; 1 on an error (one line on stderr naming the problem) or when
 * runs failed; 2 on bad usage. */
/* The usage text that `animat sweep --help` prints. */
extern const char cmd_sweep_usage[];

int cmd_sweep_main(int argc, char **argv, FILE *out);

#endif
