/* rank_sort.c -- see rank_sort.h. */
#include "rank_sort.h"

void rank_sort(uint32_t p, const double *returns, int descending, uint32_t *order, uint32_t *tmp) {
    for (uint32_t k = 0; k < p; k++) order[k] = k;
    /* bottom-up merge sort: runs of width 1, 2, 4, ... ping-ponging buffers */
    uint32_t *src = order, *dst = tmp;
    for (uint64_t w = 1; w < p; w *= 2) {
        for (uint64_t lo = 0; lo < p; lo += 2 * w) {
            uint64_t mid = lo + w < p ? lo + w : p;
            uint64_t hi = lo + 2 * w < p ? lo + 2 * w : p;
            uint64_t a = lo, b = mid, o = lo;
            /* the right run wins only when strictly ahead: stable */
            while (a < mid && b < hi) {
                double ra = returns[src[a]], rb = returns[src[b]];
                int right_first = descending ? rb > ra : rb < ra;
                dst[o++] = right_first ? src[b++] : src[a++];
            }
            while (a < mid) dst[o++] = src[a++];
            while (b < hi) dst[o++] = src[b++];
        }
        uint32_t *swap = src;
        src = dst;
        dst = swap;
    }
    /* the sorted run ends in src; make sure it is `order` */
    if (src != order)
        for (uint32_t k = 0; k < p; k++) order[k] = src[k];
}
