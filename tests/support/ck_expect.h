/* ck_expect.h -- assertions on what a command run by proc_run printed, for
 * Check suites (header-only: include after <check.h> and "proc.h"). */
#ifndef CK_EXPECT_H
#define CK_EXPECT_H

#include <string.h>

#include "proc.h"

/* The command failed as bad input must: not killed by a signal, exit
 * status 1, exactly one line on stderr, containing `want`. Frees p. */
static inline void ck_expect_error(proc_out *p, const char *want) {
    ck_assert_msg(!p->signaled, "crashed: %s", p->err);
    ck_assert_msg(p->status == 1, "exit status %d, want 1: %s", p->status, p->err);
    ck_assert_msg(proc_lines(p->err) == 1, "stderr is not one line: %s", p->err);
    ck_assert_msg(strstr(p->err, want), "stderr '%s' lacks '%s'", p->err, want);
    proc_free(p);
}

#endif
