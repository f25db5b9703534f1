/* cunits.c -- see cunits.h. */
#include "cunits.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int32_t cu_alloc(const animat_host *h, cu_units *u, uint32_t n) {
    memset(u, 0, sizeof *u);
    size_t m = n ? n : 1u;
    u->names = h->alloc(h, m * sizeof *u->names);
    u->text = h->alloc(h, m * CU_NAME_LEN);
    u->mode = h->alloc(h, m * sizeof *u->mode);
    u->value = h->alloc(h, m * sizeof *u->value);
    if (!u->names || !u->text || !u->mode || !u->value) {
        h->error(h, "out of memory (%u units)", n);
        cu_free(h, u);
        return ANIMAT_ERROR;
    }
    u->n = n;
    for (uint32_t i = 0; i < n; i++) u->names[i] = u->text + (size_t)i * CU_NAME_LEN;
    return ANIMAT_OK;
}

void cu_free(const animat_host *h, cu_units *u) {
    h->free(h, (void *)u->names);
    h->free(h, u->text);
    h->free(h, u->mode);
    h->free(h, u->value);
    memset(u, 0, sizeof *u);
}

void cu_name(cu_units *u, uint32_t i, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(u->text + (size_t)i * CU_NAME_LEN, CU_NAME_LEN, fmt, ap);
    va_end(ap);
}

int32_t cu_override(cu_units *u, uint32_t i, uint32_t mode, double value) {
    if (i >= u->n || mode > ANIMAT_UNIT_ADD || !isfinite(value)) return ANIMAT_ERROR;
    u->n_active -= u->mode[i] != ANIMAT_UNIT_FREE;
    u->n_active += mode != ANIMAT_UNIT_FREE;
    u->mode[i] = mode;
    u->value[i] = value;
    return ANIMAT_OK;
}

void cu_clear(cu_units *u) {
    for (uint32_t i = 0; i < u->n; i++) {
        u->mode[i] = ANIMAT_UNIT_FREE;
        u->value[i] = 0.0;
    }
    u->n_active = 0;
}

int cu_names_valid(const cu_units *u) {
    for (uint32_t i = 0; i < u->n; i++) {
        const char *s = u->names[i];
        if (!*s) return 0;
        for (const char *p = s; *p; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("_.[]", *p)))
                return 0;
        for (uint32_t j = 0; j < i; j++)
            if (strcmp(s, u->names[j]) == 0) return 0;
    }
    return 1;
}
