/* embed_impl.c -- what every part of the embedding library shares
 * (embed_impl.h): setting a handle's error. */
#include "embed/embed_impl.h"

#include <stdarg.h>
#include <stdio.h>

int embed_fail(animat_exp *h, int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(h->e.msg, sizeof h->e.msg, fmt, ap);
    va_end(ap);
    h->e.set = 1;
    return code;
}
