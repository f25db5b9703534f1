/* record_writer.c -- the recording's writer thread (see record_impl.h):
 * chunk compression and HDF5 writes happen beside the step loop, not in it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/h5util.h"
#include "sim/record_impl.h"

/* The samples of a job, one block per signal. */
static int write_samples(sim_record *r, const rec_job *j) {
    for (uint32_t i = 0; j->fill && i < r->nsig; i++) {
        rec_sig *g = &r->sig[i];
        hsize_t start[3] = {j->ep, j->k0, 0}, count[3] = {1, j->fill, g->n};
        errno = 0;
        if (rec_write_block(g->ds, 3, start, count, H5T_NATIVE_DOUBLE, g->chunk[j->buf])) {
            snprintf(r->err, sizeof r->err, "%s: cannot write %s: %s", r->af.tmp, g->name, rec_why());
            return -1;
        }
    }
    if (j->k0 + j->fill > r->T) r->T = j->k0 + j->fill;
    return 0;
}

/* An episode's end: its return and length, every signal extended to cover
 * it (even one that took no sample), everything flushed to the file. */
static int end_episode(sim_record *r, const rec_job *j) {
    hsize_t start[1] = {j->ep}, count[1] = {1};
    errno = 0;
    if (rec_write_block(r->ds_ret, 1, start, count, H5T_NATIVE_DOUBLE, &j->ret) ||
        rec_write_block(r->ds_steps, 1, start, count, H5T_NATIVE_UINT64, &j->steps)) {
        snprintf(r->err, sizeof r->err, "%s: cannot write the episode's return: %s", r->af.tmp, rec_why());
        return -1;
    }
    for (uint32_t i = 0; i < r->nsig; i++) {
        hsize_t dims[3] = {j->ep + 1, r->T, r->sig[i].n};
        if (H5Dset_extent(r->sig[i].ds, dims) < 0) {
            snprintf(r->err, sizeof r->err, "%s: cannot extend %s", r->af.tmp, r->sig[i].name);
            return -1;
        }
    }
    errno = 0;
    if (H5Fflush(r->file, H5F_SCOPE_GLOBAL) < 0) {
        snprintf(r->err, sizeof r->err, "%s: write failed: %s", r->af.tmp, rec_why());
        return -1;
    }
    return 0;
}

/* The thread: run each posted job; after a failure, skip the rest. */
static void *writer(void *arg) {
    sim_record *r = arg;
    h5util_quiet(); /* error stacks are per thread */
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (!r->busy && !r->quit) pthread_cond_wait(&r->cv, &r->mu);
        if (!r->busy) break;
        rec_job j = r->job;
        int failed = r->failed;
        pthread_mutex_unlock(&r->mu);
        int bad = !failed && (write_samples(r, &j) || rec_spikes_write(r, j.buf, j.end, j.ep) ||
                              (j.end && end_episode(r, &j)));
        pthread_mutex_lock(&r->mu);
        if (bad) r->failed = 1;
        r->busy = 0;
        pthread_cond_broadcast(&r->cv);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

int recwriter_start(sim_record *r, errmsg *e) {
    if (pthread_mutex_init(&r->mu, NULL)) return errmsg_set(e, "cannot create the recording's lock");
    if (pthread_cond_init(&r->cv, NULL)) {
        pthread_mutex_destroy(&r->mu);
        return errmsg_set(e, "cannot create the recording's condition variable");
    }
    if (pthread_create(&r->thread, NULL, writer, r)) {
        pthread_cond_destroy(&r->cv);
        pthread_mutex_destroy(&r->mu);
        return errmsg_set(e, "cannot start the recording's writer thread");
    }
    r->started = 1;
    return 0;
}

/* Wait for idle with mu held. */
static void idle_locked(sim_record *r) {
    while (r->busy) pthread_cond_wait(&r->cv, &r->mu);
}

int recwriter_post(sim_record *r, const rec_job *j) {
    pthread_mutex_lock(&r->mu);
    idle_locked(r);
    int failed = r->failed;
    if (!failed) {
        r->job = *j;
        r->busy = 1;
        pthread_cond_broadcast(&r->cv);
    }
    pthread_mutex_unlock(&r->mu);
    return failed ? -1 : 0;
}

int recwriter_wait(sim_record *r) {
    pthread_mutex_lock(&r->mu);
    idle_locked(r);
    int failed = r->failed;
    pthread_mutex_unlock(&r->mu);
    return failed ? -1 : 0;
}

int recwriter_stop(sim_record *r) {
    if (!r->started) return r->failed ? -1 : 0;
    pthread_mutex_lock(&r->mu);
    idle_locked(r);
    r->quit = 1;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    pthread_join(r->thread, NULL);
    pthread_cond_destroy(&r->cv);
    pthread_mutex_destroy(&r->mu);
    r->started = 0;
    return r->failed ? -1 : 0;
}
