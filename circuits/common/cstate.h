/* cstate.h -- the "animat.state/1" extension (animat/state.h) for circuit
 * plugins whose state is a list of memory regions: each circuit names where
 * its state lives (arrays, counters, a GSL driver's step size), and the
 * state is their bytes, concatenated in that order.
 *
 * Pure data copies; nothing here allocates, so save and load are safe
 * between steps. A cs_region list belongs to one instance and its thread.
 */
#ifndef CSTATE_H
#define CSTATE_H

#include <animat/animat.h>

#include <stddef.h>
#include <stdint.h>

/* Largest number of regions one circuit may name. */
#define CS_MAX_REGIONS 32u

/* One piece of an instance's state: n bytes at p (the instance's memory). */
typedef struct cs_region {
    void *p;
    size_t n;
} cs_region;

/* Append a region to r[*k] (silently ignored past CS_MAX_REGIONS: a
 * programming error that cs_size reports as 0). */
static inline void cs_add(cs_region *r, uint32_t *k, void *p, size_t n) {
    if (*k < CS_MAX_REGIONS) r[*k] = (cs_region){p, n};
    ++*k;
}

/* Total bytes of the k regions (0 when k exceeds CS_MAX_REGIONS). Pure. */
uint64_t cs_size(const cs_region *r, uint32_t k);

/* Copy the regions into buf (size bytes, which must equal cs_size).
 * ANIMAT_OK, or ANIMAT_ERROR after h->error naming both sizes. */
int32_t cs_save(const animat_host *h, const cs_region *r, uint32_t k, void *buf, uint64_t size);

/* Copy buf (size bytes, which must equal cs_size) back into the regions.
 * ANIMAT_OK, or ANIMAT_ERROR after h->error (nothing copied). */
int32_t cs_load(const animat_host *h, const cs_region *r, uint32_t k, const void *buf, uint64_t size);

#endif /* CSTATE_H */
