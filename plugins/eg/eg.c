/* eg.c -- exponentiated-gradient learner with optional Langevin noise
 * ("Dale meets Langevin") as an animat learner plugin.
 *
 * The gradient of the expected return is estimated as in es (antithetic
 * pairs theta +- eps, centered ranks or raw returns); the step is
 * multiplicative, theta_k *= exp(lr sign_k g_k + sqrt(2 lr T) xi_k), so each
 * entry keeps the sign it started with by construction (no projection).
 * Entries that start at exactly zero (and, with signed_only, entries without
 * a sign flag) take the additive step instead. The maths lives in
 * eg_math.c and es_math.c. One instance is used by one thread at a time
 * (animat/learner.h); nothing here is global except const tables. All
 * randomness (eps, then xi) is drawn in ask from the host's stream, which
 * the host reseeds before every ask, so no generator state is kept.
 */
#include <animat/animat.h>
#include <animat/helpers.h>

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "eg_math.h"
#include "tell_check.h"
#include "es_math.h"

/* Checkpoint header: magic "EGv1" spelled as bytes, format version. */
#define EG_MAGIC 0x31764745u
#define EG_STATE_VERSION 1u
#define EG_HEADER_BYTES 16u

/* One learner instance. Everything is allocated in create with h->alloc and
 * released in destroy; ask and tell touch only preallocated memory. */
typedef struct eg_learner {
    const animat_host *h; /* host table, valid until destroy returns */
    uint32_t n;           /* n_theta */
    uint32_t p;           /* population, even */
    double sigma;         /* perturbation standard deviation */
    eg_hyper hp;          /* lr, temperature, clamp */
    int ranks;            /* centered-rank shaping (1) or raw returns (0) */
    int signed_only;      /* multiplicative only for entries with a sign flag */
    int project;          /* project theta into [lo, hi] after each step */
    uint64_t t;           /* steps taken */
    int asked;            /* an ask is waiting for its tell */
    double *theta;        /* current theta, n */
    int8_t *sign;         /* fixed sign per entry (+1, -1) or 0 = additive, n */
    double *eps;          /* perturbations of the last ask, p/2 * n */
    double *xi;           /* Langevin draws of the last ask, n */
    double *g;            /* gradient scratch, n */
    double *u;            /* shaped returns, p */
    uint32_t *order;      /* sort scratch, p */
    uint32_t *tmp;        /* sort scratch, p */
    double *lo, *hi;      /* feasible box per entry, n each */
} eg_learner;

/* Configuration parameters, validated by the host before create. */
static const animat_param_info eg_params[] = {
    ANIMAT_P_INT("population", "", 8, 2, 1000000,
                 "Candidates per epoch, an even number of antithetic pairs theta +- eps."),
    ANIMAT_P_REAL("sigma", "", 0.02, 1e-12, 1e6, "Standard deviation of the Gaussian perturbations eps."),
    ANIMAT_P_REAL("lr", "", 0.01, 0, 1e6, "Step size eta of the exponentiated-gradient update."),
    ANIMAT_P_REAL("temperature", "", 0, 0, 1e6,
                  "Langevin temperature T: sqrt(2 eta T) N(0,1) is added to each log-magnitude step; 0 = none."),
    ANIMAT_P_REAL("grad_clip", "", 1.0, 0, 1e300,
                  "Clamp of the gradient estimate to [-grad_clip, grad_clip]; 0 disables it."),
    ANIMAT_P_BOOL("rank_shaping", 1,
                  "Centered ranks as in es (1) or raw returns, an unbiased gradient of the smoothed return (0)."),
    ANIMAT_P_BOOL("signed_only", 0,
                  "Multiplicative steps only for entries flagged excitatory or inhibitory; the rest additive."),
    ANIMAT_P_BOOL("project", 0, "After each step, clamp theta into each entry's declared [min, max]."),
};

/* Destroy an instance: frees every buffer create allocated, then the
 * instance. NULL is a no-op. Phase: destroy; the instance's thread. */
static void eg_destroy(void *self) {
    eg_learner *L = self;
    if (!L) return;
    const animat_host *h = L->h;
    void *bufs[] = {L->theta, L->sign, L->eps, L->xi, L->g, L->u, L->order, L->tmp, L->lo, L->hi};
    for (size_t k = 0; k < sizeof bufs / sizeof bufs[0]; k++) h->free(h, bufs[k]);
    h->free(h, L);
}

/* Read parameter `name` into *out (range checked by the host against
 * eg_params). ANIMAT_ERROR after h->error. Phase: create. */
static int32_t eg_param(const animat_host *h, const char *name, double *out) {
    if (h->param_real(h, name, out) != ANIMAT_OK || !isfinite(*out)) {
        h->error(h, "cannot read parameter %s", name);
        return ANIMAT_ERROR;
    }
    return ANIMAT_OK;
}

/* Read the configuration into L. ANIMAT_ERROR after h->error. Phase:
 * create. */
static int32_t eg_configure(eg_learner *L, const animat_host *h) {
    double p, ranks, signed_only, project;
    if (eg_param(h, "population", &p) || eg_param(h, "sigma", &L->sigma) || eg_param(h, "lr", &L->hp.lr) ||
        eg_param(h, "temperature", &L->hp.temperature) || eg_param(h, "grad_clip", &L->hp.grad_clip) ||
        eg_param(h, "rank_shaping", &ranks) || eg_param(h, "signed_only", &signed_only) ||
        eg_param(h, "project", &project))
        return ANIMAT_ERROR;
    if (!(p >= 2 && p <= 1000000) || p != floor(p) || fmod(p, 2.0) != 0.0) {
        h->error(h, "population must be an even integer in [2, 1000000] (antithetic pairs), got %g", p);
        return ANIMAT_ERROR;
    }
    if (!(L->sigma > 0) || !(L->hp.lr >= 0) || !(L->hp.temperature >= 0) || !(L->hp.grad_clip >= 0)) {
        h->error(h, "sigma must be > 0 and lr, temperature, grad_clip >= 0");
        return ANIMAT_ERROR;
    }
    L->p = (uint32_t)p;
    L->ranks = ranks != 0, L->signed_only = signed_only != 0, L->project = project != 0;
    return ANIMAT_OK;
}

/* Allocate `count` elements of `size` bytes through the host, or NULL when
 * out of memory or when the byte count overflows. Phase: create. */
static void *eg_array(const animat_host *h, uint64_t count, uint64_t size) {
    if (count != 0 && size > SIZE_MAX / count) return NULL;
    return h->alloc(h, (size_t)(count * size));
}

/* The fixed sign of every entry from theta0 and its flags: 0 (additive) for
 * a zero start, or without a flag under signed_only. Refuses a start that
 * contradicts its excitatory/inhibitory flag. ANIMAT_ERROR after h->error.
 * Phase: create. */
static int32_t eg_signs(eg_learner *L, const animat_param_info *info, const double *theta0) {
    const unsigned char *at = (const unsigned char *)info;
    for (uint32_t k = 0; k < L->n; k++) {
        uint32_t flags = 0;
        if (info) flags = ((const animat_param_info *)(at + (size_t)k * info->struct_size))->flags;
        int exc = (flags & ANIMAT_PARAM_EXCITATORY) != 0, inh = (flags & ANIMAT_PARAM_INHIBITORY) != 0;
        if ((exc && theta0[k] < 0) || (inh && theta0[k] > 0)) {
            L->h->error(L->h, "initial theta[%u] = %g contradicts its %s flag", k, theta0[k],
                        exc ? "excitatory" : "inhibitory");
            return ANIMAT_ERROR;
        }
        L->sign[k] = theta0[k] > 0 ? 1 : theta0[k] < 0 ? -1 : 0;
        if (L->signed_only && !exc && !inh) L->sign[k] = 0;
    }
    return ANIMAT_OK;
}

/* Build a learner over n_theta entries starting at theta0 (copied; every
 * value finite). `info` (may be NULL) supplies sign flags and bounds.
 * NULL after h->error on a bad configuration, a start against its sign
 * flag, or out of memory. Phase: create. */
static void *eg_create(const animat_host *h, uint32_t n_theta, const animat_param_info *info,
                       const double *theta0) {
    if (n_theta == 0 || !theta0) {
        h->error(h, "eg needs at least one theta entry and an initial theta");
        return NULL;
    }
    for (uint32_t i = 0; i < n_theta; i++) {
        if (!isfinite(theta0[i])) {
            h->error(h, "initial theta[%u] is not finite", i);
            return NULL;
        }
    }
    eg_learner *L = h->alloc(h, sizeof *L);
    if (!L) {
        h->error(h, "out of memory");
        return NULL;
    }
    memset(L, 0, sizeof *L);
    L->h = h;
    L->n = n_theta;
    if (eg_configure(L, h)) {
        eg_destroy(L);
        return NULL;
    }
    uint64_t n = n_theta, p = L->p;
    L->theta = eg_array(h, n, sizeof(double));
    L->sign = eg_array(h, n, sizeof(int8_t));
    L->eps = eg_array(h, (p / 2) * n, sizeof(double));
    L->xi = eg_array(h, n, sizeof(double));
    L->g = eg_array(h, n, sizeof(double));
    L->u = eg_array(h, p, sizeof(double));
    L->order = eg_array(h, p, sizeof(uint32_t));
    L->tmp = eg_array(h, p, sizeof(uint32_t));
    L->lo = eg_array(h, n, sizeof(double));
    L->hi = eg_array(h, n, sizeof(double));
    if (!L->theta || !L->sign || !L->eps || !L->xi || !L->g || !L->u || !L->order || !L->tmp || !L->lo ||
        !L->hi) {
        h->error(h, "out of memory (population %u x %u theta entries)", L->p, L->n);
        eg_destroy(L);
        return NULL;
    }
    memcpy(L->theta, theta0, sizeof(double) * n_theta);
    es_feasible_box(n_theta, info, L->lo, L->hi);
    if (eg_signs(L, info, theta0)) {
        eg_destroy(L);
        return NULL;
    }
    return L;
}

/* Candidates per epoch (constant). Any phase after create. */
static uint32_t eg_population(void *self) { return ((eg_learner *)self)->p; }

/* Draw the p/2 perturbations eps_j (n values each, in order), then, with a
 * temperature, the n Langevin draws xi, from the host's stream; write the
 * antithetic candidates into `thetas` (p rows of n, caller-owned). No
 * allocation. Phase: epoch. */
static int32_t eg_ask(void *self, double *thetas) {
    eg_learner *L = self;
    const animat_host *h = L->h;
    size_t count = (size_t)(L->p / 2) * L->n;
    for (size_t k = 0; k < count; k++) L->eps[k] = h->rng_gaussian(h, L->sigma);
    for (uint32_t k = 0; k < L->n; k++) L->xi[k] = L->hp.temperature > 0 ? h->rng_gaussian(h, 1.0) : 0.0;
    es_candidates(L->n, L->p, L->theta, L->eps, thetas);
    L->asked = 1;
    return ANIMAT_OK;
}

/* Estimate the gradient from the p returns of the last ask (caller-owned,
 * higher is better) and take one exponentiated-gradient step. Fails without
 * changing anything if there was no ask or a return is not finite. No
 * allocation. Phase: epoch. */
static int32_t eg_tell(void *self, const double *returns) {
    eg_learner *L = self;
    const animat_host *h = L->h;
    if (!tell_check(h, L->asked, L->p, returns)) return ANIMAT_ERROR;
    if (L->ranks) {
        es_centered_ranks(L->p, returns, L->order, L->tmp, L->u);
        es_gradient(L->n, L->p, L->u, L->eps, L->sigma, L->g);
    } else {
        eg_gradient_raw(L->n, L->p, returns, L->eps, L->sigma, L->g);
    }
    eg_step(L->n, &L->hp, L->sign, L->g, L->xi, L->theta);
    if (L->project) es_project(L->n, L->lo, L->hi, L->theta);
    L->t++;
    L->asked = 0;
    return ANIMAT_OK;
}

/* Copy theta into the caller's buffer of n_theta doubles. Any phase after
 * create. */
static int32_t eg_current(void *self, double *theta) {
    eg_learner *L = self;
    memcpy(theta, L->theta, sizeof(double) * L->n);
    return ANIMAT_OK;
}

/* Checkpoint size: header, theta (n doubles), then t. */
static uint64_t eg_state_size(void *self) {
    eg_learner *L = self;
    return EG_HEADER_BYTES + (uint64_t)L->n * sizeof(double) + sizeof(uint64_t);
}

/* Write the checkpoint into the caller's buffer of exactly eg_state_size
 * bytes: u32 magic, version, n_theta, 0; theta; u64 t (native byte order).
 * Phase: between epochs. */
static int32_t eg_save(void *self, void *buf, uint64_t size) {
    eg_learner *L = self;
    if (!buf || size != eg_state_size(L)) {
        L->h->error(L->h, "save: buffer must be %llu bytes, got %llu", (unsigned long long)eg_state_size(L),
                    (unsigned long long)size);
        return ANIMAT_ERROR;
    }
    uint32_t head[4] = {EG_MAGIC, EG_STATE_VERSION, L->n, 0};
    unsigned char *o = buf;
    memcpy(o, head, sizeof head);
    memcpy(o + sizeof head, L->theta, sizeof(double) * L->n);
    memcpy(o + sizeof head + sizeof(double) * L->n, &L->t, sizeof L->t);
    return ANIMAT_OK;
}

/* Check a checkpoint's header and size against L. ANIMAT_ERROR after
 * h->error. Phase: between epochs. */
static int32_t eg_check_header(eg_learner *L, const void *buf, uint64_t size) {
    const animat_host *h = L->h;
    uint32_t head[4] = {0, 0, 0, 0};
    if (buf && size >= sizeof head) memcpy(head, buf, sizeof head);
    if (!buf || size < sizeof head || head[0] != EG_MAGIC) {
        h->error(h, "load: not an eg checkpoint");
        return ANIMAT_ERROR;
    }
    if (head[1] != EG_STATE_VERSION || head[2] != L->n || size != eg_state_size(L)) {
        h->error(h, "load: checkpoint version %u with %u entries (%llu bytes); expected version %u, %u entries",
                 head[1], head[2], (unsigned long long)size, EG_STATE_VERSION, L->n);
        return ANIMAT_ERROR;
    }
    return ANIMAT_OK;
}

/* Restore a checkpoint written by eg_save for the same n_theta. Refuses
 * (unchanged instance) a bad header or size, a non-finite value, or a
 * multiplicative entry whose sign differs from this instance's. Any pending
 * ask is dropped. Phase: between epochs. */
static int32_t eg_load(void *self, const void *buf, uint64_t size) {
    eg_learner *L = self;
    if (eg_check_header(L, buf, size)) return ANIMAT_ERROR;
    const unsigned char *in = (const unsigned char *)buf + EG_HEADER_BYTES;
    for (uint32_t k = 0; k < L->n; k++) {
        double x;
        memcpy(&x, in + (size_t)k * sizeof x, sizeof x);
        if (!isfinite(x) || (L->sign[k] > 0 && x < 0) || (L->sign[k] < 0 && x > 0)) {
            L->h->error(L->h, "load: checkpoint theta[%u] = %g is not finite or has the wrong sign", k, x);
            return ANIMAT_ERROR;
        }
    }
    memcpy(L->theta, in, sizeof(double) * L->n);
    memcpy(&L->t, in + sizeof(double) * L->n, sizeof L->t);
    L->asked = 0;
    return ANIMAT_OK;
}

static const animat_learner_api eg_api = {
    .struct_size = sizeof(animat_learner_api),
    .create = eg_create,
    .destroy = eg_destroy,
    .population = eg_population,
    .ask = eg_ask,
    .tell = eg_tell,
    .current = eg_current,
    .state_size = eg_state_size,
    .save = eg_save,
    .load = eg_load,
    .online_reset = NULL,
    .online_step = NULL,
};

static const animat_plugin_desc eg_desc =
    ANIMAT_DESC(ANIMAT_KIND_LEARNER, "eg", "1.0.0",
                "Exponentiated gradient on an ES estimate: sign-preserving multiplicative steps, "
                "optional Langevin noise",
                eg_params, &eg_api);

static const animat_plugin_desc *const eg_plugins[] = {&eg_desc};

/* The only exported symbol. */
ANIMAT_EXPORT const animat_plugin_entry animat_entry = ANIMAT_ENTRY(eg_plugins);
