/* instcall.c -- the calls of the step loop into bodies and circuits, and
 * the checks of what they wrote (see instance.h): call guard, per-call
 * error message, finite outputs. None allocates. */
#include "plugin/callguard.h"
#include "plugin/instance.h"

#include <math.h>
#include <string.h>

static const animat_body_api *body_api(const instance *in) { return in->plugin->desc->api; }
static const animat_circuit_api *circuit_api(const instance *in) { return in->plugin->desc->api; }

/* This thread is about to run `what` of in: guard on, old message gone. */
static inline void enter(instance *in, const char *what) {
    callguard_enter(in->name, in->plugin->desc->name, what);
    hostctx_begin(&in->host);
}

int instance_fail_at(instance *in, const char *what, uint64_t episode, uint64_t step, errmsg *e) {
    const char *why = hostctx_take_error(&in->host);
    return errmsg_set(e, "%s (%s): %s in episode %llu at step %llu%s%s", in->name, in->plugin->desc->name, what,
                      (unsigned long long)episode + 1, (unsigned long long)step, *why ? ": " : "", why);
}

int instance_reset(instance *in, uint64_t seed, uint64_t episode, errmsg *e) {
    enter(in, "reset");
    int32_t rc = in->kind == ANIMAT_KIND_BODY ? body_api(in)->reset(in->self, seed, in->bufs[ANIMAT_PORT_OUT])
                                              : circuit_api(in)->reset(in->self, seed);
    callguard_leave();
    return rc == ANIMAT_OK ? 0 : instance_fail_at(in, "reset failed", episode, 0, e);
}

int instance_step_circuit(instance *in, uint32_t substeps, double dt, uint64_t episode, uint64_t step, errmsg *e) {
    const animat_circuit_api *c = circuit_api(in);
    enter(in, "step");
    for (uint32_t j = 0; j < substeps; j++)
        if (c->step(in->self, (const double *const *)in->bufs[ANIMAT_PORT_IN], in->bufs[ANIMAT_PORT_OUT], dt) !=
            ANIMAT_OK) {
            callguard_leave();
            return instance_fail_at(in, "step failed", episode, step, e);
        }
    callguard_leave();
    return 0;
}

int instance_step_body(instance *in, animat_step_result *out, uint64_t episode, uint64_t step, errmsg *e) {
    memset(out, 0, sizeof *out);
    out->struct_size = sizeof *out;
    enter(in, "step");
    int32_t rc = body_api(in)->step(in->self, (const double *const *)in->bufs[ANIMAT_PORT_IN],
                                    in->bufs[ANIMAT_PORT_OUT], out);
    callguard_leave();
    return rc == ANIMAT_OK ? 0 : instance_fail_at(in, "step failed", episode, step, e);
}

double instance_control_dt(instance *in) {
    callguard_enter(in->name, in->plugin->desc->name, "control_dt");
    double dt = body_api(in)->control_dt(in->self);
    callguard_leave();
    return dt;
}

/* Name of a non-finite value for messages. */
static const char *nonfinite_name(double v) { return isnan(v) ? "NaN" : v > 0 ? "+inf" : "-inf"; }

int instance_check_outputs(const instance *in, uint64_t episode, uint64_t step, errmsg *e) {
    double *const *b = in->bufs[ANIMAT_PORT_OUT];
    for (uint32_t p = 0; p < in->nports[ANIMAT_PORT_OUT]; p++) {
        const animat_port_info *pi = &in->ports[ANIMAT_PORT_OUT][p];
        for (uint32_t i = 0; i < pi->size; i++)
            if (!isfinite(b[p][i]))
                return errmsg_set(e, "%s (%s): %s '%s'[%u] is %s in episode %llu at step %llu", in->name,
                                  in->plugin->desc->name, in->kind == ANIMAT_KIND_BODY ? "observation" : "output",
                                  pi->name, i, nonfinite_name(b[p][i]), (unsigned long long)episode + 1,
                                  (unsigned long long)step);
    }
    return 0;
}

int instance_check_result(const instance *in, const animat_step_result *out, uint64_t episode, uint64_t step,
                          errmsg *e) {
    if (out->reserved)
        return errmsg_set(e, "%s (%s): animat_step_result.reserved is %u in episode %llu at step %llu (must be 0)",
                          in->name, in->plugin->desc->name, out->reserved, (unsigned long long)episode + 1,
                          (unsigned long long)step);
    if (!isfinite(out->reward))
        return errmsg_set(e, "%s (%s): reward is %s in episode %llu at step %llu", in->name, in->plugin->desc->name,
                          nonfinite_name(out->reward), (unsigned long long)episode + 1, (unsigned long long)step);
    return 0;
}

const animat_plasticity_ext *instance_plasticity(instance *in) {
    const animat_plasticity_ext *p = instance_extension(in, ANIMAT_EXT_PLASTICITY);
    return p && p->struct_size >= sizeof(animat_plasticity_ext) && p->eligibility ? p : NULL;
}

int instance_eligibility(instance *in, const animat_plasticity_ext *p, double *elig, uint32_t n, uint64_t episode,
                         uint64_t step, errmsg *e) {
    enter(in, "plasticity");
    int32_t rc = p->eligibility(in->self, elig, n);
    callguard_leave();
    return rc == ANIMAT_OK ? 0 : instance_fail_at(in, "eligibility failed", episode, step, e);
}

int instance_set_theta_at(instance *in, const double *theta, uint32_t n, uint64_t episode, uint64_t step,
                          errmsg *e) {
    enter(in, "plasticity");
    int32_t rc = circuit_api(in)->set_theta(in->self, theta, n);
    callguard_leave();
    return rc == ANIMAT_OK ? 0 : instance_fail_at(in, "set_theta failed", episode, step, e);
}

void instance_stand_in(instance *in, instance_standin *st, int32_t (*reset)(void *self, uint64_t seed),
                       int32_t (*step)(void *self, const double *const *in, double *const *out, double dt)) {
    const animat_circuit_api *api = circuit_api(in);
    memset(&st->api, 0, sizeof st->api);
    memcpy(&st->api, api, api->struct_size < sizeof st->api ? api->struct_size : sizeof st->api);
    st->api.reset = reset;
    st->api.step = step;
    st->orig = in->plugin;
    st->desc = *in->plugin->desc;
    st->desc.api = &st->api;
    st->plugin = *in->plugin;
    st->plugin.desc = &st->desc;
    in->plugin = &st->plugin;
}

void instance_stand_down(instance *in, instance_standin *st) {
    if (st->orig && in->plugin == &st->plugin) in->plugin = st->orig;
    st->orig = NULL;
}
