/* cmaes.c -- CMA-ES (Hansen's tutorial, 2016) as an animat learner plugin.
 *
 * Plugin glue only (descriptor, create/destroy, ask/tell, checkpoints); the
 * maths lives in cma_math.c. One instance is used by one thread at a time
 * (animat/learner.h); nothing here is global except const tables. All
 * randomness comes from the host's stream, which the host reseeds before
 * every ask, so no generator state is kept between epochs.
 */
#include <animat/animat.h>
#include <animat/helpers.h>

#include <gsl/gsl_eigen.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "cma_math.h"
#include "tell_check.h"

/* Checkpoint header: magic "CMv1" spelled as bytes, format version, and six
 * u32 fields in all (magic, version, n, lambda, mu, 0). */
#define CMA_MAGIC 0x31764d43u
#define CMA_STATE_VERSION 1u
#define CMA_HEADER_WORDS 6u

/* One learner instance. Everything is allocated in create (h->alloc, and
 * GSL's allocator for the eigen workspace) and released in destroy; ask and
 * tell touch only preallocated memory. */
typedef struct cma_learner {
    const animat_host *h;  /* host table, valid until destroy returns */
    cma_strategy s;        /* n, lambda, mu and the learning rates */
    double *w;             /* recombination weights, mu */
    /* the distribution (checkpointed) */
    double *m;             /* mean, n */
    double sigma;          /* step size */
    double *C;             /* covariance, n x n */
    double *B;             /* eigenvectors of C as columns, n x n */
    double *D;             /* sqrt of C's eigenvalues, n */
    double *p_c;           /* rank-one evolution path, n */
    double *p_sigma;       /* step-size evolution path, n */
    uint64_t gen;          /* generations told */
    /* scratch */
    int asked;             /* an ask is waiting for its tell */
    double *z;             /* standard normal draws, lambda x n */
    double *y;             /* steps B D z of the last ask, lambda x n */
    double *a;             /* eigen input copy, n x n */
    double *eval;          /* eigenvalues, n */
    double *work;          /* update scratch, 2n */
    uint32_t *order;       /* ranking, lambda */
    uint32_t *tmp;         /* sort scratch, lambda */
    gsl_eigen_symmv_workspace *ws; /* GSL workspace for n */
} cma_learner;

/* Configuration parameters, validated by the host before create. */
static const animat_param_info cma_params[] = {
    ANIMAT_P_INT("population", "", 0, 0, 1000000,
                  "Candidates per epoch lambda; 0 takes the default 4 + floor(3 ln n_theta)."),
    ANIMAT_P_REAL("sigma0", "", 0.3, 1e-12, 1e6,
                  "Initial step size sigma, in theta's units."),
    ANIMAT_P_INT("mu", "", 0, 0, 1000000,
                  "Parents recombined per epoch; 0 takes floor(population / 2)."),
};

/* Destroy an instance: frees every buffer create allocated, then the
 * instance. NULL is a no-op. Phase: destroy; the instance's thread. */
static void cma_destroy(void *self) {
    cma_learner *L = self;
    if (!L) return;
    const animat_host *h = L->h;
    double *bufs[] = {L->w, L->m, L->C, L->B, L->D, L->p_c, L->p_sigma,
                      L->z, L->y, L->a, L->eval, L->work};
    for (size_t k = 0; k < sizeof bufs / sizeof bufs[0]; k++) h->free(h, bufs[k]);
    h->free(h, L->order);
    h->free(h, L->tmp);
    if (L->ws) gsl_eigen_symmv_free(L->ws);
    h->free(h, L);
}

/* Read an integer parameter `name` in [0, 1000000] into *out; on failure
 * reports through h->error and returns ANIMAT_ERROR. Phase: create. */
static int32_t cma_param_int(const animat_host *h, const char *name, uint32_t *out) {
    double v;
    if (h->param_real(h, name, &v) != ANIMAT_OK) {
        h->error(h, "cannot read parameter %s", name);
        return ANIMAT_ERROR;
    }
    if (!(v >= 0.0 && v <= 1000000.0) || v != floor(v)) {
        h->error(h, "%s must be an integer in [0, 1000000], got %g", name, v);
        return ANIMAT_ERROR;
    }
    *out = (uint32_t)v;
    return ANIMAT_OK;
}

/* Read and check the configuration: resolves n, lambda and mu (defaults
 * applied) into L->s and sigma0 into L->sigma; the learning rates are set
 * later by cma_strategy_init. Returns ANIMAT_ERROR after h->error. Phase:
 * create. */
static int32_t cma_configure(cma_learner *L, const animat_host *h, uint32_t n) {
    uint32_t lambda, mu;
    if (cma_param_int(h, "population", &lambda) || cma_param_int(h, "mu", &mu)) return ANIMAT_ERROR;
    if (h->param_real(h, "sigma0", &L->sigma) != ANIMAT_OK) {
        h->error(h, "cannot read parameter sigma0");
        return ANIMAT_ERROR;
    }
    if (!(L->sigma >= 1e-12 && L->sigma <= 1e6)) {
        h->error(h, "sigma0 must be in [1e-12, 1e6], got %g", L->sigma);
        return ANIMAT_ERROR;
    }
    /* defaults, then the positive-weights constraint 1 <= mu <= lambda/2 */
    if (lambda == 0) lambda = cma_default_lambda(n);
    if (lambda < 2) {
        h->error(h, "population must be 0 (automatic) or at least 2, got %u", lambda);
        return ANIMAT_ERROR;
    }
    if (mu == 0) mu = lambda / 2;
    if (mu > lambda / 2) {
        h->error(h, "mu must be at most floor(population / 2) = %u (positive weights), got %u",
                 lambda / 2, mu);
        return ANIMAT_ERROR;
    }
    L->s.n = n;
    L->s.lambda = lambda;
    L->s.mu = mu;
    return ANIMAT_OK;
}

/* Allocate `count` doubles through the host, or NULL when out of memory or
 * when the byte count overflows. Phase: create. */
static double *cma_doubles(const animat_host *h, uint64_t count) {
    if (count > SIZE_MAX / sizeof(double)) return NULL;
    return h->alloc(h, (size_t)count * sizeof(double));
}

/* Build a learner over n_theta entries with mean theta0 (copied; every value
 * must be finite), step size sigma0 and C = I. `info` is not needed and may
 * be NULL. Returns NULL after h->error on a bad configuration or out of
 * memory; the instance owns everything it allocates. Phase: create. */
static void *cma_create(const animat_host *h, uint32_t n_theta, const animat_param_info *info,
                        const double *theta0) {
    (void)info;
    if (n_theta == 0 || !theta0) {
        h->error(h, "cmaes needs at least one theta entry and an initial theta");
        return NULL;
    }
    for (uint32_t i = 0; i < n_theta; i++) {
        if (!isfinite(theta0[i])) {
            h->error(h, "initial theta[%u] is not finite", i);
            return NULL;
        }
    }
    cma_learner *L = h->alloc(h, sizeof *L);
    if (!L) {
        h->error(h, "out of memory");
        return NULL;
    }
    L->h = h;
    if (cma_configure(L, h, n_theta)) {
        cma_destroy(L);
        return NULL;
    }
    /* buffers */
    uint64_t n = n_theta, nn = n * n, lam = L->s.lambda;
    L->w = cma_doubles(h, L->s.mu);
    L->m = cma_doubles(h, n);
    L->C = cma_doubles(h, nn);
    L->B = cma_doubles(h, nn);
    L->D = cma_doubles(h, n);
    L->p_c = cma_doubles(h, n);
    L->p_sigma = cma_doubles(h, n);
    L->z = cma_doubles(h, lam * n);
    L->y = cma_doubles(h, lam * n);
    L->a = cma_doubles(h, nn);
    L->eval = cma_doubles(h, n);
    L->work = cma_doubles(h, 2 * n);
    L->order = h->alloc(h, sizeof(uint32_t) * lam);
    L->tmp = h->alloc(h, sizeof(uint32_t) * lam);
    L->ws = (L->a && L->B) ? gsl_eigen_symmv_alloc(n) : NULL;
    if (!L->w || !L->m || !L->C || !L->B || !L->D || !L->p_c || !L->p_sigma || !L->z ||
        !L->y || !L->a || !L->eval || !L->work || !L->order || !L->tmp || !L->ws) {
        h->error(h, "out of memory (covariance of %u x %u, population %u)", n_theta, n_theta,
                 L->s.lambda);
        cma_destroy(L);
        return NULL;
    }
    if (n_theta > 2000u)
        h->log(h, ANIMAT_LOG_WARN,
               "cmaes over %u entries keeps three %u x %u matrices and decomposes one per epoch "
               "(O(n^3)); consider es",
               n_theta, n_theta, n_theta);
    /* initial distribution: N(theta0, sigma0^2 I) */
    cma_strategy_init(&L->s, n_theta, L->s.lambda, L->s.mu, L->w);
    memcpy(L->m, theta0, sizeof(double) * n);
    for (uint64_t i = 0; i < n; i++) {
        L->C[i * n + i] = 1.0;
        L->B[i * n + i] = 1.0;
        L->D[i] = 1.0;
    }
    return L;
}

/* Candidates per epoch lambda (constant). Any phase after create. */
static uint32_t cma_population(void *self) { return ((cma_learner *)self)->s.lambda; }

/* Draw lambda x n standard normal values (in order) from the host's stream
 * and write x_k = m + sigma B D z_k into `thetas` (lambda rows of n,
 * caller-owned). The steps y_k are kept for tell. No allocation. Phase:
 * epoch. */
static int32_t cma_ask(void *self, double *thetas) {
    cma_learner *L = self;
    const animat_host *h = L->h;
    size_t count = (size_t)L->s.lambda * L->s.n;
    for (size_t k = 0; k < count; k++) L->z[k] = h->rng_gaussian(h, 1.0);
    cma_sample(&L->s, L->m, L->sigma, L->B, L->D, L->z, L->y, thetas);
    L->asked = 1;
    return ANIMAT_OK;
}

/* Rank the lambda returns of the last ask (caller-owned, higher is better;
 * ties by candidate index), update the distribution and re-decompose C.
 * Fails without changing anything if there was no ask or a return is not
 * finite; fails after the update if the distribution degenerated (sigma or
 * C not finite), leaving an instance that should be destroyed. No
 * allocation. Phase: epoch. */
static int32_t cma_tell(void *self, const double *returns) {
    cma_learner *L = self;
    const animat_host *h = L->h;
    if (!tell_check(h, L->asked, L->s.lambda, returns)) return ANIMAT_ERROR;
    cma_sort_descending(L->s.lambda, returns, L->order, L->tmp);
    cma_update(&L->s, L->w, L->order, L->y, L->gen, L->B, L->D, L->m, &L->sigma, L->p_sigma,
               L->p_c, L->C, L->work);
    L->gen++;
    L->asked = 0;
    if (!(L->sigma > 0.0) || !isfinite(L->sigma) ||
        cma_eigen(L->s.n, L->C, L->a, L->eval, L->ws, L->B, L->D) != 0) {
        h->error(h, "distribution degenerated at generation %llu (sigma %g)",
                 (unsigned long long)L->gen, L->sigma);
        return ANIMAT_ERROR;
    }
    return ANIMAT_OK;
}

/* Copy the mean m into the caller's buffer of n_theta doubles. Any phase
 * after create. */
static int32_t cma_current(void *self, double *theta) {
    cma_learner *L = self;
    memcpy(theta, L->m, sizeof(double) * L->s.n);
    return ANIMAT_OK;
}

/* Number of doubles after the header: m, sigma, C, B, D, p_c, p_sigma. */
static uint64_t cma_state_doubles(uint64_t n) { return n + 1 + 2 * n * n + 3 * n; }

/* Checkpoint size: header, the doubles above, then the generation count. */
static uint64_t cma_state_size(void *self) {
    cma_learner *L = self;
    return CMA_HEADER_WORDS * sizeof(uint32_t) + cma_state_doubles(L->s.n) * sizeof(double) +
           sizeof(uint64_t);
}

/* Write the checkpoint into the caller's buffer of exactly cma_state_size
 * bytes: u32 magic, version, n, lambda, mu, 0; m, sigma, C, B, D, p_c,
 * p_sigma; u64 generation (native byte order). Phase: between epochs. */
static int32_t cma_save(void *self, void *buf, uint64_t size) {
    cma_learner *L = self;
    if (!buf || size != cma_state_size(L)) {
        L->h->error(L->h, "save: buffer must be %llu bytes, got %llu",
                    (unsigned long long)cma_state_size(L), (unsigned long long)size);
        return ANIMAT_ERROR;
    }
    size_t n = L->s.n, vec = n * sizeof(double), mat = n * vec;
    uint32_t head[CMA_HEADER_WORDS] = {CMA_MAGIC, CMA_STATE_VERSION, L->s.n, L->s.lambda,
                                       L->s.mu, 0};
    unsigned char *o = buf;
    memcpy(o, head, sizeof head), o += sizeof head;
    memcpy(o, L->m, vec), o += vec;
    memcpy(o, &L->sigma, sizeof L->sigma), o += sizeof L->sigma;
    memcpy(o, L->C, mat), o += mat;
    memcpy(o, L->B, mat), o += mat;
    memcpy(o, L->D, vec), o += vec;
    memcpy(o, L->p_c, vec), o += vec;
    memcpy(o, L->p_sigma, vec), o += vec;
    memcpy(o, &L->gen, sizeof L->gen);
    return ANIMAT_OK;
}

/* Check a checkpoint's header and size against L; reports through h->error
 * and returns ANIMAT_ERROR on a mismatch. Phase: between epochs. */
static int32_t cma_check_header(cma_learner *L, const void *buf, uint64_t size) {
    const animat_host *h = L->h;
    uint32_t head[CMA_HEADER_WORDS] = {0};
    if (buf && size >= sizeof head) memcpy(head, buf, sizeof head);
    if (!buf || size < sizeof head || head[0] != CMA_MAGIC) {
        h->error(h, "load: not a cmaes checkpoint");
        return ANIMAT_ERROR;
    }
    if (head[1] != CMA_STATE_VERSION) {
        h->error(h, "load: checkpoint version %u, expected %u", head[1], CMA_STATE_VERSION);
        return ANIMAT_ERROR;
    }
    if (head[2] != L->s.n || head[3] != L->s.lambda || head[4] != L->s.mu) {
        h->error(h, "load: checkpoint is for n_theta %u, population %u, mu %u; learner has %u, %u, %u",
                 head[2], head[3], head[4], L->s.n, L->s.lambda, L->s.mu);
        return ANIMAT_ERROR;
    }
    if (size != cma_state_size(L)) {
        h->error(h, "load: checkpoint must be %llu bytes, got %llu",
                 (unsigned long long)cma_state_size(L), (unsigned long long)size);
        return ANIMAT_ERROR;
    }
    return ANIMAT_OK;
}

/* Restore a checkpoint written by cma_save for the same n_theta, population
 * and mu. Refuses (unchanged instance) a mismatched header or size,
 * non-finite values, sigma <= 0 or D <= 0. Any pending ask is dropped.
 * Phase: between epochs. */
static int32_t cma_load(void *self, const void *buf, uint64_t size) {
    cma_learner *L = self;
    const animat_host *h = L->h;
    if (cma_check_header(L, buf, size)) return ANIMAT_ERROR;
    size_t n = L->s.n, vec = n * sizeof(double), mat = n * vec;
    const unsigned char *in = (const unsigned char *)buf + CMA_HEADER_WORDS * sizeof(uint32_t);
    /* validate before touching the instance: all finite, sigma > 0, D > 0 */
    uint64_t nd = cma_state_doubles(n), d_at = n + 1 + 2 * (uint64_t)n * n;
    for (uint64_t k = 0; k < nd; k++) {
        double x;
        memcpy(&x, in + k * sizeof x, sizeof x);
        int positive = k == n || (k >= d_at && k < d_at + n);
        if (!isfinite(x) || (positive && !(x > 0.0))) {
            h->error(h, "load: checkpoint value %llu is invalid (%g)", (unsigned long long)k, x);
            return ANIMAT_ERROR;
        }
    }
    memcpy(L->m, in, vec), in += vec;
    memcpy(&L->sigma, in, sizeof L->sigma), in += sizeof L->sigma;
    memcpy(L->C, in, mat), in += mat;
    memcpy(L->B, in, mat), in += mat;
    memcpy(L->D, in, vec), in += vec;
    memcpy(L->p_c, in, vec), in += vec;
    memcpy(L->p_sigma, in, vec), in += vec;
    memcpy(&L->gen, in, sizeof L->gen);
    L->asked = 0;
    return ANIMAT_OK;
}

static const animat_learner_api cma_api = {
    .struct_size = sizeof(animat_learner_api),
    .create = cma_create,
    .destroy = cma_destroy,
    .population = cma_population,
    .ask = cma_ask,
    .tell = cma_tell,
    .current = cma_current,
    .state_size = cma_state_size,
    .save = cma_save,
    .load = cma_load,
    .online_reset = NULL,
    .online_step = NULL,
};

static const animat_plugin_desc cma_desc =
    ANIMAT_DESC_ID(ANIMAT_KIND_LEARNER, "org.animat.cmaes", "cmaes", "1.0.0",
                "CMA-ES (Hansen's tutorial, 2016): covariance matrix adaptation evolution strategy",
                cma_params, &cma_api);

static const animat_plugin_desc *const cma_plugins[] = {&cma_desc};

/* The only exported symbol. */
ANIMAT_EXPORT const animat_plugin_entry animat_entry = ANIMAT_ENTRY(cma_plugins);
