/* graph_solver.h -- the GSL odeiv2 integration of the graph circuit's rate
 * model (graph_dyn.h), stepper chosen by name per circuit (`solver`).
 * One driver per instance: allocated at create, reset per episode,
 * applied per control step.
 *
 * The plugin offers GRAPH_SOLVERS: explicit rkf45 (default), rkck and
 * rk8pd, and the multistep Adams msadams; none allocates in step.
 * graph_solver_type also knows GSL's implicit rk2imp, rk4imp, bsimp and
 * msbdf, run with the analytic Jacobian graph_rate_jac; they are for
 * bench/bench_graph_solver only: GSL allocates inside them on every LU
 * decomposition (plugin-check's "alloc" fails), and on the shipped
 * celegans network they are 85-540x slower than rkf45 at the same
 * tolerance (circuits/README.md, "graph: solvers").
 *
 * State: an explicit stepper keeps nothing between two applies but the
 * driver's step size and counters (cstate_ode.h), so a circuit with one
 * offers "animat.state/1"; msadams (and the implicit ones) keep history in
 * GSL's private stepper state and graph_solver_saveable says 0.
 */
#ifndef GRAPH_SOLVER_H
#define GRAPH_SOLVER_H

#include <gsl/gsl_odeiv2.h>

#include "graph_dyn.h"

/* The plugin's `solver` choice, "|"-separated; the first is the default. */
#define GRAPH_SOLVERS "rkf45|rkck|rk8pd|msadams"

typedef struct graph_solver {
    gsl_odeiv2_system sys;     /* graph_rate_rhs, graph_rate_jac, n, the model */
    gsl_odeiv2_driver *driver; /* GSL-owned; NULL until graph_solver_init */
    double h0;                 /* initial step, s */
    double epsabs, epsrel;     /* tolerances, for messages */
    const char *name;          /* GSL's name of the stepper (static) */
    unsigned long nmax;        /* step budget per control step (odebudget.h) */
} graph_solver;

/* The GSL stepper named `name` (GRAPH_SOLVERS, or rk2imp, rk4imp, bsimp,
 * msbdf), or NULL. Pure. */
const gsl_odeiv2_step_type *graph_solver_type(const char *name);

/* Allocate the driver of stepper `name` for `model` (kept by pointer; it
 * must outlive the solver) with initial step h0 and tolerances epsabs >
 * 0, epsrel >= 0, and a step budget per control step: cu_ode_budget of
 * one right-hand side (n + synapses) for an explicit stepper, of n^3 (the
 * Jacobian's LU) for an implicit one. 0; -1 for an unknown name; -2 when
 * GSL cannot allocate. Phase: create. */
int graph_solver_init(graph_solver *s, graph_rate *model, const char *name, double h0, double epsabs,
                      double epsrel);

/* Free the driver (NULL-safe). Phase: destroy. */
void graph_solver_free(graph_solver *s);

/* New episode: forget the step size and history. No allocation. */
void graph_solver_reset(graph_solver *s);

/* Integrate v over [0, dt] with the model's inputs held. GSL's status
 * (GSL_SUCCESS = 0; GSL_EMAXITER past the step budget). No allocation. */
int graph_solver_advance(graph_solver *s, double *v, double dt);

/* 1 when the stepper's state can be saved (explicit), else 0. Pure. */
int graph_solver_saveable(const graph_solver *s);

#endif /* GRAPH_SOLVER_H */
