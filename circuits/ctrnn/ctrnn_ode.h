/* ctrnn_ode.h -- GSL odeiv2 integration of a ctrnn_model: stepper by name,
 * absolute/relative tolerances, one driver per instance (allocated at
 * create, reset per episode, applied per step without allocating).
 */
#ifndef CTRNN_ODE_H
#define CTRNN_ODE_H

#include <gsl/gsl_odeiv2.h>

#include "ctrnn_math.h"

/* Stepper names accepted by ctrnn_stepper, "|"-separated (the plugin's
 * "stepper" choice): explicit rkf45 (default), rkck, rk8pd, rk2, rk4,
 * implicit rk2imp, rk4imp, bsimp, multistep msadams, msbdf. (GSL's first-
 * order implicit Euler, rk1imp, is left out: its global error at a given
 * tolerance is orders of magnitude above the others'.) */
#define CTRNN_STEPPERS "rkf45|rkck|rk8pd|rk2|rk4|rk2imp|rk4imp|bsimp|msadams|msbdf"

/* The GSL stepper type named `name`, or NULL. Pure. */
const gsl_odeiv2_step_type *ctrnn_stepper(const char *name);

typedef struct ctrnn_ode {
    gsl_odeiv2_system sys;     /* rhs, jac, n, &model */
    gsl_odeiv2_driver *driver; /* GSL-owned; NULL until ctrnn_ode_init */
    double h0;                 /* initial step, s */
    double epsabs, epsrel;     /* tolerances, for messages */
    const char *stepper;       /* GSL's name of the stepper (static) */
    unsigned long nmax;        /* step budget per control step (odebudget.h) */
} ctrnn_ode;

/* Allocate the driver for `model` (kept by pointer; it must outlive the
 * ode), with a step budget per control step of cu_ode_budget(n^2), or
 * of cu_ode_budget(n^3) for an implicit stepper.
 * 0, or -1 when GSL cannot allocate. Phase: create. */
int ctrnn_ode_init(ctrnn_ode *o, ctrnn_model *model, const gsl_odeiv2_step_type *type,
                   double h0, double epsabs, double epsrel);

/* Free the driver (NULL-safe). Phase: destroy. */
void ctrnn_ode_free(ctrnn_ode *o);

/* Forget the step-size history (new episode). No allocation. */
void ctrnn_ode_reset(ctrnn_ode *o);

/* Integrate y over [0, dt] (the model's inputs held). GSL's status
 * (GSL_SUCCESS = 0 on success; GSL_EMAXITER past the step budget). No
 * allocation. */
int ctrnn_ode_advance(ctrnn_ode *o, double *y, double dt);

#endif /* CTRNN_ODE_H */
