/* plot_activity.c -- traces over time of every element of one signal
 * (units or ports) in one episode: one series per element with a legend of
 * the element names; more than ACT_LINES_MAX series are drawn as a heat
 * map instead (rows named, colour = value, a colour bar; view/plot_heat.h),
 * since a tangle of lines cannot be read (see plot.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view/plot_axes.h"
#include "view/plot_heat.h"
#include "view/plot_kinds.h"

/* Path point (x, y): continue the line, or start one after a gap. */
static void pen_to(cairo_t *cr, int *pen, double x, double y) {
    if (*pen) cairo_line_to(cr, x, y);
    else cairo_move_to(cr, x, y);
    *pen = 1;
}

/* Stroke element i of s over time as series j of n. More samples than
 * twice the pixels across are drawn as each pixel's min..max envelope, so
 * long episodes keep their look and files stay small. */
static void activity_line(const plot_frame *f, const h5signal *s, const double *t, uint64_t i, uint64_t j,
                          uint64_t n) {
    cairo_t *cr = f->cr;
    uint64_t bins = (uint64_t)(f->x1 - f->x0) * 2, step = s->T > bins && bins ? (s->T + bins - 1) / bins : 1;
    int pen = 0;
    for (uint64_t a = 0; a < s->T; a += step) {
        double lo = INFINITY, hi = -INFINITY, first = NAN;
        for (uint64_t k = a; k < a + step && k < s->T; k++) {
            double v = s->v[k * s->n + i];
            if (!isfinite(v)) continue;
            if (isnan(first)) first = v;
            lo = fmin(lo, v), hi = fmax(hi, v);
        }
        if (isnan(first)) {
            pen = 0;
            continue;
        }
        double x = plot_x(f, t[a]);
        if (step == 1) {
            pen_to(cr, &pen, x, plot_y(f, first));
            continue;
        }
        pen_to(cr, &pen, x, plot_y(f, lo));
        cairo_line_to(cr, x, plot_y(f, hi));
    }
    plot_stroke_series(cr, (uint32_t)j, (uint32_t)n);
}

#define ACT_MAX 32      /* signals in one activity plot at most */
#define ACT_LINES_MAX 8 /* series drawn as lines at most; more: a heat map */

/* The signals of a comma-separated list, episode k, all of one length.
 * Returns the count, or -1 with e set (nothing left allocated). */
static int activity_load(const h5rec *r, const char *list, uint64_t k, h5signal *sig, errmsg *e) {
    char *copy = strdup(list), *save = NULL;
    int n = 0, rc = copy ? 0 : errmsg_set(e, "out of memory");
    for (char *name = copy ? strtok_r(copy, ",", &save) : NULL; name && !rc; name = strtok_r(NULL, ",", &save)) {
        if (n == ACT_MAX) rc = errmsg_set(e, "activity draws at most %d signals at once", ACT_MAX);
        else if (!(rc = h5rec_signal_envelope(r, name, k, &sig[n], e))) n++;
        if (!rc && sig[n - 1].T != sig[0].T)
            rc = errmsg_set(e, "%s: %s and %s have different lengths", r->path, sig[0].name, name);
    }
    free(copy);
    if (rc)
        while (n > 0) h5signal_free(&sig[--n]);
    return rc ? -1 : n;
}

/* Legend names: the element names, prefixed with the signal's name when
 * there are several signals. Returns the count of names (caller frees each
 * and the array), 0 when out of memory. */
static uint64_t activity_names(const h5signal *sig, int n, char ***out) {
    uint64_t total = 0, j = 0;
    for (int k = 0; k < n; k++) total += sig[k].n;
    char **names = calloc(total ? total : 1, sizeof *names);
    for (int k = 0; names && k < n; k++)
        for (uint64_t i = 0; i < sig[k].n; i++, j++)
            if (asprintf(&names[j], "%s%s%s", n > 1 ? sig[k].name : "", n > 1 ? " " : "", sig[k].elems[i]) < 0)
                names[j] = NULL;
    *out = names;
    return names ? total : 0;
}

/* Ranges of all signals: *lo, *hi over finite values; *tend the last time
 * with any finite value. */
static void activity_range(const h5signal *sig, int n, const double *t, double *lo, double *hi, double *tend) {
    *lo = INFINITY, *hi = -INFINITY, *tend = t[0];
    for (int j = 0; j < n; j++)
        for (uint64_t k = 0; k < sig[j].T; k++)
            for (uint64_t i = 0; i < sig[j].n; i++) {
                double v = sig[j].v[k * sig[j].n + i];
                if (isfinite(v)) *lo = fmin(*lo, v), *hi = fmax(*hi, v), *tend = fmax(*tend, t[k]);
            }
}

/* Title and y label: the signal (with unit) or "N signals". */
static void activity_axes(const plot_frame *f, const h5rec *r, const h5signal *sig, int n, uint64_t episode) {
    char title[512], what[400], ylabel[300], names[200] = "";
    if (n == 1)
        snprintf(ylabel, sizeof ylabel, "%s%s%s%s", sig[0].name, sig[0].unit[0] ? " (" : "", sig[0].unit,
                 sig[0].unit[0] ? ")" : "");
    else
        snprintf(ylabel, sizeof ylabel, "%d signals (see legend)", n);
    for (int k = 0; k < n && strlen(names) + strlen(sig[k].name) + 3 < sizeof names; k++)
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", k ? ", " : "", sig[k].name);
    snprintf(what, sizeof what, "Activity of %s, episode %llu", names, (unsigned long long)episode + 1);
    plot_frame_axes(f, plot_title_of(r, what, title, sizeof title), "time (s)", ylabel);
}

/* --from/--to on every signal (all share one time axis). The time axis of
 * the window into *t (caller frees). 0, or -1 with e set. */
static int activity_window(const h5rec *r, const plot_opts *o, h5signal *sig, int n, double **t, errmsg *e) {
    *t = NULL;
    for (int k = 0; k < n; k++) {
        double *tk = plot_signal_times(r, &sig[k]);
        if (!tk || plot_window(r, o, &sig[k], tk, e)) {
            free(tk), free(*t), *t = NULL;
            return tk ? -1 : errmsg_set(e, "out of memory");
        }
        if (k) free(tk);
        else *t = tk;
    }
    return 0;
}

/* Many series as one heat map: rows = names, colour = value from lo to hi. */
static int activity_heat(const h5rec *r, const plot_opts *o, const h5signal *sig, int n, const double *t,
                         char **names, uint64_t total, cairo_t *cr, errmsg *e) {
    uint64_t T = sig[0].T, j = 0;
    double *v = malloc((size_t)(T * total) * sizeof *v), lo, hi, tend;
    if (!v) return errmsg_set(e, "out of memory");
    for (int k = 0; k < n; k++) {
        for (uint64_t s = 0; s < T; s++)
            memcpy(v + s * total + j, sig[k].v + s * sig[k].n, (size_t)sig[k].n * sizeof *v);
        j += sig[k].n;
    }
    activity_range(sig, n, t, &lo, &hi, &tend);
    if (!(hi >= lo)) lo = 0, hi = 1;
    plot_heat h = {.v = v, .T = T, .n = total, .lo = lo, .hi = hi, .diverging = 0};
    double dt = T > 1 ? t[1] - t[0] : 1;
    plot_frame f;
    plot_frame_init(&f, cr, o->W, o->H, 90);
    plot_heat_fit_rows(&f, (const char *const *)names, total);
    plot_frame_range(&f, t[0], t[T - 1] + dt, 0, (double)total, 0);
    int rc = plot_heat_paint(&f, &h, t[0], t[T - 1] + dt);
    free(v);
    if (rc) return errmsg_set(e, "%s: %llu series are too many for one picture", r->path, (unsigned long long)total);
    plot_heat_rows(&f, (const char *const *)names, total, n > 1 ? "signal and element" : "element");
    char label[300];
    snprintf(label, sizeof label, "%s (%s)", n > 1 ? "value" : sig[0].name,
             n == 1 && sig[0].unit[0] ? sig[0].unit : n > 1 ? "units differ" : "no unit recorded");
    plot_heat_bar(&f, &h, label);
    char title[512], what[400], list[200] = "";
    for (int k = 0; k < n && strlen(list) + strlen(sig[k].name) + 3 < sizeof list; k++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", k ? ", " : "", sig[k].name);
    snprintf(what, sizeof what, "Activity of %s, episode %llu", list, (unsigned long long)o->episode + 1);
    plot_frame_axes(&f, plot_title_of(r, what, title, sizeof title), "time (s)", NULL);
    return 0;
}

int plot_activity(const h5rec *r, const plot_opts *o, const char *signal, cairo_t *cr, errmsg *e) {
    h5signal sig[ACT_MAX];
    int n = activity_load(r, signal, o->episode, sig, e);
    if (n < 0) return -1;
    char **names = NULL;
    uint64_t total = activity_names(sig, n, &names);
    double *t = NULL, lo, hi, tend;
    double(*colors)[3] = malloc((total ? total : 1) * sizeof *colors);
    int rc = activity_window(r, o, sig, n, &t, e);
    if (!rc && (!t || !colors || !names)) {
        rc = errmsg_set(e, "out of memory");
    } else if (!rc && total > ACT_LINES_MAX) {
        rc = activity_heat(r, o, sig, n, t, names, total, cr, e);
    } else if (!rc) {
        activity_range(sig, n, t, &lo, &hi, &tend);
        plot_frame f;
        plot_frame_init(&f, cr, o->W, o->H, total > 30 ? 250 : n > 1 ? 200 : 140);
        plot_frame_range(&f, t[0], tend, lo, hi, 0.05);
        plot_frame_clip(&f);
        uint64_t j = 0;
        for (int k = 0; k < n; k++)
            for (uint64_t i = 0; i < sig[k].n; i++, j++) activity_line(&f, &sig[k], t, i, j, total);
        cairo_restore(cr);
        for (j = 0; j < total; j++) plot_color((uint32_t)j, (uint32_t)total, colors[j]);
        plot_legend(&f, (const char *const *)names, (const double(*)[3])colors, (uint32_t)total);
        activity_axes(&f, r, sig, n, o->episode);
    }
    for (uint64_t j = 0; names && j < total; j++) free(names[j]);
    free(names), free(t), free(colors);
    for (int k = 0; k < n; k++) h5signal_free(&sig[k]);
    return rc;
}
