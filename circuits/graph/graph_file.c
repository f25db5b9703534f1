/* graph_file.c -- see graph_file.h. Two passes over the text: the first
 * counts statements so every table is allocated once, the second fills and
 * checks them. Neuron names, synapses, junctions and ports are found through
 * open-addressing hash tables sized from the first pass, so parsing is
 * linear in the file (a million lines in about a second), not quadratic. */
#include "graph_file.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define GRAPH_LINE_MAX 8192u
#define GRAPH_TOK_MAX 1024u

/* Parser state for one pass. */
typedef struct pstate {
    const char *file;
    uint32_t line;
    char *err;
    size_t cap;
    graph_def *g;
    int fill;                /* second pass: fill and check */
    uint32_t *chem_line;     /* line of each chemical synapse (messages) */
    uint32_t *gap_line;
    /* second pass: hash tables of index + 1 (0: empty slot), sizes powers of 2 */
    uint32_t *h_name, *h_chem, *h_gap, *h_port;
    size_t m_name, m_chem, m_gap, m_port; /* size - 1 */
} pstate;

/* 64-bit finaliser (splitmix64) for pair keys. */
static uint64_t mix64(uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/* FNV-1a of a name, ignoring case (names are unique ignoring case), salted. */
static uint64_t hash_name(const char *s, uint64_t salt) {
    uint64_t h = 1469598103934665603ull ^ salt;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        h = (h ^ (uint64_t)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c)) * 1099511628211ull;
    }
    return h;
}

/* The slot for key hash h in table t (mask m) where eq(ctx, index) holds,
 * or the empty slot where it would go. */
static uint32_t *probe(uint32_t *t, size_t m, uint64_t h, int (*eq)(const pstate *, uint32_t, const void *),
                       const pstate *s, const void *key) {
    for (size_t i = (size_t)h & m;; i = (i + 1) & m)
        if (!t[i] || eq(s, t[i] - 1, key)) return &t[i];
}

static int eq_name(const pstate *s, uint32_t i, const void *key) { return !strcasecmp(s->g->names[i], key); }
static int eq_chem(const pstate *s, uint32_t i, const void *key) {
    const uint32_t *ab = key;
    return s->g->chem_pre[i] == ab[0] && s->g->chem_post[i] == ab[1];
}
static int eq_gap(const pstate *s, uint32_t i, const void *key) {
    const uint32_t *ab = key; /* ab[0] <= ab[1] */
    uint32_t a = s->g->gap_a[i], b = s->g->gap_b[i];
    return (a < b ? a : b) == ab[0] && (a < b ? b : a) == ab[1];
}
typedef struct port_key {
    uint32_t dir;
    const char *name;
} port_key;
static int eq_port(const pstate *s, uint32_t i, const void *key) {
    const port_key *k = key;
    return s->g->ports[i].dir == k->dir && !strcmp(s->g->ports[i].name, k->name);
}

/* Write "FILE:LINE: message" into the error buffer; returns -1. */
static int perr(pstate *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int perr(pstate *s, const char *fmt, ...) {
    int k = snprintf(s->err, s->cap, "%s:%u: ", s->file, s->line);
    va_list ap;
    va_start(ap, fmt);
    if (k >= 0 && (size_t)k < s->cap) vsnprintf(s->err + k, s->cap - (size_t)k, fmt, ap);
    va_end(ap);
    return -1;
}

int64_t graph_find(const graph_def *g, const char *name) {
    for (uint32_t i = 0; i < g->n; i++)
        if (strcasecmp(g->names[i], name) == 0) return i;
    return -1;
}

/* Does s match [A-Za-z0-9_]+ (lower only when `lower`) and fit a name? */
static int name_ok(const char *s, int lower) {
    size_t len = strlen(s);
    if (len == 0 || len >= GRAPH_NAME_LEN) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
              (!lower && *s >= 'A' && *s <= 'Z')))
            return 0;
    return 1;
}

/* The name table's slot for `name`. */
static uint32_t *name_slot(pstate *s, const char *name) {
    return probe(s->h_name, s->m_name, hash_name(name, 0), eq_name, s, name);
}

/* A declared neuron's index, or -1 after an "unknown neuron" message. */
static int64_t neuron(pstate *s, const char *name) {
    int64_t i = (int64_t)*name_slot(s, name) - 1;
    if (i < 0) perr(s, "unknown neuron '%s' (declare it with 'neuron' first)", name);
    return i;
}

/* A finite number, or NAN after a message naming `what`. */
static double number(pstate *s, const char *tok, const char *what) {
    char *end;
    errno = 0;
    double v = strtod(tok, &end);
    if (*tok == '\0' || *end != '\0' || errno || !isfinite(v)) {
        perr(s, "%s '%s' is not a finite number", what, tok);
        return NAN;
    }
    return v;
}

/* "neuron NAME...". */
static int st_neuron(pstate *s, char **tok, int nt) {
    if (nt < 2) return perr(s, "'neuron' needs at least one name");
    for (int k = 1; k < nt; k++) {
        if (!s->fill) {
            s->g->n++;
            continue;
        }
        if (!name_ok(tok[k], 0))
            return perr(s, "bad neuron name '%s' (letters, digits, '_', at most %u characters)", tok[k],
                        GRAPH_NAME_LEN - 1);
        uint32_t *slot = name_slot(s, tok[k]);
        if (*slot) return perr(s, "duplicate neuron '%s'", tok[k]);
        snprintf(s->g->names[s->g->n++], GRAPH_NAME_LEN, "%s", tok[k]);
        *slot = s->g->n;
    }
    return 0;
}

/* A delay field: an integer number of substeps in [1, GRAPH_DELAY_MAX], or
 * 0 after a message. */
static uint32_t delay(pstate *s, const char *tok, const char *pre, const char *post) {
    double d = number(s, tok, "delay");
    if (isnan(d)) return 0;
    if (d < 1.0) {
        perr(s, "delay %s of %s -> %s is below one step (substeps, an integer >= 1)", tok, pre, post);
        return 0;
    }
    if (d != floor(d) || d > GRAPH_DELAY_MAX) {
        perr(s, "delay %s of %s -> %s is not a whole number of substeps up to %u", tok, pre, post, GRAPH_DELAY_MAX);
        return 0;
    }
    return (uint32_t)d;
}

/* "chem PRE POST W [DELAY]". */
static int st_chem(pstate *s, char **tok, int nt) {
    if (nt != 4 && nt != 5) return perr(s, "'chem' takes PRE POST WEIGHT [DELAY]");
    graph_def *g = s->g;
    if (!s->fill) {
        g->n_chem++;
        return 0;
    }
    int64_t a = neuron(s, tok[1]), b = a < 0 ? -1 : neuron(s, tok[2]);
    if (a < 0 || b < 0) return -1;
    double w = number(s, tok[3], "weight");
    if (isnan(w)) return -1;
    uint32_t d = nt == 5 ? delay(s, tok[4], tok[1], tok[2]) : 0;
    if (nt == 5 && d == 0) return -1;
    if (d && !g->delay_line) g->delay_line = s->line;
    uint32_t ab[2] = {(uint32_t)a, (uint32_t)b};
    uint32_t *slot = probe(s->h_chem, s->m_chem, mix64((uint64_t)ab[0] << 32 | ab[1]), eq_chem, s, ab);
    if (*slot)
        return perr(s, "duplicate chemical synapse %s -> %s (first on line %u)", tok[1], tok[2],
                    s->chem_line[*slot - 1]);
    *slot = g->n_chem + 1;
    g->chem_pre[g->n_chem] = (uint32_t)a;
    g->chem_post[g->n_chem] = (uint32_t)b;
    g->chem_w[g->n_chem] = w;
    g->chem_delay[g->n_chem] = d;
    s->chem_line[g->n_chem++] = s->line;
    return 0;
}

/* "gap A B G". */
static int st_gap(pstate *s, char **tok, int nt) {
    if (nt != 4) return perr(s, "'gap' takes A B CONDUCTANCE");
    graph_def *g = s->g;
    if (!s->fill) {
        g->n_gap++;
        return 0;
    }
    int64_t a = neuron(s, tok[1]), b = a < 0 ? -1 : neuron(s, tok[2]);
    if (a < 0 || b < 0) return -1;
    if (a == b) return perr(s, "gap junction of %s with itself", tok[1]);
    double w = number(s, tok[3], "conductance");
    if (isnan(w)) return -1;
    if (w < 0.0) return perr(s, "gap junction %s - %s has negative conductance %s", tok[1], tok[2], tok[3]);
    uint32_t ab[2] = {(uint32_t)(a < b ? a : b), (uint32_t)(a < b ? b : a)};
    uint32_t *slot = probe(s->h_gap, s->m_gap, mix64((uint64_t)ab[0] << 32 | ab[1]), eq_gap, s, ab);
    if (*slot)
        return perr(s, "duplicate gap junction %s - %s (first on line %u)", tok[1], tok[2], s->gap_line[*slot - 1]);
    *slot = g->n_gap + 1;
    g->gap_a[g->n_gap] = (uint32_t)a;
    g->gap_b[g->n_gap] = (uint32_t)b;
    g->gap_w[g->n_gap] = w;
    s->gap_line[g->n_gap++] = s->line;
    return 0;
}

/* One port element: NAME, A|B (inputs) or A-B (outputs). */
static int port_elem(pstate *s, char *tok, uint32_t dir, graph_elem *e) {
    char *sep = strchr(tok, dir == 0 ? '|' : '-');
    e->kind = sep ? (dir == 0 ? GRAPH_EL_SPLIT : GRAPH_EL_DIFF) : GRAPH_EL_ONE;
    if (sep) *sep = '\0';
    int64_t a = neuron(s, tok), b = 0;
    if (a < 0) return -1;
    if (sep && (b = neuron(s, sep + 1)) < 0) return -1;
    e->a = (uint32_t)a;
    e->b = (uint32_t)b;
    return 0;
}

/* "in PORT ELEM..." / "out PORT ELEM...". */
static int st_port(pstate *s, char **tok, int nt, uint32_t dir) {
    graph_def *g = s->g;
    if (nt < 2) return perr(s, "'%s' needs a port name", tok[0]);
    if (!s->fill) {
        g->n_ports++;
        g->n_elems += (uint32_t)(nt - 2);
        return 0;
    }
    if (!name_ok(tok[1], 1)) return perr(s, "bad port name '%s' (a-z, 0-9, '_')", tok[1]);
    if (nt < 3) return perr(s, "port '%s' names no neuron", tok[1]);
    port_key key = {dir, tok[1]};
    uint32_t *slot = probe(s->h_port, s->m_port, hash_name(tok[1], dir + 1), eq_port, s, &key);
    if (*slot) return perr(s, "duplicate %s port '%s'", tok[0], tok[1]);
    *slot = g->n_ports + 1;
    graph_port *port = &g->ports[g->n_ports];
    snprintf(port->name, GRAPH_NAME_LEN, "%s", tok[1]);
    port->dir = dir;
    port->first = g->n_elems;
    for (int k = 2; k < nt; k++)
        if (port_elem(s, tok[k], dir, &g->elems[g->n_elems++]) != 0) return -1;
    port->size = (uint32_t)(nt - 2);
    g->n_ports++;
    return 0;
}

/* Split one line (comment removed) into blank-separated tokens. */
static int tokenize(char *line, char **tok, int cap) {
    char *hash = strchr(line, '#');
    if (hash) *hash = '\0';
    int nt = 0;
    for (char *save = NULL, *t = strtok_r(line, " \t\r", &save); t; t = strtok_r(NULL, " \t\r", &save)) {
        if (nt == cap) return -1;
        tok[nt++] = t;
    }
    return nt;
}

/* One pass over every line. */
static int pass(pstate *s, const char *text) {
    char buf[GRAPH_LINE_MAX];
    char *tok[GRAPH_TOK_MAX];
    s->line = 0;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        s->line++;
        if (len >= sizeof buf) return perr(s, "line longer than %u characters", GRAPH_LINE_MAX - 1);
        memcpy(buf, p, len);
        buf[len] = '\0';
        p += len + (nl ? 1 : 0);
        int nt = tokenize(buf, tok, (int)GRAPH_TOK_MAX);
        if (nt < 0) return perr(s, "more than %u fields", GRAPH_TOK_MAX);
        if (nt == 0) continue;
        int rc = strcmp(tok[0], "neuron") == 0 ? st_neuron(s, tok, nt)
                 : strcmp(tok[0], "chem") == 0 ? st_chem(s, tok, nt)
                 : strcmp(tok[0], "gap") == 0  ? st_gap(s, tok, nt)
                 : strcmp(tok[0], "in") == 0   ? st_port(s, tok, nt, 0)
                 : strcmp(tok[0], "out") == 0  ? st_port(s, tok, nt, 1)
                                               : perr(s, "unknown statement '%s' (neuron, chem, gap, in, out)", tok[0]);
        if (rc) return -1;
    }
    return 0;
}

void graph_def_free(graph_def *g, graph_free_fn release, void *ctx) {
    void *p[] = {g->names, g->chem_pre, g->chem_post, g->chem_w, g->chem_delay,
                 g->gap_a, g->gap_b,    g->gap_w,     g->ports,  g->elems};
    for (size_t k = 0; k < sizeof p / sizeof p[0]; k++) release(ctx, p[k]);
    memset(g, 0, sizeof *g);
}

/* Allocate the tables for the counts pass 1 found, then zero the counts
 * for pass 2. 0 or -1. */
static int allocate(pstate *s, graph_def *g, graph_alloc_fn alloc, void *ctx, uint32_t **chem_line,
                    uint32_t **gap_line) {
    size_t n = g->n + 1u, nc = g->n_chem + 1u, ng = g->n_gap + 1u;
    g->names = alloc(ctx, n * sizeof *g->names);
    g->chem_pre = alloc(ctx, nc * sizeof *g->chem_pre);
    g->chem_post = alloc(ctx, nc * sizeof *g->chem_post);
    g->chem_w = alloc(ctx, nc * sizeof *g->chem_w);
    g->chem_delay = alloc(ctx, nc * sizeof *g->chem_delay);
    g->gap_a = alloc(ctx, ng * sizeof *g->gap_a);
    g->gap_b = alloc(ctx, ng * sizeof *g->gap_b);
    g->gap_w = alloc(ctx, ng * sizeof *g->gap_w);
    g->ports = alloc(ctx, (g->n_ports + 1u) * sizeof *g->ports);
    g->elems = alloc(ctx, (g->n_elems + 1u) * sizeof *g->elems);
    *chem_line = alloc(ctx, nc * sizeof **chem_line);
    *gap_line = alloc(ctx, ng * sizeof **gap_line);
    uint32_t **tab[4] = {&s->h_name, &s->h_chem, &s->h_gap, &s->h_port};
    size_t *mask[4] = {&s->m_name, &s->m_chem, &s->m_gap, &s->m_port}, want[4] = {n, nc, ng, g->n_ports + 1u};
    int ok = 1;
    for (int k = 0; k < 4; k++) {
        size_t m = 2;
        while (m < 2 * want[k]) m *= 2; /* at most half full */
        *mask[k] = m - 1;
        ok &= (*tab[k] = alloc(ctx, m * sizeof **tab[k])) != NULL;
    }
    g->n = g->n_chem = g->n_gap = g->n_ports = g->n_elems = 0;
    return (ok && g->names && g->chem_pre && g->chem_post && g->chem_w && g->chem_delay && g->gap_a && g->gap_b &&
            g->gap_w && g->ports && g->elems && *chem_line && *gap_line)
               ? 0
               : -1;
}

int graph_parse(const char *text, const char *file, graph_def *g, graph_alloc_fn alloc,
                graph_free_fn release, void *ctx, char *err, size_t cap) {
    memset(g, 0, sizeof *g);
    pstate s = {.file = file, .err = err, .cap = cap, .g = g};
    if (pass(&s, text) != 0) return -1;
    int rc = -1;
    if (allocate(&s, g, alloc, ctx, &s.chem_line, &s.gap_line) != 0) {
        snprintf(err, cap, "%s: out of memory", file);
    } else {
        s.fill = 1;
        rc = pass(&s, text);
        if (rc == 0 && g->n == 0) {
            snprintf(err, cap, "%s:%u: no neurons declared", file, s.line);
            rc = -1;
        }
    }
    release(ctx, s.chem_line);
    release(ctx, s.gap_line);
    release(ctx, s.h_name);
    release(ctx, s.h_chem);
    release(ctx, s.h_gap);
    release(ctx, s.h_port);
    if (rc != 0) graph_def_free(g, release, ctx);
    return rc;
}
