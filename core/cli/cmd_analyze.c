/* cmd_analyze.c -- see cmd_analyze.h. */
#include "cli/cmd_analyze.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/aplot.h"
#include "analysis/summary.h"
#include "analysis/table.h"
#include "base/atomicfile.h"
#include "view/plot_data.h"

typedef struct an_args {
    const char *file, *method, *signals, *episode, *from, *to, *plot, *out, *degree, *threshold, *rank, *deriv;
    int phase;
} an_args;

/* Options after checking: the method, the selection and the parameters. */
typedef struct an_opts {
    an_kind kind;
    an_select sel;
    uint32_t degree, rank;
    double threshold;
    an_table_format tfmt;
    plot_format pfmt;
} an_opts;

static const char usage_line[] = "animat analyze: usage: animat analyze FILE.h5 pca|dmd|sindy [--signals S,...] "
                                 "[--episode K] [--from T] [--to T] [--plot OUT.svg|png] [-o TABLE.csv|md] "
                                 "[--degree D] [--threshold L] [--phase] [--derivative S,...] [--rank R]\n";

/* The option slot for flag s, or NULL. */
static const char **slot_of(an_args *a, const char *s) {
    static const char *const flags[] = {"--signals", "--episode", "--from", "--to", "--plot", "-o",
                                        "--degree", "--threshold", "--rank", "--derivative"};
    const char **slots[] = {&a->signals, &a->episode, &a->from, &a->to, &a->plot, &a->out,
                            &a->degree, &a->threshold, &a->rank, &a->deriv};
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
        if (!strcmp(s, flags[i])) return slots[i];
    return NULL;
}

/* Parse argv into *a. 0, or 2 after printing a usage error. */
static int parse_args(int argc, char **argv, an_args *a) {
    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL, **slot = slot_of(a, s);
        if (slot && !v) return fprintf(stderr, "animat analyze: %s needs a value (see animat --help)\n", s), 2;
        if (slot) *slot = v, i++;
        else if (!strcmp(s, "--phase")) a->phase = 1;
        else if (s[0] == '-' && s[1] && !(s[1] >= '0' && s[1] <= '9'))
            return fprintf(stderr, "animat analyze: unknown option '%s'\n", s), 2;
        else if (!a->file) a->file = s;
        else if (!a->method) a->method = s;
        else return fprintf(stderr, "animat analyze: unexpected argument '%s'\n", s), 2;
    }
    if (!a->file || !a->method) return fputs(usage_line, stderr), 2;
    return 0;
}

/* A number option: 0, or -1 with e set. */
static int number(const char *opt, const char *s, double lo, double hi, double *v, errmsg *e) {
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(*v) || *v < lo || *v > hi)
        return errmsg_set(e, "%s takes a number from %g to %g, not '%s'", opt, lo, hi, s);
    return 0;
}

/* An integer option in [lo, hi]: 0, or -1 with e set. */
static int integer(const char *opt, const char *s, uint32_t lo, uint32_t hi, uint32_t *v, errmsg *e) {
    double d;
    if (number(opt, s, -1e18, 1e18, &d, e) || d != floor(d) || d < lo || d > hi)
        return errmsg_set(e, "%s takes a whole number from %u to %u, not '%s'", opt, lo, hi, s);
    *v = (uint32_t)d;
    return 0;
}

/* The method and numeric options. 0 or -1 with e set. */
static int check_numbers(const an_args *a, an_opts *o, errmsg *e) {
    if (!strcmp(a->method, "pca")) o->kind = AN_PCA;
    else if (!strcmp(a->method, "dmd")) o->kind = AN_DMD;
    else if (!strcmp(a->method, "sindy")) o->kind = AN_SINDY;
    else return errmsg_set(e, "unknown analysis '%s' (pca, dmd or sindy)", a->method);
    uint32_t k = 1;
    o->degree = 2, o->threshold = 0.1, o->rank = 0, o->sel.to = -1;
    if (a->episode && integer("--episode", a->episode, 1, UINT32_MAX, &k, e)) return -1;
    o->sel.episode = k - 1;
    if (a->degree && integer("--degree", a->degree, 1, AN_SINDY_MAX_DEGREE, &o->degree, e)) return -1;
    if (a->rank && integer("--rank", a->rank, 1, 100000, &o->rank, e)) return -1;
    if (a->threshold && number("--threshold", a->threshold, 0, 1e12, &o->threshold, e)) return -1;
    if (a->from && number("--from", a->from, 0, 1e12, &o->sel.from, e)) return -1;
    if (a->to && number("--to", a->to, 0, 1e12, &o->sel.to, e)) return -1;
    if (a->to && o->sel.to <= o->sel.from)
        return errmsg_set(e, "--from %g must be before --to %g", o->sel.from, o->sel.to);
    if (o->kind != AN_SINDY && (a->degree || a->threshold || a->phase || a->deriv))
        return errmsg_set(e, "--degree, --threshold, --phase and --derivative are options of sindy, not %s", a->method);
    if (o->kind != AN_DMD && a->rank) return errmsg_set(e, "--rank is an option of dmd, not %s", a->method);
    o->sel.signals = a->signals;
    return 0;
}

/* Everything checkable before the recording is read. 0 or -1. */
static int check_args(const an_args *a, an_opts *o, errmsg *e) {
    if (check_numbers(a, o, e)) return -1;
    const char *others[2] = {a->file, a->plot};
    if (a->out && (an_table_format_of(a->out, &o->tfmt, e) || atomicfile_check(a->out, "-o", others, 2, e)))
        return -1;
    others[1] = a->out;
    if (a->plot && (plot_format_of(a->plot, &o->pfmt, e) || atomicfile_check(a->plot, "--plot", others, 2, e)))
        return -1;
    return 0;
}

/* Results of one analysis (only the one of its kind is set). */
typedef struct an_result {
    an_series s;
    an_pca pca;
    an_dmd dmd;
    an_sindy sindy;
    an_table table;
} an_result;

static void result_free(an_result *r) {
    an_series_free(&r->s), an_pca_free(&r->pca), an_dmd_free(&r->dmd), an_sindy_free(&r->sindy);
    an_table_free(&r->table);
}

/* Load the chosen signals and, for --derivative, the derivatives into *d
 * (checked to match). 0 or -1 with e set; nothing printed. */
static int load(const h5rec *rec, const an_args *a, const an_opts *o, an_series *x, an_series *d, errmsg *e) {
    if (an_series_load(rec, &o->sel, o->kind == AN_PCA ? 2 : 3, x, e)) return -1;
    an_select ds = o->sel;
    ds.signals = a->deriv;
    if (!a->deriv) return 0;
    if (an_series_load(rec, &ds, 3, d, e)) return -1;
    if (d->m == x->m && d->T == x->T) return 0;
    return errmsg_set(e, "--derivative %s: %u variables over %llu samples, but --signals %s has %u over %llu", a->deriv,
                      d->m, (unsigned long long)d->T, x->signals, x->m, (unsigned long long)x->T);
}

/* Load the data and run the method; print the results. 0 or -1. */
static int compute(const h5rec *rec, const an_args *a, const an_opts *o, an_result *r, FILE *out, errmsg *e) {
    an_series d = {0};
    int rc = load(rec, a, o, &r->s, &d, e);
    if (!rc && o->kind == AN_PCA) rc = an_pca_run(r->s.x, r->s.T, r->s.m, &r->pca, e);
    if (!rc && o->kind == AN_DMD) rc = an_dmd_run(r->s.x, r->s.T, r->s.m, r->s.dt, o->rank, &r->dmd, e);
    if (!rc && o->kind == AN_SINDY) {
        an_sindy_opts so = {.degree = o->degree, .threshold = o->threshold, .phase = a->phase, .dxdt = d.x};
        rc = an_sindy_run(r->s.x, r->s.T, r->s.m, (const char *const *)r->s.names, r->s.dt, &so, &r->sindy, e);
    }
    an_series_free(&d);
    if (rc) return -1;
    fprintf(out, "%s of %s, episode %llu, t in [%g, %g] s: %llu samples x %u variables (every %g s)\n",
            o->kind == AN_PCA ? "PCA" : o->kind == AN_DMD ? "DMD" : "SINDy", r->s.signals,
            (unsigned long long)o->sel.episode + 1, r->s.t0, r->s.t0 + (double)(r->s.T - 1) * r->s.dt,
            (unsigned long long)r->s.T, r->s.m, r->s.dt);
    if (o->kind == AN_PCA) return an_pca_summary(&r->pca, &r->s, &r->table, out);
    if (o->kind == AN_DMD) return an_dmd_summary(&r->dmd, &r->table, out);
    return an_sindy_summary(&r->sindy, &r->s, &r->table, out);
}

/* Write the table (-o) and the figure (--plot). 0 or -1 with e set. */
static int write_outputs(const h5rec *rec, const an_args *a, const an_opts *o, an_result *r, FILE *out,
                         errmsg *e) {
    plot_buf b = {0};
    if (a->plot) {
        char what[300], title[600];
        snprintf(what, sizeof what, "%s of %s", a->method, r->s.signals);
        an_figure fig = {o->kind, &r->s, &r->pca, &r->dmd, &r->sindy, plot_title_of(rec, what, title, sizeof title)};
        if (an_plot_render(&fig, o->pfmt, &b, e)) return -1;
    }
    if (a->out) {
        char *text = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&text, &len);
        if (!mem) return plot_buf_free(&b), errmsg_set(e, "out of memory");
        an_table_print(&r->table, o->tfmt, mem);
        fclose(mem);
        int rc = atomicfile_write(a->out, text, len, e);
        free(text);
        if (rc) return plot_buf_free(&b), -1;
        fprintf(out, "wrote %s\n", a->out);
    }
    int rc = a->plot ? atomicfile_write(a->plot, b.p, b.n, e) : 0;
    if (a->plot && !rc) fprintf(out, "wrote %s\n", a->plot);
    plot_buf_free(&b);
    return rc;
}

static int run_analyze(int argc, char **argv, FILE *out) {
    an_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc) return rc;
    errmsg e;
    errmsg_clear(&e);
    an_opts o;
    memset(&o, 0, sizeof o);
    h5rec rec;
    if (check_args(&a, &o, &e) || h5rec_open(&rec, a.file, &e)) {
        fprintf(stderr, "error: %s\n", e.msg);
        return 1;
    }
    an_result r;
    memset(&r, 0, sizeof r);
    rc = compute(&rec, &a, &o, &r, out, &e);
    if (!rc && r.table.oom) rc = errmsg_set(&e, "out of memory");
    if (!rc) rc = write_outputs(&rec, &a, &o, &r, out, &e);
    if (rc) fprintf(stderr, "error: %s\n", e.msg);
    rc = rc ? 1 : 0;
    result_free(&r);
    h5rec_close(&rec);
    return rc;
}

int cmd_analyze_main(int argc, char **argv, FILE *out) {
    int rc = run_analyze(argc, argv, out);
    plot_release();
    return rc;
}
