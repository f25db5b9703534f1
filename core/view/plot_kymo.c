/* plot_kymo.c -- the kymograph (see plot.h): one signal's elements (joint
 * angles, head at top, each row named) over time as a heat map in the
 * diverging colour scale, symmetric around 0, with a colour bar in the
 * signal's unit (view/plot_heat.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view/plot_heat.h"
#include "view/plot_kinds.h"

int plot_kymograph(const h5rec *r, const plot_opts *o, const char *signal, cairo_t *cr, errmsg *e) {
    h5signal s;
    if (h5rec_signal(r, signal, o->episode, &s, e)) return -1;
    double lim = 0, *t = plot_time_axis(r, s.T, s.stride);
    if (!t || plot_window(r, o, &s, t, e)) {
        if (!t) errmsg_set(e, "out of memory");
        return free(t), h5signal_free(&s), -1;
    }
    for (uint64_t k = 0; k < s.T * s.n; k++)
        if (isfinite(s.v[k]) && fabs(s.v[k]) > lim) lim = fabs(s.v[k]);
    if (lim == 0) lim = 1;
    plot_heat h = {.v = s.v, .T = s.T, .n = s.n, .lo = -lim, .hi = lim, .diverging = 1};
    double dt = s.T > 1 ? t[1] - t[0] : 1;
    plot_frame f;
    plot_frame_init(&f, cr, o->W, o->H, 90);
    plot_heat_fit_rows(&f, (const char *const *)s.elems, s.n);
    plot_frame_range(&f, t[0], t[s.T - 1] + dt, 0, (double)s.n, 0);
    if (!s.T || !s.n || plot_heat_paint(&f, &h, t[0], t[s.T - 1] + dt)) {
        free(t), h5signal_free(&s);
        return errmsg_set(e, "%s: signal %s is empty or too large for a kymograph", r->path, signal);
    }
    size_t len = strlen(s.name);
    int joints = len >= 6 && !strcmp(s.name + len - 6, "joints");
    plot_heat_rows(&f, (const char *const *)s.elems, s.n, joints ? "joint (head at top)" : "element (first at top)");
    char label[300];
    snprintf(label, sizeof label, "%s (%s)", s.name, s.unit[0] ? s.unit : "no unit recorded");
    plot_heat_bar(&f, &h, label);
    char title[512], what[300];
    snprintf(what, sizeof what, "Kymograph of %s, episode %llu", s.name, (unsigned long long)o->episode + 1);
    plot_frame_axes(&f, plot_title_of(r, what, title, sizeof title), "time (s)", NULL);
    free(t), h5signal_free(&s);
    return 0;
}
