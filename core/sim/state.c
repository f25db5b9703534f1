/* state.c -- see state.h. The payload, in order (native byte order: a
 * state is read back by the same build, which the fingerprint ensures):
 *   episode, step, nbodies, nmetrics, return so far, each body's return,
 *   each metric's sum;
 *   per instance: its random stream (size, bytes), its theta (count,
 *   doubles; circuits), its own state (size, bytes; animat.state/1);
 *   every port buffer the instance reads or writes that is not the shared
 *   zero input, in port order;
 *   per intervention: active flag and saved theta entry; their noise
 *   stream (size, bytes) when there are interventions. */
#include "sim/state.h"

#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sealfile.h"
#include "exp/fingerprint.h"
#include "plugin/statext.h"
#include "sim/sim_impl.h"

#ifndef ANIMAT_VERSION
#define ANIMAT_VERSION "0.0.0"
#endif

static const char magic[8] = {'A', 'N', 'I', 'M', 'A', 'T', 'S', 'T'};

/* The state file's own head, in front of the sim payload. */
typedef struct state_head {
    char version[32];     /* ANIMAT_VERSION, NUL-padded */
    uint64_t fingerprint; /* experiment_setup_fingerprint (interventions aside) */
} state_head;

/* One intervention in the payload. */
typedef struct sim_iv_state {
    uint64_t fingerprint; /* experiment_iv_fingerprint of its description */
    int32_t on;
    int32_t reserved;     /* 0 */
    double saved;
} sim_iv_state;

/* A writer that only counts when p is NULL. */
typedef struct wbuf {
    unsigned char *p;
    uint64_t n;
} wbuf;

static void put(wbuf *w, const void *src, uint64_t n) {
    if (w->p && n) memcpy(w->p + w->n, src, n);
    w->n += n;
}

/* Zero bytes up to a multiple of 8: a plugin's state starts aligned. */
static void put_pad(wbuf *w) {
    static const unsigned char zero[8];
    put(w, zero, (8 - w->n % 8) % 8);
}

/* A bounded reader: a read past the end marks it bad and reads zeros. */
typedef struct rbuf {
    const unsigned char *p;
    uint64_t n, at;
    int bad;
} rbuf;

static void get(rbuf *r, void *dst, uint64_t n) {
    if (r->bad || n > r->n - r->at) {
        r->bad = 1;
        memset(dst, 0, n);
        return;
    }
    memcpy(dst, r->p + r->at, n);
    r->at += n;
}

static void get_pad(rbuf *r) {
    unsigned char pad[8];
    get(r, pad, (8 - r->at % 8) % 8);
}

int sim_state_check(sim *s, errmsg *e) {
    if (s->online.l) return errmsg_set(e, "an online learner's state cannot be saved (--state-*)");
    for (uint32_t i = 0; i < s->ninsts; i++) {
        instance *in = &s->insts[i];
        if (!statext_of(in))
            return errmsg_set(e, "%s (%s): has no %s extension, so --state-at/--state-out/--state-in cannot save "
                                 "or restore it", in->name, in->plugin->desc->name, ANIMAT_EXT_STATE);
    }
    return 0;
}

/* Every port buffer of instance `in` that holds values (not the zeros). */
static void put_ports(wbuf *w, const sim *s, const instance *in) {
    for (uint32_t d = 0; d < 2; d++)
        for (uint32_t k = 0; k < in->nports[d]; k++)
            if (in->bufs[d][k] != s->zeros) put(w, in->bufs[d][k], in->ports[d][k].size * sizeof(double));
}

static void get_ports(rbuf *r, const sim *s, instance *in) {
    for (uint32_t d = 0; d < 2; d++)
        for (uint32_t k = 0; k < in->nports[d]; k++)
            if (in->bufs[d][k] != s->zeros) get(r, in->bufs[d][k], in->ports[d][k].size * sizeof(double));
}

/* A GSL generator's state with its size. */
static void put_rng(wbuf *w, const gsl_rng *g) {
    uint64_t n = gsl_rng_size(g);
    put(w, &n, sizeof n);
    put(w, gsl_rng_state(g), n);
}

static void get_rng(rbuf *r, gsl_rng *g) {
    uint64_t n = 0;
    get(r, &n, sizeof n);
    if (n != gsl_rng_size(g)) r->bad = 1;
    else get(r, gsl_rng_state(g), n);
}

/* Theta as it is outside the open theta interventions' windows: their
 * entries hold the value saved before the window (an intervention still
 * open when the state is continued sets it again before the next step). */
static void undo_theta_ivs(const sim *s, const instance *in, double *theta) {
    for (uint32_t i = 0; i < s->nivs; i++)
        if (s->ivs[i].on && s->ivs[i].x->on_theta && s->ivs[i].in == in) theta[s->ivs[i].index] = s->ivs[i].saved;
}

/* One instance: stream, theta, own state (written by the plugin). */
static int put_instance(wbuf *w, const sim *s, instance *in, double *theta, errmsg *e) {
    put_rng(w, in->host.rng);
    uint32_t nt = 0;
    instance_theta_info(in, &nt);
    put(w, &nt, sizeof nt);
    if (w->p && nt && instance_get_theta(in, theta, nt, e)) return -1;
    if (w->p) undo_theta_ivs(s, in, theta);
    put(w, theta, (uint64_t)nt * sizeof(double));
    uint64_t n = statext_size(in);
    put(w, &n, sizeof n);
    put_pad(w);
    if (w->p && statext_save(in, w->p + w->n, n, e)) return -1;
    w->n += n;
    return 0;
}

/* The interventions: each one's description fingerprint, window state and
 * saved theta entry, then their noise stream (when there are any). */
static void put_ivs(wbuf *w, const sim *s) {
    put(w, &s->nivs, sizeof s->nivs);
    for (uint32_t i = 0; i < s->nivs; i++) {
        sim_iv_state v = {experiment_iv_fingerprint(s->ivs[i].x), s->ivs[i].on, 0, s->ivs[i].saved};
        put(w, &v, sizeof v);
    }
    if (s->nivs) put_rng(w, s->ivrng);
}

/* The whole payload (counting only when w->p is NULL). */
static int put_all(wbuf *w, sim *s, const sim_result *r, double *theta, errmsg *e) {
    uint32_t counts[2] = {r->nbodies, r->nmetrics};
    put(w, &s->episode, sizeof s->episode);
    put(w, &s->step, sizeof s->step);
    put(w, counts, sizeof counts);
    put(w, &r->ret, sizeof r->ret);
    put(w, r->body_ret, r->nbodies * sizeof(double));
    put(w, r->metric, r->nmetrics * sizeof(double));
    for (uint32_t i = 0; i < s->ninsts; i++) {
        if (put_instance(w, s, &s->insts[i], theta, e)) return -1;
        put_ports(w, s, &s->insts[i]);
    }
    put_ivs(w, s);
    return 0;
}

/* The largest theta among the instances (for one scratch buffer). */
static uint32_t max_theta(sim *s) {
    uint32_t m = 1;
    for (uint32_t i = 0; i < s->ninsts; i++) {
        uint32_t n = 0;
        instance_theta_info(&s->insts[i], &n);
        if (n > m) m = n;
    }
    return m;
}

int sim_state_save(sim *s, const sim_result *r, void **buf, uint64_t *size, errmsg *e) {
    *buf = NULL;
    *size = 0;
    double *theta = malloc(max_theta(s) * sizeof *theta);
    wbuf w = {NULL, 0};
    if (!theta) return errmsg_set(e, "out of memory");
    int rc = put_all(&w, s, r, theta, e);
    wbuf out = {rc ? NULL : malloc(w.n ? w.n : 1), 0};
    if (!rc && !out.p) rc = errmsg_set(e, "out of memory");
    if (!rc) rc = put_all(&out, s, r, theta, e);
    free(theta);
    if (rc) {
        free(out.p);
        return -1;
    }
    *buf = out.p;
    *size = out.n;
    return 0;
}

/* One instance back: stream, theta (through set_theta), own state. */
static int get_instance(rbuf *r, instance *in, double *theta, errmsg *e) {
    get_rng(r, in->host.rng);
    uint32_t nt = 0, want = 0;
    instance_theta_info(in, &want);
    get(r, &nt, sizeof nt);
    if (nt != want) r->bad = 1;
    if (r->bad) return 0;
    get(r, theta, (uint64_t)nt * sizeof(double));
    if (!r->bad && nt && instance_set_theta(in, theta, nt, e)) return -1;
    uint64_t n = 0;
    get(r, &n, sizeof n);
    get_pad(r);
    if (r->bad) return 0;
    if (n != statext_size(in) || n > r->n - r->at) {
        r->bad = 1;
        return 0;
    }
    if (statext_load(in, r->p + r->at, n, e)) return -1;
    r->at += n;
    return 0;
}

/* The interventions' noise stream, when the saved run had one. */
static void get_iv_rng(rbuf *r, sim *s) {
    if (s->nivs) {
        get_rng(r, s->ivrng);
        return;
    }
    uint64_t size = 0; /* a stream this experiment has no use for */
    get(r, &size, sizeof size);
    if (size > r->n - r->at) r->bad = 1;
    else r->at += size;
}

/* The interventions back. The experiment's interventions may differ from
 * the saved run's (branching, docs/state.md): each live one takes the
 * state of an unused saved one with the same description, else starts
 * closed; the noise stream comes back when the saved run had one, else it
 * stays as sim_iv_begin seeded it. */
static int get_ivs(rbuf *r, sim *s, errmsg *e) {
    uint32_t n = 0;
    get(r, &n, sizeof n);
    if (r->bad || (uint64_t)n * sizeof(sim_iv_state) > r->n - r->at) {
        r->bad = 1;
        return 0;
    }
    sim_iv_state *saved = malloc((n ? n : 1) * sizeof *saved);
    if (!saved) return errmsg_set(e, "out of memory");
    get(r, saved, n * sizeof *saved);
    for (uint32_t i = 0; i < s->nivs; i++) {
        uint64_t fp = experiment_iv_fingerprint(s->ivs[i].x);
        s->ivs[i].on = 0;
        for (uint32_t k = 0; k < n; k++)
            if (saved[k].fingerprint == fp) {
                saved[k].fingerprint = 0; /* used */
                s->ivs[i].on = saved[k].on != 0;
                s->ivs[i].saved = saved[k].saved;
                break;
            }
    }
    free(saved);
    if (!n) return 0;
    get_iv_rng(r, s);
    return 0;
}

/* Everything after the counters. 0, or -1 with e set by a plugin. */
static int get_rest(rbuf *r, sim *s, errmsg *e) {
    double *theta = malloc(max_theta(s) * sizeof *theta);
    if (!theta) return errmsg_set(e, "out of memory");
    int rc = 0;
    for (uint32_t i = 0; !rc && !r->bad && i < s->ninsts; i++) {
        rc = get_instance(r, &s->insts[i], theta, e);
        get_ports(r, s, &s->insts[i]);
    }
    free(theta);
    if (!rc) rc = get_ivs(r, s, e);
    return rc;
}

int sim_state_load(sim *s, const void *buf, uint64_t size, sim_result *r, errmsg *e) {
    rbuf rd = {buf, size, 0, 0};
    uint64_t episode = 0, step = 0;
    uint32_t counts[2] = {0, 0};
    get(&rd, &episode, sizeof episode);
    get(&rd, &step, sizeof step);
    get(&rd, counts, sizeof counts);
    if (rd.bad || episode != s->episode || counts[0] != r->nbodies || counts[1] != r->nmetrics)
        return errmsg_set(e, "the state does not fit this experiment's layout");
    get(&rd, &r->ret, sizeof r->ret);
    get(&rd, r->body_ret, r->nbodies * sizeof(double));
    get(&rd, r->metric, r->nmetrics * sizeof(double));
    if (get_rest(&rd, s, e)) return -1;
    if (rd.bad || rd.at != rd.n) return errmsg_set(e, "the state does not fit this experiment's layout");
    s->step = step;
    s->phase->step = step;
    return 0;
}

int sim_state_write(const char *path, const experiment *x, const void *buf, uint64_t size, errmsg *e) {
    state_head h;
    memset(&h, 0, sizeof h);
    snprintf(h.version, sizeof h.version, "%s", ANIMAT_VERSION);
    h.fingerprint = experiment_setup_fingerprint(x);
    unsigned char *all = malloc(sizeof h + size);
    if (!all) return errmsg_set(e, "out of memory");
    memcpy(all, &h, sizeof h);
    if (size) memcpy(all + sizeof h, buf, size);
    int rc = sealfile_write(path, magic, SIM_STATE_FORMAT, all, sizeof h + size, e);
    free(all);
    return rc;
}

int sim_state_read(const char *path, const experiment *x, void **buf, uint64_t *size, uint64_t *episode, errmsg *e) {
    void *all = NULL;
    uint64_t n = 0;
    *buf = NULL;
    if (sealfile_read(path, magic, SIM_STATE_FORMAT, "state file", 1ULL << 36, &all, &n, e)) return -1;
    state_head h;
    int rc = 0;
    if (n < sizeof h + sizeof *episode) {
        rc = errmsg_set(e, "%s: state file is truncated", path);
    } else {
        memcpy(&h, all, sizeof h);
        h.version[sizeof h.version - 1] = '\0';
        if (strcmp(h.version, ANIMAT_VERSION))
            rc = errmsg_set(e, "%s: state file was written by animat %s; this is animat %s", path, h.version,
                            ANIMAT_VERSION);
        else if (h.fingerprint != experiment_setup_fingerprint(x))
            rc = errmsg_set(e, "%s: state file was written by a different experiment setup (plugins, their "
                               "versions or builds, parameters, wiring, seed or run.max_steps differ)", path);
    }
    if (rc) {
        free(all);
        return -1;
    }
    *size = n - sizeof h;
    memmove(all, (unsigned char *)all + sizeof h, *size);
    memcpy(episode, all, sizeof *episode);
    *buf = all;
    return 0;
}
