/* cmd_report.h -- `animat report FILE.h5 -o report.html [--video FILE]
 * [--quiet]`: one self-contained HTML page about a recording (view/report.h). */
#ifndef CMD_REPORT_H
#define CMD_REPORT_H

#include <stdio.h>

/* Run the command on argv (the arguments after "report"). Every check
 * (output path, recording, video) happens before the page is built; the
 * page is written whole through atomicfile. Progress goes to stderr
 * (base/progress.h: a line in place on a TTY, else one every 10 s; not with
 * --quiet). Prints "wrote OUT" on out. Returns
 * the exit status: 0, 1 on an error (one line on stderr), 2 on bad usage. */
int cmd_report_main(int argc, char **argv, FILE *out);

#endif
