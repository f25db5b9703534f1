/* pca.c -- see pca.h. */
#include "analysis/pca.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

/* The sample covariance of x (means into mean) as an m x m GSL matrix. */
static gsl_matrix *covariance(const double *x, uint64_t T, uint32_t m, double *mean) {
    gsl_matrix *c = gsl_matrix_calloc(m, m);
    if (!c) return NULL;
    for (uint32_t j = 0; j < m; j++) {
        double s = 0;
        for (uint64_t t = 0; t < T; t++) s += x[t * m + j];
        mean[j] = s / (double)T;
    }
    for (uint64_t t = 0; t < T; t++)
        for (uint32_t i = 0; i < m; i++) {
            double di = x[t * m + i] - mean[i];
            for (uint32_t j = i; j < m; j++) *gsl_matrix_ptr(c, i, j) += di * (x[t * m + j] - mean[j]);
        }
    for (uint32_t i = 0; i < m; i++)
        for (uint32_t j = i; j < m; j++) {
            double v = gsl_matrix_get(c, i, j) / (double)(T - 1);
            gsl_matrix_set(c, i, j, v), gsl_matrix_set(c, j, i, v);
        }
    return c;
}

/* Copy eigenvalues/vectors into p, signs fixed (largest |loading| > 0). */
static void store(an_pca *p, const gsl_vector *eval, const gsl_matrix *evec) {
    uint32_t m = p->m;
    double total = 0;
    for (uint32_t k = 0; k < m; k++) total += p->var[k] = fmax(gsl_vector_get(eval, k), 0.0);
    for (uint32_t k = 0; k < m; k++) {
        p->explained[k] = total > 0 ? p->var[k] / total : 0;
        uint32_t big = 0;
        for (uint32_t j = 1; j < m; j++)
            if (fabs(gsl_matrix_get(evec, j, k)) > fabs(gsl_matrix_get(evec, big, k))) big = j;
        double sign = gsl_matrix_get(evec, big, k) < 0 ? -1 : 1;
        for (uint32_t j = 0; j < m; j++) p->load[j * m + k] = sign * gsl_matrix_get(evec, j, k);
    }
}

int an_pca_run(const double *x, uint64_t T, uint32_t m, an_pca *p, errmsg *e) {
    memset(p, 0, sizeof *p);
    if (T < 2 || m < 1) return errmsg_set(e, "pca needs at least 2 samples and 1 variable");
    p->m = m;
    p->mean = malloc(m * sizeof *p->mean);
    p->var = malloc(m * sizeof *p->var);
    p->explained = malloc(m * sizeof *p->explained);
    p->load = malloc((size_t)m * m * sizeof *p->load);
    gsl_matrix *c = p->mean ? covariance(x, T, m, p->mean) : NULL, *evec = gsl_matrix_alloc(m, m);
    gsl_vector *eval = gsl_vector_alloc(m);
    gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc(m);
    int rc = 0;
    if (!p->var || !p->explained || !p->load || !c || !evec || !eval || !w) rc = errmsg_set(e, "out of memory");
    else if (gsl_eigen_symmv(c, eval, evec, w) || gsl_eigen_symmv_sort(eval, evec, GSL_EIGEN_SORT_VAL_DESC))
        rc = errmsg_set(e, "pca: the eigen-decomposition failed (GSL)");
    else store(p, eval, evec);
    gsl_eigen_symmv_free(w), gsl_vector_free(eval), gsl_matrix_free(evec), gsl_matrix_free(c);
    if (rc) an_pca_free(p);
    return rc;
}

double an_pca_score(const an_pca *p, const double *xt, uint32_t k) {
    double s = 0;
    for (uint32_t j = 0; j < p->m; j++) s += (xt[j] - p->mean[j]) * p->load[j * p->m + k];
    return s;
}

void an_pca_free(an_pca *p) {
    free(p->mean), free(p->var), free(p->explained), free(p->load);
    memset(p, 0, sizeof *p);
}
