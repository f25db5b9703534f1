/* sweep_pool.c -- a sweep's runs as child processes of the animat binary,
 * at most `jobs` at once, each result committed when its child succeeded
 * (see sweep_pool_run in sweep.h). */
#include "cli/sweep.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/atomicfile.h"
#include "sim/runner.h"
#include "view/h5read.h"

#define POOL_HEARTBEAT_S 10.0

/* A running child. */
typedef struct slot {
    pid_t pid;       /* 0: free */
    sweep_run *run;
} slot;

/* What the pool loop keeps. */
typedef struct pool {
    sweep_plan *p;
    FILE *out;
    int quiet;
    uint32_t total, finished, failed;
    double t0, last_line;
    char exe[PATH_MAX];
} pool;

/* The child's argument list for run r (strings in own, caller frees the array). */
static char **child_argv(const pool *pl, const sweep_run *r, uint32_t jobs, char own[][8192]) {
    const sweep_plan *p = pl->p;
    char **v = calloc(2 * (p->nsets + p->nplugins + p->naxes) + 32, sizeof *v);
    if (!v) return NULL;
    int n = 0, o = 0;
    v[n++] = (char *)pl->exe;
    v[n++] = p->train ? "train" : "run";
    v[n++] = p->file;
    for (uint32_t i = 0; i < p->nplugins; i++) v[n++] = "--plugin", v[n++] = p->plugins[i];
    for (uint32_t i = 0; i < p->nsets; i++) v[n++] = "--set", v[n++] = (char *)p->sets[i];
    uint32_t rest = r->point;
    for (int a = (int)p->naxes - 1; a >= 0; a--) {
        snprintf(own[o], sizeof own[0], "%s=%s", p->axes[a].key, p->axes[a].vals[rest % p->axes[a].n]);
        rest /= p->axes[a].n;
        v[n++] = "--set", v[n++] = own[o++];
    }
    snprintf(own[o], sizeof own[0], "run.seed=%" PRIu64, r->seed);
    v[n++] = "--set", v[n++] = own[o++];
    v[n++] = "--record", v[n++] = "run.h5", v[n++] = "--quiet";
    if (p->train) {
        v[n++] = "--set", v[n++] = "train.curve=curve.csv";
        v[n++] = "--set", v[n++] = "train.output=params.yaml";
        v[n++] = "--set", v[n++] = "train.checkpoint=run.ckpt";
        if (jobs > 1) v[n++] = "--threads", v[n++] = "1"; /* the pool keeps the cores busy */
    }
    v[n] = NULL;
    return v;
}

/* Start run r in DIR/runs/NAME (created), its output into log.txt. */
static int start(pool *pl, slot *s, sweep_run *r, uint32_t jobs, errmsg *e) {
    char dir[PATH_MAX], own[SWEEP_MAX_AXES + 1][8192];
    snprintf(dir, sizeof dir, "%s/runs/%s", pl->p->dir, r->name);
    if (mkdir(dir, 0777) && errno != EEXIST) return errmsg_set(e, "%s: cannot create: %s", dir, strerror(errno));
    char res[PATH_MAX]; /* a torn earlier attempt: its result (if any) is stale */
    snprintf(res, sizeof res, "%s/runs/%s/result.yaml", pl->p->dir, r->name);
    unlink(res);
    char **argv = child_argv(pl, r, jobs, own);
    if (!argv) return errmsg_set(e, "out of memory");
    fflush(NULL);
    pid_t parent = getpid(), pid = fork();
    if (pid < 0) {
        free(argv);
        return errmsg_set(e, "cannot start a run: fork: %s", strerror(errno));
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* the sweep killed: its runs go too */
        if (getppid() != parent) _exit(127);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        int fd = chdir(dir) ? -1 : open("log.txt", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) _exit(127);
        execv(pl->exe, argv);
        _exit(127);
    }
    free(argv);
    s->pid = pid, s->run = r;
    return 0;
}

/* The mean of /episodes/return in DIR/runs/NAME/run.h5 into *v. 0 or -1. */
static int read_value(const pool *pl, const sweep_run *r, double *v, uint64_t *n, errmsg *e) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/runs/%s/run.h5", pl->p->dir, r->name);
    h5rec h;
    h5array a;
    if (h5rec_open(&h, path, e)) return -1;
    int rc = h5rec_read(&h, "episodes/return", &a, e);
    h5rec_close(&h);
    if (rc) return -1;
    uint64_t k = a.dim[0] * a.dim[1] * a.dim[2];
    double sum = 0;
    for (uint64_t i = 0; i < k; i++) sum += a.v[i];
    h5array_free(&a);
    if (!k) return errmsg_set(e, "%s: no episodes recorded", path);
    *v = sum / (double)k, *n = k;
    return 0;
}

/* Commit run r's result.yaml (hash, seed, value) atomically. 0 or -1. */
static int write_result(const pool *pl, sweep_run *r, uint64_t n, errmsg *e) {
    char path[PATH_MAX], text[512];
    snprintf(path, sizeof path, "%s/runs/%s/result.yaml", pl->p->dir, r->name);
    int len = snprintf(text, sizeof text,
                       "# written by animat sweep when the run finished\nhash: '%016" PRIx64 "'\npoint: %u\n"
                       "seed: %" PRIu64 "\nepisodes: %" PRIu64 "\nvalue: %.17g\n",
                       r->hash, r->point, r->seed, n, r->value);
    return atomicfile_write(path, text, (uint64_t)len, e);
}

/* A child ended: commit its result or report it. */
static void finish(pool *pl, slot *s, int status) {
    sweep_run *r = s->run;
    s->pid = 0;
    pl->finished++;
    errmsg e;
    errmsg_clear(&e);
    uint64_t n = 0;
    int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (ok && (read_value(pl, r, &r->value, &n, &e) || write_result(pl, r, n, &e))) ok = 0;
    if (!ok) {
        pl->failed++;
        if (!e.msg[0] && WIFSIGNALED(status))
            errmsg_set(&e, "killed by signal %d", WTERMSIG(status));
        else if (!e.msg[0])
            errmsg_set(&e, "exit status %d", WEXITSTATUS(status));
        fprintf(stderr, "error: run %s failed (%s); see %s/runs/%s/log.txt\n", r->name, e.msg, pl->p->dir, r->name);
        return;
    }
    r->done = 1;
    double now = runner_now(), el = now - pl->t0;
    pl->last_line = now;
    if (pl->quiet) return;
    char label[4096];
    fprintf(pl->out, "run %u/%u  %s  %s seed %" PRIu64 ": %sreturn %.3f  elapsed %.0f s  ETA %.0f s\n", pl->finished,
            pl->total, r->name, sweep_point_label(pl->p, r->point, label, sizeof label), r->seed,
            pl->p->train ? "held-out mean " : "mean ", r->value, el,
            el / pl->finished * (double)(pl->total - pl->finished));
    fflush(pl->out);
}

/* Reap every child that ended. */
static void reap(pool *pl, slot *slots, uint32_t jobs) {
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
        for (uint32_t i = 0; i < jobs; i++)
            if (slots[i].pid == pid) finish(pl, &slots[i], status);
}

int sweep_pool_run(sweep_plan *p, uint32_t shard, uint32_t nshards, uint32_t jobs, int quiet, FILE *out, errmsg *e) {
    pool pl = {.p = p, .out = out, .quiet = quiet};
    ssize_t n = readlink("/proc/self/exe", pl.exe, sizeof pl.exe - 1);
    if (n <= 0) return errmsg_set(e, "cannot find the animat binary (/proc/self/exe): %s", strerror(errno));
    pl.exe[n] = '\0';
    uint32_t *todo = calloc(p->nruns ? p->nruns : 1, sizeof *todo), ntodo = 0, skipped = 0;
    slot *slots = calloc(jobs, sizeof *slots);
    if (!todo || !slots) {
        free(todo), free(slots);
        return errmsg_set(e, "out of memory");
    }
    for (uint32_t r = 0; r < p->nruns; r++)
        if (r % nshards == shard - 1) p->runs[r].done ? (void)skipped++ : (void)(todo[ntodo++] = r);
    pl.total = ntodo;
    if (!quiet && skipped)
        fprintf(out, "%u finished run%s kept (result.yaml with the same experiment hash)\n", skipped,
                skipped == 1 ? "" : "s");
    sigset_t chld, old;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, &old);
    pl.t0 = pl.last_line = runner_now();
    uint32_t next = 0, running = 0;
    int rc = 0;
    while (next < ntodo || running) {
        for (uint32_t i = 0; i < jobs && next < ntodo && !rc; i++)
            if (!slots[i].pid) rc = start(&pl, &slots[i], &p->runs[todo[next++]], jobs, e);
        if (rc && !running) break;
        struct timespec ts = {1, 0};
        sigtimedwait(&chld, NULL, &ts);
        reap(&pl, slots, jobs);
        running = 0;
        for (uint32_t i = 0; i < jobs; i++) running += slots[i].pid != 0;
        if (rc) next = ntodo; /* start no more; wait for the others */
        double now = runner_now();
        if (!quiet && running && now - pl.last_line >= POOL_HEARTBEAT_S) {
            double el = now - pl.t0;
            fprintf(out, "sweep: %u/%u runs finished, %u running, elapsed %.0f s%s", pl.finished, pl.total, running,
                    el, pl.finished ? "" : "\n");
            if (pl.finished) fprintf(out, ", ETA %.0f s\n", el / pl.finished * (double)(pl.total - pl.finished));
            fflush(out);
            pl.last_line = now;
        }
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    free(todo);
    free(slots);
    return rc ? -1 : (int)pl.failed;
}
