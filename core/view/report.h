/* report.h -- `animat report`: one self-contained HTML page about a
 * recording (h5read.h): the experiment text, provenance (command, seed,
 * version, plugins and their hashes), summary numbers, and the figures of
 * plot.h (learning curve, kymograph, activity, trajectory) inline as SVG,
 * each only when the recording has its data (the page says why not
 * otherwise). An optional video is embedded as a base64 data: URI, so the
 * page is one file that works offline: no external URL anywhere. Every
 * string taken from the file is HTML-escaped.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>

#include "view/h5read.h"
#include "view/plot.h"

typedef struct report_opts {
    const char *video; /* a video file to embed (.mp4, .webm, .ogv), or NULL */
    FILE *progress;    /* progress of the parts (base/progress.h), usually stderr; or NULL */
} report_opts;

/* Is `path` a video the report can embed (a readable regular file, at most
 * REPORT_VIDEO_MAX bytes, with a known extension)? 0, or -1 with e set. */
#define REPORT_VIDEO_MAX (256u << 20)
int report_video_check(const char *path, errmsg *e);

/* The figure ids of the page, in order: "fig-curve", "fig-kymograph",
 * "fig-activity", "fig-trajectory" (each a <figure>, with an inline <svg>
 * when drawn, or class="missing" and the reason). */
extern const char *const report_figures[4];

/* Build the page into *html (caller frees with plot_buf_free). 0, or -1
 * with e set (out of memory, unreadable video, an unreadable dataset). */
int report_render(const h5rec *r, const report_opts *o, plot_buf *html, errmsg *e);

#endif
