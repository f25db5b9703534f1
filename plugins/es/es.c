/* es.c -- OpenAI-style evolution strategies as an animat learner plugin.
 *
 * Plugin glue only (descriptor, create/destroy, ask/tell, checkpoints); the
 * maths lives in es_math.c. Settings follow the NCAP paper's ES.
 * One instance is used by one thread at a time (animat/learner.h); nothing
 * here is global except const tables. All randomness comes from the host's
 * stream, which the host reseeds before every ask, so no generator state is
 * kept between epochs.
 */
#include <animat/animat.h>
#include <animat/helpers.h>

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "es_math.h"
#include "tell_check.h"

/* Checkpoint header: magic "ESv1" spelled as bytes, format version. */
#define ES_MAGIC 0x31764553u
#define ES_STATE_VERSION 1u
#define ES_HEADER_BYTES 16u

/* One learner instance. Everything is allocated in create with h->alloc and
 * released in destroy; ask and tell touch only preallocated memory. */
typedef struct es_learner {
    const animat_host *h; /* host table, valid until destroy returns */
    uint32_t n;           /* n_theta */
    uint32_t p;           /* population, even */
    double sigma;         /* perturbation standard deviation */
    es_hyper hp;          /* Adam, weight decay, clamp */
    uint64_t t;           /* Adam steps taken */
    int asked;            /* an ask is waiting for its tell */
    double *theta;        /* mean, n */
    double *m, *v;        /* Adam moments, n each */
    double *eps;          /* perturbations of the last ask, p/2 * n */
    double *g;            /* gradient scratch, n */
    double *u;            /* shaped returns, p */
    uint32_t *order;      /* sort scratch, p */
    uint32_t *tmp;        /* sort scratch, p */
    int project;          /* project the mean into [lo, hi] after each step */
    double *lo, *hi;      /* feasible box per entry (bounds and sign flags), n each */
} es_learner;

/* Configuration parameters, validated by the host before create. */
static const animat_param_info es_params[] = {
    ANIMAT_P_INT("population", "", 8, 2, 1000000,
                 "Candidates per epoch, an even number of antithetic pairs theta +- eps."),
    ANIMAT_P_REAL("sigma", "", 0.02, 1e-12, 1e6, "Standard deviation of the Gaussian perturbations eps."),
    ANIMAT_P_REAL("lr", "", 0.01, 0, 1e6, "Adam learning rate."),
    ANIMAT_P_REAL("beta1", "", 0.9, 0, 0.999999, "Adam decay rate of the first moment."),
    ANIMAT_P_REAL("beta2", "", 0.999, 0, 0.999999999, "Adam decay rate of the second moment."),
    ANIMAT_P_REAL("adam_eps", "", 1e-8, 1e-300, 1, "Adam denominator guard added to sqrt(vhat)."),
    ANIMAT_P_REAL("weight_decay", "", 0.005, 0, 1e6,
                  "L2 coefficient: weight_decay * theta is added to the descent direction."),
    ANIMAT_P_REAL("grad_clip", "", 1.0, 0, 1e300,
                  "Clamp of the negated gradient estimate to [-grad_clip, grad_clip]; 0 disables it."),
    ANIMAT_P_BOOL("project", 0,
                  "After each step, project the mean into each theta entry's declared [min, max] and "
                  "onto its sign flag (excitatory >= 0, inhibitory <= 0); off = estorch's unprojected mean."),
};

/* Destroy an instance: frees every buffer create allocated, then the
 * instance. NULL is a no-op. Phase: destroy; the instance's thread. */
static void es_destroy(void *self) {
    es_learner *L = self;
    if (!L) return;
    const animat_host *h = L->h;
    h->free(h, L->theta);
    h->free(h, L->m);
    h->free(h, L->v);
    h->free(h, L->eps);
    h->free(h, L->g);
    h->free(h, L->u);
    h->free(h, L->order);
    h->free(h, L->tmp);
    h->free(h, L->lo);
    h->free(h, L->hi);
    h->free(h, L);
}

/* Read a numeric parameter `name` and check lo <= value <= hi (and, when
 * `integer`, that it is whole); on failure reports through h->error and
 * returns ANIMAT_ERROR. Phase: create. */
static int32_t es_param(const animat_host *h, const char *name, double lo, double hi,
                        int integer, double *out) {
    if (h->param_real(h, name, out) != ANIMAT_OK) {
        h->error(h, "cannot read parameter %s", name);
        return ANIMAT_ERROR;
    }
    if (!(*out >= lo && *out <= hi) || (integer && *out != floor(*out))) {
        h->error(h, "%s must be %s in [%g, %g], got %g", name, integer ? "an integer" : "a number",
                 lo, hi, *out);
        return ANIMAT_ERROR;
    }
    return ANIMAT_OK;
}

/* Read and check the configuration into L (p, sigma, hp). Returns
 * ANIMAT_ERROR after h->error. Phase: create. */
static int32_t es_configure(es_learner *L, const animat_host *h) {
    double p;
    es_hyper *hp = &L->hp;
    if (es_param(h, "population", 2, 1000000, 1, &p) ||
        es_param(h, "sigma", 1e-12, 1e6, 0, &L->sigma) ||
        es_param(h, "lr", 0, 1e6, 0, &hp->lr) ||
        es_param(h, "beta1", 0, 0.999999, 0, &hp->beta1) ||
        es_param(h, "beta2", 0, 0.999999999, 0, &hp->beta2) ||
        es_param(h, "adam_eps", 1e-300, 1, 0, &hp->adam_eps) ||
        es_param(h, "weight_decay", 0, 1e6, 0, &hp->weight_decay) ||
        es_param(h, "grad_clip", 0, 1e300, 0, &hp->grad_clip))
        return ANIMAT_ERROR;
    double project = 0;
    if (h->param_real(h, "project", &project) != ANIMAT_OK) {
        h->error(h, "cannot read parameter project");
        return ANIMAT_ERROR;
    }
    L->project = project != 0;
    L->p = (uint32_t)p;
    if (L->p % 2 != 0) {
        h->error(h, "population must be even (antithetic pairs), got %u", L->p);
        return ANIMAT_ERROR;
    }
    return ANIMAT_OK;
}

/* Allocate `count` elements of `size` bytes through the host, or NULL when
 * out of memory or when the byte count overflows. Phase: create. */
static void *es_array(const animat_host *h, uint64_t count, uint64_t size) {
    if (count != 0 && size > SIZE_MAX / count) return NULL;
    return h->alloc(h, (size_t)(count * size));
}

/* Build a learner over n_theta entries starting at theta0 (copied; every
 * value must be finite). `info` is not needed by ES and may be NULL. Returns
 * NULL after h->error on a bad configuration or out of memory; the instance
 * owns everything it allocates. Phase: create. */
static void *es_create(const animat_host *h, uint32_t n_theta, const animat_param_info *info,
                       const double *theta0) {
    if (n_theta == 0 || !theta0) {
        h->error(h, "es needs at least one theta entry and an initial theta");
        return NULL;
    }
    for (uint32_t i = 0; i < n_theta; i++) {
        if (!isfinite(theta0[i])) {
            h->error(h, "initial theta[%u] is not finite", i);
            return NULL;
        }
    }
    es_learner *L = h->alloc(h, sizeof *L);
    if (!L) {
        h->error(h, "out of memory");
        return NULL;
    }
    L->h = h;
    L->n = n_theta;
    if (es_configure(L, h)) {
        es_destroy(L);
        return NULL;
    }
    /* buffers */
    uint64_t n = n_theta, p = L->p;
    L->theta = es_array(h, n, sizeof(double));
    L->m = es_array(h, n, sizeof(double));
    L->v = es_array(h, n, sizeof(double));
    L->eps = es_array(h, (p / 2) * n, sizeof(double));
    L->g = es_array(h, n, sizeof(double));
    L->u = es_array(h, p, sizeof(double));
    L->order = es_array(h, p, sizeof(uint32_t));
    L->tmp = es_array(h, p, sizeof(uint32_t));
    L->lo = es_array(h, n, sizeof(double));
    L->hi = es_array(h, n, sizeof(double));
    if (!L->theta || !L->m || !L->v || !L->eps || !L->g || !L->u || !L->order || !L->tmp || !L->lo || !L->hi) {
        h->error(h, "out of memory (population %u x %u theta entries)", L->p, L->n);
        es_destroy(L);
        return NULL;
    }
    memcpy(L->theta, theta0, sizeof(double) * n_theta);
    es_feasible_box(n_theta, info, L->lo, L->hi);
    return L;
}

/* Candidates per epoch (constant). Any phase after create. */
static uint32_t es_population(void *self) { return ((es_learner *)self)->p; }

/* Draw the p/2 perturbations eps_j (n values each, in order) from the host's
 * stream and write the antithetic candidates into `thetas` (p rows of n,
 * caller-owned). The eps are kept for tell. No allocation. Phase: epoch. */
static int32_t es_ask(void *self, double *thetas) {
    es_learner *L = self;
    const animat_host *h = L->h;
    size_t count = (size_t)(L->p / 2) * L->n;
    for (size_t k = 0; k < count; k++) L->eps[k] = h->rng_gaussian(h, L->sigma);
    es_candidates(L->n, L->p, L->theta, L->eps, thetas);
    L->asked = 1;
    return ANIMAT_OK;
}

/* Rank-shape the p returns of the last ask (caller-owned, higher is better),
 * estimate the gradient and take one Adam step. Fails without changing
 * anything if there was no ask or a return is not finite. No allocation.
 * Phase: epoch. */
static int32_t es_tell(void *self, const double *returns) {
    es_learner *L = self;
    const animat_host *h = L->h;
    if (!tell_check(h, L->asked, L->p, returns)) return ANIMAT_ERROR;
    es_centered_ranks(L->p, returns, L->order, L->tmp, L->u);
    es_gradient(L->n, L->p, L->u, L->eps, L->sigma, L->g);
    L->t++;
    es_adam_step(L->n, &L->hp, L->t, L->g, L->theta, L->m, L->v);
    if (L->project) es_project(L->n, L->lo, L->hi, L->theta);
    L->asked = 0;
    return ANIMAT_OK;
}

/* Copy the mean theta into the caller's buffer of n_theta doubles. Any phase
 * after create. */
static int32_t es_current(void *self, double *theta) {
    es_learner *L = self;
    memcpy(theta, L->theta, sizeof(double) * L->n);
    return ANIMAT_OK;
}

/* Checkpoint size: header, theta, m, v (n doubles each), then t. */
static uint64_t es_state_size(void *self) {
    es_learner *L = self;
    return ES_HEADER_BYTES + 3u * (uint64_t)L->n * sizeof(double) + sizeof(uint64_t);
}

/* Write the checkpoint into the caller's buffer of exactly es_state_size
 * bytes: u32 magic, version, n_theta, 0; theta, m, v; u64 t (native byte
 * order). Phase: between epochs. */
static int32_t es_save(void *self, void *buf, uint64_t size) {
    es_learner *L = self;
    if (!buf || size != es_state_size(L)) {
        L->h->error(L->h, "save: buffer must be %llu bytes, got %llu",
                    (unsigned long long)es_state_size(L), (unsigned long long)size);
        return ANIMAT_ERROR;
    }
    uint32_t head[4] = {ES_MAGIC, ES_STATE_VERSION, L->n, 0};
    size_t vec = sizeof(double) * L->n;
    unsigned char *o = buf;
    memcpy(o, head, sizeof head);
    o += sizeof head;
    memcpy(o, L->theta, vec);
    memcpy(o + vec, L->m, vec);
    memcpy(o + 2 * vec, L->v, vec);
    memcpy(o + 3 * vec, &L->t, sizeof L->t);
    return ANIMAT_OK;
}

/* Restore a checkpoint written by es_save for the same n_theta. Refuses
 * (unchanged instance) a buffer of the wrong size, magic, version or
 * n_theta, or with non-finite values. Any pending ask is dropped. Phase:
 * between epochs. */
static int32_t es_load(void *self, const void *buf, uint64_t size) {
    es_learner *L = self;
    const animat_host *h = L->h;
    uint32_t head[4] = {0, 0, 0, 0};
    if (buf && size >= sizeof head) memcpy(head, buf, sizeof head);
    if (!buf || size < sizeof head || head[0] != ES_MAGIC) {
        h->error(h, "load: not an es checkpoint");
        return ANIMAT_ERROR;
    }
    if (head[1] != ES_STATE_VERSION) {
        h->error(h, "load: checkpoint version %u, expected %u", head[1], ES_STATE_VERSION);
        return ANIMAT_ERROR;
    }
    if (head[2] != L->n) {
        h->error(h, "load: checkpoint has %u theta entries, learner has %u", head[2], L->n);
        return ANIMAT_ERROR;
    }
    if (size != es_state_size(L)) {
        h->error(h, "load: checkpoint must be %llu bytes, got %llu",
                 (unsigned long long)es_state_size(L), (unsigned long long)size);
        return ANIMAT_ERROR;
    }
    /* check every value before touching the instance */
    const unsigned char *in = (const unsigned char *)buf + sizeof head;
    for (uint64_t k = 0; k < 3u * (uint64_t)L->n; k++) {
        double x;
        memcpy(&x, in + k * sizeof x, sizeof x);
        if (!isfinite(x)) {
            h->error(h, "load: checkpoint value %llu is not finite", (unsigned long long)k);
            return ANIMAT_ERROR;
        }
    }
    size_t vec = sizeof(double) * L->n;
    memcpy(L->theta, in, vec);
    memcpy(L->m, in + vec, vec);
    memcpy(L->v, in + 2 * vec, vec);
    memcpy(&L->t, in + 3 * vec, sizeof L->t);
    L->asked = 0;
    return ANIMAT_OK;
}

static const animat_learner_api es_api = {
    .struct_size = sizeof(animat_learner_api),
    .create = es_create,
    .destroy = es_destroy,
    .population = es_population,
    .ask = es_ask,
    .tell = es_tell,
    .current = es_current,
    .state_size = es_state_size,
    .save = es_save,
    .load = es_load,
    .online_reset = NULL,
    .online_step = NULL,
};

static const animat_plugin_desc es_desc =
    ANIMAT_DESC_ID(ANIMAT_KIND_LEARNER, "org.animat.es", "es", "1.0.0",
                "OpenAI-style evolution strategies: antithetic sampling, centered ranks, Adam", es_params,
                &es_api);

static const animat_plugin_desc *const es_plugins[] = {&es_desc};

/* The only exported symbol. */
ANIMAT_EXPORT const animat_plugin_entry animat_entry = ANIMAT_ENTRY(es_plugins);
