/* testhost.c -- see testhost.h. */
#include "testhost.h"

#include <dlfcn.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TH_MAX 64

typedef struct {
    const char *name;
    uint32_t type;
    double real;
    char choice[64];
    double list[ANIMAT_PARAM_LIST_MAX];
    uint32_t nlist;
} th_param;

struct th_host {
    animat_host h; /* first: the table handed to the plugin */
    th_param p[TH_MAX];
    uint32_t np;
    struct { uint32_t dir; char name[64]; uint32_t size; } wired[TH_MAX];
    uint32_t nwired;
    gsl_rng *rng;
    char err[512];
};

/* Load a plugin and return its first descriptor. */
const animat_plugin_desc *th_load(const char *path) {
    void *so = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!so) { fprintf(stderr, "th_load: %s\n", dlerror()); return NULL; }
    const animat_plugin_entry *e = dlsym(so, ANIMAT_ENTRY_SYMBOL);
    if (!e || e->n_plugins < 1) { fprintf(stderr, "th_load: %s: no entry\n", path); return NULL; }
    return e->plugins[0];
}

const animat_plugin_desc *th_load_env(const char *var) {
    static struct { const char *var; const animat_plugin_desc *d; } cache[8];
    for (int i = 0; i < 8 && cache[i].var; i++)
        if (strcmp(cache[i].var, var) == 0) return cache[i].d;
    const char *path = getenv(var);
    const animat_plugin_desc *d = path ? th_load(path) : NULL;
    if (!d) {
        fprintf(stderr, "testhost: %s %s\n", var, path ? "does not load" : "is not set");
        abort();
    }
    for (int i = 0; i < 8; i++)
        if (!cache[i].var) {
            cache[i].var = var;
            cache[i].d = d;
            break;
        }
    return d;
}

static th_host *self_of(const animat_host *h) { return (th_host *)h->host_data; }

static th_param *find(th_host *t, const char *name) {
    for (uint32_t i = 0; i < t->np; i++)
        if (strcmp(t->p[i].name, name) == 0) return &t->p[i];
    return NULL;
}

static void th_log(const animat_host *h, uint32_t level, const char *fmt, ...) {
    (void)h; (void)level;
    va_list ap; va_start(ap, fmt); vfprintf(stderr, fmt, ap); va_end(ap);
    fputc('\n', stderr);
}

static void th_error(const animat_host *h, const char *fmt, ...) {
    th_host *t = self_of(h);
    va_list ap; va_start(ap, fmt); vsnprintf(t->err, sizeof t->err, fmt, ap); va_end(ap);
}

static void *th_alloc(const animat_host *h, size_t n) { (void)h; return calloc(1, n ? n : 1); }
static void th_dealloc(const animat_host *h, void *p) { (void)h; free(p); }

static int32_t th_param_real(const animat_host *h, const char *name, double *out) {
    th_param *p = find(self_of(h), name);
    if (!p || p->type == ANIMAT_PARAM_CHOICE || p->type == ANIMAT_PARAM_REAL_LIST) return ANIMAT_ERROR;
    *out = p->real;
    return ANIMAT_OK;
}

static int32_t th_param_choice(const animat_host *h, const char *name, const char **out) {
    th_param *p = find(self_of(h), name);
    if (!p || p->type != ANIMAT_PARAM_CHOICE) return ANIMAT_ERROR;
    *out = p->choice;
    return ANIMAT_OK;
}

static int32_t th_param_list(const animat_host *h, const char *name, const double **v, uint32_t *n) {
    th_param *p = find(self_of(h), name);
    if (!p || p->type != ANIMAT_PARAM_REAL_LIST) return ANIMAT_ERROR;
    *v = p->nlist ? p->list : NULL;
    *n = p->nlist;
    return ANIMAT_OK;
}

static uint32_t th_wired_size(const animat_host *h, uint32_t dir, const char *name) {
    th_host *t = self_of(h);
    for (uint32_t i = 0; i < t->nwired; i++)
        if (t->wired[i].dir == dir && strcmp(t->wired[i].name, name) == 0) return t->wired[i].size;
    return 0;
}

static double th_uniform(const animat_host *h) { return gsl_rng_uniform(self_of(h)->rng); }
static double th_gaussian(const animat_host *h, double s) { return gsl_ran_gaussian(self_of(h)->rng, s); }
static const void *th_extension(const animat_host *h, const char *id) { (void)h; (void)id; return NULL; }

/* Parse "64,64" into a list. */
static uint32_t parse_list(const char *s, double *out) {
    uint32_t n = 0;
    while (s && *s && n < ANIMAT_PARAM_LIST_MAX) {
        char *end;
        out[n++] = strtod(s, &end);
        s = (*end == ',') ? end + 1 : NULL;
    }
    return n;
}

th_host *th_new(const animat_plugin_desc *desc, const char *role, uint64_t seed) {
    th_host *t = calloc(1, sizeof *t);
    t->h.struct_size = sizeof(animat_host);
    t->h.abi_major = ANIMAT_ABI_MAJOR;
    t->h.abi_minor = ANIMAT_ABI_MINOR;
    t->h.host_version = "test";
    t->h.instance_name = role;
    t->h.host_data = t;
    t->h.log = th_log;
    t->h.error = th_error;
    t->h.alloc = th_alloc;
    t->h.free = th_dealloc;
    t->h.param_real = th_param_real;
    t->h.param_choice = th_param_choice;
    t->h.param_list = th_param_list;
    t->h.wired_size = th_wired_size;
    t->h.rng_uniform = th_uniform;
    t->h.rng_gaussian = th_gaussian;
    t->h.extension = th_extension;
    t->rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(t->rng, (unsigned long)seed);
    /* Defaults from the plugin's table. */
    const char *base = (const char *)desc->params;
    for (uint32_t i = 0; i < desc->n_params && i < TH_MAX; i++) {
        const animat_param_info *pi =
            (const animat_param_info *)(base + (size_t)i * desc->params[0].struct_size);
        th_param *p = &t->p[t->np++];
        p->name = pi->name;
        p->type = pi->type;
        p->real = pi->def;
        if (pi->type == ANIMAT_PARAM_CHOICE) {
            /* the def-th '|'-separated choice */
            const char *c = pi->choices;
            for (int k = 0; k < (int)pi->def && c; k++) { c = strchr(c, '|'); if (c) c++; }
            size_t len = c ? strcspn(c, "|") : 0;
            if (len >= sizeof p->choice) len = sizeof p->choice - 1;
            if (c) memcpy(p->choice, c, len);
        }
        if (pi->type == ANIMAT_PARAM_REAL_LIST) p->nlist = parse_list(pi->def_list, p->list);
    }
    return t;
}

void th_free(th_host *t) {
    if (!t) return;
    gsl_rng_free(t->rng);
    free(t);
}

const animat_host *th_table(th_host *t) { return &t->h; }

static th_param *must_find(th_host *t, const char *name) {
    th_param *p = find(t, name);
    if (!p) { fprintf(stderr, "testhost: no parameter '%s'\n", name); abort(); }
    return p;
}

void th_set_real(th_host *t, const char *name, double v) { must_find(t, name)->real = v; }

void th_set_choice(th_host *t, const char *name, const char *c) {
    th_param *p = must_find(t, name);
    snprintf(p->choice, sizeof p->choice, "%s", c);
}

void th_set_list(th_host *t, const char *name, const double *v, uint32_t n) {
    th_param *p = must_find(t, name);
    p->nlist = n < ANIMAT_PARAM_LIST_MAX ? n : ANIMAT_PARAM_LIST_MAX;
    if (p->nlist) memcpy(p->list, v, p->nlist * sizeof(double));
}

void th_set_wired(th_host *t, uint32_t dir, const char *name, uint32_t size) {
    if (t->nwired >= TH_MAX) abort();
    t->wired[t->nwired].dir = dir;
    snprintf(t->wired[t->nwired].name, sizeof t->wired[0].name, "%s", name);
    t->wired[t->nwired++].size = size;
}

void th_reseed(th_host *t, uint64_t seed) { gsl_rng_set(t->rng, (unsigned long)seed); }
const char *th_last_error(th_host *t) { return t->err; }
