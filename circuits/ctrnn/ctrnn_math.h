/* ctrnn_math.h -- the continuous-time recurrent neural network's maths
 * (pure, no host, no allocation):
 *
 *   tau_i dy_i/dt = -y_i + sum_j w_ij r_j + I_i,   r_j = f(y_j + b_j)
 *
 * with r_j overridden by the "animat.units/1" overrides (cu_apply) wherever
 * it is used. The right-hand side and Jacobian have GSL odeiv2's
 * signatures, so ctrnn_ode.c hands them to gsl_odeiv2_system directly.
 * Weights are row-major by postsynaptic neuron: w[i * n + j] is j -> i.
 */
#ifndef CTRNN_MATH_H
#define CTRNN_MATH_H

#include <stdint.h>

#include "cunits.h"

/* Activation functions (index of the plugin's "activation" choice). */
#define CTRNN_F_TANH 0u
#define CTRNN_F_SIGMOID 1u
#define CTRNN_F_LINEAR 2u

/* Everything the right-hand side reads; the caller owns every array. */
typedef struct ctrnn_model {
    uint32_t n;            /* neurons */
    uint32_t act;          /* CTRNN_F_* */
    const double *w;       /* n * n effective weights (Dale's mask applied) */
    const double *b;       /* n biases */
    const double *tau;     /* n effective time constants (> 0) */
    const double *input;   /* n external inputs I_i, held for the step */
    const cu_units *units; /* overrides of r, or NULL */
    double *r;             /* n scratch: the rates of the last evaluation */
} ctrnn_model;

/* f(x) and f'(x) for activation `act`. Pure. */
double ctrnn_f(uint32_t act, double x);
double ctrnn_df(uint32_t act, double x);

/* r_j = override(f(y_j + b_j)) into m->r. No allocation. */
void ctrnn_rates(const ctrnn_model *m, const double *y);

/* GSL odeiv2 right-hand side: dydt from y; `model` is a ctrnn_model
 * (its r is overwritten). Returns GSL_SUCCESS. No allocation. */
int ctrnn_rhs(double t, const double y[], double dydt[], void *model);

/* GSL odeiv2 Jacobian: dfdy (n x n row-major) and dfdt (zeros). A clamped
 * unit contributes no derivative. Returns GSL_SUCCESS. No allocation. */
int ctrnn_jac(double t, const double y[], double *dfdy, double dfdt[], void *model);

/* Dale's law: the sign of every weight from presynaptic j is fixed by
 * sign[j] (+1 excitatory: max(w, 0); -1 inhibitory: min(w, 0); 0 free).
 * Writes the n * n effective weights from the raw ones. Pure. */
void ctrnn_dale(uint32_t n, const int8_t *sign, const double *w_raw, double *w_eff);

#endif /* CTRNN_MATH_H */
