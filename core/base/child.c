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

/* Has pid ended? (It stays a zombie, so its id and group stay ours.) */
static int ended(pid_t pid) {
    siginfo_t si;
    memset(&si, 0, sizeof si);
    return waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid;
}

/* One read from fd into buf[*got..cap); closes *fd at EOF, on error or when
 * the buffer is full (*full set). */
static void read_some(int *fd, char *buf, size_t cap, size_t *got, int *full) {
    ssize_t n = read(*fd, buf + *got, cap - *got);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n > 0) *got += (size_t)n;
    if (n <= 0 || *got == cap) {
        if (n > 0 && full) *full = 1;
        close(*fd);
        *fd = -1;
    }
}

/* The parent's side: read the report (rfd) and the captured output (ofd,
 * or -1) until both are closed, the deadline passes (*hung) or the child
 * has ended and nothing more is waiting: a grandchild that kept the pipes
 * open (a plugin that forked) cannot hold the parent past the child's end.
 * With own_group, the child's whole process group is killed then. */
static void collect(pid_t pid, int rfd, int ofd, const child_opts *o, char *buf, size_t cap, child_result *r,
                    double deadline) {
    int gone = 0;
    while (!gone || rfd >= 0 || ofd >= 0) { /* both pipes closed: still wait (bounded) for its end */
        int ms = left_ms(deadline);
        if (ms == 0) {
            r->hung = 1;
            break;
        }
        struct pollfd p[2] = {{rfd, POLLIN, 0}, {ofd, POLLIN, 0}};
        int k = poll(p, 2, gone ? 0 : ms < 0 || ms > 20 ? 20 : ms);
        if (k < 0 && errno != EINTR) break;
        if (k > 0 && rfd >= 0 && p[0].revents) read_some(&rfd, buf, cap, &r->len, NULL);
        if (k > 0 && ofd >= 0 && p[1].revents) read_some(&ofd, o->out, o->out_cap, &r->out_len, &r->out_cut);
        if (k == 0 && gone) break; /* ended, and its pipes are drained */
        if (!gone && ended(pid)) {
            gone = 1;
            if (o && o->own_group) kill(-pid, SIGKILL); /* its forks, still holding the pipes */
        }
    }
    if (rfd >= 0) close(rfd);
    if (ofd >= 0) close(ofd);
}

/* Reap pid; past the deadline kill it (and its group) first. */
static int reap(pid_t pid, int hung, int group) {
    int st = 0;
    if (hung) kill(group ? -pid : pid, SIGKILL);
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    return st;
}

/* The child's side: own group, output redirected, then fn. Never returns. */
static void in_child(void (*fn)(void *ctx, int fd), void *ctx, const child_opts *o, int fds[2], int out[2]) {
    close(fds[0]);
    if (o && o->own_group) setpgid(0, 0);
    if (out[1] >= 0) {
        close(out[0]);
        dup2(out[1], 1);
        dup2(out[1], 2);
        close(out[1]);
    }
    struct rlimit no_core = {0, 0}; /* a crashing plugin leaves no core file */
    setrlimit(RLIMIT_CORE, &no_core);
    signal(SIGPIPE, SIG_IGN);
    fn(ctx, fds[1]);
    _exit(0);
}

int child_run_opts(void (*fn)(void *ctx, int fd), void *ctx, const child_opts *o, void *buf, size_t cap,
                   child_result *r, errmsg *e) {
    memset(r, 0, sizeof *r);
    int fds[2], out[2] = {-1, -1};
    if (pipe(fds)) return errmsg_set(e, "cannot create a pipe: %s", strerror(errno));
    if (o && o->out && o->out_cap && pipe(out)) {
        close(fds[0]);
        close(fds[1]);
        return errmsg_set(e, "cannot create a pipe: %s", strerror(errno));
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        int err = errno;
        close(fds[0]), close(fds[1]);
        if (out[0] >= 0) close(out[0]), close(out[1]);
        return errmsg_set(e, "cannot fork: %s", strerror(err));
    }
    if (pid == 0) in_child(fn, ctx, o, fds, out);
    if (o && o->own_group) setpgid(pid, pid); /* also here: no race with the child's own call */
    close(fds[1]);
    if (out[1] >= 0) close(out[1]);
    double timeout_s = o ? o->timeout_s : 0;
    double deadline = timeout_s > 0 ? now_s() + timeout_s : 0;
    collect(pid, fds[0], out[0], o, buf, cap, r, deadline);
    int st = reap(pid, r->hung, o && o->own_group);
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    r->signal = !r->hung && WIFSIGNALED(st) ? WTERMSIG(st) : 0;
    return 0;
}

int child_run(void (*fn)(void *ctx, int fd), void *ctx, double timeout_s, void *buf, size_t cap, child_result *r,
              errmsg *e) {
    child_opts o = {.timeout_s = timeout_s};
    return child_run_opts(fn, ctx, &o, buf, cap, r, e);
}

const char *child_signame(int sig, char *buf, size_t cap) {
    const char *abbrev = sigabbrev_np(sig);
    snprintf(buf, cap, "SIG%s", abbrev ? abbrev : "?");
    return buf;
}
