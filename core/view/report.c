/* report.c -- see report.h. */
#include "view/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/progress.h"
#include "view/report_html.h"

const char *const report_figures[4] = {"fig-curve", "fig-kymograph", "fig-activity", "fig-trajectory"};
static const plot_kind figure_kinds[4] = {PLOT_CURVE, PLOT_KYMOGRAPH, PLOT_ACTIVITY, PLOT_TRAJECTORY};
static const char *const figure_titles[4] = {"Learning curve", "Kymograph", "Activity", "Trajectory"};
static const char *const figure_captions[4] = {
    "Return of every candidate against the environment steps taken by the end of each epoch: mean over "
    "candidates, best candidate, and the min..max band.",
    "Joint angles of episode 1 over body position (joint 0, the head, at the top) and time; stripes slanting "
    "down to the right are a wave travelling from head to tail.",
    "Every circuit's units (or, without units, its output ports) over time in episode 1, one line per element.",
    "The body's path seen from above, one line per episode, equal aspect; circle: start, square: end."};

static const char *const style =
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}"
    "h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:2em}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}"
    "pre{background:#f6f6f6;padding:.8em;overflow-x:auto;white-space:pre-wrap}"
    "figure{margin:1em 0}figure svg{max-width:100%;height:auto}figure svg image{image-rendering:pixelated}"
    "figure.missing{color:#a33;border:1px dashed #caa;padding:.5em}video{max-width:100%}"
    "figcaption{color:#555;font-size:.9em;max-width:50em}";

/* The MIME type of a video path, or NULL. */
static const char *video_type(const char *path) {
    const char *dot = strrchr(path, '.');
    if (!dot) return NULL;
    if (!strcasecmp(dot, ".mp4")) return "video/mp4";
    if (!strcasecmp(dot, ".webm")) return "video/webm";
    if (!strcasecmp(dot, ".ogv")) return "video/ogg";
    return NULL;
}

int report_video_check(const char *path, errmsg *e) {
    struct stat st;
    char q[80];
    errmsg_quote(path, q, sizeof q);
    if (!video_type(path)) return errmsg_set(e, "--video %s: unknown video type (use .mp4, .webm or .ogv)", q);
    if (stat(path, &st)) return errmsg_set(e, "--video %s: no such file", q);
    if (!S_ISREG(st.st_mode)) return errmsg_set(e, "--video %s: not a regular file", q);
    if ((uint64_t)st.st_size > REPORT_VIDEO_MAX)
        return errmsg_set(e, "--video %s: %lld bytes, more than the %u MiB a report embeds", q, (long long)st.st_size,
                          REPORT_VIDEO_MAX >> 20);
    FILE *f = fopen(path, "rb");
    if (!f) return errmsg_set(e, "--video %s: cannot read", q);
    fclose(f);
    return 0;
}

/* Title and provenance: command, seed, version, plugins. */
static void page_head(plot_buf *b, const h5rec *r) {
    char *file = h5rec_attr_str(r, "experiment_file"), *cmd = h5rec_attr_str(r, "command"),
         *ver = h5rec_attr_str(r, "animat_version"), *plugins = h5rec_attr_str(r, "plugins");
    uint64_t seed = 0;
    int has_seed = !h5rec_attr_u64(r, "seed", &seed);
    report_raw(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>animat report: ");
    report_text(b, file ? file : r->path);
    report_fmt(b, "</title><style>%s</style></head>\n<body>\n<h1>animat report: ", style);
    report_text(b, file ? file : r->path);
    report_raw(b, "</h1>\n<h2>Provenance</h2>\n<table id=\"provenance\">\n<tr><th>recording</th><td>");
    report_text(b, r->path);
    report_raw(b, "</td></tr>\n<tr><th>kind</th><td>");
    report_text(b, r->kind);
    report_raw(b, "</td></tr>\n<tr><th>command</th><td><code>");
    report_text(b, cmd ? cmd : "(not recorded)");
    report_raw(b, "</code></td></tr>\n<tr><th>seed</th><td>");
    if (has_seed) report_fmt(b, "%llu", (unsigned long long)seed);
    else report_raw(b, "(not recorded)");
    report_raw(b, "</td></tr>\n<tr><th>animat version</th><td>");
    report_text(b, ver ? ver : "(not recorded)");
    report_raw(b, "</td></tr>\n<tr><th>plugins<br><small>role name id version hash path</small></th><td><pre>");
    report_text(b, plugins ? plugins : "(not recorded)");
    report_raw(b, "</pre></td></tr>\n</table>\n");
    free(file), free(cmd), free(ver), free(plugins);
}

/* The episodes' rows of the summary: count, return mean/min/max over the
 * finite returns (as `animat run` prints them), steps. 0 or -1 with e set. */
static int summary_episodes(plot_buf *b, const h5rec *r, errmsg *e) {
    /* a train recording's episodes are its held-out evaluation (/episodes attribute role) */
    char **role = NULL;
    int nrole = h5rec_obj_strings(r, "/episodes", "role", &role);
    const char *what = nrole == 1 ? "held-out evaluation episodes" : "episodes";
    const char *label = nrole == 1 ? "held-out return" : "return";
    if (nrole == 1)
        report_raw(b, "<tr><th>what the episodes are</th><td>held-out evaluation of the learned parameters: "
                      "random streams no training episode uses (as <code>animat eval FILE --theta PARAMS</code>)"
                      "</td></tr>\n");
    h5rec_names_free(role, nrole < 0 ? 0 : nrole);
    report_fmt(b, "<tr><th>%s</th><td class=\"num\">%llu</td></tr>\n", what, (unsigned long long)r->episodes);
    if (!r->episodes) return 0;
    h5array ret;
    if (h5rec_read_drawn(r, "/episodes/return", &ret, e)) return -1;
    double sum = 0, lo = INFINITY, hi = -INFINITY;
    uint64_t m = 0;
    for (uint64_t i = 0; i < ret.dim[0]; i++)
        if (isfinite(ret.v[i])) sum += ret.v[i], lo = fmin(lo, ret.v[i]), hi = fmax(hi, ret.v[i]), m++;
    h5array_free(&ret);
    if (m)
        report_fmt(b,
                   "<tr><th>%s: mean</th><td class=\"num\">%.3f</td></tr>\n"
                   "<tr><th>%s: min</th><td class=\"num\">%.3f</td></tr>\n"
                   "<tr><th>%s: max</th><td class=\"num\">%.3f</td></tr>\n",
                   label, sum / (double)m, label, lo, label, hi);
    if (m < r->episodes)
        report_fmt(b, "<tr><th>episodes without a return</th><td class=\"num\">%llu</td></tr>\n",
                   (unsigned long long)(r->episodes - m));
    h5array steps;
    if (!h5rec_read_drawn(r, "/episodes/steps", &steps, NULL)) {
        double n = 0;
        for (uint64_t i = 0; i < steps.dim[0]; i++) n += steps.v[i];
        report_fmt(b, "<tr><th>control steps (all episodes)</th><td class=\"num\">%.0f</td></tr>\n", n);
        h5array_free(&steps);
    }
    return 0;
}

/* Summary numbers from /episodes, the root attributes and /learner. 0 or
 * -1 with e set. */
static int page_summary(plot_buf *b, const h5rec *r, errmsg *e) {
    report_raw(b, "<h2>Summary</h2>\n<table id=\"summary\">\n");
    if (summary_episodes(b, r, e)) return -1;
    double dt = NAN;
    if (!h5rec_attr_num(r, "dt", &dt)) report_fmt(b, "<tr><th>control step</th><td class=\"num\">%g s</td></tr>\n", dt);
    char **names;
    int n = h5rec_signals(r, &names, NULL);
    report_raw(b, "<tr><th>signals recorded</th><td>");
    for (int i = 0; i < n; i++) {
        report_raw(b, i ? ", " : "");
        report_text(b, names[i]);
    }
    report_raw(b, n > 0 ? "</td></tr>\n" : "none</td></tr>\n");
    h5rec_names_free(names, n < 0 ? 0 : n);
    h5array l;
    if (h5rec_has(r, "/learner/returns") && !h5rec_read_drawn(r, "/learner/returns", &l, NULL)) {
        report_fmt(b, "<tr><th>epochs &times; candidates</th><td class=\"num\">%llu &times; %llu</td></tr>\n",
                   (unsigned long long)l.dim[0], (unsigned long long)l.dim[1]);
        h5array_free(&l);
    }
    report_raw(b, "</table>\n");
    return 0;
}

/* A train recording's parameters: name, initial, learned side by side
 * (/parameters/initial and /parameters/learned); nothing for a run. */
static void page_parameters(plot_buf *b, const h5rec *r) {
    h5array a0, a1;
    char **names = NULL;
    if (!h5rec_has(r, "/parameters/initial") || h5rec_read(r, "/parameters/initial", &a0, NULL)) return;
    if (h5rec_read(r, "/parameters/learned", &a1, NULL)) return h5array_free(&a0);
    int n = h5rec_obj_strings(r, "/parameters/initial", "names", &names);
    uint64_t k = a0.dim[0] * a0.dim[1] * a0.dim[2];
    if (k == a1.dim[0] * a1.dim[1] * a1.dim[2]) {
        report_raw(b, "<h2>Parameters</h2>\n<p>The learner's parameters before training (as the experiment "
                      "below starts) and after it (the file <code>animat train</code> wrote; what the held-out "
                      "evaluation ran).</p>\n<table id=\"parameters\">\n<tr><th>name</th><th>initial</th>"
                      "<th>learned</th></tr>\n");
        for (uint64_t i = 0; i < k; i++) {
            report_raw(b, "<tr><td>");
            if (n > 0 && i < (uint64_t)n) report_text(b, names[i]);
            else report_fmt(b, "[%llu]", (unsigned long long)i);
            report_fmt(b, "</td><td class=\"num\">%.17g</td><td class=\"num\">%.17g</td></tr>\n", a0.v[i], a1.v[i]);
        }
        report_raw(b, "</table>\n");
    }
    h5rec_names_free(names, n < 0 ? 0 : n);
    h5array_free(&a0), h5array_free(&a1);
}

/* Figure k: drawn inline, or the reason it is missing. */
static void page_figure(plot_buf *b, const h5rec *r, int k) {
    if (figure_kinds[k] == PLOT_CURVE && !h5rec_has(r, "/learner/returns")) return; /* a run: no curve to miss */
    plot_opts o = {.kind = figure_kinds[k], .W = 800, .H = 500};
    plot_buf svg;
    errmsg e;
    errmsg_clear(&e);
    report_fmt(b, "<h2>%s</h2>\n", figure_titles[k]);
    if (plot_render(r, &o, PLOT_SVG, &svg, &e)) {
        report_fmt(b, "<figure id=\"%s\" class=\"missing\"><p>No %s in this report: ", report_figures[k],
                   plot_kind_name(figure_kinds[k]));
        report_text(b, e.msg);
        report_raw(b, "</p></figure>\n");
        return;
    }
    char prefix[32];
    snprintf(prefix, sizeof prefix, "%s-", report_figures[k]);
    report_fmt(b, "<figure id=\"%s\">", report_figures[k]);
    report_svg(b, &svg, prefix);
    report_fmt(b, "<figcaption>%s</figcaption></figure>\n", figure_captions[k]);
    plot_buf_free(&svg);
}

/* The video as a data: URI. 0 or -1 with e set. */
static int page_video(plot_buf *b, const h5rec *r, const char *path, errmsg *e) {
    FILE *f = fopen(path, "rb");
    if (!f) return errmsg_set(e, "--video %s: cannot read", path);
    plot_buf v = {0};
    unsigned char chunk[65536];
    for (size_t n; (n = fread(chunk, 1, sizeof chunk, f)) > 0;) plot_buf_add(&v, chunk, n);
    int bad = ferror(f) || v.oom;
    fclose(f);
    if (bad) return plot_buf_free(&v), errmsg_set(e, "--video %s: cannot read", path);
    report_raw(b, "<h2>Video</h2>\n<p id=\"video-episodes\">Filmed by <code>animat render</code>, which runs the "
                  "experiment's episodes from episode 1 as <code>animat run</code> does (for a run recording made with "
                  "the same file, seed and parameters: its episodes 1, 2, ...). ");
    if (h5rec_has(r, "/parameters/learned"))
        report_raw(b, "The held-out evaluation episodes of this training are not the ones filmed.");
    report_raw(b, "</p>\n<video id=\"video\" controls muted loop src=\"data:");
    report_raw(b, video_type(path));
    report_raw(b, ";base64,");
    report_base64(b, v.p, v.n);
    report_raw(b, "\"></video>\n");
    plot_buf_free(&v);
    return 0;
}

/* Progress (base/progress.h): stage k of the page done, `what` next. */
static void report_progress(progress *pg, int k, const char *what) {
    progress_stage(pg, what);
    if (k) progress_add(pg, 1);
}

int report_render(const h5rec *r, const report_opts *o, plot_buf *html, errmsg *e) {
    memset(html, 0, sizeof *html);
    int n = 6 + (o->video != NULL);
    progress pg;
    progress_begin(&pg, o->progress, "report", "parts", 0, (uint64_t)n);
    report_progress(&pg, 0, "summary");
    page_head(html, r);
    if (page_summary(html, r, e)) return progress_end(&pg), plot_buf_free(html), -1;
    page_parameters(html, r);
    for (int k = 0; k < 4; k++) {
        report_progress(&pg, 1, figure_titles[k]);
        page_figure(html, r, k);
    }
    if (o->video) {
        report_progress(&pg, 1, "video");
        if (page_video(html, r, o->video, e)) return progress_end(&pg), plot_buf_free(html), -1;
    }
    report_progress(&pg, 1, "experiment");
    char *text = h5rec_attr_str(r, "experiment");
    report_raw(html, "<h2>Experiment</h2>\n<pre id=\"experiment\">");
    report_text(html, text ? text : "(not recorded)");
    report_raw(html, "</pre>\n</body></html>\n");
    free(text);
    report_progress(&pg, 1, NULL);
    progress_end(&pg);
    if (html->oom) return plot_buf_free(html), errmsg_set(e, "out of memory building the report");
    return 0;
}
