/* minihost.c -- see minihost.h. */
#include "minihost.h"

#include "base/params.h"
#include "plugin/hostctx.h"

#include <dlfcn.h>
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MH_MAX 64

/* The real host table (core/plugin/hostctx.h, as `animat run` hands out)
 * over the plugin's resolved defaults, which mh_set/mh_choice overwrite. */
struct mh_host {
    hostctx ctx; /* first; its table is what the plugin sees */
    const animat_plugin_desc *desc;
    params_set ps; /* owned */
    struct { uint32_t dir; const char *port; uint32_t size; } wired[MH_MAX];
    int nwired;
};

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

/* wired_size: the sizes mh_wired declared. */
static uint32_t mh_wired_size(void *ctx, uint32_t inst, uint32_t dir, const char *name) {
    (void)inst;
    mh_host *m = ctx;
    for (int k = 0; k < m->nwired; k++)
        if (m->wired[k].dir == dir && strcmp(m->wired[k].port, name) == 0) return m->wired[k].size;
    return 0;
}

mh_host *mh_new(const animat_plugin_desc *desc, uint64_t seed) {
    mh_host *m = calloc(1, sizeof *m);
    errmsg e;
    errmsg_clear(&e);
    if (!m || params_resolve(desc->params, desc->n_params, NULL, "params", desc->name, &m->ps, &e) ||
        hostctx_init(&m->ctx, HOSTCTX_ROLE_CIRCUIT, "circuit", desc->name, &m->ps)) {
        fprintf(stderr, "minihost: %s: %s\n", desc->name, e.set ? e.msg : "out of memory");
        exit(1);
    }
    m->desc = desc;
    m->ctx.quiet = 1;
    m->ctx.wired = mh_wired_size;
    m->ctx.wired_ctx = m;
    gsl_rng_set(m->ctx.rng, (unsigned long)seed);
    return m;
}

void mh_free(mh_host *m) {
    hostctx_fini(&m->ctx);
    params_free(&m->ps);
    free(m);
}

const animat_host *mh_table(mh_host *m) { return &m->ctx.table; }

/* The resolved value of declared parameter `name` (exits if undeclared). */
static params_value *must_find(mh_host *m, const char *name) {
    for (uint32_t i = 0; i < m->ps.n; i++)
        if (strcmp(m->ps.v[i].info->name, name) == 0) return &m->ps.v[i];
    fprintf(stderr, "minihost: %s has no parameter '%s'\n", m->desc->name, name);
    exit(1);
}

void mh_set(mh_host *m, const char *name, double v) { must_find(m, name)->real = v; }

void mh_list(mh_host *m, const char *name, const double *v, uint32_t n) {
    params_value *p = must_find(m, name);
    if (n > ANIMAT_PARAM_LIST_MAX) {
        fprintf(stderr, "minihost: %s: %u values, at most %u\n", name, n, ANIMAT_PARAM_LIST_MAX);
        exit(1);
    }
    memcpy(p->list, v, sizeof *v * n);
    p->nlist = n;
}

void mh_choice(mh_host *m, const char *name, const char *choice) {
    params_value *p = must_find(m, name);
    snprintf(p->choice_buf, sizeof p->choice_buf, "%s", choice);
    p->choice = p->choice_buf;
}

void mh_wired(mh_host *m, uint32_t dir, const char *port, uint32_t size) {
    m->wired[m->nwired].dir = dir;
    m->wired[m->nwired].port = port;
    m->wired[m->nwired++].size = size;
}

void *mh_create(mh_host *m) {
    const animat_circuit_api *api = m->desc->api;
    void *c = api->create(&m->ctx.table);
    if (!c || api->reset(c, 0) != ANIMAT_OK) {
        fprintf(stderr, "%s: create/reset failed: %s\n", m->desc->name, hostctx_take_error(&m->ctx));
        exit(1);
    }
    return c;
}
