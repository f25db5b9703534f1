/* broken.c -- deliberately broken plugins for the loader tests.
 *
 * One source, several shared objects: the BROKEN_* macro chosen at build time
 * selects the defect. Each must be refused by the host with a precise message
 * before any of its functions runs.
 *   BROKEN_ABI_MAJOR   declares ABI major 99
 *   BROKEN_ABI_MINOR   declares a minor newer than the host's
 *   BROKEN_NO_ENTRY    exports no animat_entry symbol
 *   BROKEN_NULL_STEP   a body whose required step function is NULL
 *   BROKEN_BAD_DEFAULT a parameter whose default lies outside its range
 *   BROKEN_SIZEOF      declares sizeof(double) == 4
 *   BROKEN_STEP_ERROR  loads fine but fails (h->error) at its 5th step
 *   BROKEN_TRUNCATED   its body function table claims struct_size 8
 *   BROKEN_NAN         writes NaN into its observation at its 3rd step
 *   BROKEN_INF_REWARD  returns an infinite reward at its 3rd step
 *   BROKEN_SEGV        raises SIGSEGV in its 3rd step
 *   BROKEN_HANG        never returns from its 3rd step
 *   BROKEN_EXIT        calls exit(0) in its 3rd step
 *   BROKEN_ABORT       calls abort() in create
 *   BROKEN_HUGE_STRIDE its parameter table's struct_size is 1 GiB
 *   BROKEN_NONDET      observations depend on a counter shared by instances
 *   BROKEN_LEAK        create mallocs memory that destroy never frees
 *   BROKEN_HUGE_PORT   declares an observation port of 2^30 values
 *   BROKEN_DUP_PARAM   declares the same parameter name twice
 *   BROKEN_HUGE_ALLOC  asks the host for 2^40 bytes in create
 *   BROKEN_STEP_ALLOC  mallocs and frees a scratch buffer in every step
 *   BROKEN_STEP_LEAK   mallocs 256 bytes in every step and never frees them
 *   BROKEN_OVERRUN     writes one value past its observation buffer at step 3
 *   BROKEN_STATIC      keeps its state in a static variable shared by instances
 *   BROKEN_PORT_CHANGE its observation port grows from 1 to 2 values after step 1
 *   BROKEN_SEGV_CREATE raises SIGSEGV in create
 *   BROKEN_HANG_CREATE never returns from create
 *   BROKEN_EXIT_CREATE calls exit(0) in create
 *   BROKEN_CHDIR_CREATE calls chdir("/") in create (and is otherwise valid)
 *   BROKEN_CTOR_ABORT  calls abort() in a constructor: when the file is loaded
 *   BROKEN_CTOR_MARK   a valid body whose constructor creates the file named by
 *                      $ANIMAT_TEST_CTOR_MARK (shows when the file is loaded)
 *   BROKEN_FORK        its first create forks 20 children that sleep 30 s
 *   BROKEN_SIGINT      create sets SIGINT to ignored (Ctrl-C does nothing)
 *   BROKEN_UMASK       create sets the umask to 0777
 *   BROKEN_CLOSE_OUT   create closes stdout
 *   BROKEN_CHATTY      writes 1 MiB to stdout in every step
 *   BROKEN_CROSS       the second instance writes through a static pointer
 *                      to the first instance's observation buffer
 *   BROKEN_RESERVED    its action port record sets `reserved` (ABI 1.3: must be 0)
 *   BROKEN_RESERVED_RESULT  sets animat_step_result.reserved in its 3rd step
 *   BROKEN_BOUNDS_INVERTED  declares its action port's bounds as [1, -1]
 *   BROKEN_BOUNDS_NAN       declares a NaN lower bound on its action port
 *   BOUNDED            (valid) declares its action port in [-0.5, 0.5]
 *   BROKEN_STALE_UNITS offers "animat.units/1" whose unit counts steps
 *                      since create: reset does not clear it
 *   BROKEN_STATE_LOSSY offers "animat.state/1" whose load forgets the step
 *                      counter (and the observation adds that counter)
 *   PLUGIN_ID="..."    (valid) the descriptor carries that ABI 1.3 id
 * Without a BROKEN_* macro it is a valid "dummy" body (1 action, 1 obs).
 */
/* Positional struct initialisers on purpose: the fixtures are spelt the way
 * plugin sources written before ABI 1.2 were, so new trailing fields stay 0. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <animat/animat.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct dummy { const animat_host *h; double x; int steps; int index; int total; } dummy;

#ifdef BROKEN_CTOR_ABORT
__attribute__((constructor)) static void ctor_abort(void) { abort(); }
#endif
#ifdef BROKEN_CTOR_MARK
__attribute__((constructor)) static void ctor_mark(void) {
    const char *m = getenv("ANIMAT_TEST_CTOR_MARK");
    FILE *f = m ? fopen(m, "a") : NULL;
    if (f) fclose(f);
}
#endif
#ifdef BROKEN_CROSS
static int n_created;       /* instances created so far in this process */
static double *first_obs;   /* the first instance's observation buffer */
#endif

#ifdef BROKEN_STATIC
static double static_x; /* one accumulator for every instance */
#define X_OF(d) static_x
#else
#define X_OF(d) ((d)->x)
#endif

#ifdef BROKEN_NONDET
static double shared_counter; /* shared by every instance: not reproducible */
#endif

static void *d_create(const animat_host *h) {
#ifdef BROKEN_HUGE_ALLOC
    if (!h->alloc(h, (size_t)1 << 40)) return NULL; /* the host must refuse */
#endif
#ifdef BROKEN_ABORT
    abort();
#endif
#if defined(BROKEN_SEGV_CREATE)
    raise(SIGSEGV);
#elif defined(BROKEN_HANG_CREATE)
    for (;;) pause();
#elif defined(BROKEN_EXIT_CREATE)
    exit(0);
#elif defined(BROKEN_CHDIR_CREATE)
    if (chdir("/")) return NULL;
#endif
#ifdef BROKEN_FORK
    static int forked;
    for (int i = 0; !forked && i < 20; i++)
        if (fork() == 0) {
            sleep(30);
            _exit(0);
        }
    forked = 1;
#elif defined(BROKEN_SIGINT)
    signal(SIGINT, SIG_IGN);
#elif defined(BROKEN_UMASK)
    umask(0777);
#elif defined(BROKEN_CLOSE_OUT)
    close(1);
#endif
    dummy *d = h->alloc(h, sizeof *d);
    if (!d) return NULL;
    d->h = h;
#ifdef BROKEN_CROSS
    d->index = n_created++;
#endif
    d->x = 0;
    d->steps = 0;
#ifdef BROKEN_LEAK
    volatile char *lost = malloc(4096); /* never freed */
    if (lost) lost[0] = 1;
#endif
    return d;
}
static void d_destroy(void *self) {
    dummy *d = self;
    if (d) d->h->free(d->h, d);
}

#ifdef BROKEN_RESERVED
static const animat_port_info d_in[] = {{sizeof(animat_port_info), 1, 0, 7, "u", "", "input"}};
#else
static const animat_port_info d_in[] = {{sizeof(animat_port_info), 1, 0, 0, "u", "", "input"}};
#endif
#ifdef BROKEN_HUGE_PORT
static const animat_port_info d_out[] = {{sizeof(animat_port_info), 1u << 30, 0, 0, "y", "", "output"}};
#else
static const animat_port_info d_out[] = {{sizeof(animat_port_info), 1, 0, 0, "y", "", "output"}};
#endif

#ifdef BROKEN_PORT_CHANGE
static const animat_port_info d_out2[] = {{sizeof(animat_port_info), 2, 0, 0, "y", "", "output"}};
#endif

static const animat_port_info *d_ports(void *self, uint32_t dir, uint32_t *n) {
    (void)self;
    *n = 1;
#ifdef BROKEN_PORT_CHANGE
    if (dir == ANIMAT_PORT_OUT && ((dummy *)self)->steps > 0) return d_out2;
#endif
    return dir == ANIMAT_PORT_IN ? d_in : d_out;
}
static double d_dt(void *self) { (void)self; return 0.01; }
static int32_t d_reset(void *self, uint64_t seed, double *const *obs) {
    (void)seed;
    X_OF((dummy *)self) = 0;
    ((dummy *)self)->steps = 0;
    obs[0][0] = 0;
    return ANIMAT_OK;
}
__attribute__((unused)) static int32_t d_step(void *self, const double *const *act, double *const *obs, animat_step_result *out) {
    dummy *d = self;
#ifdef BROKEN_STEP_ERROR
    if (d->steps + 1 == 5) {
        d->h->error(d->h, "boom: the test plugin fails on purpose");
        return ANIMAT_ERROR;
    }
#endif
    d->steps++;
#if defined(BROKEN_SEGV)
    if (d->steps == 3) raise(SIGSEGV);
#elif defined(BROKEN_HANG)
    if (d->steps == 3)
        for (;;) pause();
#elif defined(BROKEN_EXIT)
    if (d->steps == 3) exit(0);
#endif
    X_OF(d) += act[0][0];
    obs[0][0] = X_OF(d);
#ifdef BROKEN_STALE_UNITS
    d->total++;
#endif
#ifdef BROKEN_STATE_LOSSY
    obs[0][0] += d->steps;
#endif
#ifdef BROKEN_CROSS
    if (d->index == 0) first_obs = obs[0];
    else if (first_obs) first_obs[0] += 1.0; /* into the other instance's buffer */
#endif
#ifdef BROKEN_CHATTY
    static char noise[1 << 20];
    if (!noise[0]) memset(noise, 'x', sizeof noise);
    if (write(1, noise, sizeof noise) < 0) out->reward = 1;
#endif
    out->reward = 1;
#if defined(BROKEN_STEP_ALLOC)
    volatile double *scratch = malloc(8 * sizeof(double)); /* allocated and freed: still forbidden */
    if (scratch) scratch[0] = obs[0][0];
    free((void *)scratch);
#elif defined(BROKEN_STEP_LEAK)
    volatile char *lost = malloc(256); /* never freed: the heap grows every step */
    if (lost) lost[0] = 1;
#elif defined(BROKEN_OVERRUN)
    if (d->steps == 3) obs[0][1] = 0; /* the port has one value */
#endif
#if defined(BROKEN_RESERVED_RESULT)
    if (d->steps == 3) out->reserved = 1;
#endif
#if defined(BROKEN_NAN)
    if (d->steps == 3) obs[0][0] = 0.0 / 0.0;
#elif defined(BROKEN_INF_REWARD)
    if (d->steps == 3) out->reward = 1.0 / 0.0;
#elif defined(BROKEN_NONDET)
    obs[0][0] += (shared_counter += 1.0);
#endif
    return ANIMAT_OK;
}

#if defined(BROKEN_BOUNDS_INVERTED) || defined(BROKEN_BOUNDS_NAN) || defined(BOUNDED)
/* "animat.ports/1" on the action port u. */
#if defined(BROKEN_BOUNDS_INVERTED)
static const animat_port_values d_u_values = {sizeof(animat_port_values), 0, 1.0, -1.0};
#elif defined(BROKEN_BOUNDS_NAN)
static const animat_port_values d_u_values = {sizeof(animat_port_values), 0, 0.0 / 0.0, 1.0};
#else
static const animat_port_values d_u_values = {sizeof(animat_port_values), 0, -0.5, 0.5};
#endif
static const animat_port_values *d_values(void *self, uint32_t dir, uint32_t i) {
    (void)self;
    return dir == ANIMAT_PORT_IN && i == 0 ? &d_u_values : NULL;
}
static const animat_ports_ext d_ports_ext = {sizeof(animat_ports_ext), 0, d_values};
static const void *d_extension(void *self, const char *id) {
    (void)self;
    return id && !strcmp(id, ANIMAT_EXT_PORTS) ? &d_ports_ext : NULL;
}
#define D_EXTENSION d_extension
#elif defined(BROKEN_STATE_LOSSY)
/* "animat.state/1": saves x and the step counter; load restores x only. */
static uint64_t d_state_size(void *self) { (void)self; return sizeof(double) + sizeof(int); }
static int32_t d_state_save(void *self, void *buf, uint64_t size) {
    dummy *d = self;
    if (size != d_state_size(self)) return ANIMAT_ERROR;
    memcpy(buf, &d->x, sizeof d->x);
    memcpy((char *)buf + sizeof d->x, &d->steps, sizeof d->steps);
    return ANIMAT_OK;
}
static int32_t d_state_load(void *self, const void *buf, uint64_t size) {
    dummy *d = self;
    if (size != d_state_size(self)) {
        d->h->error(d->h, "state of %llu bytes (want %llu)", (unsigned long long)size,
                    (unsigned long long)d_state_size(self));
        return ANIMAT_ERROR;
    }
    memcpy(&d->x, buf, sizeof d->x); /* forgets d->steps on purpose */
    return ANIMAT_OK;
}
static const animat_state_ext d_state_ext = {sizeof(animat_state_ext), 0, d_state_size, d_state_save, d_state_load};
static const void *d_extension(void *self, const char *id) {
    (void)self;
    return id && !strcmp(id, ANIMAT_EXT_STATE) ? &d_state_ext : NULL;
}
#define D_EXTENSION d_extension
#elif defined(BROKEN_STALE_UNITS)
/* "animat.units/1" with one unit that counts steps since create: reset
 * does not clear it, so the unit reads the last episode's value. */
static const char *const d_unit_names[] = {"count"};
static const char *const *d_units_names(void *self, uint32_t *n) {
    (void)self;
    *n = 1;
    return d_unit_names;
}
static int32_t d_units_get(void *self, uint32_t i, double *v) {
    if (i != 0) return ANIMAT_ERROR;
    *v = ((dummy *)self)->total;
    return ANIMAT_OK;
}
static int32_t d_units_override(void *self, uint32_t i, uint32_t mode, double v) {
    (void)self, (void)v;
    return i == 0 && mode <= ANIMAT_UNIT_ADD ? ANIMAT_OK : ANIMAT_ERROR;
}
static const animat_units_ext d_units_ext = {sizeof(animat_units_ext), d_units_names, d_units_get,
                                             d_units_override};
static const void *d_extension(void *self, const char *id) {
    (void)self;
    return id && !strcmp(id, ANIMAT_EXT_UNITS) ? &d_units_ext : NULL;
}
#define D_EXTENSION d_extension
#else
#define D_EXTENSION NULL
#endif
static const animat_body_api api = {
#ifdef BROKEN_TRUNCATED
    8,
#else
    sizeof(animat_body_api),
#endif
    d_create, d_destroy, d_ports, d_dt, d_reset,
#ifdef BROKEN_NULL_STEP
    NULL,
#else
    d_step,
#endif
    D_EXTENSION,
};

static const animat_param_info params[] = {
#ifdef BROKEN_HUGE_STRIDE
    {1u << 30, ANIMAT_PARAM_REAL, 0, 0, "gain", "",
#else
    {sizeof(animat_param_info), ANIMAT_PARAM_REAL, 0, 0, "gain", "",
#endif
#ifdef BROKEN_BAD_DEFAULT
     5.0,
#else
     1.0,
#endif
     0.0, 2.0, NULL, NULL, "a gain"},
#ifdef BROKEN_DUP_PARAM
    {sizeof(animat_param_info), ANIMAT_PARAM_REAL, 0, 0, "gain", "", 1.0, 0.0, 2.0, NULL, NULL, "again"},
#endif
};

static const animat_plugin_desc desc = {
    sizeof(animat_plugin_desc), ANIMAT_KIND_BODY, PLUGIN_NAME, "0.0.1", "a test body",
    sizeof params / sizeof params[0], params, &api,
#ifdef PLUGIN_ID
    PLUGIN_ID,
#endif
};
static const animat_plugin_desc *const list[] = {&desc};

#ifndef BROKEN_NO_ENTRY
ANIMAT_EXPORT const animat_plugin_entry animat_entry = {
    sizeof(animat_plugin_entry),
#ifdef BROKEN_ABI_MAJOR
    99,
#else
    ANIMAT_ABI_MAJOR,
#endif
#ifdef BROKEN_ABI_MINOR
    ANIMAT_ABI_MINOR + 1,
#else
    ANIMAT_ABI_MINOR,
#endif
#ifdef BROKEN_SIZEOF
    4,
#else
    (uint32_t)sizeof(double),
#endif
    (uint32_t)sizeof(size_t), 1, list};
#else
/* Exports something (the right table under the wrong name), not the entry. */
ANIMAT_EXPORT const animat_plugin_entry animat_entry_typo = {ANIMAT_ENTRY_HEAD, 1, list};
#endif
