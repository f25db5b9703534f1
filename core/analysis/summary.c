/* summary.c -- see summary.h. */
#include "analysis/summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The three variables with the largest |loading| in component k, as text. */
static void top_loadings(const an_pca *p, const an_series *s, uint32_t k, char *buf, size_t cap) {
    int used[3] = {-1, -1, -1};
    buf[0] = '\0';
    for (int n = 0; n < 3 && n < (int)p->m; n++) {
        int best = -1;
        for (uint32_t j = 0; j < p->m; j++)
            if ((int)j != used[0] && (int)j != used[1] &&
                (best < 0 || fabs(p->load[j * p->m + k]) > fabs(p->load[(uint32_t)best * p->m + k])))
                best = (int)j;
        used[n] = best;
        size_t len = strlen(buf);
        snprintf(buf + len, cap - len, "%s%s %+.3f", n ? ", " : "", s->names[best], p->load[(uint32_t)best * p->m + k]);
    }
}

int an_pca_summary(const an_pca *p, const an_series *s, an_table *t, FILE *out) {
    const char **head = calloc(p->m + 4, sizeof *head);
    if (!head) return t->oom = 1, 0;
    const char *fixed[4] = {"component", "variance", "explained", "cumulative"};
    for (uint32_t j = 0; j < 4; j++) head[j] = fixed[j];
    for (uint32_t j = 0; j < p->m; j++) head[4 + j] = s->names[j];
    an_table_init(t, p->m + 4, head);
    free(head);
    double cum = 0;
    fprintf(out, "component  explained  cumulative  largest loadings\n");
    for (uint32_t k = 0; k < p->m; k++) {
        cum += p->explained[k];
        char *row = NULL, *tmp;
        if (asprintf(&row, "PC%u\t%.6g\t%.6f\t%.6f", k + 1, p->var[k], p->explained[k], cum) < 0) row = NULL;
        for (uint32_t j = 0; row && j < p->m; j++) {
            if (asprintf(&tmp, "%s\t%.6f", row, p->load[j * p->m + k]) < 0) tmp = NULL;
            free(row), row = tmp;
        }
        if (row) an_table_row(t, "%s", row);
        else t->oom = 1;
        free(row);
        if (k < 2 || cum - p->explained[k] < 0.999) {
            char top[400];
            top_loadings(p, s, k, top, sizeof top);
            fprintf(out, "PC%-8u %9.4f  %10.4f  %s\n", k + 1, p->explained[k], cum, top);
        }
    }
    return 0;
}

int an_dmd_summary(const an_dmd *d, an_table *t, FILE *out) {
    static const char *const head[] = {"mode", "lambda_re", "lambda_im", "abs_lambda", "frequency_hz",
                                       "period_s", "growth_per_s", "amplitude", "mean_amplitude"};
    an_table_init(t, 9, head);
    for (uint32_t k = 0; k < d->r; k++) {
        const an_dmd_mode *md = &d->modes[k];
        double per = fabs(md->freq) > 1e-9 ? 1 / fabs(md->freq) : INFINITY;
        an_table_row(t, "%u\t%.6f\t%.6f\t%.6f\t%.6f\t%.6g\t%.6f\t%.6g\t%.6g", k + 1, md->re, md->im,
                     hypot(md->re, md->im), md->freq, per, md->growth, md->amplitude, md->mean_amplitude);
    }
    fprintf(out, "rank %u of %u singular values (largest %.4g, smallest kept %.4g)\n", d->r, d->n_sv, d->sv[0],
            d->sv[d->r - 1]);
    const an_dmd_mode *dom = an_dmd_dominant(d, 1e-6);
    if (dom)
        fprintf(out, "dominant oscillation: %.6f Hz (period %.6f s), growth rate %.6f 1/s, mean amplitude %.4g\n",
                fabs(dom->freq), 1 / fabs(dom->freq), dom->growth, dom->mean_amplitude);
    else
        fprintf(out, "dominant oscillation: none (every eigenvalue is real)\n");
    an_table_print(t, AN_TEXT, out);
    return 0;
}

int an_sindy_summary(const an_sindy *s, const an_series *x, an_table *t, FILE *out) {
    static const char *const head[] = {"equation", "term", "coefficient"};
    an_table_init(t, 3, head);
    for (uint32_t i = 0; i < s->m; i++) {
        fprintf(out, "d %s/dt =", x->names[i]);
        int any = 0;
        for (uint32_t k = 0; k < s->P; k++) {
            double c = s->xi[(size_t)k * s->m + i];
            if (c == 0) continue;
            fprintf(out, " %s %.6g%s%s", any ? (c < 0 ? "-" : "+") : (c < 0 ? "-" : ""), fabs(c), k ? " " : "",
                    k ? s->terms[k] : "");
            an_table_row(t, "%s\t%s\t%.9g", x->names[i], s->terms[k], c);
            any = 1;
        }
        fprintf(out, "%s   (RMS residual %.3g, %.3g%% of RMS d/dt)\n", any ? "" : " 0", s->rms[i],
                s->scale[i] > 0 ? 100 * s->rms[i] / s->scale[i] : 0.0);
    }
    fprintf(out, "%u library terms, %llu samples\n", s->P, (unsigned long long)s->N);
    return 0;
}
