/* nwb_series.c -- a recording's signals as NWB TimeSeries (nwb_impl.h). */
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/h5util.h"
#include "sim/nwb_impl.h"

/* One signal of the recording. */
typedef struct nwb_sig {
    const char *name; /* "body.obs.joints" */
    hid_t ds;         /* /signals/NAME */
    uint64_t T, n;    /* samples per episode (padded), elements */
    char **elems;     /* n element names; owned (H5free_memory each) */
    char *unit, *dir, *inst, *plugin; /* owned */
} nwb_sig;

/* The n strings of attribute `names` of d into *out (vlen, owned by
 * libhdf5's allocator). 0 or -1. */
static int read_names(hid_t d, uint64_t n, char ***out) {
    *out = calloc(n ? n : 1, sizeof **out);
    if (!*out || H5Aexists(d, "names") <= 0) return *out ? 0 : -1;
    hid_t a = H5Aopen(d, "names", H5P_DEFAULT), sp = H5Aget_space(a), t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    int ok = H5Sget_simple_extent_npoints(sp) == (hssize_t)n && H5Aread(a, t, *out) >= 0;
    H5Tclose(t), H5Sclose(sp), H5Aclose(a);
    if (!ok) memset(*out, 0, n * sizeof **out);
    return 0;
}

static void sig_free(nwb_sig *g) {
    for (uint64_t i = 0; g->elems && i < g->n; i++)
        if (g->elems[i]) H5free_memory(g->elems[i]);
    free(g->elems), free(g->unit), free(g->dir), free(g->inst), free(g->plugin);
    if (g->ds >= 0) H5Dclose(g->ds);
}

/* Open /signals/NAME and read its shape and description. 0 or -1. */
static int sig_open(const nwb_src *s, const char *name, nwb_sig *g) {
    memset(g, 0, sizeof *g);
    g->name = name;
    char path[600];
    snprintf(path, sizeof path, "signals/%s", name);
    if ((g->ds = H5Dopen2(s->f, path, H5P_DEFAULT)) < 0) return -1;
    hid_t sp = H5Dget_space(g->ds);
    hsize_t dim[3] = {0, 0, 0};
    int rank = H5Sget_simple_extent_dims(sp, dim, NULL);
    H5Sclose(sp);
    if (rank != 3 || dim[0] < s->E || dim[2] == 0 || dim[2] > (1u << 20)) return -1;
    g->T = dim[1], g->n = dim[2];
    errmsg e = {0};
    char **txt[] = {&g->unit, &g->dir, &g->inst, &g->plugin};
    const char *keys[] = {"unit", "direction", "instance", "plugin"};
    for (int i = 0; i < 4; i++)
        if (!(*txt[i] = h5util_get_str(g->ds, keys[i], &e)) && !(*txt[i] = strdup(""))) return -1;
    return read_names(g->ds, g->n, &g->elems);
}

/* Where the series of g goes and as what type. */
static void sig_place(const nwb_sig *g, char *path, size_t cap, const char **type) {
    size_t len = strlen(g->name);
    int body = !strcmp(g->dir, "obs") || !strcmp(g->dir, "act") || !strcmp(g->dir, "reward") || !strcmp(g->dir, "qpos");
    int pos = !strcmp(g->dir, "obs") && len > 13 && !strcmp(g->name + len - 13, ".obs.position") && g->n >= 1 &&
              g->n <= 3;
    *type = pos ? "SpatialSeries" : "TimeSeries";
    snprintf(path, cap, "/processing/%s/%s%s", body ? "behavior" : "circuits", pos ? "Position/" : "", g->name);
}

/* The description: what the signal is and its element names. Caller frees. */
static char *sig_description(const nwb_sig *g) {
    size_t cap = 512 + strlen(g->name) + strlen(g->inst) + strlen(g->plugin);
    for (uint64_t i = 0; i < g->n; i++) cap += (g->elems[i] ? strlen(g->elems[i]) : 24) + 2;
    char *d = malloc(cap);
    if (!d) return NULL;
    int n = snprintf(d, cap, "animat signal %s (direction %s%s%s%s%s); elements: ", g->name, g->dir,
                     g->inst[0] ? ", instance " : "", g->inst, g->plugin[0] ? ", plugin " : "", g->plugin);
    for (uint64_t i = 0; n > 0 && (size_t)n < cap && i < g->n; i++) {
        int k = g->elems[i] ? snprintf(d + n, cap - n, "%s%s", i ? ", " : "", g->elems[i])
                            : snprintf(d + n, cap - n, "%s[%llu]", i ? ", " : "", (unsigned long long)i);
        n += k > 0 ? k : 0;
    }
    return d;
}

/* The data: every episode's recorded samples, one after another. */
static int sig_data(const nwb_src *s, const nwb_sig *g, hid_t grp) {
    uint64_t N = s->first[s->E];
    hsize_t dims[2] = {N, g->n};
    hid_t d = nwb_ds_array(grp, "data", g->n == 1 ? 1 : 2, dims, H5T_IEEE_F64LE, NULL);
    double *buf = malloc((size_t)(g->T ? g->T : 1) * g->n * sizeof *buf);
    int rc = d < 0 || !buf ? -1 : 0;
    for (uint64_t k = 0; !rc && k < s->E; k++) {
        uint64_t rows = s->first[k + 1] - s->first[k];
        if (rows > g->T) rows = g->T;
        hsize_t st[3] = {k, 0, 0}, ct[3] = {1, rows, g->n};
        hid_t sp = H5Dget_space(g->ds), mem = H5Screate_simple(3, ct, NULL);
        rc = rows && (H5Sselect_hyperslab(sp, H5S_SELECT_SET, st, NULL, ct, NULL) < 0 ||
                      H5Dread(g->ds, H5T_NATIVE_DOUBLE, mem, sp, H5P_DEFAULT, buf) < 0 ||
                      nwb_ds_rows(d, s->first[k], rows, buf))
                 ? -1
                 : 0;
        H5Sclose(mem), H5Sclose(sp);
    }
    free(buf);
    const char *unit = g->unit[0] ? g->unit : "a.u.";
    if (!rc) rc = nwb_attr_str(d, "unit", unit) || nwb_attr_f32(d, "conversion", 1.0) ||
                  nwb_attr_f32(d, "offset", 0.0) || nwb_attr_f32(d, "resolution", -1.0)
                      ? -1
                      : 0;
    if (d >= 0) H5Dclose(d);
    return rc;
}

/* One signal as a series. 0 or -1. */
static int write_sig(nwb_h5 *w, const nwb_src *s, const nwb_sig *g) {
    char path[700];
    const char *type;
    sig_place(g, path, sizeof path, &type);
    if (!strcmp(type, "SpatialSeries") && H5Lexists(w->file, "/processing/behavior/Position", H5P_DEFAULT) <= 0) {
        hid_t p = nwb_group(w, "/processing/behavior/Position", "core", "Position");
        if (p < 0) return -1;
        H5Gclose(p);
    }
    hid_t grp = nwb_group(w, path, "core", type);
    char *desc = sig_description(g);
    int rc = grp < 0 || !desc || nwb_attr_str(grp, "description", desc) ||
             nwb_attr_str(grp, "comments", "episodes follow each other on one clock; see intervals/trials") ||
             sig_data(s, g, grp);
    hid_t t0 = rc ? -1 : nwb_ds_f64(grp, "starting_time", 0.0);
    if (!rc) rc = t0 < 0 || nwb_attr_f32(t0, "rate", 1.0 / ((double)s->every * s->dt)) ||
                  nwb_attr_str(t0, "unit", "seconds");
    if (t0 >= 0) H5Dclose(t0);
    if (grp >= 0) H5Gclose(grp);
    free(desc);
    return rc ? -1 : 0;
}

/* The processing modules and the Position container. */
static int modules(nwb_h5 *w) {
    const char *path[] = {"/processing/behavior", "/processing/circuits"};
    const char *desc[] = {"the bodies' observations and actions and the reward, as animat recorded them",
                          "the circuits' ports, units and membrane voltages, as animat recorded them"};
    for (int i = 0; i < 2; i++) {
        hid_t g = nwb_group(w, path[i], "core", "ProcessingModule");
        int rc = g < 0 || nwb_attr_str(g, "description", desc[i]);
        if (g >= 0) H5Gclose(g);
        if (rc) return -1;
    }
    return 0;
}

int nwb_write_series(nwb_h5 *w, const nwb_src *s, nwb_stats *st, errmsg *e) {
    char **names = NULL;
    errmsg le;
    errmsg_clear(&le);
    int rc = h5util_members(s->f, "signals", &names, &le) < 0 ? errmsg_set(e, "%s: %s", s->path, le.msg) : 0;
    if (!rc && modules(w)) rc = errmsg_set(e, "cannot create the processing modules");
    for (size_t i = 0; !rc && names[i]; i++) {
        nwb_sig sig;
        if (sig_open(s, names[i], &sig)) rc = errmsg_set(e, "%s: cannot read /signals/%s", s->path, names[i]);
        else if (write_sig(w, s, &sig)) rc = errmsg_set(e, "cannot write the series of %s", names[i]);
        else st->series++;
        sig_free(&sig);
    }
    h5util_names_free(names);
    return rc;
}
