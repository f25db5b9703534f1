/* nwbread.c -- see nwbread.h. */
#include "view/nwbread.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/h5util.h"
#include "sim/nwb_export.h"
#include "sim/record.h"

#define NWBREAD_MAX_CELLS (1ull << 26) /* values of one series read back at most */

/* The session's shape: episodes on the NWB clock. */
typedef struct nwb_eps {
    uint64_t E, every, T;
    double dt;
    double *start, *stop, *ret, *steps; /* E each; owned */
    uint64_t *first;                     /* E + 1 sample rows; owned */
} nwb_eps;

int nwbread_is_nwb(hid_t f) {
    errmsg e = {0};
    char *t = h5util_get_str(f, "neurodata_type", &e);
    int yes = t && !strcmp(t, "NWBFile");
    free(t);
    return yes;
}

/* n strings of a vlen string dataset (or scalar, n = 1) at path; returns
 * n with *out set (free each and the array), or -1. */
static int64_t read_strs(hid_t f, const char *path, char ***out) {
    *out = NULL;
    if (H5Lexists(f, path, H5P_DEFAULT) <= 0) return -1;
    hid_t d = H5Dopen2(f, path, H5P_DEFAULT), sp = H5Dget_space(d), t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    hssize_t n = H5Sget_simple_extent_npoints(sp);
    char **v = n > 0 && n < (1 << 24) ? calloc((size_t)n, sizeof *v) : NULL;
    int ok = v && H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0;
    for (hssize_t i = 0; ok && i < n; i++) {
        char *c = strdup(v[i] ? v[i] : "");
        if (v[i]) H5free_memory(v[i]);
        v[i] = c;
    }
    H5Tclose(t), H5Sclose(sp), H5Dclose(d);
    if (!ok) {
        free(v);
        return -1;
    }
    *out = v;
    return n;
}

static void strs_free(char **v, int64_t n) {
    for (int64_t i = 0; v && i < n; i++) free(v[i]);
    free(v);
}

/* One string (scalar dataset), or NULL. Caller frees. */
static char *read_str(hid_t f, const char *path) {
    char **v;
    int64_t n = read_strs(f, path, &v);
    char *s = n >= 1 ? strdup(v[0]) : NULL;
    strs_free(v, n);
    return s;
}

/* A numeric 1-D column as doubles; its length, or -1. */
static int64_t read_col(hid_t f, const char *path, double **out) {
    int rank;
    uint64_t dim[3];
    errmsg e = {0};
    *out = NULL;
    if (H5Lexists(f, path, H5P_DEFAULT) <= 0 || h5util_read_all(f, path, out, &rank, dim, &e)) return -1;
    return rank == 1 ? (int64_t)dim[0] : -1;
}

static void eps_free(nwb_eps *p) {
    free(p->start), free(p->stop), free(p->ret), free(p->steps), free(p->first);
}

/* dt, every (from general/notes) and the trials. 0 or -1 with e set. */
static int read_eps(hid_t f, const char *path, const char *notes, nwb_eps *p, errmsg *e) {
    memset(p, 0, sizeof *p);
    const char *a = notes ? strstr(notes, "; dt: ") : NULL, *b = notes ? strstr(notes, "; every: ") : NULL;
    unsigned long long every = 0;
    if (!a || !b || sscanf(a, "; dt: %lf", &p->dt) != 1 || sscanf(b, "; every: %llu", &every) != 1 ||
        !(p->dt > 0) || every == 0)
        return errmsg_set(e, "%s: general/notes does not say dt and every (not written by animat export?)", path);
    p->every = every;
    int64_t n[4] = {read_col(f, "intervals/trials/start_time", &p->start),
                    read_col(f, "intervals/trials/stop_time", &p->stop),
                    read_col(f, "intervals/trials/return", &p->ret),
                    read_col(f, "intervals/trials/steps", &p->steps)};
    if (n[0] < 0 || n[1] != n[0] || n[2] != n[0] || n[3] != n[0])
        return errmsg_set(e, "%s: intervals/trials lacks start_time, stop_time, return or steps", path);
    p->E = (uint64_t)n[0];
    if (!(p->first = calloc(p->E + 1, sizeof *p->first))) return errmsg_set(e, "out of memory");
    for (uint64_t k = 0; k < p->E; k++) {
        if (!(p->steps[k] >= 0 && p->steps[k] < 1e12)) return errmsg_set(e, "%s: intervals/trials/steps", path);
        uint64_t K = ((uint64_t)p->steps[k] + p->every - 1) / p->every;
        p->first[k + 1] = p->first[k] + K;
        if (K > p->T) p->T = K;
    }
    if (p->first[p->E] > NWBREAD_MAX_CELLS || p->E * p->T > NWBREAD_MAX_CELLS)
        return errmsg_set(e, "%s: %llu samples in %llu trials; animat reads back at most %llu", path,
                          (unsigned long long)p->first[p->E], (unsigned long long)p->E, NWBREAD_MAX_CELLS);
    return 0;
}

/* The text after `key` in s up to the next ',' or ')' into buf. */
static void field(const char *s, const char *key, char *buf, size_t cap) {
    const char *p = s ? strstr(s, key) : NULL;
    buf[0] = 0;
    if (p) snprintf(buf, cap, "%.*s", (int)strcspn(p + strlen(key), ",)"), p + strlen(key));
}

/* Element names from "...; elements: a, b, c" (n of them), else NAME[i]. */
static char **elem_names(const char *desc, uint64_t n) {
    char **v = calloc(n ? n : 1, sizeof *v);
    const char *p = desc ? strstr(desc, "; elements: ") : NULL;
    p = p ? p + 12 : NULL;
    for (uint64_t i = 0; v && i < n; i++) {
        size_t len = p ? strcspn(p, ",") : 0;
        if (p && len) v[i] = strndup(p, len);
        else if (asprintf(&v[i], "e[%llu]", (unsigned long long)i) < 0) v[i] = NULL;
        p = p && p[len] == ',' ? p + len + 2 : NULL;
    }
    return v;
}

/* An extendible-free (E, T, n) dataset of doubles, NaN where no sample. */
static hid_t nan_set(hid_t at, const char *name, uint64_t E, uint64_t T, uint64_t n) {
    hsize_t dim[3] = {E, T ? T : 1, n};
    hid_t sp = H5Screate_simple(3, dim, NULL), pl = H5Pcreate(H5P_DATASET_CREATE);
    double nan = NAN;
    H5Pset_fill_value(pl, H5T_NATIVE_DOUBLE, &nan);
    H5Pset_fill_time(pl, H5D_FILL_TIME_ALLOC);
    hid_t lc = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lc, 1);
    hid_t d = H5Dcreate2(at, name, H5T_NATIVE_DOUBLE, sp, lc, pl, H5P_DEFAULT);
    H5Pclose(lc), H5Pclose(pl), H5Sclose(sp);
    return d;
}

/* One TimeSeries at `src` (NWB) as /signals/NAME of m. 0 or -1. */
static int one_series(hid_t f, hid_t m, const char *src, const char *name, const nwb_eps *p) {
    char path[700];
    snprintf(path, sizeof path, "%s/data", src);
    double *v = NULL;
    int rank;
    uint64_t dim[3] = {0, 1, 1};
    errmsg e = {0};
    hid_t probe = H5Dopen2(f, path, H5P_DEFAULT), psp = probe < 0 ? -1 : H5Dget_space(probe);
    hssize_t cells = psp < 0 ? -1 : H5Sget_simple_extent_npoints(psp);
    if (psp >= 0) H5Sclose(psp);
    if (probe >= 0) H5Dclose(probe);
    if (cells < 0 || (uint64_t)cells > NWBREAD_MAX_CELLS) return -1;
    if (h5util_read_all(f, path, &v, &rank, dim, &e) || rank > 2 || dim[0] < p->first[p->E]) return free(v), -1;
    uint64_t n = rank == 2 ? dim[1] : 1;
    if (n == 0 || p->E * p->T * n > 4 * NWBREAD_MAX_CELLS) return free(v), -1;
    char sig[600];
    snprintf(sig, sizeof sig, "signals/%s", name);
    hid_t d = nan_set(m, sig, p->E, p->T, n);
    int rc = d < 0 ? -1 : 0;
    for (uint64_t k = 0; !rc && k < p->E; k++) {
        hsize_t st[3] = {k, 0, 0}, ct[3] = {1, p->first[k + 1] - p->first[k], n};
        if (!ct[1]) continue;
        hid_t sp = H5Dget_space(d), mem = H5Screate_simple(3, ct, NULL);
        rc = H5Sselect_hyperslab(sp, H5S_SELECT_SET, st, NULL, ct, NULL) < 0 ||
             H5Dwrite(d, H5T_NATIVE_DOUBLE, mem, sp, H5P_DEFAULT, v + p->first[k] * n) < 0;
        H5Sclose(mem), H5Sclose(sp);
    }
    free(v);
    hid_t g = rc ? -1 : H5Oopen(f, src, H5P_DEFAULT), dd = rc ? -1 : H5Dopen2(f, path, H5P_DEFAULT);
    char *desc = g >= 0 ? h5util_get_str(g, "description", &e) : NULL;
    char *unit = dd >= 0 ? h5util_get_str(dd, "unit", &e) : NULL;
    char dir[32], inst[128], plugin[128];
    field(desc, "(direction ", dir, sizeof dir), field(desc, ", instance ", inst, sizeof inst);
    field(desc, ", plugin ", plugin, sizeof plugin);
    char **names = rc ? NULL : elem_names(desc, n);
    if (!rc) rc = !names || h5util_put_strs(d, "names", (const char *const *)names, (uint32_t)n, &e) ||
                  h5util_put_str(d, "unit", unit && strcmp(unit, "a.u.") ? unit : "", &e) ||
                  h5util_put_str(d, "direction", dir, &e) || h5util_put_str(d, "instance", inst, &e) ||
                  h5util_put_str(d, "plugin", plugin, &e);
    strs_free(names, names ? (int64_t)n : 0);
    free(desc), free(unit);
    if (g >= 0) H5Oclose(g);
    if (dd >= 0) H5Dclose(dd);
    if (d >= 0) H5Dclose(d);
    return rc ? -1 : 0;
}

/* Every TimeSeries member of the NWB group `grp`. 0 or -1 with e set. */
static int series_of(hid_t f, hid_t m, const char *grp, const nwb_eps *p, const char *path, errmsg *e) {
    if (H5Lexists(f, grp, H5P_DEFAULT) <= 0) return 0;
    hid_t g = H5Gopen2(f, grp, H5P_DEFAULT);
    for (hsize_t i = 0;; i++) {
        char name[256], src[600];
        if (H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name, H5P_DEFAULT) <= 0) break;
        snprintf(src, sizeof src, "%s/%s/data", grp, name);
        if (H5Lexists(f, src, H5P_DEFAULT) <= 0) continue; /* Position, or not a series */
        snprintf(src, sizeof src, "%s/%s", grp, name);
        if (one_series(f, m, src, name, p)) {
            H5Gclose(g);
            return errmsg_set(e, "%s: cannot read the series %s", path, src);
        }
    }
    H5Gclose(g);
    return 0;
}

/* The episode a spike at session time t belongs to, or E. */
static uint64_t episode_of(const nwb_eps *p, double t) {
    for (uint64_t k = 0; k < p->E; k++)
        if (t >= p->start[k] && t <= p->stop[k]) return k;
    return p->E;
}

/* The Units rows of one circuit (rows[0..U) of the table) as
 * /spikes/CIRCUIT: times per (episode, unit), relative to each episode. */
static int one_circuit(hid_t m, const char *circuit, const uint64_t *rows, uint64_t U, const double *t,
                       const double *end, char **names, const nwb_eps *p) {
    uint64_t n = 0, *ix = calloc(p->E * U + 1, sizeof *ix);
    for (uint64_t u = 0; u < U; u++) n += (uint64_t)end[rows[u]] - (rows[u] ? (uint64_t)end[rows[u] - 1] : 0);
    double *out = malloc((n + 1) * sizeof *out);
    const char **nm = calloc(U + 1, sizeof *nm);
    int rc = !ix || !out || !nm ? -1 : 0;
    uint64_t w = 0;
    for (uint64_t k = 0; !rc && k < p->E; k++)
        for (uint64_t u = 0; u < U; u++) {
            uint64_t a = rows[u] ? (uint64_t)end[rows[u] - 1] : 0, b = (uint64_t)end[rows[u]];
            for (uint64_t j = a; j < b; j++)
                if (episode_of(p, t[j]) == k) out[w++] = t[j] - p->start[k];
            ix[k * U + u] = w;
        }
    char path[400];
    snprintf(path, sizeof path, "spikes/%s", circuit);
    hid_t lc = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lc, 1);
    hid_t g = rc ? -1 : H5Gcreate2(m, path, lc, H5P_DEFAULT, H5P_DEFAULT);
    H5Pclose(lc);
    hsize_t d1[1] = {w}, d2[2] = {p->E, U};
    hid_t s1 = H5Screate_simple(1, d1, NULL), s2 = H5Screate_simple(2, d2, NULL);
    hid_t a = g < 0 ? -1 : H5Dcreate2(g, "spike_times", H5T_NATIVE_DOUBLE, s1, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hid_t b = g < 0 ? -1 : H5Dcreate2(g, "spike_times_index", H5T_NATIVE_UINT64, s2, H5P_DEFAULT, H5P_DEFAULT,
                                      H5P_DEFAULT);
    for (uint64_t u = 0; nm && u < U; u++) nm[u] = names[rows[u]];
    errmsg e = {0};
    rc = rc || a < 0 || b < 0 || (w && H5Dwrite(a, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0) ||
         (p->E && H5Dwrite(b, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, ix) < 0) ||
         h5util_put_strs(g, "names", nm, (uint32_t)U, &e) || h5util_put_str(g, "instance", circuit, &e);
    if (a >= 0) H5Dclose(a);
    if (b >= 0) H5Dclose(b);
    if (g >= 0) H5Gclose(g);
    H5Sclose(s1), H5Sclose(s2);
    free(ix), free(out), free(nm);
    return rc ? -1 : 0;
}

/* /units as /spikes/CIRCUIT groups (rows grouped by the circuit column). */
static int read_units(hid_t f, hid_t m, const nwb_eps *p, const char *path, errmsg *e) {
    if (H5Lexists(f, "units", H5P_DEFAULT) <= 0) return 0;
    char **circ = NULL, **names = NULL;
    double *t = NULL, *end = NULL;
    int64_t nc = read_strs(f, "units/circuit", &circ), nn = read_strs(f, "units/unit_name", &names);
    int64_t nt = read_col(f, "units/spike_times", &t), ne = read_col(f, "units/spike_times_index", &end);
    int rc = nc < 0 || nn != nc || ne != nc || nt < 0 ? errmsg_set(e, "%s: the Units table lacks animat's columns "
                                                                       "(circuit, unit_name, spike_times)", path)
                                                      : 0;
    for (int64_t r = 0; !rc && r < ne; r++)
        if (!(end[r] >= 0 && end[r] <= (double)nt) || (r && end[r] < end[r - 1]))
            rc = errmsg_set(e, "%s: units/spike_times_index is corrupt", path);
    uint64_t *rows = rc ? NULL : calloc((size_t)nc + 1, sizeof *rows);
    char *done = rc ? NULL : calloc((size_t)nc + 1, 1);
    if (!rc && (!rows || !done)) rc = errmsg_set(e, "out of memory");
    for (int64_t r = 0; !rc && r < nc; r++) {
        if (done[r]) continue;
        uint64_t U = 0;
        for (int64_t q = r; q < nc; q++)
            if (!done[q] && !strcmp(circ[q], circ[r])) rows[U++] = (uint64_t)q, done[q] = 1;
        if (one_circuit(m, circ[r], rows, U, t, end, names, p))
            rc = errmsg_set(e, "%s: cannot read the spikes of %s", path, circ[r]);
    }
    strs_free(circ, nc), strs_free(names, nn);
    free(t), free(end), free(rows), free(done);
    return rc;
}

/* Root attributes, /time and /episodes of the in-memory recording. */
static int write_meta(hid_t f, hid_t m, const nwb_eps *p, const char *notes, errmsg *e) {
    char *script = read_str(f, "general/source_script"), *file = NULL;
    hid_t d = H5Lexists(f, "general/source_script", H5P_DEFAULT) > 0 ? H5Dopen2(f, "general/source_script", H5P_DEFAULT)
                                                                     : -1;
    if (d >= 0) file = h5util_get_str(d, "file_name", e), H5Dclose(d);
    const char *plugins = notes ? strstr(notes, "):\n") : NULL;
    double *t = malloc((p->T ? p->T : 1) * sizeof *t);
    uint64_t *steps = malloc((p->E ? p->E : 1) * sizeof *steps);
    for (uint64_t k = 0; t && k < p->T; k++) t[k] = (double)(k * p->every) * p->dt;
    for (uint64_t k = 0; steps && k < p->E; k++) steps[k] = (uint64_t)p->steps[k];
    hsize_t dt[1] = {p->T}, de[1] = {p->E};
    hid_t st = H5Screate_simple(1, dt, NULL), se = H5Screate_simple(1, de, NULL), gc = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(gc, 1);
    hid_t a = H5Dcreate2(m, "time", H5T_NATIVE_DOUBLE, st, gc, H5P_DEFAULT, H5P_DEFAULT);
    hid_t b = H5Dcreate2(m, "episodes/return", H5T_NATIVE_DOUBLE, se, gc, H5P_DEFAULT, H5P_DEFAULT);
    hid_t c = H5Dcreate2(m, "episodes/steps", H5T_NATIVE_UINT64, se, gc, H5P_DEFAULT, H5P_DEFAULT);
    int rc = !t || !steps || a < 0 || b < 0 || c < 0 ||
             (p->T && H5Dwrite(a, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, t) < 0) ||
             (p->E && H5Dwrite(b, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, p->ret) < 0) ||
             (p->E && H5Dwrite(c, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, steps) < 0) ||
             h5util_put_str(m, "format", RECORD_FORMAT, e) || h5util_put_str(m, "kind", "run", e) ||
             h5util_put_str(m, "experiment", script ? script : "", e) ||
             h5util_put_str(m, "experiment_file", file ? file : "", e) ||
             h5util_put_str(m, "plugins", plugins ? plugins + 3 : "", e) || h5util_put_f64(m, "dt", p->dt, e) ||
             h5util_put_u64(m, "every", p->every, e);
    hid_t all[] = {a, b, c};
    for (int i = 0; i < 3; i++)
        if (all[i] >= 0) H5Dclose(all[i]);
    H5Sclose(st), H5Sclose(se), H5Pclose(gc);
    free(script), free(file), free(t), free(steps);
    return rc ? -1 : 0;
}

hid_t nwbread_recording(hid_t f, const char *path, errmsg *e) {
    char *id = read_str(f, "identifier"), *notes = read_str(f, "general/notes");
    int ours = id && !strncmp(id, NWB_ID_PREFIX, strlen(NWB_ID_PREFIX));
    free(id);
    nwb_eps p;
    memset(&p, 0, sizeof p);
    if (!ours || read_eps(f, path, notes, &p, e)) {
        if (!ours) errmsg_set(e, "%s: an NWB file animat did not write (its identifier does not start '%s'); animat "
                                 "reads back only its own exports", path, NWB_ID_PREFIX);
        free(notes), eps_free(&p);
        return -1;
    }
    static unsigned serial;
    char name[64];
    snprintf(name, sizeof name, "animat-nwb-%ld-%u.h5", (long)getpid(), serial++);
    hid_t fa = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_fapl_core(fa, 1 << 20, 0);
    hid_t m = H5Fcreate(name, H5F_ACC_TRUNC, H5P_DEFAULT, fa);
    H5Pclose(fa);
    int rc = m < 0 ? errmsg_set(e, "%s: cannot make the in-memory recording", path) : 0;
    if (!rc && write_meta(f, m, &p, notes, e)) rc = errmsg_set(e, "%s: cannot read the NWB file's metadata", path);
    const char *groups[] = {"processing/behavior", "processing/behavior/Position", "processing/circuits"};
    for (int i = 0; !rc && i < 3; i++) rc = series_of(f, m, groups[i], &p, path, e);
    if (!rc) rc = read_units(f, m, &p, path, e);
    free(notes), eps_free(&p);
    if (rc && m >= 0) H5Fclose(m);
    return rc ? -1 : m;
}
