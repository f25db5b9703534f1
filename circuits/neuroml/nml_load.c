/* nml_load.c -- read a NeuroML2 network file with libxml2 into an nml_net.
 *
 * Safety: the file is parsed from memory with XML_PARSE_NONET and without
 * XML_PARSE_NOENT / XML_PARSE_DTDLOAD / XML_PARSE_XINCLUDE; a DOCTYPE (the
 * only way to declare entities) is refused, XInclude is never processed
 * (an xi:include element is an unknown element) and a NeuroML <include> is
 * refused except c302's cell_B.xml, whose iafActivityCell is built in.
 * Every element is either understood or refused in one line naming it, its
 * id and its line. Create phase only; allocates with malloc/realloc.
 */
#include "nml_net.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NML_FILE_MAX (256u << 20)
/* Most cell types, synapse types and pulse generators (each looked up by a
 * linear search). */
#define NML_MAX_TYPES 4096u

typedef struct nml_ctx {
    const char *path;
    nml_net *net;
    char *err;
    size_t cap;
    uint32_t n_pops, cap_pops, cap_cells, cap_chem, cap_gap, cap_graded, cap_inputs;
    struct nml_pop { char id[NML_ID_LEN]; uint32_t first, size; } *pops;
    struct nml_pop **sorted;    /* the populations sorted by id (rebuilt when stale) */
    uint32_t n_sorted;
} nml_ctx;

static int nml_fail(nml_ctx *x, const xmlNode *e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Write "PATH:LINE: <elem id="ID">: message" into x->err. Returns -1. */
static int nml_fail(nml_ctx *x, const xmlNode *e, const char *fmt, ...) {
    char msg[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    xmlChar *id = e ? xmlGetProp(e, (const xmlChar *)"id") : NULL;
    snprintf(x->err, x->cap, "%s:%ld: <%s%s%s%s>: %s", x->path, e ? xmlGetLineNo(e) : 0L,
             e ? (const char *)e->name : "?", id ? " id=\"" : "", id ? (const char *)id : "", id ? "\"" : "", msg);
    xmlFree(id);
    return -1;
}

static int is(const xmlNode *e, const char *name) { return strcmp((const char *)e->name, name) == 0; }

/* Attribute `name` of e as a string into buf; 0, or -1 (missing, too long). */
static int nml_attr(nml_ctx *x, const xmlNode *e, const char *name, int required, char *buf, size_t cap) {
    xmlChar *v = xmlGetProp(e, (const xmlChar *)name);
    buf[0] = '\0';
    if (!v) return required ? nml_fail(x, e, "attribute %s is missing", name) : 0;
    int long_ = strlen((const char *)v) >= cap;
    if (!long_) snprintf(buf, cap, "%s", (const char *)v);
    xmlFree(v);
    return long_ ? nml_fail(x, e, "attribute %s is longer than %zu characters", name, cap - 1) : 0;
}

/* Attribute `name` as a quantity of dimension dim; `def` when optional and
 * absent (required = 0). */
static int nml_q(nml_ctx *x, const xmlNode *e, const char *name, const char *dim, int required, double def,
                 double *out) {
    char buf[128];
    if (nml_attr(x, e, name, required, buf, sizeof buf)) return -1;
    if (!buf[0] && !required) {
        *out = def;
        return 0;
    }
    if (nml_quantity(buf, dim, out))
        return nml_fail(x, e, "attribute %s: '%s' is not a %s (a number and a NeuroML2 unit, e.g. %s)", name, buf,
                        dim, !strcmp(dim, "voltage") ? "-50mV" : !strcmp(dim, "time") ? "5ms"
                             : !strcmp(dim, "capacitance") ? "3pF" : !strcmp(dim, "conductance") ? "0.1nS"
                             : !strcmp(dim, "current") ? "1pA" : !strcmp(dim, "per_time") ? "0.025per_ms" : "1.0");
    return 0;
}

/* Grow *p (elements of size sz) so that index n fits. 0 or -1. */
static int nml_grow(nml_ctx *x, const xmlNode *e, void **p, uint32_t *cap, uint32_t n, size_t sz, uint32_t max) {
    if (n >= max) return nml_fail(x, e, "more than %u of these in one file", max);
    if (n < *cap) return 0;
    uint32_t nc = *cap ? *cap * 2u : 16u;
    if (nc > max) nc = max;
    void *q = realloc(*p, (size_t)nc * sz);
    if (!q) return nml_fail(x, e, "out of memory");
    *p = q;
    *cap = nc;
    return 0;
}

#define GROW(x, e, arr, capv, n, max) nml_grow((x), (e), (void **)&(arr), &(capv), (n), sizeof *(arr), (max))

static int nml_id(nml_ctx *x, const xmlNode *e, char *id) { return nml_attr(x, e, "id", 1, id, NML_ID_LEN); }

/* ---- lookups ---- */

static int find_cell_type(const nml_net *n, const char *id) {
    for (uint32_t i = 0; i < n->n_cell_types; i++)
        if (!strcmp(n->cell_types[i].id, id)) return (int)i;
    return -1;
}

static int find_syn(const nml_net *n, const char *id) {
    for (uint32_t i = 0; i < n->n_syn_types; i++)
        if (!strcmp(n->syn_types[i].id, id)) return (int)i;
    return -1;
}

static int find_pulse(const nml_net *n, const char *id) {
    for (uint32_t i = 0; i < n->n_pulses; i++)
        if (!strcmp(n->pulses[i].id, id)) return (int)i;
    return -1;
}

/* ---- component definitions ---- */

static int nml_cell(nml_ctx *x, const xmlNode *e, int kind) {
    nml_net *n = x->net;
    uint32_t cap = n->n_cell_types;
    if (GROW(x, e, n->cell_types, cap, n->n_cell_types, NML_MAX_TYPES)) return -1;
    nml_cell_type *c = &n->cell_types[n->n_cell_types];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->line = (int)xmlGetLineNo(e);
    if (nml_id(x, e, c->id)) return -1;
    if (find_cell_type(n, c->id) >= 0) return nml_fail(x, e, "a cell type with this id already exists");
    int rc = 0;
    if (kind == NML_IZH) {
        rc = nml_q(x, e, "C", "capacitance", 1, 0, &c->C) || nml_q(x, e, "v0", "voltage", 1, 0, &c->v0) ||
             nml_q(x, e, "k", "conductance_per_voltage", 1, 0, &c->k) || nml_q(x, e, "vr", "voltage", 1, 0, &c->vr) ||
             nml_q(x, e, "vt", "voltage", 1, 0, &c->vt) || nml_q(x, e, "vpeak", "voltage", 1, 0, &c->thresh) ||
             nml_q(x, e, "a", "per_time", 1, 0, &c->a) || nml_q(x, e, "b", "conductance", 1, 0, &c->b) ||
             nml_q(x, e, "c", "voltage", 1, 0, &c->reset) || nml_q(x, e, "d", "current", 1, 0, &c->d);
    } else {
        rc = nml_q(x, e, "C", "capacitance", 1, 0, &c->C) ||
             nml_q(x, e, "leakConductance", "conductance", 1, 0, &c->g_leak) ||
             nml_q(x, e, "leakReversal", "voltage", 1, 0, &c->e_leak) ||
             nml_q(x, e, "thresh", "voltage", 1, 0, &c->thresh) || nml_q(x, e, "reset", "voltage", 1, 0, &c->reset) ||
             (kind == NML_IAFREF && nml_q(x, e, "refract", "time", 1, 0, &c->refract)) ||
             (kind == NML_IAFACT && nml_q(x, e, "tau1", "time", 1, 0, &c->tau1));
    }
    if (rc) return -1;
    if (!(c->C > 0)) return nml_fail(x, e, "C must be > 0");
    if (c->g_leak < 0 || c->refract < 0 || (kind == NML_IAFACT && !(c->tau1 > 0)))
        return nml_fail(x, e, "leakConductance, refract must be >= 0 and tau1 > 0");
    n->n_cell_types++;
    return 0;
}

static int nml_syn(nml_ctx *x, const xmlNode *e, int kind) {
    nml_net *n = x->net;
    uint32_t cap = n->n_syn_types;
    if (GROW(x, e, n->syn_types, cap, n->n_syn_types, NML_MAX_TYPES)) return -1;
    nml_syn_type *s = &n->syn_types[n->n_syn_types];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->line = (int)xmlGetLineNo(e);
    s->factor = 1.0;
    if (nml_id(x, e, s->id)) return -1;
    if (find_syn(n, s->id) >= 0) return nml_fail(x, e, "a synapse with this id already exists");
    int rc = 0;
    if (kind == NML_EXPONE || kind == NML_EXPTWO)
        rc = nml_q(x, e, "gbase", "conductance", 1, 0, &s->g) || nml_q(x, e, "erev", "voltage", 1, 0, &s->erev) ||
             nml_q(x, e, "tauDecay", "time", 1, 0, &s->tau_decay) ||
             (kind == NML_EXPTWO && nml_q(x, e, "tauRise", "time", 1, 0, &s->tau_rise));
    else if (kind == NML_GAP)
        rc = nml_q(x, e, "conductance", "conductance", 1, 0, &s->g);
    else if (kind == NML_GRADED)
        rc = nml_q(x, e, "conductance", "conductance", 1, 0, &s->g) ||
             nml_q(x, e, "delta", "voltage", 1, 0, &s->delta) || nml_q(x, e, "Vth", "voltage", 1, 0, &s->vth) ||
             nml_q(x, e, "k", "per_time", 1, 0, &s->k) || nml_q(x, e, "erev", "voltage", 1, 0, &s->erev);
    if (rc) return -1;
    if (s->g < 0) return nml_fail(x, e, "a conductance must be >= 0");
    if ((kind == NML_EXPONE || kind == NML_EXPTWO) && !(s->tau_decay > 0))
        return nml_fail(x, e, "tauDecay must be > 0");
    if (kind == NML_EXPTWO) {
        if (!(s->tau_rise > 0) || s->tau_rise == s->tau_decay)
            return nml_fail(x, e, "tauRise must be > 0 and differ from tauDecay");
        double tr = s->tau_rise, td = s->tau_decay;
        double tp = log(td / tr) * tr * td / (td - tr);
        s->factor = 1.0 / (-exp(-tp / tr) + exp(-tp / td));
    }
    if (kind == NML_GRADED && (!(s->delta > 0) || !(s->k > 0))) return nml_fail(x, e, "delta and k must be > 0");
    n->n_syn_types++;
    return 0;
}

static int nml_pulse_gen(nml_ctx *x, const xmlNode *e) {
    nml_net *n = x->net;
    uint32_t cap = n->n_pulses;
    if (GROW(x, e, n->pulses, cap, n->n_pulses, NML_MAX_TYPES)) return -1;
    nml_pulse *p = &n->pulses[n->n_pulses];
    memset(p, 0, sizeof *p);
    p->line = (int)xmlGetLineNo(e);
    if (nml_id(x, e, p->id) || nml_q(x, e, "delay", "time", 1, 0, &p->delay) ||
        nml_q(x, e, "duration", "time", 1, 0, &p->duration) || nml_q(x, e, "amplitude", "current", 1, 0, &p->amplitude))
        return -1;
    if (p->delay < 0 || p->duration < 0) return nml_fail(x, e, "delay and duration must be >= 0");
    n->n_pulses++;
    return 0;
}

static int nml_pop_cmp(const void *a, const void *b) {
    return strcmp((*(struct nml_pop *const *)a)->id, (*(struct nml_pop *const *)b)->id);
}

/* Sort the population index (after populations were added); -1 with the
 * error when two populations share an id. */
static int nml_pop_index(nml_ctx *x, const xmlNode *e) {
    if (x->n_sorted == x->n_pops) return 0;
    struct nml_pop **s = realloc(x->sorted, (size_t)(x->n_pops + 1u) * sizeof *s);
    if (!s) return nml_fail(x, e, "out of memory");
    x->sorted = s;
    for (uint32_t i = 0; i < x->n_pops; i++) s[i] = &x->pops[i];
    qsort(s, x->n_pops, sizeof *s, nml_pop_cmp);
    x->n_sorted = x->n_pops;
    for (uint32_t i = 1; i < x->n_pops; i++)
        if (!strcmp(s[i]->id, s[i - 1]->id)) return nml_fail(x, e, "two populations have the id '%s'", s[i]->id);
    return 0;
}

/* Population with id[0..len) by binary search; -1 when none. */
static int find_pop(const nml_ctx *x, const char *id, size_t len) {
    uint32_t lo = 0, hi = x->n_sorted;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2u;
        const char *m = x->sorted[mid]->id;
        int c = strncmp(m, id, len);
        if (c == 0) c = m[len] ? 1 : 0;
        if (c == 0) return (int)(x->sorted[mid] - x->pops);
        if (c < 0) lo = mid + 1u;
        else hi = mid;
    }
    return -1;
}

/* A cell reference: "../POP/I/COMP", "../POP/I", "POP[I]", or a bare "I"
 * in population `dflt` (may be NULL). Its flat index into *cell, or -1
 * with the error naming attribute `what`. */
static int nml_cellref(nml_ctx *x, const xmlNode *e, const char *what, const char *dflt, uint32_t *cell) {
    char ref[256];
    if (nml_attr(x, e, what, 1, ref, sizeof ref)) return -1;
    const char *p = ref, *pop = dflt, *idx;
    size_t plen = dflt ? strlen(dflt) : 0;
    if (!strncmp(p, "../", 3)) {
        pop = p + 3;
        const char *sl = strchr(pop, '/');
        if (!sl) return nml_fail(x, e, "%s '%s' is not ../POPULATION/INDEX[/COMPONENT]", what, ref);
        plen = (size_t)(sl - pop);
        idx = sl + 1;
    } else if (strchr(p, '[')) {
        pop = p;
        plen = (size_t)(strchr(p, '[') - p);
        idx = strchr(p, '[') + 1;
    } else {
        idx = p;
    }
    char *end = NULL;
    long i = strtol(idx, &end, 10);
    if (!pop || end == idx || (*end && *end != '/' && *end != ']'))
        return nml_fail(x, e, "%s '%s' is not ../POPULATION/INDEX[/COMPONENT] or POPULATION[INDEX]", what, ref);
    if (nml_pop_index(x, e)) return -1;
    if (dflt && (strlen(dflt) != plen || strncmp(dflt, pop, plen)))
        return nml_fail(x, e, "%s '%s' is not in population '%s' (the enclosing element's)", what, ref, dflt);
    int pi = find_pop(x, pop, plen);
    if (pi < 0) return nml_fail(x, e, "%s '%s': no population '%.*s' in this network", what, ref, (int)plen, pop);
    if (i < 0 || (uint32_t)i >= x->pops[pi].size)
        return nml_fail(x, e, "%s '%s': population '%s' has no cell %ld (size %u)", what, ref, x->pops[pi].id, i,
                        x->pops[pi].size);
    *cell = x->pops[pi].first + (uint32_t)i;
    return 0;
}

/* Documentation-only elements: no effect on the dynamics. */
static int nml_doc_elem(const xmlNode *e) {
    return is(e, "notes") || is(e, "annotation") || is(e, "property");
}

/* ---- network elements ---- */

static int nml_population(nml_ctx *x, const xmlNode *e) {
    nml_net *n = x->net;
    char id[NML_ID_LEN], comp[NML_ID_LEN], size[64], type[64];
    if (nml_id(x, e, id) || nml_attr(x, e, "component", 1, comp, sizeof comp) ||
        nml_attr(x, e, "size", 0, size, sizeof size) || nml_attr(x, e, "type", 0, type, sizeof type))
        return -1;
    long count = 0;
    for (const xmlNode *c = e->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || nml_doc_elem(c)) continue;
        if (!is(c, "instance") || strcmp(type, "populationList"))
            return nml_fail(x, c, "not supported inside <population id=\"%s\"> (instance in a populationList)", id);
        char iid[32];
        if (nml_attr(x, c, "id", 1, iid, sizeof iid)) return -1;
        char *end = NULL;
        long v = strtol(iid, &end, 10);
        if (end == iid || *end || v != count)
            return nml_fail(x, c, "instance ids must be 0, 1, 2, ... in order (cells are referred to by position)");
        count++;
    }
    if (size[0]) {
        char *end = NULL;
        long s = strtol(size, &end, 10);
        if (end == size || *end) return nml_fail(x, e, "size '%s' is not an integer", size);
        if (s < 0) return nml_fail(x, e, "size %ld is negative", s);
        if (s > (long)NML_MAX_CELLS)
            return nml_fail(x, e, "size %ld is more than the %u cells allowed", s, NML_MAX_CELLS);
        if (strcmp(type, "populationList") || count == 0) count = s;
        else if (count != s) return nml_fail(x, e, "size %ld but %ld <instance> elements", s, count);
    } else if (strcmp(type, "populationList")) {
        return nml_fail(x, e, "attribute size is missing");
    }
    if (type[0] && strcmp(type, "populationList") && strcmp(type, "population"))
        return nml_fail(x, e, "type '%s' is not supported (population or populationList)", type);
    int ct = find_cell_type(n, comp);
    if (ct < 0) return nml_fail(x, e, "component '%s' is not a cell defined before it in this file", comp);
    if ((uint64_t)n->n + (uint64_t)count > NML_MAX_CELLS)
        return nml_fail(x, e, "the network would have more than the %u cells allowed", NML_MAX_CELLS);
    uint32_t capp = x->cap_pops;
    if (GROW(x, e, x->pops, capp, x->n_pops, NML_MAX_CELLS)) return -1;
    x->cap_pops = capp;
    x->pops[x->n_pops] = (struct nml_pop){.first = n->n, .size = (uint32_t)count};
    snprintf(x->pops[x->n_pops].id, NML_ID_LEN, "%s", id);
    x->n_pops++;
    for (long i = 0; i < count; i++) {
        uint32_t capc = x->cap_cells, capn = x->cap_cells;
        if (GROW(x, e, n->type, capc, n->n, NML_MAX_CELLS) || GROW(x, e, n->names, capn, n->n, NML_MAX_CELLS))
            return -1;
        x->cap_cells = capc < capn ? capc : capn;
        n->type[n->n] = (uint32_t)ct;
        if (count == 1) snprintf(n->names[n->n], NML_ID_LEN, "%s", id);
        else snprintf(n->names[n->n], NML_ID_LEN, "%.40s[%ld]", id, i);
        n->n++;
    }
    return 0;
}

/* Append a connection to one of the three lists. */
static int nml_add_conn(nml_ctx *x, const xmlNode *e, nml_conn **arr, uint32_t *len, uint32_t *capv, nml_conn c) {
    if (GROW(x, e, *arr, *capv, *len, NML_MAX_CONNS)) return -1;
    (*arr)[(*len)++] = c;
    return 0;
}

static int nml_weight(nml_ctx *x, const xmlNode *e, double *w) { return nml_q(x, e, "weight", "none", 0, 1.0, w); }

static int nml_projection(nml_ctx *x, const xmlNode *e) {
    nml_net *n = x->net;
    char pre[NML_ID_LEN], post[NML_ID_LEN], syn[NML_ID_LEN], pid[NML_ID_LEN];
    if (nml_id(x, e, pid) || nml_attr(x, e, "presynapticPopulation", 1, pre, sizeof pre) ||
        nml_attr(x, e, "postsynapticPopulation", 1, post, sizeof post) || nml_attr(x, e, "synapse", 1, syn, sizeof syn))
        return -1;
    int s = find_syn(n, syn);
    if (s < 0) return nml_fail(x, e, "synapse '%s' is not defined before it in this file", syn);
    if (n->syn_types[s].kind != NML_EXPONE && n->syn_types[s].kind != NML_EXPTWO)
        return nml_fail(x, e, "synapse '%s' is not an expOneSynapse or expTwoSynapse", syn);
    for (const xmlNode *c = e->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || is(c, "notes") || is(c, "property") || is(c, "annotation")) continue;
        if (!is(c, "connection") && !is(c, "connectionWD"))
            return nml_fail(x, c, "not supported inside <projection id=\"%s\"> (connection, connectionWD)", pid);
        nml_conn k = {.syn = (uint32_t)s, .weight = 1.0};
        if (nml_cellref(x, c, "preCellId", pre, &k.pre) || nml_cellref(x, c, "postCellId", post, &k.post)) return -1;
        if (is(c, "connectionWD") &&
            (nml_weight(x, c, &k.weight) || nml_q(x, c, "delay", "time", 1, 0, &k.delay)))
            return -1;
        if (k.delay < 0) return nml_fail(x, c, "delay must be >= 0");
        if (nml_add_conn(x, c, &n->chem, &n->n_chem, &x->cap_chem, k)) return -1;
    }
    return 0;
}

static int nml_elec_projection(nml_ctx *x, const xmlNode *e) {
    nml_net *n = x->net;
    char pre[NML_ID_LEN], post[NML_ID_LEN], pid[NML_ID_LEN], syn[NML_ID_LEN];
    if (nml_id(x, e, pid) || nml_attr(x, e, "presynapticPopulation", 1, pre, sizeof pre) ||
        nml_attr(x, e, "postsynapticPopulation", 1, post, sizeof post))
        return -1;
    for (const xmlNode *c = e->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || is(c, "notes") || is(c, "property") || is(c, "annotation")) continue;
        int w = is(c, "electricalConnectionInstanceW");
        if (!w && !is(c, "electricalConnection") && !is(c, "electricalConnectionInstance"))
            return nml_fail(x, c, "not supported inside <electricalProjection id=\"%s\">", pid);
        nml_conn k = {.weight = 1.0};
        if (nml_attr(x, c, "synapse", 1, syn, sizeof syn)) return -1;
        int s = find_syn(n, syn);
        if (s < 0 || n->syn_types[s].kind != NML_GAP)
            return nml_fail(x, c, "synapse '%s' is not a gapJunction defined before it", syn);
        k.syn = (uint32_t)s;
        if (nml_cellref(x, c, "preCell", pre, &k.pre) || nml_cellref(x, c, "postCell", post, &k.post) ||
            (w && nml_weight(x, c, &k.weight)))
            return -1;
        if (nml_add_conn(x, c, &n->gap, &n->n_gap, &x->cap_gap, k)) return -1;
    }
    return 0;
}

static int nml_cont_projection(nml_ctx *x, const xmlNode *e) {
    nml_net *n = x->net;
    char pre[NML_ID_LEN], post[NML_ID_LEN], pid[NML_ID_LEN], cs[2][NML_ID_LEN];
    if (nml_id(x, e, pid) || nml_attr(x, e, "presynapticPopulation", 1, pre, sizeof pre) ||
        nml_attr(x, e, "postsynapticPopulation", 1, post, sizeof post))
        return -1;
    for (const xmlNode *c = e->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || is(c, "notes") || is(c, "property") || is(c, "annotation")) continue;
        int w = is(c, "continuousConnectionInstanceW");
        if (!w && !is(c, "continuousConnection") && !is(c, "continuousConnectionInstance"))
            return nml_fail(x, c, "not supported inside <continuousProjection id=\"%s\">", pid);
        nml_conn k = {.weight = 1.0};
        int si[2];
        if (nml_attr(x, c, "preComponent", 1, cs[0], NML_ID_LEN) ||
            nml_attr(x, c, "postComponent", 1, cs[1], NML_ID_LEN))
            return -1;
        for (int side = 0; side < 2; side++) {
            si[side] = find_syn(n, cs[side]);
            int kind = si[side] < 0 ? -1 : n->syn_types[si[side]].kind;
            if (kind != NML_GRADED && kind != NML_SILENT)
                return nml_fail(x, c, "%s '%s' is not a gradedSynapse or silentSynapse defined before it",
                                side ? "postComponent" : "preComponent", cs[side]);
        }
        if (n->syn_types[si[0]].kind != NML_SILENT)
            return nml_fail(x, c, "preComponent '%s': only a silentSynapse is supported on the presynaptic side",
                            cs[0]);
        k.pre_syn = (uint32_t)si[0];
        k.syn = (uint32_t)si[1];
        if (nml_cellref(x, c, "preCell", pre, &k.pre) || nml_cellref(x, c, "postCell", post, &k.post) ||
            (w && nml_weight(x, c, &k.weight)))
            return -1;
        if (nml_add_conn(x, c, &n->graded, &n->n_graded, &x->cap_graded, k)) return -1;
    }
    return 0;
}

static int nml_add_input(nml_ctx *x, const xmlNode *e, uint32_t cell, int pulse, double w) {
    nml_net *n = x->net;
    if (GROW(x, e, n->inputs, x->cap_inputs, n->n_inputs, NML_MAX_CONNS)) return -1;
    n->inputs[n->n_inputs++] = (nml_input){cell, (uint32_t)pulse, w};
    return 0;
}

static int nml_input_list(nml_ctx *x, const xmlNode *e) {
    char pid[NML_ID_LEN], pop[NML_ID_LEN], comp[NML_ID_LEN];
    if (nml_id(x, e, pid) || nml_attr(x, e, "population", 1, pop, sizeof pop) ||
        nml_attr(x, e, "component", 1, comp, sizeof comp))
        return -1;
    int p = find_pulse(x->net, comp);
    if (p < 0) return nml_fail(x, e, "component '%s' is not a pulseGenerator defined before it", comp);
    for (const xmlNode *c = e->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || is(c, "notes") || is(c, "property") || is(c, "annotation")) continue;
        if (!is(c, "input") && !is(c, "inputW"))
            return nml_fail(x, c, "not supported inside <inputList id=\"%s\"> (input, inputW)", pid);
        uint32_t cell;
        double w = 1.0;
        if (nml_cellref(x, c, "target", pop, &cell) || (is(c, "inputW") && nml_weight(x, c, &w)) ||
            nml_add_input(x, c, cell, p, w))
            return -1;
    }
    return 0;
}

static int nml_explicit_input(nml_ctx *x, const xmlNode *e) {
    char comp[NML_ID_LEN];
    uint32_t cell;
    if (nml_attr(x, e, "input", 1, comp, sizeof comp) || nml_cellref(x, e, "target", NULL, &cell)) return -1;
    int p = find_pulse(x->net, comp);
    if (p < 0) return nml_fail(x, e, "input '%s' is not a pulseGenerator defined before it", comp);
    return nml_add_input(x, e, cell, p, 1.0);
}

static int nml_network(nml_ctx *x, const xmlNode *e) {
    if (x->net->id[0]) return nml_fail(x, e, "a second <network> (one per file)");
    if (nml_id(x, e, x->net->id)) return -1;
    char type[64];
    if (nml_attr(x, e, "type", 0, type, sizeof type)) return -1;
    if (type[0] && strcmp(type, "network"))
        return nml_fail(x, e, "type '%s' is not supported (networkWithTemperature needs channels)", type);
    for (const xmlNode *c = e->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || nml_doc_elem(c)) continue;
        int rc = is(c, "population") ? nml_population(x, c)
                 : is(c, "projection") ? nml_projection(x, c)
                 : is(c, "electricalProjection") ? nml_elec_projection(x, c)
                 : is(c, "continuousProjection") ? nml_cont_projection(x, c)
                 : is(c, "inputList") ? nml_input_list(x, c)
                 : is(c, "explicitInput") ? nml_explicit_input(x, c)
                 : nml_fail(x, c, "element not supported in a network by the neuroml circuit");
        if (rc) return -1;
    }
    return nml_pop_index(x, e);
}

/* <include href=...>: only c302's cell_B.xml (its iafActivityCell is built
 * in); the file is never opened. */
static int nml_include(nml_ctx *x, const xmlNode *e) {
    char href[256];
    if (nml_attr(x, e, "href", 1, href, sizeof href)) return -1;
    if (!strcmp(href, "cell_B.xml")) return 0;
    return nml_fail(x, e, "include of '%s' is not followed (no file access from a model file; only c302's "
                          "cell_B.xml, whose iafActivityCell is built in)", href);
}

/* <iafCell type="iafActivityCell" ...> is c302's form of the cell_B type. */
static int nml_iaf(nml_ctx *x, const xmlNode *e) {
    char type[64];
    if (nml_attr(x, e, "type", 0, type, sizeof type)) return -1;
    if (!type[0]) return nml_cell(x, e, NML_IAF);
    if (!strcmp(type, "iafActivityCell")) return nml_cell(x, e, NML_IAFACT);
    return nml_fail(x, e, "type '%s' is not supported", type);
}

static int nml_top(nml_ctx *x, const xmlNode *root) {
    if (!is(root, "neuroml")) return nml_fail(x, root, "the root element is not <neuroml>");
    for (const xmlNode *c = root->children; c; c = c->next) {
        if (c->type == XML_ENTITY_REF_NODE) return nml_fail(x, c, "entity references are refused");
        if (c->type != XML_ELEMENT_NODE || nml_doc_elem(c)) continue;
        int rc = is(c, "iafCell") ? nml_iaf(x, c)
                 : is(c, "iafRefCell") ? nml_cell(x, c, NML_IAFREF)
                 : is(c, "iafActivityCell") ? nml_cell(x, c, NML_IAFACT)
                 : is(c, "izhikevich2007Cell") ? nml_cell(x, c, NML_IZH)
                 : is(c, "expOneSynapse") ? nml_syn(x, c, NML_EXPONE)
                 : is(c, "expTwoSynapse") ? nml_syn(x, c, NML_EXPTWO)
                 : is(c, "gapJunction") ? nml_syn(x, c, NML_GAP)
                 : is(c, "gradedSynapse") ? nml_syn(x, c, NML_GRADED)
                 : is(c, "silentSynapse") ? nml_syn(x, c, NML_SILENT)
                 : is(c, "pulseGenerator") ? nml_pulse_gen(x, c)
                 : is(c, "include") ? nml_include(x, c)
                 : is(c, "network") ? nml_network(x, c)
                 : nml_fail(x, c, "element not supported by the neuroml circuit");
        if (rc) return -1;
    }
    if (!x->net->id[0]) return nml_fail(x, root, "no <network> element");
    if (x->net->n == 0) return nml_fail(x, root, "the network has no cells");
    return 0;
}

/* Read the whole file (at most NML_FILE_MAX bytes) into a malloc'd buffer. */
static char *nml_slurp(const char *path, size_t *len, char *err, size_t cap) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, cap, "%s: cannot open the network file", path);
        return NULL;
    }
    char *buf = NULL;
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (size < 0 || size > (long)NML_FILE_MAX || fseek(f, 0, SEEK_SET) != 0)
        snprintf(err, cap, "%s: cannot read the network file (or larger than %u MiB)", path, NML_FILE_MAX >> 20);
    else if (!(buf = malloc((size_t)size + 1u)))
        snprintf(err, cap, "%s: out of memory", path);
    else if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
        snprintf(err, cap, "%s: cannot read the network file", path);
        free(buf);
        buf = NULL;
    } else {
        buf[size] = '\0';
        *len = (size_t)size;
    }
    fclose(f);
    return buf;
}

/* Before building a DOM: a file with more <population elements than
 * cells allowed is refused at the first one too many, by a text scan (a
 * 10^6-population file would otherwise cost a DOM of ~1 GB). 0 or -1. */
static int nml_prescan(const char *path, const char *text, char *err, size_t cap) {
    uint32_t count = 0;
    long line = 1;
    for (const char *p = text; *p; p++) { /* one pass (strstr from each hit rescans the text under ASan) */
        line += *p == '\n';
        if (*p != '<' || strncmp(p, "<population", 11) != 0 || ++count <= NML_MAX_CELLS) continue;
        snprintf(err, cap, "%s:%ld: <population>: more than %u populations (at most %u cells in all)", path, line,
                 NML_MAX_CELLS, NML_MAX_CELLS);
        return -1;
    }
    return 0;
}

int nml_load(const char *path, nml_net *net, char *err, size_t cap) {
    size_t len = 0;
    char *text = nml_slurp(path, &len, err, cap);
    if (!text) return -1;
    if (nml_prescan(path, text, err, cap)) {
        free(text);
        return -1;
    }
    nml_ctx x = {.path = path, .net = net, .err = err, .cap = cap};
    int rc = -1;
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    xmlDocPtr doc = NULL;
    if (!ctxt) {
        snprintf(err, cap, "%s: out of memory", path);
    } else if (len > (size_t)INT32_MAX) {
        snprintf(err, cap, "%s: too large", path);
    } else if (!(doc = xmlCtxtReadMemory(ctxt, text, (int)len, path, NULL,
                                         XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOERROR |
                                                           XML_PARSE_NOWARNING))) {
        const xmlError *xe = xmlCtxtGetLastError(ctxt);
        char msg[256] = "not well-formed XML";
        if (xe && xe->message) snprintf(msg, sizeof msg, "%s", xe->message);
        size_t m = strlen(msg);
        while (m && (msg[m - 1] == '\n' || msg[m - 1] == ' ')) msg[--m] = '\0';
        snprintf(err, cap, "%s:%d: malformed XML: %s", path, xe ? xe->line : 0, msg);
    } else if (doc->intSubset || doc->extSubset) {
        const char *d = strstr(text, "<!DOCTYPE");
        long line = 1;
        for (const char *p = text; d && p < d; p++) line += *p == '\n';
        snprintf(err, cap, "%s:%ld: <!DOCTYPE>: refused (entities and DTDs are never resolved in a model file)", path,
                 line);
    } else if (!xmlDocGetRootElement(doc)) {
        snprintf(err, cap, "%s:1: no root element", path);
    } else {
        rc = nml_top(&x, xmlDocGetRootElement(doc));
    }
    if (doc) xmlFreeDoc(doc);
    if (ctxt) xmlFreeParserCtxt(ctxt);
    free(x.pops);
    free(x.sorted);
    free(text);
    return rc;
}

void nml_free(nml_net *net) {
    if (!net) return;
    void *p[] = {net->cell_types, net->syn_types, net->pulses, net->type, net->names,
                 net->chem,       net->gap,       net->graded, net->inputs};
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) free(p[i]);
    memset(net, 0, sizeof *net);
}
