/* mlp_math.h -- the pure maths of the MLP baseline circuit: theta layout and
 * the forward pass over plain arrays (no host, no allocation).
 *
 * A net of L layers has L+1 sizes: sizes[0] = inputs, sizes[1..L-1] = hidden
 * widths, sizes[L] = outputs. theta holds, for each layer l in order, W_l
 * row-major (sizes[l+1] rows x sizes[l] columns) then b_l (sizes[l+1]).
 * Every layer applies tanh, the output layer included (actions in [-1, 1]).
 * All functions are reentrant and thread-safe; they touch only the
 * caller-owned arrays they are given.
 */
#ifndef MLP_MATH_H
#define MLP_MATH_H

#include <stdint.h>

#include "cunits.h"

/* Number of theta entries of the net described by `sizes` (n_layers + 1
 * entries). Computed in 64 bits so that callers can refuse overflow. Pure. */
uint64_t mlp_theta_count(uint32_t n_layers, const uint32_t *sizes);

/* Offset of layer l's weight block in theta (its bias block follows after
 * sizes[l] * sizes[l+1] entries). Pure. */
uint64_t mlp_layer_offset(const uint32_t *sizes, uint32_t l);

/* Number of scratch doubles mlp_forward needs: the sum of hidden widths. */
uint64_t mlp_scratch_count(uint32_t n_layers, const uint32_t *sizes);

/* Forward pass: y = tanh(W_L ... tanh(W_1 x + b_1) ... + b_L). `x` has
 * sizes[0] doubles, `y` sizes[n_layers]; `scratch` holds mlp_scratch_count
 * doubles for the hidden activations (may be NULL when there are none). All
 * buffers are caller-owned and must not overlap. No allocation. */
void mlp_forward(uint32_t n_layers, const uint32_t *sizes, const double *theta,
                 const double *x, double *scratch, double *y);

/* mlp_forward with "animat.units/1" overrides (`units`, NULL = none): unit
 * k is the k-th layer output counting from the first hidden layer's first
 * element (hidden layers in order, then the outputs), overridden where it
 * is computed so later layers and y see it; FREE units keep their exact
 * bits. Same buffers and rules as mlp_forward. No allocation. */
void mlp_forward_units(uint32_t n_layers, const uint32_t *sizes, const double *theta,
                       const double *x, double *scratch, double *y, const cu_units *units);

#endif /* MLP_MATH_H */
