/* pca.h -- principal component analysis of a series (series.h): the
 * eigen-decomposition of the sample covariance (gsl_eigen_symmv), largest
 * variance first. Pure maths on a matrix; no I/O.
 */
#ifndef AN_PCA_H
#define AN_PCA_H

#include <stdint.h>

#include "base/errmsg.h"

typedef struct an_pca {
    uint32_t m;        /* variables = components */
    double *mean;      /* m means (subtracted before); owned */
    double *var;       /* m component variances, descending; owned */
    double *explained; /* m fractions of the total variance (sum 1; 0 when the total is 0); owned */
    double *load;      /* m x m loadings, load[j*m + k] = variable j in component k (unit columns); owned */
} an_pca;

/* PCA of x (T samples x m variables, sample-major), T >= 2. Each
 * component's sign is chosen so that its largest loading is positive. 0,
 * or -1 with e set (out of memory, GSL failure). */
int an_pca_run(const double *x, uint64_t T, uint32_t m, an_pca *p, errmsg *e);

/* Score of sample t on component k: (x_t - mean) . load[:, k]. */
double an_pca_score(const an_pca *p, const double *xt, uint32_t k);

void an_pca_free(an_pca *p);

#endif
