/* runner.c -- see runner.h. */
#include "sim/runner.h"

#include "base/atomicfile.h"
#include "exp/interventions.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/hash.h"
#include "base/progress.h"
#include "sim/isolate.h"
#include "sim/nwb_export.h"
#include "sim/record.h"
#include "sim/sim.h"
#include "sim/state.h"
#include "sim/trace.h"
#include "sim/sim_impl.h"

#ifndef ANIMAT_VERSION
#define ANIMAT_VERSION "0.0.0"
#endif

double runner_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* FNV-1a 64 of a file's bytes (a fingerprint, not security). 0 if unreadable. */
static uint64_t file_hash(const char *path) {
    uint64_t h = 0;
    return hash_file(path, &h) ? 0 : h;
}

/* Append printf-style text to a growing string. */
static void cat(char **s, size_t *len, size_t *cap, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void cat(char **s, size_t *len, size_t *cap, const char *fmt, ...) {
    if (!*s) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if (*len + (size_t)n + 1 > *cap) {
        size_t nc = (*cap + (size_t)n + 1) * 2;
        char *p = realloc(*s, nc);
        if (!p) {
            free(*s);
            *s = NULL;
            return;
        }
        *s = p;
        *cap = nc;
    }
    va_start(ap, fmt);
    vsnprintf(*s + *len, *cap - *len, fmt, ap);
    va_end(ap);
    *len += (size_t)n;
}

/* "name=value" pairs of a resolved parameter set. */
static void cat_params(char **s, size_t *len, size_t *cap, const params_set *ps) {
    for (uint32_t i = 0; i < ps->n; i++) {
        const params_value *v = &ps->v[i];
        if (v->info->type == ANIMAT_PARAM_CHOICE) {
            cat(s, len, cap, " %s=%s", v->info->name, v->choice);
        } else if (v->info->type == ANIMAT_PARAM_PATH) {
            cat(s, len, cap, " %s=%s", v->info->name, v->path ? v->path : "");
        } else if (v->info->type == ANIMAT_PARAM_REAL_LIST) {
            cat(s, len, cap, " %s=[", v->info->name);
            for (uint32_t k = 0; k < v->nlist; k++) cat(s, len, cap, "%s%.17g", k ? "," : "", v->list[k]);
            cat(s, len, cap, "]");
        } else {
            cat(s, len, cap, " %s=%.17g", v->info->name, v->real);
        }
    }
}

char *runner_provenance(const experiment *x, const char *command) {
    size_t len = 0, cap = 256;
    char *s = malloc(cap);
    if (!s) return NULL;
    s[0] = '\0';
    cat(&s, &len, &cap, "animat %s (plugin ABI %d.%d)\n", ANIMAT_VERSION, ANIMAT_ABI_MAJOR, ANIMAT_ABI_MINOR);
    if (command) cat(&s, &len, &cap, "command: %s\n", command);
    cat(&s, &len, &cap, "experiment: %s fnv1a64=%016llx\n", x->file, (unsigned long long)file_hash(x->file));
    cat(&s, &len, &cap, "seed: %llu episodes: %llu max_steps: %llu\n", (unsigned long long)x->seed,
        (unsigned long long)x->episodes, (unsigned long long)x->max_steps);
    for (uint32_t k = 0; k <= x->ninsts; k++) {
        const experiment_inst *in = k < x->ninsts ? &x->insts[k] : &x->learner;
        const registry_plugin *p = in->plugin;
        if (!p) continue;
        cat(&s, &len, &cap, "%s: %s %s %s %s fnv1a64=%016llx\n", in->name, p->desc->name, p->id, p->desc->version,
            p->lib->path, (unsigned long long)file_hash(p->lib->path));
        cat(&s, &len, &cap, "%s.params:", in->name);
        cat_params(&s, &len, &cap, &in->params);
        if (in->substeps > 1) cat(&s, &len, &cap, " substeps=%u", in->substeps);
        cat(&s, &len, &cap, "\n");
    }
    for (uint32_t k = 0; k < x->nivs; k++) {
        const experiment_iv *v = &x->ivs[k];
        cat(&s, &len, &cap, "intervention: %s.%s.%s %s value=%.17g sigma=%.17g from=%.17g to=%.17g\n",
            x->insts[v->inst].name, v->on_theta ? "theta" : "unit", v->name, intervention_word(v->what), v->value,
            v->sigma, v->from, v->to);
    }
    return s;
}

/* One progress line for an episode; with `elapsed` >= 0 (a terminal) and
 * episodes left, the estimated time to finish. */
static void print_episode(FILE *out, const sim *s, uint64_t i, uint64_t n, const sim_result *r, double elapsed) {
    fprintf(out, "%sepisode %llu/%llu  return %.3f  steps %llu", s->domain ? "held-out " : "",
            (unsigned long long)i + 1, (unsigned long long)n, r->ret, (unsigned long long)r->steps);
    for (uint32_t b = 0; r->nbodies > 1 && b < r->nbodies; b++)
        fprintf(out, "%s%s %.3f%s", b ? ", " : "  (", s->insts[b].name, r->body_ret[b], b + 1 == r->nbodies ? ")" : "");
    for (uint32_t k = 0; k < r->nmetrics; k++)
        fprintf(out, "  mean %s %.4f%s%s", r->metric_name[k], r->metric[k], r->metric_unit[k][0] ? " " : "",
                r->metric_unit[k]);
    if (elapsed >= 0 && i + 1 < n) fprintf(out, "  ETA %.0f s", elapsed / (double)(i + 1) * (double)(n - i - 1));
    fputc('\n', out);
    fflush(out);
}

/* Steps as progress units: a sim observer that counts every control step. */
static int progress_before(void *ctx, const sim *s, uint64_t episode, uint64_t step) {
    (void)ctx, (void)s, (void)episode, (void)step;
    return 0;
}
static int progress_after(void *ctx, double reward) {
    (void)reward;
    progress_add(ctx, 1);
    return 0;
}
static const char *progress_error(void *ctx) {
    (void)ctx;
    return "";
}

/* Steps expected in the whole run: run.max_steps per episode when set, else
 * as many as the first episode took (0, unknown, before it ends). */
static uint64_t expected_steps(const experiment *x, uint64_t episodes, uint64_t first_episode_steps) {
    uint64_t per = x->max_steps ? x->max_steps : first_episode_steps;
    return per && episodes <= UINT64_MAX / per ? per * episodes : 0;
}

/* The episode loop: one line per episode (with an ETA on a terminal),
 * each finished episode handed to the recording, progress of the steps
 * on o->progress. Fills *acc. 0 or -1. */
static int run_episodes(sim *s, const runner_opts *o, uint64_t first, uint64_t end, FILE *out, sim_record *rec,
                        runner_summary *acc, errmsg *e) {
    const experiment *x = s->x;
    memset(acc, 0, sizeof *acc);
    acc->min_return = 1e300;
    acc->max_return = -1e300;
    double total = 0, t0 = runner_now();
    int tty = out && isatty(fileno(out));
    progress pg;
    progress_begin(&pg, o ? o->progress : NULL, "run", "steps", 0, expected_steps(x, end - first, 0));
    sim_observer ob = {&pg, progress_before, progress_after, progress_error};
    /* the observer points at pg: runner_run destroys s right after this loop */
    if (pg.out && !x->isolate && sim_observe(s, &ob)) pg.out = NULL; /* no observer slot left: no progress */
    for (uint64_t i = first; i < end; i++) {
        sim_result r;
        int rc = x->isolate ? isolate_episode(s, i, &r, e) : sim_episode(s, i, &r, e) ? -1 : 0;
        if (!rc && x->isolate) progress_add(&pg, r.steps);
        if (!rc && !pg.total) progress_total(&pg, expected_steps(x, end - first, r.steps));
        progress_clear(&pg);
        if (rc == ISOLATE_FAILED && x->on_crash_continue) {
            /* run.on_crash: continue -- report, leave it out of the mean, go on. */
            if (out)
                fprintf(out, "episode %llu/%llu  FAILED: %s; continuing (run.on_crash: continue)\n",
                        (unsigned long long)i + 1, (unsigned long long)end, e->msg);
            errmsg_clear(e);
            acc->failed++;
            if (o && o->returns) o->returns[i - first] = NAN;
            continue;
        }
        if (rc || (rec && record_episode_end(rec, &r, e))) return progress_end(&pg), -1;
        total += r.ret;
        if (o && o->returns) o->returns[i - first] = r.ret;
        acc->steps += r.steps;
        if (r.ret < acc->min_return) acc->min_return = r.ret;
        if (r.ret > acc->max_return) acc->max_return = r.ret;
        if (out && !(o && o->quiet)) print_episode(out, s, i, end, &r, tty ? runner_now() - t0 : -1);
    }
    progress_end(&pg);
    acc->seconds = runner_now() - t0;
    acc->episodes = end - first - acc->failed;
    acc->mean_return = acc->episodes ? total / (double)acc->episodes : 0;
    if (acc->failed == end - first)
        return errmsg_set(e, "%s: all %llu episodes failed", x->file, (unsigned long long)acc->failed);
    return 0;
}

/* Check the trace and recording paths before any work: not inputs, not
 * each other, not something that is not a regular file. */
static int check_outputs(const experiment *x, const runner_opts *o, const char *trace, const char *rec, errmsg *e) {
    if ((trace || rec) && x->isolate)
        return errmsg_set(e, "%s: a %s cannot be recorded with run.isolate: true (the episodes run in child "
                             "processes)", x->file, trace ? "trace" : "recording");
    const char *others[EXPERIMENT_MAX_INSTS + 3];
    uint32_t n = experiment_inputs(x, others, EXPERIMENT_MAX_INSTS + 2);
    others[n] = rec;
    if (trace && atomicfile_check(trace, o && o->trace ? "--trace" : "record.trace", others, n + 1, e)) return -1;
    others[n] = trace;
    const char *what = o && o->record ? "--record" : "record.file";
    if (rec && atomicfile_check(rec, what, others, n + 1, e)) return -1;
    if (rec && nwb_is_path(rec) && nwb_check_target(rec, what, others, n + 1, e)) return -1;
    return 0;
}

/* An NWB recording is recorded as HDF5 beside it first (REC.rec.h5, which
 * must not exist), then exported (nwb_export) and removed. The scratch
 * path (caller frees), or NULL with e set. */
static char *nwb_scratch(const char *rec, errmsg *e) {
    char *p = malloc(strlen(rec) + 8);
    if (!p) return errmsg_set(e, "out of memory"), NULL;
    strcat(strcpy(p, rec), ".rec.h5");
    struct stat st;
    if (lstat(p, &st) == 0) {
        errmsg_set(e, "--record %s: %s (the recording the NWB file is exported from) already exists; remove it", rec,
                   p);
        free(p);
        return NULL;
    }
    return p;
}

/* Export the scratch recording to the NWB file and remove it. 0 or -1. */
static int nwb_finish(const char *scratch, const char *rec, errmsg *e) {
    int rc = nwb_export(scratch, rec, NULL, NULL, e);
    unlink(scratch);
    return rc;
}

/* Open the trace and the recording asked for, as observers of s. */
static int open_outputs(sim *s, const runner_opts *o, const char *trace, const char *rec, sim_trace **t,
                        sim_record **r, errmsg *e) {
    char *prov = runner_provenance(s->x, o ? o->command : NULL);
    if (trace && (*t = trace_open(trace, s, prov, e))) {
        sim_observer ob = trace_observer(*t);
        sim_observe(s, &ob);
    }
    record_meta m = {.kind = "run", .command = o ? o->command : NULL, .provenance = prov,
                     .extra_plugins = o ? o->extra_plugins : NULL, .nextra = o ? o->nextra : 0};
    if ((!trace || *t) && rec && (*r = record_open(rec, s, &m, e))) {
        sim_observer ob = record_observer(*r);
        sim_observe(s, &ob);
    }
    free(prov);
    return (trace && !*t) || (rec && !*r) ? -1 : 0;
}

/* --state-out / --state-in of one run (sim/state.h). */
typedef struct runner_state {
    const runner_opts *o;
    void *out;           /* the snapshot, once taken; owned */
    uint64_t out_size;
    void *in;            /* the state read; owned */
    uint64_t in_size, episode;
} runner_state;

static int take_state(void *ctx, sim *s, sim_result *r, errmsg *e) {
    runner_state *st = ctx;
    return sim_state_save(s, r, &st->out, &st->out_size, e);
}

static int give_state(void *ctx, sim *s, sim_result *r, errmsg *e) {
    runner_state *st = ctx;
    errmsg le;
    errmsg_clear(&le);
    if (sim_state_load(s, st->in, st->in_size, r, &le)) return errmsg_set(e, "%s: %s", st->o->state_in, le.msg);
    return 0;
}

/* Before any work: the options fit together, the output can be written,
 * the input is a state of this experiment. 0 or -1 with e set. */
static int state_check(const experiment *x, const runner_opts *o, const char *trace, const char *rec,
                       runner_state *st, errmsg *e) {
    memset(st, 0, sizeof *st);
    st->o = o;
    if (!o || (!o->state_out && !o->state_in)) return 0;
    if (x->isolate) return errmsg_set(e, "%s: --state-* cannot be used with run.isolate: true", x->file);
    if (o->state_in && rec)
        return errmsg_set(e, "--state-in %s: a recording (%s) cannot start in the middle of an episode", o->state_in,
                          rec);
    if (o->state_out && !o->state_in && x->episodes != 1)
        return errmsg_set(e, "--state-out %s: the run must have exactly one episode (--episodes 1), not %llu",
                          o->state_out, (unsigned long long)x->episodes);
    const char *others[EXPERIMENT_MAX_INSTS + 5];
    uint32_t n = experiment_inputs(x, others, EXPERIMENT_MAX_INSTS + 2);
    others[n++] = trace;
    others[n++] = rec;
    others[n++] = o->state_in;
    if (o->state_out && atomicfile_check(o->state_out, "--state-out", others, n, e)) return -1;
    return o->state_in ? sim_state_read(o->state_in, x, &st->in, &st->in_size, &st->episode, e) : 0;
}

/* After a successful episode: write the snapshot, or say why none was
 * taken. 0 or -1 with e set. */
static int state_finish(const experiment *x, const runner_state *st, const runner_summary *acc, FILE *out,
                        errmsg *e) {
    const runner_opts *o = st->o;
    if (!o || !o->state_out) return 0;
    if (!st->out)
        return errmsg_set(e, "--state-at %llu is beyond the episode: it ended after %llu control steps",
                          (unsigned long long)o->state_at, (unsigned long long)acc->steps);
    if (sim_state_write(o->state_out, x, st->out, st->out_size, e)) return -1;
    if (out)
        fprintf(out, "state after step %llu written to %s\n", (unsigned long long)o->state_at, o->state_out);
    return 0;
}

/* runner_run once its outputs were checked: record into `into` (rec, or
 * the scratch recording of an NWB one). */
static int runner_run_into(const experiment *x, const runner_opts *o, FILE *out, runner_summary *sum,
                           const char *path, const char *rec, const char *into, runner_state *stp, errmsg *e) {
    int heldout = o && o->heldout;
    runner_state st = *stp;
    sim s;
    if ((x->isolate && isolate_create(x, e)) || sim_create(&s, x, e)) {
        free(st.in);
        return -1;
    }
    sim_heldout(&s, heldout);
    sim_trace *t = NULL;
    sim_record *r = NULL;
    if ((o && o->theta && sim_set_theta(&s, o->theta, e)) ||
        (o && (o->state_out || o->state_in) && sim_state_check(&s, e)) || open_outputs(&s, o, path, into, &t, &r, e)) {
        trace_abort(t);
        record_abort(r);
        sim_destroy(&s);
        free(st.in);
        return -1;
    }
    if (o && o->state_out) s.snap = (sim_hook){take_state, &st, o->state_at};
    if (o && o->state_in) s.restore = (sim_hook){give_state, &st, 0};
    runner_summary acc;
    uint64_t first = o && o->state_in ? st.episode : 0, end = o && o->state_in ? first + 1 : x->episodes;
    int rc = run_episodes(&s, o, first, end, out, r, &acc, e);
    if (!rc && out) sim_print_clipped(&s, out);
    sim_destroy(&s);
    if (!rc) rc = state_finish(x, &st, &acc, out, e);
    free(st.in);
    free(st.out);
    if (rc) {
        trace_abort(t);
        record_abort(r);
        return -1;
    }
    if (t && trace_commit(t, e)) {
        record_abort(r);
        return -1;
    }
    if (r && record_commit(r, e)) return -1;
    if (out) {
        fprintf(out, "%llu episode%s: %smean return %.3f (min %.3f, max %.3f); %llu steps in %.2f s (%.0f steps/s)",
                (unsigned long long)acc.episodes, acc.episodes == 1 ? "" : "s",
                heldout ? "held-out " : "", acc.mean_return, acc.min_return,
                acc.max_return, (unsigned long long)acc.steps, acc.seconds,
                acc.seconds > 0 ? (double)acc.steps / acc.seconds : 0.0);
        if (acc.failed) fprintf(out, "; %llu episode%s failed", (unsigned long long)acc.failed, acc.failed == 1 ? "" : "s");
        fputc('\n', out);
        if (path) fprintf(out, "trace written to %s\n", path);
        if (rec) fprintf(out, "recording written to %s\n", rec);
    }
    if (sum) *sum = acc;
    return 0;
}

int runner_run(const experiment *x, const runner_opts *o, FILE *out, runner_summary *sum, errmsg *e) {
    int heldout = o && o->heldout;
    const char *path = heldout ? NULL : (o && o->trace) ? o->trace : x->trace;
    const char *rec = heldout ? NULL : (o && o->record) ? o->record : x->record_file;
    runner_state st;
    if (check_outputs(x, o, path, rec, e) || state_check(x, o, path, rec, &st, e)) return -1;
    char *scratch = rec && nwb_is_path(rec) ? nwb_scratch(rec, e) : NULL;
    if (rec && nwb_is_path(rec) && !scratch) return -1;
    int rc = runner_run_into(x, o, out, sum, path, rec, scratch ? scratch : rec, &st, e);
    if (!rc && scratch) rc = nwb_finish(scratch, rec, e);
    free(scratch);
    return rc;
}
