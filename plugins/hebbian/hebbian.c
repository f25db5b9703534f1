/* hebbian.c -- an online learner: the reward-modulated three-factor Hebbian
 * rule of heb_rule.h, applied inside the episode through the ABI 1.1 hooks
 * online_reset / online_step (animat/learner.h). The circuit supplies the
 * eligibility pre * post of each theta entry (extension "animat.plasticity/1").
 *
 * Episodic side: a population of one. ask and current give the latest
 * weights; tell only records the return (learning happens online). The
 * reward baseline is kept across episodes (online_reset does not touch it),
 * so it estimates the mean per-step reward over the whole run.
 *
 * Plugin glue only; one instance is used by one thread at a time; nothing is
 * global except const tables.
 */
#include <animat/animat.h>
#include <animat/helpers.h>

#include <math.h>
#include <string.h>

#include "heb_rule.h"

/* Checkpoint layout: header, then theta[n], then the baseline (host byte
 * order; doubles copied bit for bit). */
#define HEB_MAGIC 0x31424548u /* "HEB1" read as little-endian bytes */
#define HEB_STATE_VERSION 1u

typedef struct heb_header {
    uint32_t magic;    /* HEB_MAGIC */
    uint32_t version;  /* HEB_STATE_VERSION */
    uint32_t n;        /* theta length */
    uint32_t reserved; /* 0 */
} heb_header;

/* One learner instance. Everything is allocated in create with h->alloc and
 * released in destroy; online_step touches only preallocated memory. */
typedef struct heb_learner {
    const animat_host *h; /* host table, valid until destroy returns */
    heb_rule rule;        /* eta, baseline rate, clip bound */
    uint32_t n;           /* theta length */
    double baseline;      /* running reward baseline b */
    double last_return;   /* return reported by the last tell (diagnostic) */
    double *theta;        /* latest weights, n */
    double *scratch;      /* candidate weights of one online_step, n */
} heb_learner;

/* Configuration parameters, validated by the host before create. */
static const animat_param_info heb_params[] = {
    ANIMAT_P_REAL("eta", "", 0.001, 0, 1e6,
                  "Learning rate of dw = eta * (r - b) * pre * post, per control step."),
    ANIMAT_P_REAL("baseline_rate", "", 0.01, 0, 1,
                  "Rate alpha of the running reward baseline b <- b + alpha (r - b), per step."),
    ANIMAT_P_REAL("baseline_init", "", 0, -1e300, 1e300,
                  "Reward baseline b at create (kept across episodes afterwards)."),
    ANIMAT_P_REAL("w_max", "", 10, 0, 1e300,
                  "Each weight is clipped to [-w_max, w_max] after every update; 0 disables the clip."),
};

/* Destroy an instance and its buffers. NULL is a no-op. Phase: destroy; the
 * instance's thread. */
static void heb_destroy(void *self) {
    heb_learner *l = self;
    if (!l) return;
    const animat_host *h = l->h;
    h->free(h, l->theta);
    h->free(h, l->scratch);
    h->free(h, l);
}

/* Read REAL parameter `name` into *out and check it lies in [lo, hi]; on
 * failure reports through h->error and returns ANIMAT_ERROR. Phase: create. */
static int32_t heb_param(const animat_host *h, const char *name, double lo, double hi,
                         double *out) {
    if (h->param_real(h, name, out) != ANIMAT_OK) {
        h->error(h, "cannot read parameter %s", name);
        return ANIMAT_ERROR;
    }
    if (!(*out >= lo && *out <= hi)) {
        h->error(h, "%s must be in [%g, %g], got %g", name, lo, hi, *out);
        return ANIMAT_ERROR;
    }
    return ANIMAT_OK;
}

/* Build a learner over n_theta weights starting at theta0 (copied; must be
 * finite and non-NULL when n_theta > 0). `info` is not used: the clip is
 * symmetric and sign constraints are the circuit's business. Returns NULL
 * after h->error on a bad parameter, bad theta0 or out of memory. Phase:
 * create. */
static void *heb_create(const animat_host *h, uint32_t n_theta, const animat_param_info *info,
                        const double *theta0) {
    (void)info;
    heb_learner *l = h->alloc(h, sizeof *l);
    if (!l) {
        h->error(h, "out of memory");
        return NULL;
    }
    l->h = h;
    l->n = n_theta;
    /* parameters */
    if (heb_param(h, "eta", 0, 1e6, &l->rule.eta) ||
        heb_param(h, "baseline_rate", 0, 1, &l->rule.alpha) ||
        heb_param(h, "baseline_init", -1e300, 1e300, &l->baseline) ||
        heb_param(h, "w_max", 0, 1e300, &l->rule.w_max)) {
        heb_destroy(l);
        return NULL;
    }
    /* buffers (at least one double, so n_theta = 0 needs no special case) */
    size_t bytes = sizeof(double) * (n_theta ? n_theta : 1u);
    l->theta = h->alloc(h, bytes);
    l->scratch = h->alloc(h, bytes);
    if (!l->theta || !l->scratch) {
        h->error(h, "out of memory");
        heb_destroy(l);
        return NULL;
    }
    /* initial weights */
    if (n_theta && !theta0) {
        h->error(h, "theta0 is NULL");
        heb_destroy(l);
        return NULL;
    }
    for (uint32_t k = 0; k < n_theta; k++) {
        if (!isfinite(theta0[k])) {
            h->error(h, "theta0[%u] is not finite", k);
            heb_destroy(l);
            return NULL;
        }
    }
    if (n_theta) memcpy(l->theta, theta0, sizeof(double) * n_theta);
    return l;
}

/* One candidate per epoch. Any phase after create. */
static uint32_t heb_population(void *self) {
    (void)self;
    return 1;
}

/* Write the latest weights into the caller's single row of n_theta doubles
 * (non-NULL). ANIMAT_OK or ANIMAT_ERROR. Any phase after create. */
static int32_t heb_ask(void *self, double *thetas) {
    heb_learner *l = self;
    if (!thetas) {
        l->h->error(l->h, "ask: thetas is NULL");
        return ANIMAT_ERROR;
    }
    if (l->n) memcpy(thetas, l->theta, sizeof(double) * l->n);
    return ANIMAT_OK;
}

/* Record the single return of the last ask (caller-owned, non-NULL). No
 * weight update: the rule runs online. Any phase after create. */
static int32_t heb_tell(void *self, const double *returns) {
    heb_learner *l = self;
    if (!returns) {
        l->h->error(l->h, "tell: returns is NULL");
        return ANIMAT_ERROR;
    }
    l->last_return = returns[0];
    return ANIMAT_OK;
}

/* Write the latest weights into the caller's n_theta doubles (non-NULL).
 * Any phase after create. */
static int32_t heb_current(void *self, double *theta) {
    heb_learner *l = self;
    if (!theta) {
        l->h->error(l->h, "current: theta is NULL");
        return ANIMAT_ERROR;
    }
    if (l->n) memcpy(theta, l->theta, sizeof(double) * l->n);
    return ANIMAT_OK;
}

/* Bytes of a checkpoint: header + n weights + baseline. Any phase. */
static uint64_t heb_state_size(void *self) {
    heb_learner *l = self;
    return sizeof(heb_header) + sizeof(double) * ((uint64_t)l->n + 1u);
}

/* Write the checkpoint into the caller's buffer of exactly state_size bytes
 * (any alignment). ANIMAT_ERROR on NULL or another size. Between episodes or
 * steps; the instance's thread. */
static int32_t heb_save(void *self, void *buf, uint64_t size) {
    heb_learner *l = self;
    if (!buf || size != heb_state_size(l)) {
        l->h->error(l->h, "save: need %llu bytes, got %llu",
                    (unsigned long long)heb_state_size(l), (unsigned long long)size);
        return ANIMAT_ERROR;
    }
    heb_header hd = {HEB_MAGIC, HEB_STATE_VERSION, l->n, 0};
    unsigned char *p = buf;
    memcpy(p, &hd, sizeof hd);
    p += sizeof hd;
    if (l->n) memcpy(p, l->theta, sizeof(double) * l->n);
    p += sizeof(double) * l->n;
    memcpy(p, &l->baseline, sizeof(double));
    return ANIMAT_OK;
}

/* Restore from a buffer that heb_save wrote for the same theta length.
 * Refuses (ANIMAT_ERROR, state unchanged) a NULL buffer, another size, magic,
 * version or n, or non-finite values. Between episodes or steps; the
 * instance's thread. */
static int32_t heb_load(void *self, const void *buf, uint64_t size) {
    heb_learner *l = self;
    const animat_host *h = l->h;
    if (!buf || size != heb_state_size(l)) {
        h->error(h, "load: need %llu bytes, got %llu", (unsigned long long)heb_state_size(l),
                 (unsigned long long)size);
        return ANIMAT_ERROR;
    }
    /* header */
    const unsigned char *p = buf;
    heb_header hd;
    memcpy(&hd, p, sizeof hd);
    if (hd.magic != HEB_MAGIC || hd.version != HEB_STATE_VERSION || hd.n != l->n) {
        h->error(h, "load: not a hebbian state v%u for %u weights", HEB_STATE_VERSION, l->n);
        return ANIMAT_ERROR;
    }
    p += sizeof hd;
    /* values, checked before anything is overwritten */
    double b;
    memcpy(&b, p + sizeof(double) * l->n, sizeof b);
    for (uint32_t k = 0; k <= l->n; k++) {
        double v;
        memcpy(&v, p + sizeof(double) * k, sizeof v);
        if (!isfinite(v)) {
            h->error(h, "load: value %u is not finite", k);
            return ANIMAT_ERROR;
        }
    }
    if (l->n) memcpy(l->theta, p, sizeof(double) * l->n);
    l->baseline = b;
    return ANIMAT_OK;
}

/* Start of an episode. The baseline is deliberately kept across episodes
 * (it is a running estimate of the per-step reward, not of one episode's),
 * and the weights carry on from where the last episode left them. Always
 * ANIMAT_OK. Phase: before an episode's first step. */
static int32_t heb_online_reset(void *self) {
    (void)self;
    return ANIMAT_OK;
}

/* One plasticity step (heb_update): M = reward - b, theta_k += eta M elig_k,
 * clip, b += alpha (reward - b). `elig` and `theta` are caller-owned buffers
 * of n doubles; theta is updated in place and copied into the learner (ask
 * and current return it). Refuses (ANIMAT_ERROR, nothing changed) NULL
 * buffers, n other than n_theta, a non-finite reward or eligibility, or a
 * non-finite result. No allocation. Phase: after each circuit step; the
 * instance's thread. */
static int32_t heb_online_step(void *self, double reward, const double *elig, double *theta,
                               uint32_t n) {
    heb_learner *l = self;
    const animat_host *h = l->h;
    if (n != l->n || (n && (!elig || !theta))) {
        h->error(h, "online_step: expected %u weights, got %u", l->n, n);
        return ANIMAT_ERROR;
    }
    if (!isfinite(reward)) {
        h->error(h, "online_step: reward is not finite");
        return ANIMAT_ERROR;
    }
    for (uint32_t k = 0; k < n; k++) {
        if (!isfinite(elig[k])) {
            h->error(h, "online_step: eligibility %u is not finite", k);
            return ANIMAT_ERROR;
        }
    }
    /* candidate weights and baseline, committed only when finite */
    double b = l->baseline;
    heb_update(&l->rule, reward, elig, theta, l->scratch, n, &b);
    for (uint32_t k = 0; k < n; k++) {
        if (!isfinite(l->scratch[k])) {
            h->error(h, "online_step: weight %u would not be finite", k);
            return ANIMAT_ERROR;
        }
    }
    if (!isfinite(b)) {
        h->error(h, "online_step: baseline is not finite");
        return ANIMAT_ERROR;
    }
    /* commit: caller's buffer and the learner's copy */
    if (n) {
        memcpy(theta, l->scratch, sizeof(double) * n);
        memcpy(l->theta, l->scratch, sizeof(double) * n);
    }
    l->baseline = b;
    return ANIMAT_OK;
}

static const animat_learner_api heb_api = {
    .struct_size = sizeof(animat_learner_api),
    .create = heb_create,
    .destroy = heb_destroy,
    .population = heb_population,
    .ask = heb_ask,
    .tell = heb_tell,
    .current = heb_current,
    .state_size = heb_state_size,
    .save = heb_save,
    .load = heb_load,
    .online_reset = heb_online_reset,
    .online_step = heb_online_step,
};

static const animat_plugin_desc heb_desc =
    ANIMAT_DESC_ID(ANIMAT_KIND_LEARNER, "org.animat.hebbian", "hebbian", "1.0.0",
                "Reward-modulated three-factor Hebbian rule, applied online inside each episode",
                heb_params, &heb_api);

static const animat_plugin_desc *const heb_plugins[] = {&heb_desc};

/* The only exported symbol. */
ANIMAT_EXPORT const animat_plugin_entry animat_entry = ANIMAT_ENTRY(heb_plugins);
