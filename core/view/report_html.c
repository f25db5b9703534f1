/* report_html.c -- see report_html.h. */
#include "view/report_html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void report_raw(plot_buf *b, const char *s) {
    plot_buf_add(b, s, strlen(s));
}

void report_fmt(plot_buf *b, const char *fmt, ...) {
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0) plot_buf_add(b, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

void report_text(plot_buf *b, const char *s) {
    for (const char *p = s; p && *p; p++) {
        const char *rep = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;"
                          : *p == '"' ? "&quot;" : *p == '\'' ? "&#39;" : NULL;
        if (rep) report_raw(b, rep);
        else plot_buf_add(b, p, 1);
    }
}

void report_base64(plot_buf *b, const unsigned char *p, size_t n) {
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char out[4];
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
        out[0] = abc[v >> 18 & 63], out[1] = abc[v >> 12 & 63];
        out[2] = i + 1 < n ? abc[v >> 6 & 63] : '=';
        out[3] = i + 2 < n ? abc[v & 63] : '=';
        plot_buf_add(b, out, 4);
    }
}

/* Does text at p start with s? */
static int at(const char *p, const char *end, const char *s) {
    size_t n = strlen(s);
    return (size_t)(end - p) >= n && !memcmp(p, s, n);
}

void report_svg(plot_buf *b, const plot_buf *svg, const char *prefix) {
    const char *p = (const char *)svg->p, *end = p + svg->n;
    if (at(p, end, "<?xml")) { /* drop the declaration */
        const char *q = memchr(p, '>', (size_t)(end - p));
        p = q ? q + 1 : end;
    }
    static const char *const marks[] = {" id=\"", "href=\"#", "url(#"};
    while (p < end) {
        int hit = -1;
        for (int k = 0; k < 3 && hit < 0; k++)
            if (at(p, end, marks[k])) hit = k;
        if (hit < 0) {
            plot_buf_add(b, p++, 1);
            continue;
        }
        report_raw(b, marks[hit]);
        report_raw(b, prefix);
        p += strlen(marks[hit]);
    }
}
