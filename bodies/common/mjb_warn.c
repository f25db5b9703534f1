/* mjb_warn.c -- MuJoCo's global warning handler, owned by init/deinit. */
#include "mjb.h"

#include <animat/abi.h>

/* Warnings are counted in mjData (d->warning) and turned into errors by
 * mjb_check_state; the text MuJoCo would print is dropped. Any thread. */
void mjb_warn_sink(const char *msg) { (void)msg; }

/* Install the sink; nothing can fail. Init phase, main thread. */
int32_t mjb_warn_init(char *why, uint32_t cap) {
    (void)why;
    (void)cap;
    mju_user_warning = mjb_warn_sink;
    return ANIMAT_OK;
}

/* Remove the sink if it is still ours. Deinit phase, main thread. */
void mjb_warn_deinit(void) {
    if (mju_user_warning == mjb_warn_sink) mju_user_warning = NULL;
}
