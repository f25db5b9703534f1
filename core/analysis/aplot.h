/* aplot.h -- figures of the analyses, drawn with the plot axes of
 * view/plot_axes.h into SVG or PNG bytes (view/plot.h's plot_buf):
 *   pca    explained variance per component (left) and the time courses of
 *          the first three components (right)
 *   dmd    eigenvalues on the unit circle (left) and in the frequency /
 *          growth-rate plane (right), marker area by amplitude
 *   sindy  measured vs identified derivative of each variable (at most 6)
 * Nothing is written to files here. One thread.
 */
#ifndef AN_APLOT_H
#define AN_APLOT_H

#include "analysis/dmd.h"
#include "analysis/pca.h"
#include "analysis/series.h"
#include "analysis/sindy.h"
#include "view/plot.h"

typedef enum an_kind { AN_PCA, AN_DMD, AN_SINDY } an_kind;

/* What a figure shows: the series and the one result of its kind. */
typedef struct an_figure {
    an_kind kind;
    const an_series *s;
    const an_pca *pca;
    const an_dmd *dmd;
    const an_sindy *sindy;
    const char *title; /* e.g. "PCA of circuit.units — swimmer-ncap.yaml" */
} an_figure;

/* Draw the figure (800 x 400) into *out in format fmt. 0, or -1 with e set
 * (cairo failure). */
int an_plot_render(const an_figure *fig, plot_format fmt, plot_buf *out, errmsg *e);

#endif
