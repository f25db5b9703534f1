/* sweep_summary.c -- DIR/summary.csv and DIR/summary.md: one row per grid
 * point over its seeds (see sweep_summary_write in sweep.h). */
#include "cli/sweep.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "base/atomicfile.h"

/* Statistics of one point's values. */
typedef struct point_stats {
    size_t n;
    double mean, sd, lo, hi, min, max; /* sd, lo, hi NaN when n < 2 */
} point_stats;

/* n, mean, sample sd, the 95% CI of the mean (Student t, n - 1 degrees of
 * freedom) and min/max of v[0..n). */
static point_stats stats(const double *v, size_t n) {
    point_stats s = {.n = n, .sd = NAN, .lo = NAN, .hi = NAN};
    s.mean = gsl_stats_mean(v, 1, n);
    gsl_stats_minmax(&s.min, &s.max, v, 1, n);
    if (n > 1) {
        s.sd = gsl_stats_sd_m(v, 1, n, s.mean);
        double half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * s.sd / sqrt((double)n);
        s.lo = s.mean - half, s.hi = s.mean + half;
    }
    return s;
}

/* A CSV field: quoted, quotes doubled. */
static void csv_field(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) fputs(*s == '"' ? "\"\"" : (char[]){*s, 0}, f);
    fputc('"', f);
}

/* Point k's grid values, each its own CSV field. */
static void csv_point(FILE *f, const sweep_plan *p, uint32_t k) {
    uint32_t rest = k, idx[SWEEP_MAX_AXES];
    for (int a = (int)p->naxes - 1; a >= 0; a--) idx[a] = rest % p->axes[a].n, rest /= p->axes[a].n;
    for (uint32_t a = 0; a < p->naxes; a++) csv_field(f, p->axes[a].labels[idx[a]]), fputc(',', f);
}

/* The two files' texts into *csv and *md (caller frees). 0 or -1 (OOM). */
static int render(const sweep_plan *p, char **csv, size_t *ncsv, char **md, size_t *nmd) {
    FILE *c = open_memstream(csv, ncsv), *m = open_memstream(md, nmd);
    uint32_t nseeds = p->npoints ? p->nruns / p->npoints : 0;
    double *v = calloc(nseeds ? nseeds : 1, sizeof *v);
    if (!c || !m || !v) {
        if (c) fclose(c), free(*csv);
        if (m) fclose(m), free(*md);
        free(v);
        return -1;
    }
    const char *what = p->train ? "held-out mean return after training" : "mean return";
    for (uint32_t a = 0; a < p->naxes; a++) csv_field(c, p->axes[a].key), fputc(',', c);
    fprintf(c, "n,mean,sd,ci95_lo,ci95_hi,min,max\n");
    fprintf(m, "# Sweep of %s\n\nEach value is one run's %s; per grid point over seeds %llu..%llu: n, mean, sample "
               "sd, the 95%% confidence interval of the mean (Student t, n - 1 degrees of freedom) and min/max.\n\n",
            p->file, what, (unsigned long long)p->seed_lo, (unsigned long long)p->seed_hi);
    fputs("| ", m);
    for (uint32_t a = 0; a < p->naxes; a++) fprintf(m, "%s | ", p->axes[a].key);
    fputs("n | mean | sd | 95% CI | min | max |\n|", m);
    for (uint32_t a = 0; a < p->naxes + 6; a++) fputs("---|", m);
    fputc('\n', m);
    for (uint32_t k = 0; k < p->npoints; k++) {
        for (uint32_t s = 0; s < nseeds; s++) v[s] = p->runs[k * nseeds + s].value;
        point_stats st = stats(v, nseeds);
        csv_point(c, p, k);
        fprintf(c, "%zu,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g\n", st.n, st.mean, st.sd, st.lo, st.hi, st.min, st.max);
        char label[4096];
        sweep_point_label(p, k, label, sizeof label);
        fputs("| ", m);
        uint32_t rest = k, idx[SWEEP_MAX_AXES];
        for (int a = (int)p->naxes - 1; a >= 0; a--) idx[a] = rest % p->axes[a].n, rest /= p->axes[a].n;
        for (uint32_t a = 0; a < p->naxes; a++) fprintf(m, "%s | ", p->axes[a].labels[idx[a]]);
        if (st.n > 1)
            fprintf(m, "%zu | %.3f | %.3f | [%.3f, %.3f] | %.3f | %.3f |\n", st.n, st.mean, st.sd, st.lo, st.hi, st.min,
                    st.max);
        else
            fprintf(m, "%zu | %.3f | - | - | %.3f | %.3f |\n", st.n, st.mean, st.min, st.max);
    }
    free(v);
    int bad = fclose(c) | fclose(m);
    if (bad) free(*csv), free(*md);
    return bad ? -1 : 0;
}

int sweep_summary_write(const sweep_plan *p, errmsg *e) {
    for (uint32_t r = 0; r < p->nruns; r++)
        if (!p->runs[r].done) return errmsg_set(e, "run %s has no result: cannot summarise", p->runs[r].name);
    char *csv = NULL, *md = NULL, path[PATH_MAX];
    size_t ncsv = 0, nmd = 0;
    if (render(p, &csv, &ncsv, &md, &nmd)) return errmsg_set(e, "out of memory");
    snprintf(path, sizeof path, "%s/summary.csv", p->dir);
    int rc = atomicfile_write(path, csv, ncsv, e);
    snprintf(path, sizeof path, "%s/summary.md", p->dir);
    if (!rc) rc = atomicfile_write(path, md, nmd, e);
    free(csv), free(md);
    return rc;
}
