/* plot_data.c -- see plot_data.h. */
#include "view/plot_data.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double *plot_time_axis(const h5rec *r, uint64_t T, uint64_t stride) {
    double *v = malloc((T ? T : 1) * sizeof *v);
    if (!v || !h5rec_read_every(r, "/time", stride ? stride : 1, T, v)) return v;
    double dt = 1, every = 1;
    h5rec_attr_num(r, "dt", &dt);
    h5rec_attr_num(r, "every", &every);
    for (uint64_t k = 0; k < T; k++) v[k] = (double)(k * (stride ? stride : 1)) * dt * every;
    return v;
}

double *plot_signal_times(const h5rec *r, const h5signal *s) {
    if (!s->envelope) return plot_time_axis(r, s->T, s->stride);
    double *t = plot_time_axis(r, s->T / 2, s->stride), *v = t ? malloc((s->T ? s->T : 1) * sizeof *v) : NULL;
    for (uint64_t k = 0; v && k < s->T; k++) v[k] = t[k / 2];
    free(t);
    return v;
}

const char *plot_title_of(const h5rec *r, const char *what, char *buf, size_t cap) {
    char *ef = h5rec_attr_str(r, "experiment_file");
    const char *base = ef ? strrchr(ef, '/') : NULL;
    base = base ? base + 1 : ef ? ef : r->path;
    snprintf(buf, cap, "%s — %s", what, base);
    free(ef);
    return buf;
}

/* The time between rows of s that are samples (an envelope's rows come
 * in pairs at one time), 0 for a single one. */
static double row_period(const h5signal *s, const double *t) {
    uint64_t step = s->envelope ? 2 : 1;
    return s->T > step ? t[step] - t[0] : 0;
}

double plot_episode_end(const h5signal *s, const double *t) {
    double dt = row_period(s, t);
    for (uint64_t k = s->T; k-- > 0;)
        for (uint64_t i = 0; i < s->n; i++)
            if (isfinite(s->v[k * s->n + i])) return t[k] + dt;
    return s->T ? t[0] : 0;
}

int plot_window(const h5rec *r, const plot_opts *o, h5signal *s, double *t, errmsg *e) {
    if (!o->window) return 0;
    double end = plot_episode_end(s, t);
    const char *which = o->from >= end ? "--from" : o->to > end + 1e-9 && isfinite(o->to) ? "--to" : NULL;
    if (which)
        return errmsg_set(e, "%s %g s is beyond the recording: episode %llu of %s in %s ends at %g s", which,
                          which[2] == 'f' ? o->from : o->to, (unsigned long long)o->episode + 1, s->name, r->path, end);
    double dt = row_period(s, t);
    uint64_t a = 0, b; /* the samples whose period [t, t + dt) meets [from, to) */
    while (a < s->T && t[a] + dt <= o->from + 1e-12 && !(dt == 0 && t[a] >= o->from)) a++;
    for (b = a; b < s->T && t[b] < o->to - 1e-12; b++) {}
    if (b == a) {
        char to[40] = "the end";
        if (isfinite(o->to)) snprintf(to, sizeof to, "%g s", o->to);
        return errmsg_set(e, "--from %g s to %s: no sample of %s in that window (one every %g s)", o->from, to,
                          s->name, dt);
    }
    memmove(s->v, s->v + a * s->n, (size_t)((b - a) * s->n) * sizeof *s->v);
    memmove(t, t + a, (size_t)(b - a) * sizeof *t);
    s->T = b - a;
    return 0;
}
