/* tell_check.h -- the preconditions every episodic learner's tell() checks:
 * a preceding ask and finite returns. Compiled into each learner plugin
 * that uses it (plugins link no shared code at run time). */
#ifndef TELL_CHECK_H
#define TELL_CHECK_H

#include <animat/animat.h>
#include <stdint.h>

/* 1 when tell may go on: `asked` is set and the p returns are finite.
 * Otherwise 0 after h->error ("tell without a preceding ask", or "return of
 * candidate K is not finite (V)"); nothing else changes. No allocation;
 * phase epoch, the instance's thread. */
int tell_check(const animat_host *h, int asked, uint32_t p, const double *returns);

#endif
