/* graph_solver.c -- see graph_solver.h. */
#include "graph_solver.h"

#include <string.h>

#include "cstate_ode.h"
#include "odebudget.h"

const gsl_odeiv2_step_type *graph_solver_type(const char *name) {
    static const struct {
        const char *name;
        const gsl_odeiv2_step_type *const *type;
    } table[] = {
        {"rkf45", &gsl_odeiv2_step_rkf45},   {"rkck", &gsl_odeiv2_step_rkck},     {"rk8pd", &gsl_odeiv2_step_rk8pd},
        {"rk2imp", &gsl_odeiv2_step_rk2imp}, {"rk4imp", &gsl_odeiv2_step_rk4imp}, {"bsimp", &gsl_odeiv2_step_bsimp},
        {"msadams", &gsl_odeiv2_step_msadams}, {"msbdf", &gsl_odeiv2_step_msbdf},
    };
    for (size_t k = 0; name && k < sizeof table / sizeof table[0]; k++)
        if (strcmp(name, table[k].name) == 0) return *table[k].type;
    return NULL;
}

int graph_solver_init(graph_solver *s, graph_rate *model, const char *name, double h0, double epsabs,
                      double epsrel) {
    const gsl_odeiv2_step_type *type = graph_solver_type(name);
    if (!type) return -1;
    const graph_def *g = model->g;
    double n = g->n;
    s->sys = (gsl_odeiv2_system){graph_rate_rhs, graph_rate_jac, g->n, model};
    s->h0 = h0;
    s->epsabs = epsabs;
    s->epsrel = epsrel;
    s->name = type->name;
    int implicit = strstr(type->name, "imp") || !strcmp(type->name, "bsimp") || !strcmp(type->name, "msbdf");
    s->nmax = cu_ode_budget(implicit ? n * n * n : n + g->n_chem + g->n_gap);
    s->driver = gsl_odeiv2_driver_alloc_y_new(&s->sys, type, h0, epsabs, epsrel);
    if (!s->driver) return -2;
    gsl_odeiv2_driver_set_nmax(s->driver, s->nmax);
    return 0;
}

void graph_solver_free(graph_solver *s) {
    if (s->driver) gsl_odeiv2_driver_free(s->driver);
    s->driver = NULL;
}

void graph_solver_reset(graph_solver *s) { gsl_odeiv2_driver_reset_hstart(s->driver, s->h0); }

int graph_solver_advance(graph_solver *s, double *v, double dt) {
    double t = 0.0;
    return gsl_odeiv2_driver_apply(s->driver, &t, dt, v);
}

int graph_solver_saveable(const graph_solver *s) { return cs_ode_saveable(s->driver); }
