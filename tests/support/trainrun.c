/* trainrun.c -- see trainrun.h. */
#include "trainrun.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc.h"

char *trainrun_curve(const char *path) {
    char *s = proc_slurp(path);
    ck_assert_msg(s != NULL, "no curve %s", path);
    char *out = calloc(strlen(s) + 1, 1), *o = out;
    for (char *line = strstr(s, "epoch,"); line && *line;) {
        char *nl = strchr(line, '\n'), *last = line;
        /* a run extended with --resume keeps the held-out line of the run it
         * extended, where that one ended: only the closing one is compared */
        if (line[0] == '#' && nl && nl[1]) {
            line = nl + 1;
            continue;
        }
        for (char *c = line; c < (nl ? nl : line + strlen(line)); c++)
            if (*c == ',') last = c;
        memcpy(o, line, (size_t)(last - line));
        o += last - line;
        *o++ = '\n';
        line = nl ? nl + 1 : NULL;
    }
    free(s);
    return out;
}

long trainrun_ckpt_epochs(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    /* epochs_done: after the 32-byte sealed-file head (base/sealfile.h),
     * n_theta and a reserved word (train/checkpoint.c) */
    unsigned char h[48];
    long n = -1;
    if (fread(h, 1, 48, f) == 48) {
        unsigned long long e;
        memcpy(&e, h + 40, 8);
        n = (long)e;
    }
    fclose(f);
    return n;
}

long trainrun_kill_mid(const char *cmd, const char *ckpt, long min_epochs, unsigned poll_us) {
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    long done = -1;
    for (long i = 0; i < 60000000L / (long)poll_us && done < min_epochs; i++) {
        usleep(poll_us);
        done = trainrun_ckpt_epochs(ckpt);
    }
    kill(pid, SIGKILL);
    int st;
    waitpid(pid, &st, 0);
    ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "the run ended before it could be killed");
    return trainrun_ckpt_epochs(ckpt);
}

void trainrun_assert_same(const char *dir, const char *a, const char *b, size_t min_len) {
    char pa[512], pb[512];
    snprintf(pa, sizeof pa, "%s/%s.csv", dir, a);
    snprintf(pb, sizeof pb, "%s/%s.csv", dir, b);
    char *ca = trainrun_curve(pa), *cb = trainrun_curve(pb);
    ck_assert_msg(strlen(ca) > min_len, "curve too short: %s", ca);
    ck_assert_str_eq(ca, cb);
    free(ca);
    free(cb);
    snprintf(pa, sizeof pa, "%s/%s.params.yaml", dir, a);
    snprintf(pb, sizeof pb, "%s/%s.params.yaml", dir, b);
    char *ta = proc_slurp(pa), *tb = proc_slurp(pb);
    ck_assert_msg(ta && tb, "missing parameter file %s or %s", pa, pb);
    ck_assert_str_eq(strstr(ta, "\ntheta:"), strstr(tb, "\ntheta:"));
    free(ta);
    free(tb);
}
