/* morph.c -- see morph.h. */
#include "plugin/morph.h"

#include "base/params.h"

#include <math.h>
#include <stddef.h>

const animat_morphology_ext *morph_ext(instance *in) {
    if (in->kind != ANIMAT_KIND_BODY) return NULL;
    const animat_morphology_ext *m = instance_extension(in, ANIMAT_EXT_MORPHOLOGY);
    if (!m || m->struct_size < sizeof *m || !m->info || !m->get || !m->set) return NULL;
    return m;
}

/* The raw table, with its stride checked; NULL and *n = 0 otherwise. */
static const animat_param_info *raw_info(instance *in, uint32_t *n) {
    *n = 0;
    const animat_morphology_ext *m = morph_ext(in);
    if (!m) return NULL;
    hostctx_begin(&in->host);
    const animat_param_info *info = m->info(in->self, n);
    if (!info || *n > (1u << 24) || (*n && (info[0].struct_size < offsetof(animat_param_info, doc) + sizeof(char *) ||
                                            info[0].struct_size > PARAMS_MAX_RECORD)))
        *n = 0;
    return *n ? info : NULL;
}

/* Why record p cannot be a design parameter, or NULL. */
static const char *bad_record(const animat_param_info *p) {
    if (p->reserved) return "reserved is not 0";
    if (p->type != ANIMAT_PARAM_REAL) return "type is not ANIMAT_PARAM_REAL";
    if (p->flags) return "flags are not 0";
    if (!p->name || !*p->name) return "it has no name";
    if (!isfinite(p->min) || !isfinite(p->max) || !(p->min < p->max)) return "its bounds are not finite with min < max";
    if (!(p->def >= p->min && p->def <= p->max)) return "its default is outside its bounds";
    return NULL;
}

int morph_check(instance *in, errmsg *e) {
    if (in->kind != ANIMAT_KIND_BODY || !instance_extension(in, ANIMAT_EXT_MORPHOLOGY)) return 0;
    if (!morph_ext(in))
        return errmsg_set(e, "%s (%s): animat.morphology/1 table is incomplete (struct_size or a function missing)",
                          in->name, in->plugin->desc->name);
    uint32_t n = 0;
    const animat_param_info *info = raw_info(in, &n);
    for (uint32_t i = 0; i < n; i++) {
        const char *why = bad_record(params_at(info, i));
        if (why)
            return errmsg_set(e, "%s (%s): design parameter %u: %s", in->name, in->plugin->desc->name, i, why);
    }
    return 0;
}

const animat_param_info *morph_info(instance *in, uint32_t *n) {
    const animat_param_info *info = raw_info(in, n);
    for (uint32_t i = 0; i < *n; i++)
        if (bad_record(params_at(info, i))) return *n = 0, NULL;
    return info;
}

int morph_get(instance *in, double *values, uint32_t n, errmsg *e) {
    const animat_morphology_ext *m = morph_ext(in);
    hostctx_begin(&in->host);
    if (n && (!m || m->get(in->self, values, n) != ANIMAT_OK)) return instance_fail(in, "morphology get failed", e);
    return 0;
}

int morph_set(instance *in, const double *values, uint32_t n, errmsg *e) {
    const animat_morphology_ext *m = morph_ext(in);
    hostctx_begin(&in->host);
    if (n && (!m || m->set(in->self, values, n) != ANIMAT_OK)) return instance_fail(in, "morphology set failed", e);
    return 0;
}
