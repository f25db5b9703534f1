/* nwb_tables.c -- the Units table and intervals/trials of an NWB export
 * (nwb_impl.h): hdmf-common DynamicTables of VectorData columns. */
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/h5util.h"
#include "sim/nwb_impl.h"

/* A VectorData column (rank 1, n values of `type`) with its description. */
static int column(nwb_h5 *w, const char *table, const char *name, const char *desc, hid_t type, const void *v,
                  uint64_t n, const char *vtype) {
    char path[300];
    snprintf(path, sizeof path, "%s/%s", table, name);
    hid_t g = H5Gopen2(w->file, table, H5P_DEFAULT);
    hsize_t dim[1] = {n};
    hid_t d = g < 0 ? -1 : type < 0 ? nwb_ds_strs(g, name, v, n) : nwb_ds_array(g, name, 1, dim, type, v);
    int rc = d < 0 || nwb_typed(w, d, path, "hdmf-common", vtype ? vtype : "VectorData") ||
             (desc && nwb_attr_str(d, "description", desc));
    if (d >= 0) H5Dclose(d);
    if (g >= 0) H5Gclose(g);
    return rc ? -1 : 0;
}

/* A DynamicTable group of `type` with its colnames, description and ids. */
static int table(nwb_h5 *w, const char *path, const char *type, const char *desc, const char *const *cols,
                 uint32_t ncols, uint64_t rows) {
    hid_t g = nwb_group(w, path, "core", type);
    int rc = g < 0 || nwb_attr_strs(g, "colnames", cols, ncols) || nwb_attr_str(g, "description", desc);
    if (g >= 0) H5Gclose(g);
    int64_t *id = rc ? NULL : malloc((rows ? rows : 1) * sizeof *id);
    for (uint64_t i = 0; id && i < rows; i++) id[i] = (int64_t)i;
    rc = rc || !id || column(w, path, "id", NULL, H5T_STD_I64LE, id, rows, "ElementIdentifiers");
    free(id);
    return rc ? -1 : 0;
}

/* intervals/trials: one row per episode on the session clock. */
static int trials(nwb_h5 *w, const nwb_src *s, nwb_stats *st) {
    static const char *const cols[] = {"start_time", "stop_time", "return", "steps"};
    uint64_t E = s->E;
    double *t = malloc(2 * (E ? E : 1) * sizeof *t);
    int rc = !t || table(w, "/intervals/trials", "TimeIntervals", "animat episodes, one after another", cols, 4, E);
    for (uint64_t k = 0; !rc && k < E; k++) t[k] = nwb_ep_start(s, k), t[E + k] = t[k] + s->steps[k] * s->dt;
    rc = rc || column(w, "/intervals/trials", "start_time", "start of the episode, s", H5T_IEEE_F64LE, t, E, NULL) ||
         column(w, "/intervals/trials", "stop_time", "end of the episode (its last control step), s",
                H5T_IEEE_F64LE, t + E, E, NULL) ||
         column(w, "/intervals/trials", "return", "the episode's return (sum of rewards)", H5T_IEEE_F64LE, s->ret,
                E, NULL) ||
         column(w, "/intervals/trials", "steps", "control steps the episode took", H5T_IEEE_F64LE, s->steps, E,
                NULL);
    free(t);
    st->trials = E;
    return rc ? -1 : 0;
}

/* The Units rows being gathered from every /spikes/NAME. */
typedef struct units_acc {
    double *t;
    uint64_t nt, capt;
    uint64_t *end;     /* rows: end of each row's spikes in t */
    char **name, **circuit;
    uint64_t rows, capr;
} units_acc;

static int acc_grow(units_acc *a, uint64_t spikes, uint64_t rows) {
    if (a->nt + spikes > a->capt) {
        uint64_t cap = (a->nt + spikes) * 2 + 1024;
        double *p = realloc(a->t, cap * sizeof *p);
        if (!p) return -1;
        a->t = p, a->capt = cap;
    }
    if (a->rows + rows > a->capr) {
        uint64_t cap = (a->rows + rows) * 2 + 64;
        uint64_t *e = realloc(a->end, cap * sizeof *e);
        if (e) a->end = e;
        char **n = e ? realloc(a->name, cap * sizeof *n) : NULL;
        if (n) a->name = n;
        char **c = n ? realloc(a->circuit, cap * sizeof *c) : NULL;
        if (!c) return -1;
        a->circuit = c, a->capr = cap;
    }
    return 0;
}

/* The rows of one circuit's spikes (group /spikes/NAME): unit u's times of
 * every episode, shifted onto the session clock. 0 or -1. */
static int units_of(const nwb_src *s, const char *name, units_acc *a) {
    char path[400];
    snprintf(path, sizeof path, "spikes/%s/spike_times_index", name);
    double *ix = NULL, *t = NULL;
    int rank = 0, rank2 = 0;
    uint64_t di[3] = {0, 0, 0}, dt[3] = {0, 0, 0};
    errmsg e = {0};
    int rc = h5util_read_all(s->f, path, &ix, &rank, di, &e);
    snprintf(path, sizeof path, "spikes/%s/spike_times", name);
    if (!rc) rc = h5util_read_all(s->f, path, &t, &rank2, dt, &e);
    uint64_t U = di[1], n = dt[0];
    if (!rc && (rank != 2 || di[0] < s->E || (n && ix[s->E * U - 1] > (double)n))) rc = -1;
    snprintf(path, sizeof path, "spikes/%s", name);
    hid_t g = rc ? -1 : H5Gopen2(s->f, path, H5P_DEFAULT);
    char **names = NULL;
    if (!rc && (g < 0 || acc_grow(a, n, U))) rc = -1;
    for (uint64_t u = 0; !rc && u < U; u++) {
        for (uint64_t k = 0; k < s->E; k++) {
            uint64_t i = k * U + u, b = (uint64_t)ix[i], f = i ? (uint64_t)ix[i - 1] : 0;
            for (uint64_t j = f; j < b && j < n; j++) a->t[a->nt++] = t[j] + nwb_ep_start(s, k);
        }
        a->end[a->rows] = a->nt;
        a->circuit[a->rows] = strndup(name, 200);
        a->name[a->rows] = NULL;
        a->rows++;
    }
    if (!rc) {
        hid_t at = H5Aexists(g, "names") > 0 ? H5Aopen(g, "names", H5P_DEFAULT) : -1, ty = H5Tcopy(H5T_C_S1);
        H5Tset_size(ty, H5T_VARIABLE);
        names = calloc(U ? U : 1, sizeof *names);
        if (at >= 0 && names && H5Aread(at, ty, names) >= 0)
            for (uint64_t u = 0; u < U; u++) a->name[a->rows - U + u] = names[u] ? strdup(names[u]) : NULL;
        for (uint64_t u = 0; names && at >= 0 && u < U; u++) H5free_memory(names[u]);
        if (at >= 0) H5Aclose(at);
        H5Tclose(ty);
    }
    free(names);
    if (g >= 0) H5Gclose(g);
    free(ix), free(t);
    return rc;
}

/* /units from the gathered rows. */
static int units_write(nwb_h5 *w, const units_acc *a) {
    static const char *const cols[] = {"spike_times", "unit_name", "circuit"};
    for (uint64_t r = 0; r < a->rows; r++)
        if (!a->name[r] && asprintf(&a->name[r], "%llu", (unsigned long long)r) < 0) return -1;
    return table(w, "/units", "Units", "circuit units that offer animat.spikes/1, one row per unit", cols, 3,
                 a->rows) ||
                   column(w, "/units", "spike_times", "spike times on the session clock, s", H5T_IEEE_F64LE, a->t,
                          a->nt, NULL) ||
                   column(w, "/units", "spike_times_index", "index into spike_times", H5T_STD_U64LE, a->end,
                          a->rows, "VectorIndex") ||
                   column(w, "/units", "unit_name", "the unit's name (animat.units/1)", -1, a->name, a->rows, NULL) ||
                   column(w, "/units", "circuit", "the circuit instance", -1, a->circuit, a->rows, NULL)
               ? -1
               : 0;
}

int nwb_write_tables(nwb_h5 *w, const nwb_src *s, nwb_stats *st, errmsg *e) {
    if (trials(w, s, st)) return errmsg_set(e, "cannot write intervals/trials");
    char **names = calloc(1, sizeof *names);
    int n = 0;
    hid_t g = H5Lexists(s->f, "spikes", H5P_DEFAULT) > 0 ? H5Gopen2(s->f, "spikes", H5P_DEFAULT) : -1;
    for (hsize_t i = 0; names && g >= 0; i++) {
        char buf[256];
        if (H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, buf, sizeof buf, H5P_DEFAULT) <= 0) break;
        char **grown = realloc(names, (n + 2) * sizeof *names);
        if (!grown) break;
        names = grown, names[n++] = strdup(buf), names[n] = NULL;
    }
    if (g >= 0) H5Gclose(g);
    units_acc a;
    memset(&a, 0, sizeof a);
    int rc = !names ? errmsg_set(e, "out of memory") : 0;
    for (int i = 0; !rc && i < n; i++)
        if (units_of(s, names[i], &a)) rc = errmsg_set(e, "%s: cannot read /spikes/%s", s->path, names[i]);
    if (!rc && n && units_write(w, &a)) rc = errmsg_set(e, "cannot write the Units table");
    if (!rc && n) {
        hid_t d = H5Dopen2(w->file, "/units/spike_times_index", H5P_DEFAULT);
        rc = d < 0 || nwb_attr_ref(w->file, d, "target", "/units/spike_times") ? errmsg_set(e, "cannot link the "
                                                                                              "spike index") : 0;
        if (d >= 0) H5Dclose(d);
    }
    st->units = a.rows, st->spikes = a.nt;
    for (uint64_t r = 0; r < a.rows; r++) free(a.name[r]), free(a.circuit[r]);
    free(a.t), free(a.end), free(a.name), free(a.circuit);
    for (int i = 0; i < n; i++) free(names[i]);
    free(names);
    return rc;
}
