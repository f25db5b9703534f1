/* old_learner.c -- a learner as built against ABI 1.1 looks to a 1.2 host:
 * entry minor 1 with a struct_size that ends before 1.2's init/deinit, and a
 * learner table that ends before 1.2's `extension`. Poison pointers sit
 * where the newer fields would be: a host that read past struct_size would
 * call them and crash. The learner is a fixed-step hill climber: candidate 0
 * is the current theta + 0.1 in every entry, candidate 1 the current - 0.1;
 * it moves to the better one. Built with -DOL_SEGV_CREATE it is
 * "segv-learner", which raises SIGSEGV in create (the isolation tests). */
/* Positional struct initialisers on purpose: spelt as 1.1 sources were. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <animat/animat.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>

#ifdef OL_SEGV_CREATE
#define OL_NAME "segv-learner"
#else
#define OL_NAME "old-learner"
#endif

#define OL_MAX 64

typedef struct ol {
    const animat_host *h;
    uint32_t n;
    double theta[OL_MAX];
} ol;

static void *ol_create(const animat_host *h, uint32_t n, const animat_param_info *info, const double *theta0) {
    (void)info;
#ifdef OL_SEGV_CREATE
    raise(SIGSEGV);
#endif
    if (n > OL_MAX) {
        h->error(h, "at most %d parameters", OL_MAX);
        return NULL;
    }
    ol *l = h->alloc(h, sizeof *l);
    if (!l) return NULL;
    l->h = h;
    l->n = n;
    memcpy(l->theta, theta0, n * sizeof *theta0);
    return l;
}
static void ol_destroy(void *self) {
    ol *l = self;
    if (l) l->h->free(l->h, l);
}
static uint32_t ol_population(void *self) { (void)self; return 2; }
static int32_t ol_ask(void *self, double *thetas) {
    ol *l = self;
    for (uint32_t k = 0; k < l->n; k++) {
        thetas[k] = l->theta[k] + 0.1;
        thetas[l->n + k] = l->theta[k] - 0.1;
    }
    return ANIMAT_OK;
}
static int32_t ol_tell(void *self, const double *returns) {
    ol *l = self;
    double d = returns[0] >= returns[1] ? 0.1 : -0.1;
    for (uint32_t k = 0; k < l->n; k++) l->theta[k] += d;
    return ANIMAT_OK;
}
static int32_t ol_current(void *self, double *theta) {
    ol *l = self;
    memcpy(theta, l->theta, l->n * sizeof *theta);
    return ANIMAT_OK;
}

/* The 1.1 table (through online_step) followed by poison where 1.2 put
 * `extension`. */
static const struct {
    animat_learner_api v11;
} table = {{offsetof(animat_learner_api, extension), ol_create, ol_destroy, ol_population, ol_ask, ol_tell,
            ol_current, NULL, NULL, NULL, NULL, NULL, (const void *(*)(void *, const char *))(uintptr_t)0x1}};

static const animat_plugin_desc desc = {sizeof(animat_plugin_desc), ANIMAT_KIND_LEARNER, OL_NAME, "1.1.0",
                                        "a learner built against ABI 1.1", 0, NULL, &table.v11};
static const animat_plugin_desc *const list[] = {&desc};

ANIMAT_EXPORT const animat_plugin_entry animat_entry = {
    offsetof(animat_plugin_entry, init), ANIMAT_ABI_MAJOR, 1, (uint32_t)sizeof(double), (uint32_t)sizeof(size_t), 1,
    list, (int32_t(*)(char *, uint32_t))(uintptr_t)0x1, (void (*)(void))(uintptr_t)0x1};
