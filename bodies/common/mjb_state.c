/* mjb_state.c -- a MuJoCo body's state as bytes (mjb.h). */
#include "mjb.h"

#include <string.h>

/* One array of the state: n doubles at p. */
typedef struct mjb_part {
    mjtNum *p;
    int n;
} mjb_part;

/* The arrays, in file order. Model arrays last: bodies move targets. */
static int mjb_parts(const mjModel *m, const mjData *d, mjb_part *out) {
    mjb_part parts[] = {
        {&((mjData *)d)->time, 1},       {d->qpos, m->nq},
        {d->qvel, m->nv},                {d->act, m->na},
        {d->ctrl, m->nu},                {d->qacc_warmstart, m->nv},
        {d->qfrc_applied, m->nv},        {d->xfrc_applied, 6 * m->nbody},
        {d->mocap_pos, 3 * m->nmocap},   {d->mocap_quat, 4 * m->nmocap},
        {d->userdata, m->nuserdata},     {d->sensordata, m->nsensordata},
        {m->site_pos, 3 * m->nsite},     {m->geom_pos, 3 * m->ngeom},
    };
    int n = (int)(sizeof parts / sizeof parts[0]);
    memcpy(out, parts, sizeof parts);
    return n;
}

#define MJB_MAX_PARTS 16

uint64_t mjb_state_size(const mjModel *m, const mjData *d) {
    mjb_part parts[MJB_MAX_PARTS];
    int n = mjb_parts(m, d, parts);
    uint64_t bytes = sizeof(uint64_t);
    for (int i = 0; i < n; i++) bytes += (uint64_t)parts[i].n * sizeof(mjtNum);
    return bytes;
}

int mjb_state_save(const mjModel *m, const mjData *d, uint64_t nstep, void *buf, uint64_t size) {
    if (size != mjb_state_size(m, d)) return -1;
    mjb_part parts[MJB_MAX_PARTS];
    int n = mjb_parts(m, d, parts);
    unsigned char *out = buf;
    memcpy(out, &nstep, sizeof nstep);
    out += sizeof nstep;
    for (int i = 0; i < n; out += (size_t)parts[i].n * sizeof(mjtNum), i++)
        if (parts[i].n) memcpy(out, parts[i].p, (size_t)parts[i].n * sizeof(mjtNum));
    return 0;
}

int mjb_state_load(mjModel *m, mjData *d, uint64_t *nstep, const void *buf, uint64_t size) {
    if (size != mjb_state_size(m, d)) return -1;
    mjb_part parts[MJB_MAX_PARTS];
    int n = mjb_parts(m, d, parts);
    const unsigned char *in = buf;
    memcpy(nstep, in, sizeof *nstep);
    in += sizeof *nstep;
    for (int i = 0; i < n; in += (size_t)parts[i].n * sizeof(mjtNum), i++)
        if (parts[i].n) memcpy(parts[i].p, in, (size_t)parts[i].n * sizeof(mjtNum));
    /* Everything else the next step reads (kinematics, contacts, passive
     * forces, position and velocity sensors) is a function of the above:
     * recompute it as the last step left it (mjb_advance ends with
     * mj_step1). Acceleration-stage sensors were restored verbatim. */
    mj_step1(m, d);
    return 0;
}
