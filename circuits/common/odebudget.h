/* odebudget.h -- a step budget for the GSL odeiv2 driver of a circuit,
 * shared by the circuits that integrate with it (ctrnn, cpg, graph).
 *
 * An adaptive driver asked for a stiff system (a time constant of 1e-6 s
 * under an explicit stepper) at a tight tolerance (epsabs 1e-15) takes
 * millions of steps per control step: a run that never seems to end. With
 * the budget set (gsl_odeiv2_driver_set_nmax), driver_apply returns
 * GSL_EMAXITER instead, and the circuit reports it as one error naming
 * its stepper and tolerances. The budget is a step count, so whether it is
 * hit does not depend on the machine: CU_ODE_WORK divided by the cost of
 * one step (about n^2 for a dense network), clamped to
 * [CU_ODE_MIN_STEPS, CU_ODE_MAX_STEPS] -- at most a few seconds of work
 * per control step. Header only: each plugin compiles its own copy.
 */
#ifndef ODEBUDGET_H
#define ODEBUDGET_H

#include <animat/animat.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>

#define CU_ODE_MIN_STEPS 100.0
#define CU_ODE_MAX_STEPS 100000.0
#define CU_ODE_WORK 2e8

/* The step budget for a right-hand side costing about `rhs_cost` flops. */
static inline unsigned long cu_ode_budget(double rhs_cost) {
    double n = rhs_cost > 1 ? CU_ODE_WORK / rhs_cost : CU_ODE_MAX_STEPS;
    return (unsigned long)(n < CU_ODE_MIN_STEPS ? CU_ODE_MIN_STEPS : n > CU_ODE_MAX_STEPS ? CU_ODE_MAX_STEPS : n);
}

/* Report a failed driver_apply through h->error: the step budget, with the
 * stepper and tolerances that exhausted it, or GSL's own reason. Returns
 * ANIMAT_ERROR. Phase: step. */
static inline int32_t cu_ode_fail(const animat_host *h, int status, unsigned long nmax, double dt, const char *stepper,
                                  double epsabs, double epsrel) {
    if (status == GSL_EMAXITER)
        h->error(h,
                 "GSL odeiv2 needed more than %lu steps for one control step of %g s (stepper %s, epsabs %g, "
                 "epsrel %g): too stiff for these tolerances; loosen epsabs/epsrel, raise the time constants or "
                 "use an implicit stepper",
                 nmax, dt, stepper, epsabs, epsrel);
    else
        h->error(h, "GSL odeiv2 failed: %s (stepper %s, epsabs %g, epsrel %g)", gsl_strerror(status), stepper, epsabs,
                 epsrel);
    return ANIMAT_ERROR;
}

#endif /* ODEBUDGET_H */
