/* instance_theta.c -- an instance's learnable parameters (instance.h):
 * a circuit's theta through its table, a body's morphology through
 * "animat.morphology/1" (morph.c). Kept apart from instance.c so that the
 * morphology code, which uses instance.c, is not used by it. */
#include "plugin/instance.h"

#include <stddef.h>

#include "plugin/morph.h"
#include "base/params.h"

static const animat_circuit_api *circuit_api(const instance *in) { return in->plugin->desc->api; }

const animat_param_info *instance_theta_info(instance *in, uint32_t *n) {
    *n = 0;
    if (in->kind != ANIMAT_KIND_CIRCUIT) return morph_info(in, n);
    const animat_param_info *info = circuit_api(in)->theta_info(in->self, n);
    /* an unreadable table (NULL, a stride that is no record's) has no entries */
    if (!info || (*n && (info[0].struct_size < offsetof(animat_param_info, doc) + sizeof(const char *) ||
                         info[0].struct_size > PARAMS_MAX_RECORD)))
        *n = 0;
    return *n ? info : NULL;
}

int instance_theta_check(instance *in, errmsg *e) {
    if (in->kind != ANIMAT_KIND_CIRCUIT) return morph_check(in, e);
    uint32_t n = 0;
    const animat_param_info *info = circuit_api(in)->theta_info(in->self, &n);
    if (!n) return 0;
    if (n > (1u << 24)) return errmsg_set(e, "%s (%s): theta_info reports %u entries", in->name, in->plugin->desc->name, n);
    if (!info || info[0].struct_size < offsetof(animat_param_info, doc) + sizeof(const char *) ||
        info[0].struct_size > PARAMS_MAX_RECORD)
        return errmsg_set(e, "%s (%s): theta_info returns %s", in->name, in->plugin->desc->name,
                          info ? "a table whose struct_size is no record's" : "NULL for a non-empty theta");
    for (uint32_t i = 0; i < n; i++)
        if (params_at(info, i)->reserved)
            return errmsg_set(e, "%s (%s): theta entry %u: animat_param_info.reserved is %u (must be 0)", in->name,
                              in->plugin->desc->name, i, params_at(info, i)->reserved);
    return 0;
}

int instance_get_theta(instance *in, double *theta, uint32_t n, errmsg *e) {
    if (in->kind != ANIMAT_KIND_CIRCUIT) return morph_get(in, theta, n, e);
    hostctx_begin(&in->host);
    if (n && circuit_api(in)->get_theta(in->self, theta, n) != ANIMAT_OK)
        return instance_fail(in, "get_theta failed", e);
    return 0;
}

int instance_set_theta(instance *in, const double *theta, uint32_t n, errmsg *e) {
    if (in->kind != ANIMAT_KIND_CIRCUIT) return morph_set(in, theta, n, e);
    hostctx_begin(&in->host);
    if (n && circuit_api(in)->set_theta(in->self, theta, n) != ANIMAT_OK)
        return instance_fail(in, "set_theta failed", e);
    return 0;
}
