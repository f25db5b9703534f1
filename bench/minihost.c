/* minihost.c -- see minihost.h. */
#include "minihost.h"

#include <dlfcn.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MH_MAX 64

struct mh_host {
    animat_host h; /* first: the table handed out */
    const animat_plugin_desc *desc;
    struct { const char *name; double v; const char *choice; } set[MH_MAX];
    int nset;
    struct { uint32_t dir; const char *port; uint32_t size; } wired[MH_MAX];
    int nwired;
    double list[ANIMAT_PARAM_LIST_MAX];
    char cbuf[MH_MAX][64]; /* default choices handed out */
    int ncbuf;
    gsl_rng *rng;
    char err[1024];
};

static mh_host *self_of(const animat_host *h) { return (mh_host *)(void *)h; }

const animat_plugin_desc *mh_load(const char *path) {
    void *so = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    const animat_plugin_entry *e = so ? dlsym(so, ANIMAT_ENTRY_SYMBOL) : NULL;
    if (!e) {
        fprintf(stderr, "cannot load %s: %s\n", path, dlerror());
        exit(1);
    }
    char why[256] = "";
    if (e->struct_size >= offsetof(animat_plugin_entry, init) + sizeof e->init && e->init &&
        e->init(why, sizeof why) != ANIMAT_OK) {
        fprintf(stderr, "%s: init failed: %s\n", path, why);
        exit(1);
    }
    return e->plugins[0];
}

static void mh_log(const animat_host *h, uint32_t level, const char *fmt, ...) {
    (void)h, (void)level, (void)fmt;
}

static void mh_error(const animat_host *h, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(self_of(h)->err, sizeof self_of(h)->err, fmt, ap);
    va_end(ap);
}

static void *mh_alloc(const animat_host *h, size_t n) { (void)h; return calloc(1, n ? n : 1); }
static void mh_release(const animat_host *h, void *p) { (void)h; free(p); }

static const animat_param_info *find(const mh_host *m, const char *name) {
    for (uint32_t k = 0; k < m->desc->n_params; k++)
        if (strcmp(m->desc->params[k].name, name) == 0) return &m->desc->params[k];
    return NULL;
}

static int32_t mh_real(const animat_host *h, const char *name, double *out) {
    mh_host *m = self_of(h);
    const animat_param_info *p = find(m, name);
    if (!p || p->type == ANIMAT_PARAM_CHOICE || p->type == ANIMAT_PARAM_REAL_LIST) return ANIMAT_ERROR;
    *out = p->def;
    for (int k = 0; k < m->nset; k++)
        if (strcmp(m->set[k].name, name) == 0 && !m->set[k].choice) *out = m->set[k].v;
    return ANIMAT_OK;
}

static int32_t mh_choice_get(const animat_host *h, const char *name, const char **out) {
    mh_host *m = self_of(h);
    const animat_param_info *p = find(m, name);
    if (!p || p->type != ANIMAT_PARAM_CHOICE) return ANIMAT_ERROR;
    for (int k = 0; k < m->nset; k++)
        if (strcmp(m->set[k].name, name) == 0 && m->set[k].choice) {
            *out = m->set[k].choice;
            return ANIMAT_OK;
        }
    /* the default: choice number def of "a|b|c", copied into m */
    const char *s = p->choices;
    for (int i = 0; i < (int)p->def; i++) s = strchr(s, '|') + 1;
    size_t len = strcspn(s, "|");
    char *b = m->cbuf[m->ncbuf++ % MH_MAX];
    snprintf(b, 64, "%.*s", (int)len, s);
    *out = b;
    return ANIMAT_OK;
}

static int32_t mh_list(const animat_host *h, const char *name, const double **v, uint32_t *n) {
    mh_host *m = self_of(h);
    const animat_param_info *p = find(m, name);
    if (!p || p->type != ANIMAT_PARAM_REAL_LIST) return ANIMAT_ERROR;
    *n = 0;
    for (const char *s = p->def_list; *s && *n < ANIMAT_PARAM_LIST_MAX;) {
        char *end;
        m->list[(*n)++] = strtod(s, &end);
        s = *end == ',' ? end + 1 : end;
    }
    *v = m->list;
    return ANIMAT_OK;
}

static uint32_t mh_wired_size(const animat_host *h, uint32_t dir, const char *name) {
    mh_host *m = self_of(h);
    for (int k = 0; k < m->nwired; k++)
        if (m->wired[k].dir == dir && strcmp(m->wired[k].port, name) == 0) return m->wired[k].size;
    return 0;
}

static double mh_uniform(const animat_host *h) { return gsl_rng_uniform(self_of(h)->rng); }
static double mh_gauss(const animat_host *h, double s) { return gsl_ran_gaussian(self_of(h)->rng, s); }
static const void *mh_ext(const animat_host *h, const char *id) { (void)h, (void)id; return NULL; }

mh_host *mh_new(const animat_plugin_desc *desc, uint64_t seed) {
    mh_host *m = calloc(1, sizeof *m);
    m->desc = desc;
    m->h = (animat_host){.struct_size = sizeof(animat_host), .abi_major = ANIMAT_ABI_MAJOR,
                         .abi_minor = ANIMAT_ABI_MINOR, .host_version = "bench",
                         .instance_name = "circuit", .log = mh_log, .error = mh_error,
                         .alloc = mh_alloc, .free = mh_release, .param_real = mh_real,
                         .param_choice = mh_choice_get, .param_list = mh_list,
                         .wired_size = mh_wired_size, .rng_uniform = mh_uniform,
                         .rng_gaussian = mh_gauss, .extension = mh_ext};
    m->rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(m->rng, (unsigned long)seed);
    return m;
}

void mh_free(mh_host *m) {
    gsl_rng_free(m->rng);
    free(m);
}

const animat_host *mh_table(mh_host *m) { return &m->h; }

void mh_set(mh_host *m, const char *name, double v) {
    m->set[m->nset].name = name;
    m->set[m->nset].v = v;
    m->set[m->nset++].choice = NULL;
}

void mh_choice(mh_host *m, const char *name, const char *choice) {
    m->set[m->nset].name = name;
    m->set[m->nset++].choice = choice;
}

void mh_wired(mh_host *m, uint32_t dir, const char *port, uint32_t size) {
    m->wired[m->nwired].dir = dir;
    m->wired[m->nwired].port = port;
    m->wired[m->nwired++].size = size;
}

void *mh_create(mh_host *m) {
    const animat_circuit_api *api = m->desc->api;
    void *c = api->create(&m->h);
    if (!c || api->reset(c, 0) != ANIMAT_OK) {
        fprintf(stderr, "%s: create/reset failed: %s\n", m->desc->name, m->err);
        exit(1);
    }
    return c;
}
