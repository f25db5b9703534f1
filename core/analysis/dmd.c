/* dmd.c -- see dmd.h. */
#include "analysis/dmd.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_complex_math.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>

/* The thin SVD of X = U S V^T (m x N), k = min(m, N) singular values.
 * gsl_linalg_SV_decomp wants rows >= columns: with N >= m it factors
 * X^T = V S U^T, else X itself. */
typedef struct svd {
    gsl_matrix *A; /* N x k: V of X */
    gsl_matrix *W; /* m x k: U of X */
    gsl_vector *S; /* k singular values, descending */
} svd;

/* Thin SVD of X (m x N, x sample-major: X[j][t] = x[t*m + j]). 0 or -1. */
static int svd_of(const double *x, uint64_t N, uint32_t m, svd *s) {
    int tall = N >= m; /* factor X^T (N x m) */
    size_t rows = tall ? N : m, k = tall ? m : N;
    gsl_matrix *L = gsl_matrix_alloc(rows, k), *R = gsl_matrix_alloc(k, k);
    s->S = gsl_vector_alloc(k);
    gsl_vector *work = gsl_vector_alloc(k);
    int rc = !L || !R || !s->S || !work ? -1 : 0;
    for (uint64_t t = 0; !rc && t < N; t++)
        for (uint32_t j = 0; j < m; j++) gsl_matrix_set(L, tall ? t : j, tall ? j : t, x[t * m + j]);
    if (!rc && gsl_linalg_SV_decomp(L, R, s->S, work)) rc = -1;
    gsl_vector_free(work);
    s->A = tall ? L : R, s->W = tall ? R : L; /* X^T = L S R^T gives V = L, U = R; X = L S R^T gives U = L, V = R */
    return rc;
}

static void svd_free(svd *s) {
    gsl_matrix_free(s->A), gsl_matrix_free(s->W), gsl_vector_free(s->S);
}

/* The rank to keep: singular values above 1e-10 s_0, at most `rank`. */
static uint32_t keep(const gsl_vector *S, uint32_t rank) {
    uint32_t r = 0;
    while (r < S->size && gsl_vector_get(S, r) > 1e-10 * gsl_vector_get(S, 0)) r++;
    return rank && rank < r ? rank : r;
}

/* A~ = U_r^T Y V_r S_r^-1 (r x r), and B = Y V_r S_r^-1 (m x r). */
static int reduced(const double *x, uint64_t N, uint32_t m, const svd *s, uint32_t r, gsl_matrix *At,
                   gsl_matrix *B) {
    gsl_matrix_set_zero(B);
    for (uint64_t t = 0; t < N; t++) /* B = sum_t y_t (V_r row t), y_t = x_{t+1} */
        for (uint32_t k = 0; k < r; k++) {
            double v = gsl_matrix_get(s->A, t, k) / gsl_vector_get(s->S, k);
            for (uint32_t j = 0; j < m; j++) *gsl_matrix_ptr(B, j, k) += x[(t + 1) * m + j] * v;
        }
    gsl_matrix_const_view U = gsl_matrix_const_submatrix(s->W, 0, 0, m, r);
    return gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, &U.matrix, B, 0.0, At);
}

/* Amplitudes: solve W b = U_r^T x_0 (complex r x r). |b| into modes. */
static int amplitudes(const double *x0, uint32_t m, const svd *s, gsl_matrix_complex *W, an_dmd *d) {
    uint32_t r = d->r;
    gsl_vector_complex *rhs = gsl_vector_complex_alloc(r), *b = gsl_vector_complex_alloc(r);
    gsl_permutation *p = gsl_permutation_alloc(r);
    int sg, rc = !rhs || !b || !p ? -1 : 0;
    for (uint32_t k = 0; !rc && k < r; k++) {
        double v = 0;
        for (uint32_t j = 0; j < m; j++) v += gsl_matrix_get(s->W, j, k) * x0[j];
        gsl_vector_complex_set(rhs, k, gsl_complex_rect(v, 0));
    }
    if (!rc) rc = gsl_linalg_complex_LU_decomp(W, p, &sg) || gsl_linalg_complex_LU_solve(W, p, rhs, b) ? -1 : 0;
    for (uint32_t k = 0; !rc && k < r; k++) {
        an_dmd_mode *md = &d->modes[k];
        md->amplitude = gsl_complex_abs(gsl_vector_complex_get(b, k));
        double l2 = md->re * md->re + md->im * md->im, g = 1, sum = 0; /* mean |lambda|^2t over the window */
        for (uint64_t t = 0; t < d->N; t++) sum += g, g *= l2;
        md->mean_amplitude = md->amplitude * sqrt(sum / (double)d->N);
    }
    gsl_vector_complex_free(rhs), gsl_vector_complex_free(b), gsl_permutation_free(p);
    return rc;
}

/* Eigenvalues -> modes (continuous rates, exact mode norms |B w / lambda|). */
static void fill_modes(an_dmd *d, const gsl_vector_complex *ev, const gsl_matrix_complex *W, const gsl_matrix *B,
                       double dt) {
    for (uint32_t k = 0; k < d->r; k++) {
        gsl_complex l = gsl_vector_complex_get(ev, k), lg = gsl_complex_log(l);
        an_dmd_mode *md = &d->modes[k];
        md->re = GSL_REAL(l), md->im = GSL_IMAG(l);
        md->growth = GSL_REAL(lg) / dt, md->freq = GSL_IMAG(lg) / (2 * M_PI * dt);
        double n2 = 0;
        for (size_t j = 0; j < B->size1; j++) {
            gsl_complex v = gsl_complex_rect(0, 0);
            for (uint32_t i = 0; i < d->r; i++)
                v = gsl_complex_add(v, gsl_complex_mul_real(gsl_matrix_complex_get(W, i, k), gsl_matrix_get(B, j, i)));
            n2 += gsl_complex_abs2(v);
        }
        md->norm = gsl_complex_abs(l) > 0 ? sqrt(n2) / gsl_complex_abs(l) : 0;
    }
}

static int by_amplitude(const void *a, const void *b) {
    const an_dmd_mode *x = a, *y = b;
    if (x->mean_amplitude != y->mean_amplitude) return x->mean_amplitude < y->mean_amplitude ? 1 : -1;
    return (x->freq < y->freq) - (x->freq > y->freq);
}

/* The eigen-problem of A~ and everything after it. 0 or -1. */
static int eigen(const double *x, uint32_t m, double dt, const svd *s, gsl_matrix *At, const gsl_matrix *B,
                 an_dmd *d) {
    uint32_t r = d->r;
    gsl_vector_complex *ev = gsl_vector_complex_alloc(r);
    gsl_matrix_complex *W = gsl_matrix_complex_alloc(r, r);
    gsl_eigen_nonsymmv_workspace *w = gsl_eigen_nonsymmv_alloc(r);
    int rc = !ev || !W || !w || gsl_eigen_nonsymmv(At, ev, W, w) ? -1 : 0;
    if (!rc) fill_modes(d, ev, W, B, dt);
    if (!rc) rc = amplitudes(x, m, s, W, d);
    if (!rc) qsort(d->modes, r, sizeof *d->modes, by_amplitude);
    gsl_vector_complex_free(ev), gsl_matrix_complex_free(W), gsl_eigen_nonsymmv_free(w);
    return rc;
}

int an_dmd_run(const double *x, uint64_t T, uint32_t m, double dt, uint32_t rank, an_dmd *d, errmsg *e) {
    memset(d, 0, sizeof *d);
    if (T < 3 || m < 1) return errmsg_set(e, "dmd needs at least 3 samples and 1 variable");
    uint64_t N = T - 1;
    svd s = {0};
    if (svd_of(x, N, m, &s)) return svd_free(&s), errmsg_set(e, "dmd: the SVD failed (out of memory or GSL)");
    d->n_sv = (uint32_t)s.S->size, d->N = N;
    d->sv = malloc(d->n_sv * sizeof *d->sv);
    for (uint32_t k = 0; d->sv && k < d->n_sv; k++) d->sv[k] = gsl_vector_get(s.S, k);
    d->r = keep(s.S, rank);
    int rc = d->sv ? 0 : errmsg_set(e, "out of memory");
    if (!rc && d->r == 0) rc = errmsg_set(e, "dmd: the data are all zero (no singular value above 0)");
    gsl_matrix *At = d->r ? gsl_matrix_alloc(d->r, d->r) : NULL, *B = d->r ? gsl_matrix_alloc(m, d->r) : NULL;
    d->modes = d->r ? calloc(d->r, sizeof *d->modes) : NULL;
    if (!rc && (!At || !B || !d->modes)) rc = errmsg_set(e, "out of memory");
    if (!rc && reduced(x, N, m, &s, d->r, At, B)) rc = errmsg_set(e, "dmd: the reduced operator failed (GSL)");
    if (!rc && eigen(x, m, dt, &s, At, B, d)) rc = errmsg_set(e, "dmd: the eigen-decomposition failed (GSL)");
    gsl_matrix_free(At), gsl_matrix_free(B), svd_free(&s);
    if (rc) an_dmd_free(d);
    return rc;
}

const an_dmd_mode *an_dmd_dominant(const an_dmd *d, double fmin) {
    for (uint32_t k = 0; k < d->r; k++)
        if (fabs(d->modes[k].freq) > fmin) return &d->modes[k];
    return NULL;
}

void an_dmd_free(an_dmd *d) {
    free(d->sv), free(d->modes);
    memset(d, 0, sizeof *d);
}
