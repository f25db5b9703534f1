/* plugcheck_alloc.c -- counting the process's allocator calls for the
 * `alloc` check of plugin-check (see plugcheck.h).
 *
 * Plain builds: malloc, calloc, realloc and free are defined here, so the
 * executable's definitions take precedence over glibc's for every library in
 * the process (glibc supports replacing malloc this way); each forwards to
 * glibc's own __libc_malloc and friends, which valgrind also intercepts, and
 * adds one to a counter while counting is on. memalign and the other
 * aligned allocators stay glibc's: they allocate from the same heap, so
 * free() here releases them correctly. The cost outside a check is one
 * relaxed atomic load per call.
 *
 * Sanitizer builds: the sanitizer's allocator replaces malloc; defining it
 * here would take its place and blind the sanitizer, so nothing is defined
 * and the sanitizer's public malloc/free hooks count instead
 * (__sanitizer_install_malloc_and_free_hooks; a realloc counts as an
 * allocation and a free there).
 *
 * Under valgrind, whose own allocator takes the place of malloc in every
 * object including the executable, the calls never reach the functions
 * here: counting is reported unavailable (the check then SKIPs, saying so). */
#include "plugin/plugcheck.h"

#include <stdatomic.h>
#include <stdlib.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define PLUGCHECK_VALGRIND 1
#endif
#endif

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define PLUGCHECK_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define PLUGCHECK_SANITIZED 1
#endif
#endif

static atomic_int counting;
static atomic_ulong calls;

/* One more call, if counting. */
static inline void count_call(void) {
    if (atomic_load_explicit(&counting, memory_order_relaxed)) atomic_fetch_add_explicit(&calls, 1, memory_order_relaxed);
}

#ifndef PLUGCHECK_SANITIZED

/* glibc's allocator under its internal names (exported by libc.so.6). */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);

void *malloc(size_t size) {
    count_call();
    return __libc_malloc(size);
}

void *calloc(size_t n, size_t size) {
    count_call();
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size) {
    count_call();
    return __libc_realloc(p, size);
}

void free(void *p) {
    if (p) count_call();
    __libc_free(p);
}

const char *plugcheck_alloc_unavailable(void) {
#ifdef PLUGCHECK_VALGRIND
    if (RUNNING_ON_VALGRIND) return "running under valgrind, whose allocator replaces malloc for every object";
#endif
    return NULL;
}

static void install(void) {}

#else

/* The sanitizer runtime's hook registration (sanitizer/allocator_interface.h);
 * weak: NULL in a runtime without it. */
extern int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void *, size_t),
                                                     void (*free_hook)(const volatile void *)) __attribute__((weak));

static void on_malloc(const volatile void *p, size_t size) {
    (void)p, (void)size;
    count_call();
}

static void on_free(const volatile void *p) {
    if (p) count_call();
}

const char *plugcheck_alloc_unavailable(void) {
    return __sanitizer_install_malloc_and_free_hooks ? NULL
                                                    : "this sanitizer build's allocator offers no malloc/free hooks";
}

/* Register the hooks once per process. */
static void install(void) {
    static int done;
    if (done || !__sanitizer_install_malloc_and_free_hooks) return;
    done = 1;
    __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
}

#endif

void plugcheck_alloc_begin(void) {
    install();
    atomic_store(&calls, 0);
    atomic_store(&counting, 1);
}

unsigned long plugcheck_alloc_end(void) {
    atomic_store(&counting, 0);
    return atomic_load(&calls);
}
