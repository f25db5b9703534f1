/* fuzz_yaml.c -- libFuzzer target for the YAML tree (core/yamltree.c).
 *
 * The input is a YAML document. If yamltree_parse accepts it, the tree is walked
 * (every node's invariants checked, every key looked up again with yamltree_get
 * and yamltree_key), then yamltree_set_path overrides a few paths -- fixed ones and
 * one built from the tree's own keys, as `--set` does -- and the result is
 * checked and freed. Violated invariants abort with __builtin_trap().
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errmsg.h"
#include "base/yamltree.h"

#define CHECK(c) \
    do {         \
        if (!(c)) __builtin_trap(); \
    } while (0)

/* Walk a tree: structure invariants and key lookups. `maxdepth` bounds the
 * nesting: yamltree_parse refuses more than 64 levels, but yamltree_set_path may
 * add one level per path component. */
static int maxdepth;

static void walk(const yamltree *n, int depth) {
    CHECK(depth <= maxdepth);
    CHECK(n->file != NULL);
    switch (n->kind) {
    case YAMLTREE_SCALAR:
        CHECK(n->str != NULL);
        CHECK(n->n == 0 && !n->keys && !n->vals);
        (void)strlen(n->str);
        break;
    case YAMLTREE_SEQ:
        CHECK(n->str == NULL && !n->keys);
        CHECK(n->n == 0 || n->vals);
        for (size_t i = 0; i < n->n; i++) walk(n->vals[i], depth + 1);
        CHECK(yamltree_get(n, "x") == NULL && yamltree_key(n, "x") == NULL);
        break;
    case YAMLTREE_MAP:
        CHECK(n->str == NULL);
        CHECK(n->n == 0 || (n->keys && n->vals));
        for (size_t i = 0; i < n->n; i++) {
            const yamltree *k = n->keys[i];
            CHECK(k && k->kind == YAMLTREE_SCALAR && k->str);
            /* Keys are unique, so a lookup finds exactly this pair. The
             * lookups are linear: sample big mappings, or the harness
             * itself goes quadratic. */
            if (n->n <= 256 || i % (n->n / 64) == 0) {
                CHECK(yamltree_key(n, k->str) == k);
                CHECK(yamltree_get(n, k->str) == n->vals[i]);
            }
            walk(k, depth + 1);
            walk(n->vals[i], depth + 1);
        }
        break;
    default:
        __builtin_trap();
    }
    (void)yamltree_kind_name(n->kind);
}

/* Follow a dot path (as yamltree_set_path splits it); NULL if absent. */
static const yamltree *follow(const yamltree *n, const char *path) {
    char buf[512];
    if (strlen(path) >= sizeof buf) return NULL;
    strcpy(buf, path);
    for (char *save = NULL, *c = strtok_r(buf, ".", &save); c; c = strtok_r(NULL, ".", &save))
        if (!(n = yamltree_get(n, c))) return NULL;
    return n;
}

/* Set root[path] to a fixed value and check the result. */
static void set_one(yamltree *root, const char *path, const char *text) {
    errmsg e;
    errmsg_clear(&e);
    yamltree *v = yamltree_parse("--set", text, strlen(text), &e);
    CHECK(v != NULL); /* the fixed values are valid YAML */
    int rc = yamltree_set_path(root, path, v, &e);
    CHECK(rc == 0 || rc == -1);
    CHECK(rc == 0 || e.set);
    /* On success the value sits at the path (paths without empty parts). */
    if (rc == 0 && !strstr(path, "..") && path[0] != '.') CHECK(follow(root, path) == v);
    maxdepth += (int)strlen(path) + 1;
    walk(root, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    errmsg e;
    errmsg_clear(&e);
    yamltree *root = yamltree_parse("fuzz.yaml", (const char *)data, size, &e);
    if (!root) {
        CHECK(e.set && memchr(e.msg, '\0', sizeof e.msg));
        return 0;
    }
    CHECK(!e.set);
    maxdepth = 66;
    walk(root, 0);

    /* A path from the document's own first keys, e.g. "body.params.n". */
    char path[512] = "";
    const yamltree *n = root;
    for (int d = 0; d < 8 && n->kind == YAMLTREE_MAP && n->n; d++) {
        size_t len = strlen(path), klen = strlen(n->keys[0]->str);
        if (len + klen + 2 > sizeof path) break;
        snprintf(path + len, sizeof path - len, "%s%s", len ? "." : "", n->keys[0]->str);
        n = n->vals[0];
    }
    if (root->kind == YAMLTREE_MAP) {
        if (path[0]) set_one(root, path, "[1, 2.5, {a: b}]");
        set_one(root, "body.params.n_bodies", "9");
        set_one(root, "circuit.theta", "[2, 1, 1, -1]");
        set_one(root, "a..b", "x");
        set_one(root, "", "x");
    }
    yamltree_free(root);
    return 0;
}
