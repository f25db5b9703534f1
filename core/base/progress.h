/* progress.h -- progress of long work on stderr, with an ETA.
 *
 * On a terminal: one line redrawn in place ("\r") from the first update on,
 * then at most 4 times a second: "WHAT: DONE/TOTAL UNIT (P%)  elapsed T
 * ETA T". Elsewhere (a pipe, a file, a batch log): the same text as a
 * plain line, the first after 10 s and then one every 10 s, so short work
 * prints nothing and long work is
 * never silent for longer than that (ANIMAT_PROGRESS_INTERVAL=S in the
 * environment sets S seconds instead, 0.001 to 3600; for batch logs and
 * tests). A NULL stream (--quiet) prints nothing.
 *
 * Cost: progress_add is an atomic add and a clock read; nothing is
 * allocated after progress_begin, so it may be called from the step loop.
 * Threads: progress_add may be called from several threads at once (one
 * of them draws; the others skip); every other function from one thread.
 * Ownership: the struct is the caller's (usually on the stack); `out` is
 * not owned.
 */
#ifndef PROGRESS_H
#define PROGRESS_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#define PROGRESS_TTY_INTERVAL 0.25  /* seconds between redraws on a terminal */
#define PROGRESS_LOG_INTERVAL 10.0  /* seconds between plain lines elsewhere */

typedef struct progress {
    FILE *out;               /* stderr, or NULL for silence; not owned */
    int tty;                 /* out is a terminal */
    char what[40], unit[24]; /* "render", "frames" */
    uint64_t total;          /* units expected; 0 when not known (no ETA) */
    _Atomic uint64_t done;   /* units done so far */
    uint64_t base;           /* units done before begin (a resume): not in the rate */
    double t0, next;         /* start, and when the next line is due (monotonic s) */
    double interval;         /* seconds between lines */
    atomic_flag busy;        /* held by the thread drawing */
    int width;               /* characters of the line now on the terminal; 0 none */
    const char *stage;       /* shown after the counts ("kymograph"), or NULL; not owned */
} progress;

/* Start: `out` NULL silences every later call. what/unit are copied
 * (truncated to fit). `done` units are already done (e.g. epochs of a
 * resumed training) out of `total` (0: unknown). */
void progress_begin(progress *p, FILE *out, const char *what, const char *unit, uint64_t done, uint64_t total);

/* The total became known or changed (e.g. after the first episode). */
void progress_total(progress *p, uint64_t total);

/* n more units done; draws when a line is due. Thread-safe (see above). */
void progress_add(progress *p, uint64_t n);

/* Name what is being done now (a static string, or NULL); shown from the
 * next line on. One thread only. */
void progress_stage(progress *p, const char *stage);

/* Erase the terminal line, so the caller can print a line of its own
 * (the next progress_add draws it again). A no-op off a terminal. */
void progress_clear(progress *p);

/* Done: erase the terminal line. The struct may be begun again. */
void progress_end(progress *p);

/* "12 s", "3 min 05 s", "2 h 07 min" for t seconds, into buf; returns buf. */
const char *progress_duration(double t, char *buf, size_t cap);

#endif
