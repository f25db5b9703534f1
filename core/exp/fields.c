/* fields.c -- see fields.h. */
#include "exp/fields.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/params.h"

/* Error at a node's position. */
#define AT(e, n, ...) errmsg_at((e), (n)->file, (n)->line, (n)->col, __VA_ARGS__)

/* Refuse keys of MAP m that are not in the NULL-terminated `allowed`. */
int fields_only_keys(const yamltree *m, const char *where, const char *const *allowed, errmsg *e) {
    for (size_t i = 0; i < m->n; i++) {
        const char *k = m->keys[i]->str;
        int ok = 0;
        for (const char *const *a = allowed; *a; a++) ok |= strcmp(k, *a) == 0;
        if (ok) continue;
        char list[256] = "";
        for (const char *const *a = allowed; *a; a++) {
            size_t len = strlen(list);
            snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "", *a);
        }
        char q[80];
        return AT(e, m->keys[i], "%s%sunknown key '%s' (expected one of: %s)", where, *where ? ": " : "",
                  errmsg_quote(k, q, sizeof q), list);
    }
    return 0;
}

/* A required MAP value. */
const yamltree *fields_need_map(const yamltree *parent, const char *key, const char *where, errmsg *e) {
    const yamltree *v = yamltree_get(parent, key);
    if (!v) {
        AT(e, parent, "missing required key '%s%s%s'", where, *where ? "." : "", key);
        return NULL;
    }
    if (v->kind != YAMLTREE_MAP) {
        AT(e, v, "%s%s%s: expected a mapping, got %s", where, *where ? "." : "", key, yamltree_kind_name(v->kind));
        return NULL;
    }
    return v;
}

/* An optional non-negative integer scalar; *out untouched when absent. */
int fields_uint(const yamltree *m, const char *key, const char *where, uint64_t min, uint64_t max,
                    uint64_t *out, errmsg *e) {
    const yamltree *v = yamltree_get(m, key);
    if (!v) return 0;
    if (v->kind != YAMLTREE_SCALAR || v->quoted)
        return AT(e, v, "%s.%s: expected a whole number, got %s", where, key,
                  v->kind == YAMLTREE_SCALAR ? "a quoted string" : yamltree_kind_name(v->kind));
    const char *s = v->str;
    char *end, q[80];
    if (!*s || strspn(s, "0123456789") != strlen(s))
        return AT(e, v, "%s.%s: expected a whole number >= %" PRIu64 ", got '%s'", where, key, min,
                  errmsg_quote(s, q, sizeof q));
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (*end || errno == ERANGE || x < min || x > max)
        return AT(e, v, "%s.%s: %s is out of range [%" PRIu64 ", %" PRIu64 "]", where, key, errmsg_quote(s, q, sizeof q),
                  min, max);
    *out = x;
    return 0;
}

/* A required plain string scalar. */
const char *fields_str(const yamltree *m, const char *key, const char *where, errmsg *e) {
    const yamltree *v = yamltree_get(m, key);
    if (!v) {
        AT(e, m, "%s: missing required key '%s'", where, key);
        return NULL;
    }
    if (v->kind != YAMLTREE_SCALAR || !*v->str) {
        AT(e, v, "%s.%s: expected a name or path, got %s", where, key,
           v->kind == YAMLTREE_SCALAR ? "an empty value" : yamltree_kind_name(v->kind));
        return NULL;
    }
    return v->str;
}

/* An optional boolean scalar; *out untouched when absent. */
int fields_bool(const yamltree *m, const char *key, const char *where, int *out, errmsg *e) {
    const yamltree *v = yamltree_get(m, key);
    if (!v) return 0;
    if (v->kind == YAMLTREE_SCALAR && !v->quoted && (!strcmp(v->str, "true") || !strcmp(v->str, "false"))) {
        *out = v->str[0] == 't';
        return 0;
    }
    return AT(e, v, "%s.%s: expected true or false, got %s%s%s", where, key, v->kind == YAMLTREE_SCALAR ? "'" : "",
              v->kind == YAMLTREE_SCALAR ? v->str : yamltree_kind_name(v->kind), v->kind == YAMLTREE_SCALAR ? "'" : "");
}

/* An optional finite number within [min, max]; *out untouched when absent. */
int fields_real(const yamltree *m, const char *key, const char *where, double min, double max, double *out,
                    errmsg *e) {
    const yamltree *v = yamltree_get(m, key);
    if (!v) return 0;
    double x;
    if (v->kind != YAMLTREE_SCALAR || v->quoted || params_parse_real(v->str, &x))
        return AT(e, v, "%s.%s: expected a number, got %s", where, key,
                  v->kind == YAMLTREE_SCALAR ? v->str : yamltree_kind_name(v->kind));
    if (!(min <= x && x <= max)) return AT(e, v, "%s.%s: %s is out of range [%g, %g]", where, key, v->str, min, max);
    *out = x;
    return 0;
}

/* An optional path string. */
int fields_path(const yamltree *m, const char *key, const char *where, char **out, errmsg *e) {
    const yamltree *v = yamltree_get(m, key);
    if (!v) return 0;
    if (v->kind != YAMLTREE_SCALAR || !*v->str) return AT(e, v, "%s.%s: expected a file path", where, key);
    if (!(*out = strdup(v->str))) return errmsg_set(e, "out of memory");
    return 0;
}

