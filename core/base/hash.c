/* hash.c -- see hash.h. */
#include "base/hash.h"

#include <stdio.h>

uint64_t hash_fnv(uint64_t h, const void *data, uint64_t n) {
    const unsigned char *p = data;
    for (uint64_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

int hash_file(const char *path, uint64_t *out) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    uint64_t h = HASH_FNV_INIT;
    unsigned char buf[65536];
    for (size_t n; (n = fread(buf, 1, sizeof buf, f)) > 0;) h = hash_fnv(h, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) return -1;
    *out = h;
    return 0;
}

int hash_file_prefix(const char *path, uint64_t n, uint64_t *out) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    uint64_t h = HASH_FNV_INIT, left = n;
    unsigned char buf[65536];
    while (left) {
        size_t want = left < sizeof buf ? (size_t)left : sizeof buf;
        size_t got = fread(buf, 1, want, f);
        if (got == 0) break;
        h = hash_fnv(h, buf, got);
        left -= got;
    }
    fclose(f);
    if (left) return -1;
    *out = h;
    return 0;
}
