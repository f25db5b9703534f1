/* cmd_plot.h -- `animat plot FILE.h5 KIND -o OUT.svg|OUT.png [--signal NAME]
 * [--episode K] [--size WxH]`: one figure of a recording (view/plot.h). */
#ifndef CMD_PLOT_H
#define CMD_PLOT_H

#include <stdio.h>

/* Run the command on argv (the arguments after "plot"). Every check (kind,
 * format, output path, recording, signal, episode) happens before anything
 * is written; the output is written whole through atomicfile. Prints
 * "wrote OUT" on out. Returns the exit status: 0, 1 on an error (one line on
 * stderr), 2 on bad usage. */
int cmd_plot_main(int argc, char **argv, FILE *out);

#endif
