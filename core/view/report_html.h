/* report_html.h -- the pieces of the HTML report page: escaped text,
 * base64, and cairo SVGs made fit to sit inline in one page. All append to
 * a plot_buf (plot.h); on out-of-memory the buffer's oom flag is set.
 */
#ifndef REPORT_HTML_H
#define REPORT_HTML_H

#include <stddef.h>

#include "view/plot.h"

/* s verbatim (markup written by the report itself). */
void report_raw(plot_buf *b, const char *s);

/* printf-style verbatim text; arguments are NOT escaped (numbers only). */
void report_fmt(plot_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* s as HTML text: & < > " ' escaped, other bytes kept (valid in a <pre>,
 * an element or a quoted attribute). NULL appends nothing. */
void report_text(plot_buf *b, const char *s);

/* n bytes as base64 (RFC 4648, padded), for data: URIs. */
void report_base64(plot_buf *b, const unsigned char *p, size_t n);

/* A cairo SVG document inline: the XML declaration dropped, and every id
 * and reference to one (id="x", href="#x", url(#x)) given `prefix`, so that
 * several figures in one page do not share glyph or clip ids. */
void report_svg(plot_buf *b, const plot_buf *svg, const char *prefix);

#endif
