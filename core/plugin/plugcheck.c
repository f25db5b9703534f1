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
#include "base/yamltree.h"
#include "plugin/registry.h"

/* Outcome of one check as reported. */
#define R_PASS 0
#define R_FAIL 1
#define R_SKIP 2
#define R_DIED 3 /* crashed or hung: a FAIL after which related checks skip */

#define MSG_CAP 1024
#define OUT_CAP 65536 /* a check's own stdout/stderr kept and shown, bytes */

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
        fprintf(r->out, "%s  %s: %s\n", tag, what ? what : "load", detail);
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

/* Child side of run_isolated: run the check, send "P"/"F"/"S" + message. */
static void child_check(void *ctx, int fd) {
    check_job *j = ctx;
    char msg[MSG_CAP];
    msg[0] = '\0';
    plugcheck_proc before;
    plugcheck_proc_snap(&before);
    int rc = j->fn(j->c, msg + 1, sizeof msg - 1);
    /* a check that passed still fails when the plugin changed the process */
    if (rc >= 0 && plugcheck_proc_diff(&before, msg + 1, sizeof msg - 1)) rc = -1;
    msg[0] = rc == 0 ? 'P' : rc > 0 ? 'S' : 'F';
    size_t len = strlen(msg), off = 0;
    while (off < len) {
        ssize_t k = write(fd, msg + off, len - off);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;
        off += (size_t)k;
    }
}

/* Run fn(c) in a forked child with a time limit of timeout_s seconds and
 * write its detail into msg (cap bytes). Returns R_PASS, R_FAIL or R_SKIP as
 * the child reported, or R_DIED when it was killed by a signal or ran past the
 * limit (msg then says which), or R_FAIL when it exited without a report.
 * Phase: report; main thread. */
static int run_isolated(const plugcheck_ctx *c, plugcheck_fn fn, int timeout_s, char *msg, size_t cap,
                        child_result *out_r, char *out) {
    char buf[MSG_CAP], sig[32];
    child_result r = {0};
    errmsg e;
    errmsg_clear(&e);
    check_job job = {c, fn};
    child_opts o = {.timeout_s = timeout_s, .own_group = 1, .out = out, .out_cap = OUT_CAP};
    int failed = child_run_opts(child_check, &job, &o, buf, sizeof buf - 1, &r, &e);
    *out_r = r;
    if (failed) {
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
    return buf[0] == 'P' ? R_PASS : buf[0] == 'S' ? R_SKIP : R_FAIL;
}

/* plugcheck_instances without threads, as a plugcheck_fn. */
static int instances_alone(const plugcheck_ctx *c, char *msg, size_t cap) {
    return plugcheck_instances(c, 0, msg, cap);
}

/* See plugcheck.h. */
int plugcheck_instances_isolated(const plugcheck_ctx *c, int timeout_s, char *msg, size_t cap) {
    child_result r;
    char *out = malloc(OUT_CAP);
    if (!out) return plugcheck_fail(msg, cap, "out of memory");
    int rc = run_isolated(c, instances_alone, timeout_s, msg, cap, &r, out);
    free(out);
    return rc == R_PASS ? 0 : rc == R_DIED || (rc == R_FAIL && !r.len) ? 1 : -1;
}

/* Show what a check's process wrote to stdout/stderr (at most OUT_CAP
 * bytes), each line as "      | text" with control characters as '?'. */
static void show_output(FILE *f, const char *out, const child_result *cr) {
    if (!cr->out_len) return;
    int bol = 1;
    for (size_t i = 0; i < cr->out_len; i++) {
        if (bol) fputs("      | ", f);
        unsigned char ch = (unsigned char)out[i];
        fputc(ch == '\n' || ch == '\t' || (ch >= 0x20 && ch != 0x7f) ? ch : '?', f);
        bol = ch == '\n';
    }
    if (!bol) fputc('\n', f);
    if (cr->out_cut) fprintf(f, "      ... output cut (the check wrote more than %d bytes)\n", OUT_CAP);
}

/* Run one isolated check and report it under `what`. Returns its result. */
static int isolated(plugcheck_report *r, const plugcheck_ctx *c, const char *what, plugcheck_fn fn) {
    char msg[MSG_CAP];
    static char out[OUT_CAP];
    child_result cr;
    int res = run_isolated(c, fn, r->timeout_s, msg, sizeof msg, &cr, out);
    report(r, res, c->desc->name, what, msg);
    if (!r->quiet || res != R_PASS) show_output(r->out, out, &cr);
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

/* The checks that step a body or circuit, in order; each needs a created
 * instance with valid ports, and none runs after the finite check crashed
 * or hung (a plugin that dies in step would only die again). */
static void stepping_checks(plugcheck_report *r, const plugcheck_ctx *c) {
    static const struct {
        const char *what;
        plugcheck_fn fn;
    } later[] = {{"determinism", plugcheck_determinism}, {"alloc", plugcheck_alloc},
                 {"growth", plugcheck_growth},           {"bounds", plugcheck_bounds},
                 {"threads", plugcheck_threads},         {"ports-stable", plugcheck_ports_stable},
                 {"extensions", plugcheck_extensions},   {"state", plugcheck_state}};
    const char *name = c->desc->name;
    int ports = isolated(r, c, "ports", plugcheck_ports);
    int fin = R_SKIP;
    if (ports == R_PASS)
        fin = isolated(r, c, "finite", plugcheck_finite);
    else
        report(r, R_SKIP, name, "finite", "needs a created instance with valid ports");
    for (size_t i = 0; i < sizeof later / sizeof later[0]; i++)
        if (ports == R_PASS && fin != R_DIED)
            isolated(r, c, later[i].what, later[i].fn);
        else
            report(r, R_SKIP, name, later[i].what,
                   ports == R_PASS ? "the finite check crashed or hung" : "needs a created instance with valid ports");
}

/* Every check of one plugin, in order; later checks are skipped where an
 * earlier failure makes them meaningless. Phase: report; main thread. */
static void check_plugin(plugcheck_report *r, const registry_plugin *p, uint64_t seed, const yamltree *given) {
    const animat_plugin_desc *d = p->desc;
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
        params_resolve(d->params, d->n_params, given, "params", d->name, &ps, &e) == 0) {
        snprintf(msg, sizeof msg, "%u declared; defaults in range, names unique, docs and units present; %s",
                 d->n_params, given ? "the --set values resolve; every check runs at them" : "every default resolves");
        report(r, R_PASS, d->name, "parameters", msg);
    } else {
        report(r, R_FAIL, d->name, "parameters", e.set ? e.msg : msg);
        report(r, R_SKIP, d->name, "all further checks", "need resolved default parameters");
        return;
    }

    plugcheck_ctx c = {d, &ps, given != NULL, seed, p};
    if (d->kind == ANIMAT_KIND_LEARNER) {
        isolated(r, &c, "learner", plugcheck_learner);
        isolated(r, &c, "determinism", plugcheck_learner_determinism);
        isolated(r, &c, "checkpoint", plugcheck_checkpoint);
    } else {
        stepping_checks(r, &c);
    }
    isolated(r, &c, "leak", plugcheck_leak);
    params_free(&ps);
}

/* One line of usage on stderr; returns 2. */
static int usage(const char *why) {
    if (why) fprintf(stderr, "plugin-check: %s\n", why);
    fprintf(stderr, "usage: animat plugin-check FILE.so [--set NAME=VALUE]... [--seed N] [--timeout SECONDS] "
                    "[--quiet]\n");
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

/* The command line. */
typedef struct plugcheck_args {
    const char *path;
    uint64_t seed, timeout;
    int quiet;
    char **sets; /* the NAME=VALUE of each --set, in order; owned (the array) */
    int nsets;
} plugcheck_args;

/* Parse argv into *a (a->sets allocated; free it). 0, or 2 after usage(). */
static int parse_args(int argc, char **argv, plugcheck_args *a) {
    *a = (plugcheck_args){NULL, 1, 10, 0, calloc((size_t)argc + 1, sizeof(char *)), 0};
    if (!a->sets) return usage("out of memory");
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--seed")) {
            if (++i >= argc || parse_u64(argv[i], &a->seed)) return usage("--seed needs a non-negative integer");
        } else if (!strcmp(argv[i], "--timeout")) {
            if (++i >= argc || parse_u64(argv[i], &a->timeout) || a->timeout < 1 || a->timeout > 86400)
                return usage("--timeout needs a number of seconds in [1, 86400]");
        } else if (!strcmp(argv[i], "--set")) {
            const char *eq = ++i < argc ? strchr(argv[i], '=') : NULL;
            if (!eq || eq == argv[i] || !eq[1]) return usage("--set needs NAME=VALUE (a name and a non-empty value)");
            a->sets[a->nsets++] = argv[i];
        } else if (!strcmp(argv[i], "--quiet")) {
            a->quiet = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            char why[256];
            snprintf(why, sizeof why, "unknown option '%.200s'", argv[i]);
            return usage(why);
        } else if (a->path) {
            return usage("give exactly one plugin file");
        } else {
            a->path = argv[i];
        }
    }
    return a->path ? 0 : usage("no plugin file given");
}

/* NAME=VALUE pairs as one YAML flow mapping "{NAME: VALUE, ...}", parsed,
 * as `animat plugins info --set` builds it (NAME may be spelt params.NAME or
 * ROLE.params.NAME). NULL with e set; the caller frees the tree. */
static yamltree *sets_tree(char *const *sets, int n, errmsg *e) {
    size_t cap = 4;
    for (int i = 0; i < n; i++) cap += strlen(sets[i]) + 4;
    char *t = calloc(cap, 1);
    if (!t) return errmsg_set(e, "out of memory"), NULL;
    size_t len = (size_t)snprintf(t, cap, "{");
    for (int i = 0; i < n; i++) {
        const char *key = sets[i], *eq = strchr(key, '='), *dot = strstr(key, "params.");
        if (dot && dot < eq) key = dot + 7;
        len += (size_t)snprintf(t + len, cap - len, "%s%.*s: %s", i ? ", " : "", (int)(eq - key), key, eq + 1);
    }
    snprintf(t + len, cap - len, "}");
    yamltree *y = yamltree_parse("--set", t, strlen(t), e);
    free(t);
    return y;
}

/* A message from the joined --set text without its "--set:1:8: " position
 * (a column of text the user never wrote). */
static const char *unpositioned(const char *msg) {
    return !strncmp(msg, "--set:", 6) && strstr(msg, ": ") ? strstr(msg, ": ") + 2 : msg;
}

/* Resolve `given` against every plugin of the file whose parameter table is
 * itself valid (a bad table is a FAIL reported by check_plugin). Returns 0,
 * or 2 after one line on stderr naming the --set and the reason. */
static int sets_valid(const registry *reg, char *const *sets, int n, const yamltree *given) {
    for (size_t i = 0; i < reg->nplugins; i++) {
        const animat_plugin_desc *d = reg->plugins[i]->desc;
        errmsg e;
        errmsg_clear(&e);
        params_set ps = {0};
        if (params_check_table(d->params, d->n_params, d->name, &e)) continue;
        if (params_resolve(d->params, d->n_params, given, "params", d->name, &ps, &e) == 0) {
            params_free(&ps);
            continue;
        }
        /* "--set:1:8: params.gain: ..." names a column of the joined text: drop it */
        fprintf(stderr, "plugin-check: --set %s%s: %s\n", sets[0], n > 1 ? " ..." : "", unpositioned(e.msg));
        return 2;
    }
    return 0;
}

/* Parse and validate each --set alone (so the message names it), then all
 * together into *given (repeated names). 0, or 2 after one line on stderr. */
static int sets_load(const registry *reg, const plugcheck_args *a, yamltree **given) {
    errmsg e;
    errmsg_clear(&e);
    for (int i = 0; i <= a->nsets; i++) {
        int one = i < a->nsets;
        yamltree *y = sets_tree(one ? a->sets + i : a->sets, one ? 1 : a->nsets, &e);
        if (!y) {
            fprintf(stderr, "plugin-check: --set %s: %s\n", one ? a->sets[i] : "(all)", unpositioned(e.msg));
            return 2;
        }
        if (sets_valid(reg, one ? a->sets + i : a->sets, one ? 1 : a->nsets, y)) {
            yamltree_free(y);
            return 2;
        }
        if (one)
            yamltree_free(y);
        else
            *given = y;
    }
    return 0;
}

/* Child side of load_survives: load the file as the check will. */
static void child_load(void *ctx, int fd) {
    registry reg;
    registry_init(&reg);
    errmsg e;
    errmsg_clear(&e);
    char ok = registry_open(&reg, ctx, &e) ? 'F' : 'P';
    if (write(fd, &ok, 1) < 0) _exit(1);
    _exit(0); /* no deinit, no destructors: only the load is probed */
}

/* Does loading the file (constructors, init) leave a process alive? 0, or
 * -1 with msg saying how it died. Phase: report; main thread. */
static int load_survives(const char *path, int timeout_s, char *msg, size_t cap) {
    char res = 0, sig[32];
    child_result cr;
    errmsg e;
    errmsg_clear(&e);
    child_opts o = {.timeout_s = timeout_s, .own_group = 1};
    if (child_run_opts(child_load, (void *)path, &o, &res, 1, &cr, &e)) return 0; /* cannot fork: load as before */
    if (cr.len == 1) return 0;
    if (cr.hung)
        snprintf(msg, cap, "%s: loading it did not finish within %d s (a constructor or init hangs)", path,
                 timeout_s);
    else if (cr.signal)
        snprintf(msg, cap, "%s: loading it killed the process with %s (a constructor or init crashes)", path,
                 child_signame(cr.signal, sig, sizeof sig));
    else
        snprintf(msg, cap, "%s: loading it ended the process with status %d (a constructor or init exits)", path,
                 cr.status);
    return -1;
}

/* Load the file, validate --set, check every plugin, print the summary.
 * Returns the exit status. */
static int load_and_check(const plugcheck_args *a, plugcheck_report *r) {
    registry reg;
    registry_init(&reg);
    errmsg e;
    errmsg_clear(&e);
    char msg[MSG_CAP];
    yamltree *given = NULL;
    if (load_survives(a->path, r->timeout_s, msg, sizeof msg)) {
        report(r, R_FAIL, NULL, "load", msg);
    } else if (registry_open(&reg, a->path, &e)) {
        report(r, R_FAIL, NULL, "load", e.msg);
    } else {
        if (a->nsets && sets_load(&reg, a, &given)) {
            registry_close(&reg);
            return 2;
        }
        const animat_plugin_entry *en = reg.libs[0]->entry;
        int len = snprintf(
            msg, sizeof msg, "handshake ABI %u.%u, sizeof(double)=%u, sizeof(size_t)=%u; %u plugin%s:", en->abi_major,
            en->abi_minor, en->sizeof_double, en->sizeof_size_t, en->n_plugins, en->n_plugins == 1 ? "" : "s");
        for (size_t i = 0; i < reg.nplugins && len > 0 && (size_t)len < sizeof msg; i++)
            len += snprintf(msg + len, sizeof msg - (size_t)len, "%s %s", i ? "," : "", reg.plugins[i]->desc->name);
        report(r, R_PASS, NULL, "load", msg);
        for (size_t i = 0; i < reg.nplugins; i++) check_plugin(r, reg.plugins[i], a->seed, given);
    }
    yamltree_free(given);
    registry_close(&reg);
    fprintf(r->out, "plugin-check: %u passed, %u failed\n", r->pass, r->fail);
    fflush(r->out);
    return r->fail ? 1 : 0;
}

int plugcheck_main(int argc, char **argv, FILE *out) {
    plugcheck_args a;
    int rc = parse_args(argc, argv, &a);
    if (!rc) {
        plugcheck_report r = {out, a.quiet, (int)a.timeout, 0, 0};
        rc = load_and_check(&a, &r);
    }
    free(a.sets);
    return rc;
}
