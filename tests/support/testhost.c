/* testhost.c -- see testhost.h. */
#include "testhost.h"

#include "base/params.h"
#include "plugin/hostctx.h"

#include <dlfcn.h>
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TH_MAX 64

/* The real host table (core/plugin/hostctx.h: the same log, error, alloc,
 * parameter lookups, Gaussian sampler and extensions as `animat run`) over
 * the plugin's resolved defaults, which th_set_* overwrite in place. */
struct th_host {
    hostctx ctx;      /* first; its table is what plugins see */
    params_set ps;    /* defaults, then th_set_* values; owned */
    struct { uint32_t dir; char name[64]; uint32_t size; } wired[TH_MAX];
    uint32_t nwired;
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

const animat_plugin_desc *th_load_env_init(const char *var) {
    static const char *done[8];
    const animat_plugin_desc *d = th_load_env(var);
    for (int i = 0; i < 8; i++) {
        if (done[i] && !strcmp(done[i], var)) return d;
        if (done[i]) continue;
        void *so = dlopen(getenv(var), RTLD_NOW | RTLD_NOLOAD);
        const animat_plugin_entry *e = so ? dlsym(so, ANIMAT_ENTRY_SYMBOL) : NULL;
        char why[256] = "";
        if (!e || (e->init && e->init(why, sizeof why) != ANIMAT_OK)) {
            fprintf(stderr, "testhost: %s: init failed: %s\n", var, e ? why : "no entry");
            abort();
        }
        done[i] = var;
        return d;
    }
    return d;
}

/* wired_size: the sizes th_set_wired declared. */
static uint32_t th_wired(void *ctx, uint32_t inst, uint32_t dir, const char *name) {
    (void)inst;
    th_host *t = ctx;
    for (uint32_t i = 0; i < t->nwired; i++)
        if (t->wired[i].dir == dir && strcmp(t->wired[i].name, name) == 0) return t->wired[i].size;
    return 0;
}

th_host *th_new(const animat_plugin_desc *desc, const char *role, uint64_t seed) {
    th_host *t = calloc(1, sizeof *t);
    errmsg e;
    errmsg_clear(&e);
    if (!t || params_resolve(desc->params, desc->n_params, NULL, "params", desc->name, &t->ps, &e) ||
        hostctx_init(&t->ctx, hostctx_stream_key(role, desc->kind), role, desc->name, &t->ps)) {
        fprintf(stderr, "testhost: %s: %s\n", desc->name, e.set ? e.msg : "out of memory");
        abort();
    }
    t->ctx.keep_latest = 1; /* tests call the plugin directly: no hostctx_begin before each call */
    t->ctx.wired = th_wired;
    t->ctx.wired_ctx = t;
    gsl_rng_set(t->ctx.rng, (unsigned long)seed);
    return t;
}

void th_free(th_host *t) {
    if (!t) return;
    hostctx_fini(&t->ctx);
    params_free(&t->ps);
    free(t);
}

const animat_host *th_table(th_host *t) { return &t->ctx.table; }

/* The resolved value of declared parameter `name` (aborts if undeclared). */
static params_value *must_find(th_host *t, const char *name) {
    for (uint32_t i = 0; i < t->ps.n; i++)
        if (strcmp(t->ps.v[i].info->name, name) == 0) return &t->ps.v[i];
    fprintf(stderr, "testhost: no parameter '%s'\n", name);
    abort();
}

void th_set_real(th_host *t, const char *name, double v) { must_find(t, name)->real = v; }

void th_set_choice(th_host *t, const char *name, const char *c) {
    params_value *p = must_find(t, name);
    snprintf(p->choice_buf, sizeof p->choice_buf, "%s", c);
    p->choice = p->choice_buf;
}

void th_set_list(th_host *t, const char *name, const double *v, uint32_t n) {
    params_value *p = must_find(t, name);
    p->nlist = n < ANIMAT_PARAM_LIST_MAX ? n : ANIMAT_PARAM_LIST_MAX;
    if (p->nlist) memcpy(p->list, v, p->nlist * sizeof(double));
}

void th_set_path(th_host *t, const char *name, const char *path) {
    params_value *p = must_find(t, name);
    free(p->path);
    if (!(p->path = strdup(path))) abort();
}

void th_set_wired(th_host *t, uint32_t dir, const char *name, uint32_t size) {
    if (t->nwired >= TH_MAX) abort();
    t->wired[t->nwired].dir = dir;
    snprintf(t->wired[t->nwired].name, sizeof t->wired[0].name, "%s", name);
    t->wired[t->nwired++].size = size;
}

void th_reseed(th_host *t, uint64_t seed) { gsl_rng_set(t->ctx.rng, (unsigned long)seed); }

const char *th_last_error(th_host *t) { return t->ctx.error; }

void *th_mem_calloc(void *ctx, size_t n) {
    (void)ctx;
    return calloc(1, n);
}

void th_mem_free(void *ctx, void *p) {
    (void)ctx;
    free(p);
}
