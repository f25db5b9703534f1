/* callguard.c -- see callguard.h. */
#include "plugin/callguard.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct call {
    const char *inst, *plugin, *what;
} call;

static _Thread_local call current;
static int quiet;
static callguard_record *mirror;

void callguard_quiet(void) { quiet = 1; }

void callguard_mirror(callguard_record *rec) { mirror = rec; }

void callguard_enter(const char *inst, const char *plugin, const char *what) {
    current = (call){inst, plugin, what};
    if (mirror) {
        snprintf(mirror->inst, sizeof mirror->inst, "%s", inst ? inst : "?");
        snprintf(mirror->plugin, sizeof mirror->plugin, "%s", plugin ? plugin : "?");
        snprintf(mirror->what, sizeof mirror->what, "%s", what ? what : "a call");
        mirror->active = 1;
    }
}

void callguard_leave(void) {
    current.inst = NULL;
    if (mirror) mirror->active = 0;
}

/* "error: INST (PLUGIN) called VERB during WHAT" into buf. */
static size_t message(const char *verb, char *buf, size_t cap) {
    int n = snprintf(buf, cap, "error: %s (%s) called %s during %s; animat stops\n", current.inst,
                     current.plugin ? current.plugin : "?", verb, current.what ? current.what : "a call");
    return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

/* exit() inside a plugin call: say so and end with status 1, not the
 * plugin's (which may be 0). */
static void on_exit_hook(void) {
    if (!current.inst) return;
    if (quiet) _exit(1);
    char buf[512];
    size_t n = message("exit()", buf, sizeof buf);
    fflush(stdout);
    if (write(STDERR_FILENO, buf, n) < 0) {
    }
    _exit(1);
}

/* abort() inside a plugin call: say so, then die of SIGABRT as asked. */
static void on_abort(int sig) {
    if (current.inst && !quiet) {
        char buf[512];
        size_t n = message("abort()", buf, sizeof buf);
        if (write(STDERR_FILENO, buf, n) < 0) {
        }
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

void callguard_install(void) {
    static int done;
    if (done) return;
    done = 1;
    atexit(on_exit_hook);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_abort;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGABRT, &sa, NULL);
}
