/* proc.h -- run a shell command in tests and capture what it printed. */
#ifndef PROC_H
#define PROC_H

/* Output of one command: exit status (-1 if it did not exit normally, e.g.
 * killed by a signal), and its stdout and stderr as NUL-terminated strings
 * owned by the struct (free with proc_free). */
typedef struct proc_out {
    int status;
    int signaled;
    char *out;
    char *err;
} proc_out;

/* Run `cmd` with /bin/sh, capturing stdout and stderr separately. */
proc_out proc_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void proc_free(proc_out *p);

/* A fresh temporary directory (static storage, valid until the next call). */
const char *proc_tmpdir(void);

/* Write `text` to dir/name; returns the path (static storage, one slot). */
const char *proc_write(const char *dir, const char *name, const char *text);

/* Count lines of s (the number of '\n'). */
int proc_lines(const char *s);

/* Read a whole file (caller frees) or NULL. */
char *proc_slurp(const char *path);

#endif
