/* cmd_report.c -- see cmd_report.h. */
#include "cli/cmd_report.h"

#include <string.h>
#include <strings.h>

#include "base/atomicfile.h"
#include "view/h5read.h"
#include "view/report.h"

typedef struct report_args {
    const char *file, *out, *video;
    int quiet;
} report_args;

/* Parse argv into *a. 0, or 2 after printing a usage error. */
static int parse_report(int argc, char **argv, report_args *a) {
    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char **slot = !strcmp(s, "-o") ? &a->out : !strcmp(s, "--video") ? &a->video : NULL;
        if (slot && !v) return fprintf(stderr, "animat report: %s needs a value (see animat --help)\n", s), 2;
        if (slot) *slot = v, i++;
        else if (!strcmp(s, "--quiet")) a->quiet = 1;
        else if (s[0] == '-' && s[1]) return fprintf(stderr, "animat report: unknown option '%s'\n", s), 2;
        else if (!a->file) a->file = s;
        else return fprintf(stderr, "animat report: unexpected argument '%s'\n", s), 2;
    }
    if (!a->file || !a->out) {
        fprintf(stderr, "animat report: usage: animat report FILE.h5 -o report.html [--video FILE] [--quiet]\n");
        return 2;
    }
    return 0;
}

/* The command itself; cmd_report_main runs it, then frees cairo's caches. */
static int run_report(int argc, char **argv, FILE *out) {
    report_args a;
    int rc = parse_report(argc, argv, &a);
    if (rc) return rc;
    errmsg e;
    errmsg_clear(&e);
    const char *others[2] = {a.file, a.video};
    h5rec r;
    const char *dot = strrchr(a.out, '.');
    if (!dot || (strcasecmp(dot, ".html") && strcasecmp(dot, ".htm"))) {
        fprintf(stderr, "error: -o %s: a report is an HTML page; give a name ending in .html\n", a.out);
        return 1;
    }
    if (atomicfile_check(a.out, "-o", others, 2, &e) || (a.video && report_video_check(a.video, &e)) ||
        h5rec_open(&r, a.file, &e)) {
        fprintf(stderr, "error: %s\n", e.msg);
        return 1;
    }
    report_opts o = {.video = a.video, .progress = a.quiet ? NULL : stderr};
    plot_buf html;
    rc = report_render(&r, &o, &html, &e);
    h5rec_close(&r);
    if (!rc) rc = atomicfile_write(a.out, html.p, html.n, &e);
    plot_buf_free(&html);
    if (rc) {
        fprintf(stderr, "error: %s\n", e.msg);
        return 1;
    }
    if (!a.quiet) fprintf(out, "wrote %s\n", a.out);
    return 0;
}

int cmd_report_main(int argc, char **argv, FILE *out) {
    int rc = run_report(argc, argv, out);
    plot_release();
    return rc;
}
