/* errmsg.c -- see errmsg.h. */
#include "base/errmsg.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void errmsg_clear(errmsg *e) {
    e->set = 0;
    e->msg[0] = '\0';
    e->code = ERRMSG_NONE;
    e->detail = 0;
}

/* Set e (unless already set) from fmt and ap, with code and a detail
 * offset into the message (0 when out of range). Always -1. */
static int vsetc(errmsg *e, errmsg_code code, unsigned detail, const char *fmt, va_list ap) {
    if (!e || e->set) return -1;
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    e->set = 1;
    e->code = code;
    e->detail = detail < strlen(e->msg) ? detail : 0;
    return -1;
}

int errmsg_set(errmsg *e, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int rc = vsetc(e, ERRMSG_FAILED, 0, fmt, ap);
    va_end(ap);
    return rc;
}

int errmsg_setc(errmsg *e, errmsg_code code, unsigned detail, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int rc = vsetc(e, code, detail, fmt, ap);
    va_end(ap);
    return rc;
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
    e->code = ERRMSG_FAILED;
    e->detail = 0;
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

const char *errmsg_printable(const char *s, char *buf, size_t cap) {
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    if (!s) s = "(null)";
    for (size_t i = 0; s[i] && i < 4096; i++) {
        unsigned char ch = (unsigned char)s[i];
        int esc = ch < 0x20 || ch == 0x7f || ch == '\\';
        if (o + (esc ? 4 : 1) + 4 > cap) {
            if ((ch & 0xC0) == 0x80) { /* cut before the sequence this byte continues */
                while (o && ((unsigned char)buf[o - 1] & 0xC0) == 0x80) o--;
                if (o && ((unsigned char)buf[o - 1] & 0xC0) == 0xC0) o--;
            }
            memcpy(buf + o, "...", 4);
            return buf;
        }
        if (esc) {
            buf[o++] = '\\', buf[o++] = 'x', buf[o++] = hex[ch >> 4], buf[o++] = hex[ch & 15];
        } else {
            buf[o++] = (char)ch;
        }
    }
    buf[o] = '\0';
    return buf;
}
