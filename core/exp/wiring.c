/* wiring.c -- see wiring.h. */
#include "exp/wiring.h"
#include "exp/experiment_impl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AT(e, n, ...) errmsg_at((e), (n)->file, (n)->line, (n)->col, __VA_ARGS__)

/* Direction of word w for an instance of `kind`; -1 if not a valid word. */
static int dir_of(uint32_t kind, const char *w, size_t len) {
    int is_out = (len == 3 && !strncmp(w, "out", 3)) || (kind == ANIMAT_KIND_BODY && len == 3 && !strncmp(w, "obs", 3));
    int is_in = (len == 2 && !strncmp(w, "in", 2)) || (kind == ANIMAT_KIND_BODY && len == 3 && !strncmp(w, "act", 3));
    return is_out ? (int)ANIMAT_PORT_OUT : is_in ? (int)ANIMAT_PORT_IN : -1;
}

/* Parse a slice "[i]" or "[a:b]" at s (s points at '['). 0 or -1. */
static int parse_slice(const char *s, experiment_end *end) {
    char *stop;
    if (!isdigit((unsigned char)s[1])) return -1;
    unsigned long a = strtoul(s + 1, &stop, 10), b;
    if (a > (1ul << 24)) return -1;
    if (*stop == ']') {
        b = a + 1;
    } else if (*stop == ':' && isdigit((unsigned char)stop[1])) {
        b = strtoul(stop + 1, &stop, 10);
        if (*stop != ']' || b > (1ul << 24)) return -1;
    } else {
        return -1;
    }
    if (stop[1] || b <= a) return -1;
    end->sliced = 1;
    end->lo = (uint32_t)a;
    end->hi = (uint32_t)b;
    return 0;
}

int wiring_parse_end(const experiment *x, const char *s, experiment_end *end) {
    memset(end, 0, sizeof *end);
    const char *d1 = strchr(s, '.');
    const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    if (!d1 || !d2 || !d2[1] || strchr(d2 + 1, '.')) return -1;
    size_t nl = (size_t)(d1 - s);
    char name[EXPERIMENT_NAME_MAX];
    if (nl == 0 || nl >= sizeof name) return nl ? -2 : -1;
    memcpy(name, s, nl);
    name[nl] = '\0';
    int k = experiment_find(x, name);
    if (k < 0) return -2;
    int dir = dir_of(x->insts[k].kind, d1 + 1, (size_t)(d2 - d1 - 1));
    if (dir < 0) return -1;
    const char *port = d2 + 1, *br = strchr(port, '[');
    size_t pl = br ? (size_t)(br - port) : strlen(port);
    if (pl == 0 || pl >= sizeof end->port) return -1;
    for (size_t i = 0; i < pl; i++)
        if (!(islower((unsigned char)port[i]) || isdigit((unsigned char)port[i]) || port[i] == '_')) return -1;
    memcpy(end->port, port, pl);
    end->port[pl] = '\0';
    end->inst = (uint32_t)k;
    end->dir = (uint32_t)dir;
    return br ? parse_slice(br, end) : 0;
}

void wiring_end_str(const experiment *x, const experiment_end *end, char *buf, size_t cap) {
    const experiment_inst *in = &x->insts[end->inst];
    int n = snprintf(buf, cap, "%s.%s.%s", in->name, experiment_dir_word(in->kind, end->dir), end->port);
    if (end->sliced && n > 0 && (size_t)n < cap) {
        if (end->hi == end->lo + 1)
            snprintf(buf + n, cap - (size_t)n, "[%u]", end->lo);
        else
            snprintf(buf + n, cap - (size_t)n, "[%u:%u]", end->lo, end->hi);
    }
}

/* A malformed or unknown end, in the short form's words or the graph's. */
static int bad_end(const experiment *x, const yamltree *s, size_t i, int src, const char *text, int rc, errmsg *e) {
    if (x->short_form || rc == -1) {
        const char *want = x->short_form ? (src ? "body.obs.NAME or circuit.out.NAME" : "circuit.in.NAME or body.act.NAME")
                                         : (src ? "NAME.out.PORT or NAME.obs.PORT, optionally [i] or [a:b]"
                                                : "NAME.in.PORT or NAME.act.PORT, optionally [i] or [a:b]");
        return AT(e, s, "wiring[%zu]: bad %s '%s' (expected %s)", i, src ? "source" : "destination", text, want);
    }
    char list[512] = "";
    for (uint32_t k = 0; k < x->ninsts; k++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", k ? ", " : "", x->insts[k].name);
    }
    char q[80];
    return AT(e, s, "wiring[%zu]: unknown instance in '%s' (instances: %s)", i, errmsg_quote(text, q, sizeof q), list);
}

/* Split "SRC -> DST" (or "~>") into trimmed src and dst. 0, -1 (no arrow)
 * or -2 (too long). */
static int split_edge(const char *str, char *src, char *dst, size_t cap, int *delayed) {
    const char *arrow = strstr(str, "->"), *wave = strstr(str, "~>");
    if (!arrow || (wave && wave < arrow)) arrow = wave;
    if (!arrow) return -1;
    *delayed = arrow[0] == '~';
    size_t n = (size_t)(arrow - str);
    if (n >= cap || strlen(arrow + 2) >= cap) return -2;
    while (n && str[n - 1] == ' ') n--;
    const char *b = str;
    while (*b == ' ' && n) b++, n--;
    memcpy(src, b, n);
    src[n] = '\0';
    const char *d = arrow + 2;
    while (*d == ' ') d++;
    snprintf(dst, cap, "%s", d);
    for (size_t k = strlen(dst); k && dst[k - 1] == ' ';) dst[--k] = '\0';
    return 0;
}

/* Checks of one parsed edge against the ones before it. */
static int check_edge(const experiment *x, const experiment_conn *c, size_t i, const char *src, const char *dst,
                      errmsg *e) {
    const yamltree *s = c->node;
    const experiment_inst *a = &x->insts[c->src.inst], *b = &x->insts[c->dst.inst];
    if (c->src.dir != ANIMAT_PORT_OUT)
        return AT(e, s, "wiring[%zu]: source '%s' is an input; connections go from body.obs/circuit.out", i, src);
    if (c->dst.dir != ANIMAT_PORT_IN)
        return AT(e, s, "wiring[%zu]: destination '%s' is an output; connections go to circuit.in/body.act", i, dst);
    if (x->short_form && c->src.inst == c->dst.inst && !c->delayed)
        return AT(e, s, "wiring[%zu]: '%s' feeds its own %s (a cycle; wire body and circuit to each other)", i, s->str,
                  a->name);
    if (a->kind == ANIMAT_KIND_BODY && b->kind == ANIMAT_KIND_BODY)
        return AT(e, s, "wiring[%zu]: body '%s' feeds body '%s' directly; connect bodies through a circuit", i, a->name,
                  b->name);
    for (size_t j = 0; j < i; j++) {
        const experiment_conn *o = &x->conns[j];
        if (o->dst.inst == c->dst.inst && !strcmp(o->dst.port, c->dst.port) && !o->dst.sliced && !c->dst.sliced)
            return AT(e, s, "wiring[%zu]: '%s' is already fed by wiring[%zu]; an input takes one source", i, dst, j);
    }
    return 0;
}

/* Parse edge i. */
static int load_edge(experiment *x, size_t i, const yamltree *s, errmsg *e) {
    experiment_conn *c = &x->conns[i];
    c->node = s;
    char q[80], src[160], dst[160];
    if (s->kind != YAMLTREE_SCALAR) return AT(e, s, "wiring[%zu]: expected a \"SRC -> DST\" string", i);
    int rc = split_edge(s->str, src, dst, sizeof src, &c->delayed);
    if (rc == -1)
        return AT(e, s, "wiring[%zu]: '%s' is not of the form \"SRC -> DST\"", i, errmsg_quote(s->str, q, sizeof q));
    if (rc == -2)
        return AT(e, s, "wiring[%zu]: '%s' is too long: a port name is longer than %d characters", i,
                  errmsg_quote(s->str, q, sizeof q), EXPERIMENT_NAME_MAX - 1);
    const char *pn = strrchr(src, '.');
    const char *pd = strrchr(dst, '.');
    const char *longer = pn && strlen(pn + 1) >= EXPERIMENT_NAME_MAX ? pn + 1
                         : pd && strlen(pd + 1) >= EXPERIMENT_NAME_MAX ? pd + 1 : NULL;
    if (longer)
        return AT(e, s, "wiring[%zu]: port name '%s' is longer than %d characters", i, errmsg_quote(longer, q, sizeof q),
                  EXPERIMENT_NAME_MAX - 1);
    if ((rc = wiring_parse_end(x, src, &c->src))) return bad_end(x, s, i, 1, src, rc, e);
    if ((rc = wiring_parse_end(x, dst, &c->dst))) return bad_end(x, s, i, 0, dst, rc, e);
    if (c->delayed && x->short_form)
        return AT(e, s, "wiring[%zu]: delayed edges (~>) need named instances (bodies:/circuits:)", i);
    return check_edge(x, c, i, src, dst, e);
}

/* Depth-first search for a cycle of undelayed circuit-to-circuit edges
 * through instance v; state: 0 new, 1 on the path, 2 done. path[] collects
 * the instances on the current path. Returns the index in path where the
 * cycle starts, or -1. */
static int find_cycle(const experiment *x, uint32_t v, uint8_t *state, uint32_t *path, uint32_t *depth) {
    state[v] = 1;
    path[(*depth)++] = v;
    for (uint32_t i = 0; i < x->nconns; i++) {
        const experiment_conn *c = &x->conns[i];
        if (c->delayed || c->src.inst != v || x->insts[c->dst.inst].kind != ANIMAT_KIND_CIRCUIT) continue;
        uint32_t w = c->dst.inst;
        if (state[w] == 1) {
            for (uint32_t k = 0; k < *depth; k++)
                if (path[k] == w) return (int)k;
        }
        if (state[w] == 0) {
            int r = find_cycle(x, w, state, path, depth);
            if (r >= 0) return r;
        }
    }
    state[v] = 2;
    (*depth)--;
    return -1;
}

/* An undelayed cycle among circuits is an error naming its instances. */
static int check_cycles(const experiment *x, errmsg *e) {
    uint8_t state[EXPERIMENT_MAX_INSTS] = {0};
    uint32_t path[EXPERIMENT_MAX_INSTS];
    for (uint32_t v = 0; v < x->ninsts; v++) {
        uint32_t depth = 0;
        if (x->insts[v].kind != ANIMAT_KIND_CIRCUIT || state[v]) continue;
        int start = find_cycle(x, v, state, path, &depth);
        if (start < 0) continue;
        char names[512] = "";
        for (uint32_t k = (uint32_t)start; k < depth; k++) {
            size_t len = strlen(names);
            snprintf(names + len, sizeof names - len, "%s -> ", x->insts[path[k]].name);
        }
        size_t len = strlen(names);
        snprintf(names + len, sizeof names - len, "%s", x->insts[path[start]].name);
        /* Position: the first undelayed edge out of the cycle's first instance. */
        const yamltree *at = x->doc;
        for (uint32_t i = 0; i < x->nconns; i++)
            if (!x->conns[i].delayed && x->conns[i].src.inst == path[start]) {
                at = x->conns[i].node;
                break;
            }
        return AT(e, at, "wiring: circuits %s form a cycle without a delay (mark one edge on it delayed: SRC ~> DST)",
                  names);
    }
    return 0;
}

int wiring_load(experiment *x, errmsg *e) {
    const yamltree *w = yamltree_get(x->doc, "wiring");
    if (!w) return AT(e, x->doc, "missing required key 'wiring' (a list like [\"body.obs.joints -> circuit.in.joints\"])");
    if (w->kind != YAMLTREE_SEQ || w->n == 0)
        return AT(e, w, "wiring: expected a non-empty list of \"SRC -> DST\" strings, got %s",
                  w->kind == YAMLTREE_SEQ ? "an empty list" : yamltree_kind_name(w->kind));
    if (w->n > 100000) return AT(e, w, "wiring: more than 100000 edges");
    x->conns = calloc(w->n, sizeof *x->conns);
    if (!x->conns) return errmsg_set(e, "out of memory");
    for (size_t i = 0; i < w->n; i++) {
        if (load_edge(x, i, w->vals[i], e)) return -1;
        x->nconns++;
    }
    return check_cycles(x, e);
}
