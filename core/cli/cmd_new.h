/* cmd_new.h -- `animat new body|circuit|learner NAME [DIR]`: write a
 * buildable plugin scaffold (new_templates.h) into DIR (default ./NAME),
 * which must not exist: the files are written into a fresh temporary folder
 * beside it and renamed into place only when all are written, so nothing is
 * ever overwritten or half-written. Main thread. */
#ifndef CMD_NEW_H
#define CMD_NEW_H

#include <stdio.h>

/* argv after "new". 0 on success (a summary on out), 1 on bad input or a
 * failed write (one line on stderr), 2 on usage. */
int cmd_new_main(int argc, char **argv, FILE *out);

#endif
