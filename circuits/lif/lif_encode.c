/* lif_encode.c -- see lif_encode.h. */
#include "lif_encode.h"

#include <math.h>

/* clamp(x, 0, 1). */
static double unit_clamp(double x) { return x < 0.0 ? 0.0 : (x > 1.0 ? 1.0 : x); }

void lif_encode(const lif_enc *e, uint32_t n_in, const double *x, const double *gain,
                lif_net *net) {
    for (uint32_t k = 0; k < n_in; k++) {
        double part[2] = {x[k] > 0.0 ? x[k] : 0.0, x[k] < 0.0 ? -x[k] : 0.0};
        for (uint32_t s = 0; s < 2; s++) {
            uint32_t i = 2 * k + s;
            if (e->mode == LIF_ENC_CURRENT) {
                net->i_ext[i] = gain[k] * part[s] + e->bias;
            } else {
                net->i_ext[i] = 0.0;
                net->rate_ext[i] = e->bg_rate + e->rate_max * unit_clamp(gain[k] * part[s]);
            }
        }
    }
}

void lif_rate_update(uint32_t n, const double *spk, double decay, double tau, double *r) {
    for (uint32_t i = 0; i < n; i++) r[i] = r[i] * decay + spk[i] / tau;
}

void lif_decode(uint32_t mode, uint32_t n, uint32_t n_out, const double *r,
                const double *counts, double t_step, const double *gain, double *y) {
    uint32_t base = n - 2 * n_out;
    for (uint32_t k = 0; k < n_out; k++) {
        uint32_t on = base + 2 * k, off = on + 1;
        double a = mode == LIF_DEC_RATE ? r[on] - r[off] : (counts[on] - counts[off]) / t_step;
        y[k] = tanh(gain[k] * a);
    }
}
