/* ck_run.h -- run a Check suite and turn the result into an exit status. */
#ifndef CK_RUN_H
#define CK_RUN_H

#include <check.h>

/* Run every test of `s` (taking ownership of it), print Check's summary,
 * and return 0 if all passed, 1 otherwise: the value main should return. */
static inline int ck_run(Suite *s) {
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? 1 : 0;
}

#endif
