/* h5read.h -- read the HDF5 recordings that `animat run/train --record`
 * write (format animat-recording/1, docs/recording.md), for plots and the
 * report. Read-only; libhdf5's own error printing is switched off and every
 * failure becomes one errmsg line naming the file and the dataset.
 *
 * Lifecycle: h5rec_open -> queries/reads -> h5rec_close. Arrays returned are
 * owned by the caller (free with h5array_free / h5signal_free). One thread.
 */
#ifndef H5READ_H
#define H5READ_H

#include <stdint.h>

#include "base/errmsg.h"
#include "sim/record.h"

#define H5REC_FORMAT RECORD_FORMAT /* written by sim/record.c */

typedef struct h5rec {
    int64_t file;   /* the open HDF5 file (hid_t) */
    char *path;     /* as given; owned */
    char *kind;     /* root attribute `kind`: "run" or "train"; owned */
    uint64_t episodes; /* length of /episodes/return (0 if absent) */
    uint64_t T;     /* length of /time (0 if absent) */
} h5rec;

/* A dataset read whole as doubles (integers converted), row-major. */
typedef struct h5array {
    double *v;       /* dim[0] * dim[1] * dim[2] values; owned */
    uint32_t rank;   /* 1..3 */
    uint64_t dim[3]; /* unused dimensions are 1 */
} h5array;

/* What a view reads at most, whatever a file declares: work and memory of
 * plot and report are bounded by what they draw, not by the file. */
#define H5REC_MAX_SAMPLES 4096u      /* samples of a signal read per episode (more: every k-th) */
#define H5REC_MAX_FULL_SAMPLES (1u << 20) /* samples per episode an analysis reads (more: refused) */
#define H5REC_MAX_ELEMS 4096u        /* elements per sample of a signal (more: refused) */
#define H5REC_MAX_ENVELOPE_VALUES (1ull << 26) /* values of an episode read for its envelope (more: every k-th) */
#define H5REC_MAX_CELLS (1u << 24)   /* values of a whole dataset (h5rec_read; more: refused) */

/* One episode of a signal /signals/NAME: T samples of n elements. */
typedef struct h5signal {
    char *name;      /* NAME; owned */
    double *v;       /* T * n values, sample-major (v[t*n + i]); NaN after the episode ended; owned */
    uint64_t T, n;
    uint64_t stride; /* sample t is the file's sample t * stride (1 unless it has > H5REC_MAX_SAMPLES) */
    int envelope;    /* 1 (h5rec_signal_envelope): rows 2b, 2b+1 are the min and max of the file's samples
                        b * stride .. (b + 1) * stride - 1, per element */
    char **elems;    /* n element names (attribute `names`; "NAME[i]" when absent); owned */
    char *unit;      /* attribute `unit`, "" when absent; owned */
    char *direction; /* attribute `direction`, "" when absent; owned */
} h5signal;

/* Open PATH and check it is an HDF5 file whose root attribute `format` is
 * animat-recording/1. 0, or -1 with e set ("PATH: not an HDF5 file",
 * "PATH: format 'x' is not animat-recording/1") and *r zeroed. */
int h5rec_open(h5rec *r, const char *path, errmsg *e);

/* Close the file and free *r. NULL-safe on a zeroed *r. */
void h5rec_close(h5rec *r);

/* A root string attribute, or NULL when absent or not a string. Caller frees. */
char *h5rec_attr_str(const h5rec *r, const char *name);

/* A root numeric attribute as a double; 0, or -1 when absent. */
int h5rec_attr_num(const h5rec *r, const char *name, double *v);

/* A root integer attribute as a uint64 (exact, e.g. the seed); 0, or -1
 * when absent or not an integer. */
int h5rec_attr_u64(const h5rec *r, const char *name, uint64_t *v);

/* 1 if the dataset at PATH ("/learner/returns") exists, else 0. */
int h5rec_has(const h5rec *r, const char *path);

/* Read the whole dataset PATH (rank 1..3, numeric) as doubles. 0, or -1
 * with e set and *a zeroed. */
int h5rec_read(const h5rec *r, const char *path, h5array *a, errmsg *e);

/* h5rec_read for what plots and the report draw: a dataset of more than
 * H5REC_MAX_CELLS values is refused ("PATH: dataset D has N values; plots
 * and the report read at most 16777216"). */
int h5rec_read_drawn(const h5rec *r, const char *path, h5array *a, errmsg *e);
void h5array_free(h5array *a);

/* The names of the members of GROUP ("/signals", "/learner"), in file
 * order. Returns the count (0 when the group is absent or empty) and sets
 * *names (NULL-terminated; free with h5rec_names_free), or -1 with e set. */
int h5rec_members(const h5rec *r, const char *group, char ***names, errmsg *e);

/* The names of the recorded signals: h5rec_members(r, "/signals", ...). */
int h5rec_signals(const h5rec *r, char ***names, errmsg *e);
void h5rec_names_free(char **names, int n);

/* The strings of attribute `attr` of the object at `path` ("/parameters/
 * initial", "/episodes"): their count with *out set (free with
 * h5rec_names_free), or -1 when absent. A scalar string attribute counts 1. */
int h5rec_obj_strings(const h5rec *r, const char *path, const char *attr, char ***out);

/* The first signal whose name matches PATTERN, where '*' in PATTERN matches
 * any run of characters ("*.obs.joints"); caller frees. NULL when none. */
char *h5rec_find_signal(const h5rec *r, const char *pattern);

/* Every signal matching PATTERN, in file order, joined by commas
 * ("a.units,b.units"); caller frees. NULL when none. */
char *h5rec_find_signals(const h5rec *r, const char *pattern);

/* Read episode K (0-based) of /signals/NAME, shape (E, T, n). 0, or -1 with
 * e set ("PATH: no signal 'NAME' (recorded: a, b)", "episode K of E"). A
 * signal of more than H5REC_MAX_ELEMS elements, or whose episode holds more
 * than H5REC_MAX_CELLS values once thinned, is refused; one of more than
 * H5REC_MAX_SAMPLES samples is read every s->stride-th sample (an HDF5
 * hyperslab with a stride), so at most that many. */
int h5rec_signal(const h5rec *r, const char *name, uint64_t k, h5signal *s, errmsg *e);

/* As h5rec_signal, but a signal of more than H5REC_MAX_SAMPLES samples is
 * read as its envelope for drawing lines: for each run of s->stride
 * samples, its minimum and its maximum per element (two rows, NaN where the
 * episode had ended), so no peak or spike between kept samples is lost.
 * An episode of more than H5REC_MAX_ENVELOPE_VALUES values is thinned as
 * h5rec_signal does (s->envelope 0), so the reading stays bounded. */
int h5rec_signal_envelope(const h5rec *r, const char *name, uint64_t k, h5signal *s, errmsg *e);

/* As h5rec_signal, but every sample (s->stride is 1), for analyses that need
 * the recorded rate: a signal of more than H5REC_MAX_FULL_SAMPLES samples per
 * episode is refused in e instead of thinned. */
int h5rec_signal_full(const h5rec *r, const char *name, uint64_t k, h5signal *s, errmsg *e);
void h5signal_free(h5signal *s);

/* Read every stride-th value of the 1-D dataset PATH, count of them, into
 * out. 0, or -1 when it is absent, not 1-D or shorter than that. */
int h5rec_read_every(const h5rec *r, const char *path, uint64_t stride, uint64_t count, double *out);

/* The number of episodes of signal NAME (its first dimension), 0 if absent. */
uint64_t h5rec_signal_episodes(const h5rec *r, const char *name);

/* The shape (episodes, T, n) of signal NAME into dim, without reading it.
 * 0, or -1 with e set when it is absent, not a dataset of rank 3 or not
 * numeric ("PATH: signal NAME has rank 2, expected (episodes, T, n)"). */
int h5rec_signal_dims(const h5rec *r, const char *name, uint64_t dim[3], errmsg *e);

#endif
