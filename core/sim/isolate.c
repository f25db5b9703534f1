/* isolate.c -- see isolate.h. */
#include "sim/isolate.h"

#include "base/child.h"
#include "plugin/callguard.h"
#include "sim/sim_impl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* What the child sends back. */
typedef struct isolate_msg {
    int rc;
    sim_result r;
    char err[ERRMSG_MAX];
} isolate_msg;

/* Put s->phase in memory shared with future children (once per sim). */
static int share_phase(sim *s, errmsg *e) {
    if (s->shared_page) return 0;
    void *p = mmap(NULL, sizeof(sim_phase), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return errmsg_set(e, "isolation: mmap failed: %s", strerror(errno));
    memset(p, 0, sizeof(sim_phase));
    s->shared_page = p;
    s->phase = p;
    return 0;
}

/* Name the plugin that was running, from the shared phase record. */
static void who(const sim *s, char *buf, size_t cap) {
    const sim_phase *ph = s->phase;
    if (ph->inst && ph->inst != SIM_PHASE_LEARNER && ph->inst <= s->ninsts) {
        const instance *in = &s->insts[ph->inst - 1];
        snprintf(buf, cap, "%s (%s) %s", in->name, in->plugin->desc->name,
                 ph->what == SIM_CALL_RESET ? "reset" : ph->what == SIM_CALL_LEARN ? "plasticity" : "step");
    } else if (ph->inst == SIM_PHASE_LEARNER && s->online.l) {
        snprintf(buf, cap, "learner (%s) online_step", s->online.l->plugin->desc->name);
    } else {
        snprintf(buf, cap, "the episode process");
    }
}

/* What the child runs: one episode, its result down the pipe. */
typedef struct episode_job {
    sim *s;
    uint64_t episode;
} episode_job;

static void run_child(void *ctx, int fd) {
    episode_job *j = ctx;
    callguard_quiet(); /* the parent names the plugin */
    static isolate_msg m;
    errmsg ce;
    errmsg_clear(&ce);
    m.rc = sim_episode(j->s, j->episode, &m.r, &ce);
    snprintf(m.err, sizeof m.err, "%s", ce.msg); /* the text only: the rest of m stays zero (no stack bytes sent) */
    for (size_t off = 0; off < sizeof m;) {
        ssize_t k = write(fd, (const char *)&m + off, sizeof m - off);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) _exit(3);
        off += (size_t)k;
    }
}

int isolate_episode(sim *s, uint64_t episode, sim_result *r, errmsg *e) {
    if (share_phase(s, e)) return -1;
    memset(s->phase, 0, sizeof *s->phase);
    s->phase->episode = episode;
    isolate_msg m;
    child_result cr;
    episode_job job = {s, episode};
    errmsg ce;
    errmsg_clear(&ce);
    if (child_run(run_child, &job, s->x->episode_timeout, &m, sizeof m, &cr, &ce))
        return errmsg_set(e, "isolation: %s", ce.msg);
    char name[256], sig[32];
    who(s, name, sizeof name);
    unsigned long long ep = (unsigned long long)episode + 1, step = (unsigned long long)s->phase->step;
    if (cr.hung) {
        errmsg_set(e, "%s did not finish within %g s (run.episode_timeout) in episode %llu at step %llu; killed", name,
                   s->x->episode_timeout, ep, step);
        return ISOLATE_FAILED;
    }
    if (cr.signal) {
        errmsg_set(e, "%s crashed with %s (signal %d) in episode %llu at step %llu", name,
                   child_signame(cr.signal, sig, sizeof sig), cr.signal, ep, step);
        return ISOLATE_FAILED;
    }
    if (cr.len != sizeof m || cr.status != 0) {
        errmsg_set(e, "%s exited without a result (status %d) in episode %llu at step %llu", name, cr.status, ep, step);
        return ISOLATE_FAILED;
    }
    if (m.rc) {
        errmsg_set(e, "%s", m.err);
        return ISOLATE_FAILED;
    }
    *r = m.r;
    return ISOLATE_OK;
}

/* ---- create in a child ---- */

/* A probe: fn(ctx, fd) in a child whose plugin calls are mirrored into
 * `rec`, memory shared with the parent. */
typedef struct probe_job {
    void (*fn)(void *ctx, int fd);
    void *ctx;
    callguard_record *rec;
} probe_job;

static void probe_child(void *ctx, int fd) {
    probe_job *j = ctx;
    callguard_quiet();
    callguard_mirror(j->rec);
    j->fn(j->ctx, fd);
    callguard_mirror(NULL);
}

/* Write all of buf to fd, or _exit(3). */
static void send_all(int fd, const void *buf, size_t len) {
    for (size_t off = 0; off < len;) {
        ssize_t k = write(fd, (const char *)buf + off, len - off);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) _exit(3);
        off += (size_t)k;
    }
}

/* The one line for a probe child that did not report: who was running
 * (from the shared record) and how the child ended. */
static int probe_died(const callguard_record *rec, const child_result *cr, double limit, int limit_set, errmsg *e) {
    char who[256], sig[32];
    if (rec->active)
        snprintf(who, sizeof who, "%.63s (%.63s) %.31s", rec->inst, rec->plugin, rec->what);
    else
        snprintf(who, sizeof who, "creating the plugins in a child process (run.isolate)");
    if (cr->hung)
        return errmsg_set(e, "%s did not finish within %g s (%s); killed", who, limit,
                          limit_set ? "run.episode_timeout" : "the create limit under run.isolate");
    if (cr->signal)
        return errmsg_set(e, "%s crashed with %s (signal %d)", who, child_signame(cr->signal, sig, sizeof sig),
                          cr->signal);
    return errmsg_set(e, "%s ended the process (exit status %d)", who, cr->status);
}

/* Run fn in a probe child with x's create time limit; its report (len bytes)
 * into msg. 0 when it reported in full and exited 0, else -1 with e set. */
static int probe(const experiment *x, void (*fn)(void *ctx, int fd), void *ctx, void *msg, size_t len, errmsg *e) {
    callguard_record *rec = mmap(NULL, sizeof *rec, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (rec == MAP_FAILED) return errmsg_set(e, "isolation: mmap failed: %s", strerror(errno));
    memset(rec, 0, sizeof *rec);
    probe_job job = {fn, ctx, rec};
    child_result cr;
    errmsg ce;
    errmsg_clear(&ce);
    int set = x->episode_timeout > 0, rc = 0;
    double limit = set ? x->episode_timeout : ISOLATE_CREATE_TIMEOUT;
    if (child_run(probe_child, &job, limit, msg, len, &cr, &ce))
        rc = errmsg_set(e, "isolation: %s", ce.msg);
    else if (cr.hung || cr.signal || cr.len != len || cr.status != 0)
        rc = probe_died(rec, &cr, limit, set, e);
    munmap(rec, sizeof *rec);
    return rc;
}

/* What the create child sends back. */
typedef struct create_msg {
    int rc;
    char err[ERRMSG_MAX];
} create_msg;

static void create_child(void *ctx, int fd) {
    static create_msg m;
    errmsg ce;
    errmsg_clear(&ce);
    sim s;
    m.rc = sim_create(&s, ctx, &ce);
    if (m.rc == 0) sim_destroy(&s);
    snprintf(m.err, sizeof m.err, "%s", ce.msg); /* the text only: the rest of m stays zero (no stack bytes sent) */
    send_all(fd, &m, sizeof m);
}

int isolate_create(const experiment *x, errmsg *e) {
    create_msg m;
    if (probe(x, create_child, (void *)x, &m, sizeof m, e)) return -1;
    return m.rc ? errmsg_set(e, "%s", m.err) : 0;
}

/* A learner create to try. */
typedef struct learner_job {
    learner *l;
    uint32_t n;
    const animat_param_info *info;
    const double *theta0;
} learner_job;

static void learner_child(void *ctx, int fd) {
    learner_job *j = ctx;
    if (!learner_create(j->l, j->n, j->info, j->theta0, NULL)) learner_destroy(j->l);
    send_all(fd, "k", 1);
}

int isolate_learner_create(const experiment *x, learner *l, uint32_t n, const animat_param_info *info,
                           const double *theta0, errmsg *e) {
    char k;
    learner_job job = {l, n, info, theta0};
    return probe(x, learner_child, &job, &k, 1, e);
}
