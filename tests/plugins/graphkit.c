/* graphkit.c -- small plugins whose outputs are easy to compute by hand, for
 * the experiment-graph tests (order, delays, slices, substeps, bounds), plus
 * process-wide init/deinit that the tests observe.
 *
 *   body `tick`:     obs.t = [steps since reset]; obs.v = [10t, 10t+1, ...]
 *                    (size `nv`); act.a (size `na`) is read into obs.echo and
 *                    the reward is sum_i (i+1) a_i; truncates after `len`.
 *   circuit `probe`: out.y = gain * in.x + bias (sizes from the wiring or
 *                    `n`); out.calls = [step calls since reset]; out.dt =
 *                    [last dt]. theta = [gain, bias], gain declared in
 *                    [-2, 2], bias >= 0 (excitatory): set_theta REFUSES
 *                    values outside, so a learner only gets through if the
 *                    host projects. `stale_error`: in step 1 it calls error()
 *                    and succeeds; `fail_at` > 0: step fails there silently.
 *   learner `wild`:  proposes +-1e6 for every entry, population 2.
 * init/deinit append "init"/"deinit" lines to $GRAPHKIT_LOG when set;
 * $GRAPHKIT_INIT_FAIL makes init fail with a message.
 */
#include <animat/animat.h>
#include <animat/helpers.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- tick body ---- */

typedef struct tick {
    const animat_host *h;
    uint32_t nv, na, len, t;
    animat_port_info in[1], out[3];
} tick;

static const animat_param_info tick_params[] = {
    ANIMAT_P_INT("nv", "", 3, 1, 64, "Size of obs.v."),
    ANIMAT_P_INT("na", "", 2, 1, 64, "Size of act.a."),
    ANIMAT_P_INT("len", "steps", 5, 1, 100000, "Episode length."),
};

static void *tick_create(const animat_host *h) {
    tick *b = h->alloc(h, sizeof *b);
    if (!b) return NULL;
    double nv, na, len;
    double *outs[] = {&nv, &na, &len};
    const char *names[] = {"nv", "na", "len"};
    if (animat_param_reals(h, names, outs, 3) != ANIMAT_OK) return h->free(h, b), NULL;
    b->h = h, b->nv = (uint32_t)nv, b->na = (uint32_t)na, b->len = (uint32_t)len;
    b->in[0] = ANIMAT_PORT_INFO("a", b->na, "", "Actions.");
    b->out[0] = ANIMAT_PORT_INFO("t", 1, "", "Steps since reset.");
    b->out[1] = ANIMAT_PORT_INFO("v", b->nv, "", "10t + i.");
    b->out[2] = ANIMAT_PORT_INFO("echo", b->na, "", "The last actions.");
    return b;
}

static void tick_destroy(void *self) {
    tick *b = self;
    if (b) b->h->free(b->h, b);
}

static const animat_port_info *tick_ports(void *self, uint32_t dir, uint32_t *n) {
    tick *b = self;
    return animat_ports_pick(dir, b->in, 1, b->out, 3, n);
}

static double tick_dt(void *self) {
    (void)self;
    return 0.5;
}

static void tick_observe(tick *b, double *const *obs) {
    obs[0][0] = b->t;
    for (uint32_t i = 0; i < b->nv; i++) obs[1][i] = 10.0 * b->t + i;
}

static int32_t tick_reset(void *self, uint64_t seed, double *const *obs) {
    (void)seed;
    tick *b = self;
    b->t = 0;
    tick_observe(b, obs);
    memset(obs[2], 0, b->na * sizeof(double));
    return ANIMAT_OK;
}

static int32_t tick_step(void *self, const double *const *act, double *const *obs, animat_step_result *out) {
    tick *b = self;
    out->reward = 0;
    for (uint32_t i = 0; i < b->na; i++) out->reward += (i + 1) * act[0][i];
    memcpy(obs[2], act[0], b->na * sizeof(double));
    b->t++;
    tick_observe(b, obs);
    out->truncated = b->t >= b->len;
    return ANIMAT_OK;
}

static const animat_body_api tick_api = {.struct_size = sizeof(animat_body_api), .create = tick_create,
                                         .destroy = tick_destroy, .ports = tick_ports, .control_dt = tick_dt,
                                         .reset = tick_reset, .step = tick_step};

/* ---- probe circuit ---- */

typedef struct probe {
    const animat_host *h;
    uint32_t n, calls, stale, fail_at;
    double theta[2];
    animat_port_info in[1], out[3];
    animat_param_info info[2];
} probe;

static const animat_param_info probe_params[] = {
    ANIMAT_P_INT("n", "", 0, 0, 64, "Port size; 0 takes it from the wiring."),
    ANIMAT_P_REAL("gain", "", 1, -2, 2, "Initial gain."),
    ANIMAT_P_REAL("bias", "", 0, 0, 100, "Initial bias."),
    ANIMAT_P_BOOL("stale_error", 0, "Call error() in a step that succeeds."),
    ANIMAT_P_INT("fail_at", "", 0, 0, 100000, "Fail silently at this step call (0: never)."),
    ANIMAT_P_BOOL("host_info", 0, "Ask the host for animat.host_info/1 in create and log what it says."),
};

/* host_info: log the host's "animat.host_info/1" answer (fail without it). */
static int32_t probe_host_info(const animat_host *h) {
    const animat_host_info *hi = h->extension(h, ANIMAT_EXT_HOST_INFO);
    if (!hi || hi->struct_size < sizeof *hi) {
        h->error(h, "the host does not offer %s", ANIMAT_EXT_HOST_INFO);
        return ANIMAT_ERROR;
    }
    h->log(h, ANIMAT_LOG_INFO, "host_info: %s %s ABI %u.%u; caller %s ABI %u.%u kind %u from %s", hi->host_name,
           hi->host_version, hi->abi_major, hi->abi_minor, hi->plugin_id, hi->plugin_abi_major,
           hi->plugin_abi_minor, hi->kind, hi->plugin_path);
    return h->extension(h, "animat.no_such/1") ? ANIMAT_ERROR : ANIMAT_OK;
}

static void *probe_create(const animat_host *h) {
    probe *c = h->alloc(h, sizeof *c);
    if (!c) return NULL;
    double n, gain, bias, stale, fail_at, host_info;
    double *outs[] = {&n, &gain, &bias, &stale, &fail_at, &host_info};
    const char *names[] = {"n", "gain", "bias", "stale_error", "fail_at", "host_info"};
    if (animat_param_reals(h, names, outs, 6) != ANIMAT_OK) return h->free(h, c), NULL;
    if (host_info && probe_host_info(h) != ANIMAT_OK) return h->free(h, c), NULL;
    c->h = h, c->n = (uint32_t)n, c->stale = stale != 0, c->fail_at = (uint32_t)fail_at;
    if (!c->n) c->n = h->wired_size(h, ANIMAT_PORT_IN, "x");
    if (!c->n) c->n = h->wired_size(h, ANIMAT_PORT_OUT, "y");
    if (!c->n) {
        h->error(h, "cannot size ports: set n or wire in.x or out.y");
        return h->free(h, c), NULL;
    }
    c->theta[0] = gain, c->theta[1] = bias;
    c->in[0] = ANIMAT_PORT_INFO("x", c->n, "", "Input.");
    c->out[0] = ANIMAT_PORT_INFO("y", c->n, "", "gain * x + bias.");
    c->out[1] = ANIMAT_PORT_INFO("calls", 1, "", "Step calls since reset.");
    c->out[2] = ANIMAT_PORT_INFO("dt", 1, "s", "The last dt.");
    c->info[0] = (animat_param_info)ANIMAT_THETA("gain", "", 1, -2, 2, 0, "Gain.");
    c->info[1] = (animat_param_info)ANIMAT_THETA("bias", "", 0, -INFINITY, INFINITY, ANIMAT_PARAM_EXCITATORY, "Bias.");
    return c;
}

static void probe_destroy(void *self) {
    probe *c = self;
    if (c) c->h->free(c->h, c);
}

static const animat_port_info *probe_ports(void *self, uint32_t dir, uint32_t *n) {
    probe *c = self;
    return animat_ports_pick(dir, c->in, 1, c->out, 3, n);
}

static const animat_param_info *probe_info(void *self, uint32_t *n) {
    *n = 2;
    return ((probe *)self)->info;
}

static int32_t probe_get(void *self, double *theta, uint32_t n) {
    probe *c = self;
    return animat_theta_get(c->h, c->theta, 2, theta, n);
}

static int32_t probe_set(void *self, const double *theta, uint32_t n) {
    probe *c = self;
    if (n == 2 && (theta[0] < -2 || theta[0] > 2 || theta[1] < 0)) {
        c->h->error(c->h, "set_theta: (%g, %g) is outside the declared bounds", theta[0], theta[1]);
        return ANIMAT_ERROR;
    }
    return animat_theta_set(c->h, c->theta, 2, theta, n);
}

static int32_t probe_reset(void *self, uint64_t seed) {
    (void)seed;
    ((probe *)self)->calls = 0;
    return ANIMAT_OK;
}

static int32_t probe_step(void *self, const double *const *in, double *const *out, double dt) {
    probe *c = self;
    c->calls++;
    if (c->stale && c->calls == 1) c->h->error(c->h, "a stale message from a call that succeeded");
    if (c->fail_at && c->calls == c->fail_at) return ANIMAT_ERROR;
    for (uint32_t i = 0; i < c->n; i++) out[0][i] = c->theta[0] * in[0][i] + c->theta[1];
    out[1][0] = c->calls;
    out[2][0] = dt;
    return ANIMAT_OK;
}

static const animat_circuit_api probe_api = {.struct_size = sizeof(animat_circuit_api), .create = probe_create,
                                             .destroy = probe_destroy, .ports = probe_ports,
                                             .theta_info = probe_info, .get_theta = probe_get,
                                             .set_theta = probe_set, .reset = probe_reset, .step = probe_step};

/* ---- wild learner ---- */

typedef struct wild {
    const animat_host *h;
    uint32_t n, epoch;
} wild;

static void *wild_create(const animat_host *h, uint32_t n, const animat_param_info *info, const double *theta0) {
    (void)info, (void)theta0;
    wild *w = h->alloc(h, sizeof *w);
    if (w) w->h = h, w->n = n;
    return w;
}

static void wild_destroy(void *self) {
    wild *w = self;
    if (w) w->h->free(w->h, w);
}

static uint32_t wild_population(void *self) {
    (void)self;
    return 2;
}

static int32_t wild_ask(void *self, double *thetas) {
    wild *w = self;
    for (uint32_t k = 0; k < 2 * w->n; k++) thetas[k] = (k % 2 ? -1e6 : 1e6) * (k < w->n ? 1 : -1);
    return ANIMAT_OK;
}

static int32_t wild_tell(void *self, const double *returns) {
    (void)returns;
    ((wild *)self)->epoch++;
    return ANIMAT_OK;
}

static int32_t wild_current(void *self, double *theta) {
    wild *w = self;
    for (uint32_t k = 0; k < w->n; k++) theta[k] = k % 2 ? -1e6 : 1e6;
    return ANIMAT_OK;
}

static const animat_learner_api wild_api = {.struct_size = sizeof(animat_learner_api), .create = wild_create,
                                            .destroy = wild_destroy, .population = wild_population,
                                            .ask = wild_ask, .tell = wild_tell, .current = wild_current};

/* ---- the entry, with process-wide init/deinit ---- */

static void note(const char *what) {
    const char *log = getenv("GRAPHKIT_LOG");
    FILE *f = log ? fopen(log, "a") : NULL;
    if (!f) return;
    fprintf(f, "%s\n", what);
    fclose(f);
}

static int32_t kit_init(char *why, uint32_t cap) {
    if (getenv("GRAPHKIT_INIT_FAIL")) {
        snprintf(why, cap, "GRAPHKIT_INIT_FAIL is set");
        return ANIMAT_ERROR;
    }
    note("init");
    return ANIMAT_OK;
}

static void kit_deinit(void) { note("deinit"); }

static const animat_plugin_desc tick_desc =
    ANIMAT_DESC(ANIMAT_KIND_BODY, "tick", "1.0.0", "test body: counts steps", tick_params, &tick_api);
static const animat_plugin_desc probe_desc =
    ANIMAT_DESC(ANIMAT_KIND_CIRCUIT, "probe", "1.0.0", "test circuit: y = gain x + bias", probe_params, &probe_api);
static const animat_plugin_desc wild_desc =
    ANIMAT_DESC_NOPARAMS(ANIMAT_KIND_LEARNER, "wild", "1.0.0", "test learner: proposes +-1e6", &wild_api);
static const animat_plugin_desc *const kit_plugins[] = {&tick_desc, &probe_desc, &wild_desc};

ANIMAT_EXPORT const animat_plugin_entry animat_entry = ANIMAT_ENTRY_INIT(kit_plugins, kit_init, kit_deinit);
