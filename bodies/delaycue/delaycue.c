/* delaycue.c -- the "delaycue" body: a delayed-response memory task (module
 * dc_), shipped for memory circuits such as elm.
 *
 * An episode is `trials` trials of delay + 2 control steps each. Step 0 of
 * a trial shows a cue c = -1 or +1 (drawn from the host's stream) on
 * obs[0]; the next `delay` steps show 0; on the last step obs[1] ("go") is
 * 1 and the action a (clipped to [-1, 1]) earns the reward a * c. Every
 * other step earns 0. A circuit that remembers the cue for `delay` steps
 * earns up to `trials`; one without memory earns 0 on average.
 *
 * No physics: the body is a counter and a stream of cues. One instance per
 * thread at a time; nothing global but const tables.
 */
#include <animat/animat.h>
#include <animat/helpers.h>

#include <stdio.h>
#include <string.h>

typedef struct dc_body {
    const animat_host *h;
    uint32_t delay, trials;
    double dt;
    /* the state (animat.state/1): step within the trial, trial, cue, steps */
    double phase, trial, cue, nstep;
    animat_port_info in[1], out[1];
} dc_body;

static const animat_param_info dc_params[] = {
    ANIMAT_P_INT("delay", "", 10, 0, 10000, "Control steps between the cue and the go signal."),
    ANIMAT_P_INT("trials", "", 10, 1, 10000, "Trials per episode (delay + 2 control steps each)."),
    ANIMAT_P_REAL("dt", "s", 0.05, 1e-4, 10, "Control interval, s (circuits integrate over it)."),
};

static void dc_destroy(void *self) {
    dc_body *b = self;
    if (b) b->h->free(b->h, b);
}

/* An integer parameter in [lo, hi]; 0 or -1 after h->error. */
static int dc_int(const animat_host *h, const char *name, double lo, double hi, uint32_t *out) {
    double v = 0;
    if (h->param_real(h, name, &v) != ANIMAT_OK || !(v >= lo && v <= hi) || v != (double)(uint32_t)v) {
        h->error(h, "delaycue: %s must be an integer in [%g, %g]", name, lo, hi);
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

static void *dc_create(const animat_host *h) {
    dc_body *b = h->alloc(h, sizeof *b);
    if (!b) {
        h->error(h, "delaycue: out of memory");
        return NULL;
    }
    b->h = h;
    if (dc_int(h, "delay", 0, 10000, &b->delay) || dc_int(h, "trials", 1, 10000, &b->trials) ||
        h->param_real(h, "dt", &b->dt) != ANIMAT_OK || !(b->dt >= 1e-4 && b->dt <= 10)) {
        if (!(b->dt >= 1e-4 && b->dt <= 10)) h->error(h, "delaycue: dt must be in [0.0001, 10] s");
        dc_destroy(b);
        return NULL;
    }
    b->in[0] = ANIMAT_PORT_INFO("act", 1, "", "Response in [-1, 1]; on a go step it earns response x cue.");
    b->out[0] = ANIMAT_PORT_INFO("obs", 2, "", "[cue, go]: the cue (-1 or +1) on a trial's first step, else 0; "
                                               "go = 1 on its last step, else 0.");
    return b;
}

static const animat_port_info *dc_ports(void *self, uint32_t dir, uint32_t *n) {
    dc_body *b = self;
    return animat_ports_pick(dir, b->in, 1, b->out, 1, n);
}

static double dc_control_dt(void *self) { return ((dc_body *)self)->dt; }

/* Observe the current phase; a trial's first step draws its cue. */
static void dc_observe(dc_body *b, double *obs) {
    if (b->phase == 0) b->cue = b->h->rng_uniform(b->h) < 0.5 ? -1.0 : 1.0;
    obs[0] = b->phase == 0 ? b->cue : 0.0;
    obs[1] = b->phase == b->delay + 1 ? 1.0 : 0.0;
}

static int32_t dc_reset(void *self, uint64_t seed, double *const *obs) {
    (void)seed;
    dc_body *b = self;
    b->phase = b->trial = b->nstep = 0;
    dc_observe(b, obs[0]);
    return ANIMAT_OK;
}

static int32_t dc_step(void *self, const double *const *act, double *const *obs, animat_step_result *out) {
    dc_body *b = self;
    double a = act[0][0];
    a = a > 1 ? 1 : a < -1 ? -1 : a == a ? a : 0; /* NaN earns nothing */
    out->reward = b->phase == b->delay + 1 ? a * b->cue : 0.0;
    b->nstep++;
    if (++b->phase > b->delay + 1) b->phase = 0, b->trial++;
    out->truncated = b->trial >= b->trials;
    if (!out->truncated) dc_observe(b, obs[0]);
    else obs[0][0] = obs[0][1] = 0;
    return ANIMAT_OK;
}

/* "animat.state/1": the counters and the cue (4 doubles). */
static uint64_t dc_state_size(void *self) {
    (void)self;
    return 4 * sizeof(double);
}

static int32_t dc_state_save(void *self, void *buf, uint64_t size) {
    dc_body *b = self;
    if (size != 4 * sizeof(double)) {
        b->h->error(b->h, "delaycue: state save: %llu bytes, the state is 32", (unsigned long long)size);
        return ANIMAT_ERROR;
    }
    double v[4] = {b->phase, b->trial, b->cue, b->nstep};
    memcpy(buf, v, sizeof v);
    return ANIMAT_OK;
}

static int32_t dc_state_load(void *self, const void *buf, uint64_t size) {
    dc_body *b = self;
    double v[4];
    if (size == sizeof v) memcpy(v, buf, sizeof v);
    if (size != sizeof v || !(v[0] >= 0 && v[0] <= b->delay + 1) || !(v[1] >= 0 && v[1] <= b->trials) ||
        !(v[2] == 1 || v[2] == -1 || v[2] == 0)) {
        b->h->error(b->h, "delaycue: state load: not a state of this body (%llu bytes)", (unsigned long long)size);
        return ANIMAT_ERROR;
    }
    b->phase = v[0], b->trial = v[1], b->cue = v[2], b->nstep = v[3];
    return ANIMAT_OK;
}

static const animat_state_ext dc_state = {sizeof(animat_state_ext), 0, dc_state_size, dc_state_save, dc_state_load};

/* "animat.ports/1": the response and both observations lie in [-1, 1]. */
static const animat_port_values dc_unit = {.struct_size = sizeof(animat_port_values), .lower = -1, .upper = 1};
static const animat_port_values *dc_values(void *self, uint32_t dir, uint32_t i) {
    (void)self, (void)dir, (void)i;
    return &dc_unit;
}
static const animat_ports_ext dc_ports_ext = {.struct_size = sizeof(animat_ports_ext), .values = dc_values};

static const void *dc_extension(void *self, const char *id) {
    (void)self;
    if (id && strcmp(id, ANIMAT_EXT_STATE) == 0) return &dc_state;
    if (id && strcmp(id, ANIMAT_EXT_PORTS) == 0) return &dc_ports_ext;
    return NULL;
}

static const animat_body_api dc_api = {
    .struct_size = sizeof(animat_body_api),
    .create = dc_create,
    .destroy = dc_destroy,
    .ports = dc_ports,
    .control_dt = dc_control_dt,
    .reset = dc_reset,
    .step = dc_step,
    .extension = dc_extension,
};

static const animat_plugin_desc dc_desc =
    ANIMAT_DESC_ID(ANIMAT_KIND_BODY, "org.animat.delaycue", "delaycue", "1.0.0",
                   "Delayed-response memory task: act on a cue shown delay steps earlier (reward response x cue).",
                   dc_params, &dc_api);

static const animat_plugin_desc *const dc_plugins[] = {&dc_desc};

ANIMAT_EXPORT const animat_plugin_entry animat_entry = ANIMAT_ENTRY(dc_plugins);
