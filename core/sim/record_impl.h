/* record_impl.h -- the inside of a recording, shared by record.c (the
 * observer and the file's structure) and record_writer.c (the thread that
 * writes samples). Not a public header.
 *
 * Threads: the sim's thread fills one of two sample buffers while the
 * writer thread compresses and writes the other (libhdf5 is used by one
 * thread at a time: the writer while it runs a job, the sim's thread only
 * when the writer is idle -- open, record_epoch, commit).
 */
#ifndef RECORD_IMPL_H
#define RECORD_IMPL_H

#include <hdf5.h>
#include <pthread.h>

#include "base/atomicfile.h"
#include "sim/record.h"

/* One recorded signal and its two sample buffers. */
typedef struct rec_sig {
    char name[3 * EXPERIMENT_NAME_MAX + 8]; /* "body.obs.joints", "circuit.units", "reward" */
    const double *buf;                    /* a port's buffer (sim-owned), or NULL */
    instance *in;                         /* the instance (sim-owned); NULL for reward */
    const animat_units_ext *ux;           /* units: its extension (plugin-owned) */
    const animat_spikes_ext *vx;          /* voltage: the spikes extension offering voltages (plugin-owned) */
    const double *qpos;                   /* qpos: the body's mjData qpos (plugin-owned, same address until destroy) */
    uint32_t n;                           /* elements per sample */
    int reward;                           /* the step's total reward */
    double *chunk[2];                     /* RECORD_CHUNK * n samples each; owned */
    hid_t ds;                             /* its dataset */
} rec_sig;

/* One circuit's spikes ("NAME.spikes", animat.spikes/1), stored per
 * episode and unit in NWB's Units layout: /spikes/NAME/spike_times (N)
 * and /spikes/NAME/spike_times_index (E, units), see record_spikes.c. */
typedef struct rec_spk {
    char name[EXPERIMENT_NAME_MAX + 8];   /* "net.spikes" */
    instance *in;                         /* the circuit (sim-owned) */
    const animat_spikes_ext *sx;          /* its extension (plugin-owned) */
    uint32_t units;                       /* units named through animat.units/1 */
    uint32_t cap;                         /* events each buffer holds (at least one step's capacity) */
    animat_spike_event *buf[2];           /* t: seconds since the episode's start; owned */
    uint32_t fill[2];                     /* events in each buffer */
    /* the writer */
    animat_spike_event *ep;               /* the current episode's events so far; owned */
    double *times;                        /* capep: their times by unit, as written; owned */
    size_t nep, capep;
    uint64_t written;                     /* values of spike_times so far */
    uint64_t *ends;                       /* units ends of the episode's rows; owned */
    hid_t grp, ds_t, ds_idx;
} rec_spk;

/* What the writer does next: samples [k0, k0 + fill) of episode ep from
 * buffer `buf`, and at an episode's end its return and step count. */
typedef struct rec_job {
    int buf;
    uint64_t ep, k0;
    uint32_t fill;
    int end;
    double ret;
    uint64_t steps;
} rec_job;

struct sim_record {
    atomicfile af;        /* PATH and PATH.tmp (f unused: libhdf5 writes by name) */
    hid_t file;
    rec_sig sig[RECORD_MAX_SIGNALS];
    uint32_t nsig;
    rec_spk spk[EXPERIMENT_MAX_INSTS];
    uint32_t nspk;
    uint64_t every;
    double dt;
    /* the sim's thread */
    uint64_t ep;          /* index of the current episode in the file */
    uint64_t k0;          /* sample index of the current buffer's first sample */
    uint32_t fill;        /* samples in the current buffer */
    int cur;              /* the buffer being filled */
    int sampled;          /* the current step was sampled */
    /* the writer (or the sim's thread while the writer is idle) */
    uint64_t T;           /* extent of the sample dimension */
    hid_t ds_ret, ds_steps;
    hid_t ds_lret, ds_lsteps, ds_lbest, ds_lmean; /* train: created at the first epoch */
    uint32_t ncand;
    /* the hand-off, under mu */
    pthread_t thread;
    int started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int busy;             /* a job is posted or running */
    int quit;
    int failed;           /* a write failed; err says which */
    rec_job job;
    char err[400];
};

/* Write `count` values at `start` of an extendible dataset of `rank`
 * dims, growing it to cover them. 0 or -1. */
int rec_write_block(hid_t d, int rank, const hsize_t *start, const hsize_t *count, hid_t type, const void *v);

/* Why a libhdf5 write failed: the system's reason when it left one in
 * errno (EFBIG, ENOSPC, EIO; set errno = 0 before the call), else a guess.
 * Static storage. */
const char *rec_why(void);

/* record_spikes.c: add circuit `in`'s spikes ("NAME.spikes"; required:
 * fail when it lacks animat.spikes/1, else skip it). 0 or -1 with e set. */
int rec_spikes_add(sim_record *r, instance *in, int required, errmsg *e);

/* The sim's thread, every control step `step`: copy the circuit's events
 * of that step into the current buffers, first handing the buffers off
 * (hand_off) when one could overflow. 0 or -1 with r->err set. */
int rec_spikes_take(sim_record *r, uint64_t step, int (*hand_off)(sim_record *r));

/* The writer: move buffer b's events into each episode list; at an
 * episode's end (`end`), write them per unit. 0 or -1 with r->err set. */
int rec_spikes_write(sim_record *r, int b, int end, uint64_t ep);

/* Close and free every spike source (safe twice). */
void rec_spikes_close(sim_record *r);

/* Start the writer thread. 0, or -1 with e set. */
int recwriter_start(sim_record *r, errmsg *e);

/* Wait until the writer is idle, then post j. 0, or -1 if a write failed
 * (r->err says which). */
int recwriter_post(sim_record *r, const rec_job *j);

/* Wait until the writer is idle. 0, or -1 if a write failed. */
int recwriter_wait(sim_record *r);

/* Finish the last job and join the thread (no-op if not started). 0, or
 * -1 if a write failed. */
int recwriter_stop(sim_record *r);

#endif
