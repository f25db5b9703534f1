/* cmd_help.h -- `animat COMMAND --help` (and -h, and `animat help COMMAND`):
 * the usage of one command, with all of its options.
 */
#ifndef CMD_HELP_H
#define CMD_HELP_H

#include <stdio.h>

/* 1 when argv[0..argc) asks for help: an argument that is exactly --help or
 * -h, wherever it stands. */
int cmd_help_wanted(int argc, char **argv);

/* Print the usage of `command` ("run", "plot", ...) to f. 0, or -1 (nothing
 * printed) when animat has no such command. */
int cmd_help_print(const char *command, FILE *f);

#endif
