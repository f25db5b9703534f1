/* summary.h -- the results of pca.h, dmd.h and sindy.h as what `animat
 * analyze` prints (a few lines for a reader) and as a table (table.h) for
 * -o. Each function fills *t (an_table_init'ed here; caller frees) and
 * prints to out; 0 (out of memory shows as t->oom).
 */
#ifndef AN_SUMMARY_H
#define AN_SUMMARY_H

#include <stdio.h>

#include "analysis/dmd.h"
#include "analysis/pca.h"
#include "analysis/series.h"
#include "analysis/sindy.h"
#include "analysis/table.h"

/* Table: component, variance, explained, cumulative, then one loading
 * column per variable. Prints the components up to 99.9% of the variance
 * (at least 2) with their three largest loadings. */
int an_pca_summary(const an_pca *p, const an_series *s, an_table *t, FILE *out);

/* Table: mode, lambda re/im, |lambda|, frequency (Hz), period (s), growth
 * rate (1/s), amplitude, one row per mode by amplitude. Prints the rank,
 * the dominant non-zero frequency and the table. */
int an_dmd_summary(const an_dmd *d, an_table *t, FILE *out);

/* Table: equation, term, coefficient (the non-zero ones). Prints each
 * equation as text ("d x/dt = 2.51 + 0.48 cos(a)*cos(b)") with its RMS
 * residual; x names the variables. */
int an_sindy_summary(const an_sindy *s, const an_series *x, an_table *t, FILE *out);

#endif
