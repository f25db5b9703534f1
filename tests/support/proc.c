/* proc.c -- see proc.h. */
#include "proc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

char *proc_slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *s = malloc(cap);
    for (size_t k; s && (k = fread(s + n, 1, cap - n - 1, f)) > 0;) {
        n += k;
        if (n + 1 == cap) {
            char *t = realloc(s, cap *= 2);
            if (!t) { free(s); s = NULL; break; }
            s = t;
        }
    }
    fclose(f);
    if (s) s[n] = '\0';
    return s;
}

proc_out proc_run(const char *fmt, ...) {
    char cmd[8192], full[9000];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    char o[] = "/tmp/animat-test-out-XXXXXX", e[] = "/tmp/animat-test-err-XXXXXX";
    int fo = mkstemp(o), fe = mkstemp(e);
    close(fo);
    close(fe);
    snprintf(full, sizeof full, "( %s ) >%s 2>%s", cmd, o, e);
    int st = system(full);
    proc_out p = {0};
    p.signaled = WIFEXITED(st) ? 0 : 1;
    p.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    /* The shell reports a child killed by a signal as 128+N. */
    if (p.status > 128) p.signaled = 1;
    p.out = proc_slurp(o);
    p.err = proc_slurp(e);
    unlink(o);
    unlink(e);
    return p;
}

void proc_free(proc_out *p) {
    free(p->out);
    free(p->err);
    p->out = p->err = NULL;
}

const char *proc_tmpdir(void) {
    static char dir[64];
    strcpy(dir, "/tmp/animat-test-XXXXXX");
    return mkdtemp(dir);
}

const char *proc_write(const char *dir, const char *name, const char *text) {
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) return NULL;
    fputs(text, f);
    fclose(f);
    return path;
}

int proc_lines(const char *s) {
    int n = 0;
    for (; s && *s; s++) n += *s == '\n';
    return n;
}
