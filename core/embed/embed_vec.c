/* embed_vec.c -- animat_vec: step many handles at once on a pool of threads
 * (animat/embed.h). The threads take handles in turn from a shared counter
 * (a thread the system runs late takes fewer; the call ends when every
 * worker has checked in and the handles taken are done); each handle's
 * result depends on the handle alone (its episode may continue on any
 * thread), so the results do not depend on the thread count or on who took
 * what. Between calls the pool's workers spin up to 50 us on the call
 * counter (the caller's next batch usually comes by then), then sleep on a
 * condition variable; the caller waits for the last one the same way. No
 * spinning with more threads than online CPUs. */
#include "embed/embed_impl.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* One call's work, shared by the threads. */
typedef struct vec_job {
    animat_exp *const *xs;
    uint32_t n, na, no;
    const double *act;
    double *obs, *reward;
    uint32_t *flags;
    int *rc;                /* n codes */
} vec_job;

#define VEC_SPIN_NS 50000 /* how long a thread polls a counter before it sleeps */

struct animat_vec {
    uint32_t threads;
    pthread_t *tid;         /* threads - 1 workers */
    pthread_mutex_t mu;
    pthread_cond_t go, done;
    _Alignas(64) _Atomic uint64_t gen; /* incremented per call (under mu) */
    _Alignas(64) _Atomic uint32_t next; /* the next handle to take */
    _Alignas(64) _Atomic uint32_t pending; /* workers still busy with this call */
    _Atomic int quit;
    int64_t spin_ns;        /* VEC_SPIN_NS, or 0 with more threads than online CPUs (spinning would
                               take the CPU from a thread with work) */
    vec_job job;
    int *rc;                /* capacity ncap */
    uint32_t ncap;
};

typedef struct vec_worker {
    animat_vec *v;
    uint32_t k;
} vec_worker;

/* Step (or autoreset) handle i of the job. */
static int step_one(const vec_job *j, uint32_t i) {
    animat_exp *h = j->xs[i];
    double *obs = j->obs + (size_t)i * j->no;
    if (h->state == EMBED_ENDED) {
        j->reward[i] = 0;
        j->flags[i] = ANIMAT_EMBED_RESET;
        return animat_reset(h, h->x.seed, h->episode + 1, obs, j->no);
    }
    return animat_step(h, j->act + (size_t)i * j->na, j->na, obs, j->no, &j->reward[i], &j->flags[i]);
}

/* Take handles until none is left. */
static void run_share(animat_vec *v) {
    const vec_job *j = &v->job;
    for (uint32_t i; (i = atomic_fetch_add_explicit(&v->next, 1, memory_order_relaxed)) < j->n;)
        j->rc[i] = step_one(j, i);
}

static inline void cpu_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Spin until *a differs from `from` (1) or ns passed (0). */
static int spin_u64(_Atomic uint64_t *a, uint64_t from, int64_t ns) {
    for (int64_t end = ns ? now_ns() + ns : 0;; cpu_pause()) {
        if (atomic_load_explicit(a, memory_order_acquire) != from) return 1;
        if (now_ns() > end) return 0;
    }
}

/* Spin until *a is 0 or ns passed. */
static void spin_zero(_Atomic uint32_t *a, int64_t ns) {
    if (!ns) return;
    for (int64_t end = now_ns() + ns; atomic_load_explicit(a, memory_order_acquire) && now_ns() <= end;)
        cpu_pause();
}

static void *worker(void *arg) {
    vec_worker w = *(vec_worker *)arg;
    free(arg);
    animat_vec *v = w.v;
    uint64_t seen = 0;
    for (;;) {
        if (!spin_u64(&v->gen, seen, v->spin_ns)) {
            pthread_mutex_lock(&v->mu);
            while (!atomic_load(&v->quit) && atomic_load(&v->gen) == seen) pthread_cond_wait(&v->go, &v->mu);
            pthread_mutex_unlock(&v->mu);
        }
        if (atomic_load(&v->quit)) break;
        seen = atomic_load_explicit(&v->gen, memory_order_acquire);
        run_share(v);
        if (atomic_fetch_sub_explicit(&v->pending, 1, memory_order_acq_rel) == 1) {
            pthread_mutex_lock(&v->mu); /* the caller may be asleep: wake it under mu (no lost wake-up) */
            pthread_cond_signal(&v->done);
            pthread_mutex_unlock(&v->mu);
        }
    }
    return NULL;
}

int animat_vec_create(animat_vec **out, uint32_t threads, char *msg, size_t cap) {
    *out = NULL;
    if (threads < 1 || threads > 1024) {
        if (cap) snprintf(msg, cap, "threads must be in [1, 1024], not %u", threads);
        return ANIMAT_EMBED_EINPUT;
    }
    animat_vec *v = aligned_alloc(_Alignof(animat_vec), sizeof *v); /* its counters on their own cache lines */
    if (v) memset(v, 0, sizeof *v);
    if (!v || !(v->tid = calloc(threads, sizeof *v->tid))) {
        free(v);
        if (cap) snprintf(msg, cap, "out of memory");
        return ANIMAT_EMBED_ENOMEM;
    }
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    v->spin_ns = cpus > 0 && threads <= (uint32_t)cpus ? VEC_SPIN_NS : 0;
    pthread_mutex_init(&v->mu, NULL);
    pthread_cond_init(&v->go, NULL);
    pthread_cond_init(&v->done, NULL);
    for (uint32_t k = 1; k < threads; k++) {
        vec_worker *w = malloc(sizeof *w);
        if (w) *w = (vec_worker){v, k};
        if (!w || pthread_create(&v->tid[k], NULL, worker, w)) {
            free(w);
            v->threads = k;
            animat_vec_destroy(v);
            if (cap) snprintf(msg, cap, "cannot start thread %u of %u", k + 1, threads);
            return ANIMAT_EMBED_ENOMEM;
        }
        v->threads = k + 1;
    }
    v->threads = threads;
    *out = v;
    return 0;
}

void animat_vec_destroy(animat_vec *v) {
    if (!v) return;
    pthread_mutex_lock(&v->mu);
    atomic_store(&v->quit, 1);
    atomic_fetch_add(&v->gen, 1);
    pthread_cond_broadcast(&v->go);
    pthread_mutex_unlock(&v->mu);
    for (uint32_t k = 1; k < v->threads; k++) pthread_join(v->tid[k], NULL);
    pthread_mutex_destroy(&v->mu);
    pthread_cond_destroy(&v->go);
    pthread_cond_destroy(&v->done);
    free(v->tid);
    free(v->rc);
    free(v);
}

/* Numbers the animat_vec_step calls of the process: a handle already stamped
 * by this call is in the array twice (two threads would step it at once). */
static _Atomic uint64_t vec_calls;

/* Every handle has an agent of the same sizes and appears once. 0, or the
 * failing index + 1. */
static uint32_t check_handles(animat_exp *const *xs, uint32_t n, char *msg, size_t cap) {
    uint64_t stamp = atomic_fetch_add_explicit(&vec_calls, 1, memory_order_relaxed) + 1;
    for (uint32_t i = 0; i < n; i++) {
        const char *why = !xs[i] ? "is NULL" : xs[i]->agent < 0 ? "has no agent"
                          : xs[i]->nobs != xs[0]->nobs || xs[i]->nact != xs[0]->nact ? "differs in its sizes from 0"
                          : xs[i]->vec_stamp == stamp ? "appears twice (each handle at most once per call)"
                                                      : NULL;
        if (!why) xs[i]->vec_stamp = stamp;
        if (why) {
            if (cap) snprintf(msg, cap, "vector step: handle %u %s", i, why);
            return i + 1;
        }
    }
    return 0;
}

int animat_vec_step(animat_vec *v, animat_exp *const *xs, uint32_t n, const double *act, double *obs,
                    double *reward, uint32_t *flags, char *msg, size_t cap) {
    uint32_t bad = check_handles(xs, n, msg, cap);
    if (bad) return -(int)bad;
    if (n > v->ncap) {
        int *rc = realloc(v->rc, n * sizeof *rc);
        if (!rc) {
            if (cap) snprintf(msg, cap, "out of memory");
            return -1;
        }
        v->rc = rc;
        v->ncap = n;
    }
    v->job = (vec_job){xs, n, n ? xs[0]->nact : 0, n ? xs[0]->nobs : 0, act, obs, reward, flags, v->rc};
    atomic_store_explicit(&v->next, 0, memory_order_relaxed);
    int helped = v->threads > 1 && n > 1;
    if (helped) {
        atomic_store_explicit(&v->pending, v->threads - 1, memory_order_relaxed);
        pthread_mutex_lock(&v->mu);
        atomic_fetch_add_explicit(&v->gen, 1, memory_order_release); /* publishes the job */
        pthread_cond_broadcast(&v->go);
        pthread_mutex_unlock(&v->mu);
    }
    run_share(v);
    if (helped) {
        spin_zero(&v->pending, v->spin_ns);
        pthread_mutex_lock(&v->mu);
        while (atomic_load_explicit(&v->pending, memory_order_acquire)) pthread_cond_wait(&v->done, &v->mu);
        pthread_mutex_unlock(&v->mu);
    }
    for (uint32_t i = 0; i < n; i++)
        if (v->rc[i]) {
            if (cap) snprintf(msg, cap, "env %u: %s", i, animat_errmsg(xs[i]));
            return -(int)(i + 1);
        }
    return 0;
}
