/* cmd_plugins.c -- see cmd_plugins.h. */
#include "cli/cmd_plugins.h"

#include <limits.h>
#include <math.h>
#include <string.h>

#include <stdlib.h>

#include "base/params.h"
#include "base/yamltree.h"
#include "plugin/hostctx.h"
#include "plugin/instance.h"
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
    registry_load_all(&r);
    char dirs[3 * PATH_MAX];
    registry_builtin_dirs(dirs, sizeof dirs);
    fprintf(out, "%-8s %-12s %-22s %-8s %s\n", "KIND", "NAME", "ID", "VERSION", "FILE");
    for (size_t i = 0; i < r.nplugins; i++) {
        const registry_plugin *p = r.plugins[i];
        char ver[64];
        fprintf(out, "%-8s %-12s %-22s %-8s %s%s\n", registry_kind_name(p->desc->kind), p->desc->name, p->id,
                errmsg_printable(p->desc->version, ver, sizeof ver), p->lib->path,
                p->ambiguous ? "  (another file offers this name or id: use the id or the file)" : "");
    }
    if (r.nplugins == 0) fprintf(out, "(no plugins found in %s or ANIMAT_PLUGIN_PATH)\n", dirs);
    for (size_t i = 0; i < r.nskipped; i++) fprintf(out, "skipped: %s\n", r.skipped[i]);
    registry_close(&r);
    return 0;
}

/* "[lo, hi]" with "-inf"/"inf" for unbounded sides. */
static void bounds_str(double lo, double hi, char *buf, size_t cap) { snprintf(buf, cap, "[%g, %g]", lo, hi); }

/* The values of port i ("animat.ports/1"): one "values" line when every
 * element shares its bounds and unit and none is named, else a line per
 * element (at most 16). Nothing for an undeclared, unbounded port. */
static void print_values(FILE *out, const instance *in, uint32_t dir, uint32_t i) {
    const instance_values *v = &in->vals[dir][i];
    uint32_t size = in->ports[dir][i].size, same = !v->names && !v->units;
    for (uint32_t k = 1; same && k < size; k++) same = v->lower[k] == v->lower[0] && v->upper[k] == v->upper[0];
    char b[64], name[80], unit[32];
    if (same) {
        if (!v->bounded) return;
        bounds_str(v->lower[0], v->upper[0], b, sizeof b);
        fprintf(out, "    values in %s%s\n", b, dir == ANIMAT_PORT_IN && in->kind == ANIMAT_KIND_BODY
                                                  ? " (the host clips actions into it)" : "");
        return;
    }
    for (uint32_t k = 0; k < size && k < 16; k++) {
        bounds_str(v->lower[k], v->upper[k], b, sizeof b);
        instance_element_name(in, dir, i, k, name, sizeof name);
        fprintf(out, "    [%u] %-16s %-20s %s\n", k, errmsg_printable(name, name, sizeof name), b,
                errmsg_printable(instance_element_unit(in, dir, i, k), unit, sizeof unit));
    }
    if (size > 16) fprintf(out, "    ... (%u more)\n", size - 16);
}

/* Print one port table of a live instance, with the values it declares. */
static void print_ports(FILE *out, const char *title, const instance *in, uint32_t dir) {
    fprintf(out, "%s:\n", title);
    for (uint32_t i = 0; i < in->nports[dir]; i++) {
        const animat_port_info *q = &in->ports[dir][i];
        char unit[32], doc[400];
        fprintf(out, "  %-12s size %-4u %-6s %s%s\n", q->name, q->size, errmsg_printable(q->unit ? q->unit : "", unit, sizeof unit),
                errmsg_printable(q->doc ? q->doc : "", doc, sizeof doc),
                (q->flags & ANIMAT_PORT_METRIC) ? " [metric: averaged per episode]" : "");
        print_values(out, in, dir, i);
    }
    if (!in->nports[dir]) fprintf(out, "  (none)\n");
}

/* A circuit's theta metadata (at most 40 lines). */
static void print_theta(FILE *out, instance *in) {
    uint32_t n;
    const animat_param_info *t = instance_theta_info(in, &n);
    fprintf(out, "learnable parameters (theta): %u\n", n);
    for (uint32_t i = 0; i < n && i < 40; i++) {
        const animat_param_info *q = params_at(t, i);
        char name[96], doc[400];
        fprintf(out, "  %-12s %-11s %s\n", errmsg_printable(q->name, name, sizeof name),
                (q->flags & ANIMAT_PARAM_EXCITATORY)   ? "excitatory"
                : (q->flags & ANIMAT_PARAM_INHIBITORY) ? "inhibitory"
                                                       : "",
                errmsg_printable(q->doc ? q->doc : "", doc, sizeof doc));
    }
    if (n > 40) fprintf(out, "  ... (%u more)\n", n - 40);
}

/* A circuit's unit names ("animat.units/1"), the targets of
 * interventions: eight a line, at most 400 names. Nothing without it. */
static void print_units(FILE *out, instance *in) {
    const animat_units_ext *u = instance_units(in);
    uint32_t n = 0;
    const char *const *names = u ? instance_unit_names(in, u, &n) : NULL;
    if (!names || !n) return;
    fprintf(out, "units (animat.units/1; interventions target circuit.unit.NAME): %u\n", n);
    for (uint32_t i = 0; i < n && i < 400; i++) {
        char name[64];
        fprintf(out, "%s%s", i % 8 ? " " : "  ", names[i] ? errmsg_printable(names[i], name, sizeof name) : "?");
        if (i % 8 == 7 || i + 1 == n || i + 1 == 400) fputc('\n', out);
    }
    if (n > 400) fprintf(out, "  ... (%u more)\n", n - 400);
}

/* Create an instance at the given parameters (defaults, or --set values
 * in `given`) to show its ports and theta, through the same instance code
 * and port validation as a run. */
static void print_instance(FILE *out, const registry_plugin *p, const yamltree *given, const char *at) {
    const animat_plugin_desc *d = p->desc;
    if (d->kind == ANIMAT_KIND_LEARNER) return;
    params_set ps;
    errmsg e;
    errmsg_clear(&e);
    if (params_resolve(d->params, d->n_params, given, "params", d->name, &ps, &e)) {
        fprintf(out, "\nports: %s\n", e.msg);
        return;
    }
    const char *role = d->kind == ANIMAT_KIND_BODY ? "body" : "circuit";
    instance in;
    if (instance_create(&in, p, role, hostctx_stream_key(role, d->kind), &ps, 0, NULL, NULL, 0, &e)) {
        const char *why = e.code == ERRMSG_PLUGIN_CREATE ? e.msg + e.detail : e.msg;
        fprintf(out, "\nports: depend on the experiment (%s)\n", why);
        params_free(&ps);
        return;
    }
    const char *inw = d->kind == ANIMAT_KIND_BODY ? "actions (body.act.NAME)" : "inputs (circuit.in.NAME)";
    const char *outw = d->kind == ANIMAT_KIND_BODY ? "observations (body.obs.NAME)" : "outputs (circuit.out.NAME)";
    if (d->kind == ANIMAT_KIND_BODY)
        fprintf(out, "\nports at %s (control step %g s):\n", at,
                instance_control_dt(&in));
    else
        fprintf(out, "\nports at %s:\n", at);
    print_ports(out, inw, &in, ANIMAT_PORT_IN);
    print_ports(out, outw, &in, ANIMAT_PORT_OUT);
    if (d->kind == ANIMAT_KIND_CIRCUIT) print_theta(out, &in);
    if (d->kind == ANIMAT_KIND_CIRCUIT) print_units(out, &in);
    instance_destroy(&in);
    params_free(&ps);
}

/* Describe one plugin: header, parameters, ports (at `given` parameters,
 * a mapping, or the defaults when NULL). */
static int info(const char *name, const yamltree *given, FILE *out) {
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
    char ver[64], sum[400];
    fprintf(out, "%s %s (%s plugin)\n  %s\n  id: %s\n  file: %s\n", d->name,
            errmsg_printable(d->version, ver, sizeof ver), registry_kind_name(d->kind),
            errmsg_printable(d->summary, sum, sizeof sum), p->id, p->lib->path);
    fprintf(out, "\nparameters (%s.params):\n", registry_kind_name(d->kind));
    for (uint32_t i = 0; i < d->n_params; i++) {
        const animat_param_info *q = params_at(d->params, i);
        char rng[128], def[128];
        range_str(q, rng, sizeof rng);
        default_str(q, def, sizeof def);
        char doc[400], unit[32];
        fprintf(out, "  %-16s %-6s default %-8s %-20s %s%s%s\n", q->name, type_word(q->type), def, rng,
                errmsg_printable(q->doc, doc, sizeof doc), q->unit[0] ? " Unit: " : "",
                errmsg_printable(q->unit, unit, sizeof unit));
    }
    if (!d->n_params) fprintf(out, "  (none)\n");
    print_instance(out, p, given, given ? "the given parameters" : "default parameters");
    registry_close(&r);
    return 0;
}

/* `--set KEY=VALUE` pairs as one YAML mapping text "{KEY: VALUE, ...}";
 * KEY may be spelt NAME, params.NAME or ROLE.params.NAME. NULL (after a
 * message) on bad usage. Caller frees. */
static char *sets_text(int argc, char **argv) {
    size_t cap = 16;
    for (int i = 0; i < argc; i++) cap += strlen(argv[i]) + 4;
    char *t = calloc(cap, 1);
    if (!t) return NULL;
    strcpy(t, "{");
    for (int i = 0; i < argc; i += 2) {
        const char *eq = i + 1 < argc && !strcmp(argv[i], "--set") ? strchr(argv[i + 1], '=') : NULL;
        if (!eq || eq == argv[i + 1]) {
            fprintf(stderr, "usage: animat plugins info NAME [--set [ROLE.params.]KEY=VALUE]...\n");
            free(t);
            return NULL;
        }
        const char *key = argv[i + 1], *dot = strstr(key, "params.");
        if (dot && dot < eq) key = dot + 7;
        size_t len = strlen(t);
        snprintf(t + len, cap - len, "%s%.*s: %s", i ? ", " : "", (int)(eq - key), key, eq + 1);
    }
    strcat(t, "}");
    return t;
}

/* `animat plugins info NAME [--set KEY=VALUE]...`. */
static int info_with_sets(const char *name, int argc, char **argv, FILE *out) {
    char *text = sets_text(argc, argv);
    if (!text) return 2;
    errmsg e;
    errmsg_clear(&e);
    yamltree *given = yamltree_parse("--set", text, strlen(text), &e);
    free(text);
    if (!given) {
        fprintf(stderr, "error: %s\n", e.msg);
        return 2;
    }
    int rc = info(name, given, out);
    yamltree_free(given);
    return rc;
}

int cmd_plugins_main(int argc, char **argv, FILE *out) {
    if (argc == 0) return list(out);
    if (!strcmp(argv[0], "info") && argc == 2) return info(argv[1], NULL, out);
    if (!strcmp(argv[0], "info") && argc > 2) return info_with_sets(argv[1], argc - 2, argv + 2, out);
    fprintf(stderr, "usage: animat plugins [info NAME|FILE.so [--set KEY=VALUE]...]\n");
    return 2;
}
