/* cstate_ode.h -- cstate (cstate.h) for circuits integrated with a GSL
 * odeiv2 driver: which steppers can be saved, and the driver's part of the
 * state.
 *
 * An explicit Runge-Kutta stepper (rk2, rk4, rkf45, rkck, rk8pd) keeps
 * nothing between two driver applies; the driver keeps its adaptive step
 * size and step count, and its evolve object the derivative at the end of
 * the last step (reused as the next step's first derivative once any step
 * was taken) with its counters -- together the driver's state. The implicit
 * and multistep steppers (rk1imp, rk2imp, rk4imp, bsimp, msadams, msbdf)
 * keep history inside GSL's private stepper state, which cannot be saved:
 * a circuit using one offers no "animat.state/1". Header-only; no
 * allocation; the instance's thread.
 */
#ifndef CSTATE_ODE_H
#define CSTATE_ODE_H

#include <gsl/gsl_odeiv2.h>

#include "cstate.h"

/* 1 when driver d's stepper is one whose state cstate can save. */
static inline int cs_ode_saveable(const gsl_odeiv2_driver *d) {
    const gsl_odeiv2_step_type *t = d && d->s ? d->s->type : NULL;
    return t && (t == gsl_odeiv2_step_rk2 || t == gsl_odeiv2_step_rk4 || t == gsl_odeiv2_step_rkf45 ||
                 t == gsl_odeiv2_step_rkck || t == gsl_odeiv2_step_rk8pd);
}

/* Append the driver's state (see above) to r[*k]. */
static inline void cs_add_ode(cs_region *r, uint32_t *k, gsl_odeiv2_driver *d) {
    cs_add(r, k, &d->h, sizeof d->h);
    cs_add(r, k, &d->n, sizeof d->n);
    cs_add(r, k, d->e->dydt_out, d->e->dimension * sizeof(double));
    cs_add(r, k, &d->e->last_step, sizeof d->e->last_step);
    cs_add(r, k, &d->e->count, sizeof d->e->count);
    cs_add(r, k, &d->e->failed_steps, sizeof d->e->failed_steps);
}

#endif /* CSTATE_ODE_H */
