/* tell_check.c -- see tell_check.h. */
#include "tell_check.h"

#include <math.h>

int tell_check(const animat_host *h, int asked, uint32_t p, const double *returns) {
    if (!asked) {
        h->error(h, "tell without a preceding ask");
        return 0;
    }
    for (uint32_t k = 0; k < p; k++) {
        if (!isfinite(returns[k])) {
            h->error(h, "return of candidate %u is not finite (%g)", k, returns[k]);
            return 0;
        }
    }
    return 1;
}
