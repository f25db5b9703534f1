/* hostctx.c -- see hostctx.h. */
#include "plugin/hostctx.h"

#include <gsl/gsl_randist.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef ANIMAT_VERSION
#define ANIMAT_VERSION "0.0.0"
#endif

static hostctx *of(const animat_host *h) { return (hostctx *)h->host_data; }

/* log: "role (plugin): message" on stderr. */
static void h_log(const animat_host *h, uint32_t level, const char *fmt, ...) {
    hostctx *ah = of(h);
    if (ah->quiet && level < ANIMAT_LOG_WARN) return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s%s (%s): %s\n", level >= ANIMAT_LOG_WARN ? "warning: " : "", h->instance_name,
            ah->plugin_name, msg);
}

/* error: keep the first message of the failing call. */
static void h_error(const animat_host *h, const char *fmt, ...) {
    hostctx *ah = of(h);
    if (ah->has_error && !ah->keep_latest) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ah->error, sizeof ah->error, fmt, ap);
    va_end(ap);
    for (char *p = ah->error; *p; p++)
        if (*p == '\n') *p = ' ';
    ah->has_error = 1;
}

/* Largest single allocation a plugin may ask for: more is a bug, not a
 * model (a 16-link swimmer needs kilobytes). */
#define HOSTCTX_ALLOC_MAX ((size_t)1 << 32)

static void *h_alloc(const animat_host *h, size_t size) {
    if (size > HOSTCTX_ALLOC_MAX) {
        h_error(h, "asked the host for an impossible %zu bytes (limit %zu)", size, HOSTCTX_ALLOC_MAX);
        return NULL;
    }
    return calloc(1, size ? size : 1);
}

static void h_free(const animat_host *h, void *p) {
    (void)h;
    free(p);
}

/* Look a parameter up by name and type class. */
static const params_value *param(const animat_host *h, const char *name, uint32_t type) {
    const params_value *v = name ? params_find(of(h)->params, name) : NULL;
    if (!v) return NULL;
    uint32_t t = v->info->type;
    if (type == ANIMAT_PARAM_REAL) return (t == ANIMAT_PARAM_REAL || t == ANIMAT_PARAM_INT || t == ANIMAT_PARAM_BOOL) ? v : NULL;
    return t == type ? v : NULL;
}

static int32_t h_param_real(const animat_host *h, const char *name, double *out) {
    const params_value *v = param(h, name, ANIMAT_PARAM_REAL);
    if (!v || !out) return ANIMAT_ERROR;
    *out = v->real;
    return ANIMAT_OK;
}

static int32_t h_param_choice(const animat_host *h, const char *name, const char **out) {
    const params_value *v = param(h, name, ANIMAT_PARAM_CHOICE);
    if (!v || !out) return ANIMAT_ERROR;
    *out = v->choice;
    return ANIMAT_OK;
}

static int32_t h_param_string(const animat_host *h, const char *name, const char **out) {
    const params_value *v = name ? params_find(of(h)->params, name) : NULL;
    if (!v || !out) return ANIMAT_ERROR;
    if (v->info->type == ANIMAT_PARAM_CHOICE) *out = v->choice;
    else if (v->info->type == ANIMAT_PARAM_PATH) *out = v->path ? v->path : "";
    else return ANIMAT_ERROR;
    return ANIMAT_OK;
}

static int32_t h_param_list(const animat_host *h, const char *name, const double **values, uint32_t *n) {
    const params_value *v = param(h, name, ANIMAT_PARAM_REAL_LIST);
    if (!v || !values || !n) return ANIMAT_ERROR;
    *values = v->nlist ? v->list : NULL;
    *n = v->nlist;
    return ANIMAT_OK;
}

static uint32_t h_wired_size(const animat_host *h, uint32_t dir, const char *name) {
    hostctx *ah = of(h);
    return (ah->wired && name) ? ah->wired(ah->wired_ctx, ah->inst, dir, name) : 0;
}

static double h_uniform(const animat_host *h) { return gsl_rng_uniform(of(h)->rng); }

static double h_gaussian(const animat_host *h, double sigma) { return gsl_ran_gaussian_ziggurat(of(h)->rng, sigma); }

/* The host's extensions: ANIMAT_EXT_HOST_INFO; NULL for any other id. */
static const void *h_extension(const animat_host *h, const char *id) {
    if (id && !strcmp(id, ANIMAT_EXT_HOST_INFO)) return &of(h)->info;
    return NULL;
}

/* The "animat.host_info/1" answer before hostctx_identify: the host's
 * own ABI, the plugin named by `name`. */
static void info_init(animat_host_info *in, const char *name) {
    memset(in, 0, sizeof *in);
    in->struct_size = sizeof *in;
    in->host_name = "animat";
    in->host_version = ANIMAT_VERSION;
    in->abi_major = in->plugin_abi_major = ANIMAT_ABI_MAJOR;
    in->abi_minor = in->plugin_abi_minor = ANIMAT_ABI_MINOR;
    in->plugin_id = name ? name : "";
    in->plugin_path = "";
}

void hostctx_identify(hostctx *ah, const registry_plugin *p) {
    animat_host_info *in = &ah->info;
    in->plugin_id = p->id;
    in->plugin_path = p->lib && p->lib->path ? p->lib->path : "";
    if (p->lib && p->lib->entry) {
        in->plugin_abi_major = p->lib->entry->abi_major;
        in->plugin_abi_minor = p->lib->entry->abi_minor;
    }
    in->kind = p->desc->kind;
}

int hostctx_init(hostctx *ah, uint32_t role, const char *role_name, const char *name, const params_set *params) {
    memset(ah, 0, sizeof *ah);
    ah->rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!ah->rng) return -1;
    ah->role = role;
    ah->plugin_name = name;
    ah->params = params;
    info_init(&ah->info, name);
    animat_host *t = &ah->table;
    t->struct_size = sizeof *t;
    t->abi_major = ANIMAT_ABI_MAJOR;
    t->abi_minor = ANIMAT_ABI_MINOR;
    t->host_version = ANIMAT_VERSION;
    t->instance_name = role_name;
    t->host_data = ah;
    t->log = h_log;
    t->error = h_error;
    t->alloc = h_alloc;
    t->free = h_free;
    t->param_real = h_param_real;
    t->param_choice = h_param_choice;
    t->param_list = h_param_list;
    t->wired_size = h_wired_size;
    t->rng_uniform = h_uniform;
    t->rng_gaussian = h_gaussian;
    t->extension = h_extension;
    t->param_string = h_param_string;
    return 0;
}

void hostctx_fini(hostctx *ah) {
    if (ah->rng) gsl_rng_free(ah->rng);
    ah->rng = NULL;
}

/* splitmix64's finaliser: a bijective mix, so distinct keys stay distinct. */
static uint64_t mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t hostctx_seed(uint64_t run_seed, uint64_t episode, uint64_t key) {
    return mix(mix(mix(run_seed) ^ episode) ^ key);
}

void hostctx_reseed(hostctx *ah, uint64_t run_seed, uint64_t episode) {
    hostctx_reseed_in(ah, run_seed, episode, HOSTCTX_DOMAIN_RUN);
}

void hostctx_reseed_in(hostctx *ah, uint64_t run_seed, uint64_t episode, uint64_t domain) {
    /* GSL's mt19937 takes an unsigned long seed and keeps 32 bits: fold. */
    uint64_t s = hostctx_seed(run_seed, episode, (uint64_t)ah->role | domain);
    gsl_rng_set(ah->rng, (unsigned long)((s ^ (s >> 32)) & 0xffffffffu));
    ah->has_error = 0;
    ah->error[0] = '\0';
}

uint32_t hostctx_stream_key(const char *name, uint32_t kind) {
    if (kind == ANIMAT_KIND_BODY && !strcmp(name, "body")) return HOSTCTX_ROLE_BODY;
    if (kind == ANIMAT_KIND_CIRCUIT && !strcmp(name, "circuit")) return HOSTCTX_ROLE_CIRCUIT;
    if (kind == ANIMAT_KIND_LEARNER) return HOSTCTX_ROLE_LEARNER;
    uint32_t h = 2166136261u; /* FNV-1a 32 */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) h = (h ^ *p) * 16777619u;
    return HOSTCTX_STREAM_NAMED + (h % 0x7fffff00u);
}

const char *hostctx_take_error(hostctx *ah) {
    ah->has_error = 0;
    return ah->error;
}
