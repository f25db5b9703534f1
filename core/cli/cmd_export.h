/* cmd_export.h -- `animat export FILE.h5 -o OUT.nwb [--quiet]`: a
 * recording as an NWB 2.x file (sim/nwb_export.h, docs/recording.md). */
#ifndef CMD_EXPORT_H
#define CMD_EXPORT_H

#include <stdio.h>

/* Run the command on argv (the arguments after "export"). The target is
 * checked (nwb_check_target) and the recording opened before anything is
 * written; the file is written through atomicfile. Prints "wrote OUT
 * (...)" on out unless --quiet. Returns the exit status: 0, 1 on an error
 * (one line on stderr), 2 on bad usage. */
int cmd_export_main(int argc, char **argv, FILE *out);

#endif
