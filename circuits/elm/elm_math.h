/* elm_math.h -- the Expressive Leaky Memory neuron (Spieler et al. 2023,
 * "The ELM Neuron: an Efficient and Expressive Cortical Neuron Model Can
 * Solve Long-Horizon Tasks"), one control step (module elm_).
 *
 * Per step, with inputs x (n_in), synaptic traces s (n_in), memory m
 * (n_mem) and decays k = exp(-dt / tau) from learnable timescales:
 *   s     = k_s * s + x                          leaky synapses
 *   h     = tanh(W1 [s; k_m * m] + b1)           the integrating MLP (n_hidden)
 *   dm    = tanh(W2 h + b2)                      proposed memory update
 *   m     = k_m * m + (1 - k_m) * dm             memory units with timescales tau_m
 *   y     = tanh(Wy m + by)                      outputs in [-1, 1] (n_out)
 * The paper's MLP output is unbounded and its readout linear; tanh keeps
 * memory and actions bounded, as an animat action port wants.
 *
 * Theta layout (elm_theta_count entries): tau_s[n_in], tau_m[n_mem],
 * W1[n_hidden x (n_in + n_mem)] row-major, b1[n_hidden], W2[n_mem x
 * n_hidden], b2[n_mem], Wy[n_out x n_mem], by[n_out].
 * Pure maths: no allocation, no host calls.
 */
#ifndef ELM_MATH_H
#define ELM_MATH_H

#include <stdint.h>

typedef struct elm_dims {
    uint32_t n_in, n_mem, n_hidden, n_out;
} elm_dims;

/* Offsets of each block in theta. */
typedef struct elm_layout {
    uint32_t tau_s, tau_m, w1, b1, w2, b2, wy, by, n;
} elm_layout;

/* The layout for dims d (n = theta length). Pure. */
elm_layout elm_layout_of(const elm_dims *d);

/* One step: updates s (n_in) and m (n_mem) in place, writes the hidden
 * activations to h (n_hidden) and outputs to y (n_out). theta by the
 * layout; dt > 0 s. No allocation. */
void elm_step(const elm_dims *d, const double *theta, double dt, const double *x, double *s, double *m, double *h,
              double *y);

#endif /* ELM_MATH_H */
