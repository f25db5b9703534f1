/* progress.c -- see progress.h. */
#include "base/progress.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Seconds between plain lines: ANIMAT_PROGRESS_INTERVAL when it is a
 * number in [0.001, 3600], else PROGRESS_LOG_INTERVAL. */
static double log_interval(void) {
    const char *v = getenv("ANIMAT_PROGRESS_INTERVAL");
    char *end;
    double s = v && *v ? strtod(v, &end) : 0;
    return v && *v && !*end && s >= 0.001 && s <= 3600 ? s : PROGRESS_LOG_INTERVAL;
}

void progress_begin(progress *p, FILE *out, const char *what, const char *unit, uint64_t done, uint64_t total) {
    memset(p, 0, sizeof *p);
    atomic_flag_clear(&p->busy);
    p->out = out;
    p->tty = out && isatty(fileno(out));
    snprintf(p->what, sizeof p->what, "%s", what);
    snprintf(p->unit, sizeof p->unit, "%s", unit);
    atomic_store(&p->done, done);
    p->base = done;
    p->total = total;
    p->t0 = now();
    p->interval = p->tty ? PROGRESS_TTY_INTERVAL : out ? log_interval() : 0;
    p->next = p->tty ? p->t0 : p->t0 + p->interval; /* a terminal shows the first update at once */
}

void progress_stage(progress *p, const char *stage) {
    p->stage = stage;
}

void progress_total(progress *p, uint64_t total) {
    p->total = total;
}

const char *progress_duration(double t, char *buf, size_t cap) {
    long s = t < 0 ? 0 : (long)(t + 0.5);
    if (s < 100) snprintf(buf, cap, "%ld s", s);
    else if (s < 3600) snprintf(buf, cap, "%ld min %02ld s", s / 60, s % 60);
    else snprintf(buf, cap, "%ld h %02ld min", s / 3600, s / 60 % 60);
    return buf;
}

/* Draw the line for `done` units at time t. */
static void draw(progress *p, uint64_t done, double t) {
    char line[200], a[32], b[32];
    double el = t - p->t0, rate = done > p->base && el > 0 ? (double)(done - p->base) / el : 0;
    int n;
    if (p->total)
        n = snprintf(line, sizeof line, "%s: %llu/%llu %s (%.0f%%)  elapsed %s", p->what, (unsigned long long)done,
                     (unsigned long long)p->total, p->unit, 100.0 * (double)done / (double)p->total,
                     progress_duration(el, a, sizeof a));
    else
        n = snprintf(line, sizeof line, "%s: %llu %s  elapsed %s", p->what, (unsigned long long)done, p->unit,
                     progress_duration(el, a, sizeof a));
    if (p->stage && n > 0 && (size_t)n < sizeof line)
        n += snprintf(line + n, sizeof line - (size_t)n, "  %s", p->stage);
    if (p->total && rate > 0 && done < p->total && n > 0 && (size_t)n < sizeof line)
        n += snprintf(line + n, sizeof line - (size_t)n, "  ETA %s",
                      progress_duration((double)(p->total - done) / rate, b, sizeof b));
    if (n < 0) return;
    if (n >= (int)sizeof line) n = (int)sizeof line - 1;
    if (p->tty) fprintf(p->out, "\r%s%*s", line, p->width > n ? p->width - n : 0, ""), p->width = n;
    else fprintf(p->out, "%s\n", line);
    fflush(p->out);
}

void progress_add(progress *p, uint64_t n) {
    uint64_t done = atomic_fetch_add(&p->done, n) + n;
    if (!p->out) return;
    if (atomic_flag_test_and_set(&p->busy)) return; /* another thread is drawing */
    double t = now();
    if (t >= p->next) {
        draw(p, done, t);
        p->next = t + p->interval;
    }
    atomic_flag_clear(&p->busy);
}

void progress_clear(progress *p) {
    if (!p->out || !p->tty || !p->width) return;
    fprintf(p->out, "\r%*s\r", p->width, "");
    fflush(p->out);
    p->width = 0;
}

void progress_end(progress *p) {
    progress_clear(p);
    p->out = NULL;
}
