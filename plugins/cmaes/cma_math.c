/* cma_math.c -- see cma_math.h. Equation references are to Hansen's
 * tutorial (arXiv:1604.00772, 2016). */
#include "rank_sort.h"
#include "cma_math.h"

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stddef.h>

uint32_t cma_default_lambda(uint32_t n) {
    return 4u + (uint32_t)floor(3.0 * log((double)n));
}

void cma_strategy_init(cma_strategy *s, uint32_t n, uint32_t lambda, uint32_t mu, double *w) {
    double dn = (double)n;
    s->n = n;
    s->lambda = lambda;
    s->mu = mu;
    /* weights (49) restricted to the mu positive ones, normalised to sum 1 */
    double sum = 0.0, sum2 = 0.0;
    for (uint32_t i = 0; i < mu; i++) {
        w[i] = log((lambda + 1.0) / 2.0) - log(i + 1.0);
        sum += w[i];
    }
    for (uint32_t i = 0; i < mu; i++) {
        w[i] /= sum;
        sum2 += w[i] * w[i];
    }
    s->mu_eff = 1.0 / sum2;
    /* step-size control (55) */
    double me = s->mu_eff;
    s->c_sigma = (me + 2.0) / (dn + me + 5.0);
    s->d_sigma = 1.0 + 2.0 * fmax(0.0, sqrt((me - 1.0) / (dn + 1.0)) - 1.0) + s->c_sigma;
    /* covariance matrix adaptation (56)-(58) */
    const double alpha_cov = 2.0;
    s->c_c = (4.0 + me / dn) / (dn + 4.0 + 2.0 * me / dn);
    s->c_1 = alpha_cov / ((dn + 1.3) * (dn + 1.3) + me);
    s->c_mu = fmin(1.0 - s->c_1, alpha_cov * (me - 2.0 + 1.0 / me) /
                                     ((dn + 2.0) * (dn + 2.0) + alpha_cov * me / 2.0));
    s->chi_n = sqrt(dn) * (1.0 - 1.0 / (4.0 * dn) + 1.0 / (21.0 * dn * dn));
}

void cma_sort_descending(uint32_t p, const double *returns, uint32_t *order, uint32_t *tmp) {
    rank_sort(p, returns, 1, order, tmp);
}

void cma_sample(const cma_strategy *s, const double *m, double sigma, const double *B,
                const double *D, const double *z, double *y, double *x) {
    uint32_t n = s->n;
    for (uint32_t k = 0; k < s->lambda; k++) {
        const double *zk = z + (size_t)k * n;
        double *yk = y + (size_t)k * n, *xk = x + (size_t)k * n;
        /* y_k = B (D z_k) (39), x_k = m + sigma y_k (40) */
        for (uint32_t i = 0; i < n; i++) {
            const double *Bi = B + (size_t)i * n;
            double acc = 0.0;
            for (uint32_t j = 0; j < n; j++) acc += Bi[j] * (D[j] * zk[j]);
            yk[i] = acc;
            xk[i] = m[i] + sigma * acc;
        }
    }
}

void cma_update(const cma_strategy *s, const double *w, const uint32_t *order, const double *y,
                uint64_t gen, const double *B, const double *D, double *m, double *sigma,
                double *p_sigma, double *p_c, double *C, double *work) {
    uint32_t n = s->n;
    double *yw = work, *t = work + n;
    /* recombination: y_w = sum w_i y_{i:lambda} (41), m += c_m sigma y_w (42), c_m = 1 */
    for (uint32_t i = 0; i < n; i++) yw[i] = 0.0;
    for (uint32_t r = 0; r < s->mu; r++) {
        const double *yr = y + (size_t)order[r] * n;
        for (uint32_t i = 0; i < n; i++) yw[i] += w[r] * yr[i];
    }
    for (uint32_t i = 0; i < n; i++) m[i] += *sigma * yw[i];
    /* p_sigma (43) with C^-1/2 y_w = B D^-1 B^T y_w */
    for (uint32_t k = 0; k < n; k++) {
        double acc = 0.0;
        for (uint32_t i = 0; i < n; i++) acc += B[(size_t)i * n + k] * yw[i];
        t[k] = acc / D[k];
    }
    double cs = s->c_sigma, ps_coef = sqrt(cs * (2.0 - cs) * s->mu_eff), ps2 = 0.0;
    for (uint32_t i = 0; i < n; i++) {
        const double *Bi = B + (size_t)i * n;
        double acc = 0.0;
        for (uint32_t k = 0; k < n; k++) acc += Bi[k] * t[k];
        p_sigma[i] = (1.0 - cs) * p_sigma[i] + ps_coef * acc;
        ps2 += p_sigma[i] * p_sigma[i];
    }
    /* step size (44) */
    double ps_norm = sqrt(ps2);
    *sigma *= exp(cs / s->d_sigma * (ps_norm / s->chi_n - 1.0));
    /* h_sigma's test and p_c (45) */
    double lhs = ps_norm / sqrt(1.0 - pow(1.0 - cs, 2.0 * ((double)gen + 1.0)));
    int hsig = lhs < (1.4 + 2.0 / (n + 1.0)) * s->chi_n;
    double cc = s->c_c, pc_coef = hsig ? sqrt(cc * (2.0 - cc) * s->mu_eff) : 0.0;
    for (uint32_t i = 0; i < n; i++) p_c[i] = (1.0 - cc) * p_c[i] + pc_coef * yw[i];
    /* covariance (47) with positive weights only: w°_i = w_i */
    double sum_w = 0.0;
    for (uint32_t r = 0; r < s->mu; r++) sum_w += w[r];
    double delta = hsig ? 0.0 : cc * (2.0 - cc);
    double keep = 1.0 + s->c_1 * delta - s->c_1 - s->c_mu * sum_w;
    for (uint32_t i = 0; i < n; i++) {
        for (uint32_t j = i; j < n; j++) {
            double rank_mu = 0.0;
            for (uint32_t r = 0; r < s->mu; r++) {
                const double *yr = y + (size_t)order[r] * n;
                rank_mu += w[r] * yr[i] * yr[j];
            }
            double cij = keep * C[(size_t)i * n + j] + s->c_1 * p_c[i] * p_c[j] + s->c_mu * rank_mu;
            C[(size_t)i * n + j] = cij;
            C[(size_t)j * n + i] = cij;
        }
    }
}

int cma_eigen(uint32_t n, double *C, double *a, double *eval, gsl_eigen_symmv_workspace *ws,
              double *B, double *D) {
    size_t nn = (size_t)n * n;
    for (size_t k = 0; k < nn; k++)
        if (!isfinite(C[k])) return -1;
    /* enforce symmetry, then decompose a copy (gsl_eigen_symmv destroys it) */
    for (uint32_t i = 0; i < n; i++) {
        for (uint32_t j = i + 1; j < n; j++) {
            double avg = 0.5 * (C[(size_t)i * n + j] + C[(size_t)j * n + i]);
            C[(size_t)i * n + j] = avg;
            C[(size_t)j * n + i] = avg;
        }
    }
    for (size_t k = 0; k < nn; k++) a[k] = C[k];
    gsl_matrix_view av = gsl_matrix_view_array(a, n, n);
    gsl_matrix_view bv = gsl_matrix_view_array(B, n, n);
    gsl_vector_view ev = gsl_vector_view_array(eval, n);
    if (gsl_eigen_symmv(&av.matrix, &ev.vector, &bv.matrix, ws) != 0) return -1;
    gsl_eigen_symmv_sort(&ev.vector, &bv.matrix, GSL_EIGEN_SORT_VAL_ASC);
    /* standard deviations along the axes, with the condition cap */
    double top = eval[n - 1];
    if (!(top > 0.0) || !isfinite(top)) return -1;
    double floor_ev = top * 1e-20;
    for (uint32_t k = 0; k < n; k++) D[k] = sqrt(eval[k] > floor_ev ? eval[k] : floor_ev);
    return 0;
}
