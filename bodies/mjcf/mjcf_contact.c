/* mjcf_contact.c -- contact forces per geom group (see mjcf_contact.h). */
#include "mjcf_contact.h"

#include <math.h>
#include <stdio.h>

#include "../common/mjb.h"

/* See mjcf_contact.h. */
int mjcf_contact_resolve(const mjModel *m, int groups[MJCF_CONTACT_MAX], int *n, char *err, int errlen) {
    double v[MJCF_CONTACT_MAX + 1];
    int k = mjb_custom_numeric(m, MJCF_CONTACT_KEY, v, MJCF_CONTACT_MAX + 1);
    *n = 0;
    if (k < 0) return 0;
    if (k < 1 || k > MJCF_CONTACT_MAX) {
        snprintf(err, (size_t)errlen, "<custom> %s: 1 to %d geom groups, not %d", MJCF_CONTACT_KEY, MJCF_CONTACT_MAX, k);
        return -1;
    }
    for (int i = 0; i < k; i++) {
        if (!(v[i] >= 0 && v[i] <= 5 && v[i] == floor(v[i]))) {
            snprintf(err, (size_t)errlen, "<custom> %s: %.6g is not a geom group (an integer in [0, 5])",
                     MJCF_CONTACT_KEY, v[i]);
            return -1;
        }
        groups[i] = (int)v[i];
    }
    *n = k;
    return 0;
}

/* See mjcf_contact.h. */
void mjcf_contact_observe(const mjModel *m, const mjData *d, const int *groups, int n, double *out) {
    for (int k = 0; k < n; k++) out[k] = 0;
    for (int c = 0; c < d->ncon; c++) {
        const mjContact *con = d->contact + c;
        if (con->exclude) continue;
        mjtNum f[6];
        mj_contactForce(m, d, c, f);
        int g1 = m->geom_group[con->geom1], g2 = m->geom_group[con->geom2];
        for (int k = 0; k < n; k++)
            if (g1 == groups[k] || g2 == groups[k]) out[k] += f[0];
    }
}
