/* cmd_plugins.h -- `animat plugins` and `animat plugins info NAME`. */
#ifndef CMD_PLUGINS_H
#define CMD_PLUGINS_H

#include <stdio.h>

/* Run the plugins subcommand with its own arguments (argv[0] is the first
 * argument after "plugins"). Prints to out; errors to stderr. Returns the
 * process exit status (0, 1 for an unknown plugin, 2 for bad usage). */
int cmd_plugins_main(int argc, char **argv, FILE *out);

#endif
