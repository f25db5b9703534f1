/* yamltree.c -- see yamltree.h. Built on libyaml's event parser. */
#include "base/yamltree.h"

#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

/* Largest file we agree to read: experiment files are small. */
#define YAMLTREE_MAX_BYTES (16u << 20)
/* Deepest nesting accepted (guards the recursive parser's stack). */
#define YAMLTREE_MAX_DEPTH 64

typedef struct {
    yaml_parser_t p;
    const char *file;
    const char *text; /* the input, for positions of encoding errors */
    size_t len;
    errmsg *e;
} yamltree_ctx;

/* Allocate a node at the event's start mark. NULL on OOM (e set). */
static yamltree *node_new(yamltree_ctx *c, int kind, const yaml_event_t *ev) {
    yamltree *n = calloc(1, sizeof *n);
    if (!n) {
        errmsg_at(c->e, c->file, 0, 0, "out of memory");
        return NULL;
    }
    n->kind = kind;
    n->file = c->file;
    n->line = (unsigned)ev->start_mark.line + 1;
    n->col = (unsigned)ev->start_mark.column + 1;
    return n;
}

/* Append (key, val) or item val to a container, doubling its capacity when
 * full (linear total cost for large mappings). 0 or -1 on OOM. */
static int node_push(yamltree *n, yamltree *key, yamltree *val) {
    if (n->n == n->cap) {
        size_t cap = n->cap ? 2 * n->cap : 4;
        yamltree **v = realloc(n->vals, cap * sizeof *v);
        if (!v) return -1;
        n->vals = v;
        if (n->kind == YAMLTREE_MAP) {
            yamltree **k = realloc(n->keys, cap * sizeof *k);
            if (!k) return -1;
            n->keys = k;
        }
        n->cap = cap;
    }
    if (n->kind == YAMLTREE_MAP) n->keys[n->n] = key;
    n->vals[n->n++] = val;
    return 0;
}

/* 1-based line and column of byte `off` of the input (encoding errors
 * come with a byte offset only), counting characters in the encoding
 * libyaml detected: UTF-8, or UTF-16 after a byte-order mark. */
static void offset_position(const yamltree_ctx *c, size_t off, unsigned *line, unsigned *col) {
    const unsigned char *t = (const unsigned char *)c->text;
    int enc = c->p.encoding;
    size_t step = enc == YAML_UTF16LE_ENCODING || enc == YAML_UTF16BE_ENCODING ? 2 : 1;
    size_t i = step == 2 ? 2 : 0; /* skip the UTF-16 byte-order mark */
    *line = 1;
    *col = 1;
    for (; i + step <= off && i + step <= c->len; i += step) {
        unsigned u = step == 1 ? t[i] : enc == YAML_UTF16LE_ENCODING ? t[i] | t[i + 1] << 8u : t[i] << 8u | t[i + 1];
        if (u == '\n') {
            (*line)++;
            *col = 1;
        } else if (step == 1 ? (u & 0xC0) != 0x80 : (u & 0xFC00) != 0xDC00) {
            (*col)++; /* characters, not UTF-8 continuation bytes or low surrogates */
        }
    }
}

/* Fetch the next event; -1 with a positioned message on a syntax error. */
static int next_event(yamltree_ctx *c, yaml_event_t *ev) {
    if (yaml_parser_parse(&c->p, ev)) return 0;
    const yaml_parser_t *p = &c->p;
    const char *problem = p->problem ? p->problem : "syntax error", *context = p->context;
    unsigned line, col;
    if (p->error == YAML_READER_ERROR) {
        /* Bad bytes or encoding: libyaml gives a byte offset. */
        offset_position(c, p->problem_offset, &line, &col);
    } else if (context && (strstr(context, "quoted scalar") || strstr(context, "flow") ||
                           strstr(context, "simple key"))) {
        /* An unterminated construct: point at where it starts. */
        line = (unsigned)p->context_mark.line + 1;
        col = (unsigned)p->context_mark.column + 1;
    } else {
        line = (unsigned)p->problem_mark.line + 1;
        col = (unsigned)p->problem_mark.column + 1;
    }
    const char *hint = context && strstr(context, "simple key") ? " (a YAML key is at most 1024 characters on one line)" : "";
    errmsg_at(c->e, c->file, line, col, "invalid YAML: %s%s%s%s", problem, context ? " " : "", context ? context : "",
            hint);
    return -1;
}

static yamltree *parse_node(yamltree_ctx *c, yaml_event_t *ev, int depth);

/* Order two nodes by position in the file. */
static int cmp_pos(const yamltree *x, const yamltree *y) {
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    return (x->col > y->col) - (x->col < y->col);
}

/* Order key nodes by text, then by position in the file. */
static int cmp_keys(const void *a, const void *b) {
    const yamltree *x = *(yamltree *const *)a, *y = *(yamltree *const *)b;
    int d = strcmp(x->str, y->str);
    return d ? d : cmp_pos(x, y);
}

/* Refuse a mapping with a repeated key, pointing at the first repeat in the
 * file. Sorting keeps this O(n log n) for documents with many keys. */
static int check_duplicates(yamltree_ctx *c, const yamltree *n) {
    if (n->n < 2) return 0;
    yamltree **k = malloc(n->n * sizeof *k);
    if (!k) return errmsg_at(c->e, c->file, 0, 0, "out of memory");
    memcpy(k, n->keys, n->n * sizeof *k);
    qsort(k, n->n, sizeof *k, cmp_keys);
    const yamltree *dup = NULL;
    for (size_t i = 1; i < n->n; i++)
        if (!strcmp(k[i]->str, k[i - 1]->str) && (!dup || cmp_pos(k[i], dup) < 0)) dup = k[i];
    free(k);
    if (dup) return errmsg_at(c->e, c->file, dup->line, dup->col, "duplicate key '%s'", dup->str);
    return 0;
}

/* Parse the children of a sequence or mapping until its end event. */
static int parse_children(yamltree_ctx *c, yamltree *n, int depth) {
    yaml_event_t ev;
    int end = n->kind == YAMLTREE_MAP ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
    for (;;) {
        if (next_event(c, &ev)) return -1;
        if ((int)ev.type == end) {
            yaml_event_delete(&ev);
            return n->kind == YAMLTREE_MAP ? check_duplicates(c, n) : 0;
        }
        yamltree *key = parse_node(c, &ev, depth + 1);
        yaml_event_delete(&ev);
        if (!key) return -1;
        yamltree *val = NULL;
        if (n->kind == YAMLTREE_MAP) {
            /* Keys must be plain scalars and unique. */
            if (key->kind != YAMLTREE_SCALAR) {
                errmsg_at(c->e, c->file, key->line, key->col, "mapping keys must be plain names, not %s",
                        yamltree_kind_name(key->kind));
                yamltree_free(key);
                return -1;
            }
            if (next_event(c, &ev)) {
                yamltree_free(key);
                return -1;
            }
            val = parse_node(c, &ev, depth + 1);
            yaml_event_delete(&ev);
            if (!val) {
                yamltree_free(key);
                return -1;
            }
        } else {
            val = key;
            key = NULL;
        }
        if (node_push(n, key, val)) {
            yamltree_free(key);
            yamltree_free(val);
            return errmsg_at(c->e, c->file, 0, 0, "out of memory");
        }
    }
}

/* A tagged node ("!custom", "!!python/object:..."): refused, never
 * ignored, naming the tag (cut short). Returns NULL. */
static yamltree *refuse_tag(yamltree_ctx *c, const yaml_char_t *tag, unsigned line, unsigned col) {
    char q[80];
    errmsg_at(c->e, c->file, line, col, "YAML tags are not supported (found %s)", errmsg_quote((const char *)tag, q, sizeof q));
    return NULL;
}

/* Build the node that starts with event ev (ev is owned by the caller). */
static yamltree *parse_node(yamltree_ctx *c, yaml_event_t *ev, int depth) {
    unsigned line = (unsigned)ev->start_mark.line + 1, col = (unsigned)ev->start_mark.column + 1;
    if (depth > YAMLTREE_MAX_DEPTH) {
        errmsg_at(c->e, c->file, line, col, "nesting deeper than %d levels", YAMLTREE_MAX_DEPTH);
        return NULL;
    }
    yamltree *n = NULL;
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        if (ev->data.scalar.tag && !ev->data.scalar.quoted_implicit && !ev->data.scalar.plain_implicit)
            return refuse_tag(c, ev->data.scalar.tag, line, col);
        if (!(n = node_new(c, YAMLTREE_SCALAR, ev))) return NULL;
        n->str = strndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
        if (!n->str || strlen(n->str) != ev->data.scalar.length) {
            errmsg_at(c->e, c->file, line, col, n->str ? "NUL byte inside a value" : "out of memory");
            yamltree_free(n);
            return NULL;
        }
        n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
        return n;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        if (ev->type == YAML_MAPPING_START_EVENT && ev->data.mapping_start.tag && !ev->data.mapping_start.implicit)
            return refuse_tag(c, ev->data.mapping_start.tag, line, col);
        if (ev->type == YAML_SEQUENCE_START_EVENT && ev->data.sequence_start.tag && !ev->data.sequence_start.implicit)
            return refuse_tag(c, ev->data.sequence_start.tag, line, col);
        if (!(n = node_new(c, ev->type == YAML_MAPPING_START_EVENT ? YAMLTREE_MAP : YAMLTREE_SEQ, ev))) return NULL;
        if (parse_children(c, n, depth)) {
            yamltree_free(n);
            return NULL;
        }
        return n;
    case YAML_ALIAS_EVENT:
        errmsg_at(c->e, c->file, line, col, "YAML aliases (*name) are not supported");
        return NULL;
    default:
        errmsg_at(c->e, c->file, line, col, "unexpected YAML structure");
        return NULL;
    }
}

yamltree *yamltree_parse(const char *file, const char *text, size_t len, errmsg *e) {
    yamltree_ctx c = {.file = NULL, .text = text, .len = len, .e = e};
    char *own = strdup(file ? file : "<input>");
    if (!own) {
        errmsg_set(e, "out of memory");
        return NULL;
    }
    c.file = own;
    if (!yaml_parser_initialize(&c.p)) {
        free(own);
        errmsg_set(e, "out of memory");
        return NULL;
    }
    yaml_parser_set_input_string(&c.p, (const unsigned char *)text, len);
    yamltree *root = NULL;
    yaml_event_t ev;
    int ok = 0;
    /* STREAM-START, then DOCUMENT-START or STREAM-END (empty file). */
    if (next_event(&c, &ev)) goto done;
    yaml_event_delete(&ev);
    if (next_event(&c, &ev)) goto done;
    if (ev.type == YAML_STREAM_END_EVENT) {
        yaml_event_delete(&ev);
        root = node_new(&c, YAMLTREE_MAP, &ev);
        ok = root != NULL;
        goto done;
    }
    yaml_event_delete(&ev);
    if (next_event(&c, &ev)) goto done;
    root = parse_node(&c, &ev, 0);
    yaml_event_delete(&ev);
    if (!root) goto done;
    /* DOCUMENT-END, then STREAM-END: a second document is an error. */
    if (next_event(&c, &ev)) goto done;
    yaml_event_delete(&ev);
    if (next_event(&c, &ev)) goto done;
    if (ev.type != YAML_STREAM_END_EVENT) {
        errmsg_at(e, c.file, (unsigned)ev.start_mark.line + 1, (unsigned)ev.start_mark.column + 1,
                "more than one YAML document in the file");
        yaml_event_delete(&ev);
        goto done;
    }
    yaml_event_delete(&ev);
    ok = 1;
done:
    yaml_parser_delete(&c.p);
    if (!ok) {
        yamltree_free(root); /* own_file is only attached on success */
        free(own);
        return NULL;
    }
    root->own_file = own;
    return root;
}

/* Seconds on the monotonic clock. */
static double mono_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Read all of fd (not a regular file: a FIFO, pipe, terminal or device)
 * into buf (cap bytes) without ever blocking past `deadline`: the fd is
 * non-blocking and every wait is a poll. Bytes read, or -1 with errno set
 * (ETIMEDOUT at the deadline, EFBIG when more than cap bytes arrive). */
static ssize_t read_stream(int fd, char *buf, size_t cap, double deadline) {
    size_t got = 0;
    int ready = 0; /* poll said readable or hung up: a 0 read is then EOF */
    for (;;) {
        ssize_t n = read(fd, buf + got, cap - got);
        if (n > 0) {
            got += (size_t)n;
            if (got == cap) return errno = EFBIG, -1;
            continue;
        }
        /* A FIFO with no writer yet also reads 0: wait for one to come. */
        if (n == 0 && (got > 0 || ready)) return (ssize_t)got;
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return -1;
        double left = deadline - mono_s();
        if (left <= 0) return errno = ETIMEDOUT, -1;
        struct pollfd p = {fd, POLLIN, 0};
        int k = poll(&p, 1, (int)(left * 1000) + 1);
        if (k < 0 && errno != EINTR) return -1;
        ready = k > 0;
    }
}

/* Read a regular file of st_size bytes (one byte more detects growth
 * past the limit). Bytes read, or -1 with errno set. */
static ssize_t read_regular(int fd, char *buf, size_t cap) {
    size_t got = 0;
    while (got < cap) {
        ssize_t n = read(fd, buf + got, cap - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        if (n == 0) break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

yamltree *yamltree_load_within(const char *path, double wait_s, errmsg *e) {
    /* Non-blocking open: a FIFO nobody writes would block open() itself. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        errmsg_set(e, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    int regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    size_t cap = YAMLTREE_MAX_BYTES + 1;
    char *buf = malloc(cap);
    ssize_t len = !buf ? -1 : regular ? read_regular(fd, buf, cap) : read_stream(fd, buf, cap, mono_s() + wait_s);
    int err = len < 0 ? errno : 0;
    close(fd);
    if (!buf || len < 0 || (size_t)len > YAMLTREE_MAX_BYTES) {
        free(buf);
        if (!buf) errmsg_set(e, "%s: out of memory", path);
        else if (err == ETIMEDOUT)
            errmsg_set(e, "%s: no data within %g s (a FIFO or pipe that nobody writes?)", path, wait_s);
        else if (err == EFBIG || len > (ssize_t)YAMLTREE_MAX_BYTES) errmsg_set(e, "%s: file larger than 16 MiB", path);
        else errmsg_set(e, "%s: cannot read: %s", path, strerror(err ? err : EIO));
        return NULL;
    }
    yamltree *root = yamltree_parse(path, buf, (size_t)len, e);
    free(buf);
    return root;
}

yamltree *yamltree_load(const char *path, errmsg *e) { return yamltree_load_within(path, YAMLTREE_WAIT_S, e); }

void yamltree_free(yamltree *n) {
    if (!n) return;
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys) yamltree_free(n->keys[i]);
        yamltree_free(n->vals[i]);
    }
    free(n->keys);
    free(n->vals);
    free(n->str);
    free(n->own_file);
    free(n);
}

yamltree *yamltree_key(const yamltree *m, const char *key) {
    if (!m || m->kind != YAMLTREE_MAP) return NULL;
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->keys[i]->str, key) == 0) return m->keys[i];
    return NULL;
}

yamltree *yamltree_get(const yamltree *m, const char *key) {
    if (!m || m->kind != YAMLTREE_MAP) return NULL;
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->keys[i]->str, key) == 0) return m->vals[i];
    return NULL;
}

void yamltree_set_dir(yamltree *n, const char *dir) {
    if (!n) return;
    n->dir = dir;
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys) yamltree_set_dir(n->keys[i], dir);
        yamltree_set_dir(n->vals[i], dir);
    }
}

/* A synthesised scalar key (no position). NULL on OOM. */
static yamltree *key_new(const char *name, size_t len, const char *file) {
    yamltree *k = calloc(1, sizeof *k);
    if (!k) return NULL;
    k->kind = YAMLTREE_SCALAR;
    k->file = file;
    k->str = strndup(name, len);
    if (!k->str) {
        free(k);
        return NULL;
    }
    return k;
}

/* One step of a --set path: a mapping key (len bytes at key) or, when key
 * is NULL, a list index. */
typedef struct {
    const char *key;
    size_t len;
    size_t index;
    size_t end; /* offset in the path just past this step: path[0..end) names its node */
} path_step;

/* Split "a.b[2].c" into steps. Returns the count, or -1 with e set. */
static int path_split(const char *path, path_step *st, int cap, errmsg *e) {
    int n = 0;
    const char *p = path;
    for (;;) {
        size_t len = strcspn(p, ".[");
        if (len == 0) return errmsg_set(e, "--set %s: '%.*s' is not a key path", path, (int)(p - path), path);
        if (n == cap) return errmsg_set(e, "--set %s: more than %d keys", path, cap);
        st[n++] = (path_step){.key = p, .len = len, .end = (size_t)(p + len - path)};
        p += len;
        while (*p == '[') {
            char *end;
            errno = 0;
            unsigned long long i = p[1] >= '0' && p[1] <= '9' ? strtoull(p + 1, &end, 10) : 0;
            if (p[1] < '0' || p[1] > '9' || *end != ']' || errno || i > SIZE_MAX)
                return errmsg_set(e, "--set %s: '%.*s' is not a list index ([0], [1], ...)", path,
                                  (int)(strcspn(p, "]") + (p[strcspn(p, "]")] ? 1 : 0)), p);
            if (n == cap) return errmsg_set(e, "--set %s: more than %d keys", path, cap);
            p = end + 1;
            st[n++] = (path_step){.key = NULL, .index = (size_t)i, .end = (size_t)(p - path)};
        }
        if (!*p) return n;
        if (*p != '.') return errmsg_set(e, "--set %s: '%s' after a list index (expected . or [)", path, p);
        p++;
    }
}

/* errmsg_at at node n (its position, when it has one). */
static int at_node(errmsg *e, const yamltree *n, const char *path, size_t upto, const char *what) {
    return errmsg_at(e, n->line ? n->file : NULL, n->line, n->col, "--set %s: '%.*s' %s", path, (int)upto, path, what);
}

/* The child of m for step s, created (as a MAP) when m is a MAP without the
 * key and `create`. NULL with e set when m has no such child. */
static yamltree **path_child(yamltree *m, const path_step *s, const char *path, size_t upto, errmsg *e) {
    char what[160];
    if (!s->key) {
        if (m->kind != YAMLTREE_SEQ) {
            snprintf(what, sizeof what, "is %s, not a list: it has no index [%zu]", yamltree_kind_name(m->kind),
                     s->index);
            at_node(e, m, path, upto, what);
            return NULL;
        }
        if (s->index >= m->n) {
            snprintf(what, sizeof what, "has %zu item%s: index [%zu] is out of range%s", m->n, m->n == 1 ? "" : "s",
                     s->index, m->n ? "" : " (the list is empty)");
            at_node(e, m, path, upto, what);
            return NULL;
        }
        return &m->vals[s->index];
    }
    if (m->kind != YAMLTREE_MAP) {
        snprintf(what, sizeof what, "is %s, not a mapping", yamltree_kind_name(m->kind));
        at_node(e, m, path, upto, what);
        return NULL;
    }
    for (size_t i = 0; i < m->n; i++)
        if (strlen(m->keys[i]->str) == s->len && strncmp(m->keys[i]->str, s->key, s->len) == 0) return &m->vals[i];
    yamltree *k = key_new(s->key, s->len, m->file);
    if (!k || node_push(m, k, NULL)) {
        yamltree_free(k);
        errmsg_set(e, "out of memory");
        return NULL;
    }
    return &m->vals[m->n - 1];
}

int yamltree_set_path(yamltree *root, const char *path, yamltree *value, errmsg *e) {
    path_step st[32];
    int n = path_split(path, st, 32, e);
    yamltree *m = root;
    for (int i = 0; i < n; i++) {
        size_t upto = i ? st[i - 1].end : 0; /* path[0..upto) names m */
        yamltree **slot = path_child(m, &st[i], path, upto, e);
        if (!slot) break;
        if (i == n - 1) {
            yamltree_free(*slot);
            *slot = value;
            return 0;
        }
        if (!*slot) { /* a key just added: an intermediate mapping */
            m->n--;
            yamltree_free(m->keys[m->n]);
            if (!st[i + 1].key) {
                at_node(e, m, path, st[i].end, "does not exist: there is no list to index");
                break;
            }
            yamltree *sub = calloc(1, sizeof *sub);
            yamltree *k = key_new(st[i].key, st[i].len, m->file);
            if (!sub || !k || node_push(m, k, sub)) {
                free(sub);
                yamltree_free(k);
                errmsg_set(e, "out of memory");
                break;
            }
            sub->kind = YAMLTREE_MAP;
            sub->file = value->file;
            slot = &m->vals[m->n - 1];
        }
        m = *slot;
    }
    yamltree_free(value);
    return -1;
}

const char *yamltree_kind_name(int kind) {
    switch (kind) {
    case YAMLTREE_SCALAR: return "a single value";
    case YAMLTREE_SEQ: return "a list";
    case YAMLTREE_MAP: return "a mapping";
    default: return "unknown";
    }
}
