/* fuzz_params.c -- libFuzzer target for parameter and port parsing
 * (core/params.c: params_resolve, params_parse_real, params_choice_at;
 *  core/exp/wiring.c: wiring_parse_end).
 *
 * Input: YAML [ '\0' string ( '\0' string )* ]
 *   - The YAML part (up to the first NUL byte) is parsed with yamltree_parse.
 *     The root and every `params` mapping in it (root.params,
 *     body.params, circuit.params, learner.params -- so the example
 *     experiments are useful seeds) are resolved with params_resolve against a
 *     fixed table holding every parameter type, and against an empty table.
 *   - Every scalar of the document (keys and values), both sides of a
 *     "SRC -> DST" string, and each NUL-separated string after the YAML part
 *     go to wiring_parse_end, params_parse_real and params_choice_at.
 * Every result is checked against the documented contract; a violation
 * aborts with __builtin_trap(). Output buffers are heap blocks of exactly
 * the advertised size, so AddressSanitizer sees any overflow.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/errmsg.h"
#include "exp/experiment_impl.h"
#include "exp/wiring.h"
#include "plugin/hostctx.h"
#include "base/params.h"
#include "base/yamltree.h"

#define CHECK(c) \
    do {         \
        if (!(c)) __builtin_trap(); \
    } while (0)

#define P(type, name, def, min, max, choices, def_list) \
    {sizeof(animat_param_info), type, 0, 0, name, "", def, min, max, choices, def_list, "fuzz"}

static const animat_param_info table[] = {
    P(ANIMAT_PARAM_INT, "n_bodies", 6, 3, 16, NULL, NULL),
    P(ANIMAT_PARAM_CHOICE, "task", 0, 0, 0, "swim|navigate", NULL),
    P(ANIMAT_PARAM_REAL, "time_limit", 30, 0.03, 3600, NULL, NULL),
    P(ANIMAT_PARAM_REAL, "timestep", 0.002, 1e-5, 0.01, NULL, NULL),
    P(ANIMAT_PARAM_REAL, "w_contra", -1, -1e308, 1e308, NULL, NULL),
    P(ANIMAT_PARAM_INT, "n_joints", 0, 0, 64, NULL, NULL),
    P(ANIMAT_PARAM_INT, "seed", 0, -1e18, 1e18, NULL, NULL),
    P(ANIMAT_PARAM_BOOL, "shared", 1, 0, 1, NULL, NULL),
    P(ANIMAT_PARAM_BOOL, "sign_constraints", 0, 0, 1, NULL, NULL),
    P(ANIMAT_PARAM_CHOICE, "init", 1, 0, 0, "default|random|zero", NULL),
    P(ANIMAT_PARAM_CHOICE, "long",  0, 0, 0,
      "a23456789012345678901234567890123456789012345678901234567890123|b", NULL),
    P(ANIMAT_PARAM_REAL_LIST, "hidden", 0, 1, 1024, NULL, "64,64"),
    P(ANIMAT_PARAM_REAL_LIST, "taus", 0, -1, 1, NULL, ""),
    P(ANIMAT_PARAM_REAL, "sigma", 0.1, 0, 10, NULL, NULL),
    P(ANIMAT_PARAM_INT, "population", 32, 2, 100000, NULL, NULL),
};
#define NTABLE ((uint32_t)(sizeof table / sizeof table[0]))

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    errmsg e;
    errmsg_clear(&e);
    CHECK(params_check_table(table, NTABLE, "fuzz", &e) == 0); /* the harness table is valid */
    return 0;
}

static void check_choice(const params_value *v) {
    const animat_param_info *p = v->info;
    char buf[64];
    CHECK(v->choice == v->choice_buf);
    CHECK(memchr(v->choice_buf, '\0', sizeof v->choice_buf));
    CHECK(v->real >= 0 && v->real == floor(v->real));
    CHECK(params_choice_at(p->choices, (uint32_t)v->real, buf, sizeof buf) == 0);
    CHECK(strcmp(buf, v->choice) == 0);
}

/* Resolve `given` against the table and check every resolved value. */
static void resolve(const yamltree *given) {
    errmsg e;
    errmsg_clear(&e);
    params_set s;
    memset(&s, 0xa5, sizeof s);
    if (params_resolve(table, NTABLE, given, "x.params", "fuzz", &s, &e)) {
        CHECK(e.set && s.v == NULL && s.n == 0);
        return;
    }
    CHECK(!e.set && s.n == NTABLE && s.v);
    for (uint32_t i = 0; i < s.n; i++) {
        const params_value *v = &s.v[i];
        const animat_param_info *p = v->info;
        CHECK(p == params_at(table, i));
        CHECK(params_find(&s, p->name) == v);
        switch (p->type) {
        case ANIMAT_PARAM_INT:
            CHECK(v->real == floor(v->real));
            /* fall through */
        case ANIMAT_PARAM_REAL:
            CHECK(isfinite(v->real) && p->min <= v->real && v->real <= p->max);
            break;
        case ANIMAT_PARAM_BOOL:
            CHECK(v->real == 0 || v->real == 1);
            break;
        case ANIMAT_PARAM_CHOICE:
            check_choice(v);
            break;
        case ANIMAT_PARAM_REAL_LIST:
            CHECK(v->nlist <= ANIMAT_PARAM_LIST_MAX);
            for (uint32_t k = 0; k < v->nlist; k++)
                CHECK(isfinite(v->list[k]) && p->min <= v->list[k] && v->list[k] <= p->max);
            break;
        default:
            __builtin_trap();
        }
        /* A value given in the mapping is the one resolved. */
        const yamltree *g = yamltree_get(given, p->name);
        if (g && g->kind == YAMLTREE_SCALAR && p->type != ANIMAT_PARAM_CHOICE && p->type != ANIMAT_PARAM_BOOL) {
            double x;
            CHECK(params_parse_real(g->str, &x) == 0 && x == v->real);
        }
        if (g && g->kind == YAMLTREE_SEQ) CHECK(v->nlist == g->n);
    }
    params_free(&s);
    CHECK(s.v == NULL && s.n == 0);

    /* An empty table accepts only an empty mapping. */
    errmsg_clear(&e);
    int rc = params_resolve(table, 0, given, "y.params", "none", &s, &e);
    CHECK(rc == 0 ? given == NULL || given->n == 0 : e.set);
    params_free(&s);
}

/* One string through the scalar parsers. */
static void strings(const char *s) {
    size_t len = strlen(s);

    /* params_parse_real: finite, only number characters, strtod's value. */
    double x = 12345.5;
    if (params_parse_real(s, &x) == 0) {
        CHECK(isfinite(x) && len > 0);
        CHECK(strspn(s, "0123456789+-.eE") == len);
        CHECK(x == strtod(s, NULL));
    } else {
        CHECK(x == 12345.5); /* untouched on failure */
    }

    /* wiring_parse_end against an experiment with instances body and circuit. */
    static experiment_inst insts[2] = {{.name = "body", .kind = ANIMAT_KIND_BODY},
                                       {.name = "circuit", .kind = ANIMAT_KIND_CIRCUIT}};
    static experiment fx = {.insts = insts, .ninsts = 2, .nbodies = 1};
    experiment_end end;
    if (wiring_parse_end(&fx, s, &end) == 0) {
        size_t pl = strnlen(end.port, sizeof end.port);
        CHECK(pl > 0 && pl < sizeof end.port && !strchr(end.port, '.') && !strchr(end.port, '['));
        CHECK(end.inst < 2 && (end.dir == ANIMAT_PORT_IN || end.dir == ANIMAT_PORT_OUT));
        CHECK(!end.sliced || end.lo < end.hi);
        CHECK(strncmp(s, end.inst == 0 ? "body." : "circuit.", end.inst == 0 ? 5 : 8) == 0);
    }

    /* params_choice_at: the string as a "a|b|c" list. */
    for (uint32_t idx = 0; idx < 4; idx++) {
        static const size_t ccaps[] = {64, 4};
        for (size_t c = 0; c < 2; c++) {
            char *buf = malloc(ccaps[c]);
            CHECK(buf);
            if (params_choice_at(s, idx, buf, ccaps[c]) == 0) {
                size_t bl = strnlen(buf, ccaps[c]);
                CHECK(bl > 0 && bl < ccaps[c] && !strchr(buf, '|'));
            }
            free(buf);
        }
    }
}

/* "SRC -> DST": both sides, trimmed as the wiring loader does. */
static void arrow_sides(const char *s) {
    const char *a = strstr(s, "->");
    if (!a) return;
    size_t n = (size_t)(a - s);
    char *src = strndup(s, n);
    CHECK(src);
    while (n && src[n - 1] == ' ') src[--n] = '\0';
    const char *b = src;
    while (*b == ' ') b++;
    strings(b);
    free(src);
    const char *d = a + 2;
    while (*d == ' ') d++;
    char *dst = strdup(d);
    CHECK(dst);
    for (size_t k = strlen(dst); k && dst[k - 1] == ' ';) dst[--k] = '\0';
    strings(dst);
    free(dst);
}

static int budget; /* scalars looked at per input */

static void scalars(const yamltree *n) {
    if (budget-- <= 0) return;
    if (n->kind == YAMLTREE_SCALAR) {
        strings(n->str);
        arrow_sides(n->str);
        return;
    }
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys) scalars(n->keys[i]);
        scalars(n->vals[i]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const uint8_t *nul = memchr(data, '\0', size);
    size_t ylen = nul ? (size_t)(nul - data) : size;

    errmsg e;
    errmsg_clear(&e);
    yamltree *d = yamltree_parse("params.yaml", (const char *)data, ylen, &e);
    if (d) {
        resolve(d);
        resolve(NULL);
        static const char *const roles[] = {"body", "circuit", "learner", NULL};
        const yamltree *p = yamltree_get(d, "params");
        if (p) resolve(p);
        for (const char *const *r = roles; *r; r++)
            if ((p = yamltree_get(yamltree_get(d, *r), "params"))) resolve(p);
        budget = 512;
        scalars(d);
        yamltree_free(d);
    }

    /* NUL-separated raw strings after the YAML part (any bytes). */
    if (nul) {
        const uint8_t *p = nul + 1, *end = data + size;
        while (p < end) {
            const uint8_t *q = memchr(p, '\0', (size_t)(end - p));
            size_t l = q ? (size_t)(q - p) : (size_t)(end - p);
            char *s = malloc(l + 1);
            CHECK(s);
            memcpy(s, p, l);
            s[l] = '\0';
            strings(s);
            arrow_sides(s);
            free(s);
            p += l + 1;
        }
    }
    return 0;
}
