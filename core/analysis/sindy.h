/* sindy.h -- sparse identification of nonlinear dynamics (Brunton, Proctor
 * & Kutz, PNAS 2016): dx/dt = Theta(x) Xi with Theta a library of candidate
 * terms and Xi sparse, found by sequentially thresholded least squares
 * (least squares, zero every |coefficient| < threshold, refit on the terms
 * left, until nothing changes). The library matrix is QR-factored once
 * (gsl_linalg_QR_decomp), so every refit is on its P x P triangle; each
 * least squares is a truncated SVD (gsl_linalg_SV_decomp on
 * column-normalised terms; singular values below 1e-12 of the largest
 * dropped), so a degenerate library gives the minimum-norm fit instead of
 * failing. Pure maths; no I/O.
 *
 * Library: every product of at most `degree` factors (1..5), the constant
 * included. A plain variable's factor is x_j (powers allowed). A phase
 * variable (rad) gives two factors, cos(x_j) and sin(x_j), and appears at
 * most once in a term (cos^2 + sin^2 = 1 would make the library
 * degenerate); its target is the derivative of the unwrapped phase.
 * Derivatives: central differences (x_{t+1} - x_{t-1}) / 2 dt at samples
 * 1..T-2, or given.
 */
#ifndef AN_SINDY_H
#define AN_SINDY_H

#include <stdint.h>

#include "base/errmsg.h"

#define AN_SINDY_MAX_DEGREE 5
#define AN_SINDY_MAX_TERMS 5000
#define AN_SINDY_MAX_VALUES 25000000 /* samples x terms of the library matrix (200 MB) */

typedef struct an_sindy_opts {
    uint32_t degree;   /* 1..AN_SINDY_MAX_DEGREE */
    double threshold;  /* >= 0 */
    int phase;         /* the variables are phases (see above) */
    const double *dxdt; /* NULL: central differences; else T x m derivatives, sample-major */
} an_sindy_opts;

typedef struct an_sindy {
    uint32_t m, P;      /* variables (= equations), library terms */
    char **terms;       /* P term names ("1", "x", "x*y", "cos(p)*sin(q)"); owned */
    double *xi;         /* P x m coefficients, xi[k*m + i] = term k in equation i; owned */
    double *rms;        /* m RMS residuals of the fitted derivative; owned */
    double *scale;      /* m RMS of the derivative itself (for a relative error); owned */
    uint64_t N;         /* samples fitted */
    double *fit, *data; /* N x m fitted and measured derivatives (for plots); owned */
    double *t;          /* N times of those samples relative to the first sample, s; owned */
} an_sindy;

/* The number of library terms for m variables (phase or not) and a degree,
 * without building it; saturates at UINT32_MAX. */
uint32_t an_sindy_terms(uint32_t m, uint32_t degree, int phase);

/* Identify dx/dt from x (T x m, sample-major; T >= 3) with sample interval
 * dt, variable names `names`. 0, or -1 with e set (a library larger than
 * AN_SINDY_MAX_TERMS or than the samples, a library matrix over
 * AN_SINDY_MAX_VALUES, out of memory, GSL failure). */
int an_sindy_run(const double *x, uint64_t T, uint32_t m, const char *const *names, double dt,
                 const an_sindy_opts *o, an_sindy *s, errmsg *e);

void an_sindy_free(an_sindy *s);

#endif
