/* plot_wave.h -- is there a wave travelling along a chain of elements (the
 * joints of a swimmer, head first), and which way? The data behind the
 * kymograph, checked by the tests on real and synthetic recordings.
 */
#ifndef PLOT_WAVE_H
#define PLOT_WAVE_H

#include <stdint.h>

/* Direction of a wave travelling along n elements (T samples x n, row-major,
 * x[t*n + i]; a trailing run of NaN rows, as after an episode ended, is
 * ignored, and so is the first quarter, the start-up transient): for each
 * adjacent pair (i-1, i) the lag, in samples, of the peak of their
 * cross-correlation within half the period of element 0, positive when
 * element i lags element i-1 (lags: n-1 entries, may be NULL). Returns +1
 * when every lag is positive (head to tail), -1 when every lag is negative
 * (tail to head), 0 otherwise (no wave, mixed, n < 2, T too short). */
int plot_wave_direction(const double *x, uint64_t T, uint64_t n, int32_t *lags);

#endif
