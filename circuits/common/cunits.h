/* cunits.h -- bookkeeping for the "animat.units/1" extension (circuit.h),
 * shared by the circuit plugins: unit names, per-unit override modes and
 * values, and the one function step applies to every unit output.
 *
 * Pure data and maths: nothing here calls the host except cu_alloc/cu_free
 * (create/destroy phase), and cu_apply is branch-light and never allocates,
 * so it can run inside step. A cu_units belongs to one circuit instance and
 * is used from that instance's thread only.
 */
#ifndef CUNITS_H
#define CUNITS_H

#include <animat/animat.h>

#include <stddef.h>
#include <stdint.h>

/* Longest unit name, NUL included. */
#define CU_NAME_LEN 32u

typedef struct cu_units {
    uint32_t n;          /* number of units */
    uint32_t n_active;   /* units whose mode is not ANIMAT_UNIT_FREE */
    const char **names;  /* n pointers into text, valid until cu_free */
    char *text;          /* n slots of CU_NAME_LEN bytes */
    uint32_t *mode;      /* n ANIMAT_UNIT_* modes */
    double *value;       /* n override values */
} cu_units;

/* Allocate storage for n units with h->alloc (names empty, all FREE).
 * ANIMAT_OK, or ANIMAT_ERROR after h->error (out of memory). Phase: create. */
int32_t cu_alloc(const animat_host *h, cu_units *u, uint32_t n);

/* Free what cu_alloc allocated (safe on a zeroed or half-built cu_units).
 * Phase: destroy. */
void cu_free(const animat_host *h, cu_units *u);

/* Name unit i with a printf format (truncated to CU_NAME_LEN - 1 bytes).
 * Phase: create. */
void cu_name(cu_units *u, uint32_t i, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Set unit i's override: ANIMAT_OK, or ANIMAT_ERROR for i >= n, an unknown
 * mode or a non-finite value (nothing changes then). Between steps; no
 * allocation. */
int32_t cu_override(cu_units *u, uint32_t i, uint32_t mode, double value);

/* Clear every override to ANIMAT_UNIT_FREE. Phase: reset; no allocation. */
void cu_clear(cu_units *u);

/* Unit i's output given its own computed output `own`: `own` itself (the
 * same bits) when FREE, `value` when CLAMP, own + value when ADD. Inside
 * step; pure; no allocation. */
static inline double cu_apply(const cu_units *u, uint32_t i, double own) {
    if (!u || u->n_active == 0 || u->mode[i] == ANIMAT_UNIT_FREE) return own;
    return u->mode[i] == ANIMAT_UNIT_CLAMP ? u->value[i] : own + u->value[i];
}

/* Does every name match [a-z0-9_.\[\]]+ and differ from every other?
 * 1 or 0. Pure; for tests and create-time self checks. */
int cu_names_valid(const cu_units *u);

#endif /* CUNITS_H */
