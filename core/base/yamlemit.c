/* yamlemit.c -- see yamlemit.h. */
#include "base/yamlemit.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* The growing output buffer behind the emitter. */
typedef struct {
    char *s;
    size_t len, cap;
    int oom;
} yamlemit_buf;

/* libyaml's write handler: append `size` bytes. 1 = ok, 0 = error. */
static int write_out(void *ctx, unsigned char *data, size_t size) {
    yamlemit_buf *b = ctx;
    if (b->len + size + 1 > b->cap) {
        size_t cap = (b->cap + size + 1) * 2;
        char *p = realloc(b->s, cap);
        if (!p) return b->oom = 1, 0;
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, data, size);
    b->len += size;
    b->s[b->len] = '\0';
    return 1;
}

/* Emit one node and its children. 1 = ok, 0 = emitter error. */
static int emit_node(yaml_emitter_t *em, const yamltree *n) {
    yaml_event_t ev;
    if (n->kind == YAMLTREE_SCALAR) {
        yaml_scalar_style_t st = n->quoted ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE;
        if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)n->str, (int)strlen(n->str), !n->quoted,
                                          1, st))
            return 0;
        return yaml_emitter_emit(em, &ev);
    }
    int map = n->kind == YAMLTREE_MAP;
    /* Short lists of scalars (theta vectors) read best on one line. */
    int flow = !map && n->n > 0;
    for (size_t i = 0; flow && i < n->n; i++) flow = n->vals[i]->kind == YAMLTREE_SCALAR;
    int ok = map ? yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE)
                 : yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
                                                        flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
    if (!ok || !yaml_emitter_emit(em, &ev)) return 0;
    for (size_t i = 0; i < n->n; i++)
        if ((map && !emit_node(em, n->keys[i])) || !emit_node(em, n->vals[i])) return 0;
    ok = map ? yaml_mapping_end_event_initialize(&ev) : yaml_sequence_end_event_initialize(&ev);
    return ok && yaml_emitter_emit(em, &ev);
}

/* Stream start, document start, the root, document end, stream end. */
static int emit_document(yaml_emitter_t *em, const yamltree *root) {
    yaml_event_t ev;
    if (!yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) || !yaml_emitter_emit(em, &ev)) return 0;
    if (!yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) || !yaml_emitter_emit(em, &ev)) return 0;
    if (!emit_node(em, root)) return 0;
    if (!yaml_document_end_event_initialize(&ev, 1) || !yaml_emitter_emit(em, &ev)) return 0;
    return yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
}

char *yamlemit_text(const yamltree *root, errmsg *e) {
    yaml_emitter_t em;
    yamlemit_buf b = {0};
    if (!yaml_emitter_initialize(&em)) {
        errmsg_set(e, "out of memory");
        return NULL;
    }
    yaml_emitter_set_output(&em, write_out, &b);
    yaml_emitter_set_unicode(&em, 1);
    yaml_emitter_set_width(&em, 100);
    int ok = emit_document(&em, root) && yaml_emitter_flush(&em);
    if (!ok || !b.s) {
        errmsg_set(e, "cannot write YAML: %s", b.oom || !b.s ? "out of memory" : em.problem ? em.problem : "emitter error");
        free(b.s);
        b.s = NULL;
    }
    yaml_emitter_delete(&em);
    return b.s;
}

int yamltree_remove(yamltree *m, const char *key) {
    if (!m || m->kind != YAMLTREE_MAP) return 0;
    for (size_t i = 0; i < m->n; i++) {
        if (strcmp(m->keys[i]->str, key)) continue;
        yamltree_free(m->keys[i]);
        yamltree_free(m->vals[i]);
        memmove(m->keys + i, m->keys + i + 1, (m->n - i - 1) * sizeof *m->keys);
        memmove(m->vals + i, m->vals + i + 1, (m->n - i - 1) * sizeof *m->vals);
        m->n--;
        return 1;
    }
    return 0;
}
