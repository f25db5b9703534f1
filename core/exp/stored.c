/* stored.c -- see stored.h. */
#include "exp/stored.h"

#include <stdio.h>
#include <string.h>

#include "base/yamltree.h"

/* Is a plugin: value a file path (rather than a name)? The rule of
 * registry_resolve: it holds '/' or ends in .so. */
static int is_path(const yamltree *v) {
    if (!v || v->kind != YAMLTREE_SCALAR) return 0;
    size_t n = strlen(v->str);
    return strchr(v->str, '/') || (n > 3 && !strcmp(v->str + n - 3, ".so"));
}

int experiment_stored_paths(const char *label, const char *text, char *buf, size_t cap, int *n, errmsg *e) {
    yamltree *doc = yamltree_parse(label, text, strlen(text), e);
    if (!doc) return -1;
    static const char *const single[] = {"body", "circuit", "learner"}, *const maps[] = {"bodies", "circuits"};
    for (int k = 0; k < 3; k++) {
        const yamltree *v = yamltree_get(yamltree_get(doc, single[k]), "plugin");
        if (is_path(v) && ++*n)
            snprintf(buf + strlen(buf), cap - strlen(buf), "%s%s (%s.plugin)", *n > 1 ? ", " : "", v->str, single[k]);
    }
    for (int k = 0; k < 2; k++) {
        const yamltree *m = yamltree_get(doc, maps[k]);
        for (size_t i = 0; m && m->kind == YAMLTREE_MAP && i < m->n; i++) {
            const yamltree *v = yamltree_get(m->vals[i], "plugin");
            if (is_path(v) && ++*n)
                snprintf(buf + strlen(buf), cap - strlen(buf), "%s%s (%s.%s.plugin)", *n > 1 ? ", " : "", v->str,
                         maps[k], m->keys[i]->str);
        }
    }
    yamltree_free(doc);
    return 0;
}
