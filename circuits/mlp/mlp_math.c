/* mlp_math.c -- see mlp_math.h. */
#include "mlp_math.h"

#include <math.h>
#include <stddef.h>

uint64_t mlp_theta_count(uint32_t n_layers, const uint32_t *sizes) {
    return mlp_layer_offset(sizes, n_layers);
}

uint64_t mlp_layer_offset(const uint32_t *sizes, uint32_t l) {
    uint64_t off = 0;
    for (uint32_t k = 0; k < l; k++)
        off += (uint64_t)sizes[k + 1] * sizes[k] + sizes[k + 1];
    return off;
}

uint64_t mlp_scratch_count(uint32_t n_layers, const uint32_t *sizes) {
    uint64_t n = 0;
    for (uint32_t k = 1; k < n_layers; k++) n += sizes[k];
    return n;
}

void mlp_forward(uint32_t n_layers, const uint32_t *sizes, const double *theta,
                 const double *x, double *scratch, double *y) {
    mlp_forward_units(n_layers, sizes, theta, x, scratch, y, NULL);
}

void mlp_forward_units(uint32_t n_layers, const uint32_t *sizes, const double *theta,
                       const double *x, double *scratch, double *y, const cu_units *units) {
    const double *in = x;
    uint32_t unit = 0; /* index of this layer's first unit */
    const double *p = theta;
    for (uint32_t l = 0; l < n_layers; l++) {
        uint32_t n_in = sizes[l], n_out = sizes[l + 1];
        /* hidden activations go to scratch, the last layer to y */
        double *out = (l + 1 == n_layers) ? y : scratch;
        const double *b = p + (size_t)n_out * n_in;
        for (uint32_t j = 0; j < n_out; j++) {
            const double *row = p + (size_t)j * n_in;
            double s = b[j];
            for (uint32_t i = 0; i < n_in; i++) s += row[i] * in[i];
            out[j] = cu_apply(units, unit + j, tanh(s));
        }
        unit += n_out;
        /* next layer reads what this one wrote */
        p = b + n_out;
        in = out;
        if (out == scratch) scratch += n_out;
    }
}
