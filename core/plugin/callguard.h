/* callguard.h -- which plugin call is running on this thread, so that a
 * plugin that calls exit() or abort() cannot end animat silently: the
 * process then prints one line naming the instance, plugin and call, and
 * exits non-zero (exit: status 1; abort: the SIGABRT stays, after the line).
 *
 * callguard_install once at start-up (main thread); callguard_enter before
 * a plugin call and callguard_leave when the host is back in control. The
 * record is thread-local: worker threads each keep their own. Cheap enough
 * for the step loop (three stores).
 */
#ifndef CALLGUARD_H
#define CALLGUARD_H

/* Register the exit hook and the SIGABRT handler. Idempotent. */
void callguard_install(void);

/* This thread is about to call `what` ("create", "step", ...) of instance
 * `inst` of plugin `plugin` (strings must outlive the call). */
void callguard_enter(const char *inst, const char *plugin, const char *what);

/* This thread is back in host code. */
void callguard_leave(void);

/* In a child process whose parent reports for it (isolation): exit() in a
 * plugin call still ends with status 1 and abort() with SIGABRT, but
 * neither prints anything. */
void callguard_quiet(void);

/* The call in progress as text, for another process to read. */
typedef struct callguard_record {
    int active;     /* 1 between enter and leave */
    char inst[64];  /* instance name, cut to fit */
    char plugin[64];
    char what[32];
} callguard_record;

/* Also copy every enter/leave of this process into *rec (memory shared with
 * a parent that names the plugin after this process crashed or hung);
 * NULL stops. For a child process that calls plugins from one thread. */
void callguard_mirror(callguard_record *rec);

#endif
