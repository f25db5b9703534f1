/* child.c -- see child.h. */
#include "base/child.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Seconds on the monotonic clock. */
static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Milliseconds left until deadline (-1: none), at least 1 while some is. */
static int left_ms(double deadline) {
    if (deadline <= 0) return -1;
    double left = deadline - now_s();
    return left <= 0 ? 0 : (int)(left * 1000) + 1;
}

/* Read into buf until EOF, cap bytes or the deadline. Returns bytes read;
 * *hung = 1 when the deadline passed first. */
static size_t read_until(int fd, char *buf, size_t cap, double deadline, int *hung) {
    size_t got = 0;
    while (got < cap) {
        int ms = left_ms(deadline);
        if (ms == 0) {
            *hung = 1;
            break;
        }
        struct pollfd p = {fd, POLLIN, 0};
        int k = poll(&p, 1, ms);
        if (k < 0 && errno == EINTR) continue;
        if (k == 0) continue; /* the loop head decides */
        ssize_t n = read(fd, buf + got, cap - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += (size_t)n;
    }
    return got;
}

/* Reap pid within the deadline (polling); kill it past the deadline. */
static int reap(pid_t pid, double deadline, int *hung) {
    int st = 0;
    for (;;) {
        pid_t w = *hung ? -1 : waitpid(pid, &st, deadline > 0 ? WNOHANG : 0);
        if (w == pid) return st;
        if (w < 0 && !*hung && errno == EINTR) continue;
        if (*hung || w < 0 || left_ms(deadline) == 0) {
            *hung = *hung || w == 0;
            kill(pid, SIGKILL);
            while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
            }
            return st;
        }
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
    }
}

int child_run(void (*fn)(void *ctx, int fd), void *ctx, double timeout_s, void *buf, size_t cap, child_result *r,
              errmsg *e) {
    memset(r, 0, sizeof *r);
    int fds[2];
    if (pipe(fds)) return errmsg_set(e, "cannot create a pipe: %s", strerror(errno));
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return errmsg_set(e, "cannot fork: %s", strerror(errno));
    }
    if (pid == 0) {
        close(fds[0]);
        struct rlimit no_core = {0, 0}; /* a crashing plugin leaves no core file */
        setrlimit(RLIMIT_CORE, &no_core);
        signal(SIGPIPE, SIG_IGN);
        fn(ctx, fds[1]);
        _exit(0);
    }
    close(fds[1]);
    double deadline = timeout_s > 0 ? now_s() + timeout_s : 0;
    r->len = read_until(fds[0], buf, cap, deadline, &r->hung);
    close(fds[0]);
    int st = reap(pid, deadline, &r->hung);
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    r->signal = !r->hung && WIFSIGNALED(st) ? WTERMSIG(st) : 0;
    return 0;
}

const char *child_signame(int sig, char *buf, size_t cap) {
    const char *abbrev = sigabbrev_np(sig);
    snprintf(buf, cap, "SIG%s", abbrev ? abbrev : "?");
    return buf;
}
