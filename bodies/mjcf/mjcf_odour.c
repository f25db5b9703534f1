/* mjcf_odour.c -- an odour field sampled at body sites (see mjcf_odour.h). */
#include "mjcf_odour.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../common/mjb.h"

/* Source numeric i into o. 0 or -1 with err. */
static int mjcf_odour_source(const mjModel *m, int i, mjcf_odour *o, char *err, int errlen) {
    const char *key = m->names + m->name_numericadr[i], *site = key + strlen(MJCF_ODOUR_PREFIX);
    const mjtNum *v = m->numeric_data + m->numeric_adr[i];
    if (o->nsrc == MJCF_ODOUR_MAX) {
        snprintf(err, (size_t)errlen, "<custom> %s: more than %d odour sources", key, MJCF_ODOUR_MAX);
        return -1;
    }
    if (m->numeric_size[i] != 2) {
        snprintf(err, (size_t)errlen, "<custom> %s: data must be 2 numbers \"SPREAD AMPLITUDE\", not %d", key,
                 m->numeric_size[i]);
        return -1;
    }
    if (!(v[0] > 0 && v[0] < 1e6) || !(v[1] > 0 && v[1] < 1e12)) {
        snprintf(err, (size_t)errlen, "<custom> %s: spread %.6g m and amplitude %.6g must both be positive and finite",
                 key, v[0], v[1]);
        return -1;
    }
    int id = mj_name2id(m, mjOBJ_SITE, site);
    if (id < 0) {
        snprintf(err, (size_t)errlen, "<custom> %s: the model has no <site name=\"%.60s\"> (the source)", key, site);
        return -1;
    }
    o->src[o->nsrc] = id;
    o->spread[o->nsrc] = v[0];
    o->amp[o->nsrc] = v[1];
    o->nsrc++;
    return 0;
}

/* The sensing sites of animat.smell into o. 0 or -1 with err. */
static int mjcf_odour_sensors(const mjModel *m, const char *list, mjcf_odour *o, char *err, int errlen) {
    const char *p = list;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\n') p++;
        size_t n = strcspn(p, " \t\n");
        if (n == 0) break;
        char name[128];
        if (n >= sizeof name || o->nsense == MJCF_SMELL_MAX) {
            snprintf(err, (size_t)errlen, "<custom> %s: at most %d site names of under 128 characters", MJCF_SMELL_KEY,
                     MJCF_SMELL_MAX);
            return -1;
        }
        memcpy(name, p, n);
        name[n] = '\0';
        int id = mj_name2id(m, mjOBJ_SITE, name);
        if (id < 0) {
            snprintf(err, (size_t)errlen, "<custom> %s: the model has no <site name=\"%s\">", MJCF_SMELL_KEY, name);
            return -1;
        }
        o->sense[o->nsense++] = id;
        p += n;
    }
    return 0;
}

/* See mjcf_odour.h. */
int mjcf_odour_resolve(const mjModel *m, mjcf_odour *o, char *err, int errlen) {
    memset(o, 0, sizeof *o);
    size_t plen = strlen(MJCF_ODOUR_PREFIX);
    for (int i = 0; i < m->nnumeric; i++)
        if (strncmp(m->names + m->name_numericadr[i], MJCF_ODOUR_PREFIX, plen) == 0 &&
            mjcf_odour_source(m, i, o, err, errlen))
            return -1;
    const char *list = mjb_custom_text(m, MJCF_SMELL_KEY);
    if (list && mjcf_odour_sensors(m, list, o, err, errlen)) return -1;
    if (o->nsrc && !o->nsense) {
        snprintf(err, (size_t)errlen, "odour sources (%s*) but no <text name=\"%s\"> naming the sites that smell",
                 MJCF_ODOUR_PREFIX, MJCF_SMELL_KEY);
        return -1;
    }
    if (o->nsense && !o->nsrc) {
        snprintf(err, (size_t)errlen, "%s names sites but the model has no odour source (%sSITE)", MJCF_SMELL_KEY,
                 MJCF_ODOUR_PREFIX);
        return -1;
    }
    return 0;
}

/* See mjcf_odour.h. */
double mjcf_odour_at(const mjcf_odour *o, const mjData *d, const double p[3]) {
    double c = 0;
    for (int k = 0; k < o->nsrc; k++) {
        const mjtNum *s = d->site_xpos + 3 * o->src[k];
        double r2 = 0;
        for (int i = 0; i < 3; i++) r2 += (p[i] - s[i]) * (p[i] - s[i]);
        c += o->amp[k] * exp(-r2 / (2 * o->spread[k] * o->spread[k]));
    }
    return c;
}

/* See mjcf_odour.h. */
void mjcf_odour_observe(const mjcf_odour *o, const mjData *d, double *out) {
    for (int k = 0; k < o->nsense; k++) out[k] = mjcf_odour_at(o, d, d->site_xpos + 3 * o->sense[k]);
}
