/* plot_wave.c -- see plot_wave.h. */
#include "view/plot_wave.h"

#include <math.h>
#include <stdlib.h>

/* Cross-correlation of elements a and b of x over rows [t0, t1) at lag L:
 * sum_t (x_a(t) - ma)(x_b(t + L) - mb), over the rows where both exist. */
static double xcorr(const double *x, uint64_t n, uint64_t t0, uint64_t t1, uint64_t a, uint64_t b,
                    const double *mean, int64_t L) {
    double s = 0;
    for (uint64_t t = t0; t < t1; t++) {
        int64_t u = (int64_t)t + L;
        if (u < (int64_t)t0 || u >= (int64_t)t1) continue;
        s += (x[t * n + a] - mean[a]) * (x[(uint64_t)u * n + b] - mean[b]);
    }
    return s;
}

/* Period of element 0 in samples from its autocorrelation: the highest peak
 * after the first negative value; 0 when there is none. */
static int64_t period_of(const double *x, uint64_t n, uint64_t t0, uint64_t t1, const double *mean) {
    int64_t len = (int64_t)(t1 - t0), best = 0, L = 1;
    while (L < len / 2 && xcorr(x, n, t0, t1, 0, 0, mean, L) >= 0) L++;
    if (L >= len / 2) return 0;
    double peak = 0;
    for (; L < len / 2; L++) {
        double c = xcorr(x, n, t0, t1, 0, 0, mean, L);
        if (c > peak) peak = c, best = L;
        else if (best && c < 0) break; /* past the first peak */
    }
    return best;
}

int plot_wave_direction(const double *x, uint64_t T, uint64_t n, int32_t *lags) {
    while (T > 0 && isnan(x[(T - 1) * n])) T--;
    uint64_t t0 = T / 4, t1 = T;
    if (n < 2 || t1 - t0 < 16) return 0;
    double *mean = calloc(n, sizeof *mean);
    if (!mean) return 0;
    for (uint64_t i = 0; i < n; i++) {
        for (uint64_t t = t0; t < t1; t++) mean[i] += x[t * n + i];
        mean[i] /= (double)(t1 - t0);
    }
    int64_t half = period_of(x, n, t0, t1, mean) / 2;
    int pos = 0, neg = 0;
    for (uint64_t i = 1; i < n && half > 0; i++) {
        int64_t best = 0;
        double peak = -INFINITY;
        for (int64_t L = -half; L <= half; L++) {
            double c = xcorr(x, n, t0, t1, i - 1, i, mean, L);
            if (c > peak) peak = c, best = L;
        }
        if (lags) lags[i - 1] = (int32_t)best;
        pos += best > 0, neg += best < 0;
    }
    free(mean);
    if (half <= 0) return 0;
    return pos == (int)(n - 1) ? 1 : neg == (int)(n - 1) ? -1 : 0;
}
