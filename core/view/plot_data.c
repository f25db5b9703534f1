/* plot_data.c -- see plot_data.h. */
#include "view/plot_data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double *plot_time_axis(const h5rec *r, uint64_t T, uint64_t stride) {
    double *v = malloc((T ? T : 1) * sizeof *v);
    if (!v || !h5rec_read_every(r, "/time", stride ? stride : 1, T, v)) return v;
    double dt = 1, every = 1;
    h5rec_attr_num(r, "dt", &dt);
    h5rec_attr_num(r, "every", &every);
    for (uint64_t k = 0; k < T; k++) v[k] = (double)(k * (stride ? stride : 1)) * dt * every;
    return v;
}

const char *plot_title_of(const h5rec *r, const char *what, char *buf, size_t cap) {
    char *ef = h5rec_attr_str(r, "experiment_file");
    const char *base = ef ? strrchr(ef, '/') : NULL;
    base = base ? base + 1 : ef ? ef : r->path;
    snprintf(buf, cap, "%s — %s", what, base);
    free(ef);
    return buf;
}
