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

/* In a child process whose parent reports for it (episode isolation):
 * exit() in a plugin call still ends with status 1, but prints nothing. */
void callguard_quiet(void);

#endif
