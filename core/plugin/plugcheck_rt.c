/* plugcheck_rt.c -- the checks of `animat plugin-check` for the real-time and
 * determinism rules of step() (see plugcheck.h): no allocation, no heap
 * growth, no writes outside the output buffers, no state shared between
 * instances or threads, ports fixed at create. Each runs inside a forked
 * child (plugcheck.c), on the instance helpers of plugcheck_run.c. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin/plugcheck.h"
#include "plugin/registry.h"

/* Step `in` n times after a reset with c->seed, resetting again whenever a
 * body ends its episode. 0 or -1 with msg set. */
static int steps(plugcheck_inst *in, uint32_t n, char *msg, size_t cap) {
    for (uint32_t k = 0; k < n; k++) {
        animat_step_result res;
        if (plugcheck_inst_step(in, &res, NULL, msg, cap)) return -1;
        if (in->c->desc->kind == ANIMAT_KIND_BODY && (res.terminated || res.truncated) &&
            plugcheck_inst_reset(in, in->c->seed, NULL, msg, cap))
            return -1;
    }
    return 0;
}

/* See plugcheck.h. Runs plugin code: call it in a forked child only. */
int plugcheck_alloc(const plugcheck_ctx *c, char *msg, size_t cap) {
    const char *why = plugcheck_alloc_unavailable();
    if (why) {
        snprintf(msg, cap, "allocator calls cannot be counted: %s", why);
        return 1;
    }
    plugcheck_inst in;
    int rc = plugcheck_inst_new(&in, c, c->seed, msg, cap);
    if (!rc) rc = plugcheck_inst_reset(&in, c->seed, NULL, msg, cap);
    in.count_alloc = 1;
    uint32_t first = 0;
    for (uint32_t t = 1; !rc && t <= PLUGCHECK_STEPS; t++) {
        unsigned long before = in.allocs;
        rc = steps(&in, 1, msg, cap);
        if (!first && in.allocs > before) first = t;
    }
    if (!rc && in.allocs)
        rc = plugcheck_fail(msg, cap,
                            "%lu allocator call%s (malloc/calloc/realloc/free) during %u steps, the first in step %u "
                            "(step must not allocate)",
                            in.allocs, in.allocs == 1 ? "" : "s", PLUGCHECK_STEPS, first);
    if (!rc) snprintf(msg, cap, "%u steps: no malloc, calloc, realloc or free during step", PLUGCHECK_STEPS);
    plugcheck_inst_free(&in);
    return rc;
}

/* See plugcheck.h. Runs plugin code: call it in a forked child only. */
int plugcheck_growth(const plugcheck_ctx *c, char *msg, size_t cap) {
    plugcheck_inst in;
    int rc = plugcheck_inst_new(&in, c, c->seed, msg, cap);
    if (!rc) rc = plugcheck_inst_reset(&in, c->seed, NULL, msg, cap);
    if (!rc) rc = steps(&in, PLUGCHECK_GROWTH_WARMUP, msg, cap);
    long long before = plugcheck_heap_in_use(), half = 0;
    if (!rc) rc = steps(&in, PLUGCHECK_GROWTH_STEPS / 2, msg, cap);
    if (!rc) half = plugcheck_heap_in_use();
    if (!rc) rc = steps(&in, PLUGCHECK_GROWTH_STEPS - PLUGCHECK_GROWTH_STEPS / 2, msg, cap);
    long long after = plugcheck_heap_in_use(), grew = after - before, grew2 = after - half;
    if (!rc && grew > PLUGCHECK_GROWTH_BOUND && grew2 > PLUGCHECK_GROWTH_BOUND / 2)
        rc = plugcheck_fail(msg, cap, "heap in use grew by %lld bytes over %u steps (%lld over the last %u; bound %d)",
                            grew, PLUGCHECK_GROWTH_STEPS, grew2, PLUGCHECK_GROWTH_STEPS - PLUGCHECK_GROWTH_STEPS / 2,
                            PLUGCHECK_GROWTH_BOUND);
    if (!rc)
        snprintf(msg, cap, "%u steps after %u warm-up steps: heap in use grew by %lld bytes (bound %d)",
                 PLUGCHECK_GROWTH_STEPS, PLUGCHECK_GROWTH_WARMUP, grew, PLUGCHECK_GROWTH_BOUND);
    plugcheck_inst_free(&in);
    return rc;
}

/* See plugcheck.h. Runs plugin code: call it in a forked child only. */
int plugcheck_bounds(const plugcheck_ctx *c, char *msg, size_t cap) {
    plugcheck_inst a, b;
    int rc = plugcheck_inst_new(&a, c, c->seed, msg, cap);
    if (!rc) rc = plugcheck_inst_new(&b, c, c->seed + 1, msg, cap);
    else memset(&b, 0, sizeof b);
    a.guard = b.guard = 1;
    a.other = &b;
    b.other = &a;
    if (!rc) rc = plugcheck_inst_reset(&a, c->seed, NULL, msg, cap);
    if (!rc) rc = plugcheck_inst_reset(&b, c->seed + 1, NULL, msg, cap);
    uint32_t n = 0;
    for (int body = c->desc->kind == ANIMAT_KIND_BODY; !rc && n < PLUGCHECK_STEPS; n++) {
        animat_step_result ra, rb;
        rc = plugcheck_inst_step(&a, &ra, NULL, msg, cap);
        if (!rc) rc = plugcheck_inst_step(&b, &rb, NULL, msg, cap);
        if (!rc && body && (ra.terminated || ra.truncated || rb.terminated || rb.truncated)) {
            n++;
            break;
        }
    }
    if (!rc)
        snprintf(msg, cap,
                 "2 instances, reset and %u interleaved step%s: %u guard values before and after every %s and %s "
                 "buffer intact, %ss unchanged, neither instance's buffers touched by the other's calls",
                 n, n == 1 ? "" : "s", PLUGCHECK_GUARD, plugcheck_dir_word(&a, 0), plugcheck_dir_word(&a, 1),
                 plugcheck_dir_word(&a, 0));
    a.other = b.other = NULL;
    if (b.c) plugcheck_inst_free(&b);
    plugcheck_inst_free(&a);
    return rc;
}

/* ---- two instances, alone, interleaved and on two threads ---- */

/* One instance's trajectories: index 0 alone, 1 interleaved, 2 threaded. */
typedef struct traj {
    plugcheck_inst in;
    uint64_t seed;
    double *rec[3];
    uint32_t n[3];
    int rc;
    char msg[512];
    pthread_barrier_t *start; /* threaded run: wait here first */
    double *theta;            /* a circuit's own theta; owned */
    uint32_t ntheta, moved;   /* its length; entries perturbed (B only) */
} traj;

/* Thread body: wait for the other thread, then run trajectory 2. */
static void *run_thread(void *arg) {
    traj *t = arg;
    pthread_barrier_wait(t->start);
    t->rc = plugcheck_inst_run(&t->in, t->seed, t->rec[2], &t->n[2], t->msg, sizeof t->msg);
    return NULL;
}

/* A and B stepped alternately on this thread into rec[1]. 0 or -1. */
static int interleaved(traj *ab, char *msg, size_t cap) {
    size_t w[2] = {plugcheck_row_width(&ab[0].in), plugcheck_row_width(&ab[1].in)};
    int live[2] = {1, 1};
    for (int k = 0; k < 2; k++) {
        memset(ab[k].rec[1], 0, (PLUGCHECK_STEPS + 1) * w[k] * sizeof(double));
        ab[k].n[1] = 0;
        if (plugcheck_inst_reset(&ab[k].in, ab[k].seed, ab[k].rec[1], msg, cap)) return -1;
    }
    for (uint32_t t = 1; t <= PLUGCHECK_STEPS && (live[0] || live[1]); t++)
        for (int k = 0; k < 2; k++) {
            if (!live[k]) continue;
            animat_step_result res;
            if (plugcheck_inst_step(&ab[k].in, &res, ab[k].rec[1] + t * w[k], msg, cap)) return -1;
            ab[k].n[1] = t;
            if (ab[k].in.c->desc->kind == ANIMAT_KIND_BODY && (res.terminated || res.truncated)) live[k] = 0;
        }
    return 0;
}

/* A and B run at once on two threads into rec[2]. 0 or -1. */
static int threaded(traj *ab, char *msg, size_t cap) {
    pthread_barrier_t start;
    pthread_t th[2];
    int made = 0;
    if (pthread_barrier_init(&start, NULL, 2)) return plugcheck_fail(msg, cap, "cannot create a barrier");
    for (int k = 0; k < 2; k++) ab[k].start = &start;
    if (pthread_create(&th[0], NULL, run_thread, &ab[0]) == 0) made = 1;
    if (made && pthread_create(&th[1], NULL, run_thread, &ab[1]) == 0) made = 2;
    if (made == 1) { /* release the first thread: it runs alone */
        pthread_barrier_wait(&start);
    }
    for (int k = 0; k < made; k++) pthread_join(th[k], NULL);
    pthread_barrier_destroy(&start);
    if (made < 2) return plugcheck_fail(msg, cap, "cannot start a thread");
    for (int k = 0; k < 2; k++)
        if (ab[k].rc) return plugcheck_fail(msg, cap, "instance %c on its own thread: %s", 'A' + k, ab[k].msg);
    return 0;
}

/* Read a circuit's theta into t->theta (owned); with `perturb`, move each
 * entry by 5% of its range (or of 1 + |entry| where the range is unbounded),
 * kept inside [min, max] and its sign flag, so that B's weights differ from
 * A's; t->moved counts them. Best effort: a perturbed theta the plugin
 * refuses leaves B at its own. 0, or -1 (out of memory). */
static int keep_theta(traj *t, int perturb) {
    const animat_circuit_api *api = t->in.c->desc->api;
    if (t->in.c->desc->kind != ANIMAT_KIND_CIRCUIT) return 0;
    const animat_param_info *ti = api->theta_info(t->in.self, &t->ntheta);
    if (!t->ntheta || !ti) return 0;
    if (!(t->theta = calloc(t->ntheta, sizeof *t->theta))) return -1;
    if (api->get_theta(t->in.self, t->theta, t->ntheta) != ANIMAT_OK || !perturb) return 0;
    for (uint32_t k = 0; k < t->ntheta; k++) {
        const animat_param_info *q = params_at(ti, k);
        double x = t->theta[k], span = isfinite(q->max - q->min) ? q->max - q->min : 1 + fabs(x), v = x + 0.05 * span;
        if (v > q->max) v = x - 0.05 * span;
        if (v < q->min) v = q->min;
        if ((q->flags & ANIMAT_PARAM_EXCITATORY) && v < 0) v = 0;
        if ((q->flags & ANIMAT_PARAM_INHIBITORY) && v > 0) v = 0;
        t->theta[k] = v;
    }
    if (api->set_theta(t->in.self, t->theta, t->ntheta) == ANIMAT_OK)
        t->moved = t->ntheta;
    else
        api->get_theta(t->in.self, t->theta, t->ntheta);
    t->in.ah.error[0] = '\0'; /* a refusal is not this check's business */
    return 0;
}

/* Set each instance's own theta again, A then B, before a run: a plugin
 * that keeps theta in shared storage then runs A with B's. */
static void apply_theta(traj *ab, int from, int to) {
    for (int k = from; k <= to; k++)
        if (ab[k].theta)
            ((const animat_circuit_api *)ab[k].in.c->desc->api)->set_theta(ab[k].in.self, ab[k].theta, ab[k].ntheta);
}

/* Create A and B (create seeds c->seed, c->seed + 1; B's circuit theta
 * perturbed) and their records. */
static int traj_new(traj *ab, const plugcheck_ctx *c, char *msg, size_t cap) {
    memset(ab, 0, 2 * sizeof *ab);
    int rc = 0;
    for (int k = 0; k < 2; k++) {
        ab[k].seed = c->seed + (uint64_t)k;
        if (rc) {
            ab[k].in.c = c;
            continue;
        }
        rc = plugcheck_inst_new(&ab[k].in, c, ab[k].seed, msg, cap);
        if (!rc && keep_theta(&ab[k], k == 1)) rc = plugcheck_fail(msg, cap, "out of memory");
        for (int i = 0; !rc && i < 3; i++)
            if (!(ab[k].rec[i] = malloc((PLUGCHECK_STEPS + 1) * plugcheck_row_width(&ab[k].in) * sizeof(double))))
                rc = plugcheck_fail(msg, cap, "out of memory");
    }
    if (!rc) {
        ab[0].in.peer = &ab[1].in.ah;
        ab[1].in.peer = &ab[0].in.ah;
    }
    return rc;
}

/* See plugcheck.h. Runs plugin code: call it in a forked child only. */
int plugcheck_threads(const plugcheck_ctx *c, char *msg, size_t cap) {
    return plugcheck_instances(c, 1, msg, cap);
}

/* See plugcheck.h. */
int plugcheck_instances(const plugcheck_ctx *c, int threads, char *msg, size_t cap) {
    traj ab[2];
    int rc = traj_new(ab, c, msg, cap);
    for (int k = 0; !rc && k < 2; k++) {
        apply_theta(ab, k, k);
        rc = plugcheck_inst_run(&ab[k].in, ab[k].seed, ab[k].rec[0], &ab[k].n[0], msg, cap);
    }
    apply_theta(ab, 0, 1);
    if (!rc) rc = interleaved(ab, msg, cap);
    static const char *const how[3] = {"", "stepped alternately with the other instance on one thread",
                                       "run at the same time as the other instance on another thread"};
    for (int i = 1; !rc && i < (threads ? 3 : 2); i++) {
        if (i == 2) {
            apply_theta(ab, 0, 1);
            rc = threaded(ab, msg, cap);
        }
        for (int k = 0; !rc && k < 2; k++) {
            char what[256];
            snprintf(what, sizeof what, "instance %c (seed %llu) %s, against its run alone (state shared between "
                     "instances?)", 'A' + k, (unsigned long long)ab[k].seed, how[i]);
            rc = plugcheck_same_run(&ab[k].in, ab[k].rec[0], ab[k].n[0], ab[k].rec[i], ab[k].n[i], what, msg, cap);
        }
    }
    if (!rc)
        snprintf(msg, cap,
                 "instances with seeds %llu and %llu%s: %u and %u steps alone = stepped alternately%s, bit for bit",
                 (unsigned long long)ab[0].seed, (unsigned long long)ab[1].seed,
                 ab[1].moved ? " (the second's theta moved by 5% of each range)" : "",
                 ab[0].n[0], ab[1].n[0], threads ? " = on two threads at once" : "");
    for (int k = 0; k < 2; k++) {
        for (int i = 0; i < 3; i++) free(ab[k].rec[i]);
        free(ab[k].theta);
        plugcheck_inst_free(&ab[k].in);
    }
    return rc;
}

/* ---- ports fixed at create ---- */

/* The circuit's theta length now (0 for bodies). */
static uint32_t theta_len(const plugcheck_inst *in) {
    uint32_t n = 0;
    if (in->c->desc->kind == ANIMAT_KIND_CIRCUIT) ((const animat_circuit_api *)in->c->desc->api)->theta_info(in->self, &n);
    return n;
}

/* Read the ports again and compare them with create's (kept in in->p/n
 * as copied by the caller into `was`). 0 or -1 with msg naming `when`. */
static int ports_same(const plugcheck_inst *in, const animat_port_info *const was[2], const uint32_t wasn[2],
                      uint32_t theta0, const char *when, char *msg, size_t cap) {
    for (uint32_t d = 0; d < 2; d++) {
        uint32_t n = 0;
        const animat_port_info *p = in->c->desc->kind == ANIMAT_KIND_BODY
                                        ? ((const animat_body_api *)in->c->desc->api)->ports(in->self, d, &n)
                                        : ((const animat_circuit_api *)in->c->desc->api)->ports(in->self, d, &n);
        const char *w = plugcheck_dir_word(in, d);
        if (n != wasn[d])
            return plugcheck_fail(msg, cap, "%s: %u %s ports, but create reported %u", when, n, w, wasn[d]);
        for (uint32_t i = 0; i < n; i++) {
            const animat_port_info *q = registry_port_at(p, i), *o = registry_port_at(was[d], i);
            if (!q->name || strcmp(q->name, o->name))
                return plugcheck_fail(msg, cap, "%s: %s port %u is named '%s', but create reported '%s'", when, w, i,
                                      q->name ? q->name : "(NULL)", o->name);
            if (q->size != o->size || q->flags != o->flags)
                return plugcheck_fail(msg, cap, "%s: %s port '%s' has size %u flags %u, but create reported size %u "
                                      "flags %u (ports must not change after create)", when, w, q->name, q->size,
                                      q->flags, o->size, o->flags);
        }
    }
    uint32_t nt = theta_len(in);
    if (nt != theta0)
        return plugcheck_fail(msg, cap, "%s: theta_info reports %u entries, but %u after create", when, nt, theta0);
    return 0;
}

/* See plugcheck.h. Runs plugin code: call it in a forked child only. */
int plugcheck_ports_stable(const plugcheck_ctx *c, char *msg, size_t cap) {
    plugcheck_inst in;
    animat_port_info *was[2] = {NULL, NULL};
    int rc = plugcheck_inst_new(&in, c, c->seed, msg, cap);
    /* a copy of create's tables: the plugin may rewrite its own in place */
    for (uint32_t d = 0; !rc && d < 2; d++) {
        if (!(was[d] = calloc(in.n[d] ? in.n[d] : 1, sizeof *was[d]))) rc = plugcheck_fail(msg, cap, "out of memory");
        for (uint32_t i = 0; !rc && i < in.n[d]; i++) {
            was[d][i] = *plugcheck_port_at(&in, d, i);
            was[d][i].name = NULL;
        }
        for (uint32_t i = 0; !rc && i < in.n[d]; i++) was[d][i].struct_size = sizeof *was[d]; /* the copy's stride */
    }
    /* the names are the plugin's strings: compare against copies too */
    for (uint32_t d = 0; !rc && d < 2; d++)
        for (uint32_t i = 0; !rc && i < in.n[d]; i++)
            if (!(was[d][i].name = strdup(plugcheck_port_at(&in, d, i)->name))) rc = plugcheck_fail(msg, cap, "out of memory");
    uint32_t theta0 = rc ? 0 : theta_len(&in);
    const animat_port_info *const cw[2] = {was[0], was[1]};
    if (!rc) rc = plugcheck_inst_reset(&in, c->seed, NULL, msg, cap);
    if (!rc) rc = ports_same(&in, cw, in.n, theta0, "after reset", msg, cap);
    if (!rc) rc = steps(&in, 1, msg, cap);
    if (!rc) rc = ports_same(&in, cw, in.n, theta0, "after step 1", msg, cap);
    if (!rc) rc = steps(&in, PLUGCHECK_STEPS - 1, msg, cap);
    if (!rc) rc = ports_same(&in, cw, in.n, theta0, "after 200 steps", msg, cap);
    if (!rc)
        snprintf(msg, cap, "ports (and theta length) after reset, step 1 and step %u are those create reported",
                 PLUGCHECK_STEPS);
    for (uint32_t d = 0; d < 2; d++) {
        for (uint32_t i = 0; was[d] && i < in.n[d]; i++) free((char *)was[d][i].name);
        free(was[d]);
    }
    plugcheck_inst_free(&in);
    return rc;
}
