/* subspace.c -- test-only circuit for Oja's rule and HLOP (Hebbian learning
 * of a principal subspace through lateral connections). k output units read
 * n inputs through the weights W (k x n, theta, row-major): y = W x. The
 * lateral/feedback path leaves each input unit with the residual
 * e = x - W^T y, and the presynaptic activity of synapse (j, i) is that
 * residual, so the plasticity extension's eligibility pre * post is
 * e_i y_j. A two-factor learner applying dW = eta * elig (the hebbian
 * plugin with a constant reward and a zero baseline) is then exactly Oja's
 * rule for k = 1 and Oja's subspace rule, HLOP's, for k > 1.
 * One instance per thread; nothing global except const tables.
 */
#include <animat/animat.h>
#include <animat/helpers.h>

#include <math.h>
#include <string.h>

#define SUB_MAX 16

typedef struct sub_circuit {
    const animat_host *h;
    uint32_t n, k;                            /* inputs, outputs */
    double w[SUB_MAX * SUB_MAX];              /* W, k x n */
    double elig[SUB_MAX * SUB_MAX];           /* e_i y_j of the last step */
    animat_param_info info[SUB_MAX * SUB_MAX]; /* theta metadata */
    animat_port_info in[1], out[1];
} sub_circuit;

static const animat_param_info sub_params[] = {
    ANIMAT_P_INT("n_in", "", 4, 1, SUB_MAX, "Number of inputs."),
    ANIMAT_P_INT("k", "", 1, 1, SUB_MAX, "Number of output units (subspace dimension), at most n_in."),
    ANIMAT_P_REAL("w_sd", "", 0.3, 0, 10, "Standard deviation of the random initial weights."),
};

static void sub_destroy(void *self) {
    sub_circuit *c = self;
    if (c) c->h->free(c->h, c);
}

static void *sub_create(const animat_host *h) {
    double n, k, sd;
    if (h->param_real(h, "n_in", &n) || h->param_real(h, "k", &k) || h->param_real(h, "w_sd", &sd)) {
        h->error(h, "cannot read parameters");
        return NULL;
    }
    if (k > n) {
        h->error(h, "k (%g) must not exceed n_in (%g)", k, n);
        return NULL;
    }
    sub_circuit *c = h->alloc(h, sizeof *c);
    if (!c) return NULL;
    memset(c, 0, sizeof *c);
    c->h = h, c->n = (uint32_t)n, c->k = (uint32_t)k;
    for (uint32_t j = 0; j < c->n * c->k; j++) {
        c->w[j] = h->rng_gaussian(h, sd);
        c->info[j] = (animat_param_info)ANIMAT_THETA("w", "", c->w[j], -INFINITY, INFINITY, 0,
                                                     "Weight from input i onto output j (row-major by j).");
    }
    c->in[0] = (animat_port_info){sizeof(animat_port_info), c->n, 0, 0, "x", "", "The input vector."};
    c->out[0] = (animat_port_info){sizeof(animat_port_info), c->k, 0, 0, "y", "", "The projections y = W x."};
    return c;
}

static const animat_port_info *sub_ports(void *self, uint32_t dir, uint32_t *n) {
    sub_circuit *c = self;
    *n = 1;
    return dir == ANIMAT_PORT_IN ? c->in : c->out;
}

static const animat_param_info *sub_theta_info(void *self, uint32_t *n) {
    sub_circuit *c = self;
    *n = c->n * c->k;
    return c->info;
}

static int32_t sub_get(void *self, double *t, uint32_t n) {
    sub_circuit *c = self;
    if (n != c->n * c->k) return ANIMAT_ERROR;
    memcpy(t, c->w, n * sizeof *t);
    return ANIMAT_OK;
}

static int32_t sub_set(void *self, const double *t, uint32_t n) {
    sub_circuit *c = self;
    if (n != c->n * c->k) return ANIMAT_ERROR;
    memcpy(c->w, t, n * sizeof *t);
    return ANIMAT_OK;
}

static int32_t sub_reset(void *self, uint64_t seed) {
    sub_circuit *c = self;
    (void)seed;
    memset(c->elig, 0, sizeof c->elig);
    return ANIMAT_OK;
}

/* y = W x; e = x - W^T y; elig[j n + i] = e_i y_j. */
static int32_t sub_step(void *self, const double *const *in, double *const *out, double dt) {
    sub_circuit *c = self;
    (void)dt;
    const double *x = in[0];
    double *y = out[0], e[SUB_MAX];
    for (uint32_t j = 0; j < c->k; j++) {
        y[j] = 0;
        for (uint32_t i = 0; i < c->n; i++) y[j] += c->w[j * c->n + i] * x[i];
    }
    for (uint32_t i = 0; i < c->n; i++) {
        e[i] = x[i];
        for (uint32_t j = 0; j < c->k; j++) e[i] -= c->w[j * c->n + i] * y[j];
    }
    for (uint32_t j = 0; j < c->k; j++)
        for (uint32_t i = 0; i < c->n; i++) c->elig[j * c->n + i] = e[i] * y[j];
    return ANIMAT_OK;
}

static int32_t sub_eligibility(void *self, double *elig, uint32_t n) {
    sub_circuit *c = self;
    if (n != c->n * c->k) return ANIMAT_ERROR;
    memcpy(elig, c->elig, n * sizeof *elig);
    return ANIMAT_OK;
}

static const animat_plasticity_ext sub_plasticity = {sizeof(animat_plasticity_ext), sub_eligibility};

static const void *sub_extension(void *self, const char *id) {
    (void)self;
    return strcmp(id, ANIMAT_EXT_PLASTICITY) == 0 ? &sub_plasticity : NULL;
}

static const animat_circuit_api sub_api = {
    .struct_size = sizeof(animat_circuit_api),
    .create = sub_create,
    .destroy = sub_destroy,
    .ports = sub_ports,
    .theta_info = sub_theta_info,
    .get_theta = sub_get,
    .set_theta = sub_set,
    .reset = sub_reset,
    .step = sub_step,
    .extension = sub_extension,
};

static const animat_plugin_desc sub_desc =
    ANIMAT_DESC(ANIMAT_KIND_CIRCUIT, "subspace", "1.0.0",
                "Test circuit: y = W x with residual input units, for Oja's and HLOP's subspace rules",
                sub_params, &sub_api);

static const animat_plugin_desc *const sub_plugins[] = {&sub_desc};

ANIMAT_EXPORT const animat_plugin_entry animat_entry = ANIMAT_ENTRY(sub_plugins);
