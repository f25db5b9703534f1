/* funcbody.c -- test-only plugins that turn an optimiser test into an
 * experiment: body "funcbody" pays reward -f(action) in a one-step episode
 * (f: quadratic or Rosenbrock), and circuit "const" outputs its own theta.
 * Wired const.out.y -> funcbody.act.x, any episodic learner then minimises
 * f through the real host, threads, ranks and checkpoints included. */
/* Positional struct initialisers on purpose: the fixtures are spelt the way
 * plugin sources written before ABI 1.2 were, so new trailing fields stay 0. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <animat/animat.h>
#include <math.h>
#include <signal.h>

/* ---- body "funcbody" ---- */

typedef struct fb {
    const animat_host *h;
    uint32_t dim;
    int rosen;
    double segv_above; /* crash (SIGSEGV) when x[0] exceeds this */
    animat_port_info in[1], out[1];
} fb;

/* f(x): sum (x_i - 1)^2, or the Rosenbrock function (minimum 0 at all ones). */
static double fb_f(const fb *b, const double *x) {
    double f = 0;
    if (!b->rosen) {
        for (uint32_t i = 0; i < b->dim; i++) f += (x[i] - 1) * (x[i] - 1);
        return f;
    }
    for (uint32_t i = 0; i + 1 < b->dim; i++)
        f += 100 * (x[i + 1] - x[i] * x[i]) * (x[i + 1] - x[i] * x[i]) + (1 - x[i]) * (1 - x[i]);
    return f;
}

static void *fb_create(const animat_host *h) {
    double dim, segv_above;
    const char *fn;
    if (h->param_real(h, "dim", &dim) || h->param_choice(h, "function", &fn) ||
        h->param_real(h, "segv_above", &segv_above))
        return NULL;
    fb *b = h->alloc(h, sizeof *b);
    if (!b) return NULL;
    b->h = h;
    b->dim = (uint32_t)dim;
    b->rosen = fn[0] == 'r';
    b->segv_above = segv_above;
    b->in[0] = (animat_port_info){sizeof(animat_port_info), b->dim, 0, 0, "x", "", "the point to evaluate"};
    b->out[0] = (animat_port_info){sizeof(animat_port_info), 1, 0, 0, "f", "", "f at the last point"};
    return b;
}

static void fb_destroy(void *self) {
    fb *b = self;
    if (b) b->h->free(b->h, b);
}

static const animat_port_info *fb_ports(void *self, uint32_t dir, uint32_t *n) {
    fb *b = self;
    *n = 1;
    return dir == ANIMAT_PORT_IN ? b->in : b->out;
}

static double fb_dt(void *self) {
    (void)self;
    return 1.0;
}

static int32_t fb_reset(void *self, uint64_t seed, double *const *obs) {
    (void)self;
    (void)seed;
    obs[0][0] = 0;
    return ANIMAT_OK;
}

static int32_t fb_step(void *self, const double *const *act, double *const *obs, animat_step_result *out) {
    fb *b = self;
    if (act[0][0] > b->segv_above) raise(SIGSEGV); /* a deliberately fragile plugin */
    double f = fb_f(b, act[0]);
    obs[0][0] = f;
    out->reward = -f;
    out->truncated = 1;
    return ANIMAT_OK;
}

static const animat_body_api fb_api = {sizeof(animat_body_api), fb_create, fb_destroy, fb_ports,
                                       fb_dt, fb_reset, fb_step};

static const animat_param_info fb_params[] = {
    {sizeof(animat_param_info), ANIMAT_PARAM_CHOICE, 0, 0, "function", "", 0, 0, 0, "quadratic|rosenbrock", NULL,
     "Which function to minimise."},
    {sizeof(animat_param_info), ANIMAT_PARAM_INT, 0, 0, "dim", "", 2, 1, 64, NULL, NULL, "Dimension of x."},
    {sizeof(animat_param_info), ANIMAT_PARAM_REAL, 0, 0, "segv_above", "", 1e300, -1e300, 1e300, NULL, NULL,
     "Crash with SIGSEGV when x[0] exceeds this (tests process isolation)."},
};

static const animat_plugin_desc fb_desc = {sizeof(animat_plugin_desc), ANIMAT_KIND_BODY, "funcbody", "1.0.0",
                                           "test body: one-step episodes paying -f(x)", 3, fb_params, &fb_api};

/* ---- circuit "const" ---- */

typedef struct cc {
    const animat_host *h;
    uint32_t n;
    double *theta;
    animat_port_info in[1], out[1];
    animat_param_info *info;
} cc;

static void *cc_create(const animat_host *h) {
    double init;
    if (h->param_real(h, "init", &init)) return NULL;
    uint32_t n = h->wired_size(h, ANIMAT_PORT_OUT, "y");
    if (!n) {
        h->error(h, "out.y must be wired (its size is the theta length)");
        return NULL;
    }
    cc *c = h->alloc(h, sizeof *c);
    if (!c) return NULL;
    c->h = h;
    c->n = n;
    c->theta = h->alloc(h, n * sizeof *c->theta);
    c->info = h->alloc(h, n * sizeof *c->info);
    if (!c->theta || !c->info) {
        h->free(h, c->theta);
        h->free(h, c->info);
        h->free(h, c);
        return NULL;
    }
    for (uint32_t i = 0; i < n; i++) {
        c->theta[i] = init;
        c->info[i] = (animat_param_info){sizeof(animat_param_info), ANIMAT_PARAM_REAL, 0, 0, "x", "", init,
                                         -INFINITY, INFINITY, NULL, NULL, "one coordinate"};
    }
    c->in[0] = (animat_port_info){sizeof(animat_port_info), 1, 0, 0, "u", "", "ignored"};
    c->out[0] = (animat_port_info){sizeof(animat_port_info), n, 0, 0, "y", "", "theta"};
    return c;
}

static void cc_destroy(void *self) {
    cc *c = self;
    if (!c) return;
    c->h->free(c->h, c->theta);
    c->h->free(c->h, c->info);
    c->h->free(c->h, c);
}

static const animat_port_info *cc_ports(void *self, uint32_t dir, uint32_t *n) {
    cc *c = self;
    *n = 1;
    return dir == ANIMAT_PORT_IN ? c->in : c->out;
}

static const animat_param_info *cc_info(void *self, uint32_t *n) {
    cc *c = self;
    *n = c->n;
    return c->info;
}

static int32_t cc_get(void *self, double *theta, uint32_t n) {
    cc *c = self;
    if (n != c->n) return ANIMAT_ERROR;
    for (uint32_t i = 0; i < n; i++) theta[i] = c->theta[i];
    return ANIMAT_OK;
}

static int32_t cc_set(void *self, const double *theta, uint32_t n) {
    cc *c = self;
    if (n != c->n) return ANIMAT_ERROR;
    for (uint32_t i = 0; i < n; i++) c->theta[i] = theta[i];
    return ANIMAT_OK;
}

static int32_t cc_reset(void *self, uint64_t seed) {
    (void)self;
    (void)seed;
    return ANIMAT_OK;
}

static int32_t cc_step(void *self, const double *const *in, double *const *out, double dt) {
    cc *c = self;
    (void)in;
    (void)dt;
    for (uint32_t i = 0; i < c->n; i++) out[0][i] = c->theta[i];
    return ANIMAT_OK;
}

static const animat_circuit_api cc_api = {sizeof(animat_circuit_api), cc_create, cc_destroy, cc_ports, cc_info,
                                          cc_get, cc_set, cc_reset, cc_step, NULL};

static const animat_param_info cc_params[] = {
    {sizeof(animat_param_info), ANIMAT_PARAM_REAL, 0, 0, "init", "", 0, -1e6, 1e6, NULL, NULL,
     "Initial value of every theta entry."},
};

static const animat_plugin_desc cc_desc = {sizeof(animat_plugin_desc), ANIMAT_KIND_CIRCUIT, "const", "1.0.0",
                                           "test circuit: outputs its theta", 1, cc_params, &cc_api};

static const animat_plugin_desc *const all[] = {&fb_desc, &cc_desc};

ANIMAT_EXPORT const animat_plugin_entry animat_entry = {ANIMAT_ENTRY_HEAD, 2, all};
