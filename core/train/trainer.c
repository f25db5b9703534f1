/* trainer.c -- see trainer.h. */
#include "train/trainer.h"

#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/atomicfile.h"
#include "base/hash.h"
#include "exp/fingerprint.h"
#include "base/progress.h"
#include "train/checkpoint.h"
#include "plugin/callguard.h"
#include "plugin/hostctx.h"
#include "plugin/plugcheck.h"
#include "sim/isolate.h"
#include "train/ranks.h"
#include "sim/runner.h"
#include "sim/sim.h"
#include "sim/record.h"
#include "sim/trace.h"
#include "sim/sim_impl.h"

#ifndef ANIMAT_VERSION
#define ANIMAT_VERSION "0.0.0"
#endif

#define TRAINER_NAME_MAX 192

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig) {
    (void)sig;
    stop_requested = 1;
}

void trainer_handle_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* One evaluation worker: its own simulation, and its share of an epoch. */
typedef struct worker {
    sim sim;
    errmsg err;
    int failed;
    struct trainer *t;
    pthread_t thread;
} worker;

/* Everything one training run holds. */
typedef struct trainer {
    const experiment *x;
    learner lrn;              /* the learner (plugin/learner.h); lrn.self NULL until created */
    uint32_t P, n;          /* population, theta length */
    double *thetas;         /* P x n candidates */
    double *returns, *steps;/* P each (steps as doubles for the MPI sum) */
    worker *w;
    uint32_t nw;
    uint64_t epoch;
    atomic_uint next;       /* next candidate to claim this epoch */
    animat_param_info *info;/* n entries for the learner; owned */
    char *names;            /* their names, TRAINER_NAME_MAX each; owned */
    double *theta0;         /* n: the initial graph theta, before training; owned */
    double *eval;           /* x->eval_episodes held-out returns; owned */
    const double *eval_theta; /* the estimate being evaluated (held-out) */
    int rank, ranks;
    progress pg;            /* candidates scored, over all epochs (this rank's share) */
} trainer;

/* Episode index of repetition j of candidate k this epoch. With
 * train.episodes_per_candidate = 1 and common_episodes none this is
 * epoch*P + k, as always; `pairs` gives candidates 2i and 2i+1 (an
 * antithetic pair) the same episodes, `epoch` gives every candidate the same. */
static uint64_t episode_of(const trainer *t, uint32_t k, uint64_t j) {
    uint64_t reps = t->x->episodes_per_candidate, mode = t->x->common_episodes;
    uint64_t groups = mode == 2 ? 1 : mode == 1 ? (t->P + 1) / 2 : t->P;
    uint64_t g = mode == 2 ? 0 : mode == 1 ? k / 2 : k;
    return (t->epoch * groups + g) * reps + j;
}

/* Score candidate k: the mean return of its episodes (in a fixed order, so
 * threads and ranks agree bit for bit) into *ret, their steps into *steps.
 * A crash with run.on_crash: continue scores run.crash_return. 0, or -1
 * with w->err set. */
static int score(worker *w, uint32_t k, double *ret, double *steps) {
    trainer *t = w->t;
    *steps = 0;
    for (uint64_t j = 0; j < t->x->episodes_per_candidate; j++) {
        sim_result r;
        uint64_t ep = episode_of(t, k, j);
        int rc = t->x->isolate ? isolate_episode(&w->sim, ep, &r, &w->err) : sim_episode(&w->sim, ep, &r, &w->err) ? -1 : 0;
        if (rc == ISOLATE_FAILED && t->x->on_crash_continue) {
            /* run.on_crash: continue -- score the candidate and go on. */
            fprintf(stderr, "warning: epoch %llu candidate %u: %s; scored run.crash_return = %g\n",
                    (unsigned long long)t->epoch + 1, k, w->err.msg, t->x->crash_return);
            errmsg_clear(&w->err);
            *ret = t->x->crash_return;
            return 0;
        } else if (rc) {
            return -1;
        }
        *ret = j ? *ret + r.ret : r.ret;
        *steps += (double)r.steps;
    }
    if (t->x->episodes_per_candidate > 1) *ret /= (double)t->x->episodes_per_candidate;
    return 0;
}

/* Evaluate the candidates this rank owns, claiming them one at a time. */
static void *work(void *arg) {
    worker *w = arg;
    trainer *t = w->t;
    for (;;) {
        unsigned k = atomic_fetch_add(&t->next, 1u);
        k = k * (unsigned)t->ranks + (unsigned)t->rank; /* this rank's k-th */
        if (k >= t->P) break;
        if (sim_set_theta(&w->sim, t->thetas + (size_t)k * t->n, &w->err) ||
            score(w, k, &t->returns[k], &t->steps[k])) {
            w->failed = 1;
            break;
        }
        progress_add(&t->pg, 1);
    }
    return NULL;
}

/* Evaluate one epoch's candidates on all workers; combine over ranks. */
static int evaluate(trainer *t, errmsg *e) {
    memset(t->returns, 0, t->P * sizeof *t->returns);
    memset(t->steps, 0, t->P * sizeof *t->steps);
    atomic_store(&t->next, 0u);
    uint32_t started = 0;
    for (uint32_t i = 1; i < t->nw; i++, started++)
        if (pthread_create(&t->w[i].thread, NULL, work, &t->w[i])) break;
    work(&t->w[0]);
    for (uint32_t i = 1; i <= started; i++) pthread_join(t->w[i].thread, NULL);
    for (uint32_t i = 0; i < t->nw; i++)
        if (t->w[i].failed) return errmsg_set(e, "%s", t->w[i].err.msg);
    if (ranks_sum(t->returns, t->P) || ranks_sum(t->steps, t->P)) return errmsg_set(e, "MPI reduction failed");
    return 0;
}

/* Configuration fingerprint: resuming with another setup is refused. The
 * experiment's (exp/fingerprint.h), then the population and theta size. */
static uint64_t fingerprint(const trainer *t) {
    uint64_t h = experiment_fingerprint(t->x);
    h = hash_fnv(h, &t->P, sizeof t->P);
    return hash_fnv(h, &t->n, sizeof t->n);
}

/* The learner's estimate, finite and projected onto the bounds: a new
 * array of t->n (caller frees), or NULL with e set. */
static double *current_theta(trainer *t, errmsg *e) {
    double *theta = malloc((t->n ? t->n : 1) * sizeof *theta);
    if (!theta) {
        errmsg_set(e, "out of memory");
        return NULL;
    }
    if (learner_current(&t->lrn, theta, e)) {
        free(theta);
        return NULL;
    }
    sim_project(&t->w[0].sim, theta);
    return theta;
}

/* The parameter file `animat run` reads back (YAML, 17 significant digits). */
static int write_params(trainer *t, const char *path, uint64_t epochs, const char *command, errmsg *e) {
    double *theta = current_theta(t, e);
    if (!theta) return -1;
    sim *s0 = &t->w[0].sim;
    char *buf = NULL, *prov = runner_provenance(t->x, command);
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        free(theta);
        free(prov);
        return errmsg_set(e, "out of memory");
    }
    fprintf(f, "# circuit parameters trained by animat: learner %s %s, %llu epochs\n",
            t->x->learner.plugin->desc->name, t->x->learner.plugin->desc->version, (unsigned long long)epochs);
    trace_fprint_comment(f, prov);
    if (s0->ntargets == 1 && s0->targets[0]->kind == ANIMAT_KIND_CIRCUIT)
        fprintf(f, "circuit: %s\n", s0->targets[0]->plugin->desc->name);
    fprintf(f, "names: [");
    for (uint32_t i = 0; i < t->n; i++) {
        char name[256];
        sim_theta_name(s0, i, name, sizeof name);
        fprintf(f, "%s'%s'", i ? ", " : "", name);
    }
    fprintf(f, "]\ntheta: [");
    for (uint32_t i = 0; i < t->n; i++) fprintf(f, "%s%.17g", i ? ", " : "", theta[i]);
    fprintf(f, "]\n");
    int rc = fclose(f) ? errmsg_set(e, "out of memory") : atomicfile_write(path, buf, len, e);
    free(buf);
    free(prov);
    free(theta);
    return rc;
}

/* Save a checkpoint of the state after `epochs_done` epochs. */
static int save_checkpoint(trainer *t, checkpoint *c, errmsg *e) {
    if (!learner_can_save(&t->lrn))
        return errmsg_set(e, "learner (%s) cannot save its state, so train.checkpoint cannot be used",
                          t->x->learner.plugin->desc->name);
    void *buf;
    uint64_t size;
    if (learner_save(&t->lrn, &buf, &size, e)) return -1;
    c->state = buf;
    c->state_size = size;
    c->curve_hash = 0;
    if (t->x->curve && hash_file_prefix(t->x->curve, c->curve_bytes, &c->curve_hash)) {
        free(buf);
        c->state = NULL;
        return errmsg_set(e, "%s: cannot read back the learning curve for the checkpoint", t->x->curve);
    }
    int rc = checkpoint_save(t->x->checkpoint, c, e);
    c->state = NULL;
    free(buf);
    return rc;
}

/* Default output path: BASENAME.params.yaml in the working directory. */
static void default_output(const char *file, char *buf, size_t cap) {
    char *copy = strdup(file);
    const char *base = copy ? basename(copy) : "experiment";
    size_t n = strlen(base);
    if (n > 5 && !strcmp(base + n - 5, ".yaml")) n -= 5;
    snprintf(buf, cap, "%.*s.params.yaml", (int)n, base);
    free(copy);
}

/* Create the learner, workers and buffers. */
/* The graph theta's metadata for the learner: host copies of each entry's
 * record, named INSTANCE.ENTRY (t->info, t->names; owned by t). */
static const animat_param_info *learner_info(trainer *t, errmsg *e) {
    sim *s0 = &t->w[0].sim;
    t->info = calloc(t->n + 1, sizeof *t->info);
    t->names = calloc((size_t)t->n + 1, TRAINER_NAME_MAX);
    if (!t->info || !t->names) {
        errmsg_set(e, "out of memory");
        return NULL;
    }
    for (uint32_t k = 0; k < t->n; k++) {
        const animat_param_info *p = sim_theta_entry(s0, k);
        size_t sz = p->struct_size < sizeof *p ? p->struct_size : sizeof *p;
        memcpy(&t->info[k], p, sz);
        t->info[k].struct_size = sizeof *p;
        sim_theta_name(s0, k, t->names + (size_t)k * TRAINER_NAME_MAX, TRAINER_NAME_MAX);
        t->info[k].name = t->names + (size_t)k * TRAINER_NAME_MAX;
    }
    return t->info;
}

/* The determinism guard: before more than one worker thread or rank runs,
 * each body and circuit instance of the experiment runs, at its own
 * parameters and the run seed, as two instances alone and stepped
 * alternately (plugcheck_instances, the comparison of plugin-check's
 * `threads` check); a plugin whose instances share state would make the
 * result depend on the thread or rank count, so it is refused here in one
 * line. Runs plugin code in this process, or under run.isolate in a forked
 * child (run.episode_timeout, else 60 s), where a crash or hang is left to
 * the episodes' own isolation and run.on_crash. 0, or -1 with e set. */
static int guard_instances(const experiment *x, errmsg *e) {
    for (uint32_t i = 0; i < x->ninsts; i++) {
        const experiment_inst *in = &x->insts[i];
        plugcheck_ctx c = {.desc = in->plugin->desc, .params = &in->params, .given = 1, .seed = x->seed,
                           .plugin = in->plugin};
        char msg[1024];
        int timeout = x->episode_timeout > 0 ? (int)ceil(x->episode_timeout) : 60;
        callguard_enter(in->name, in->plugin->desc->name, "the determinism guard");
        int rc = x->isolate ? plugcheck_instances_isolated(&c, timeout, msg, sizeof msg)
                            : plugcheck_instances(&c, 0, msg, sizeof msg);
        callguard_leave();
        if (rc < 0) /* a crash or hang under isolation (rc 1) is left to run.on_crash */
            return errmsg_set(e,
                              "%s: %s '%s' (plugin %s, %s) gives different results when two of its instances run "
                              "side by side, so training on several threads or ranks would not be reproducible: %s; "
                              "check the plugin with `animat plugin-check %s`",
                              x->file, in->kind == ANIMAT_KIND_BODY ? "body" : "circuit", in->name,
                              in->plugin->desc->name, in->plugin->lib->path, msg, in->plugin->lib->path);
    }
    return 0;
}

static int setup(trainer *t, const experiment *x, uint64_t threads, errmsg *e) {
    t->x = x;
    t->rank = ranks_rank();
    t->ranks = ranks_size();
    const animat_plugin_desc *ld = x->learner.plugin->desc;
    t->lrn.plugin = x->learner.plugin; /* for learner_is_online before learner_init */
    int online = learner_is_online(&t->lrn);
    t->nw = online ? 1 : (uint32_t)threads;
    t->w = calloc(t->nw, sizeof *t->w);
    if (!t->w) return errmsg_set(e, "out of memory");
    if (x->isolate && isolate_create(x, e)) return -1; /* a plugin dying in create is named, not run here */
    for (uint32_t i = 0; i < t->nw; i++) {
        t->w[i].t = t;
        if (sim_create(&t->w[i].sim, x, e)) return -1;
    }
    if ((t->nw > 1 || t->ranks > 1) && guard_instances(x, e)) return -1; /* after create: its failures named there */
    /* The learner starts from worker 0's circuit theta. */
    sim *s0 = &t->w[0].sim;
    t->n = s0->ntheta;
    double *theta0 = calloc(t->n ? t->n : 1, sizeof *theta0);
    if (!theta0) return errmsg_set(e, "out of memory");
    if (sim_get_theta(s0, theta0, e)) {
        free(theta0);
        return -1;
    }
    if (!(t->eval = calloc(x->eval_episodes ? x->eval_episodes : 1, sizeof *t->eval))) {
        free(theta0);
        return errmsg_set(e, "out of memory");
    }
    const animat_param_info *info = learner_info(t, e);
    if (!info && t->n) {
        free(theta0);
        return -1;
    }
    if (learner_init(&t->lrn, x->learner.plugin, &x->learner.params, x->seed, e)) {
        free(theta0);
        return -1;
    }
    if (x->isolate && isolate_learner_create(x, &t->lrn, t->n, info, theta0, e)) {
        free(theta0);
        return -1;
    }
    t->theta0 = theta0;
    errmsg ce;
    errmsg_clear(&ce);
    if (learner_create(&t->lrn, t->n, info, theta0, &ce)) {
        const yamltree *n = x->learner.node;
        return errmsg_at(e, n->file, n->line, n->col, "%s", ce.msg);
    }
    t->P = learner_population(&t->lrn);
    if (t->P < 1 || t->P > (1u << 24))
        return errmsg_set(e, "learner (%s): population() returned %u", ld->name, t->P);
    if (online && x->isolate)
        return errmsg_set(e, "learner (%s) learns online, which cannot run with run.isolate: true (its updates would "
                           "stay in the child process)", ld->name);
    if (online && (t->P != 1 || t->ranks != 1))
        return errmsg_set(e, "learner (%s) learns online: it needs population 1 and a single MPI rank", ld->name);
    if (online && sim_attach_online(s0, &t->lrn, e)) return -1;
    t->thetas = calloc((size_t)t->P * (t->n ? t->n : 1), sizeof *t->thetas);
    t->returns = calloc(t->P, sizeof *t->returns);
    t->steps = calloc(t->P, sizeof *t->steps);
    if (!t->thetas || !t->returns || !t->steps) return errmsg_set(e, "out of memory");
    return 0;
}

static void teardown(trainer *t) {
    free(t->theta0);
    free(t->eval);
    free(t->info);
    free(t->names);
    for (uint32_t i = 0; t->w && i < t->nw; i++) sim_destroy(&t->w[i].sim);
    free(t->w);
    learner_fini(&t->lrn);
    free(t->thetas);
    free(t->returns);
    free(t->steps);
}

/* Open the curve for appending (truncated to `keep` bytes on resume), or
 * create it with provenance and a header. NULL with e set. */
static FILE *open_curve(const trainer *t, const char *command, int resume, const checkpoint *ck, errmsg *e) {
    const char *path = t->x->curve;
    uint64_t keep = ck->curve_bytes, h = 0;
    if (resume) {
        /* the curve must still hold exactly what the checkpoint saw */
        if (hash_file_prefix(path, keep, &h) || h != ck->curve_hash) {
            errmsg_set(e, "%s: the learning curve does not match the checkpoint (missing, cut short or edited); "
                          "refusing to resume", path);
            return NULL;
        }
        return atomicfile_live(path, 1, keep, e);
    }
    FILE *f = atomicfile_live(path, 0, 0, e);
    if (!f) return NULL;
    char *prov = runner_provenance(t->x, command);
    trace_fprint_comment(f, prov);
    free(prov);
    fprintf(f, "# learner: %s %s, population %u, parameters %u\n", t->x->learner.plugin->desc->name,
            t->x->learner.plugin->desc->version, t->P, t->n);
    fprintf(f, "epoch,episodes,env_steps,best_return,mean_return,elapsed_s\n");
    fflush(f);
    return f;
}

/* The plugins as a checkpoint stores them: "ROLE ID VERSION FNV1A64\n" per
 * instance and the learner. Caller frees; NULL when out of memory. */
static char *plugins_text(const experiment *x) {
    size_t cap = 400 * ((size_t)x->ninsts + 1) + 1, len = 0;
    char *s = calloc(1, cap);
    for (uint32_t k = 0; s && k <= x->ninsts; k++) {
        const experiment_inst *in = k < x->ninsts ? &x->insts[k] : &x->learner;
        uint64_t h = 0;
        if (!in->plugin || hash_file(in->plugin->lib->path, &h)) h = 0;
        if (in->plugin)
            len += (size_t)snprintf(s + len, cap - len, "%.64s %.128s %.64s %016llx\n", in->name, in->plugin->id,
                                    in->plugin->desc->version, (unsigned long long)h);
    }
    return s;
}

/* The first line of a that differs from b's, into buf ("(none)" at the
 * end of a); for messages. */
static const char *first_diff(const char *a, const char *b, char *buf, size_t cap) {
    while (*a && *b) {
        size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
        if (la != lb || memcmp(a, b, la)) break;
        a += la + (a[la] == '\n'), b += lb + (b[lb] == '\n');
    }
    snprintf(buf, cap, "%.*s", (int)strcspn(a, "\n"), *a ? a : "(none)");
    return buf;
}

/* A checkpoint's plugins against this run's (version 3 checkpoints): any
 * difference in a role's id, version or file hash is refused naming the
 * plugin -- the fingerprint refuses it too, but without saying which.
 * 0, or -1 with e set. */
static int check_plugins(const experiment *x, const char *was, const char *now, errmsg *e) {
    if (!was || !now || !strcmp(was, now)) return 0;
    char a[400], b[400];
    return errmsg_set(e, "%s: checkpoint was written with plugin '%s', this run has '%s'", x->checkpoint,
                      first_diff(was, now, a, sizeof a), first_diff(now, was, b, sizeof b));
}

/* Resume: restore the learner and counters from the checkpoint into *ck
 * (which holds this run's fingerprint). 0, or -1 with e set. */
static int resume(trainer *t, checkpoint *ck, FILE *out, errmsg *e) {
    const experiment *x = t->x;
    checkpoint in;
    if (checkpoint_load(x->checkpoint, &in, e)) return -1;
    if (check_plugins(x, in.plugins, ck->plugins, e)) {
        checkpoint_free(&in);
        return -1;
    }
    if (in.fingerprint != ck->fingerprint || in.n_theta != t->n) {
        checkpoint_free(&in);
        return errmsg_set(e, "%s: checkpoint was written by a different experiment setup (plugins, parameters, seed "
                             "or population differ)", x->checkpoint);
    }
    if (learner_load(&t->lrn, in.state, in.state_size, e)) {
        checkpoint_free(&in);
        return -1;
    }
    char *plugins = ck->plugins;
    checkpoint_free(&in);
    *ck = in;
    ck->state = NULL;
    ck->plugins = plugins; /* this run's: the next checkpoint records them */
    if (out)
        fprintf(out, "resuming %s from %s after epoch %llu\n", x->file, x->checkpoint, (unsigned long long)ck->epochs_done);
    return 0;
}

/* Ask, evaluate, tell for epoch t->epoch. 0, or -1 with e set. */
static int epoch_step(trainer *t, errmsg *e) {
    if (learner_ask(&t->lrn, t->x->seed, t->epoch, t->thetas, e) || evaluate(t, e)) return -1;
    return learner_tell(&t->lrn, t->returns, t->epoch, e);
}

/* After an epoch: counters into *ck, a curve row, the progress line. 0, or
 * -1 with e set (the curve could not be written). */
static int epoch_record(trainer *t, checkpoint *ck, double t0, FILE *curve, FILE *out, int quiet, errmsg *e) {
    const experiment *x = t->x;
    double best = -INFINITY, mean = 0;
    for (uint32_t k = 0; k < t->P; k++) {
        best = t->returns[k] > best ? t->returns[k] : best;
        mean += t->returns[k] / t->P;
        ck->steps += (uint64_t)t->steps[k];
    }
    ck->episodes += t->P * x->episodes_per_candidate;
    ck->epochs_done = t->epoch + 1;
    if (best > ck->best_return) ck->best_return = best;
    ck->elapsed = runner_now() - t0;
    if (curve) {
        fprintf(curve, "%llu,%llu,%llu,%.17g,%.17g,%.3f\n", (unsigned long long)ck->epochs_done,
                (unsigned long long)ck->episodes, (unsigned long long)ck->steps, best, mean, ck->elapsed);
        if (fflush(curve) || ferror(curve)) return errmsg_set(e, "%s: write failed: %s", x->curve, strerror(errno));
        ck->curve_bytes = (uint64_t)ftell(curve);
    }
    if (out && !quiet) {
        double left = ck->elapsed / (double)ck->epochs_done * (double)(x->epochs - ck->epochs_done);
        fprintf(out, "epoch %llu/%llu  episodes %llu  steps %llu  best %.3f  mean %.3f  elapsed %.1f s  ETA %.0f s\n",
                (unsigned long long)ck->epochs_done, (unsigned long long)x->epochs, (unsigned long long)ck->episodes,
                (unsigned long long)ck->steps, best, mean, ck->elapsed, left);
        fflush(out);
    }
    return 0;
}

/* The closing line. */
static void print_end(const experiment *x, const checkpoint *ck, int interrupted, const char *outpath, FILE *out) {
    if (!out) return;
    if (interrupted)
        fprintf(out, "interrupted after epoch %llu%s%s; parameters written to %s\n", (unsigned long long)ck->epochs_done,
                x->checkpoint ? "; checkpoint written to " : "", x->checkpoint ? x->checkpoint : "", outpath);
    else
        fprintf(out, "trained %llu epochs (%llu episodes, %llu steps) in %.1f s (%.1f episodes/s); best candidate "
                     "return %.3f; parameters written to %s\n",
                (unsigned long long)ck->epochs_done, (unsigned long long)ck->episodes, (unsigned long long)ck->steps,
                ck->elapsed, ck->elapsed > 0 ? (double)ck->episodes / ck->elapsed : 0.0, ck->best_return, outpath);
}

/* Every output (curve, parameters, checkpoint) can be written without
 * destroying an input, another output or a non-regular file. 0 or -1. */
static int check_outputs(const experiment *x, const char *outpath, errmsg *e) {
    const char *paths[3] = {x->curve, outpath, x->checkpoint};
    const char *what[3] = {"train.curve", "train.output", "train.checkpoint"};
    const char *others[EXPERIMENT_MAX_INSTS + 4];
    for (int k = 0; k < 3; k++) {
        if (!paths[k]) continue;
        uint32_t n = experiment_inputs(x, others, EXPERIMENT_MAX_INSTS + 2);
        for (int j = 0; j < 3; j++)
            if (j != k) others[n++] = paths[j];
        if (atomicfile_check(paths[k], what[k], others, n, e)) return -1;
    }
    return 0;
}

/* A fresh run (no --resume) moves an earlier checkpoint to PATH.prev, so a
 * later --resume cannot continue a different run from it, and an earlier
 * learning curve likewise, so a fresh run that fails (a full disk) loses
 * neither. `what` names it ("checkpoint", "curve"). 0 or -1. */
static int move_aside(const char *path, const char *what, FILE *out, errmsg *e) {
    if (!path) return 0;
    char prev[4200];
    snprintf(prev, sizeof prev, "%s.prev", path);
    int rc = atomicfile_rename(path, prev);
    if (rc && errno == ENOENT) return 0;
    if (rc) return errmsg_set(e, "%s: cannot move the earlier %s aside: %s", path, what, strerror(errno));
    if (out) fprintf(out, "moved the earlier %s %s to %s (this run starts afresh)\n", what, path, prev);
    return 0;
}

/* --record: not an input, not another output. 0 or -1 with e set. */
static int check_record(const experiment *x, const trainer_opts *o, const char *outpath, errmsg *e) {
    if (!o->record) return 0;
    if (x->isolate)
        return errmsg_set(e, "%s: a recording cannot be made with run.isolate: true (the episodes run in child "
                             "processes)", x->file);
    const char *others[EXPERIMENT_MAX_INSTS + 5];
    uint32_t n = experiment_inputs(x, others, EXPERIMENT_MAX_INSTS + 2);
    others[n++] = x->curve, others[n++] = outpath, others[n++] = x->checkpoint;
    return atomicfile_check(o->record, "--record", others, n, e);
}

/* Refusals checked before any work. 0, or -1 with e set. */
static int precheck(const experiment *x, const trainer_opts *o, errmsg *e) {
    if (!x->learner.plugin) return errmsg_set(e, "%s: no learner block: `animat train` needs learner: {plugin: ...}", x->file);
    if (o->resume && !x->checkpoint) return errmsg_set(e, "%s: --resume needs train.checkpoint to be set", x->file);
    return 0;
}

/* Open the recording on worker 0's simulation before the first epoch (the
 * experiment it stores starts from the initial parameters). NULL + e set. */
static sim_record *open_record(trainer *t, const trainer_opts *o, errmsg *e) {
    char *prov = runner_provenance(t->x, o->command);
    record_meta m = {.kind = "train", .command = o->command, .provenance = prov,
                     .extra_plugins = o->extra_plugins, .nextra = o->nextra, .unguarded = 1};
    sim_record *r = record_open(o->record, &t->w[0].sim, &m, e);
    free(prov);
    return r;
}

/* Held-out episode i of worker w's sim into *ret (and the recording r when
 * not NULL). A crash with run.on_crash: continue scores run.crash_return.
 * 0, or -1 with w->err set. */
static int heldout_episode(worker *w, uint64_t i, sim_record *r, double *ret) {
    const experiment *x = w->t->x;
    sim_result res;
    int rc = x->isolate ? isolate_episode(&w->sim, i, &res, &w->err) : sim_episode(&w->sim, i, &res, &w->err) ? -1 : 0;
    if (rc == ISOLATE_FAILED && x->on_crash_continue) {
        fprintf(stderr, "warning: held-out episode %llu: %s; scored run.crash_return = %g\n", (unsigned long long)i + 1,
                w->err.msg, x->crash_return);
        errmsg_clear(&w->err);
        *ret = x->crash_return;
        return 0;
    }
    if (rc || (r && record_episode_end(r, &res, &w->err))) return -1;
    *ret = res.ret;
    return 0;
}

/* A worker's share of the held-out evaluation: episodes claimed one at a
 * time, this rank's every ranks-th. */
static void *work_heldout(void *arg) {
    worker *w = arg;
    trainer *t = w->t;
    sim_heldout(&w->sim, 1);
    w->sim.online.l = NULL; /* evaluate the parameters, not further plasticity */
    if (sim_set_theta(&w->sim, t->eval_theta, &w->err)) return w->failed = 1, NULL;
    for (;;) {
        uint64_t i = (uint64_t)atomic_fetch_add(&t->next, 1u) * (uint64_t)t->ranks + (uint64_t)t->rank;
        if (i >= t->x->eval_episodes) break;
        if (heldout_episode(w, i, NULL, &t->eval[i])) return w->failed = 1, NULL;
    }
    return NULL;
}

/* The recording's end: initial and learned parameters, then every held-out
 * episode on worker 0, in order. 0 or -1 with e set. */
static int heldout_recorded(trainer *t, sim_record *r, errmsg *e) {
    worker *w = &t->w[0];
    const char **names = calloc(t->n ? t->n : 1, sizeof *names);
    if (!names) return errmsg_set(e, "out of memory");
    for (uint32_t k = 0; k < t->n; k++) names[k] = t->names + (size_t)k * TRAINER_NAME_MAX;
    int rc = record_parameters(r, names, t->theta0, t->eval_theta, t->n, e);
    free(names);
    if (rc) return -1;
    sim_observer ob = record_observer(r);
    sim_heldout(&w->sim, 1);
    w->sim.online.l = NULL;
    if (sim_set_theta(&w->sim, t->eval_theta, e) || sim_observe(&w->sim, &ob)) return -1;
    for (uint64_t i = 0; i < t->x->eval_episodes; i++)
        if (heldout_episode(w, i, r, &t->eval[i])) return errmsg_set(e, "%s", w->err.msg);
    return 0;
}

/* After training: the held-out evaluation (train.eval) of the learner's
 * estimate, x->eval_episodes episodes in the held-out stream domain
 * (sim_heldout), the same as `animat eval FILE --theta OUT`: into the
 * recording when there is one, else spread over the workers and ranks and
 * combined by index (bit-identical either way). Appends to the curve and
 * writes into line "held-out mean return M (min A, max B) over N episodes".
 * With `recorded`, only the rank holding the recording r evaluates. 0 or -1. */
static int heldout(trainer *t, sim_record *r, int recorded, FILE *curve, char *line, size_t cap, errmsg *e) {
    uint64_t n = t->x->eval_episodes;
    if (recorded && !r) return 0; /* another rank records it */
    double *theta = current_theta(t, e);
    if (!theta) return -1;
    t->eval_theta = theta;
    int rc = 0;
    if (r) {
        rc = heldout_recorded(t, r, e);
    } else if (n) {
        atomic_store(&t->next, 0u);
        uint32_t started = 0;
        for (uint32_t i = 1; i < t->nw && i < n; i++, started++)
            if (pthread_create(&t->w[i].thread, NULL, work_heldout, &t->w[i])) break;
        work_heldout(&t->w[0]);
        for (uint32_t i = 1; i <= started; i++) pthread_join(t->w[i].thread, NULL);
        for (uint32_t i = 0; !rc && i < t->nw; i++)
            if (t->w[i].failed) rc = errmsg_set(e, "%s", t->w[i].err.msg);
        if (!rc && ranks_sum(t->eval, (uint32_t)n)) rc = errmsg_set(e, "MPI reduction failed");
    }
    free(theta);
    t->eval_theta = NULL;
    if (rc || !n) return rc;
    double sum = 0, lo = t->eval[0], hi = t->eval[0];
    for (uint64_t i = 0; i < n; i++) {
        sum += t->eval[i];
        lo = t->eval[i] < lo ? t->eval[i] : lo, hi = t->eval[i] > hi ? t->eval[i] : hi;
    }
    double mean = sum / (double)n;
    if (r && record_role(r, "held-out evaluation", n, mean, e)) return -1;
    snprintf(line, cap, "held-out mean return %.3f (min %.3f, max %.3f) over %llu episodes\n", mean, lo, hi,
             (unsigned long long)n);
    if (curve) {
        fprintf(curve, "# held-out mean return %.17g (min %.17g, max %.17g) over %llu episodes\n", mean, lo, hi,
                (unsigned long long)n);
        if (fflush(curve) || ferror(curve)) return errmsg_set(e, "%s: write failed: %s", t->x->curve, strerror(errno));
    }
    return 0;
}

int trainer_run(const experiment *x, const trainer_opts *o, FILE *out, errmsg *e) {
    char outpath[4096];
    if (x->output)
        snprintf(outpath, sizeof outpath, "%s", x->output);
    else
        default_output(x->file, outpath, sizeof outpath);
    if (precheck(x, o, e) || (!o->dry && check_outputs(x, outpath, e)) || check_record(x, o, outpath, e)) return -1;
    if (x->eval_episodes > UINT32_MAX) return errmsg_set(e, "%s: train.eval.episodes is too large", x->file);
    trainer t;
    memset(&t, 0, sizeof t);
    int rc = -1, interrupted = 0, root = ranks_rank() == 0;
    FILE *curve = NULL;
    sim_record *rec = NULL;
    checkpoint ck;
    memset(&ck, 0, sizeof ck);
    if (!root) out = NULL;
    if (setup(&t, x, o->threads ? o->threads : x->threads, e)) goto done;
    ck.n_theta = t.n;
    ck.fingerprint = fingerprint(&t);
    if (!(ck.plugins = plugins_text(x))) {
        errmsg_set(e, "out of memory");
        goto done;
    }
    ck.best_return = -INFINITY;
    if (o->resume && resume(&t, &ck, out, e)) goto done;
    if (o->resume && ck.epochs_done > x->epochs) {
        errmsg_set(e, "%s: the checkpoint is at epoch %llu, past train.epochs %llu: nothing to resume and no file "
                      "written (resume with --epochs %llu or more, or train afresh without --resume)",
                   x->checkpoint, (unsigned long long)ck.epochs_done, (unsigned long long)x->epochs,
                   (unsigned long long)ck.epochs_done);
        goto done;
    }
    if (root && !o->dry && !o->resume &&
        (move_aside(x->checkpoint, "checkpoint", out, e) || move_aside(x->curve, "curve", out, e)))
        goto done;
    if (root && !o->dry && x->curve && !(curve = open_curve(&t, o->command, o->resume, &ck, e))) goto done;
    if (root && o->record && !(rec = open_record(&t, o, e))) goto done;
    if (out && !o->resume)
        fprintf(out, "training %s: learner %s, %u candidates per epoch, %u parameters, %u thread%s x %d rank%s\n",
                x->file, x->learner.plugin->desc->name, t.P, t.n, t.nw, t.nw == 1 ? "" : "s", t.ranks,
                t.ranks == 1 ? "" : "s");
    char line[256] = "";
    double start = runner_now(), t0 = start - ck.elapsed;
    uint64_t first = ck.epochs_done, share = (t.P + (uint32_t)(t.ranks - t.rank) - 1) / (uint32_t)t.ranks;
    progress_begin(&t.pg, root ? o->progress : NULL, "train", "candidates", first * share, x->epochs * share);
    for (t.epoch = ck.epochs_done; t.epoch < x->epochs; t.epoch++) {
        if (epoch_step(&t, e)) goto done;
        progress_clear(&t.pg);
        if (epoch_record(&t, &ck, t0, curve, out, o->quiet, e)) goto done;
        if (rec && record_epoch(rec, t.epoch, t.returns, t.P, ck.steps, e)) goto done;
        /* Stop requests are agreed on by every rank. */
        interrupted = ranks_max(stop_requested ? 1 : 0);
        int last = ck.epochs_done == x->epochs, due = !o->dry && x->checkpoint && ck.epochs_done % x->checkpoint_every == 0;
        /* the held-out evaluation before the last checkpoint, so the curve it saves covers its line */
        if (last && !interrupted && heldout(&t, rec, o->record != NULL, curve, line, sizeof line, e)) goto done;
        if (last && curve) ck.curve_bytes = (uint64_t)ftell(curve);
        if (root && x->checkpoint && (interrupted || last || due) && save_checkpoint(&t, &ck, e)) goto done;
        if (root && !o->dry && (interrupted || last || due) && write_params(&t, outpath, ck.epochs_done, o->command, e))
            goto done;
        if (interrupted) break;
    }
    /* a resume with nothing left still writes the parameters it reports */
    if (root && !o->dry && first == x->epochs && o->resume &&
        write_params(&t, outpath, ck.epochs_done, o->command, e))
        goto done;
    if (first == x->epochs && heldout(&t, rec, o->record != NULL, NULL, line, sizeof line, e)) goto done;
    if (rec) {
        sim_record *r = rec;
        rec = NULL; /* record_commit frees it, even when it fails */
        if (record_commit(r, e)) goto done;
    }
    progress_end(&t.pg);
    if (!o->dry) print_end(x, &ck, interrupted, outpath, out);
    if (out) fputs(line, out);
    if (o->record && root && out) fprintf(out, "recording written to %s\n", o->record);
    if (o->stats) *o->stats = (trainer_stats){ck.epochs_done, ck.episodes, ck.steps, runner_now() - start};
    rc = interrupted ? TRAINER_INTERRUPTED : 0;
done:
    progress_end(&t.pg);
    free(ck.plugins);
    record_abort(rec);
    if (curve) fclose(curve);
    teardown(&t);
    return rc;
}
