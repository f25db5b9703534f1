/* cma_math.h -- the maths of CMA-ES as in N. Hansen, "The CMA Evolution
 * Strategy: A Tutorial" (2016), with positive recombination weights only
 * (no host, no allocation, no randomness). Every function is reentrant and
 * thread-safe: it reads and writes only the caller-owned arrays (and GSL
 * workspace) it is given.
 *
 * Layouts: vectors are n doubles; matrices are n x n doubles, row-major
 * (C, B); B's column k is the eigenvector of eigenvalue D[k]^2. Populations
 * are lambda rows of n doubles (z, y, x). The learner maximises returns, so
 * the tutorial's f is -return: ranking sorts returns in descending order.
 */
#ifndef CMA_MATH_H
#define CMA_MATH_H

#include <gsl/gsl_eigen.h>
#include <stdint.h>

/* Strategy parameters of the tutorial's Table 1 (default settings). */
typedef struct cma_strategy {
    uint32_t n;      /* dimension */
    uint32_t lambda; /* population size */
    uint32_t mu;     /* parents, 1 <= mu <= lambda/2 */
    double mu_eff;   /* variance-effective selection mass (sum w)^2 / sum w^2 */
    double c_c;      /* learning rate of the rank-one evolution path */
    double c_sigma;  /* learning rate of the step-size evolution path */
    double c_1;      /* rank-one update learning rate */
    double c_mu;     /* rank-mu update learning rate */
    double d_sigma;  /* step-size damping */
    double chi_n;    /* E||N(0, I)|| ~ sqrt(n) (1 - 1/(4n) + 1/(21 n^2)) */
} cma_strategy;

/* Default population 4 + floor(3 ln n) for n >= 1. Pure. */
uint32_t cma_default_lambda(uint32_t n);

/* Fill `s` for dimension n, population lambda and mu parents (the caller
 * checks n >= 1, lambda >= 2, 1 <= mu <= lambda/2), and write the mu
 * recombination weights w_i proportional to ln((lambda+1)/2) - ln i,
 * normalised to sum 1, into `w` (mu doubles). Pure. */
void cma_strategy_init(cma_strategy *s, uint32_t n, uint32_t lambda, uint32_t mu, double *w);

/* Stable descending order of `returns` (p values, all finite): writes to
 * `order` the candidate indices from best to worst, equal returns by index.
 * `tmp` is caller scratch of p entries. Merge sort, no allocation. Pure. */
void cma_sort_descending(uint32_t p, const double *returns, uint32_t *order, uint32_t *tmp);

/* Candidates from standard normal draws `z` (lambda rows): y_k = B D z_k and
 * x_k = m + sigma y_k, written to `y` and `x` (lambda rows each). Pure. */
void cma_sample(const cma_strategy *s, const double *m, double sigma, const double *B,
                const double *D, const double *z, double *y, double *x);

/* One generation's update (tutorial's "Selection and recombination",
 * "Step-size control", "Covariance matrix adaptation"), given the steps `y`
 * of the candidates sampled from (m, sigma, B, D) and their order from best
 * to worst. `gen` is the number of generations before this one (the g of
 * h_sigma's test). Updates m, *sigma, p_sigma, p_c and C in place (C fully,
 * symmetric); B and D are read only (they describe the old C). `work` is
 * caller scratch of 2n doubles. Pure. */
void cma_update(const cma_strategy *s, const double *w, const uint32_t *order, const double *y,
                uint64_t gen, const double *B, const double *D, double *m, double *sigma,
                double *p_sigma, double *p_c, double *C, double *work);

/* Eigen-decomposition of C (symmetrised in place first): B gets the
 * eigenvectors as columns and D the square roots of the eigenvalues, in
 * ascending order. Eigenvalues below 1e-20 times the largest are raised to
 * it (a condition-number cap). `a` is scratch of n*n doubles, `eval` of n;
 * `ws` a GSL workspace for n. Returns 0, or -1 when C is not finite (B and
 * D untouched) or has no positive eigenvalue (B overwritten). */
int cma_eigen(uint32_t n, double *C, double *a, double *eval, gsl_eigen_symmv_workspace *ws,
              double *B, double *D);

#endif /* CMA_MATH_H */
