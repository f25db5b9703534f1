/* random.c -- the "random actions" control of the NCAP study: a circuit
 * whose outputs are independent uniform draws in [-1, 1] each step, from the
 * host's random stream (reseeded per episode, so runs are reproducible bit
 * for bit). It has no input and no learnable parameters. The output size is
 * the `size` parameter, or (0, the default) the size of what it is wired to.
 */
#include <animat/animat.h>
#include <animat/helpers.h>
#include <math.h>
#include <string.h>

/* One instance: the host table and the output port record. */
typedef struct random_circuit {
    const animat_host *h;
    animat_port_info out[1];
} random_circuit;

static const animat_param_info random_params[] = {
    ANIMAT_P_INT("size", "", 0, 0, 100000, "Number of actions; 0 = the size of the wired destination."),
};

/* Build an instance sized from `size` or the wiring; NULL after h->error
 * when neither gives a size or memory is short. Phase: create. */
static void *random_create(const animat_host *h) {
    double v = 0.0;
    if (h->param_real(h, "size", &v) != ANIMAT_OK) {
        h->error(h, "cannot read parameter 'size'");
        return NULL;
    }
    uint32_t n = v > 0.0 ? (uint32_t)v : h->wired_size(h, ANIMAT_PORT_OUT, "actions");
    if (n == 0) {
        h->error(h, "size is 0 and out.actions is not wired; set size");
        return NULL;
    }
    random_circuit *c = animat_alloc_array(h, 1, sizeof *c);
    if (!c) return NULL;
    c->h = h;
    c->out[0] = ANIMAT_PORT_INFO("actions", n, "", "Uniform random actions in [-1, 1].");
    return c;
}

/* Free the instance; NULL is a no-op. Phase: destroy. */
static void random_destroy(void *self) {
    random_circuit *c = self;
    if (c) c->h->free(c->h, c);
}

/* No inputs; one output port. Any phase after create. */
static const animat_port_info *random_ports(void *self, uint32_t dir, uint32_t *n) {
    random_circuit *c = self;
    return animat_ports_pick(dir, NULL, 0, c->out, 1, n);
}

/* No learnable parameters: 0 entries. */
static const animat_param_info *random_theta_info(void *self, uint32_t *n) {
    (void)self;
    *n = 0;
    return NULL;
}

/* get_theta/set_theta of an empty theta: only n == 0 is accepted. */
static int32_t random_get_theta(void *self, double *theta, uint32_t n) {
    random_circuit *c = self;
    (void)theta;
    if (n == 0) return ANIMAT_OK;
    c->h->error(c->h, "get_theta: expected 0 values, got %u", n);
    return ANIMAT_ERROR;
}

static int32_t random_set_theta(void *self, const double *theta, uint32_t n) {
    random_circuit *c = self;
    (void)theta;
    if (n == 0) return ANIMAT_OK;
    c->h->error(c->h, "set_theta: expected 0 values, got %u", n);
    return ANIMAT_ERROR;
}

/* Nothing to clear: the host reseeds the stream before every reset. */
static int32_t random_reset(void *self, uint64_t seed) {
    (void)self;
    (void)seed;
    return ANIMAT_OK;
}

/* Write size draws 2u - 1, u ~ U[0, 1), to the output. No allocation. */
static int32_t random_step(void *self, const double *const *in, double *const *out, double dt) {
    random_circuit *c = self;
    (void)in;
    (void)dt;
    for (uint32_t i = 0; i < c->out[0].size; i++) out[0][i] = 2.0 * c->h->rng_uniform(c->h) - 1.0;
    return ANIMAT_OK;
}

/* "animat.state/1" (animat/state.h): empty -- every draw comes from the
 * host's stream, which the host saves itself. Only size 0 is accepted. */
static uint64_t random_state_size(void *self) {
    (void)self;
    return 0;
}

static int32_t random_state_copy(random_circuit *c, uint64_t size) {
    if (size == 0) return ANIMAT_OK;
    c->h->error(c->h, "state: %llu bytes, this instance's state is 0 bytes", (unsigned long long)size);
    return ANIMAT_ERROR;
}

static int32_t random_state_save(void *self, void *buf, uint64_t size) {
    (void)buf;
    return random_state_copy(self, size);
}

static int32_t random_state_load(void *self, const void *buf, uint64_t size) {
    (void)buf;
    return random_state_copy(self, size);
}

static const animat_state_ext random_state = {sizeof(animat_state_ext), 0, random_state_size, random_state_save,
                                              random_state_load};

/* "animat.ports/1": the actions are uniform in [-1, 1]; no inputs. */
static const animat_port_values random_out_values = {.struct_size = sizeof(animat_port_values), .lower = -1,
                                                     .upper = 1};
static const animat_port_values *random_values(void *self, uint32_t dir, uint32_t i) {
    (void)self, (void)i;
    return dir == ANIMAT_PORT_OUT ? &random_out_values : NULL;
}
static const animat_ports_ext random_ports_ext = {.struct_size = sizeof(animat_ports_ext), .values = random_values};

/* Capabilities by id: ANIMAT_EXT_STATE and ANIMAT_EXT_PORTS; any other id gives NULL. */
static const void *random_extension(void *self, const char *id) {
    (void)self;
    if (id && strcmp(id, ANIMAT_EXT_PORTS) == 0) return &random_ports_ext;
    return id && strcmp(id, ANIMAT_EXT_STATE) == 0 ? &random_state : NULL;
}

static const animat_circuit_api random_api = {
    .struct_size = sizeof(animat_circuit_api),
    .create = random_create,
    .destroy = random_destroy,
    .ports = random_ports,
    .theta_info = random_theta_info,
    .get_theta = random_get_theta,
    .set_theta = random_set_theta,
    .reset = random_reset,
    .step = random_step,
    .extension = random_extension,
};

static const animat_plugin_desc random_desc =
    ANIMAT_DESC_ID(ANIMAT_KIND_CIRCUIT, "org.animat.random", "random", "1.0.0",
                "Uniform random actions in [-1, 1] from the host's stream (a control)", random_params,
                &random_api);

static const animat_plugin_desc *const random_plugins[] = {&random_desc};

/* The only exported symbol. */
ANIMAT_EXPORT const animat_plugin_entry animat_entry = ANIMAT_ENTRY(random_plugins);
