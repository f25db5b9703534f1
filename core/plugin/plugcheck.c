/* plugcheck.c -- see plugcheck.h. The command line, the report and the process
 * isolation of every check that runs plugin code; the checks themselves are
 * in plugcheck_run.c. */
#include "plugin/plugcheck.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/child.h"
#include "plugin/registry.h"

/* Outcome of one check as reported. */
#define R_PASS 0
#define R_FAIL 1
#define R_SKIP 2
#define R_DIED 3 /* crashed or hung: a FAIL after which related checks skip */

#define MSG_CAP 1024

/* The report: where lines go and what was counted. */
typedef struct plugcheck_report {
    FILE *out;
    int quiet;     /* print FAIL lines and the summary only */
    int timeout_s; /* per isolated check */
    unsigned pass, fail;
} plugcheck_report;

/* Print one result line "PASS  who: what: detail" and count it. `who` may
 * be NULL (the load line); `what` may be NULL (the descriptor line, whose
 * detail is in parentheses). Phase: report; main thread. */
static void report(plugcheck_report *r, int result, const char *who, const char *what, const char *detail) {
    const char *tag = result == R_PASS ? "PASS" : result == R_SKIP ? "SKIP" : "FAIL";
    if (result == R_PASS) r->pass++;
    if (result == R_FAIL || result == R_DIED) r->fail++;
    if (r->quiet && result != R_FAIL && result != R_DIED) return;
    if (!who)
        fprintf(r->out, "%s  %s: %s\n", tag, what, detail);
    else if (!what)
        fprintf(r->out, "%s  %s: %s\n", tag, who, detail);
    else
        fprintf(r->out, "%s  %s: %s: %s\n", tag, who, what, detail);
    fflush(r->out);
}

/* What an isolated check's child runs. */
typedef struct check_job {
    const plugcheck_ctx *c;
    plugcheck_fn fn;
} check_job;

/* Child side of run_isolated: run the check, send "P"/"F" + message. */
static void child_check(void *ctx, int fd) {
    check_job *j = ctx;
    char msg[MSG_CAP];
    msg[0] = '\0';
    int rc = j->fn(j->c, msg + 1, sizeof msg - 1);
    msg[0] = rc == 0 ? 'P' : 'F';
    size_t len = strlen(msg), off = 0;
    while (off < len) {
        ssize_t k = write(fd, msg + off, len - off);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;
        off += (size_t)k;
    }
}

/* Run fn(c) in a forked child with a time limit of timeout_s seconds and
 * write its detail into msg (cap bytes). Returns R_PASS or R_FAIL as the
 * child reported, or R_DIED when it was killed by a signal or ran past the
 * limit (msg then says which), or R_FAIL when it exited without a report.
 * Phase: report; main thread. */
static int run_isolated(const plugcheck_ctx *c, plugcheck_fn fn, int timeout_s, char *msg, size_t cap) {
    char buf[MSG_CAP], sig[32];
    child_result r;
    errmsg e;
    errmsg_clear(&e);
    check_job job = {c, fn};
    if (child_run(child_check, &job, timeout_s, buf, sizeof buf - 1, &r, &e)) {
        snprintf(msg, cap, "%s", e.msg);
        return R_FAIL;
    }
    buf[r.len] = '\0';
    if (r.hung) {
        snprintf(msg, cap, "did not finish within %d s (hang)", timeout_s);
        return R_DIED;
    }
    if (r.signal) {
        snprintf(msg, cap, "crashed with %s (signal %d)", child_signame(r.signal, sig, sizeof sig), r.signal);
        return R_DIED;
    }
    if (r.len == 0) {
        snprintf(msg, cap, "the check's process exited with status %d without reporting a result", r.status);
        return R_FAIL;
    }
    snprintf(msg, cap, "%s", buf + 1);
    return buf[0] == 'P' ? R_PASS : R_FAIL;
}

/* Run one isolated check and report it under `what`. Returns its result. */
static int isolated(plugcheck_report *r, const plugcheck_ctx *c, const char *what, plugcheck_fn fn) {
    char msg[MSG_CAP];
    int res = run_isolated(c, fn, r->timeout_s, msg, sizeof msg);
    report(r, res, c->desc->name, what, msg);
    return res;
}

/* Check what registry does not: INT defaults integral, ranges ordered. 0 or -1
 * with msg set. */
static int params_extra(const animat_plugin_desc *d, char *msg, size_t cap) {
    for (uint32_t i = 0; i < d->n_params; i++) {
        const animat_param_info *p = params_at(d->params, i);
        int ranged = p->type == ANIMAT_PARAM_REAL || p->type == ANIMAT_PARAM_INT || p->type == ANIMAT_PARAM_REAL_LIST;
        if (ranged && !(p->min <= p->max)) {
            snprintf(msg, cap, "parameter '%s' has min %g > max %g", p->name, p->min, p->max);
            return -1;
        }
        if (p->type == ANIMAT_PARAM_INT && p->def != floor(p->def)) {
            snprintf(msg, cap, "int parameter '%s' has a non-integer default %g", p->name, p->def);
            return -1;
        }
        if (!p->doc[0]) {
            snprintf(msg, cap, "parameter '%s' has an empty doc string", p->name);
            return -1;
        }
    }
    return 0;
}

/* Every check of one plugin, in order; later checks are skipped where an
 * earlier failure makes them meaningless. Phase: report; main thread. */
static void check_plugin(plugcheck_report *r, const animat_plugin_desc *d, uint64_t seed) {
    char msg[MSG_CAP];
    const char *kind = registry_kind_name(d->kind);
    /* descriptor: registry validated it; say what it holds. */
    snprintf(msg, sizeof msg, "descriptor (%s, version %s, %u parameter%s)", kind, d->version, d->n_params,
             d->n_params == 1 ? "" : "s");
    report(r, R_PASS, d->name, NULL, msg);

    /* parameters: the table, then resolution of every default. */
    errmsg e;
    errmsg_clear(&e);
    params_set ps = {0};
    if (params_check_table(d->params, d->n_params, d->name, &e) == 0 && params_extra(d, msg, sizeof msg) == 0 &&
        params_resolve(d->params, d->n_params, NULL, "params", d->name, &ps, &e) == 0) {
        snprintf(msg, sizeof msg,
                 "%u declared; defaults in range, names unique, docs and units present; every default resolves",
                 d->n_params);
        report(r, R_PASS, d->name, "parameters", msg);
    } else {
        report(r, R_FAIL, d->name, "parameters", e.set ? e.msg : msg);
        report(r, R_SKIP, d->name, "all further checks", "need resolved default parameters");
        return;
    }

    plugcheck_ctx c = {d, &ps, seed};
    if (d->kind == ANIMAT_KIND_LEARNER) {
        isolated(r, &c, "learner", plugcheck_learner);
        isolated(r, &c, "determinism", plugcheck_learner_determinism);
        isolated(r, &c, "checkpoint", plugcheck_checkpoint);
    } else {
        int ports = isolated(r, &c, "ports", plugcheck_ports);
        int fin = R_SKIP;
        if (ports == R_PASS)
            fin = isolated(r, &c, "finite", plugcheck_finite);
        else
            report(r, R_SKIP, d->name, "finite", "needs a created instance with valid ports");
        if (ports == R_PASS && fin != R_DIED)
            isolated(r, &c, "determinism", plugcheck_determinism);
        else
            report(r, R_SKIP, d->name, "determinism",
                   ports == R_PASS ? "the finite check crashed or hung" : "needs a created instance with valid ports");
    }
    isolated(r, &c, "leak", plugcheck_leak);
    params_free(&ps);
}

/* One line of usage on stderr; returns 2. */
static int usage(const char *why) {
    if (why) fprintf(stderr, "plugin-check: %s\n", why);
    fprintf(stderr, "usage: animat plugin-check FILE.so [--seed N] [--timeout SECONDS] [--quiet]\n");
    return 2;
}

/* Parse a decimal unsigned number; 0 or -1. */
static int parse_u64(const char *s, uint64_t *out) {
    if (!s || !*s || *s == '-') return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end) return -1;
    *out = v;
    return 0;
}

int plugcheck_main(int argc, char **argv, FILE *out) {
    const char *path = NULL;
    uint64_t seed = 1, timeout = 10;
    plugcheck_report r = {out, 0, 10, 0, 0};
    /* arguments */
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--seed")) {
            if (++i >= argc || parse_u64(argv[i], &seed)) return usage("--seed needs a non-negative integer");
        } else if (!strcmp(argv[i], "--timeout")) {
            if (++i >= argc || parse_u64(argv[i], &timeout) || timeout < 1 || timeout > 86400)
                return usage("--timeout needs a number of seconds in [1, 86400]");
        } else if (!strcmp(argv[i], "--quiet")) {
            r.quiet = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            char why[256];
            snprintf(why, sizeof why, "unknown option '%.200s'", argv[i]);
            return usage(why);
        } else if (path) {
            return usage("give exactly one plugin file");
        } else {
            path = argv[i];
        }
    }
    if (!path) return usage("no plugin file given");
    r.timeout_s = (int)timeout;

    /* load: handshake, descriptors, function tables, parameter tables */
    registry reg;
    registry_init(&reg);
    errmsg e;
    errmsg_clear(&e);
    char msg[MSG_CAP];
    if (registry_open(&reg, path, &e)) {
        report(&r, R_FAIL, NULL, "load", e.msg);
    } else {
        const animat_plugin_entry *en = reg.libs[0]->entry;
        int len = snprintf(
            msg, sizeof msg, "handshake ABI %u.%u, sizeof(double)=%u, sizeof(size_t)=%u; %u plugin%s:", en->abi_major,
            en->abi_minor, en->sizeof_double, en->sizeof_size_t, en->n_plugins, en->n_plugins == 1 ? "" : "s");
        for (size_t i = 0; i < reg.nplugins && len > 0 && (size_t)len < sizeof msg; i++)
            len += snprintf(msg + len, sizeof msg - (size_t)len, "%s %s", i ? "," : "", reg.plugins[i]->desc->name);
        report(&r, R_PASS, NULL, "load", msg);
        for (size_t i = 0; i < reg.nplugins; i++) check_plugin(&r, reg.plugins[i]->desc, seed);
    }
    registry_close(&reg);
    fprintf(out, "plugin-check: %u passed, %u failed\n", r.pass, r.fail);
    fflush(out);
    return r.fail ? 1 : 0;
}
