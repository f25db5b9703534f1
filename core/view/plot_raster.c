/* plot_raster.c -- a spike raster of one circuit in one episode: a tick
 * per spike in its unit's row (unit names down the left), and the
 * population rate underneath (spikes per unit and second in bins of about
 * 1/100 of the window). Reads /spikes/NAME (view/h5spikes.h). Ticks that
 * fall on the same pixel column of a row are drawn once, so the picture's
 * size is bounded by rows x width, not by the spike count. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view/h5spikes.h"
#include "view/plot_axes.h"
#include "view/plot_heat.h"
#include "view/plot_kinds.h"

#define RASTER_BINS 100 /* rate bins across the window */

/* The window [*a, *b) of o within an episode of `end` seconds. 0, or -1
 * with e set. */
static int raster_window(const h5rec *r, const plot_opts *o, const h5spikes *s, uint64_t k, double *a, double *b,
                         errmsg *e) {
    *a = o->window ? o->from : 0, *b = o->window && isfinite(o->to) ? o->to : s->end;
    const char *which = o->window && o->from >= s->end ? "--from" : o->window && *b > s->end + 1e-9 ? "--to" : NULL;
    if (which)
        return errmsg_set(e, "%s %g s is beyond the recording: episode %llu of %s in %s ends at %g s", which,
                          which[2] == 'f' ? o->from : o->to, (unsigned long long)k + 1, s->name, r->path, s->end);
    return *b > *a ? 0 : errmsg_set(e, "%s: episode %llu of %s is empty", r->path, (unsigned long long)k + 1, s->name);
}

/* Spikes in [a, b); their count per rate bin into bins. */
static uint64_t raster_count(const h5spikes *s, double a, double b, double *bins) {
    uint64_t n = 0;
    for (uint64_t j = 0; j < s->first[s->units]; j++) {
        if (!(s->t[j] >= a && s->t[j] < b)) continue;
        int i = (int)((s->t[j] - a) / (b - a) * RASTER_BINS);
        bins[i < 0 ? 0 : i >= RASTER_BINS ? RASTER_BINS - 1 : i] += 1;
        n++;
    }
    return n;
}

/* The ticks: unit u in row u (0 on top), one per pixel column at most. */
static void raster_ticks(const plot_frame *f, const h5spikes *s, double a, double b) {
    cairo_t *cr = f->cr;
    plot_frame_clip(f);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1);
    for (uint32_t u = 0; u < s->units; u++) {
        double last = -1, y0 = plot_y(f, s->units - u - 0.1), y1 = plot_y(f, s->units - u - 0.9);
        for (uint64_t j = s->first[u]; j < s->first[u + 1]; j++) {
            if (!(s->t[j] >= a && s->t[j] < b)) continue;
            double x = floor(plot_x(f, s->t[j])) + 0.5;
            if (x == last) continue;
            last = x;
            cairo_move_to(cr, x, y0);
            cairo_line_to(cr, x, y1);
        }
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* The population rate under the raster: Hz per unit in each bin. */
static void raster_rate(plot_frame *g, const h5spikes *s, const double *bins, double a, double b) {
    double w = (b - a) / RASTER_BINS, hi = 0, rate[RASTER_BINS];
    for (int i = 0; i < RASTER_BINS; i++) rate[i] = bins[i] / (s->units * w), hi = fmax(hi, rate[i]);
    plot_frame_range(g, a, b, 0, hi > 0 ? hi : 1, 0);
    g->ymax *= 1.05;
    plot_frame_clip(g);
    for (int i = 0; i < RASTER_BINS; i++) {
        double x0 = plot_x(g, a + i * w), x1 = plot_x(g, a + (i + 1) * w), y = plot_y(g, rate[i]);
        if (i) cairo_line_to(g->cr, x0, y);
        else cairo_move_to(g->cr, x0, y);
        cairo_line_to(g->cr, x1, y);
    }
    plot_stroke_series(g->cr, 0, 1);
    cairo_restore(g->cr);
    char label[64];
    snprintf(label, sizeof label, "time (s); population rate in %.3g s bins", w);
    plot_frame_axes(g, "", label, "rate (Hz/unit)");
}

int plot_raster(const h5rec *r, const plot_opts *o, const char *signal, cairo_t *cr, errmsg *e) {
    h5spikes s;
    if (h5spikes_read(r, signal, o->episode, &s, e)) return -1;
    double a, b, bins[RASTER_BINS] = {0};
    int rc = raster_window(r, o, &s, o->episode, &a, &b, e);
    uint64_t n = rc ? 0 : raster_count(&s, a, b, bins);
    if (!rc && n == 0)
        rc = errmsg_set(e, "%s: no spikes of %s in episode %llu from %g s to %g s: no raster to draw", r->path, s.name,
                        (unsigned long long)o->episode + 1, a, b);
    if (rc) {
        h5spikes_free(&s);
        return -1;
    }
    plot_frame f, g;
    plot_frame_init(&f, cr, o->W, o->H, 30);
    plot_heat_fit_rows(&f, (const char *const *)s.names, s.units);
    double split = f.y0 + 0.68 * (f.y1 - f.y0);
    g = f;
    f.y1 = split - 18, g.y0 = split + 18;
    plot_frame_range(&f, a, b, 0, s.units, 0);
    raster_ticks(&f, &s, a, b);
    plot_heat_rows(&f, (const char *const *)s.names, s.units, "unit");
    char title[512], what[400];
    snprintf(what, sizeof what, "Spikes of %s, episode %llu (%llu spikes, %u units)", s.name,
             (unsigned long long)o->episode + 1, (unsigned long long)n, s.units);
    plot_frame_axes(&f, plot_title_of(r, what, title, sizeof title), "", NULL);
    raster_rate(&g, &s, bins, a, b);
    h5spikes_free(&s);
    return 0;
}
