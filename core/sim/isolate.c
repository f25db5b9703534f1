/* isolate.c -- see isolate.h. */
#include "sim/isolate.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* What the child sends back. */
typedef struct isolate_msg {
    int rc;
    sim_result r;
    char err[ERRMSG_MAX];
} isolate_msg;

/* Put s->phase in memory shared with future children (once per sim). */
static int share_phase(sim *s, errmsg *e) {
    if (s->shared_page) return 0;
    void *p = mmap(NULL, sizeof(sim_phase), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return errmsg_set(e, "isolation: mmap failed: %s", strerror(errno));
    memset(p, 0, sizeof(sim_phase));
    s->shared_page = p;
    s->phase = p;
    return 0;
}

/* Read exactly n bytes from fd within `timeout` seconds (0 = no limit).
 * Returns n, a short count at EOF, or -2 on timeout. */
static ssize_t read_all(int fd, void *buf, size_t n, double timeout) {
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t got = 0;
    while (got < n) {
        int wait_ms = -1;
        if (timeout > 0) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            double left = timeout - ((double)(now.tv_sec - t0.tv_sec) + 1e-9 * (double)(now.tv_nsec - t0.tv_nsec));
            if (left <= 0) return -2;
            wait_ms = (int)(left * 1000) + 1;
        }
        struct pollfd pfd = {fd, POLLIN, 0};
        int pr = poll(&pfd, 1, wait_ms);
        if (pr < 0 && errno == EINTR) continue;
        if (pr == 0) return -2;
        ssize_t k = read(fd, (char *)buf + got, n - got);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;
        got += (size_t)k;
    }
    return (ssize_t)got;
}

/* Name the plugin that was running, from the shared phase record. */
static void who(const sim *s, char *buf, size_t cap) {
    const sim_phase *ph = s->phase;
    if (ph->inst && ph->inst != SIM_PHASE_LEARNER && ph->inst <= s->ninsts) {
        const instance *in = &s->insts[ph->inst - 1];
        snprintf(buf, cap, "%s (%s) %s", in->name, in->plugin->desc->name,
                 ph->what == SIM_CALL_RESET ? "reset" : ph->what == SIM_CALL_LEARN ? "plasticity" : "step");
    } else if (ph->inst == SIM_PHASE_LEARNER && s->online.host) {
        snprintf(buf, cap, "learner (%s) online_step", s->online.host->plugin_name);
    } else {
        snprintf(buf, cap, "the episode process");
    }
}

int isolate_episode(sim *s, uint64_t episode, sim_result *r, errmsg *e) {
    if (share_phase(s, e)) return -1;
    memset(s->phase, 0, sizeof *s->phase);
    s->phase->episode = episode;
    int fds[2];
    if (pipe(fds)) return errmsg_set(e, "isolation: pipe failed: %s", strerror(errno));
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return errmsg_set(e, "isolation: fork failed: %s", strerror(errno));
    }
    if (pid == 0) {
        /* Child: run the episode, send the result, leave without cleanup. */
        close(fds[0]);
        static isolate_msg m;
        errmsg ce;
        errmsg_clear(&ce);
        m.rc = sim_episode(s, episode, &m.r, &ce);
        memcpy(m.err, ce.msg, sizeof m.err);
        ssize_t w = write(fds[1], &m, sizeof m);
        _exit(w == (ssize_t)sizeof m ? 0 : 3);
    }
    close(fds[1]);
    isolate_msg m;
    ssize_t got = read_all(fds[0], &m, sizeof m, s->x->episode_timeout);
    close(fds[0]);
    if (got == -2) kill(pid, SIGKILL);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    char name[256];
    who(s, name, sizeof name);
    unsigned long long ep = (unsigned long long)episode + 1, step = (unsigned long long)s->phase->step;
    if (got == -2) {
        errmsg_set(e, "%s did not finish within %g s (run.episode_timeout) in episode %llu at step %llu; killed", name,
                 s->x->episode_timeout, ep, step);
        return ISOLATE_FAILED;
    }
    if (WIFSIGNALED(st)) {
        int sig = WTERMSIG(st);
        const char *abbrev = sigabbrev_np(sig);
        errmsg_set(e, "%s crashed with SIG%s (signal %d) in episode %llu at step %llu", name, abbrev ? abbrev : "?", sig,
                 ep, step);
        return ISOLATE_FAILED;
    }
    if (got != (ssize_t)sizeof m || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        errmsg_set(e, "%s exited without a result (status %d) in episode %llu at step %llu", name,
                 WIFEXITED(st) ? WEXITSTATUS(st) : -1, ep, step);
        return ISOLATE_FAILED;
    }
    if (m.rc) {
        errmsg_set(e, "%s", m.err);
        return ISOLATE_FAILED;
    }
    *r = m.r;
    return ISOLATE_OK;
}
