/* plugcheck_alloc.c -- counting the process's allocator calls for the
 * `alloc` check of plugin-check (see plugcheck.h).
 *
 * Plain builds: the counting allocator is a separate shared object,
 * libanimat-alloccount.so (alloccount.c), that only an `animat
 * plugin-check` process loads: plugcheck_preload re-executes that command
 * once with the object in LD_PRELOAD, so that its malloc, calloc, realloc
 * and free come first for every library of the process. Every other
 * command, the tests and embedders keep glibc's allocator untouched; here
 * the counter is found with dlsym, and where it is not loaded (the library
 * missing, a process that did not re-execute) counting is reported
 * unavailable (the check then SKIPs, saying so).
 *
 * Sanitizer builds: the sanitizer's allocator replaces malloc; preloading
 * another would blind it, so nothing is preloaded and the sanitizer's
 * public malloc/free hooks count instead
 * (__sanitizer_install_malloc_and_free_hooks; a realloc counts as an
 * allocation and a free there).
 *
 * Under valgrind, whose own allocator takes the place of malloc in every
 * object, counting is reported unavailable. */
#include "plugin/plugcheck.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

#ifndef PLUGCHECK_SANITIZED

/* The counter's switches, when libanimat-alloccount.so is loaded. */
static void (*cnt_begin)(void);
static unsigned long (*cnt_end)(void);

const char *plugcheck_alloc_unavailable(void) {
#ifdef PLUGCHECK_VALGRIND
    if (RUNNING_ON_VALGRIND) return "running under valgrind, whose allocator replaces malloc for every object";
#endif
    cnt_begin = (void (*)(void))dlsym(RTLD_DEFAULT, "animat_alloccount_begin");
    cnt_end = (unsigned long (*)(void))dlsym(RTLD_DEFAULT, "animat_alloccount_end");
    if (!cnt_begin || !cnt_end)
        return "the counting allocator (libanimat-alloccount.so) is not loaded in this process; `animat plugin-check` "
               "loads it";
    return NULL;
}

void plugcheck_alloc_begin(void) {
    if (cnt_begin || !plugcheck_alloc_unavailable()) cnt_begin();
}

unsigned long plugcheck_alloc_end(void) { return cnt_end ? cnt_end() : 0; }

/* Where the counter lives: the build tree's when animat runs from it. */
static void counter_path(char *buf, size_t cap) {
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    size_t len = strlen(ANIMAT_BUILD_ROOT);
    if (n > 0 && len && (exe[n] = '\0', !strncmp(exe, ANIMAT_BUILD_ROOT, len)) && exe[len] == '/')
        snprintf(buf, cap, "%s/core/libanimat-alloccount.so", ANIMAT_BUILD_ROOT);
    else
        snprintf(buf, cap, "%s", ANIMAT_ALLOCCOUNT_LIB);
}

void plugcheck_preload(char **argv) {
#ifdef PLUGCHECK_VALGRIND
    if (RUNNING_ON_VALGRIND) return;
#endif
    const char *was = getenv("ANIMAT_ALLOCCOUNT_WAS");
    if (was) { /* the re-executed process: LD_PRELOAD back as it was, for anything it starts */
        if (*was) setenv("LD_PRELOAD", was + 1, 1);
        else unsetenv("LD_PRELOAD");
        unsetenv("ANIMAT_ALLOCCOUNT_WAS");
        return;
    }
    char lib[PATH_MAX], pre[2 * PATH_MAX + 2], keep[PATH_MAX + 2];
    counter_path(lib, sizeof lib);
    if (access(lib, R_OK)) return; /* not built or installed: the alloc check SKIPs */
    const char *old = getenv("LD_PRELOAD");
    snprintf(keep, sizeof keep, "%s%s", old ? "=" : "", old ? old : "");
    snprintf(pre, sizeof pre, "%s%s%s", lib, old && *old ? ":" : "", old ? old : "");
    if (setenv("ANIMAT_ALLOCCOUNT_WAS", keep, 1) || setenv("LD_PRELOAD", pre, 1)) return;
    fflush(NULL);
    execv("/proc/self/exe", argv);
    unsetenv("ANIMAT_ALLOCCOUNT_WAS"); /* exec failed: go on without counting */
    if (old) setenv("LD_PRELOAD", old, 1);
    else unsetenv("LD_PRELOAD");
}

#else

static atomic_int counting;
static atomic_ulong calls;

/* One more call, if counting. */
static inline void count_call(void) {
    if (atomic_load_explicit(&counting, memory_order_relaxed))
        atomic_fetch_add_explicit(&calls, 1, memory_order_relaxed);
}

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

void plugcheck_preload(char **argv) { (void)argv; }

/* Register the hooks once per process. */
static void install(void) {
    static int done;
    if (done || !__sanitizer_install_malloc_and_free_hooks) return;
    done = 1;
    __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
}

void plugcheck_alloc_begin(void) {
    install();
    atomic_store(&calls, 0);
    atomic_store(&counting, 1);
}

unsigned long plugcheck_alloc_end(void) {
    atomic_store(&counting, 0);
    return atomic_load(&calls);
}

#endif
