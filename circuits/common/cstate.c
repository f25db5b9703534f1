/* cstate.c -- see cstate.h. */
#include "cstate.h"

#include <string.h>

uint64_t cs_size(const cs_region *r, uint32_t k) {
    if (k > CS_MAX_REGIONS) return 0;
    uint64_t n = 0;
    for (uint32_t i = 0; i < k; i++) n += r[i].n;
    return n;
}

/* The one check both directions share. */
static int32_t cs_check(const animat_host *h, const cs_region *r, uint32_t k, uint64_t size, const char *what) {
    uint64_t want = cs_size(r, k);
    if (want && size == want) return ANIMAT_OK;
    h->error(h, "state %s: %llu bytes, this instance's state is %llu bytes", what, (unsigned long long)size,
             (unsigned long long)want);
    return ANIMAT_ERROR;
}

int32_t cs_save(const animat_host *h, const cs_region *r, uint32_t k, void *buf, uint64_t size) {
    if (cs_check(h, r, k, size, "save") != ANIMAT_OK) return ANIMAT_ERROR;
    unsigned char *out = buf;
    for (uint32_t i = 0; i < k; out += r[i].n, i++)
        if (r[i].n) memcpy(out, r[i].p, r[i].n);
    return ANIMAT_OK;
}

int32_t cs_load(const animat_host *h, const cs_region *r, uint32_t k, const void *buf, uint64_t size) {
    if (cs_check(h, r, k, size, "load") != ANIMAT_OK) return ANIMAT_ERROR;
    const unsigned char *in = buf;
    for (uint32_t i = 0; i < k; in += r[i].n, i++)
        if (r[i].n) memcpy(r[i].p, in, r[i].n);
    return ANIMAT_OK;
}
