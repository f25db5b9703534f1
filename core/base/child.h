/* child.h -- run a function in a forked child process with a deadline and
 * collect what it writes to a pipe: the one fork-with-deadline of animat
 * (episode isolation, plugin-check).
 *
 * The child runs fn(ctx, fd), writes its report to fd, and leaves with
 * _exit(0) when fn returns (no atexit handlers, no flushing of the parent's
 * stdio buffers, which are flushed before the fork). The parent reads until
 * EOF, until `cap` bytes, or until the deadline; a child still running at
 * the deadline is killed with SIGKILL. Every child is reaped.
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
} child_result;

/* Run fn in a child with `timeout_s` seconds (<= 0: no limit), its output
 * into buf (cap bytes). 0 with *r filled, or -1 with e set when the pipe or
 * fork itself failed. */
int child_run(void (*fn)(void *ctx, int fd), void *ctx, double timeout_s, void *buf, size_t cap, child_result *r,
              errmsg *e);

/* "SIGSEGV" for a signal number ("SIG?" when unknown), into buf. */
const char *child_signame(int sig, char *buf, size_t cap);

#endif
