/* embed.c -- libanimat's embedding API (animat/embed.h): open and close,
 * the graph's instances, ports, parameters and theta, whole episodes.
 * Stepping is in embed_step.c, vectors of handles in embed_vec.c. */
#include "embed/embed_impl.h"

#include "base/params.h"
#include "plugin/instance.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* open and close touch the plugin registry (scans, dlopen, probes in
 * child processes), which is single-threaded: one at a time. */
static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;

uint32_t animat_embed_version(void) { return ANIMAT_EMBED_VERSION; }

/* Clear the last error at the start of a call. */
static void begin(animat_exp *h) { errmsg_clear(&h->e); }

/* The agent must name a circuit of the graph. 0 or EINPUT. */
static int check_agent(animat_exp *h, const char *agent) {
    h->agent = -1;
    if (!agent) return 0;
    int i = experiment_find(&h->x, agent);
    if (i < 0) {
        char names[512] = "";
        for (uint32_t k = 0; k < h->x.ninsts; k++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", k ? ", " : "", h->x.insts[k].name);
        return embed_fail(h, ANIMAT_EMBED_EINPUT, "%s: agent '%s': no such instance (instances: %s)", h->x.file,
                          agent, names);
    }
    if (h->x.insts[i].kind != ANIMAT_KIND_CIRCUIT)
        return embed_fail(h, ANIMAT_EMBED_EINPUT, "%s: agent '%s' is a body: the program plays a circuit", h->x.file,
                          agent);
    if (h->x.learner.plugin)
        return embed_fail(h, ANIMAT_EMBED_EUNSUPPORTED, "%s: agent '%s': an experiment with a learner block cannot "
                          "have an agent (remove learner:)", h->x.file, agent);
    h->agent = i;
    return 0;
}

int embed_opts_copy(void *dst, size_t cap, const void *src, size_t min) {
    memset(dst, 0, cap);
    if (!src) return -1;
    uint32_t size;
    memcpy(&size, src, sizeof size);
    if (size < min) return -1;
    memcpy(dst, src, size < cap ? size : cap);
    return 0;
}

/* Keep copies of the plugin files (a run's recording names them). 0 or ENOMEM. */
static int keep_plugins(animat_exp *h, const char *const *plugins, uint32_t n) {
    if (!n) return 0;
    if (!(h->plugins = calloc(n, sizeof *h->plugins))) return embed_fail(h, ANIMAT_EMBED_ENOMEM, "out of memory");
    for (h->nplugins = 0; h->nplugins < n; h->nplugins++)
        if (!(h->plugins[h->nplugins] = strdup(plugins[h->nplugins])))
            return embed_fail(h, ANIMAT_EMBED_ENOMEM, "out of memory");
    return 0;
}

/* A caller's array of n strings (sets, plugins): present when n > 0 and no
 * entry NULL. 0 or EINPUT naming the field. */
static int check_strings(animat_exp *h, const char *what, const char *count, const char *const *a, uint32_t n) {
    if (n && !a)
        return embed_fail(h, ANIMAT_EMBED_EINPUT, "animat_open_with: %s is %u but %s is NULL", count, n, what);
    for (uint32_t i = 0; i < n; i++)
        if (!a[i]) return embed_fail(h, ANIMAT_EMBED_EINPUT, "animat_open_with: %s[%u] is NULL", what, i);
    return 0;
}

/* animat_open_with under the open lock, its options checked. */
static int open_locked(animat_exp *h, const animat_open_opts *o) {
    int defer = (o->flags & ANIMAT_OPEN_DEFER) != 0;
    if (!o->path && !o->text)
        return embed_fail(h, ANIMAT_EMBED_EINPUT, "animat_open: neither a path nor YAML text given");
    if (o->flags & ~ANIMAT_OPEN_DEFER)
        return embed_fail(h, ANIMAT_EMBED_EINPUT, "animat_open_with: unknown flags 0x%x", o->flags);
    if (defer && o->agent)
        return embed_fail(h, ANIMAT_EMBED_EINPUT, "animat_open_with: agent '%s' needs the instances: not with "
                          "ANIMAT_OPEN_DEFER", o->agent);
    if (check_strings(h, "sets", "nsets", o->sets, o->nsets) ||
        check_strings(h, "plugins", "nplugins", o->plugins, o->nplugins))
        return ANIMAT_EMBED_EINPUT;
    if (keep_plugins(h, o->plugins, o->nplugins)) return ANIMAT_EMBED_ENOMEM;
    if (experiment_load_text(&h->x, o->path ? o->path : "<text>", o->text, o->sets, o->nsets, o->plugins,
                             o->nplugins, &h->e))
        return ANIMAT_EMBED_EINPUT;
    if (h->x.isolate && !defer)
        return embed_fail(h, ANIMAT_EMBED_EUNSUPPORTED, "%s: run.isolate: true is not available through the "
                          "embedding API (run it with `animat run`)", h->x.file);
    int rc = check_agent(h, o->agent);
    if (!rc && !defer && embed_sim_create(h)) rc = ANIMAT_EMBED_EPLUGIN;
    return rc;
}

int animat_open(animat_exp **out, const char *path, const char *text, const char *const *sets, uint32_t nsets,
                const char *agent, char *msg, size_t cap) {
    animat_open_opts o = ANIMAT_OPEN_OPTS_INIT;
    o.path = path, o.text = text, o.sets = sets, o.nsets = nsets, o.agent = agent;
    return animat_open_with(out, &o, msg, cap);
}

int animat_open_with(animat_exp **out, const animat_open_opts *oi, char *msg, size_t cap) {
    *out = NULL;
    animat_exp *h = calloc(1, sizeof *h);
    if (!h) {
        if (cap) snprintf(msg, cap, "out of memory");
        return ANIMAT_EMBED_ENOMEM;
    }
    h->agent = -1;
    animat_open_opts o;
    int rc;
    if (embed_opts_copy(&o, sizeof o, oi, sizeof o)) {
        rc = embed_fail(h, ANIMAT_EMBED_EINPUT, "animat_open_with: no options, or their size (%u) is not an "
                        "animat_open_opts's (use ANIMAT_OPEN_OPTS_INIT)", oi ? oi->size : 0);
    } else {
        pthread_mutex_lock(&open_lock);
        rc = open_locked(h, &o);
        pthread_mutex_unlock(&open_lock);
    }
    if (rc) {
        if (cap) snprintf(msg, cap, "%s", h->e.msg);
        animat_close(h);
        return rc;
    }
    *out = h;
    return 0;
}

void animat_close(animat_exp *h) {
    if (!h) return;
    pthread_mutex_lock(&open_lock);
    embed_sim_destroy(h);
    embed_co_free(&h->co);
    experiment_free(&h->x);
    pthread_mutex_unlock(&open_lock);
    free(h->bounds);
    free(h->user_theta);
    for (uint32_t i = 0; i < h->nplugins; i++) free(h->plugins[i]);
    free(h->plugins);
    free(h);
}

const char *animat_errmsg(const animat_exp *h) { return h->e.set ? h->e.msg : ""; }
uint64_t animat_seed(const animat_exp *h) { return h->x.seed; }
uint64_t animat_episodes(const animat_exp *h) { return h->x.episodes; }
uint64_t animat_max_steps(const animat_exp *h) { return h->x.max_steps; }
uint32_t animat_instances(const animat_exp *h) { return h->x.ninsts; }

const char *animat_instance_name(const animat_exp *h, uint32_t i) {
    return i < h->x.ninsts ? h->x.insts[i].name : NULL;
}

const char *animat_instance_plugin(const animat_exp *h, uint32_t i) {
    return i < h->x.ninsts ? h->x.insts[i].plugin->desc->name : NULL;
}

uint32_t animat_instance_kind(const animat_exp *h, uint32_t i) { return i < h->x.ninsts ? h->x.insts[i].kind : 0; }

/* Instance i of the sim, or NULL. */
static instance *inst_at(animat_exp *h, uint32_t i) { return h->have_sim && i < h->s.ninsts ? &h->s.insts[i] : NULL; }

uint32_t animat_ports(const animat_exp *h, uint32_t i, uint32_t dir) {
    return h->have_sim && i < h->s.ninsts && dir <= 1 ? h->s.insts[i].nports[dir] : 0;
}

int animat_port(animat_exp *h, uint32_t i, uint32_t dir, uint32_t p, animat_embed_port *out) {
    begin(h);
    instance *in = inst_at(h, i);
    if (!in || dir > 1 || p >= in->nports[dir])
        return embed_fail(h, ANIMAT_EMBED_EINPUT, "animat_port: no port %u/%u of instance %u", dir, p, i);
    const animat_port_info *pi = &in->ports[dir][p];
    out->name = pi->name;
    out->unit = pi->unit ? pi->unit : "";
    out->size = pi->size;
    instance_port_bounds(in, dir, p, &out->lower, &out->upper);
    out->values = in->bufs[dir][p];
    return 0;
}

/* The ports of instance in as "a, b" into buf, for messages. */
static const char *port_list(const instance *in, const char *name, char *buf, size_t cap) {
    buf[0] = '\0';
    for (uint32_t d = 0; d < 2; d++)
        for (uint32_t p = 0; p < in->nports[d]; p++)
            snprintf(buf + strlen(buf), cap - strlen(buf), "%s%s.%s.%s", buf[0] ? ", " : "", name,
                     experiment_dir_word(in->kind, d), in->ports[d][p].name);
    return buf;
}

int animat_port_find(animat_exp *h, const char *spec, uint32_t *inst, uint32_t *dir, uint32_t *port,
                     animat_embed_port *out) {
    begin(h);
    char name[EXPERIMENT_NAME_MAX * 3], list[1024];
    snprintf(name, sizeof name, "%s", spec ? spec : "");
    char *d = strchr(name, '.'), *p = d ? strchr(d + 1, '.') : NULL;
    if (!p) return embed_fail(h, ANIMAT_EMBED_EINPUT, "port '%s': expected NAME.DIR.PORT (e.g. body.obs.joints)", name);
    *d++ = '\0';
    *p++ = '\0';
    int i = experiment_find(&h->x, name);
    if (i < 0 || !h->have_sim) return embed_fail(h, ANIMAT_EMBED_EINPUT, "port '%s': no instance '%s'", spec, name);
    instance *in = &h->s.insts[i];
    for (uint32_t k = 0; k < 2; k++) {
        if (strcmp(d, experiment_dir_word(in->kind, k))) continue;
        int q = instance_port(in, k, p);
        if (q < 0) break;
        if (inst) *inst = (uint32_t)i;
        if (dir) *dir = k;
        if (port) *port = (uint32_t)q;
        return out ? animat_port(h, (uint32_t)i, k, (uint32_t)q, out) : 0;
    }
    return embed_fail(h, ANIMAT_EMBED_EINPUT, "port '%s': no such port (%s has %s)", spec, name,
                      port_list(in, name, list, sizeof list));
}

const char *animat_element_name(animat_exp *h, uint32_t i, uint32_t dir, uint32_t p, uint32_t k, char *buf,
                                size_t cap) {
    instance *in = inst_at(h, i);
    if (!in || dir > 1 || p >= in->nports[dir] || k >= in->ports[dir][p].size) return NULL;
    return instance_element_name(in, dir, p, k, buf, cap);
}

const char *animat_element_unit(animat_exp *h, uint32_t i, uint32_t dir, uint32_t p, uint32_t k) {
    instance *in = inst_at(h, i);
    if (!in || dir > 1 || p >= in->nports[dir] || k >= in->ports[dir][p].size) return NULL;
    return instance_element_unit(in, dir, p, k);
}

uint32_t animat_params(const animat_exp *h, uint32_t i) { return i < h->x.ninsts ? h->x.insts[i].params.n : 0; }

const char *animat_param(const animat_exp *h, uint32_t i, uint32_t k, const char **name, char *buf, size_t cap) {
    if (i >= h->x.ninsts || k >= h->x.insts[i].params.n || !cap) return NULL;
    const params_value *v = &h->x.insts[i].params.v[k];
    *name = v->info->name;
    switch (v->info->type) {
    case ANIMAT_PARAM_BOOL: snprintf(buf, cap, "%s", v->real != 0 ? "true" : "false"); break;
    case ANIMAT_PARAM_CHOICE: snprintf(buf, cap, "%s", v->choice ? v->choice : ""); break;
    case ANIMAT_PARAM_PATH: snprintf(buf, cap, "%s", v->path ? v->path : ""); break;
    case ANIMAT_PARAM_REAL_LIST:
        snprintf(buf, cap, "[");
        for (uint32_t j = 0; j < v->nlist; j++)
            snprintf(buf + strlen(buf), cap - strlen(buf), "%s%.17g", j ? ", " : "", v->list[j]);
        snprintf(buf + strlen(buf), cap - strlen(buf), "]");
        break;
    default: snprintf(buf, cap, "%.17g", v->real);
    }
    return buf;
}

uint32_t animat_ntheta(const animat_exp *h) { return h->have_sim ? h->s.ntheta : 0; }

const char *animat_theta_name(animat_exp *h, uint32_t k, char *buf, size_t cap) {
    if (!h->have_sim || k >= h->s.ntheta || !cap) return NULL;
    sim_theta_name(&h->s, k, buf, cap);
    return buf;
}

int animat_get_theta(animat_exp *h, double *theta, uint32_t n) {
    begin(h);
    if (!h->have_sim || n != h->s.ntheta)
        return embed_fail(h, ANIMAT_EMBED_EINPUT, "theta: expected %u values, got %u", h->have_sim ? h->s.ntheta : 0,
                          n);
    return sim_get_theta(&h->s, theta, &h->e) ? ANIMAT_EMBED_EPLUGIN : 0;
}

int animat_set_theta(animat_exp *h, const double *theta, uint32_t n) {
    begin(h);
    if (!h->have_sim || n != h->s.ntheta)
        return embed_fail(h, ANIMAT_EMBED_EINPUT, "theta: expected %u values, got %u", h->have_sim ? h->s.ntheta : 0,
                          n);
    for (uint32_t k = 0; k < n; k++)
        if (!isfinite(theta[k]))
            return embed_fail(h, ANIMAT_EMBED_EINPUT, "theta[%u] is not finite", k);
    if (!h->user_theta && n && !(h->user_theta = malloc(n * sizeof *theta)))
        return embed_fail(h, ANIMAT_EMBED_ENOMEM, "out of memory");
    if (n) memcpy(h->user_theta, theta, n * sizeof *theta);
    return sim_set_theta(&h->s, theta, &h->e) ? ANIMAT_EMBED_EPLUGIN : 0;
}

int animat_run(animat_exp *h, uint64_t first, uint64_t n, double *returns, uint64_t *steps) {
    begin(h);
    if (h->agent >= 0)
        return embed_fail(h, ANIMAT_EMBED_EUNSUPPORTED, "%s: the agent '%s' is played by the program: step the "
                          "experiment (animat_reset, animat_step) instead of running it", h->x.file,
                          h->x.insts[h->agent].name);
    if (h->x.isolate)
        return embed_fail(h, ANIMAT_EMBED_EUNSUPPORTED, "%s: run.isolate: true: run it with animat_run_with",
                          h->x.file);
    if (!h->have_sim && !h->sim_gen && embed_sim_create(h)) { /* ANIMAT_OPEN_DEFER: the first instances */
        embed_sim_destroy(h);
        return ANIMAT_EMBED_EPLUGIN;
    }
    if (!h->have_sim) return embed_fail(h, ANIMAT_EMBED_ESTATE, "%s: no instances (a failed reset)", h->x.file);
    embed_abort(h);
    for (uint64_t k = 0; k < n; k++) {
        sim_result r;
        if (sim_episode(&h->s, first + k, &r, &h->e)) return ANIMAT_EMBED_EPLUGIN;
        if (returns) returns[k] = r.ret;
        if (steps) steps[k] = r.steps;
    }
    return 0;
}
