/* thetafile.c -- see thetafile.h. */
#include "exp/thetafile.h"

#include <stdlib.h>
#include <string.h>

#include "base/params.h"

#define AT(e, n, ...) errmsg_at((e), (n)->file, (n)->line, (n)->col, __VA_ARGS__)

int thetafile_list(const yamltree *t, const char *where, double **out, uint32_t *n, errmsg *e) {
    if (t->kind != YAMLTREE_SEQ || t->n == 0) return AT(e, t, "%s: expected a non-empty list of numbers", where);
    double *v = calloc(t->n, sizeof *v);
    if (!v) return errmsg_set(e, "out of memory");
    for (size_t i = 0; i < t->n; i++) {
        const yamltree *it = t->vals[i];
        if (it->kind != YAMLTREE_SCALAR || it->quoted || params_parse_real(it->str, &v[i])) {
            free(v);
            return AT(e, it, "%s[%zu]: expected a finite number", where, i);
        }
    }
    *out = v;
    *n = (uint32_t)t->n;
    return 0;
}

/* The optional `names:` list: n plain strings. */
static int read_names(const yamltree *nm, uint32_t n, thetafile *t, errmsg *e) {
    if (nm->kind != YAMLTREE_SEQ) return AT(e, nm, "names: expected a list of entry names");
    if (nm->n != n) return AT(e, nm, "names: has %zu names but theta has %u values", nm->n, n);
    if (!(t->names = calloc(n, sizeof *t->names))) return errmsg_set(e, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        const yamltree *it = nm->vals[i];
        if (it->kind != YAMLTREE_SCALAR || !*it->str) return AT(e, it, "names[%u]: expected an entry name", i);
        if (!(t->names[i] = strdup(it->str))) return errmsg_set(e, "out of memory");
    }
    return 0;
}

/* Validate the parsed document d into t. */
static int read_doc(const yamltree *d, thetafile *t, errmsg *e) {
    static const char *const keys[] = {"circuit", "names", "theta"};
    if (d->kind != YAMLTREE_MAP) return AT(e, d, "a parameter file must be a mapping with a theta list");
    for (size_t i = 0; i < d->n; i++) {
        int ok = 0;
        for (size_t k = 0; k < 3; k++) ok |= !strcmp(d->keys[i]->str, keys[k]);
        if (!ok) /* the key is not quoted: the file may be anything (theta_file: /etc/shadow) */
            return AT(e, d->keys[i], "unknown key (expected one of: circuit, names, theta; the file's text is not "
                                     "quoted)");
    }
    const yamltree *c = yamltree_get(d, "circuit"), *th = yamltree_get(d, "theta"), *nm = yamltree_get(d, "names");
    if (!th) return AT(e, d, "missing required key 'theta'");
    if (c && (c->kind != YAMLTREE_SCALAR || !*c->str)) return AT(e, c, "circuit: expected a plugin name");
    if (c && !(t->circuit = strdup(c->str))) return errmsg_set(e, "out of memory");
    if (thetafile_list(th, "theta", &t->theta, &t->n, e)) return -1;
    return nm ? read_names(nm, t->n, t, e) : 0;
}

int thetafile_read(const char *path, thetafile *t, errmsg *e) {
    memset(t, 0, sizeof *t);
    yamltree *d = yamltree_load(path, e);
    if (!d) return -1;
    int rc = read_doc(d, t, e);
    yamltree_free(d);
    if (rc) thetafile_free(t);
    return rc;
}

void thetafile_free(thetafile *t) {
    for (uint32_t i = 0; t->names && i < t->n; i++) free(t->names[i]);
    free(t->names);
    free(t->theta);
    free(t->circuit);
    memset(t, 0, sizeof *t);
}
