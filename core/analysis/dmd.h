/* dmd.h -- exact dynamic mode decomposition (Tu et al., J. Comput. Dyn.
 * 2014) of a series: with snapshot matrices X = [x_0 .. x_{T-2}] and
 * Y = [x_1 .. x_{T-1}] (m x (T-1)), the SVD X = U S V^T truncated to rank r,
 * the reduced operator A~ = U^T Y V S^-1 (r x r), its eigenvalues lambda and
 * eigenvectors w (gsl_eigen_nonsymmv), and the exact modes
 * phi = Y V S^-1 w / lambda. Each discrete eigenvalue becomes a continuous
 * one, log(lambda) / dt: frequency Im / 2 pi (Hz) and growth rate Re (1/s;
 * < 0 decays). Amplitudes b solve (U w) b = U U^T x_0 in the reduced space.
 * Pure maths; no I/O.
 */
#ifndef AN_DMD_H
#define AN_DMD_H

#include <stdint.h>

#include "base/errmsg.h"

typedef struct an_dmd_mode {
    double re, im;     /* discrete eigenvalue lambda */
    double freq;       /* Im(log lambda) / (2 pi dt), Hz (negative for the conjugate of a pair) */
    double growth;     /* Re(log lambda) / dt, 1/s */
    double amplitude;  /* |b|: the mode's weight in x_0 */
    double mean_amplitude; /* |b| sqrt(mean over the window of |lambda|^2t): its weight over the window */
    double norm;       /* |phi| of the exact mode */
} an_dmd_mode;

typedef struct an_dmd {
    uint32_t r;          /* rank used */
    uint32_t n_sv;       /* singular values stored: min(m, T-1) */
    double *sv;          /* n_sv singular values of X, descending; owned */
    an_dmd_mode *modes;  /* r modes, by mean_amplitude descending; owned */
    uint64_t N;          /* snapshots (T - 1) */
} an_dmd;

/* DMD of x (T samples x m variables, sample-major; T >= 3) with sample
 * interval dt. rank 0: every singular value above 1e-10 of the largest;
 * else at most `rank`. 0, or -1 with e set (out of memory, GSL failure,
 * all-zero data). */
int an_dmd_run(const double *x, uint64_t T, uint32_t m, double dt, uint32_t rank, an_dmd *d, errmsg *e);

/* The mode with the largest mean amplitude among those with frequency
 * above fmin Hz (in magnitude), or NULL. A decaying transient thus ranks
 * below a sustained oscillation of the same initial size. */
const an_dmd_mode *an_dmd_dominant(const an_dmd *d, double fmin);

void an_dmd_free(an_dmd *d);

#endif
