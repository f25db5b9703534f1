/* mjb_step.c -- the control step and divergence checks. */
#include "mjb.h"

#include <math.h>
#include <stddef.h>

/* MuJoCo warnings that make a result untrustworthy, with their phrase. */
static const struct { int id; const char *what; } mjb_bad[] = {
    {mjWARN_BADQACC, "MuJoCo instability: bad qacc (MuJoCo reset the state)"},
    {mjWARN_BADQVEL, "MuJoCo instability: bad qvel (MuJoCo reset the state)"},
    {mjWARN_BADQPOS, "MuJoCo instability: bad qpos (MuJoCo reset the state)"},
    {mjWARN_CNSTRFULL, "MuJoCo constraint buffer overflow (njmax too small)"},
    {mjWARN_CONTACTFULL, "MuJoCo contact buffer overflow (nconmax too small)"},
    {mjWARN_INERTIA, "MuJoCo: a body has a non-physical inertia"},
};

/* Warnings first, then a non-finite state. Step phase. */
const char *mjb_check_state(const mjModel *m, const mjData *d) {
    for (size_t i = 0; i < sizeof mjb_bad / sizeof mjb_bad[0]; i++)
        if (d->warning[mjb_bad[i].id].number > 0) return mjb_bad[i].what;
    for (int i = 0; i < m->nq; i++)
        if (!isfinite(d->qpos[i])) return "non-finite qpos";
    for (int i = 0; i < m->nv; i++)
        if (!isfinite(d->qvel[i])) return "non-finite qvel";
    return NULL;
}

/* See mjb.h: the split keeps sensors in sync with the final state. */
const char *mjb_advance(const mjModel *m, mjData *d, int nsub, const mjb_rft *rft) {
    if (!rft || !rft->on) {
        mj_step2(m, d);
        for (int k = 1; k < nsub; k++) mj_step(m, d);
        mj_step1(m, d);
    } else {
        for (int k = 0; k < nsub; k++) {
            mjb_rft_apply(m, d, rft);
            mj_step2(m, d);
            mj_step1(m, d);
        }
    }
    return mjb_check_state(m, d);
}
