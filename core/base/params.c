/* params.c -- see params.h. */
#include "base/params.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const animat_param_info *params_at(const animat_param_info *params, uint32_t i) {
    return (const animat_param_info *)((const char *)params + (size_t)i * params[0].struct_size);
}

const char *params_type_name(uint32_t type) {
    switch (type) {
    case ANIMAT_PARAM_REAL: return "a number";
    case ANIMAT_PARAM_INT: return "an integer";
    case ANIMAT_PARAM_BOOL: return "true or false";
    case ANIMAT_PARAM_CHOICE: return "one of the choices";
    case ANIMAT_PARAM_REAL_LIST: return "a list of numbers";
    case ANIMAT_PARAM_PATH: return "a file path";
    default: return "an unknown type";
    }
}

int params_parse_real(const char *s, double *out) {
    char *end;
    /* Reject empty strings, leading blanks, hex and nan/inf spellings. */
    if (!s || !*s || isspace((unsigned char)*s)) return -1;
    for (const char *p = s; *p; p++)
        if (!strchr("0123456789+-.eE", *p)) return -1;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || end == s) return -1;
    if (!isfinite(v)) return errno == ERANGE ? PARAMS_TOO_BIG : -1;
    *out = v;
    return 0;
}

int params_choice_at(const char *choices, uint32_t idx, char *buf, size_t cap) {
    const char *c = choices;
    for (uint32_t k = 0; k < idx && c; k++) {
        c = strchr(c, '|');
        if (c) c++;
    }
    if (!c) return -1;
    size_t len = strcspn(c, "|");
    if (len == 0 || len >= cap) return -1;
    memcpy(buf, c, len);
    buf[len] = '\0';
    return 0;
}

/* Index of `word` in "a|b|c", or -1. */
static int choice_index(const char *choices, const char *word) {
    char buf[64];
    for (uint32_t i = 0; params_choice_at(choices, i, buf, sizeof buf) == 0; i++)
        if (strcmp(buf, word) == 0) return (int)i;
    return -1;
}

/* Parse "64,64" (a default list). -1 if malformed or too long. */
static int parse_def_list(const char *s, double *out, uint32_t *n) {
    *n = 0;
    if (!s || !*s) return 0;
    char tmp[512];
    if (strlen(s) >= sizeof tmp) return -1;
    strcpy(tmp, s);
    for (char *save = NULL, *tok = strtok_r(tmp, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ') tok++;
        if (*n >= ANIMAT_PARAM_LIST_MAX || params_parse_real(tok, &out[*n])) return -1;
        (*n)++;
    }
    return 0;
}

/* Is a name made of [a-z0-9_] and non-empty? */
static int name_ok(const char *s) {
    if (!s || !*s) return 0;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_')) return 0;
    return 1;
}

int params_check_table(const animat_param_info *params, uint32_t n, const char *who, errmsg *e) {
    if (n && !params) return errmsg_set(e, "plugin %s: declares %u parameters but no table", who, n);
    if (n && params[0].struct_size < offsetof(animat_param_info, doc) + sizeof(const char *))
        return errmsg_set(e, "plugin %s: parameter table struct_size %u is too small", who,
                        params[0].struct_size);
    /* the stride must be a record's, not an address that walks off the table */
    if (n && params[0].struct_size > PARAMS_MAX_RECORD)
        return errmsg_set(e, "plugin %s: parameter table struct_size %u is impossible (a record is at most %u bytes)",
                          who, params[0].struct_size, PARAMS_MAX_RECORD);
    if (n > PARAMS_MAX_COUNT) return errmsg_set(e, "plugin %s: declares %u parameters (at most %u)", who, n, PARAMS_MAX_COUNT);
    for (uint32_t i = 0; i < n; i++) {
        const animat_param_info *p = params_at(params, i);
        if (!name_ok(p->name))
            return errmsg_set(e, "plugin %s: parameter %u has an invalid name (want [a-z0-9_]+)", who, i);
        for (uint32_t j = 0; j < i; j++)
            if (strcmp(params_at(params, j)->name, p->name) == 0)
                return errmsg_set(e, "plugin %s: parameter '%s' declared twice", who, p->name);
        if (!p->doc || !p->unit)
            return errmsg_set(e, "plugin %s: parameter '%s' lacks a doc or unit string", who, p->name);
        if (p->reserved)
            return errmsg_set(e, "plugin %s: parameter '%s': animat_param_info.reserved is %u (must be 0)", who,
                              p->name, p->reserved);
        double tmp[ANIMAT_PARAM_LIST_MAX];
        uint32_t nl;
        char buf[64];
        switch (p->type) {
        case ANIMAT_PARAM_REAL:
        case ANIMAT_PARAM_INT:
            if (!(p->min <= p->def && p->def <= p->max))
                return errmsg_set(e, "plugin %s: parameter '%s' default %g is outside [%g, %g]", who,
                                p->name, p->def, p->min, p->max);
            break;
        case ANIMAT_PARAM_BOOL:
            if (p->def != 0 && p->def != 1)
                return errmsg_set(e, "plugin %s: parameter '%s' bool default must be 0 or 1", who, p->name);
            break;
        case ANIMAT_PARAM_CHOICE:
            if (!p->choices || params_choice_at(p->choices, (uint32_t)p->def, buf, sizeof buf))
                return errmsg_set(e, "plugin %s: parameter '%s' has bad choices or default", who, p->name);
            break;
        case ANIMAT_PARAM_REAL_LIST:
            if (parse_def_list(p->def_list, tmp, &nl))
                return errmsg_set(e, "plugin %s: parameter '%s' has a malformed default list", who, p->name);
            for (uint32_t k = 0; k < nl; k++)
                if (!(p->min <= tmp[k] && tmp[k] <= p->max))
                    return errmsg_set(e, "plugin %s: parameter '%s' default element %g is outside [%g, %g]",
                                    who, p->name, tmp[k], p->min, p->max);
            break;
        case ANIMAT_PARAM_PATH:
            break;
        default:
            return errmsg_set(e, "plugin %s: parameter '%s' has unknown type %u", who, p->name, p->type);
        }
    }
    return 0;
}

/* Fill v with p's default (table already checked). */
static void set_default(params_value *v, const animat_param_info *p) {
    v->info = p;
    v->real = p->def;
    if (p->type == ANIMAT_PARAM_CHOICE) {
        params_choice_at(p->choices, (uint32_t)p->def, v->choice_buf, sizeof v->choice_buf);
        v->choice = v->choice_buf;
    }
    if (p->type == ANIMAT_PARAM_REAL_LIST) parse_def_list(p->def_list, v->list, &v->nlist);
}

/* Check a number against p's type and bounds; `label` is the key as the
 * message shows it ("n_bodies", "hidden[1]"). */
static int check_number(const animat_param_info *p, const yamltree *node, double x, const char *where,
                        const char *label, const char *plugin, errmsg *e) {
    char q[80];
    if (p->type == ANIMAT_PARAM_INT && x != floor(x))
        return errmsg_at(e, node->file, node->line, node->col, "%s.%s: %s must be an integer (plugin %s)", where,
                       label, errmsg_quote(node->str, q, sizeof q), plugin);
    if (!(p->min <= x && x <= p->max))
        return errmsg_at(e, node->file, node->line, node->col, "%s.%s: %s is out of range [%g, %g] (plugin %s)", where,
                       label, errmsg_quote(node->str, q, sizeof q), p->min, p->max, plugin);
    return 0;
}

/* Parse a number scalar for p: not-a-number, quoted and too-big each get
 * their own message. */
static int read_number(const animat_param_info *p, const yamltree *node, const char *where, const char *label,
                       const char *plugin, double *x, errmsg *e) {
    char q[80];
    const char *want = p->type == ANIMAT_PARAM_REAL_LIST ? "a number" : params_type_name(p->type);
    if (node->quoted)
        return errmsg_at(e, node->file, node->line, node->col,
                       "%s.%s: expected %s, got a quoted string '%s' (remove the quotes)", where, label, want,
                       errmsg_quote(node->str, q, sizeof q));
    int rc = params_parse_real(node->str, x);
    if (rc == PARAMS_TOO_BIG)
        return errmsg_at(e, node->file, node->line, node->col, "%s.%s: %s is out of range [%g, %g] (plugin %s)", where,
                       label, errmsg_quote(node->str, q, sizeof q), p->min, p->max, plugin);
    if (rc)
        return errmsg_at(e, node->file, node->line, node->col, "%s.%s: expected %s, got '%s'", where, label, want,
                       errmsg_quote(node->str, q, sizeof q));
    return check_number(p, node, *x, where, label, plugin, e);
}

/* A PATH value: resolve it against the folder of the file that holds it
 * (node->dir when set: a stored experiment's original folder; the working
 * directory for --set values, which have no line) and check that a
 * readable regular file is there. */
static int apply_path(params_value *v, const yamltree *node, const char *where, errmsg *e) {
    char q[80], dir[ANIMAT_PARAM_PATH_MAX] = ".", full[ANIMAT_PARAM_PATH_MAX];
    const char *s = node->str;
    if (!*s) return errmsg_at(e, node->file, node->line, node->col, "%s.%s: empty file path", where, v->info->name);
    if (s[0] != '/' && node->line && node->dir) {
        snprintf(dir, sizeof dir, "%s", node->dir);
    } else if (s[0] != '/' && node->line && node->file) {
        snprintf(dir, sizeof dir, "%s", node->file);
        char *slash = strrchr(dir, '/');
        if (slash) *slash = 0; else strcpy(dir, ".");
    }
    int len = s[0] == '/' ? snprintf(full, sizeof full, "%s", s) : snprintf(full, sizeof full, "%s/%s", dir, s);
    if (len < 0 || (size_t)len >= sizeof full)
        return errmsg_at(e, node->file, node->line, node->col, "%s.%s: file path too long", where, v->info->name);
    struct stat st;
    const char *why = stat(full, &st) ? strerror(errno) : !S_ISREG(st.st_mode) ? "not a regular file"
                      : access(full, R_OK) ? strerror(errno) : NULL;
    if (why)
        return errmsg_at(e, node->file, node->line, node->col, "%s.%s: %s: %s", where, v->info->name,
                       errmsg_quote(full, q, sizeof q), why);
    free(v->path);
    v->path = strdup(full);
    return v->path ? 0 : errmsg_set(e, "out of memory");
}

/* Apply one given value node to v. */
static int apply(params_value *v, const yamltree *node, const char *where, const char *plugin, errmsg *e) {
    const animat_param_info *p = v->info;
    const char *file = node->file;
    if (p->type == ANIMAT_PARAM_REAL_LIST) {
        if (node->kind != YAMLTREE_SEQ)
            return errmsg_at(e, file, node->line, node->col, "%s.%s: expected a list of numbers like [64, 64], got %s",
                           where, p->name, yamltree_kind_name(node->kind));
        if (node->n > ANIMAT_PARAM_LIST_MAX)
            return errmsg_at(e, file, node->line, node->col, "%s.%s: list longer than %u", where, p->name,
                           ANIMAT_PARAM_LIST_MAX);
        for (size_t i = 0; i < node->n; i++) {
            const yamltree *it = node->vals[i];
            char label[96];
            snprintf(label, sizeof label, "%s[%zu]", p->name, i);
            if (it->kind != YAMLTREE_SCALAR)
                return errmsg_at(e, it->file, it->line, it->col, "%s.%s: expected a number, got %s", where, label,
                               yamltree_kind_name(it->kind));
            if (read_number(p, it, where, label, plugin, &v->list[i], e)) return -1;
        }
        v->nlist = (uint32_t)node->n;
        return 0;
    }
    if (node->kind != YAMLTREE_SCALAR)
        return errmsg_at(e, file, node->line, node->col, "%s.%s: expected %s, got %s", where, p->name,
                       params_type_name(p->type), yamltree_kind_name(node->kind));
    const char *s = node->str;
    char q[80];
    switch (p->type) {
    case ANIMAT_PARAM_PATH:
        return apply_path(v, node, where, e);
    case ANIMAT_PARAM_BOOL:
        if (node->quoted)
            return errmsg_at(e, file, node->line, node->col,
                           "%s.%s: expected true or false, got a quoted string '%s' (remove the quotes)", where,
                           p->name, errmsg_quote(s, q, sizeof q));
        if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "yes") || !strcmp(s, "on"))
            v->real = 1;
        else if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "no") || !strcmp(s, "off"))
            v->real = 0;
        else
            return errmsg_at(e, file, node->line, node->col, "%s.%s: expected true or false, got '%s'", where,
                           p->name, errmsg_quote(s, q, sizeof q));
        return 0;
    case ANIMAT_PARAM_CHOICE: {
        int idx = choice_index(p->choices, s);
        if (idx < 0)
            return errmsg_at(e, file, node->line, node->col, "%s.%s: '%s' is not one of %s (plugin %s)", where,
                           p->name, errmsg_quote(s, q, sizeof q), p->choices, plugin);
        v->real = idx;
        snprintf(v->choice_buf, sizeof v->choice_buf, "%s", s);
        v->choice = v->choice_buf;
        return 0;
    }
    default: {
        double x;
        if (read_number(p, node, where, p->name, plugin, &x, e)) return -1;
        v->real = x;
        return 0;
    }
    }
}

int params_resolve(const animat_param_info *params, uint32_t n, const yamltree *given, const char *where,
                 const char *plugin, params_set *out, errmsg *e) {
    out->v = NULL;
    out->n = 0;
    if (given && given->kind != YAMLTREE_MAP)
        return errmsg_at(e, given->file, given->line, given->col, "%s: expected a mapping of parameter: value",
                       where);
    params_value *v = calloc(n ? n : 1, sizeof *v);
    if (!v) return errmsg_set(e, "out of memory");
    for (uint32_t i = 0; i < n; i++) set_default(&v[i], params_at(params, i));
    for (size_t k = 0; given && k < given->n; k++) {
        const yamltree *key = given->keys[k];
        uint32_t i;
        for (i = 0; i < n; i++)
            if (strcmp(v[i].info->name, key->str) == 0) break;
        if (i == n) {
            char known[512] = "";
            for (uint32_t j = 0; j < n; j++) {
                size_t len = strlen(known);
                snprintf(known + len, sizeof known - len, "%s%s", j ? ", " : "", v[j].info->name);
            }
            char q[80];
            errmsg_at(e, key->file, key->line, key->col, "%s: unknown parameter '%s' for plugin %s (known: %s)",
                    where, errmsg_quote(key->str, q, sizeof q), plugin, n ? known : "none");
            params_free(&(params_set){v, n});
            return -1;
        }
        if (apply(&v[i], given->vals[k], where, plugin, e)) {
            params_free(&(params_set){v, n});
            return -1;
        }
    }
    /* choice pointers must follow the array. */
    for (uint32_t i = 0; i < n; i++)
        if (v[i].choice) v[i].choice = v[i].choice_buf;
    out->v = v;
    out->n = n;
    return 0;
}

void params_free(params_set *s) {
    for (uint32_t i = 0; s->v && i < s->n; i++) free(s->v[i].path);
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

const params_value *params_find(const params_set *s, const char *name) {
    for (uint32_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i].info->name, name) == 0) return &s->v[i];
    return NULL;
}
