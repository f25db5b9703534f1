/* plot.c -- see plot.h: kinds, formats, default signals, and rendering
 * into memory through cairo's SVG and image surfaces. */
#include "view/plot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cairo-svg.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>

#include "view/h5spikes.h"
#include "view/plot_kinds.h"

static const char *const kind_names[PLOT_NKINDS] = {"curve", "activity", "kymograph", "trajectory", "raster"};

const char *plot_kind_name(plot_kind k) {
    return k < PLOT_NKINDS ? kind_names[k] : "?";
}

int plot_kind_parse(const char *s, plot_kind *k, errmsg *e) {
    for (int i = 0; i < PLOT_NKINDS; i++)
        if (!strcmp(s, kind_names[i])) return *k = (plot_kind)i, 0;
    char q[80];
    return errmsg_set(e, "unknown plot kind '%s' (kinds: curve, activity, kymograph, trajectory, raster)",
                      errmsg_quote(s, q, sizeof q));
}

int plot_format_of(const char *path, plot_format *f, errmsg *e) {
    const char *dot = strrchr(path, '.');
    if (dot && strchr(dot, '/')) dot = NULL;
    if (dot && !strcasecmp(dot, ".svg")) return *f = PLOT_SVG, 0;
    if (dot && !strcasecmp(dot, ".png")) return *f = PLOT_PNG, 0;
    char q[80];
    return errmsg_set(e, "%s: unknown image format '%s' (use .svg or .png)", errmsg_quote(path, q, sizeof q),
                      dot ? dot : "no extension");
}

int plot_size_parse(const char *s, double *W, double *H, errmsg *e) {
    unsigned w, h;
    char tail;
    if (sscanf(s, "%ux%u%c", &w, &h, &tail) != 2 || w < 100 || h < 100 || w > 8000 || h > 8000) {
        char q[80];
        return errmsg_set(e, "--size '%s': expected WxH, each from 100 to 8000 (e.g. 800x500)",
                          errmsg_quote(s, q, sizeof q));
    }
    *W = w, *H = h;
    return 0;
}

void plot_buf_free(plot_buf *b) {
    free(b->p);
    memset(b, 0, sizeof *b);
}

int plot_buf_add(plot_buf *b, const void *data, size_t len) {
    if (b->n + len > b->cap) {
        size_t cap = b->cap ? b->cap : 65536;
        while (cap < b->n + len) cap *= 2;
        unsigned char *p = realloc(b->p, cap);
        if (!p) return b->oom = 1, -1;
        b->p = p, b->cap = cap;
    }
    if (len) memcpy(b->p + b->n, data, len);
    b->n += len;
    return 0;
}

/* cairo's write callback: append to a plot_buf. */
static cairo_status_t buf_write(void *closure, const unsigned char *data, unsigned int len) {
    return plot_buf_add(closure, data, len) ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

/* The default signal of a kind, or NULL with e set. */
static char *default_signal(const h5rec *r, plot_kind k, errmsg *e) {
    char *s = NULL;
    if (k == PLOT_ACTIVITY) {
        s = h5rec_find_signals(r, "*.units");
        if (!s) s = h5rec_find_signals(r, "*.out.*");
        if (!s) errmsg_set(e, "%s: activity needs a circuit signal (NAME.units or NAME.out.PORT); none recorded "
                              "(choose one with --signal)", r->path);
    } else if (k == PLOT_KYMOGRAPH) {
        s = h5rec_find_signal(r, "*.obs.joints");
        if (!s) errmsg_set(e, "%s: kymograph needs a joint-angle signal NAME.obs.joints; none recorded (choose "
                              "another with --signal)", r->path);
    } else {
        s = h5rec_find_signal(r, "*.obs.position");
        if (!s) errmsg_set(e, "%s: trajectory needs the body's position signal NAME.obs.position (x, y in m, "
                              "e.g. body.obs.position); none recorded", r->path);
    }
    return s;
}

char *plot_signal_for(const h5rec *r, const plot_opts *o, errmsg *e) {
    if (o->kind == PLOT_CURVE) {
        if (!h5rec_has(r, "/learner/returns") || !h5rec_has(r, "/learner/env_steps")) {
            errmsg_set(e, "%s: curve needs a train recording (/learner/returns); this is a %s recording", r->path,
                       r->kind);
            return NULL;
        }
        return strdup("learner");
    }
    if (o->kind == PLOT_RASTER && !o->signal) {
        char *list = h5spikes_list(r), *comma = list ? strchr(list, ',') : NULL;
        if (comma) *comma = 0;
        if (!list) errmsg_set(e, "%s: raster needs spike times (/spikes/NAME, recorded from a circuit offering "
                                 "animat.spikes/1, e.g. lif); none recorded", r->path);
        return list;
    }
    if (o->kind == PLOT_RASTER) return strdup(o->signal); /* h5spikes_read names what is missing */
    if (!o->signal) return default_signal(r, o->kind, e);
    if (strchr(o->signal, ',') && o->kind != PLOT_ACTIVITY) {
        errmsg_set(e, "--signal: %s draws one signal, not a list", plot_kind_name(o->kind));
        return NULL;
    }
    char *list = strdup(o->signal), *save = NULL;
    for (char *name = list ? strtok_r(list, ",", &save) : NULL; name; name = strtok_r(NULL, ",", &save))
        if (!h5rec_signal_episodes(r, name)) {
            h5signal s; /* for the message listing what was recorded */
            if (!h5rec_signal(r, name, 0, &s, e)) h5signal_free(&s);
            free(list);
            return NULL;
        }
    free(list);
    return strdup(o->signal);
}

/* Draw kind k onto cr. 0 or -1. */
static int draw(const h5rec *r, const plot_opts *o, const char *sig, cairo_t *cr, errmsg *e) {
    switch (o->kind) {
    case PLOT_CURVE: return plot_curve(r, o, sig, cr, e);
    case PLOT_ACTIVITY: return plot_activity(r, o, sig, cr, e);
    case PLOT_KYMOGRAPH: return plot_kymograph(r, o, sig, cr, e);
    case PLOT_RASTER: return plot_raster(r, o, sig, cr, e);
    default: return plot_trajectory(r, o, sig, cr, e);
    }
}

int plot_render(const h5rec *r, const plot_opts *o, plot_format fmt, plot_buf *out, errmsg *e) {
    memset(out, 0, sizeof *out);
    plot_opts oo = *o;
    if (oo.W <= 0 || oo.H <= 0) oo.W = 800, oo.H = 500;
    char *sig = plot_signal_for(r, &oo, e);
    if (!sig) return -1;
    cairo_surface_t *s = fmt == PLOT_SVG ? cairo_svg_surface_create_for_stream(buf_write, out, oo.W, oo.H)
                                         : cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)oo.W, (int)oo.H);
    cairo_t *cr = cairo_create(s);
    int rc = draw(r, &oo, sig, cr, e);
    free(sig);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    if (!rc && st != CAIRO_STATUS_SUCCESS) rc = errmsg_set(e, "cairo: %s", cairo_status_to_string(st));
    if (!rc && fmt == PLOT_PNG) st = cairo_surface_write_to_png_stream(s, buf_write, out);
    cairo_surface_finish(s);
    if (!rc && st == CAIRO_STATUS_SUCCESS) st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (!rc && st != CAIRO_STATUS_SUCCESS) rc = errmsg_set(e, "cairo: %s", cairo_status_to_string(st));
    if (rc) plot_buf_free(out);
    return rc;
}

void plot_release(void) {
    cairo_debug_reset_static_data();
    FcFini();
}
