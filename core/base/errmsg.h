/* errmsg.h -- one-line error messages for the host.
 *
 * Every fallible host function takes an `errmsg *` and, on failure, fills it
 * with a single line (no trailing newline) naming the file:line:col and key,
 * or the plugin and reason, then returns a non-zero rc. The first error wins:
 * later calls to errmsg_set on an already-set errmsg are ignored, so the message
 * a user sees is the root cause, not its consequences.
 */
#ifndef ERRMSG_H
#define ERRMSG_H

#include <stddef.h>

#define ERRMSG_MAX 1024

/* What went wrong, for code that must react to a kind of failure: branch
 * on the code, never on the message's text (which is for the user and may
 * change). Never renumber. */
typedef enum errmsg_code {
    ERRMSG_NONE = 0,          /* nothing recorded */
    ERRMSG_FAILED = 1,        /* a failure without a more specific code (errmsg_set, errmsg_at) */
    ERRMSG_PLUGIN_CREATE = 2, /* a plugin's create returned NULL: msg "INST (PLUGIN): create failed: REASON",
                                 REASON at msg + detail */
} errmsg_code;

typedef struct errmsg {
    int set;             /* 1 once a message is recorded */
    char msg[ERRMSG_MAX];  /* the message, NUL-terminated */
    errmsg_code code;    /* ERRMSG_NONE until set; then the first message's code */
    unsigned detail;     /* offset in msg of the reason proper (the part after the naming prefix); 0: all */
} errmsg;

/* Clear e (e must not be NULL). */
void errmsg_clear(errmsg *e);

/* Record a printf-style message if none is recorded yet. e may be NULL (the
 * message is dropped). Always returns -1, so callers can `return errmsg_set(...)`. */
int errmsg_set(errmsg *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* errmsg_set with a code other than ERRMSG_FAILED; `detail` bytes of the
 * formatted message are the prefix that names the source (0: none).
 * Returns -1. */
int errmsg_setc(errmsg *e, errmsg_code code, unsigned detail, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Like errmsg_set, with a "FILE:LINE:COL: " prefix; line 0 means "no position"
 * and prints only "FILE: ". file may be NULL ("<input>"). Returns -1. */
int errmsg_at(errmsg *e, const char *file, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* A user value fit to quote in a message: copied into buf, cut to at most
 * 60 characters plus "..." so the reason after it always fits. Returns buf. */
const char *errmsg_quote(const char *s, char *buf, size_t cap);

/* A plugin-supplied string made safe to print on one line: control bytes
 * and backslashes as \\xNN, cut (with "...") to fit cap bytes, at most
 * 4096 source bytes read; NULL prints as "(null)". Returns buf. */
const char *errmsg_printable(const char *s, char *buf, size_t cap);

#endif
