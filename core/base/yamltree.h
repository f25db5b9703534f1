/* yamltree.h -- a small YAML document tree with source positions (libyaml).
 *
 * Parses one YAML document into scalars, sequences and mappings. Every node
 * keeps the file name and 1-based line/column of where it starts, so every
 * later error can point at it. Anchors and aliases, tags and multiple
 * documents are refused with a positioned error. Duplicate mapping keys are
 * refused. Nodes are owned by the tree; free the root with yamltree_free.
 */
#ifndef YAMLTREE_H
#define YAMLTREE_H

#include <stddef.h>

#include "base/errmsg.h"

#define YAMLTREE_SCALAR 1
#define YAMLTREE_SEQ 2
#define YAMLTREE_MAP 3

typedef struct yamltree yamltree;
struct yamltree {
    int kind;           /* YAMLTREE_* */
    const char *file;   /* name for messages; owned by the tree's root */
    unsigned line, col; /* 1-based; 0 when synthesised (e.g. from --set) */
    char *str;          /* SCALAR: value (never NULL); else NULL */
    int quoted;         /* SCALAR: 1 if written with quotes */
    size_t n;           /* SEQ: items; MAP: pairs */
    yamltree **keys;        /* MAP: scalar key nodes, n of them */
    yamltree **vals;        /* SEQ: items; MAP: values; n of them */
    char *own_file;     /* set on parse roots only: the storage of `file` */
    const char *dir;    /* folder relative file paths here resolve against (yamltree_set_dir); NULL: file's folder */
    size_t cap;         /* allocated entries of keys/vals (internal) */
};

/* Parse `len` bytes of YAML named `file` (used in messages). Returns the
 * root, or NULL with e set. An empty document yields an empty MAP. The
 * caller frees the result with yamltree_free. */
yamltree *yamltree_parse(const char *file, const char *text, size_t len, errmsg *e);

/* Longest wait, in seconds, for the data of a file that is not a regular
 * file (a FIFO, or the pipe of bash's `--theta <(cat p.yaml)`). */
#define YAMLTREE_WAIT_S 10.0

/* Read and parse a file (at most 16 MiB). NULL with e set ("FILE: cannot
 * read: ..."). A regular file is read as it is; anything else (FIFO, pipe,
 * device) is opened non-blocking and read with poll until EOF, giving up
 * with "FILE: no data within 10 s" at YAMLTREE_WAIT_S: a FIFO that nobody
 * writes is one line, never a hang. */
yamltree *yamltree_load(const char *path, errmsg *e);

/* yamltree_load with the wait for a non-regular file's data set to wait_s
 * seconds (tests use a short one). */
yamltree *yamltree_load_within(const char *path, double wait_s, errmsg *e);

/* Resolve relative file paths in n and below against `dir` (borrowed: it
 * must outlive the tree) instead of the folder of their `file`: a
 * document stored in a recording names its original folder this way. */
void yamltree_set_dir(yamltree *n, const char *dir);

/* Free a tree (NULL is a no-op). Only call on roots from yamltree_parse/load. */
void yamltree_free(yamltree *root);

/* Value for `key` in MAP m, or NULL (m NULL or not a MAP -> NULL). */
yamltree *yamltree_get(const yamltree *m, const char *key);

/* Key node for `key` in MAP m (for positions), or NULL. */
yamltree *yamltree_key(const yamltree *m, const char *key);

/* Replace or add root[path] = value. path is dot-separated keys, each
 * optionally followed by list indices: "a.b.c", "wiring[1]",
 * "interventions[0].from", "a.b[2][0].c". Missing intermediate MAPs are
 * created; a list item must already exist (indices count from 0). `value`
 * (a root from yamltree_parse) is adopted by the tree, also on failure.
 * Returns 0, or -1 with e set (at the offending node's file:line:col when it
 * has one) when an index is out of range, a list index is applied to what
 * is not a list, a key to what is not a mapping, or the path is malformed. */
int yamltree_set_path(yamltree *root, const char *path, yamltree *value, errmsg *e);

/* Human name of a node kind: "a scalar", "a list", "a mapping". */
const char *yamltree_kind_name(int kind);

#endif
