/* lif_encode.h -- encoders from port values to a LIF net's external input
 * and decoders from its spikes to port values (pure, no host).
 *
 * Input k drives an on/off pair of neurons, 2k (positive part of x_k) and
 * 2k + 1 (negative part); output k is read from the pair n - 2 n_out + 2k
 * (pushes y_k up) and n - 2 n_out + 2k + 1 (pushes it down).
 */
#ifndef LIF_ENCODE_H
#define LIF_ENCODE_H

#include <stdint.h>

#include "lif_net.h"

#define LIF_ENC_CURRENT 0u /* I_ext = gain * max(+-x, 0) + bias */
#define LIF_ENC_POISSON 1u /* rate = bg + rate_max * clamp(gain * max(+-x, 0), 0, 1) */

#define LIF_DEC_RATE 0u  /* exponentially filtered rate, Hz */
#define LIF_DEC_COUNT 1u /* spikes in the control step / its length, Hz */

/* Encoder settings. */
typedef struct lif_enc {
    uint32_t mode;   /* LIF_ENC_* */
    double bias;     /* nA added to every encoder neuron (current mode) */
    double rate_max; /* Hz (poisson mode) */
    double bg_rate;  /* background Poisson rate of every neuron, Hz */
} lif_enc;

/* Set the external input of the 2 n_in encoder neurons from x (n_in
 * values) and per-input gains; every other neuron keeps rate bg_rate and no
 * external current. No allocation. */
void lif_encode(const lif_enc *e, uint32_t n_in, const double *x, const double *gain,
                lif_net *net);

/* Decoder: per substep, fold the net's spike outputs into the filtered
 * rates r (n values, Hz): r = r * decay + spk / tau. No allocation. */
void lif_rate_update(uint32_t n, const double *spk, double decay, double tau, double *r);

/* y_k = tanh(gain_k * (a[on] - a[off])) for the n_out output pairs, where
 * a is the filtered rate r (LIF_DEC_RATE) or counts / t_step
 * (LIF_DEC_COUNT); n is the number of neurons. No allocation. */
void lif_decode(uint32_t mode, uint32_t n, uint32_t n_out, const double *r,
                const double *counts, double t_step, const double *gain, double *y);

#endif /* LIF_ENCODE_H */
