/* plugcheck_run.c -- the checks of `animat plugin-check` (see plugcheck.h). Each
 * runs plugin code and is called inside a forked child by plugcheck.c, so the
 * counters below are per check, and a crash takes down only that child. */
#include <gsl/gsl_rng.h>
#include <malloc.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin/instance.h"
#include "plugin/plugcheck.h"
#include "plugin/hostctx.h"
#include "plugin/registry.h"

/* Under valgrind, malloc is valgrind's and mallinfo2 says nothing: the leak
 * check then asks memcheck instead (header-only client requests). */
#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define PLUGCHECK_VALGRIND 1
#endif
#endif

/* Calls through the host table's alloc/free (this process only), and the
 * host's own functions that the counting ones forward to. */
static _Atomic unsigned long n_alloc, n_free; /* atomic: the threads check calls h->alloc from two threads */
static void *(*host_alloc)(const animat_host *h, size_t size);
static void (*host_free)(const animat_host *h, void *ptr);

int plugcheck_fail(char *msg, size_t cap, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, cap, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- host table for an instance under test ---- */

/* h->alloc that counts successful calls to the host's alloc. */
static void *count_alloc(const animat_host *h, size_t size) {
    void *p = host_alloc(h, size);
    if (p) n_alloc++;
    return p;
}

/* h->free that counts; NULL is a no-op and not counted. */
static void count_free(const animat_host *h, void *p) {
    if (p) n_free++;
    host_free(h, p);
}

/* wired_size: every port is taken as wired to a peer of PLUGCHECK_WIRED_SIZE. */
static uint32_t synthetic_wired(void *ctx, uint32_t role, uint32_t dir, const char *port) {
    (void)ctx, (void)role, (void)dir, (void)port;
    return PLUGCHECK_WIRED_SIZE;
}

/* Role of a plugin kind in the host's stream keys. */
static uint32_t role_of(uint32_t kind) {
    return kind == ANIMAT_KIND_BODY      ? HOSTCTX_ROLE_BODY
           : kind == ANIMAT_KIND_CIRCUIT ? HOSTCTX_ROLE_CIRCUIT
                                         : HOSTCTX_ROLE_LEARNER;
}

/* Initialise `ah` for c's plugin as the host would, with counting alloc/free
 * and the synthetic wiring, seeded for create with run seed `seed`. 0 or -1
 * (out of memory). */
static int host_init(hostctx *ah, const plugcheck_ctx *c, uint64_t seed) {
    uint32_t role = role_of(c->desc->kind);
    if (hostctx_init(ah, role, registry_kind_name(c->desc->kind), c->desc->name, c->params)) return -1;
    if (c->plugin) hostctx_identify(ah, c->plugin);
    ah->quiet = 1;
    ah->wired = synthetic_wired;
    host_alloc = ah->table.alloc;
    host_free = ah->table.free;
    ah->table.alloc = count_alloc;
    ah->table.free = count_free;
    hostctx_reseed(ah, seed, HOSTCTX_EPISODE_CREATE);
    return 0;
}

/* The plugin's last h->error message, or a note that it gave none. */
static const char *err_of(const hostctx *ah) {
    return ah->error[0] ? ah->error : "(the plugin gave no h->error message)";
}

/* A GSL stream for the synthetic inputs of `episode`, fixed by the seed. */
static gsl_rng *input_stream(uint64_t seed, uint64_t episode) {
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    uint64_t s = hostctx_seed(seed, episode, 0x1000u);
    if (g) gsl_rng_set(g, (unsigned long)((s ^ (s >> 32)) & 0xffffffffu));
    return g;
}

/* "NaN", "+Inf" or "-Inf" for a non-finite x. */
static const char *nonfinite_word(double x) { return isnan(x) ? "NaN" : x > 0 ? "+Inf" : "-Inf"; }

/* Learner inputs: a 4-entry REAL theta, zeros to start. */
#define LINFO(i)                                                                                                       \
    { sizeof(animat_param_info), ANIMAT_PARAM_REAL, 0, 0, "t" #i, "", 0, -10, 10, NULL, NULL, "synthetic entry " #i }
static const animat_param_info learner_info[PLUGCHECK_LEARNER_N] = {LINFO(0), LINFO(1), LINFO(2), LINFO(3)};
static const double learner_theta0[PLUGCHECK_LEARNER_N] = {0, 0, 0, 0};

/* Create an instance of any kind on host `ah` (already initialised and
 * reseeded). NULL after the plugin's h->error. */
static void *create_any(const plugcheck_ctx *c, hostctx *ah) {
    const void *api = c->desc->api;
    switch (c->desc->kind) {
    case ANIMAT_KIND_BODY: return ((const animat_body_api *)api)->create(&ah->table);
    case ANIMAT_KIND_CIRCUIT: return ((const animat_circuit_api *)api)->create(&ah->table);
    default:
        return ((const animat_learner_api *)api)->create(&ah->table, PLUGCHECK_LEARNER_N, learner_info, learner_theta0);
    }
}

/* Destroy an instance of any kind; NULL is a no-op. */
static void destroy_any(const plugcheck_ctx *c, void *self) {
    if (!self) return;
    const void *api = c->desc->api;
    if (c->desc->kind == ANIMAT_KIND_BODY)
        ((const animat_body_api *)api)->destroy(self);
    else if (c->desc->kind == ANIMAT_KIND_CIRCUIT)
        ((const animat_circuit_api *)api)->destroy(self);
    else
        ((const animat_learner_api *)api)->destroy(self);
}

/* ---- bodies and circuits ---- */

/* The guard pattern around every port buffer: a signalling-NaN payload no
 * computation produces, compared bit for bit. */
static const uint64_t canary_bits = 0x7ff4a5a5deadbeefull;

/* Port i of direction d. */
const animat_port_info *plugcheck_port_at(const plugcheck_inst *in, uint32_t d, uint32_t i) {
    return registry_port_at(in->p[d], i);
}

const char *plugcheck_dir_word(const plugcheck_inst *in, uint32_t d) {
    if (in->c->desc->kind == ANIMAT_KIND_BODY) return d == ANIMAT_PORT_IN ? "action" : "observation";
    return d == ANIMAT_PORT_IN ? "input" : "output";
}

/* Validate the port table of direction d with the host's own validator
 * (the one every run uses), plus a doc string per port. 0 or -1 with msg. */
static int ports_sane(const plugcheck_inst *in, uint32_t d, char *msg, size_t cap) {
    const char *w = plugcheck_dir_word(in, d);
    char why[160];
    if (instance_check_ports(in->p[d], in->n[d], why, sizeof why))
        return plugcheck_fail(msg, cap, "%s ports: %s", w, why);
    for (uint32_t i = 0; i < in->n[d]; i++)
        if (!plugcheck_port_at(in, d, i)->doc)
            return plugcheck_fail(msg, cap, "%s port '%s' has no doc string", w, plugcheck_port_at(in, d, i)->name);
    return 0;
}

void plugcheck_inst_free(plugcheck_inst *in) {
    destroy_any(in->c, in->self);
    in->self = NULL;
    for (int d = 0; d < 2; d++) {
        free(in->flat[d]);
        free(in->buf[d]);
        in->flat[d] = NULL;
        in->buf[d] = NULL;
    }
    free(in->sent);
    in->sent = NULL;
    free(in->last_out);
    in->last_out = NULL;
    if (in->g) gsl_rng_free(in->g);
    in->g = NULL;
    hostctx_fini(&in->ah);
}

/* Guard block g of direction d: before port g and after port g - 1. */
static double *guard_at(const plugcheck_inst *in, uint32_t d, uint32_t g) {
    return g == 0 ? in->flat[d] : in->buf[d][g - 1] + plugcheck_port_at(in, d, g - 1)->size;
}

/* Write the canaries before and after every port buffer. */
static void guards_fill(plugcheck_inst *in) {
    for (uint32_t d = 0; d < 2; d++)
        for (uint32_t i = 0; i <= in->n[d]; i++) {
            double *g = guard_at(in, d, i);
            for (uint32_t k = 0; k < PLUGCHECK_GUARD; k++) memcpy(&g[k], &canary_bits, sizeof g[k]);
        }
}

/* Lay out direction d: guard, port 0, guard, port 1, ..., guard. 0 or -1. */
static int lay_buffers(plugcheck_inst *in, uint32_t d) {
    in->flat[d] = calloc(in->total[d] + PLUGCHECK_GUARD * ((size_t)in->n[d] + 1), sizeof(double));
    in->buf[d] = calloc(in->n[d] ? in->n[d] : 1, sizeof(double *));
    if (!in->flat[d] || !in->buf[d]) return -1;
    size_t off = PLUGCHECK_GUARD;
    for (uint32_t i = 0; i < in->n[d]; i++) {
        in->buf[d][i] = in->flat[d] + off;
        off += plugcheck_port_at(in, d, i)->size + PLUGCHECK_GUARD;
    }
    return 0;
}

int plugcheck_inst_new(plugcheck_inst *in, const plugcheck_ctx *c, uint64_t seed, char *msg, size_t cap) {
    memset(in, 0, sizeof *in);
    in->c = c;
    if (host_init(&in->ah, c, seed)) return plugcheck_fail(msg, cap, "out of memory");
    in->self = create_any(c, &in->ah);
    if (!in->self) return plugcheck_fail(msg, cap, "create at %s parameters returned NULL: %s",
                                         c->given ? "the given" : "default", err_of(&in->ah));
    for (uint32_t d = 0; d < 2; d++) {
        in->p[d] = c->desc->kind == ANIMAT_KIND_BODY
                       ? ((const animat_body_api *)c->desc->api)->ports(in->self, d, &in->n[d])
                       : ((const animat_circuit_api *)c->desc->api)->ports(in->self, d, &in->n[d]);
        if (ports_sane(in, d, msg, cap)) return -1;
        for (uint32_t i = 0; i < in->n[d]; i++) in->total[d] += plugcheck_port_at(in, d, i)->size;
        if (lay_buffers(in, d)) return plugcheck_fail(msg, cap, "out of memory for port buffers");
    }
    if (!(in->sent = calloc(in->total[ANIMAT_PORT_IN] + 1, sizeof(double))) ||
        !(in->last_out = calloc(in->total[ANIMAT_PORT_OUT] + 1, sizeof(double))))
        return plugcheck_fail(msg, cap, "out of memory for port buffers");
    guards_fill(in);
    return 0;
}

/* The error an instance's plugin reported. A plugin that (wrongly) keeps
 * one host pointer for all its instances reports through the last created
 * one's table, so look there too. */
static const char *inst_err(const plugcheck_inst *in) {
    if (!in->ah.error[0] && in->peer && in->peer->error[0]) return in->peer->error;
    return err_of(&in->ah);
}

size_t plugcheck_row_width(const plugcheck_inst *in) { return in->total[ANIMAT_PORT_OUT] + 1; }

/* "step 3" or "reset" (t = 0). */
void plugcheck_step_name(uint32_t t, char *buf, size_t cap) {
    if (t)
        snprintf(buf, cap, "step %u", t);
    else
        snprintf(buf, cap, "reset");
}

/* Is guard block g of direction d intact? Guard g lies before port g and
 * after port g - 1. */
static int guard_ok(const plugcheck_inst *in, uint32_t d, uint32_t g) {
    const double *p = guard_at(in, d, g);
    for (uint32_t k = 0; k < PLUGCHECK_GUARD; k++)
        if (memcmp(&p[k], &canary_bits, sizeof p[k])) return 0;
    return 1;
}

/* After the reset or step t: every canary intact and the inputs as sent.
 * 0, or -1 with msg naming the port. */
static int guards_check(const plugcheck_inst *in, uint32_t t, char *msg, size_t cap) {
    char when[32];
    plugcheck_step_name(t, when, sizeof when);
    for (uint32_t d = 0; d < 2; d++)
        for (uint32_t g = 0; in->n[d] && g <= in->n[d]; g++) {
            if (guard_ok(in, d, g)) continue;
            const animat_port_info *q = plugcheck_port_at(in, d, g ? g - 1 : 0);
            return plugcheck_fail(msg, cap, "%s wrote %s %s port '%s' (size %u)", when,
                                  g ? "past the end of" : "before the start of", plugcheck_dir_word(in, d), q->name,
                                  q->size);
        }
    for (uint32_t i = 0, k = 0; t && i < in->n[ANIMAT_PORT_IN]; i++)
        for (uint32_t j = 0; j < plugcheck_port_at(in, ANIMAT_PORT_IN, i)->size; j++, k++)
            if (memcmp(&in->buf[ANIMAT_PORT_IN][i][j], &in->sent[k], sizeof(double)))
                return plugcheck_fail(msg, cap, "%s wrote into its %s port '%s'[%u] (inputs are read-only)", when,
                                      plugcheck_dir_word(in, ANIMAT_PORT_IN), plugcheck_port_at(in, ANIMAT_PORT_IN, i)->name, j);
    return 0;
}

/* Every output value into row (total[OUT] doubles). */
static void gather_out(const plugcheck_inst *in, double *row) {
    for (uint32_t i = 0, k = 0; i < in->n[ANIMAT_PORT_OUT]; i++) {
        uint32_t n = plugcheck_port_at(in, ANIMAT_PORT_OUT, i)->size;
        memcpy(row + k, in->buf[ANIMAT_PORT_OUT][i], n * sizeof(double));
        k += n;
    }
}

/* After a call of `in` (`when`): the other instance's buffers as its own
 * last call left them. 0, or -1 with msg naming the buffer. */
static int other_check(const plugcheck_inst *in, uint32_t t, char *msg, size_t cap) {
    const plugcheck_inst *o = in->other;
    if (!o || !o->self) return 0;
    char when[32];
    plugcheck_step_name(t, when, sizeof when);
    for (uint32_t d = 0; d < 2; d++)
        for (uint32_t g = 0; o->n[d] && g <= o->n[d]; g++)
            if (!guard_ok(o, d, g))
                return plugcheck_fail(msg, cap, "%s of one instance wrote next to another instance's %s port '%s'",
                                      when,
                                      plugcheck_dir_word(o, d), plugcheck_port_at(o, d, g ? g - 1 : 0)->name);
    for (uint32_t d = 0; d < 2; d++)
        for (uint32_t i = 0, k = 0; i < o->n[d]; i++)
            for (uint32_t j = 0; j < plugcheck_port_at(o, d, i)->size; j++, k++) {
                const double *was = d == ANIMAT_PORT_OUT ? &o->last_out[k] : &o->sent[k];
                if ((d == ANIMAT_PORT_OUT || o->t) && memcmp(&o->buf[d][i][j], was, sizeof(double)))
                    return plugcheck_fail(msg, cap,
                                          "%s of one instance changed another instance's %s port '%s'[%u] "
                                          "(a pointer kept across instances?)",
                                          when, plugcheck_dir_word(o, d), plugcheck_port_at(o, d, i)->name, j);
            }
    return 0;
}

int plugcheck_inst_reset(plugcheck_inst *in, uint64_t seed, double *row, char *msg, size_t cap) {
    const plugcheck_ctx *c = in->c;
    int body = c->desc->kind == ANIMAT_KIND_BODY;
    for (uint32_t i = 0; i < in->n[ANIMAT_PORT_OUT]; i++)
        memset(in->buf[ANIMAT_PORT_OUT][i], 0, plugcheck_port_at(in, ANIMAT_PORT_OUT, i)->size * sizeof(double));
    guards_fill(in);
    if (in->g) gsl_rng_free(in->g);
    if (!(in->g = input_stream(seed, 0))) return plugcheck_fail(msg, cap, "out of memory");
    in->t = 0;
    hostctx_reseed(&in->ah, seed, 0);
    uint64_t s = hostctx_seed(seed, 0, in->ah.role);
    int32_t rc = body ? ((const animat_body_api *)c->desc->api)->reset(in->self, s, in->buf[ANIMAT_PORT_OUT])
                      : ((const animat_circuit_api *)c->desc->api)->reset(in->self, s);
    if (rc != ANIMAT_OK)
        return plugcheck_fail(msg, cap, "reset returned %s: %s", rc == ANIMAT_ERROR ? "ANIMAT_ERROR" : "a bad status",
                              inst_err(in));
    if (in->guard && (guards_check(in, 0, msg, cap) || other_check(in, 0, msg, cap))) return -1;
    gather_out(in, in->last_out);
    if (row) {
        memset(row, 0, plugcheck_row_width(in) * sizeof(double));
        if (body) gather_out(in, row);
    }
    return 0;
}

int plugcheck_inst_step(plugcheck_inst *in, animat_step_result *res, double *row, char *msg, size_t cap) {
    const plugcheck_ctx *c = in->c;
    for (uint32_t i = 0, k = 0; i < in->n[ANIMAT_PORT_IN]; i++)
        for (uint32_t j = 0; j < plugcheck_port_at(in, ANIMAT_PORT_IN, i)->size; j++, k++)
            in->buf[ANIMAT_PORT_IN][i][j] = in->sent[k] = 2.0 * gsl_rng_uniform(in->g) - 1.0;
    *res = (animat_step_result){.struct_size = sizeof *res};
    const double *const *act = (const double *const *)in->buf[ANIMAT_PORT_IN];
    uint32_t t = ++in->t;
    if (in->count_alloc) plugcheck_alloc_begin();
    int32_t rc = c->desc->kind == ANIMAT_KIND_BODY
                     ? ((const animat_body_api *)c->desc->api)->step(in->self, act, in->buf[ANIMAT_PORT_OUT], res)
                     : ((const animat_circuit_api *)c->desc->api)
                           ->step(in->self, act, in->buf[ANIMAT_PORT_OUT], PLUGCHECK_CIRCUIT_DT);
    if (in->count_alloc) in->allocs += plugcheck_alloc_end();
    if (rc != ANIMAT_OK)
        return plugcheck_fail(msg, cap, "step %u returned %s on inputs in [-1, 1]: %s", t,
                              rc == ANIMAT_ERROR ? "ANIMAT_ERROR" : "a bad status", inst_err(in));
    if (in->guard && (guards_check(in, t, msg, cap) || other_check(in, t, msg, cap))) return -1;
    gather_out(in, in->last_out);
    if (row) {
        gather_out(in, row);
        row[in->total[ANIMAT_PORT_OUT]] = res->reward;
    }
    return 0;
}

int plugcheck_inst_run(plugcheck_inst *in, uint64_t seed, double *rec, uint32_t *nsteps, char *msg, size_t cap) {
    size_t w = plugcheck_row_width(in);
    *nsteps = 0;
    memset(rec, 0, (PLUGCHECK_STEPS + 1) * w * sizeof(double));
    if (plugcheck_inst_reset(in, seed, rec, msg, cap)) return -1;
    for (uint32_t t = 1; t <= PLUGCHECK_STEPS; t++) {
        animat_step_result res;
        if (plugcheck_inst_step(in, &res, rec + t * w, msg, cap)) return -1;
        *nsteps = t;
        if (in->c->desc->kind == ANIMAT_KIND_BODY && (res.terminated || res.truncated)) break;
    }
    return 0;
}

/* Name value k of a recorded row: "observation y[0]" or "reward". */
void plugcheck_value_name(const plugcheck_inst *in, size_t k, char *buf, size_t cap) {
    for (uint32_t i = 0; i < in->n[ANIMAT_PORT_OUT]; i++) {
        const animat_port_info *q = plugcheck_port_at(in, ANIMAT_PORT_OUT, i);
        if (k < q->size) {
            snprintf(buf, cap, "%s %s[%zu]", plugcheck_dir_word(in, ANIMAT_PORT_OUT), q->name, k);
            return;
        }
        k -= q->size;
    }
    snprintf(buf, cap, "reward");
}

/* See plugcheck.h. Runs plugin code: call it in a forked child only. */
int plugcheck_ports(const plugcheck_ctx *c, char *msg, size_t cap) {
    plugcheck_inst in;
    int rc = plugcheck_inst_new(&in, c, c->seed, msg, cap);
    char extra[256] = "";
    /* bodies: the control interval */
    if (!rc && c->desc->kind == ANIMAT_KIND_BODY) {
        double dt = ((const animat_body_api *)c->desc->api)->control_dt(in.self);
        if (!(isfinite(dt) && dt > 0))
            rc = plugcheck_fail(msg, cap, "control_dt() returned %g (want finite > 0)", dt);
        else
            snprintf(extra, sizeof extra, "; control_dt %g s", dt);
    }
    /* circuits: theta metadata and a get/set round trip */
    if (!rc && c->desc->kind == ANIMAT_KIND_CIRCUIT) {
        const animat_circuit_api *a = c->desc->api;
        uint32_t n = 0;
        const animat_param_info *ti = a->theta_info(in.self, &n);
        double *th = NULL;
        if (n > PLUGCHECK_MAX_THETA)
            rc = plugcheck_fail(msg, cap, "theta_info reports %u entries (at most %u)", n, PLUGCHECK_MAX_THETA);
        else if (n && !ti)
            rc = plugcheck_fail(msg, cap, "theta_info reports %u entries but returns NULL", n);
        else if (n && ti[0].struct_size < sizeof(animat_param_info))
            rc = plugcheck_fail(msg, cap, "theta_info struct_size %u < sizeof(animat_param_info) %zu", ti[0].struct_size,
                             sizeof(animat_param_info));
        for (uint32_t k = 0; !rc && k < n; k++) {
            const animat_param_info *q = params_at(ti, k);
            if (!q->name || !q->name[0])
                rc = plugcheck_fail(msg, cap, "theta entry %u has no name", k);
            else if (!q->unit || !q->doc)
                rc = plugcheck_fail(msg, cap, "theta entry %u (%s) lacks a unit or doc string", k, q->name);
            else if (!(q->min <= q->max))
                rc = plugcheck_fail(msg, cap, "theta entry %u (%s) has min %g > max %g", k, q->name, q->min, q->max);
        }
        if (!rc && !(th = calloc(n ? n : 1, sizeof *th))) rc = plugcheck_fail(msg, cap, "out of memory");
        if (!rc && a->get_theta(in.self, th, n) != ANIMAT_OK)
            rc = plugcheck_fail(msg, cap, "get_theta(%u) failed: %s", n, err_of(&in.ah));
        for (uint32_t k = 0; !rc && k < n; k++)
            if (!isfinite(th[k]))
                rc = plugcheck_fail(msg, cap, "initial theta entry %u (%s) is not finite (%s)", k, params_at(ti, k)->name,
                                 nonfinite_word(th[k]));
        if (!rc && a->set_theta(in.self, th, n) != ANIMAT_OK)
            rc = plugcheck_fail(msg, cap, "set_theta(%u) of its own theta failed: %s", n, err_of(&in.ah));
        free(th);
        if (!rc) snprintf(extra, sizeof extra, "; theta %u entries, get/set round trip", n);
    }
    if (!rc)
        snprintf(
            msg, cap,
            "created at %s (wired_size answers %u); %u %s port%s (%zu value%s), %u %s port%s (%zu value%s)%s",
            c->given ? "the --set parameters" : "defaults", PLUGCHECK_WIRED_SIZE, in.n[0], plugcheck_dir_word(&in, 0), in.n[0] == 1 ? "" : "s", in.total[0],
            in.total[0] == 1 ? "" : "s", in.n[1], plugcheck_dir_word(&in, 1), in.n[1] == 1 ? "" : "s", in.total[1],
            in.total[1] == 1 ? "" : "s", extra);
    plugcheck_inst_free(&in);
    return rc;
}

/* See plugcheck.h. Runs plugin code: call it in a forked child only. */
int plugcheck_finite(const plugcheck_ctx *c, char *msg, size_t cap) {
    plugcheck_inst in;
    double *rec = NULL;
    uint32_t steps = 0;
    int rc = plugcheck_inst_new(&in, c, c->seed, msg, cap);
    size_t w = plugcheck_row_width(&in);
    if (!rc && !(rec = malloc((PLUGCHECK_STEPS + 1) * w * sizeof *rec))) rc = plugcheck_fail(msg, cap, "out of memory");
    if (!rc) rc = plugcheck_inst_run(&in, c->seed, rec, &steps, msg, cap);
    /* scan every value of every row (row 0: a body's first observation) */
    int body = c->desc->kind == ANIMAT_KIND_BODY;
    for (uint32_t t = body ? 0 : 1; !rc && t <= steps; t++)
        for (size_t k = 0; !rc && k < w - (body ? 0 : 1); k++) {
            double x = rec[t * w + k];
            if (isfinite(x)) continue;
            char what[160], when[32];
            plugcheck_value_name(&in, k, what, sizeof what);
            plugcheck_step_name(t, when, sizeof when);
            rc = plugcheck_fail(msg, cap, "%s is not finite (%s) at %s", what, nonfinite_word(x), when);
        }
    if (!rc)
        snprintf(msg, cap, "%u step%s on uniform [-1, 1] %ss%s: every %s%s finite", steps, steps == 1 ? "" : "s",
                 plugcheck_dir_word(&in, 0), body ? "" : " (dt " PLUGCHECK_DT_STR " s)", plugcheck_dir_word(&in, 1), body ? " and reward" : "");
    free(rec);
    plugcheck_inst_free(&in);
    return rc;
}

/* Compare two trajectories bit for bit; 0, or -1 with msg naming `what`,
 * the first differing value and its step. */
int plugcheck_same_run(const plugcheck_inst *in, const double *a, uint32_t na, const double *b, uint32_t nb, const char *what,
                    char *msg, size_t cap) {
    if (na != nb) return plugcheck_fail(msg, cap, "%s: episode lengths differ (%u vs %u steps)", what, na, nb);
    size_t w = plugcheck_row_width(in);
    for (uint32_t t = 0; t <= na; t++)
        for (size_t k = 0; k < w; k++) {
            const double *x = a + t * w + k, *y = b + t * w + k;
            if (!memcmp(x, y, sizeof *x)) continue;
            char name[160], when[32];
            plugcheck_value_name(in, k, name, sizeof name);
            plugcheck_step_name(t, when, sizeof when);
            return plugcheck_fail(msg, cap, "%s: %s differs at %s (%.17g vs %.17g)", what, name, when, *x, *y);
        }
    return 0;
}

/* See plugcheck.h. Runs plugin code: call it in a forked child only. */
int plugcheck_determinism(const plugcheck_ctx *c, char *msg, size_t cap) {
    plugcheck_inst a, b;
    double *rec[3] = {NULL, NULL, NULL};
    uint32_t n[3] = {0, 0, 0};
    int rc = plugcheck_inst_new(&a, c, c->seed, msg, cap);
    if (rc) {
        memset(&b, 0, sizeof b);
        b.c = c;
    } else {
        rc = plugcheck_inst_new(&b, c, c->seed, msg, cap);
        a.peer = &b.ah;
        b.peer = &a.ah;
    }
    if (!rc && (a.total[0] != b.total[0] || a.total[1] != b.total[1]))
        rc = plugcheck_fail(msg, cap, "a second instance at the same parameters has different port sizes");
    size_t w = plugcheck_row_width(&a);
    for (int i = 0; !rc && i < 3; i++)
        if (!(rec[i] = malloc((PLUGCHECK_STEPS + 1) * w * sizeof(double)))) rc = plugcheck_fail(msg, cap, "out of memory");
    /* circuits: the same create seed gives the same initial theta */
    if (!rc && c->desc->kind == ANIMAT_KIND_CIRCUIT) {
        const animat_circuit_api *api = c->desc->api;
        uint32_t na = 0, nb = 0;
        api->theta_info(a.self, &na);
        api->theta_info(b.self, &nb);
        double *ta = calloc(na ? na : 1, sizeof *ta), *tb = calloc(nb ? nb : 1, sizeof *tb);
        if (na != nb)
            rc = plugcheck_fail(msg, cap, "two instances report theta lengths %u and %u", na, nb);
        else if (!ta || !tb)
            rc = plugcheck_fail(msg, cap, "out of memory");
        else if (api->get_theta(a.self, ta, na) != ANIMAT_OK || api->get_theta(b.self, tb, nb) != ANIMAT_OK)
            rc = plugcheck_fail(msg, cap, "get_theta failed: %s", err_of(&a.ah));
        for (uint32_t k = 0; !rc && k < na; k++)
            if (memcmp(&ta[k], &tb[k], sizeof *ta))
                rc = plugcheck_fail(
                    msg, cap,
                    "two instances created with the same seed have different initial theta at entry %u (%.17g vs %.17g)",
                    k, ta[k], tb[k]);
        free(ta);
        free(tb);
    }
    /* instance a, instance b, then a again after a second reset */
    if (!rc) rc = plugcheck_inst_run(&a, c->seed, rec[0], &n[0], msg, cap);
    if (!rc) rc = plugcheck_inst_run(&b, c->seed, rec[1], &n[1], msg, cap);
    if (!rc) rc = plugcheck_inst_run(&a, c->seed, rec[2], &n[2], msg, cap);
    if (!rc) rc = plugcheck_same_run(&a, rec[0], n[0], rec[1], n[1], "two instances with the same seed and inputs", msg, cap);
    if (!rc) rc = plugcheck_same_run(&a, rec[0], n[0], rec[2], n[2], "a second reset of the same instance", msg, cap);
    if (!rc)
        snprintf(
            msg, cap,
            "two instances with seed %llu: %u step%s bit-identical (every %s%s); a second reset of one reproduces them",
            (unsigned long long)c->seed, n[0], n[0] == 1 ? "" : "s", plugcheck_dir_word(&a, 1),
            c->desc->kind == ANIMAT_KIND_BODY ? " and reward" : "");
    for (int i = 0; i < 3; i++) free(rec[i]);
    plugcheck_inst_free(&b);
    plugcheck_inst_free(&a);
    return rc;
}

/* Provided by the sanitizer runtime when the host is built with ASan (its
 * allocator replaces glibc's, so mallinfo2 sees nothing); NULL otherwise. */
extern size_t __sanitizer_get_current_allocated_bytes(void) __attribute__((weak));

/* Bytes the allocator holds in use: glibc's main arena plus mmapped chunks,
 * under ASan the sanitizer allocator's live bytes, or under valgrind every
 * live block memcheck knows of. */
long long plugcheck_heap_in_use(void) {
    if (__sanitizer_get_current_allocated_bytes) return (long long)__sanitizer_get_current_allocated_bytes();
#ifdef PLUGCHECK_VALGRIND
    if (RUNNING_ON_VALGRIND) {
        unsigned long leaked = 0, dubious = 0, reachable = 0, suppressed = 0;
        VALGRIND_DO_QUICK_LEAK_CHECK;
        VALGRIND_COUNT_LEAKS(leaked, dubious, reachable, suppressed);
        return (long long)(leaked + dubious + reachable + suppressed);
    }
#endif
    struct mallinfo2 m = mallinfo2();
    return (long long)(m.uordblks + m.hblkhd);
}

/* See plugcheck.h. Runs plugin code: call it in a forked child only. */
int plugcheck_leak(const plugcheck_ctx *c, char *msg, size_t cap) {
    hostctx ah;
    if (host_init(&ah, c, c->seed)) return plugcheck_fail(msg, cap, "out of memory");
    int rc = 0;
    long long before = 0, half = 0;
    /* warm-up cycles (lazy one-time allocations, allocator caches), then the
     * measured ones, with a reading at the start and in the middle */
    for (int i = -PLUGCHECK_WARMUP; !rc && i < PLUGCHECK_CYCLES; i++) {
        if (i == 0) {
            before = plugcheck_heap_in_use();
            n_alloc = n_free = 0;
        }
        if (i == PLUGCHECK_CYCLES / 2) half = plugcheck_heap_in_use();
        hostctx_reseed(&ah, c->seed, HOSTCTX_EPISODE_CREATE);
        void *self = create_any(c, &ah);
        if (!self)
            rc = plugcheck_fail(msg, cap, "create returned NULL in cycle %d of %d: %s", i + PLUGCHECK_WARMUP + 1,
                             PLUGCHECK_CYCLES + PLUGCHECK_WARMUP, err_of(&ah));
        destroy_any(c, self);
    }
    long long after = plugcheck_heap_in_use(), grew = after - before, grew2 = after - half;
    /* a leak grows the heap steadily: over all cycles and over the last half
     * (a cache that fills once does not) */
    if (!rc && n_alloc != n_free)
        rc = plugcheck_fail(msg, cap,
                         "%d create/destroy cycles made %lu h->alloc calls but %lu h->free calls (%ld unfreed)",
                         PLUGCHECK_CYCLES, n_alloc, n_free, (long)(n_alloc - n_free));
    else if (!rc && grew > PLUGCHECK_LEAK_BOUND && grew2 > PLUGCHECK_LEAK_BOUND / 2)
        rc = plugcheck_fail(
            msg, cap, "heap in use grew by %lld bytes over %d create/destroy cycles (%lld over the last %d; bound %d)",
            grew, PLUGCHECK_CYCLES, grew2, PLUGCHECK_CYCLES - PLUGCHECK_CYCLES / 2, PLUGCHECK_LEAK_BOUND);
    else if (!rc)
        snprintf(msg, cap,
                 "%d create/destroy cycles: %lu h->alloc = %lu h->free, heap in use grew by %lld bytes (bound %d)",
                 PLUGCHECK_CYCLES, n_alloc, n_free, grew, PLUGCHECK_LEAK_BOUND);
    hostctx_fini(&ah);
    return rc;
}

/* ---- learners ---- */

/* One learner instance with its candidate buffer. */
typedef struct lrn {
    const plugcheck_ctx *c;
    const animat_learner_api *api;
    hostctx ah;
    void *self;
    uint32_t pop;
    double *thetas; /* pop x PLUGCHECK_LEARNER_N, owned */
    double *ret;    /* pop returns, owned */
} lrn;

/* Release a learner (safe on a zeroed or half-made one). */
static void lrn_free(lrn *l) {
    destroy_any(l->c, l->self);
    l->self = NULL;
    free(l->thetas);
    free(l->ret);
    l->thetas = l->ret = NULL;
    hostctx_fini(&l->ah);
}

/* Create a learner over the synthetic 4-entry theta and size its buffers.
 * 0, or -1 with msg set (l then needs lrn_free all the same). */
static int lrn_new(lrn *l, const plugcheck_ctx *c, char *msg, size_t cap) {
    memset(l, 0, sizeof *l);
    l->c = c;
    l->api = c->desc->api;
    if (host_init(&l->ah, c, c->seed)) return plugcheck_fail(msg, cap, "out of memory");
    l->self = create_any(c, &l->ah);
    if (!l->self)
        return plugcheck_fail(msg, cap, "create(n_theta %u) at default parameters returned NULL: %s", PLUGCHECK_LEARNER_N,
                           err_of(&l->ah));
    l->pop = l->api->population(l->self);
    if (l->pop < 1 || l->pop > (1u << 20))
        return plugcheck_fail(msg, cap, "population() returned %u (want 1 .. %u)", l->pop, 1u << 20);
    l->thetas = calloc((size_t)l->pop * PLUGCHECK_LEARNER_N, sizeof(double));
    l->ret = calloc(l->pop, sizeof(double));
    if (!l->thetas || !l->ret) return plugcheck_fail(msg, cap, "out of memory");
    return 0;
}

/* First non-finite entry of n doubles, or -1. */
static long first_nonfinite(const double *x, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i])) return (long)i;
    return -1;
}

/* Reseed for `epoch` as the host does, ask, and check every candidate is
 * finite. 0 or -1 with msg set. */
static int lrn_ask(lrn *l, uint32_t epoch, char *msg, size_t cap) {
    hostctx_reseed(&l->ah, l->c->seed, epoch);
    if (l->api->ask(l->self, l->thetas) != ANIMAT_OK)
        return plugcheck_fail(msg, cap, "ask failed in epoch %u: %s", epoch, err_of(&l->ah));
    long bad = first_nonfinite(l->thetas, (size_t)l->pop * PLUGCHECK_LEARNER_N);
    if (bad >= 0)
        return plugcheck_fail(msg, cap, "ask in epoch %u: candidate %ld entry %ld is not finite (%s)", epoch,
                           bad / PLUGCHECK_LEARNER_N, bad % PLUGCHECK_LEARNER_N, nonfinite_word(l->thetas[bad]));
    return 0;
}

/* Tell synthetic returns -|theta - 0.5|^2 for the last ask. 0 or -1. */
static int lrn_tell(lrn *l, uint32_t epoch, char *msg, size_t cap) {
    for (uint32_t i = 0; i < l->pop; i++) {
        double r = 0;
        for (uint32_t k = 0; k < PLUGCHECK_LEARNER_N; k++) {
            double d = l->thetas[(size_t)i * PLUGCHECK_LEARNER_N + k] - 0.5;
            r -= d * d;
        }
        l->ret[i] = r;
    }
    if (l->api->tell(l->self, l->ret) != ANIMAT_OK)
        return plugcheck_fail(msg, cap, "tell failed in epoch %u: %s", epoch, err_of(&l->ah));
    return 0;
}

/* current() into x (PLUGCHECK_LEARNER_N doubles), checked finite. 0 or -1. */
static int lrn_current(lrn *l, double *x, char *msg, size_t cap) {
    if (l->api->current(l->self, x) != ANIMAT_OK) return plugcheck_fail(msg, cap, "current failed: %s", err_of(&l->ah));
    long bad = first_nonfinite(x, PLUGCHECK_LEARNER_N);
    if (bad >= 0) return plugcheck_fail(msg, cap, "current entry %ld is not finite (%s)", bad, nonfinite_word(x[bad]));
    return 0;
}

/* See plugcheck.h. Runs plugin code: call it in a forked child only. */
int plugcheck_learner(const plugcheck_ctx *c, char *msg, size_t cap) {
    lrn l;
    double cur[PLUGCHECK_LEARNER_N];
    int rc = lrn_new(&l, c, msg, cap);
    for (uint32_t e = 0; !rc && e < PLUGCHECK_EPOCHS; e++) {
        rc = lrn_ask(&l, e, msg, cap);
        if (!rc) rc = lrn_tell(&l, e, msg, cap);
        if (!rc) rc = lrn_current(&l, cur, msg, cap);
    }
    /* online hooks (ABI 1.1), when offered: 20 steps on random eligibility */
    int online = !rc && REGISTRY_HAS(l.api, animat_learner_api, online_step);
    if (online && REGISTRY_HAS(l.api, animat_learner_api, online_reset) && l.api->online_reset(l.self) != ANIMAT_OK)
        rc = plugcheck_fail(msg, cap, "online_reset failed: %s", err_of(&l.ah));
    gsl_rng *g = online && !rc ? input_stream(c->seed, 1) : NULL;
    for (uint32_t t = 1; g && !rc && t <= 20; t++) {
        double elig[PLUGCHECK_LEARNER_N];
        for (uint32_t k = 0; k < PLUGCHECK_LEARNER_N; k++) elig[k] = 2.0 * gsl_rng_uniform(g) - 1.0;
        if (l.api->online_step(l.self, 2.0 * gsl_rng_uniform(g) - 1.0, elig, cur, PLUGCHECK_LEARNER_N) != ANIMAT_OK)
            rc = plugcheck_fail(msg, cap, "online_step %u failed: %s", t, err_of(&l.ah));
        long bad = rc ? -1 : first_nonfinite(cur, PLUGCHECK_LEARNER_N);
        if (bad >= 0)
            rc = plugcheck_fail(msg, cap, "online_step %u: theta entry %ld is not finite (%s)", t, bad,
                             nonfinite_word(cur[bad]));
    }
    if (g) gsl_rng_free(g);
    if (!rc)
        snprintf(msg, cap, "n_theta %u, population %u: %u ask/tell epochs, candidates and current finite%s",
                 PLUGCHECK_LEARNER_N, l.pop, PLUGCHECK_EPOCHS, online ? "; online_reset + 20 online_step calls finite" : "");
    lrn_free(&l);
    return rc;
}

/* Compare the candidates of two learners bit for bit. 0 or -1. */
static int same_ask(const lrn *a, const lrn *b, uint32_t epoch, const char *what, char *msg, size_t cap) {
    if (a->pop != b->pop) return plugcheck_fail(msg, cap, "%s: populations differ (%u vs %u)", what, a->pop, b->pop);
    for (size_t i = 0; i < (size_t)a->pop * PLUGCHECK_LEARNER_N; i++)
        if (memcmp(&a->thetas[i], &b->thetas[i], sizeof(double)))
            return plugcheck_fail(msg, cap, "%s: ask in epoch %u differs at candidate %zu entry %zu (%.17g vs %.17g)",
                               what, epoch, i / PLUGCHECK_LEARNER_N, i % PLUGCHECK_LEARNER_N, a->thetas[i], b->thetas[i]);
    return 0;
}

/* See plugcheck.h. Runs plugin code: call it in a forked child only. */
int plugcheck_learner_determinism(const plugcheck_ctx *c, char *msg, size_t cap) {
    lrn a, b;
    int rc = lrn_new(&a, c, msg, cap);
    if (rc) {
        memset(&b, 0, sizeof b);
        b.c = c;
    } else {
        rc = lrn_new(&b, c, msg, cap);
    }
    for (uint32_t e = 0; !rc && e < PLUGCHECK_EPOCHS; e++) {
        rc = lrn_ask(&a, e, msg, cap);
        if (!rc) rc = lrn_ask(&b, e, msg, cap);
        if (!rc) rc = same_ask(&a, &b, e, "two instances with the same seed", msg, cap);
        if (!rc) rc = lrn_tell(&a, e, msg, cap);
        if (!rc) rc = lrn_tell(&b, e, msg, cap);
    }
    double ca[PLUGCHECK_LEARNER_N], cb[PLUGCHECK_LEARNER_N];
    if (!rc) rc = lrn_current(&a, ca, msg, cap);
    if (!rc) rc = lrn_current(&b, cb, msg, cap);
    if (!rc && memcmp(ca, cb, sizeof ca))
        rc = plugcheck_fail(msg, cap, "two instances with the same seed: current differs");
    if (!rc)
        snprintf(msg, cap, "two instances with seed %llu: %u epochs of ask (%u x %u) bit-identical, current identical",
                 (unsigned long long)c->seed, PLUGCHECK_EPOCHS, a.pop, PLUGCHECK_LEARNER_N);
    lrn_free(&b);
    lrn_free(&a);
    return rc;
}

/* See plugcheck.h. Runs plugin code: call it in a forked child only. */
int plugcheck_checkpoint(const plugcheck_ctx *c, char *msg, size_t cap) {
    const animat_learner_api *api = c->desc->api;
    int has = !!REGISTRY_HAS(api, animat_learner_api, state_size) + !!REGISTRY_HAS(api, animat_learner_api, save) +
              !!REGISTRY_HAS(api, animat_learner_api, load);
    if (has == 0) {
        snprintf(msg, cap, "not offered (state_size, save and load are NULL)");
        return 0;
    }
    if (has != 3)
        return plugcheck_fail(msg, cap, "state_size, save and load must be all set or all NULL (%d of 3 set)", has);
    lrn a, b;
    void *buf = NULL;
    uint64_t size = 0;
    int rc = lrn_new(&a, c, msg, cap);
    memset(&b, 0, sizeof b);
    b.c = c;
    /* one epoch on a, then save it */
    if (!rc) rc = lrn_ask(&a, 0, msg, cap);
    if (!rc) rc = lrn_tell(&a, 0, msg, cap);
    if (!rc && ((size = api->state_size(a.self)) == 0 || size > (1ull << 30)))
        rc = plugcheck_fail(msg, cap, "state_size() returned %llu bytes (want 1 .. 2^30)", (unsigned long long)size);
    if (!rc && !(buf = calloc(1, size))) rc = plugcheck_fail(msg, cap, "out of memory");
    if (!rc && api->save(a.self, buf, size) != ANIMAT_OK) rc = plugcheck_fail(msg, cap, "save failed: %s", err_of(&a.ah));
    /* load into a fresh instance; both must then agree */
    if (!rc) rc = lrn_new(&b, c, msg, cap);
    if (!rc && api->load(b.self, buf, size) != ANIMAT_OK)
        rc = plugcheck_fail(msg, cap, "load of its own save (%llu bytes) into a fresh instance failed: %s",
                         (unsigned long long)size, err_of(&b.ah));
    double ca[PLUGCHECK_LEARNER_N], cb[PLUGCHECK_LEARNER_N];
    if (!rc) rc = lrn_current(&a, ca, msg, cap);
    if (!rc) rc = lrn_current(&b, cb, msg, cap);
    if (!rc && memcmp(ca, cb, sizeof ca)) rc = plugcheck_fail(msg, cap, "after save -> load, current differs");
    if (!rc) rc = lrn_ask(&a, 1, msg, cap);
    if (!rc) rc = lrn_ask(&b, 1, msg, cap);
    if (!rc) rc = same_ask(&a, &b, 1, "after save -> load into a fresh instance", msg, cap);
    if (!rc)
        snprintf(
            msg, cap,
            "save after one epoch (%llu bytes) -> load into a fresh instance -> current and next ask bit-identical",
            (unsigned long long)size);
    free(buf);
    lrn_free(&b);
    lrn_free(&a);
    return rc;
}
