/* test_subspace.c -- Oja's rule and HLOP's subspace rule as online learning
 * through "animat.plasticity/1": the test circuit subspace.so (y = W x with
 * residual input units, eligibility e_i y_j) and the shipped hebbian learner
 * with a constant reward 1 and a zero baseline (dW = eta e y^T), driven the
 * way the host drives them (step, eligibility, online_step, set_theta), on
 * Gaussian inputs x = Q diag(sqrt(lambda)) z with a known covariance
 * Q diag(lambda) Q^T (Q a random orthogonal matrix from GSL's QR).
 * Facts: Oja 1982 (w -> the top eigenvector, |w| -> 1); Oja 1989 / HLOP
 * (rows of W -> an orthonormal basis of the top-k principal subspace).
 */
#include <check.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "testhost.h"

#define NMAX 8

static const animat_plugin_desc *circ(void) { return th_load_env("SUBSPACE_SO"); }
static const animat_plugin_desc *heb(void) { return th_load_env("HEBBIAN_SO"); }

/* A random n x n orthogonal matrix (Q of the QR of a Gaussian matrix). */
static gsl_matrix *random_orthogonal(gsl_rng *r, size_t n) {
    gsl_matrix *a = gsl_matrix_alloc(n, n), *q = gsl_matrix_alloc(n, n), *rr = gsl_matrix_alloc(n, n);
    gsl_vector *tau = gsl_vector_alloc(n);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) gsl_matrix_set(a, i, j, gsl_ran_gaussian(r, 1.0));
    gsl_linalg_QR_decomp(a, tau);
    gsl_linalg_QR_unpack(a, tau, q, rr);
    gsl_matrix_free(a), gsl_matrix_free(rr), gsl_vector_free(tau);
    return q;
}

/* Run `steps` online updates of the k x n weights; returns them in w. */
static void learn(uint32_t n, uint32_t k, const double *lambda, const gsl_matrix *q, double eta, long steps,
                  gsl_rng *r, double *w) {
    const animat_circuit_api *ca = circ()->api;
    const animat_learner_api *la = heb()->api;
    th_host *tc = th_new(circ(), "circuit", 3), *tl = th_new(heb(), "learner", 3);
    th_set_real(tc, "n_in", n);
    th_set_real(tc, "k", k);
    void *c = th_circuit(tc, ca);
    uint32_t nt;
    const animat_param_info *info = ca->theta_info(c, &nt);
    ck_assert_uint_eq(nt, n * k);
    double th[NMAX * NMAX], el[NMAX * NMAX], x[NMAX], y[NMAX], z[NMAX];
    ck_assert_int_eq(ca->get_theta(c, th, nt), ANIMAT_OK);
    th_set_real(tl, "eta", eta);
    th_set_real(tl, "baseline_rate", 0);
    th_set_real(tl, "w_max", 0);
    void *l = la->create(th_table(tl), nt, info, th);
    ck_assert_msg(l != NULL, "%s", th_last_error(tl));
    const animat_plasticity_ext *p = ca->extension(c, ANIMAT_EXT_PLASTICITY);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(la->online_reset(l), ANIMAT_OK);
    const double *in[1] = {x};
    double *out[1] = {y};
    for (long s = 0; s < steps; s++) {
        for (uint32_t i = 0; i < n; i++) z[i] = sqrt(lambda[i]) * gsl_ran_gaussian(r, 1.0);
        for (uint32_t i = 0; i < n; i++) {
            x[i] = 0;
            for (uint32_t j = 0; j < n; j++) x[i] += gsl_matrix_get(q, i, j) * z[j];
        }
        ck_assert_int_eq(ca->step(c, in, out, 0.01), ANIMAT_OK);
        ck_assert_int_eq(p->eligibility(c, el, nt), ANIMAT_OK);
        ck_assert_int_eq(la->online_step(l, 1.0, el, th, nt), ANIMAT_OK);
        ck_assert_int_eq(ca->set_theta(c, th, nt), ANIMAT_OK);
    }
    memcpy(w, th, nt * sizeof *w);
    la->destroy(l);
    ca->destroy(c);
    th_free(tl);
    th_free(tc);
}

/* Oja (eta 2e-5, 200000 steps): one unit, n = 4, lambda = (5, 2, 1, 0.5): the weight vector ends
 * within 1 degree of the top eigenvector q_1 and with norm 1 within 2%. */
START_TEST(test_oja_top_eigenvector) {
    enum { N = 4 };
    const double lambda[N] = {5, 2, 1, 0.5};
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 11);
    gsl_matrix *q = random_orthogonal(r, N);
    double w[N], dot = 0, norm = 0;
    learn(N, 1, lambda, q, 2e-5, 200000, r, w);
    for (uint32_t i = 0; i < N; i++) dot += w[i] * gsl_matrix_get(q, i, 0), norm += w[i] * w[i];
    norm = sqrt(norm);
    double angle = acos(fmin(1.0, fabs(dot) / norm)) * 180.0 / M_PI;
    fprintf(stderr, "oja: angle %.3f degrees, |w| = %.4f\n", angle, norm);
    ck_assert_msg(angle < 1.0, "angle to the top eigenvector %g degrees", angle);
    ck_assert_msg(fabs(norm - 1.0) < 0.02, "|w| = %g", norm);
    gsl_matrix_free(q);
    gsl_rng_free(r);
}
END_TEST

/* HLOP / Oja's subspace rule (eta 5e-5): k = 3 units, n = 6, lambda = (6, 4, 3, 1,
 * 0.5, 0.25): every principal angle between span(rows of W) and the top-3
 * eigenvectors (arccos of the singular values of Q3^T U, U an orthonormal
 * basis of the rows, GSL QR and SVD) is below 2 degrees, and W W^T = I
 * within 0.03. */
START_TEST(test_hlop_subspace) {
    enum { N = 6, K = 3 };
    const double lambda[N] = {6, 4, 3, 1, 0.5, 0.25};
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 12);
    gsl_matrix *q = random_orthogonal(r, N);
    double w[K * N];
    learn(N, K, lambda, q, 5e-5, 200000, r, w);
    /* W W^T = I */
    for (uint32_t a = 0; a < K; a++)
        for (uint32_t b = 0; b < K; b++) {
            double g = 0;
            for (uint32_t i = 0; i < N; i++) g += w[a * N + i] * w[b * N + i];
            ck_assert_msg(fabs(g - (a == b)) < 0.03, "(W W^T)[%u][%u] = %g", a, b, g);
        }
    /* U: orthonormal basis of the rows (QR of W^T, N x K) */
    gsl_matrix *wt = gsl_matrix_alloc(N, K), *u = gsl_matrix_alloc(N, N), *rr = gsl_matrix_alloc(N, K);
    gsl_vector *tau = gsl_vector_alloc(K);
    for (uint32_t i = 0; i < N; i++)
        for (uint32_t a = 0; a < K; a++) gsl_matrix_set(wt, i, a, w[a * N + i]);
    gsl_linalg_QR_decomp(wt, tau);
    gsl_linalg_QR_unpack(wt, tau, u, rr);
    /* M = Q3^T U1 (K x K); its singular values are the cosines */
    gsl_matrix_const_view q3 = gsl_matrix_const_submatrix(q, 0, 0, N, K);
    gsl_matrix_const_view u1 = gsl_matrix_const_submatrix(u, 0, 0, N, K);
    gsl_matrix *m = gsl_matrix_alloc(K, K), *v = gsl_matrix_alloc(K, K);
    gsl_vector *s = gsl_vector_alloc(K), *work = gsl_vector_alloc(K);
    gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, &q3.matrix, &u1.matrix, 0.0, m);
    gsl_linalg_SV_decomp(m, v, s, work);
    for (uint32_t a = 0; a < K; a++) {
        double angle = acos(fmin(1.0, gsl_vector_get(s, a))) * 180.0 / M_PI;
        fprintf(stderr, "hlop: principal angle %u = %.3f degrees\n", a, angle);
        ck_assert_msg(angle < 2.0, "principal angle %u: %g degrees", a, angle);
    }
    gsl_matrix_free(wt), gsl_matrix_free(u), gsl_matrix_free(rr), gsl_matrix_free(m), gsl_matrix_free(v);
    gsl_vector_free(tau), gsl_vector_free(s), gsl_vector_free(work);
    gsl_matrix_free(q);
    gsl_rng_free(r);
}
END_TEST

int main(void) {
    Suite *s = suite_create("subspace");
    TCase *t = tcase_create("subspace");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, test_oja_top_eigenvector);
    tcase_add_test(t, test_hlop_subspace);
    suite_add_tcase(s, t);
    return ck_run(s);
}
