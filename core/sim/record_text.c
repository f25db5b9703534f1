/* record_text.c -- the resolved experiment stored in a recording (see
 * record_resolved_text in record.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/yamlemit.h"
#include "sim/record.h"
#include "sim/sim_impl.h"

/* theta: [v0, v1, ...] of one circuit, printed to round-trip bit for bit,
 * replacing its theta or theta_file. */
static int inline_theta(yamltree *doc, sim *s, instance *in, errmsg *e) {
    uint32_t n = 0;
    instance_theta_info(in, &n);
    if (n == 0) return 0;
    double *t = malloc(n * sizeof *t);
    char *text = malloc((size_t)n * 28 + 3);
    if (!t || !text || instance_get_theta(in, t, n, e)) {
        if (!t || !text) errmsg_set(e, "out of memory");
        free(t), free(text);
        return -1;
    }
    size_t len = 0;
    text[len++] = '[';
    for (uint32_t i = 0; i < n; i++) len += (size_t)sprintf(text + len, "%s%.17g", i ? ", " : "", t[i]);
    text[len++] = ']';
    text[len] = '\0';
    free(t);
    char path[EXPERIMENT_NAME_MAX + 32];
    snprintf(path, sizeof path, s->x->short_form ? "circuit" : "circuits.%s", in->name);
    yamltree *node = s->x->short_form ? yamltree_get(doc, "circuit")
                                      : yamltree_get(yamltree_get(doc, "circuits"), in->name);
    yamltree_remove(node, "theta_file");
    strcat(path, ".theta");
    yamltree *v = yamltree_parse("theta", text, len, e);
    free(text);
    return v ? yamltree_set_path(doc, path, v, e) : -1;
}

char *record_resolved_text(sim *s, errmsg *e) {
    char *text = yamlemit_text(s->x->doc, e);
    yamltree *doc = text ? yamltree_parse(s->x->file, text, strlen(text), e) : NULL;
    free(text);
    if (!doc) return NULL;
    yamltree *rec = yamltree_get(doc, "record");
    yamltree_remove(rec, "file");
    yamltree_remove(rec, "trace");
    if (rec && rec->kind == YAMLTREE_MAP && rec->n == 0) yamltree_remove(doc, "record");
    yamltree_remove(doc, "theta_file");
    for (uint32_t i = s->nbodies; i < s->ninsts; i++)
        if (inline_theta(doc, s, &s->insts[i], e)) {
            yamltree_free(doc);
            return NULL;
        }
    text = yamlemit_text(doc, e);
    yamltree_free(doc);
    return text;
}
