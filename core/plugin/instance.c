/* instance.c -- see instance.h. */
#include "plugin/instance.h"

#include "plugin/callguard.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const animat_body_api *body_api(const instance *in) { return in->plugin->desc->api; }
static const animat_circuit_api *circuit_api(const instance *in) { return in->plugin->desc->api; }

int instance_check_ports(const animat_port_info *p, uint32_t n, char *why, size_t cap) {
    if (n == 0) return 0;
    if (!p) return snprintf(why, cap, "ports() returned NULL"), -1;
    if (n > INSTANCE_MAX_PORTS) return snprintf(why, cap, "ports() reported an absurd number of ports"), -1;
    if (p[0].struct_size < sizeof(animat_port_info) || p[0].struct_size > 4096)
        return snprintf(why, cap, "port table struct_size %u is not a port record's", p[0].struct_size), -1;
    for (uint32_t i = 0; i < n; i++) {
        const animat_port_info *pi = registry_port_at(p, i);
        if (pi->struct_size != p[0].struct_size)
            return snprintf(why, cap, "port %u has struct_size %u, port 0 %u", i, pi->struct_size, p[0].struct_size), -1;
        if (!pi->name) return snprintf(why, cap, "port %u has no name", i), -1;
        size_t len = strnlen(pi->name, 64);
        int ok = len > 0 && len < 64;
        for (size_t k = 0; ok && k < len; k++)
            ok = islower((unsigned char)pi->name[k]) || isdigit((unsigned char)pi->name[k]) || pi->name[k] == '_';
        if (!ok) return snprintf(why, cap, "port %u has a malformed name (want [a-z0-9_]+, under 64 characters)", i), -1;
        if (pi->reserved)
            return snprintf(why, cap, "port %u '%s': animat_port_info.reserved is %u (must be 0)", i, pi->name,
                            pi->reserved), -1;
        if (pi->size == 0 || pi->size > INSTANCE_MAX_PORT_SIZE)
            return snprintf(why, cap, "port %u '%s' has an impossible size %u (want 1 .. %u)", i, pi->name, pi->size,
                            INSTANCE_MAX_PORT_SIZE), -1;
        for (uint32_t j = 0; j < i; j++)
            if (!strcmp(registry_port_at(p, j)->name, pi->name))
                return snprintf(why, cap, "port name '%s' appears twice", pi->name), -1;
    }
    return 0;
}

/* [a-z0-9_.[]]+, under 64 characters: an element name. */
static int element_name_ok(const char *s) {
    size_t len = s ? strnlen(s, 64) : 0;
    if (len == 0 || len >= 64) return 0;
    for (size_t k = 0; k < len; k++)
        if (!(islower((unsigned char)s[k]) || isdigit((unsigned char)s[k]) || strchr("_.[]", s[k]))) return 0;
    return 1;
}

/* Element k's bound from a record: the per-element array, else the port's. */
static double lower_of(const animat_port_values *v, uint32_t k) { return v->lowers ? v->lowers[k] : v->lower; }
static double upper_of(const animat_port_values *v, uint32_t k) { return v->uppers ? v->uppers[k] : v->upper; }

int instance_check_values(const animat_port_values *v, uint32_t size, char *why, size_t cap) {
    if (v->struct_size < offsetof(animat_port_values, units) + sizeof v->units || v->struct_size > 4096)
        return snprintf(why, cap, "animat_port_values.struct_size %u is not a record's", v->struct_size), -1;
    if (v->reserved)
        return snprintf(why, cap, "animat_port_values.reserved is %u (must be 0)", v->reserved), -1;
    for (uint32_t k = 0; k < size; k++) {
        double lo = lower_of(v, k), hi = upper_of(v, k);
        if (isnan(lo) || isnan(hi)) return snprintf(why, cap, "element %u: a bound is NaN", k), -1;
        if (lo > hi) return snprintf(why, cap, "element %u: lower bound %g > upper bound %g", k, lo, hi), -1;
        if (v->names && !element_name_ok(v->names[k]))
            return snprintf(why, cap, "element %u has a missing or malformed name (want [a-z0-9_.[]]+)", k), -1;
        for (uint32_t j = 0; v->names && j < k && size <= 4096; j++)
            if (!strcmp(v->names[j], v->names[k]))
                return snprintf(why, cap, "element name '%s' appears twice", v->names[k]), -1;
        if (v->units && !v->units[k]) return snprintf(why, cap, "element %u has a NULL unit", k), -1;
    }
    return 0;
}

/* Read and check the "animat.ports/1" records of direction dir into the
 * host's copies (bounds) or leave the ports unbounded. */
static int list_values(instance *in, uint32_t dir, const animat_ports_ext *px, errmsg *e) {
    size_t total = 0;
    for (uint32_t i = 0; i < in->nports[dir]; i++) total += in->ports[dir][i].size;
    in->vals[dir] = calloc(in->nports[dir] + 1, sizeof(instance_values));
    in->bounds[dir] = malloc((2 * total + 1) * sizeof(double));
    if (!in->vals[dir] || !in->bounds[dir]) return errmsg_set(e, "out of memory");
    double *b = in->bounds[dir];
    for (uint32_t i = 0; i < in->nports[dir]; i++) {
        instance_values *iv = &in->vals[dir][i];
        uint32_t size = in->ports[dir][i].size;
        iv->lower = b, iv->upper = b + size;
        b += 2 * (size_t)size;
        const animat_port_values *v = px ? px->values(in->self, dir, i) : NULL;
        char why[160];
        if (v && instance_check_values(v, size, why, sizeof why))
            return errmsg_set(e, "%s (%s): port %s.%s: %s", in->name, in->plugin->desc->name,
                              dir == ANIMAT_PORT_IN ? "in" : "out", in->ports[dir][i].name, why);
        for (uint32_t k = 0; k < size; k++) {
            iv->lower[k] = v ? lower_of(v, k) : -INFINITY;
            iv->upper[k] = v ? upper_of(v, k) : INFINITY;
            iv->bounded |= isfinite(iv->lower[k]) || isfinite(iv->upper[k]);
        }
        iv->names = v ? v->names : NULL;
        iv->units = v ? v->units : NULL;
    }
    return 0;
}

/* The extension's table, if the instance offers a well-formed one. */
static int ports_ext(instance *in, const animat_ports_ext **out, errmsg *e) {
    const animat_ports_ext *px = instance_extension(in, ANIMAT_EXT_PORTS);
    *out = NULL;
    if (!px) return 0;
    if (px->struct_size < offsetof(animat_ports_ext, values) + sizeof px->values || !px->values)
        return errmsg_set(e, "%s (%s): extension %s lacks its values function", in->name, in->plugin->desc->name,
                          ANIMAT_EXT_PORTS);
    if (px->reserved)
        return errmsg_set(e, "%s (%s): animat_ports_ext.reserved is %u (must be 0)", in->name,
                          in->plugin->desc->name, px->reserved);
    *out = px;
    return 0;
}

int instance_port_bounds(const instance *in, uint32_t dir, uint32_t i, const double **lower, const double **upper) {
    if (dir > ANIMAT_PORT_OUT || i >= in->nports[dir] || !in->vals[dir]) return -1;
    *lower = in->vals[dir][i].lower;
    *upper = in->vals[dir][i].upper;
    return 0;
}

const char *instance_element_name(const instance *in, uint32_t dir, uint32_t i, uint32_t k, char *buf, size_t cap) {
    const instance_values *v = &in->vals[dir][i];
    if (v->names) snprintf(buf, cap, "%s", v->names[k]);
    else snprintf(buf, cap, "%s[%u]", in->ports[dir][i].name, k);
    return buf;
}

const char *instance_element_unit(const instance *in, uint32_t dir, uint32_t i, uint32_t k) {
    const instance_values *v = &in->vals[dir][i];
    if (v->units) return v->units[k];
    return in->ports[dir][i].unit ? in->ports[dir][i].unit : "";
}

uint64_t instance_clip_actions(instance *in) {
    uint64_t now = 0;
    for (uint32_t i = 0; i < in->nports[ANIMAT_PORT_IN]; i++) {
        const instance_values *v = &in->vals[ANIMAT_PORT_IN][i];
        if (!v->bounded) continue;
        double *a = in->bufs[ANIMAT_PORT_IN][i];
        uint64_t n = 0;
        for (uint32_t k = 0; k < in->ports[ANIMAT_PORT_IN][i].size; k++) {
            if (a[k] < v->lower[k]) a[k] = v->lower[k], n++;
            else if (a[k] > v->upper[k]) a[k] = v->upper[k], n++;
        }
        in->clipped[i] += n;
        now += n;
    }
    return now;
}

/* Ask for the ports in both directions, validate and copy them. */
static int list_ports(instance *in, errmsg *e) {
    for (uint32_t dir = 0; dir < 2; dir++) {
        uint32_t n = 0;
        const animat_port_info *p = in->kind == ANIMAT_KIND_BODY ? body_api(in)->ports(in->self, dir, &n)
                                                                 : circuit_api(in)->ports(in->self, dir, &n);
        char why[160];
        if (instance_check_ports(p, n, why, sizeof why))
            return errmsg_set(e, "%s (%s): %s", in->name, in->plugin->desc->name, why);
        in->nports[dir] = n;
        in->ports[dir] = calloc(n + 1, sizeof(animat_port_info));
        in->bufs[dir] = calloc(n + 1, sizeof(double *));
        if (!in->ports[dir] || !in->bufs[dir]) return errmsg_set(e, "out of memory");
        for (uint32_t i = 0; i < n; i++) {
            in->ports[dir][i] = *registry_port_at(p, i);
            in->ports[dir][i].struct_size = sizeof(animat_port_info);
        }
    }
    return 0;
}

int instance_create(instance *in, const registry_plugin *p, const char *name, uint32_t stream,
                    const params_set *params, uint64_t seed, hostctx_wired_fn wired, void *ctx, uint32_t idx,
                    errmsg *e) {
    memset(in, 0, sizeof *in);
    in->plugin = p;
    in->kind = p->desc->kind;
    in->name = name;
    if (hostctx_init(&in->host, stream, name, p->desc->name, params)) return errmsg_set(e, "out of memory");
    hostctx_identify(&in->host, p);
    in->host.wired = wired;
    in->host.wired_ctx = ctx;
    in->host.inst = idx;
    hostctx_reseed(&in->host, seed, HOSTCTX_EPISODE_CREATE);
    callguard_enter(name, p->desc->name, "create");
    in->self = in->kind == ANIMAT_KIND_BODY ? body_api(in)->create(&in->host.table)
                                            : circuit_api(in)->create(&in->host.table);
    callguard_leave();
    if (!in->self) {
        const char *why = hostctx_take_error(&in->host);
        int pre = snprintf(NULL, 0, "%s (%s): create failed: ", name, p->desc->name);
        errmsg_setc(e, ERRMSG_PLUGIN_CREATE, pre > 0 ? (unsigned)pre : 0, "%s (%s): create failed: %s", name,
                    p->desc->name, *why ? why : "(the plugin gave no reason)");
        instance_destroy(in);
        return -1;
    }
    const animat_ports_ext *px;
    if (list_ports(in, e) || ports_ext(in, &px, e) || list_values(in, ANIMAT_PORT_IN, px, e) ||
        list_values(in, ANIMAT_PORT_OUT, px, e)) {
        instance_destroy(in);
        return -1;
    }
    if (!(in->clipped = calloc(in->nports[ANIMAT_PORT_IN] + 1, sizeof *in->clipped))) {
        instance_destroy(in);
        return errmsg_set(e, "out of memory");
    }
    return 0;
}

void instance_destroy(instance *in) {
    if (in->self) {
        if (in->kind == ANIMAT_KIND_BODY)
            body_api(in)->destroy(in->self);
        else
            circuit_api(in)->destroy(in->self);
    }
    for (int d = 0; d < 2; d++) {
        free(in->ports[d]);
        free(in->bufs[d]);
        free(in->vals[d]);
        free(in->bounds[d]);
    }
    free(in->clipped);
    hostctx_fini(&in->host);
    memset(in, 0, sizeof *in);
}

int instance_port(const instance *in, uint32_t dir, const char *name) {
    for (uint32_t i = 0; i < in->nports[dir]; i++)
        if (strcmp(in->ports[dir][i].name, name) == 0) return (int)i;
    return -1;
}

int instance_fail(instance *in, const char *what, errmsg *e) {
    const char *why = hostctx_take_error(&in->host);
    return errmsg_set(e, "%s (%s): %s%s%s", in->name, in->plugin->desc->name, what, *why ? ": " : "",
                      *why ? why : " (the plugin gave no reason)");
}

const void *instance_extension(instance *in, const char *id) {
    if (in->kind == ANIMAT_KIND_CIRCUIT) {
        const animat_circuit_api *c = circuit_api(in);
        return REGISTRY_HAS(c, animat_circuit_api, extension) ? c->extension(in->self, id) : NULL;
    }
    const animat_body_api *b = body_api(in);
    return REGISTRY_HAS(b, animat_body_api, extension) ? b->extension(in->self, id) : NULL;
}
