/* sindy.c -- see sindy.h. */
#include "analysis/sindy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>

/* The library: factor f of variable f / (phase ? 2 : 1), a cos (even) or
 * sin (odd) factor for phases; each term a list of factor indices. */
typedef struct library {
    uint32_t m, D, q; /* variables, degree, factors */
    int phase;
    uint32_t P, cap;  /* terms, allocated */
    uint8_t *len;     /* P term lengths */
    uint32_t *fac;    /* P x D factor indices */
} library;

static uint32_t group_of(const library *L, uint32_t f) { return L->phase ? f / 2 : f; }

/* May factor f follow the term seq[0..n)? (phases: one factor per variable) */
static int allowed(const library *L, const uint32_t *seq, uint32_t n, uint32_t f) {
    for (uint32_t i = 0; L->phase && i < n; i++)
        if (group_of(L, seq[i]) == group_of(L, f)) return 0;
    return 1;
}

/* Visit every term (nondecreasing factor lists): add it when L->fac is
 * allocated, else count. Stops counting past AN_SINDY_MAX_TERMS + 1. */
static void visit(library *L, uint32_t *seq, uint32_t n, uint32_t from) {
    if (L->P > AN_SINDY_MAX_TERMS && !L->fac) return;
    if (L->fac && L->P < L->cap) {
        L->len[L->P] = (uint8_t)n;
        memcpy(L->fac + (size_t)L->P * L->D, seq, n * sizeof *seq);
    }
    L->P++;
    if (n == L->D) return;
    for (uint32_t f = from; f < L->q; f++)
        if (allowed(L, seq, n, f)) {
            seq[n] = f;
            visit(L, seq, n + 1, L->phase ? f + 1 : f);
        }
}

static void library_count(library *L, uint32_t m, uint32_t D, int phase) {
    memset(L, 0, sizeof *L);
    L->m = m, L->D = D, L->phase = phase, L->q = phase ? 2 * m : m;
    uint32_t seq[AN_SINDY_MAX_DEGREE];
    visit(L, seq, 0, 0);
}

uint32_t an_sindy_terms(uint32_t m, uint32_t degree, int phase) {
    library L;
    library_count(&L, m, degree < AN_SINDY_MAX_DEGREE ? degree : AN_SINDY_MAX_DEGREE, phase);
    return L.P;
}

/* Build the term lists (after library_count). 0 or -1 (out of memory). */
static int library_build(library *L) {
    L->cap = L->P, L->P = 0;
    L->len = malloc(L->cap);
    L->fac = malloc((size_t)L->cap * (L->D ? L->D : 1) * sizeof *L->fac);
    if (!L->len || !L->fac) return -1;
    uint32_t seq[AN_SINDY_MAX_DEGREE];
    visit(L, seq, 0, 0);
    return 0;
}

/* The name of term k ("1", "x*x*y", "cos(p)*sin(q)"); caller frees. */
static char *term_name(const library *L, uint32_t k, const char *const *names) {
    size_t cap = 16;
    for (uint32_t i = 0; i < L->len[k]; i++) cap += strlen(names[group_of(L, L->fac[(size_t)k * L->D + i])]) + 8;
    char *s = malloc(cap);
    if (!s) return NULL;
    strcpy(s, L->len[k] ? "" : "1");
    for (uint32_t i = 0; i < L->len[k]; i++) {
        uint32_t f = L->fac[(size_t)k * L->D + i];
        const char *v = names[group_of(L, f)];
        size_t n = strlen(s);
        if (L->phase) snprintf(s + n, cap - n, "%s%s(%s)", i ? "*" : "", f % 2 ? "sin" : "cos", v);
        else snprintf(s + n, cap - n, "%s%s", i ? "*" : "", v);
    }
    return s;
}

/* Value of term k at state x (m values). */
static double term_value(const library *L, uint32_t k, const double *x) {
    double v = 1;
    for (uint32_t i = 0; i < L->len[k]; i++) {
        uint32_t f = L->fac[(size_t)k * L->D + i];
        double xv = x[group_of(L, f)];
        v *= !L->phase ? xv : f % 2 ? sin(xv) : cos(xv);
    }
    return v;
}

/* Least squares of y (rows of Th) on the columns `act` (n of them) of Th:
 * coefficients into c (P entries, zero outside act). Columns are scaled to
 * unit norm; singular values below 1e-12 of the largest are dropped. */
static int lsq(const gsl_matrix *Th, const double *cnorm, const uint32_t *act, uint32_t n, const double *const *ys,
               double *const *cs, uint32_t nrhs) {
    size_t N = Th->size1;
    gsl_matrix *A = gsl_matrix_alloc(N, n), *V = gsl_matrix_alloc(n, n);
    gsl_vector *S = gsl_vector_alloc(n), *w = gsl_vector_alloc(n);
    double *uty = malloc(n * sizeof *uty);
    int rc = !A || !V || !S || !w || !uty ? -1 : 0;
    for (size_t t = 0; !rc && t < N; t++)
        for (uint32_t j = 0; j < n; j++) gsl_matrix_set(A, t, j, gsl_matrix_get(Th, t, act[j]) / cnorm[act[j]]);
    if (!rc && gsl_linalg_SV_decomp(A, V, S, w)) rc = -1;
    for (uint32_t r = 0; !rc && r < nrhs; r++) {
        for (uint32_t j = 0; j < n; j++) {
            double u = 0, sj = gsl_vector_get(S, j);
            for (size_t t = 0; t < N; t++) u += gsl_matrix_get(A, t, j) * ys[r][t];
            uty[j] = sj > 1e-12 * gsl_vector_get(S, 0) ? u / sj : 0;
        }
        for (uint32_t i = 0; i < n; i++) {
            double c = 0;
            for (uint32_t j = 0; j < n; j++) c += gsl_matrix_get(V, i, j) * uty[j];
            cs[r][act[i]] = c / cnorm[act[i]];
        }
    }
    gsl_matrix_free(A), gsl_matrix_free(V), gsl_vector_free(S), gsl_vector_free(w), free(uty);
    return rc;
}

/* Zero |c| < lam in c (P); the terms left into act. Returns their count. */
static uint32_t threshold(double *c, uint32_t P, double lam, uint32_t *act) {
    uint32_t n = 0;
    for (uint32_t k = 0; k < P; k++) {
        if (fabs(c[k]) < lam) c[k] = 0;
        else act[n++] = k;
    }
    return n;
}

/* STLSQ for equation i, starting from the full fit in c. 0 or -1. */
static int stlsq(const gsl_matrix *Th, const double *cnorm, const double *y, double lam, double *c, uint32_t *act) {
    uint32_t P = (uint32_t)Th->size2, n = threshold(c, P, lam, act);
    for (int it = 0; it < 25 && n > 0; it++) {
        for (uint32_t k = 0; k < P; k++) c[k] = 0;
        if (lsq(Th, cnorm, act, n, &y, &c, 1)) return -1;
        uint32_t before = n;
        n = threshold(c, P, lam, act);
        if (n == before) break;
    }
    return 0;
}

/* x with each phase column unwrapped (jumps over pi folded by 2 pi). */
static double *unwrapped(const double *x, uint64_t T, uint32_t m, int phase) {
    double *u = malloc(T * m * sizeof *u);
    if (!u) return NULL;
    memcpy(u, x, T * m * sizeof *u);
    for (uint32_t j = 0; phase && j < m; j++)
        for (uint64_t t = 1; t < T; t++) {
            double d = u[t * m + j] - u[(t - 1) * m + j];
            u[t * m + j] -= 2 * M_PI * round(d / (2 * M_PI));
        }
    return u;
}

/* The library matrix at samples 1..T-2, its column norms, and the targets
 * y[i] (N each). 0 or -1 (out of memory). */
static int assemble(const library *L, const double *u, uint64_t T, double dt, const double *dxdt, gsl_matrix **Th,
                    double *cnorm, double **y) {
    uint64_t N = T - 2;
    uint32_t m = L->m;
    *Th = gsl_matrix_alloc(N, L->P);
    if (!*Th) return -1;
    for (uint32_t k = 0; k < L->P; k++) cnorm[k] = 0;
    for (uint64_t t = 0; t < N; t++)
        for (uint32_t k = 0; k < L->P; k++) {
            double v = term_value(L, k, u + (t + 1) * m);
            gsl_matrix_set(*Th, t, k, v);
            cnorm[k] += v * v;
        }
    for (uint32_t k = 0; k < L->P; k++) cnorm[k] = cnorm[k] > 0 ? sqrt(cnorm[k]) : 1;
    for (uint32_t i = 0; i < m; i++)
        for (uint64_t t = 0; t < N; t++)
            y[i][t] = dxdt ? dxdt[(t + 1) * m + i] : (u[(t + 2) * m + i] - u[t * m + i]) / (2 * dt);
    return 0;
}

/* Fitted derivatives, residuals and plot data from xi. */
static void evaluate(an_sindy *s, const gsl_matrix *Th, double *const *y, double dt) {
    for (uint32_t i = 0; i < s->m; i++) {
        double r2 = 0, y2 = 0;
        for (uint64_t t = 0; t < s->N; t++) {
            double f = 0;
            for (uint32_t k = 0; k < s->P; k++) f += gsl_matrix_get(Th, t, k) * s->xi[(size_t)k * s->m + i];
            s->fit[t * s->m + i] = f, s->data[t * s->m + i] = y[i][t];
            r2 += (f - y[i][t]) * (f - y[i][t]), y2 += y[i][t] * y[i][t];
        }
        s->rms[i] = sqrt(r2 / (double)s->N), s->scale[i] = sqrt(y2 / (double)s->N);
    }
    for (uint64_t t = 0; t < s->N; t++) s->t[t] = (double)(t + 1) * dt;
}

/* Allocate the results; 0 or -1. */
static int results(an_sindy *s, const library *L, const char *const *names) {
    s->P = L->P;
    s->terms = calloc(L->P, sizeof *s->terms);
    s->xi = calloc((size_t)L->P * s->m, sizeof *s->xi);
    s->rms = calloc(s->m, sizeof *s->rms), s->scale = calloc(s->m, sizeof *s->scale);
    s->fit = malloc(s->N * s->m * sizeof *s->fit), s->data = malloc(s->N * s->m * sizeof *s->data);
    s->t = malloc(s->N * sizeof *s->t);
    if (!s->terms || !s->xi || !s->rms || !s->scale || !s->fit || !s->data || !s->t) return -1;
    for (uint32_t k = 0; k < L->P; k++)
        if (!(s->terms[k] = term_name(L, k, names))) return -1;
    return 0;
}

/* Theta = Q R (gsl_linalg_QR_decomp): least squares on columns S of Theta
 * against y is least squares on columns S of R (P x P) against the first P
 * entries of Q^T y, since Q's columns are orthonormal; so every refit works
 * on P rows instead of N. *R and z[i] (P each) are the caller's. 0 or -1. */
static int compress(const gsl_matrix *Th, double *const *y, uint32_t m, gsl_matrix **R, double **z) {
    size_t N = Th->size1, P = Th->size2;
    gsl_matrix *A = gsl_matrix_alloc(N, P);
    gsl_vector *tau = gsl_vector_alloc(P), *v = gsl_vector_alloc(N);
    *R = gsl_matrix_calloc(P, P);
    int rc = A && tau && v && *R ? 0 : -1;
    if (!rc) gsl_matrix_memcpy(A, Th);
    if (!rc && gsl_linalg_QR_decomp(A, tau)) rc = -1;
    for (size_t i = 0; !rc && i < P; i++)
        for (size_t j = i; j < P; j++) gsl_matrix_set(*R, i, j, gsl_matrix_get(A, i, j));
    for (uint32_t i = 0; !rc && i < m; i++) {
        for (size_t t = 0; t < N; t++) gsl_vector_set(v, t, y[i][t]);
        if (gsl_linalg_QR_QTvec(A, tau, v) || !(z[i] = malloc(P * sizeof **z))) rc = -1;
        for (size_t k = 0; !rc && k < P; k++) z[i][k] = gsl_vector_get(v, k);
    }
    gsl_matrix_free(A), gsl_vector_free(tau), gsl_vector_free(v);
    return rc;
}

/* Fit every equation: one shared least squares, then STLSQ each, on the
 * compressed system. */
static int identify(an_sindy *s, const gsl_matrix *Th, const double *cnorm, double *const *y, double lam) {
    uint32_t P = s->P, m = s->m, *act = malloc(P * sizeof *act);
    double **c = calloc(m, sizeof *c), **z = calloc(m, sizeof *z);
    gsl_matrix *R = NULL;
    int rc = act && c && z ? 0 : -1;
    if (!rc) rc = compress(Th, y, m, &R, z);
    for (uint32_t i = 0; !rc && i < m; i++)
        if (!(c[i] = calloc(P, sizeof **c))) rc = -1;
    for (uint32_t k = 0; act && k < P; k++) act[k] = k;
    if (!rc) rc = lsq(R, cnorm, act, P, (const double *const *)z, c, m);
    for (uint32_t i = 0; !rc && i < m; i++) {
        rc = stlsq(R, cnorm, z[i], lam, c[i], act);
        for (uint32_t k = 0; k < P; k++) s->xi[(size_t)k * m + i] = c[i][k];
    }
    for (uint32_t i = 0; i < m; i++) {
        if (c) free(c[i]);
        if (z) free(z[i]);
    }
    free(c), free(z), free(act), gsl_matrix_free(R);
    return rc;
}

int an_sindy_run(const double *x, uint64_t T, uint32_t m, const char *const *names, double dt,
                 const an_sindy_opts *o, an_sindy *s, errmsg *e) {
    memset(s, 0, sizeof *s);
    if (o->degree < 1 || o->degree > AN_SINDY_MAX_DEGREE)
        return errmsg_set(e, "sindy: --degree %u is out of range (1..%d)", o->degree, AN_SINDY_MAX_DEGREE);
    if (T < 3 || m < 1) return errmsg_set(e, "sindy needs at least 3 samples and 1 variable");
    library L;
    library_count(&L, m, o->degree, o->phase);
    if (L.P > AN_SINDY_MAX_TERMS)
        return errmsg_set(e, "sindy: a degree-%u library of %u variables has over %d terms, more than the limit; lower "
                          "--degree or choose fewer --signals", o->degree, m, AN_SINDY_MAX_TERMS);
    if (L.P > T - 2)
        return errmsg_set(e, "sindy: a degree-%u library of %u variables has %u terms, more than the %llu samples "
                          "fitted; lower --degree, choose fewer --signals or a longer window", o->degree, m, L.P,
                          (unsigned long long)(T - 2));
    if ((double)L.P * (double)(T - 2) > AN_SINDY_MAX_VALUES)
        return errmsg_set(e, "sindy: the library matrix would hold %u terms x %llu samples, over %d values; use a "
                          "shorter window (--from/--to) or a smaller library", L.P, (unsigned long long)(T - 2),
                          AN_SINDY_MAX_VALUES);
    s->m = m, s->N = T - 2;
    double *u = unwrapped(x, T, m, o->phase), *cnorm = malloc(L.P * sizeof *cnorm);
    double **y = calloc(m, sizeof *y);
    gsl_matrix *Th = NULL;
    int rc = u && cnorm && y && !library_build(&L) && !results(s, &L, names) ? 0 : -1;
    for (uint32_t i = 0; !rc && i < m; i++)
        if (!(y[i] = malloc(s->N * sizeof **y))) rc = -1;
    if (!rc) rc = assemble(&L, u, T, dt, o->dxdt, &Th, cnorm, y);
    if (rc) errmsg_set(e, "out of memory");
    else if (identify(s, Th, cnorm, y, o->threshold)) rc = errmsg_set(e, "sindy: least squares failed (GSL SVD)");
    if (!rc) evaluate(s, Th, y, dt);
    for (uint32_t i = 0; y && i < m; i++) free(y[i]);
    free(y), free(u), free(cnorm), free(L.len), free(L.fac), gsl_matrix_free(Th);
    if (rc) an_sindy_free(s);
    return rc;
}

void an_sindy_free(an_sindy *s) {
    for (uint32_t k = 0; s->terms && k < s->P; k++) free(s->terms[k]);
    free(s->terms), free(s->xi), free(s->rms), free(s->scale), free(s->fit), free(s->data), free(s->t);
    memset(s, 0, sizeof *s);
}
