/* cmd_analyze.h -- `animat analyze FILE.h5 pca|dmd|sindy [options]`: the
 * dynamics of a recording (PCA, dynamic mode decomposition, SINDy; the
 * maths in core/analysis/), as a table on stdout, optionally written as
 * CSV or Markdown (-o) and drawn (--plot). docs/analysis.md.
 */
#ifndef CMD_ANALYZE_H
#define CMD_ANALYZE_H

#include <stdio.h>

/* argv holds the arguments after "analyze". Exit status: 0, 1 (an error:
 * one line on stderr, nothing written), 2 (bad usage). */
int cmd_analyze_main(int argc, char **argv, FILE *out);

#endif
