/* table.c -- see table.h. */
#include "analysis/table.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Append one row of ncols owned cells. */
static void add(an_table *t, char **row) {
    if (t->nrows == t->cap) {
        uint32_t cap = t->cap ? 2 * t->cap : 16;
        char **c = realloc(t->cells, (size_t)cap * t->ncols * sizeof *c);
        if (!c) {
            for (uint32_t j = 0; j < t->ncols; j++) free(row[j]);
            t->oom = 1;
            return;
        }
        t->cells = c, t->cap = cap;
    }
    memcpy(t->cells + (size_t)t->nrows * t->ncols, row, t->ncols * sizeof *row);
    t->nrows++;
}

/* Split s at tabs into ncols fresh strings (missing ones empty). */
static void split(an_table *t, const char *s) {
    char **row = calloc(t->ncols, sizeof *row);
    if (!row) return (void)(t->oom = 1);
    for (uint32_t j = 0; j < t->ncols; j++) {
        const char *tab = s ? strchr(s, '\t') : NULL;
        size_t n = s ? (tab ? (size_t)(tab - s) : strlen(s)) : 0;
        row[j] = strndup(s ? s : "", n);
        if (!row[j]) t->oom = 1;
        s = tab ? tab + 1 : NULL;
    }
    add(t, row);
    free(row);
}

void an_table_init(an_table *t, uint32_t ncols, const char *const *header) {
    memset(t, 0, sizeof *t);
    t->ncols = ncols;
    char **row = calloc(ncols, sizeof *row);
    if (!row) return (void)(t->oom = 1);
    for (uint32_t j = 0; j < ncols; j++) row[j] = strdup(header[j]);
    add(t, row);
    free(row);
}

void an_table_row(an_table *t, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) s = NULL;
    va_end(ap);
    if (!s) return (void)(t->oom = 1);
    split(t, s);
    free(s);
}

static const char *cell(const an_table *t, uint32_t i, uint32_t j) {
    const char *c = t->cells[(size_t)i * t->ncols + j];
    return c ? c : "";
}

/* A CSV field: quoted when it holds a comma, quote or newline. */
static void csv_field(const char *s, FILE *out) {
    if (!strpbrk(s, ",\"\n")) return (void)fputs(s, out);
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"') fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

void an_table_print(const an_table *t, an_table_format f, FILE *out) {
    size_t w[64] = {0};
    for (uint32_t i = 0; i < t->nrows; i++)
        for (uint32_t j = 0; j < t->ncols && j < 64; j++)
            if (strlen(cell(t, i, j)) > w[j]) w[j] = strlen(cell(t, i, j));
    for (uint32_t i = 0; i < t->nrows; i++) {
        for (uint32_t j = 0; j < t->ncols; j++) {
            const char *c = cell(t, i, j);
            if (f == AN_CSV) {
                if (j) fputc(',', out);
                csv_field(c, out);
            } else if (f == AN_MARKDOWN) {
                fprintf(out, "| %s ", c);
            } else {
                fprintf(out, "%s%-*s", j ? "  " : "", j + 1 < t->ncols ? (int)w[j < 64 ? j : 63] : 0, c);
            }
        }
        fputs(f == AN_MARKDOWN ? "|\n" : "\n", out);
        if (f == AN_MARKDOWN && i == 0) {
            for (uint32_t j = 0; j < t->ncols; j++) fputs("|---", out);
            fputs("|\n", out);
        }
    }
}

int an_table_format_of(const char *path, an_table_format *f, errmsg *e) {
    const char *dot = strrchr(path, '.');
    if (dot && strchr(dot, '/')) dot = NULL;
    if (dot && !strcasecmp(dot, ".csv")) return *f = AN_CSV, 0;
    if (dot && !strcasecmp(dot, ".md")) return *f = AN_MARKDOWN, 0;
    char q[80];
    return errmsg_set(e, "-o %s: unknown table format '%s' (use .csv or .md)", errmsg_quote(path, q, sizeof q),
                      dot ? dot : "no extension");
}

void an_table_free(an_table *t) {
    for (size_t k = 0; t->cells && k < (size_t)t->nrows * t->ncols; k++) free(t->cells[k]);
    free(t->cells);
    memset(t, 0, sizeof *t);
}
