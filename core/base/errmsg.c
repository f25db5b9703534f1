/* errmsg.c -- see errmsg.h. */
#include "base/errmsg.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void errmsg_clear(errmsg *e) {
    e->set = 0;
    e->msg[0] = '\0';
}

int errmsg_set(errmsg *e, const char *fmt, ...) {
    if (!e || e->set) return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->set = 1;
    return -1;
}

int errmsg_at(errmsg *e, const char *file, unsigned line, unsigned col, const char *fmt, ...) {
    if (!e || e->set) return -1;
    int n;
    if (line)
        n = snprintf(e->msg, sizeof e->msg, "%s:%u:%u: ", file ? file : "<input>", line, col);
    else
        n = snprintf(e->msg, sizeof e->msg, "%s: ", file ? file : "<input>");
    if (n < 0 || (size_t)n >= sizeof e->msg) n = (int)sizeof e->msg - 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg + n, sizeof e->msg - (size_t)n, fmt, ap);
    va_end(ap);
    /* One line: fold any newline a plugin or libyaml put in. */
    for (char *p = e->msg; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
    e->set = 1;
    return -1;
}

const char *errmsg_quote(const char *s, char *buf, size_t cap) {
    size_t max = cap > 64 ? 60 : cap - 4;
    size_t n = strlen(s);
    if (n <= max) {
        memcpy(buf, s, n + 1);
        return buf;
    }
    /* cut at a character boundary */
    while (max && ((unsigned char)s[max] & 0xC0) == 0x80) max--;
    memcpy(buf, s, max);
    memcpy(buf + max, "...", 4);
    return buf;
}
