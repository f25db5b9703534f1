/* child.h -- run a function in a forked child process with a deadline and
 * collect what it writes to a pipe: the one fork-with-deadline of animat
 * (episode isolation, plugin-check).
 *
 * The child runs fn(ctx, fd), writes its report to fd, and leaves with
 * _exit(0) when fn returns (no atexit handlers, no flushing of the parent's
 * stdio buffers, which are flushed before the fork). The parent reads until
 * EOF, until `cap` bytes, until the deadline, or until the child has ended
 * and its pipes hold nothing more (a process the child forked may keep them
 * open: it cannot hold the parent); a child still running at the deadline
 * is killed with SIGKILL. Every child is reaped.
 *
 * With child_opts.own_group the child leads its own process group, and the
 * whole group (every process it forked that did not leave it) is killed
 * with SIGKILL when the child ends or at the deadline. With child_opts.out
 * the child's stdout and stderr go to a pipe the parent reads into out, at
 * most out_cap bytes; past that the pipe is closed (the child's writes then
 * fail with EPIPE, never block) and out_cut is set.
 * Thread: any; stdio is flushed process-wide before fork.
 */
#ifndef CHILD_H
#define CHILD_H

#include <stddef.h>

#include "base/errmsg.h"

/* How the child ended. */
typedef struct child_result {
    int hung;       /* still running at the deadline: killed */
    int signal;     /* >0: killed by this signal (not the deadline's) */
    int status;     /* exit status when it exited, else -1 */
    size_t len;     /* bytes it wrote into the caller's buffer */
    size_t out_len; /* bytes of its stdout/stderr kept in child_opts.out */
    int out_cut;    /* 1: it wrote more than out_cap bytes there; the rest was refused */
} child_result;

/* How to run the child (zero-initialise; every field optional). */
typedef struct child_opts {
    double timeout_s; /* <= 0: no limit */
    int own_group;    /* 1: own process group, killed as a whole at its end */
    char *out;        /* capture stdout+stderr here (caller's buffer), or NULL: inherited */
    size_t out_cap;   /* bytes of out */
} child_opts;

/* Run fn in a child with `timeout_s` seconds (<= 0: no limit), its output
 * into buf (cap bytes). 0 with *r filled, or -1 with e set when the pipe or
 * fork itself failed. */
int child_run(void (*fn)(void *ctx, int fd), void *ctx, double timeout_s, void *buf, size_t cap, child_result *r,
              errmsg *e);

/* child_run with options (o may be NULL: no limit, no group, no capture). */
int child_run_opts(void (*fn)(void *ctx, int fd), void *ctx, const child_opts *o, void *buf, size_t cap,
                   child_result *r, errmsg *e);

/* "SIGSEGV" for a signal number ("SIG?" when unknown), into buf. */
const char *child_signame(int sig, char *buf, size_t cap);

#endif
