/* alloccount.c -- libanimat-alloccount.so, the allocator-call counter of
 * plugin-check's `alloc` check: loaded (LD_PRELOAD) only into an `animat
 * plugin-check` process (plugcheck_alloc.c re-executes it so), never into
 * `animat run`, `train` or any other command, test or embedding.
 *
 * It defines malloc, calloc, realloc and free; as a preloaded object its
 * definitions come first for every library of the process (glibc supports
 * replacing malloc this way). Each forwards to glibc's own __libc_malloc
 * and friends and adds one to a counter while counting is on; memalign and
 * the other aligned allocators stay glibc's (same heap, so free() here
 * releases them correctly). The cost outside a check is one relaxed atomic
 * load per call. plugcheck_alloc.c finds the switches below with dlsym.
 * Not built into sanitizer builds (the sanitizer's allocator must stay). */
#include <stdatomic.h>
#include <stddef.h>

#define EXPORT __attribute__((visibility("default")))

static atomic_int counting;
static atomic_ulong calls;

/* glibc's allocator under its internal names (exported by libc.so.6). */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);

/* One more call, if counting. */
static inline void count_call(void) {
    if (atomic_load_explicit(&counting, memory_order_relaxed))
        atomic_fetch_add_explicit(&calls, 1, memory_order_relaxed);
}

EXPORT void *malloc(size_t size) {
    count_call();
    return __libc_malloc(size);
}

EXPORT void *calloc(size_t n, size_t size) {
    count_call();
    return __libc_calloc(n, size);
}

EXPORT void *realloc(void *p, size_t size) {
    count_call();
    return __libc_realloc(p, size);
}

EXPORT void free(void *p) {
    if (p) count_call();
    __libc_free(p);
}

/* Start counting from 0. */
EXPORT void animat_alloccount_begin(void) {
    atomic_store(&calls, 0);
    atomic_store(&counting, 1);
}

/* Stop counting; the calls since animat_alloccount_begin. */
EXPORT unsigned long animat_alloccount_end(void) {
    atomic_store(&counting, 0);
    return atomic_load(&calls);
}
