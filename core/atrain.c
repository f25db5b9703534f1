/* atrain.c -- see atrain.h. */
#include "atrain.h"

#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ackpt.h"
#include "ahost.h"
#include "aiso.h"
#include "ampi.h"
#include "arun.h"
#include "asim.h"

#ifndef ANIMAT_VERSION
#define ANIMAT_VERSION "0.0.0"
#endif

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig) {
    (void)sig;
    stop_requested = 1;
}

void atrain_handle_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* One evaluation worker: its own simulation, and its share of an epoch. */
typedef struct worker {
    asim sim;
    aerr err;
    int failed;
    struct trainer *t;
    pthread_t thread;
} worker;

/* Everything one training run holds. */
typedef struct trainer {
    const aexp *x;
    const animat_learner_api *lapi;
    void *learner;
    ahost lhost;            /* the learner's host table */
    uint32_t P, n;          /* population, theta length */
    double *thetas;         /* P x n candidates */
    double *returns, *steps;/* P each (steps as doubles for the MPI sum) */
    worker *w;
    uint32_t nw;
    uint64_t epoch;
    atomic_uint next;       /* next candidate to claim this epoch */
    int rank, ranks;
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
        asim_result r;
        uint64_t ep = episode_of(t, k, j);
        int rc = t->x->isolate ? aiso_episode(&w->sim, ep, &r, &w->err) : asim_episode(&w->sim, ep, &r, &w->err) ? -1 : 0;
        if (rc == AISO_FAILED && t->x->on_crash_continue) {
            /* run.on_crash: continue -- score the candidate and go on. */
            fprintf(stderr, "warning: epoch %llu candidate %u: %s; scored run.crash_return = %g\n",
                    (unsigned long long)t->epoch + 1, k, w->err.msg, t->x->crash_return);
            aerr_clear(&w->err);
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
        if (asim_set_theta(&w->sim, t->thetas + (size_t)k * t->n, &w->err) ||
            score(w, k, &t->returns[k], &t->steps[k])) {
            w->failed = 1;
            break;
        }
    }
    return NULL;
}

/* Evaluate one epoch's candidates on all workers; combine over ranks. */
static int evaluate(trainer *t, aerr *e) {
    memset(t->returns, 0, t->P * sizeof *t->returns);
    memset(t->steps, 0, t->P * sizeof *t->steps);
    atomic_store(&t->next, 0u);
    uint32_t started = 0;
    for (uint32_t i = 1; i < t->nw; i++, started++)
        if (pthread_create(&t->w[i].thread, NULL, work, &t->w[i])) break;
    work(&t->w[0]);
    for (uint32_t i = 1; i <= started; i++) pthread_join(t->w[i].thread, NULL);
    for (uint32_t i = 0; i < t->nw; i++)
        if (t->w[i].failed) return aerr_set(e, "%s", t->w[i].err.msg);
    if (ampi_sum(t->returns, t->P) || ampi_sum(t->steps, t->P)) return aerr_set(e, "MPI reduction failed");
    return 0;
}

/* Configuration fingerprint: resuming with another setup is refused. */
static uint64_t fingerprint(const trainer *t) {
    const aexp *x = t->x;
    uint64_t h = ACKPT_FNV_INIT;
    const char *names[3] = {x->body.plugin->desc->name, x->circuit.plugin->desc->name, x->learner.plugin->desc->name};
    for (int i = 0; i < 3; i++) h = ackpt_fnv(h, names[i], strlen(names[i]) + 1);
    const apar_set *ps[3] = {&x->body.params, &x->circuit.params, &x->learner.params};
    for (int i = 0; i < 3; i++)
        for (uint32_t k = 0; k < ps[i]->n; k++) {
            h = ackpt_fnv(h, &ps[i]->v[k].real, sizeof(double));
            h = ackpt_fnv(h, ps[i]->v[k].list, ps[i]->v[k].nlist * sizeof(double));
        }
    h = ackpt_fnv(h, &x->seed, sizeof x->seed);
    h = ackpt_fnv(h, &t->P, sizeof t->P);
    h = ackpt_fnv(h, &t->n, sizeof t->n);
    if (x->episodes_per_candidate > 1 || x->common_episodes) { /* absent before they existed */
        h = ackpt_fnv(h, &x->episodes_per_candidate, sizeof x->episodes_per_candidate);
        h = ackpt_fnv(h, &x->common_episodes, sizeof x->common_episodes);
    }
    return h;
}

/* The parameter file `animat run` reads back (YAML, 17 significant digits). */
static int write_params(trainer *t, const char *path, uint64_t epochs, const char *command, aerr *e) {
    double *theta = malloc((t->n ? t->n : 1) * sizeof *theta);
    if (!theta) return aerr_set(e, "out of memory");
    if (t->lapi->current(t->learner, theta) != ANIMAT_OK) {
        free(theta);
        return aerr_set(e, "learner (%s): current() failed: %s", t->x->learner.plugin->desc->name,
                        ahost_take_error(&t->lhost));
    }
    char *buf = NULL, *prov = arun_provenance(t->x, command);
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        free(theta);
        free(prov);
        return aerr_set(e, "out of memory");
    }
    fprintf(f, "# circuit parameters trained by animat: learner %s %s, %llu epochs\n",
            t->x->learner.plugin->desc->name, t->x->learner.plugin->desc->version, (unsigned long long)epochs);
    arun_fprint_comment(f, prov);
    fprintf(f, "circuit: %s\ntheta: [", t->x->circuit.plugin->desc->name);
    for (uint32_t i = 0; i < t->n; i++) fprintf(f, "%s%.17g", i ? ", " : "", theta[i]);
    fprintf(f, "]\n");
    int rc = fclose(f) ? aerr_set(e, "out of memory") : ackpt_write_file(path, buf, len, e);
    free(buf);
    free(prov);
    free(theta);
    return rc;
}

/* Save a checkpoint of the state after `epochs_done` epochs. */
static int checkpoint(trainer *t, ackpt *c, aerr *e) {
    const animat_learner_api *l = t->lapi;
    if (!AREG_HAS(l, animat_learner_api, state_size) || !AREG_HAS(l, animat_learner_api, save))
        return aerr_set(e, "learner (%s) cannot save its state, so train.checkpoint cannot be used",
                        t->x->learner.plugin->desc->name);
    uint64_t size = l->state_size(t->learner);
    void *buf = malloc(size ? size : 1);
    if (!buf) return aerr_set(e, "out of memory");
    if (l->save(t->learner, buf, size) != ANIMAT_OK) {
        free(buf);
        return aerr_set(e, "learner (%s): save failed: %s", t->x->learner.plugin->desc->name,
                        ahost_take_error(&t->lhost));
    }
    c->state = buf;
    c->state_size = size;
    int rc = ackpt_save(t->x->checkpoint, c, e);
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
static int setup(trainer *t, const aexp *x, uint64_t threads, aerr *e) {
    t->x = x;
    t->rank = ampi_rank();
    t->ranks = ampi_size();
    const animat_plugin_desc *ld = x->learner.plugin->desc;
    t->lapi = ld->api;
    int online = AREG_HAS(t->lapi, animat_learner_api, online_step) &&
                 AREG_HAS(t->lapi, animat_learner_api, online_reset);
    t->nw = online ? 1 : (uint32_t)threads;
    t->w = calloc(t->nw, sizeof *t->w);
    if (!t->w) return aerr_set(e, "out of memory");
    for (uint32_t i = 0; i < t->nw; i++) {
        t->w[i].t = t;
        if (asim_create(&t->w[i].sim, x, e)) return -1;
    }
    /* The learner starts from worker 0's circuit theta. */
    asim *s0 = &t->w[0].sim;
    t->n = s0->ntheta;
    double *theta0 = calloc(t->n ? t->n : 1, sizeof *theta0);
    if (!theta0) return aerr_set(e, "out of memory");
    if (asim_get_theta(s0, theta0, e)) {
        free(theta0);
        return -1;
    }
    const animat_circuit_api *c = x->circuit.plugin->desc->api;
    uint32_t ni = 0;
    const animat_param_info *info = c->theta_info(s0->circuit.self, &ni);
    if (ahost_init(&t->lhost, AHOST_ROLE_LEARNER, "learner", ld->name, &x->learner.params)) {
        free(theta0);
        return aerr_set(e, "out of memory");
    }
    ahost_reseed(&t->lhost, x->seed, AHOST_EPISODE_CREATE);
    t->learner = t->lapi->create(&t->lhost.table, t->n, info, theta0);
    free(theta0);
    if (!t->learner) {
        const ydoc *n = x->learner.node;
        return aerr_at(e, n->file, n->line, n->col, "learner (%s): create failed: %s", ld->name,
                       ahost_take_error(&t->lhost));
    }
    t->P = t->lapi->population(t->learner);
    if (t->P < 1 || t->P > (1u << 24))
        return aerr_set(e, "learner (%s): population() returned %u", ld->name, t->P);
    if (online && x->isolate)
        return aerr_set(e, "learner (%s) learns online, which cannot run with run.isolate: true (its updates would "
                           "stay in the child process)", ld->name);
    if (online && (t->P != 1 || t->ranks != 1))
        return aerr_set(e, "learner (%s) learns online: it needs population 1 and a single MPI rank", ld->name);
    if (online && asim_attach_online(s0, t->lapi, t->learner, &t->lhost, e)) return -1;
    t->thetas = calloc((size_t)t->P * (t->n ? t->n : 1), sizeof *t->thetas);
    t->returns = calloc(t->P, sizeof *t->returns);
    t->steps = calloc(t->P, sizeof *t->steps);
    if (!t->thetas || !t->returns || !t->steps) return aerr_set(e, "out of memory");
    return 0;
}

static void teardown(trainer *t) {
    for (uint32_t i = 0; t->w && i < t->nw; i++) asim_destroy(&t->w[i].sim);
    free(t->w);
    if (t->learner) t->lapi->destroy(t->learner);
    ahost_fini(&t->lhost);
    free(t->thetas);
    free(t->returns);
    free(t->steps);
}

/* Open the curve for appending (truncated to `keep` bytes on resume), or
 * create it with provenance and a header. NULL with e set. */
static FILE *open_curve(const trainer *t, const char *command, int resume, uint64_t keep, aerr *e) {
    const char *path = t->x->curve;
    if (resume) {
        if (truncate(path, (off_t)keep)) {
            aerr_set(e, "%s: cannot truncate the learning curve to the checkpoint: %s", path, strerror(errno));
            return NULL;
        }
        FILE *f = fopen(path, "a");
        if (!f) aerr_set(e, "%s: cannot append: %s", path, strerror(errno));
        return f;
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        aerr_set(e, "%s: cannot write the learning curve: %s", path, strerror(errno));
        return NULL;
    }
    char *prov = arun_provenance(t->x, command);
    arun_fprint_comment(f, prov);
    free(prov);
    fprintf(f, "# learner: %s %s, population %u, parameters %u\n", t->x->learner.plugin->desc->name,
            t->x->learner.plugin->desc->version, t->P, t->n);
    fprintf(f, "epoch,episodes,env_steps,best_return,mean_return,elapsed_s\n");
    fflush(f);
    return f;
}

int atrain_run(const aexp *x, const atrain_opts *o, FILE *out, aerr *e) {
    if (!x->learner.plugin) return aerr_set(e, "%s: no learner block: `animat train` needs learner: {plugin: ...}", x->file);
    const ydoc *re = ydoc_key(ydoc_get(x->doc, "run"), "episodes");
    if (re) /* train runs train.episodes_per_candidate episodes per candidate, never run.episodes */
        return aerr_at(e, re->file, re->line, re->col, "run.episodes is not used by animat train; "
                       "set train.episodes_per_candidate (episodes averaged per candidate) instead");
    if (o->resume && !x->checkpoint) return aerr_set(e, "%s: --resume needs train.checkpoint to be set", x->file);
    trainer t;
    memset(&t, 0, sizeof t);
    int rc = -1;
    FILE *curve = NULL;
    ackpt ck;
    memset(&ck, 0, sizeof ck);
    int root = ampi_rank() == 0;
    if (!root) out = NULL;
    if (setup(&t, x, o->threads ? o->threads : x->threads, e)) goto done;
    ck.n_theta = t.n;
    ck.fingerprint = fingerprint(&t);
    ck.best_return = -INFINITY;

    /* Resume: restore the learner and counters from the checkpoint. */
    if (o->resume) {
        ackpt in;
        if (ackpt_load(x->checkpoint, &in, e)) goto done;
        if (in.fingerprint != ck.fingerprint || in.n_theta != t.n) {
            ackpt_free(&in);
            aerr_set(e, "%s: checkpoint was written by a different experiment setup (plugins, parameters, seed "
                        "or population differ)", x->checkpoint);
            goto done;
        }
        if (!AREG_HAS(t.lapi, animat_learner_api, load) ||
            t.lapi->load(t.learner, in.state, in.state_size) != ANIMAT_OK) {
            aerr_set(e, "learner (%s): cannot load the checkpoint state: %s", x->learner.plugin->desc->name,
                     ahost_take_error(&t.lhost));
            ackpt_free(&in);
            goto done;
        }
        ackpt_free(&in);
        ck = in;
        ck.state = NULL;
        if (out)
            fprintf(out, "resuming %s from %s after epoch %llu\n", x->file, x->checkpoint,
                    (unsigned long long)ck.epochs_done);
    }
    if (root && x->curve && !(curve = open_curve(&t, o->command, o->resume, ck.curve_bytes, e))) goto done;
    char outpath[4096];
    if (x->output)
        snprintf(outpath, sizeof outpath, "%s", x->output);
    else
        default_output(x->file, outpath, sizeof outpath);
    if (out && !o->resume)
        fprintf(out, "training %s: learner %s, %u candidates per epoch, %u parameters, %u thread%s x %d rank%s\n",
                x->file, x->learner.plugin->desc->name, t.P, t.n, t.nw, t.nw == 1 ? "" : "s", t.ranks,
                t.ranks == 1 ? "" : "s");

    double start = arun_now(), t0 = start - ck.elapsed;
    int interrupted = 0;
    for (t.epoch = ck.epochs_done; t.epoch < x->epochs; t.epoch++) {
        /* Ask, evaluate, tell. */
        ahost_reseed(&t.lhost, x->seed, t.epoch);
        if (t.lapi->ask(t.learner, t.thetas) != ANIMAT_OK) {
            aerr_set(e, "learner (%s): ask failed in epoch %llu: %s", x->learner.plugin->desc->name,
                     (unsigned long long)t.epoch + 1, ahost_take_error(&t.lhost));
            goto done;
        }
        if (evaluate(&t, e)) goto done;
        if (t.lapi->tell(t.learner, t.returns) != ANIMAT_OK) {
            aerr_set(e, "learner (%s): tell failed in epoch %llu: %s", x->learner.plugin->desc->name,
                     (unsigned long long)t.epoch + 1, ahost_take_error(&t.lhost));
            goto done;
        }
        /* Statistics, curve, progress. */
        double best = -INFINITY, mean = 0;
        for (uint32_t k = 0; k < t.P; k++) {
            best = t.returns[k] > best ? t.returns[k] : best;
            mean += t.returns[k] / t.P;
            ck.steps += (uint64_t)t.steps[k];
        }
        ck.episodes += t.P * x->episodes_per_candidate;
        ck.epochs_done = t.epoch + 1;
        if (best > ck.best_return) ck.best_return = best;
        ck.elapsed = arun_now() - t0;
        if (curve) {
            fprintf(curve, "%llu,%llu,%llu,%.17g,%.17g,%.3f\n", (unsigned long long)ck.epochs_done,
                    (unsigned long long)ck.episodes, (unsigned long long)ck.steps, best, mean, ck.elapsed);
            if (fflush(curve) || ferror(curve)) {
                aerr_set(e, "%s: write failed: %s", x->curve, strerror(errno));
                goto done;
            }
            ck.curve_bytes = (uint64_t)ftell(curve);
        }
        if (out && !o->quiet) {
            double left = ck.elapsed / (double)ck.epochs_done * (double)(x->epochs - ck.epochs_done);
            fprintf(out, "epoch %llu/%llu  episodes %llu  steps %llu  best %.3f  mean %.3f  elapsed %.1f s  ETA %.0f s\n",
                    (unsigned long long)ck.epochs_done, (unsigned long long)x->epochs,
                    (unsigned long long)ck.episodes, (unsigned long long)ck.steps, best, mean, ck.elapsed, left);
            fflush(out);
        }
        /* Stop requests are agreed on by every rank. */
        interrupted = ampi_max(stop_requested ? 1 : 0);
        int last = ck.epochs_done == x->epochs;
        if (root && x->checkpoint && (interrupted || last || ck.epochs_done % x->checkpoint_every == 0)) {
            if (checkpoint(&t, &ck, e)) goto done;
        }
        if (root && (interrupted || last || (x->checkpoint && ck.epochs_done % x->checkpoint_every == 0)))
            if (write_params(&t, outpath, ck.epochs_done, o->command, e)) goto done;
        if (interrupted) break;
    }
    if (out) {
        if (interrupted)
            fprintf(out, "interrupted after epoch %llu%s%s; parameters written to %s\n",
                    (unsigned long long)ck.epochs_done, x->checkpoint ? "; checkpoint written to " : "",
                    x->checkpoint ? x->checkpoint : "", outpath);
        else
            fprintf(out, "trained %llu epochs (%llu episodes, %llu steps) in %.1f s (%.1f episodes/s); best candidate "
                         "return %.3f; parameters written to %s\n",
                    (unsigned long long)ck.epochs_done, (unsigned long long)ck.episodes,
                    (unsigned long long)ck.steps, ck.elapsed, ck.elapsed > 0 ? (double)ck.episodes / ck.elapsed : 0.0,
                    ck.best_return, outpath);
    }
    if (o->stats) *o->stats = (atrain_stats){ck.epochs_done, ck.episodes, ck.steps, arun_now() - start};
    rc = interrupted ? ATRAIN_INTERRUPTED : 0;
done:
    if (curve) fclose(curve);
    teardown(&t);
    return rc;
}
