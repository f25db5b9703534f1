/* cmd_plot.c -- see cmd_plot.h. */
#include "cli/cmd_plot.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/atomicfile.h"
#include "view/h5read.h"
#include "view/plot.h"
#include "view/plot_wave.h"

typedef struct plot_args {
    const char *file, *kind, *out, *signal, *episode, *size, *from, *to;
} plot_args;

/* Parse argv into *a. 0, or 2 after printing a usage error. */
static int parse_plot(int argc, char **argv, plot_args *a) {
    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char **slot = !strcmp(s, "-o") ? &a->out
                            : !strcmp(s, "--signal") ? &a->signal
                            : !strcmp(s, "--episode") ? &a->episode
                            : !strcmp(s, "--size") ? &a->size
                            : !strcmp(s, "--from") ? &a->from
                            : !strcmp(s, "--to") ? &a->to : NULL;
        if (slot && !v) return fprintf(stderr, "animat plot: %s needs a value (see animat --help)\n", s), 2;
        if (slot) *slot = v, i++;
        else if (s[0] == '-' && s[1]) return fprintf(stderr, "animat plot: unknown option '%s'\n", s), 2;
        else if (!a->file) a->file = s;
        else if (!a->kind) a->kind = s;
        else return fprintf(stderr, "animat plot: unexpected argument '%s'\n", s), 2;
    }
    if (!a->file || !a->kind || !a->out) {
        fprintf(stderr, "animat plot: usage: animat plot FILE.h5 KIND -o OUT.svg|OUT.png [--signal NAME] "
                        "[--episode K] [--from T] [--to T] [--size WxH]\n");
        return 2;
    }
    return 0;
}

/* --from/--to: seconds, finite and >= 0. 0 or -1 with e set. */
static int parse_seconds(const char *opt, const char *s, double *v, errmsg *e) {
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    if (end == s || *end || errno == ERANGE || !isfinite(*v))
        return errmsg_set(e, "%s takes a time in seconds (e.g. 2.5), not '%s'", opt, s);
    if (*v < 0) return errmsg_set(e, "%s %s: a time cannot be negative (0 is the episode's start)", opt, s);
    return 0;
}

/* The time window of --from/--to into o. 0 or -1 with e set. */
static int plot_window_opts(const plot_args *a, plot_opts *o, errmsg *e) {
    o->window = a->from || a->to;
    o->from = 0, o->to = INFINITY;
    if ((a->from && parse_seconds("--from", a->from, &o->from, e)) ||
        (a->to && parse_seconds("--to", a->to, &o->to, e)))
        return -1;
    if (o->from >= o->to)
        return errmsg_set(e, "--from %s --to %s: the window is empty (--from must be less than --to)",
                          a->from ? a->from : "0", a->to);
    return 0;
}

/* Options from the arguments (kind, size, episode, window). 0 or -1 with e set. */
static int plot_options(const plot_args *a, plot_opts *o, plot_format *fmt, errmsg *e) {
    memset(o, 0, sizeof *o);
    o->signal = a->signal;
    if (plot_kind_parse(a->kind, &o->kind, e) || plot_format_of(a->out, fmt, e)) return -1;
    if (a->size && plot_size_parse(a->size, &o->W, &o->H, e)) return -1;
    if (plot_window_opts(a, o, e)) return -1;
    if (a->episode) {
        char *end;
        errno = 0;
        unsigned long long k = strtoull(a->episode, &end, 10);
        if (*end || k < 1 || a->episode[0] == '-' || errno == ERANGE)
            return errmsg_set(e, "--episode takes an episode number from 1, not '%s'", a->episode);
        o->episode = k - 1, o->one_episode = 1;
    }
    return 0;
}

/* For a kymograph: one line saying which way the wave travels (the data
 * behind the picture, view/plot_wave.h). */
static void print_wave(const h5rec *r, const plot_opts *o, FILE *out) {
    char *sig = plot_signal_for(r, o, NULL);
    h5signal s;
    if (!sig || h5rec_signal(r, sig, o->episode, &s, NULL)) {
        free(sig);
        return;
    }
    double *t = plot_time_axis(r, s.T, s.stride); /* the window drawn (checked by plot_render) */
    if (!t || plot_window(r, o, &s, t, NULL)) {
        free(t), free(sig), h5signal_free(&s);
        return;
    }
    free(t);
    int32_t *lags = calloc(s.n ? s.n : 1, sizeof *lags);
    int dir = lags ? plot_wave_direction(s.v, s.T, s.n, lags) : 0;
    fprintf(out, "wave along %s: %s; cross-correlation peak lag of each element behind the one before (samples):",
            sig, dir > 0 ? "head to tail" : dir < 0 ? "tail to head" : "no consistent direction");
    for (uint64_t i = 0; lags && i + 1 < s.n; i++) fprintf(out, " %lld", (long long)lags[i] * (long long)s.stride);
    fputc('\n', out);
    free(lags), free(sig), h5signal_free(&s);
}

/* The command itself; cmd_plot_main runs it, then frees cairo's caches. */
static int run_plot(int argc, char **argv, FILE *out) {
    plot_args a;
    int rc = parse_plot(argc, argv, &a);
    if (rc) return rc;
    errmsg e;
    errmsg_clear(&e);
    plot_opts o;
    plot_format fmt;
    const char *others[1] = {a.file};
    if (plot_options(&a, &o, &fmt, &e) || atomicfile_check(a.out, "-o", others, 1, &e)) {
        fprintf(stderr, "error: %s\n", e.msg);
        return 1;
    }
    h5rec r;
    if (h5rec_open(&r, a.file, &e)) {
        fprintf(stderr, "error: %s\n", e.msg);
        return 1;
    }
    plot_buf b;
    rc = plot_render(&r, &o, fmt, &b, &e);
    if (!rc && o.kind == PLOT_KYMOGRAPH) print_wave(&r, &o, out);
    h5rec_close(&r);
    if (!rc) rc = atomicfile_write(a.out, b.p, b.n, &e);
    plot_buf_free(&b);
    if (rc) {
        fprintf(stderr, "error: %s\n", e.msg);
        return 1;
    }
    fprintf(out, "wrote %s (%s)\n", a.out, plot_kind_name(o.kind));
    return 0;
}

int cmd_plot_main(int argc, char **argv, FILE *out) {
    int rc = run_plot(argc, argv, out);
    plot_release();
    return rc;
}
