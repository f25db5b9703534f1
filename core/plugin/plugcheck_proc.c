/* plugcheck_proc.c -- the process state a plugin must leave alone, taken
 * before and after each isolated check (see plugcheck.h): signal
 * dispositions and mask, umask, working directory, file descriptors 0-2,
 * child processes. */
#include "plugin/plugcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The signals whose disposition a plugin must not change. */
static const int watched[PLUGCHECK_NSIG] = {SIGINT,  SIGTERM, SIGHUP,  SIGQUIT, SIGPIPE, SIGCHLD, SIGALRM,
                                            SIGUSR1, SIGUSR2, SIGTSTP, SIGSEGV, SIGBUS,  SIGFPE,  SIGABRT};

void plugcheck_proc_snap(plugcheck_proc *p) {
    memset(p, 0, sizeof *p);
    for (int i = 0; i < PLUGCHECK_NSIG; i++) {
        struct sigaction sa;
        if (sigaction(watched[i], NULL, &sa) == 0)
            p->handler[i] = (sa.sa_flags & SA_SIGINFO) ? (void *)sa.sa_sigaction : (void *)sa.sa_handler;
    }
    sigprocmask(SIG_BLOCK, NULL, &p->mask);
    p->umask = umask(022);
    umask(p->umask);
    if (!getcwd(p->cwd, sizeof p->cwd)) p->cwd[0] = '\0';
    for (int fd = 0; fd < 3; fd++) {
        p->fd_open[fd] = fcntl(fd, F_GETFD) != -1;
        if (p->fd_open[fd] && fstat(fd, &p->fd_st[fd]) != 0) p->fd_open[fd] = 0;
    }
}

/* Did this process gain a child since the snapshot? (The check's process
 * starts with none.) */
static int has_child(void) {
    int st;
    pid_t w = waitpid(-1, &st, WNOHANG);
    return w > 0 || (w == 0); /* 0: a child still running; -1/ECHILD: none */
}

int plugcheck_proc_diff(const plugcheck_proc *before, char *msg, size_t cap) {
    plugcheck_proc now;
    plugcheck_proc_snap(&now);
    for (int i = 0; i < PLUGCHECK_NSIG; i++)
        if (now.handler[i] != before->handler[i]) {
            const char *abbrev = sigabbrev_np(watched[i]);
            return plugcheck_fail(msg, cap,
                                  "the plugin changed the handling of SIG%s (%s); a plugin must leave signals to "
                                  "the host", abbrev ? abbrev : "?",
                                  now.handler[i] == (void *)SIG_IGN   ? "now ignored"
                                  : now.handler[i] == (void *)SIG_DFL ? "now the default"
                                                                      : "now a handler of its own");
        }
    for (int i = 0; i < PLUGCHECK_NSIG; i++)
        if (sigismember(&now.mask, watched[i]) != sigismember(&before->mask, watched[i]))
            return plugcheck_fail(msg, cap, "the plugin changed the signal mask (SIG%s %s)", sigabbrev_np(watched[i]),
                                  sigismember(&now.mask, watched[i]) ? "blocked" : "unblocked");
    if (now.umask != before->umask)
        return plugcheck_fail(msg, cap, "the plugin changed the umask from %03o to %03o (files animat writes would get "
                                        "other permissions)", (unsigned)before->umask, (unsigned)now.umask);
    if (strcmp(now.cwd, before->cwd))
        return plugcheck_fail(msg, cap, "the plugin changed the working directory (chdir)");
    static const char *const names[3] = {"stdin", "stdout", "stderr"};
    for (int fd = 0; fd < 3; fd++)
        if (before->fd_open[fd] && (!now.fd_open[fd] || now.fd_st[fd].st_dev != before->fd_st[fd].st_dev ||
                                    now.fd_st[fd].st_ino != before->fd_st[fd].st_ino))
            return plugcheck_fail(msg, cap, "the plugin %s %s (fd %d)", now.fd_open[fd] ? "replaced" : "closed",
                                  names[fd], fd);
    if (has_child())
        return plugcheck_fail(msg, cap, "the plugin started a child process (fork); a plugin must not fork");
    return 0;
}
