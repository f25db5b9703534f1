/* table.h -- the results of an analysis as a table of text cells, printed
 * aligned on the terminal and written as CSV or Markdown (-o FILE.csv |
 * FILE.md). Owned by the caller; one thread.
 */
#ifndef AN_TABLE_H
#define AN_TABLE_H

#include <stdint.h>
#include <stdio.h>

#include "base/errmsg.h"

typedef struct an_table {
    uint32_t ncols, nrows, cap; /* rows include the header (row 0) */
    char **cells;               /* nrows x ncols strings; owned */
    int oom;                    /* an add ran out of memory */
} an_table;

typedef enum an_table_format { AN_TEXT, AN_CSV, AN_MARKDOWN } an_table_format;

/* Start a table with the given header; ncols names. */
void an_table_init(an_table *t, uint32_t ncols, const char *const *header);

/* Append a row of ncols printf-formatted cells, separated by '\t' in fmt's
 * output ("%s\t%.6g"). Out of memory sets t->oom. */
void an_table_row(an_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Write the table in format f. */
void an_table_print(const an_table *t, an_table_format f, FILE *out);

/* The format from an -o path's extension (.csv, .md). 0, or -1 with e set. */
int an_table_format_of(const char *path, an_table_format *f, errmsg *e);

void an_table_free(an_table *t);

#endif
