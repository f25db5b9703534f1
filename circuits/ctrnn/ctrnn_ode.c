/* ctrnn_ode.c -- see ctrnn_ode.h. */
#include "ctrnn_ode.h"

#include <string.h>

#include "odebudget.h"

const gsl_odeiv2_step_type *ctrnn_stepper(const char *name) {
    static const struct {
        const char *name;
        const gsl_odeiv2_step_type *const *type;
    } table[] = {
        {"rkf45", &gsl_odeiv2_step_rkf45},   {"rkck", &gsl_odeiv2_step_rkck},
        {"rk8pd", &gsl_odeiv2_step_rk8pd},   {"rk2", &gsl_odeiv2_step_rk2},
        {"rk4", &gsl_odeiv2_step_rk4},
        {"rk2imp", &gsl_odeiv2_step_rk2imp}, {"rk4imp", &gsl_odeiv2_step_rk4imp},
        {"bsimp", &gsl_odeiv2_step_bsimp},   {"msadams", &gsl_odeiv2_step_msadams},
        {"msbdf", &gsl_odeiv2_step_msbdf},
    };
    for (size_t k = 0; name && k < sizeof table / sizeof table[0]; k++)
        if (strcmp(name, table[k].name) == 0) return *table[k].type;
    return NULL;
}

int ctrnn_ode_init(ctrnn_ode *o, ctrnn_model *model, const gsl_odeiv2_step_type *type,
                   double h0, double epsabs, double epsrel) {
    o->sys = (gsl_odeiv2_system){ctrnn_rhs, ctrnn_jac, model->n, model};
    o->h0 = h0;
    o->epsabs = epsabs;
    o->epsrel = epsrel;
    o->stepper = type->name;
    /* a step costs n^2 (the dense rhs), or n^3 when implicit (the Jacobian's LU) */
    int implicit = strstr(type->name, "imp") || !strcmp(type->name, "bsimp") || !strcmp(type->name, "msbdf");
    double n = model->n;
    o->nmax = cu_ode_budget(n * n * (implicit ? n : 1.0));
    o->driver = gsl_odeiv2_driver_alloc_y_new(&o->sys, type, h0, epsabs, epsrel);
    if (o->driver) gsl_odeiv2_driver_set_nmax(o->driver, o->nmax);
    return o->driver ? 0 : -1;
}

void ctrnn_ode_free(ctrnn_ode *o) {
    if (o->driver) gsl_odeiv2_driver_free(o->driver);
    o->driver = NULL;
}

void ctrnn_ode_reset(ctrnn_ode *o) {
    gsl_odeiv2_driver_reset_hstart(o->driver, o->h0);
}

int ctrnn_ode_advance(ctrnn_ode *o, double *y, double dt) {
    double t = 0.0;
    return gsl_odeiv2_driver_apply(o->driver, &t, dt, y);
}
