/* series.c -- see series.h. */
#include "analysis/series.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AN_MAX_SIGNALS 64

/* The signal list to use: sel->signals, or every *.units signal. Caller
 * frees; NULL with e set. */
static char *chosen(const h5rec *r, const an_select *sel, errmsg *e) {
    if (sel->signals) return strdup(sel->signals);
    char *s = h5rec_find_signals(r, "*.units");
    if (!s) errmsg_set(e, "%s: no circuit units recorded (NAME.units); choose signals with --signals", r->path);
    return s;
}

/* Samples of the episode before the first non-finite value of any signal. */
static uint64_t finite_length(const h5signal *sig, int n) {
    uint64_t T = sig[0].T;
    for (int k = 0; k < n; k++)
        for (uint64_t t = 0; t < T; t++)
            for (uint64_t i = 0; i < sig[k].n; i++)
                if (!isfinite(sig[k].v[t * sig[k].n + i])) {
                    T = t;
                    break;
                }
    return T;
}

/* Read each signal of the list into sig[]; the count, or -1 with e set. */
static int read_signals(const h5rec *r, char *list, uint64_t episode, h5signal *sig, errmsg *e) {
    int n = 0, rc = 0;
    char *save = NULL;
    for (char *name = strtok_r(list, ",", &save); name && !rc; name = strtok_r(NULL, ",", &save)) {
        if (n == AN_MAX_SIGNALS) rc = errmsg_set(e, "--signals: at most %d signals", AN_MAX_SIGNALS);
        else if (!(rc = h5rec_signal_full(r, name, episode, &sig[n], e))) n++;
        if (!rc && sig[n - 1].T != sig[0].T)
            rc = errmsg_set(e, "%s: %s and %s have different lengths", r->path, sig[0].name, name);
    }
    if (!rc && !n) rc = errmsg_set(e, "--signals: no signal named");
    if (rc)
        while (n > 0) h5signal_free(&sig[--n]);
    return rc ? -1 : n;
}

/* Fill s from the signals, samples [a, b). 0 or -1 (out of memory). */
static int fill(an_series *s, const h5signal *sig, int n, uint64_t a, uint64_t b) {
    uint64_t m = 0;
    for (int k = 0; k < n; k++) m += sig[k].n;
    s->m = (uint32_t)m, s->T = b - a;
    s->x = malloc(s->T * m * sizeof *s->x);
    s->names = calloc(m + 1, sizeof *s->names);
    if (!s->x || !s->names) return -1;
    uint64_t j = 0;
    for (int k = 0; k < n; k++)
        for (uint64_t i = 0; i < sig[k].n; i++, j++) {
            const char *pre = n > 1 ? sig[k].name : "", *sep = n > 1 ? ":" : "";
            if (asprintf(&s->names[j], "%s%s%s", pre, sep, sig[k].elems[i]) < 0) return s->names[j] = NULL, -1;
            for (uint64_t t = a; t < b; t++) s->x[(t - a) * m + j] = sig[k].v[t * sig[k].n + i];
        }
    return 0;
}

int an_series_load(const h5rec *r, const an_select *sel, uint64_t min_T, an_series *s, errmsg *e) {
    memset(s, 0, sizeof *s);
    double dt = 0, every = 1;
    if (h5rec_attr_num(r, "dt", &dt) || !(dt > 0))
        return errmsg_set(e, "%s: no positive root attribute 'dt' (the control step)", r->path);
    h5rec_attr_num(r, "every", &every);
    s->dt = dt * (every >= 1 ? every : 1);
    char *list = chosen(r, sel, e);
    if (!list) return -1;
    s->signals = strdup(list);
    h5signal sig[AN_MAX_SIGNALS];
    int n = s->signals ? read_signals(r, list, sel->episode, sig, e) : errmsg_set(e, "out of memory");
    free(list);
    if (n < 0) return an_series_free(s), -1;
    uint64_t T = finite_length(sig, n);
    uint64_t a = (uint64_t)ceil(sel->from / s->dt - 1e-9), b = sel->to < 0 ? T : (uint64_t)ceil(sel->to / s->dt - 1e-9);
    if (b > T) b = T;
    int rc = 0;
    if (a >= b || b - a < min_T)
        rc = errmsg_set(e, "%s: episode %llu has %llu samples in the window [%g, %g) s (of %llu, every %g s); at least "
                        "%llu needed", r->path, (unsigned long long)sel->episode + 1,
                        (unsigned long long)(b > a ? b - a : 0), sel->from, sel->to < 0 ? (double)T * s->dt : sel->to,
                        (unsigned long long)T, s->dt, (unsigned long long)min_T);
    else if (fill(s, sig, n, a, b))
        rc = errmsg_set(e, "out of memory");
    s->t0 = (double)a * s->dt;
    for (int k = 0; k < n; k++) h5signal_free(&sig[k]);
    if (rc) an_series_free(s);
    return rc;
}

void an_series_free(an_series *s) {
    for (uint32_t j = 0; s->names && j < s->m; j++) free(s->names[j]);
    free(s->names);
    free(s->x);
    free(s->signals);
    memset(s, 0, sizeof *s);
}
