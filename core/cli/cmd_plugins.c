/* cmd_plugins.c -- see cmd_plugins.h. */
#include "cli/cmd_plugins.h"

#include <limits.h>
#include <math.h>
#include <string.h>

#include "plugin/hostctx.h"
#include "base/params.h"
#include "plugin/registry.h"

/* "[min, max]" for a parameter, or "" where a range means nothing. */
static void range_str(const animat_param_info *p, char *buf, size_t cap) {
    if (p->type == ANIMAT_PARAM_REAL || p->type == ANIMAT_PARAM_INT || p->type == ANIMAT_PARAM_REAL_LIST)
        snprintf(buf, cap, "[%g, %g]", p->min, p->max);
    else if (p->type == ANIMAT_PARAM_CHOICE)
        snprintf(buf, cap, "%s", p->choices);
    else if (p->type == ANIMAT_PARAM_PATH)
        snprintf(buf, cap, "file, relative to the experiment");
    else
        snprintf(buf, cap, "true|false");
}

/* The default value as the experiment file would write it. */
static void default_str(const animat_param_info *p, char *buf, size_t cap) {
    switch (p->type) {
    case ANIMAT_PARAM_BOOL: snprintf(buf, cap, "%s", p->def != 0 ? "true" : "false"); break;
    case ANIMAT_PARAM_CHOICE: params_choice_at(p->choices, (uint32_t)p->def, buf, cap); break;
    case ANIMAT_PARAM_REAL_LIST: snprintf(buf, cap, "[%s]", p->def_list ? p->def_list : ""); break;
    case ANIMAT_PARAM_PATH: snprintf(buf, cap, "(none)"); break;
    default: snprintf(buf, cap, "%g", p->def);
    }
}

static const char *type_word(uint32_t t) {
    switch (t) {
    case ANIMAT_PARAM_REAL: return "real";
    case ANIMAT_PARAM_INT: return "int";
    case ANIMAT_PARAM_BOOL: return "bool";
    case ANIMAT_PARAM_CHOICE: return "choice";
    case ANIMAT_PARAM_PATH: return "path";
    default: return "list";
    }
}

/* List every plugin found, then files that failed to load. */
static int list(FILE *out) {
    registry r;
    registry_init(&r);
    registry_scan(&r);
    char dirs[3 * PATH_MAX];
    registry_builtin_dirs(dirs, sizeof dirs);
    fprintf(out, "%-8s %-12s %-8s %s\n", "KIND", "NAME", "VERSION", "FILE");
    for (size_t i = 0; i < r.nplugins; i++) {
        const registry_plugin *p = r.plugins[i];
        fprintf(out, "%-8s %-12s %-8s %s%s\n", registry_kind_name(p->desc->kind), p->desc->name, p->desc->version,
                p->lib->path, p->shadowed ? "  (shadowed by an earlier one)" : "");
    }
    if (r.nplugins == 0) fprintf(out, "(no plugins found in %s or ANIMAT_PLUGIN_PATH)\n", dirs);
    for (size_t i = 0; i < r.nskipped; i++) fprintf(out, "skipped: %s\n", r.skipped[i]);
    registry_close(&r);
    return 0;
}

/* Print one port table of a live instance. */
static void print_ports(FILE *out, const char *title, const animat_port_info *p, uint32_t n) {
    fprintf(out, "%s:\n", title);
    for (uint32_t i = 0; i < n; i++) {
        const animat_port_info *q = registry_port_at(p, i);
        fprintf(out, "  %-12s size %-4u %-6s %s%s\n", q->name, q->size, q->unit ? q->unit : "", q->doc ? q->doc : "",
                (q->flags & ANIMAT_PORT_METRIC) ? " [metric: averaged per episode]" : "");
    }
    if (!n) fprintf(out, "  (none)\n");
}

/* Create an instance at default parameters to show its ports and theta. */
static void print_instance(FILE *out, const animat_plugin_desc *d) {
    params_set ps;
    errmsg e;
    errmsg_clear(&e);
    if (params_resolve(d->params, d->n_params, NULL, "params", d->name, &ps, &e)) return;
    hostctx ah;
    if (hostctx_init(&ah, d->kind == ANIMAT_KIND_BODY ? HOSTCTX_ROLE_BODY : HOSTCTX_ROLE_CIRCUIT,
                   d->kind == ANIMAT_KIND_BODY ? "body" : "circuit", d->name, &ps)) {
        params_free(&ps);
        return;
    }
    ah.quiet = 1;
    hostctx_reseed(&ah, 0, HOSTCTX_EPISODE_CREATE);
    const char *in = d->kind == ANIMAT_KIND_BODY ? "actions (body.act.NAME)" : "inputs (circuit.in.NAME)";
    const char *outw = d->kind == ANIMAT_KIND_BODY ? "observations (body.obs.NAME)" : "outputs (circuit.out.NAME)";
    void *self = NULL;
    if (d->kind == ANIMAT_KIND_BODY) {
        const animat_body_api *a = d->api;
        if ((self = a->create(&ah.table))) {
            uint32_t n;
            const animat_port_info *p = a->ports(self, ANIMAT_PORT_IN, &n);
            fprintf(out, "\nports at default parameters (control step %g s):\n", a->control_dt(self));
            print_ports(out, in, p, n);
            p = a->ports(self, ANIMAT_PORT_OUT, &n);
            print_ports(out, outw, p, n);
            a->destroy(self);
        }
    } else if (d->kind == ANIMAT_KIND_CIRCUIT) {
        const animat_circuit_api *a = d->api;
        if ((self = a->create(&ah.table))) {
            uint32_t n;
            fprintf(out, "\nports at default parameters:\n");
            const animat_port_info *p = a->ports(self, ANIMAT_PORT_IN, &n);
            print_ports(out, in, p, n);
            p = a->ports(self, ANIMAT_PORT_OUT, &n);
            print_ports(out, outw, p, n);
            const animat_param_info *t = a->theta_info(self, &n);
            fprintf(out, "learnable parameters (theta): %u\n", n);
            for (uint32_t i = 0; i < n && i < 40; i++) {
                const animat_param_info *q = params_at(t, i);
                fprintf(out, "  %-12s %-11s %s\n", q->name,
                        (q->flags & ANIMAT_PARAM_EXCITATORY) ? "excitatory" : (q->flags & ANIMAT_PARAM_INHIBITORY) ? "inhibitory" : "",
                        q->doc ? q->doc : "");
            }
            if (n > 40) fprintf(out, "  ... (%u more)\n", n - 40);
            a->destroy(self);
        }
    }
    if (!self && d->kind != ANIMAT_KIND_LEARNER)
        fprintf(out, "\nports: depend on the experiment (%s)\n", ah.error[0] ? ah.error : "create failed at defaults");
    hostctx_fini(&ah);
    params_free(&ps);
}

/* Describe one plugin: header, parameters, ports. */
static int info(const char *name, FILE *out) {
    registry r;
    registry_init(&r);
    errmsg e;
    errmsg_clear(&e);
    const registry_plugin *p = registry_resolve(&r, name, NULL, 0, &e);
    if (!p) {
        fprintf(stderr, "error: %s\n", e.msg);
        registry_close(&r);
        return 1;
    }
    const animat_plugin_desc *d = p->desc;
    fprintf(out, "%s %s (%s plugin)\n  %s\n  file: %s\n", d->name, d->version, registry_kind_name(d->kind), d->summary,
            p->lib->path);
    fprintf(out, "\nparameters (%s.params):\n", registry_kind_name(d->kind));
    for (uint32_t i = 0; i < d->n_params; i++) {
        const animat_param_info *q = params_at(d->params, i);
        char rng[128], def[128];
        range_str(q, rng, sizeof rng);
        default_str(q, def, sizeof def);
        fprintf(out, "  %-16s %-6s default %-8s %-20s %s%s%s\n", q->name, type_word(q->type), def, rng, q->doc,
                q->unit[0] ? " Unit: " : "", q->unit);
    }
    if (!d->n_params) fprintf(out, "  (none)\n");
    print_instance(out, d);
    registry_close(&r);
    return 0;
}

int cmd_plugins_main(int argc, char **argv, FILE *out) {
    if (argc == 0) return list(out);
    if (!strcmp(argv[0], "info") && argc == 2) return info(argv[1], out);
    fprintf(stderr, "usage: animat plugins [info NAME|FILE.so]\n");
    return 2;
}
