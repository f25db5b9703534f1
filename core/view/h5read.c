/* h5read.c -- see h5read.h. */
#include "view/h5read.h"

#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <hdf5.h>

#include "base/h5util.h"
#include "view/nwbread.h"

/* The strings of a string attribute (scalar or 1-D; fixed or variable
 * length): returns the count and sets *out (caller frees), or -1. */
static int attr_strings(hid_t attr, char ***out) {
    hid_t type = H5Aget_type(attr), space = H5Aget_space(attr);
    int n = -1;
    *out = NULL;
    if (type >= 0 && space >= 0 && H5Tget_class(type) == H5T_STRING) {
        hssize_t cnt = H5Sget_simple_extent_npoints(space);
        char **v = cnt >= 0 ? calloc((size_t)cnt + 1, sizeof *v) : NULL;
        if (v && H5Tis_variable_str(type) > 0) {
            hid_t mt = H5Tcopy(H5T_C_S1);
            H5Tset_size(mt, H5T_VARIABLE);
            H5Tset_cset(mt, H5Tget_cset(type)); /* ASCII and UTF-8 do not convert into each other */
            char **raw = calloc((size_t)cnt + 1, sizeof *raw);
            if (raw && H5Aread(attr, mt, raw) >= 0) {
                for (hssize_t i = 0; i < cnt; i++) v[i] = strdup(raw[i] ? raw[i] : "");
                H5Dvlen_reclaim(mt, space, H5P_DEFAULT, raw);
                n = (int)cnt;
            }
            free(raw);
            H5Tclose(mt);
        } else if (v) {
            size_t sz = H5Tget_size(type);
            hid_t mt = H5Tcopy(H5T_C_S1);
            H5Tset_size(mt, sz);
            H5Tset_cset(mt, H5Tget_cset(type));
            char *raw = calloc((size_t)cnt * sz + 1, 1);
            if (raw && H5Aread(attr, mt, raw) >= 0) {
                for (hssize_t i = 0; i < cnt; i++) v[i] = strndup(raw + (size_t)i * sz, sz);
                n = (int)cnt;
            }
            free(raw);
            H5Tclose(mt);
        }
        if (n < 0) free(v);
        else *out = v;
    }
    if (type >= 0) H5Tclose(type);
    if (space >= 0) H5Sclose(space);
    return n;
}

/* The strings of attribute NAME of object OBJ; count or -1 (absent). */
static int obj_strings(hid_t obj, const char *name, char ***out) {
    *out = NULL;
    if (H5Aexists(obj, name) <= 0) return -1;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a < 0) return -1;
    int n = attr_strings(a, out);
    H5Aclose(a);
    return n;
}

/* The string attribute NAME of OBJ (fixed or variable length), or NULL.
 * Caller frees. */
static char *obj_str(hid_t obj, const char *name) {
    return h5util_get_str(obj, name, NULL);
}

char *h5rec_attr_str(const h5rec *r, const char *name) {
    return obj_str((hid_t)r->file, name);
}

int h5rec_attr_num(const h5rec *r, const char *name, double *v) {
    return h5util_get_f64((hid_t)r->file, name, v, NULL);
}

int h5rec_attr_u64(const h5rec *r, const char *name, uint64_t *v) {
    return h5util_get_u64((hid_t)r->file, name, v, NULL);
}

int h5rec_has(const h5rec *r, const char *path) {
    hid_t f = (hid_t)r->file;
    /* H5Lexists needs every intermediate group to exist: check each prefix. */
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1;; p++) {
        char c = *p;
        if (c == '/' || c == '\0') {
            *p = '\0';
            if (H5Lexists(f, buf, H5P_DEFAULT) <= 0) return 0;
            if (!c) break;
            *p = c;
        }
    }
    H5O_info_t info;
    return H5Oget_info_by_name(f, path, &info, H5P_DEFAULT) >= 0 && info.type == H5O_TYPE_DATASET;
}

/* Length of a 1-D dataset, or 0. */
static uint64_t length_of(const h5rec *r, const char *path) {
    if (!h5rec_has(r, path)) return 0;
    hid_t d = H5Dopen2((hid_t)r->file, path, H5P_DEFAULT);
    hid_t s = d >= 0 ? H5Dget_space(d) : -1;
    hsize_t dim[3] = {0, 0, 0};
    int rank = s >= 0 ? H5Sget_simple_extent_dims(s, dim, NULL) : -1;
    if (s >= 0) H5Sclose(s);
    if (d >= 0) H5Dclose(d);
    return rank >= 1 ? dim[0] : 0;
}

/* The recording's description must be one a reader can trust: dt a
 * positive finite number of seconds, every at least 1, and each signal's
 * element names (when given) one per element. 0, or -1 with e set. */
static int check_meta(const h5rec *r, errmsg *e) {
    double dt;
    uint64_t every;
    if (!h5rec_attr_num(r, "dt", &dt) && !(isfinite(dt) && dt > 0))
        return errmsg_set(e, "%s: damaged recording: dt is %g, not a positive number of seconds", r->path, dt);
    if (H5Aexists((hid_t)r->file, "every") > 0 && (h5rec_attr_u64(r, "every", &every) || every == 0))
        return errmsg_set(e, "%s: damaged recording: every (the sampling interval) is not a whole number >= 1",
                          r->path);
    char **names;
    int n = h5rec_members(r, "/signals", &names, e), rc = n < 0 ? -1 : 0;
    for (int i = 0; !rc && i < n; i++) {
        char path[600], **v;
        snprintf(path, sizeof path, "/signals/%s", names[i]);
        hid_t d = h5rec_has(r, path) ? H5Dopen2((hid_t)r->file, path, H5P_DEFAULT) : -1;
        if (d < 0) continue;
        hid_t sp = H5Dget_space(d);
        hsize_t dim[3] = {0, 0, 0};
        int rank = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
        if (rank == 3) H5Sget_simple_extent_dims(sp, dim, NULL);
        if (sp >= 0) H5Sclose(sp);
        int k = obj_strings(d, "names", &v);
        H5Dclose(d);
        for (int j = 0; j < k; j++) free(v[j]);
        if (k >= 0) free(v);
        if (rank == 3 && k >= 0 && (uint64_t)k != dim[2])
            rc = errmsg_set(e, "%s: damaged recording: signal %s has %d element names for %llu elements", r->path,
                            names[i], k, (unsigned long long)dim[2]);
    }
    if (n >= 0) h5rec_names_free(names, n);
    return rc;
}

int h5rec_open(h5rec *r, const char *path, errmsg *e) {
    h5util_quiet(); /* our errors go through errmsg, not libhdf5's stack */
    memset(r, 0, sizeof *r);
    r->file = -1;
    struct stat st; /* a FIFO or device would block or never end: regular files only */
    if (stat(path, &st)) return errmsg_set(e, "%s: cannot read: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode)) return errmsg_set(e, "%s: not a regular file (expected an animat recording)", path);
    FILE *f = fopen(path, "rb");
    if (!f) return errmsg_set(e, "%s: cannot read: %s", path, strerror(errno));
    fclose(f);
    if (!h5util_is_hdf5(path)) return errmsg_set(e, "%s: not an HDF5 file (expected an animat recording)", path);
    hid_t fid = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (fid < 0) return errmsg_set(e, "%s: cannot open as HDF5", path);
    if (nwbread_is_nwb(fid)) { /* an NWB file animat exported: read back as a recording in memory */
        hid_t m = nwbread_recording(fid, path, e);
        H5Fclose(fid);
        if (m < 0) return -1;
        fid = m;
    }
    r->file = fid;
    char *fmt = obj_str(fid, "format");
    if (!fmt || strcmp(fmt, H5REC_FORMAT)) {
        char q[80];
        int rc = fmt ? errmsg_set(e, "%s: format '%s' is not " H5REC_FORMAT, path, errmsg_quote(fmt, q, sizeof q))
                     : errmsg_set(e, "%s: no root attribute 'format' (not an animat recording)", path);
        free(fmt);
        H5Fclose(fid);
        memset(r, 0, sizeof *r);
        return rc;
    }
    free(fmt);
    r->path = strdup(path);
    r->kind = obj_str(fid, "kind");
    if (!r->kind) r->kind = strdup("run");
    r->episodes = length_of(r, "/episodes/return");
    r->T = length_of(r, "/time");
    if (!r->path || !r->kind || check_meta(r, e)) {
        if (!r->path || !r->kind) errmsg_set(e, "out of memory");
        h5rec_close(r);
        return -1;
    }
    return 0;
}

void h5rec_close(h5rec *r) {
    if (r->path) H5Fclose((hid_t)r->file);
    free(r->path);
    free(r->kind);
    memset(r, 0, sizeof *r);
}

int h5rec_read(const h5rec *r, const char *path, h5array *a, errmsg *e) {
    memset(a, 0, sizeof *a);
    if (!h5rec_has(r, path)) return errmsg_set(e, "%s: no dataset %s", r->path, path);
    errmsg why;
    errmsg_clear(&why);
    int rank = 0;
    uint64_t dim[3] = {1, 1, 1};
    if (h5util_read_all((hid_t)r->file, path, &a->v, &rank, dim, &why))
        return errmsg_set(e, "%s: %s", r->path, why.msg);
    a->rank = (uint32_t)rank;
    for (int i = 0; i < 3; i++) a->dim[i] = dim[i];
    return 0;
}

int h5rec_read_drawn(const h5rec *r, const char *path, h5array *a, errmsg *e) {
    memset(a, 0, sizeof *a);
    if (!h5rec_has(r, path)) return errmsg_set(e, "%s: no dataset %s", r->path, path);
    hid_t d = H5Dopen2((hid_t)r->file, path, H5P_DEFAULT), sp = d < 0 ? -1 : H5Dget_space(d);
    hssize_t cells = sp < 0 ? -1 : H5Sget_simple_extent_npoints(sp);
    if (sp >= 0) H5Sclose(sp);
    if (d >= 0) H5Dclose(d);
    if (cells > (hssize_t)H5REC_MAX_CELLS)
        return errmsg_set(e, "%s: dataset %s has %lld values; plots and the report read at most %u", r->path, path,
                          (long long)cells, H5REC_MAX_CELLS);
    return h5rec_read(r, path, a, e);
}

void h5array_free(h5array *a) {
    free(a->v);
    memset(a, 0, sizeof *a);
}

int h5rec_members(const h5rec *r, const char *group, char ***names, errmsg *e) {
    errmsg le;
    errmsg_clear(&le);
    int n = h5util_members((hid_t)r->file, group, names, &le);
    return n < 0 ? errmsg_set(e, "%s: %s", r->path, le.msg) : n;
}

int h5rec_obj_strings(const h5rec *r, const char *path, const char *attr, char ***out) {
    *out = NULL;
    if (H5Lexists((hid_t)r->file, path, H5P_DEFAULT) <= 0) return -1; /* a one-level path, or its parent exists */
    hid_t o = H5Oopen((hid_t)r->file, path, H5P_DEFAULT);
    if (o < 0) return -1;
    int n = obj_strings(o, attr, out);
    H5Oclose(o);
    return n;
}

int h5rec_signals(const h5rec *r, char ***names, errmsg *e) { return h5rec_members(r, "/signals", names, e); }

void h5rec_names_free(char **names, int n) {
    for (int i = 0; names && i < n; i++) free(names[i]);
    free(names);
}

char *h5rec_find_signal(const h5rec *r, const char *pattern) {
    char **names;
    int n = h5rec_signals(r, &names, NULL);
    char *hit = NULL;
    for (int i = 0; i < n && !hit; i++)
        if (!fnmatch(pattern, names[i], 0)) hit = strdup(names[i]);
    h5rec_names_free(names, n < 0 ? 0 : n);
    return hit;
}

char *h5rec_find_signals(const h5rec *r, const char *pattern) {
    char **names;
    int n = h5rec_signals(r, &names, NULL);
    size_t len = 0;
    for (int i = 0; i < n; i++)
        if (!fnmatch(pattern, names[i], 0)) len += strlen(names[i]) + 1;
    char *out = len ? calloc(len, 1) : NULL;
    for (int i = 0; out && i < n; i++)
        if (!fnmatch(pattern, names[i], 0)) {
            if (out[0]) strcat(out, ",");
            strcat(out, names[i]);
        }
    h5rec_names_free(names, n < 0 ? 0 : n);
    return out;
}

/* "a, b, c" of the recorded signals, into buf. */
static const char *signal_list(const h5rec *r, char *buf, size_t cap) {
    char **names;
    int n = h5rec_signals(r, &names, NULL);
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        size_t len = strlen(buf);
        snprintf(buf + len, cap - len, "%s%s", i ? ", " : "", names[i]);
    }
    if (n <= 0) snprintf(buf, cap, "none");
    h5rec_names_free(names, n < 0 ? 0 : n);
    return buf;
}

uint64_t h5rec_signal_episodes(const h5rec *r, const char *name) {
    char path[600];
    snprintf(path, sizeof path, "/signals/%s", name);
    return length_of(r, path);
}

/* The dataset /signals/NAME, checked to be (E, T, n); or -1 with e set. */
static hid_t open_signal(const h5rec *r, const char *name, hsize_t dim[3], errmsg *e) {
    char path[600], list[400], q[80];
    snprintf(path, sizeof path, "/signals/%s", name);
    if (strchr(name, '/') || !h5rec_has(r, path))
        return errmsg_set(e, "%s: no signal '%s' (recorded: %s)", r->path, errmsg_quote(name, q, sizeof q),
                          signal_list(r, list, sizeof list));
    hid_t d = H5Dopen2((hid_t)r->file, path, H5P_DEFAULT);
    hid_t s = H5Dget_space(d);
    int rank = H5Sget_simple_extent_ndims(s);
    if (rank == 3) H5Sget_simple_extent_dims(s, dim, NULL);
    H5Sclose(s);
    if (rank != 3) {
        H5Dclose(d);
        return errmsg_set(e, "%s: signal %s has rank %d, expected (episodes, T, n)", r->path, name, rank);
    }
    return d;
}

int h5rec_signal_dims(const h5rec *r, const char *name, uint64_t dim[3], errmsg *e) {
    hsize_t d3[3] = {0, 0, 0};
    hid_t d = open_signal(r, name, d3, e);
    if (d < 0) return -1;
    hid_t t = H5Dget_type(d);
    H5T_class_t c = t >= 0 ? H5Tget_class(t) : H5T_NO_CLASS;
    if (t >= 0) H5Tclose(t);
    H5Dclose(d);
    if (c != H5T_FLOAT && c != H5T_INTEGER)
        return errmsg_set(e, "%s: signal %s is not numeric", r->path, name);
    for (int i = 0; i < 3; i++) dim[i] = d3[i];
    return 0;
}

/* Fill s->elems from the `names` attribute (or NAME[i]). 0 or -1. */
static int signal_elems(hid_t d, h5signal *s) {
    char **v;
    int n = obj_strings(d, "names", &v);
    if (n >= 0 && (uint64_t)n == s->n) {
        s->elems = v;
        return 0;
    }
    for (int i = 0; i < n; i++) free(v[i]);
    if (n >= 0) free(v);
    s->elems = calloc(s->n + 1, sizeof *s->elems);
    if (!s->elems) return -1;
    for (uint64_t i = 0; i < s->n; i++) {
        char buf[600];
        snprintf(buf, sizeof buf, "%s[%llu]", s->name, (unsigned long long)i);
        if (!(s->elems[i] = strdup(buf))) return -1;
    }
    return 0;
}

/* How read_signal treats a signal longer than max_T samples. */
enum { READ_REFUSE, READ_STRIDE, READ_ENVELOPE };

/* Read episode K of NAME: as it is up to max_T samples; above, refused
 * (READ_REFUSE), every stride-th sample (READ_STRIDE) or the min and max of
 * each run of stride samples (READ_ENVELOPE, at most max_T rows). */
static int read_signal(const h5rec *r, const char *name, uint64_t k, uint64_t max_T, int mode, h5signal *s,
                       errmsg *e);

int h5rec_signal(const h5rec *r, const char *name, uint64_t k, h5signal *s, errmsg *e) {
    return read_signal(r, name, k, H5REC_MAX_SAMPLES, READ_STRIDE, s, e);
}

int h5rec_signal_envelope(const h5rec *r, const char *name, uint64_t k, h5signal *s, errmsg *e) {
    return read_signal(r, name, k, H5REC_MAX_SAMPLES, READ_ENVELOPE, s, e);
}

int h5rec_signal_full(const h5rec *r, const char *name, uint64_t k, h5signal *s, errmsg *e) {
    return read_signal(r, name, k, H5REC_MAX_FULL_SAMPLES, READ_REFUSE, s, e);
}

/* Fold value v into the running extreme *m (NaN: none yet); NaNs (samples
 * after the episode ended) are skipped. */
static void fold_min(double *m, double v) {
    if (!isnan(v) && (isnan(*m) || v < *m)) *m = v;
}
static void fold_max(double *m, double v) {
    if (!isnan(v) && (isnan(*m) || v > *m)) *m = v;
}

/* Episode k of dataset d (dims dim) as rows (min, max) of each run of
 * `stride` samples into v (2 * ceil(dim[1] / stride) rows of dim[2]),
 * reading at most ENVELOPE_BLOCK values at a time. 0 or -1. */
#define ENVELOPE_BLOCK (1u << 20)
static int read_envelope(hid_t d, const hsize_t dim[3], uint64_t k, hsize_t stride, double *v) {
    hsize_t n = dim[2], nb = (dim[1] + stride - 1) / stride, rows = ENVELOPE_BLOCK / n ? ENVELOPE_BLOCK / n : 1;
    for (hsize_t i = 0; i < 2 * nb * n; i++) v[i] = NAN;
    double *buf = malloc((size_t)(rows * n) * sizeof *buf);
    hid_t fs = H5Dget_space(d);
    int rc = buf && fs >= 0 ? 0 : -1;
    for (hsize_t t0 = 0; !rc && t0 < dim[1]; t0 += rows) {
        hsize_t m = dim[1] - t0 < rows ? dim[1] - t0 : rows;
        hsize_t start[3] = {k, t0, 0}, count[3] = {1, m, n};
        hid_t ms = H5Screate_simple(3, count, NULL);
        rc = H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
                     H5Dread(d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, buf) < 0
                 ? -1
                 : 0;
        H5Sclose(ms);
        for (hsize_t t = 0; !rc && t < m; t++) {
            double *lo = v + 2 * ((t0 + t) / stride) * n, *hi = lo + n;
            for (hsize_t i = 0; i < n; i++) fold_min(&lo[i], buf[t * n + i]), fold_max(&hi[i], buf[t * n + i]);
        }
    }
    if (fs >= 0) H5Sclose(fs);
    free(buf);
    return rc;
}

static int read_signal(const h5rec *r, const char *name, uint64_t k, uint64_t max_T, int mode, h5signal *s,
                       errmsg *e) {
    memset(s, 0, sizeof *s);
    hsize_t dim[3];
    hid_t d = open_signal(r, name, dim, e);
    if (d < 0) return -1;
    if (dim[1] == 0 || dim[2] == 0) {
        H5Dclose(d);
        return errmsg_set(e, "%s: signal %s is empty (%llu samples of %llu elements)", r->path, name,
                          (unsigned long long)dim[1], (unsigned long long)dim[2]);
    }
    if (k >= dim[0]) {
        H5Dclose(d);
        return errmsg_set(e, "%s: signal %s has %llu episode%s; there is no episode %llu", r->path, name,
                          (unsigned long long)dim[0], dim[0] == 1 ? "" : "s", (unsigned long long)k + 1);
    }
    if (dim[2] > H5REC_MAX_ELEMS) {
        H5Dclose(d);
        return errmsg_set(e, "%s: signal %s has %llu elements per sample; at most %u are drawn", r->path, name,
                          (unsigned long long)dim[2], H5REC_MAX_ELEMS);
    }
    if (mode == READ_REFUSE && dim[1] > max_T) {
        H5Dclose(d);
        return errmsg_set(e, "%s: signal %s has %llu samples per episode; at most %llu are analysed", r->path, name,
                          (unsigned long long)dim[1], (unsigned long long)max_T);
    }
    /* more samples than drawn: every stride-th, or a (min, max) pair per
     * run of stride samples, so at most max_T rows */
    int env = mode == READ_ENVELOPE && dim[1] > max_T && dim[1] * dim[2] <= H5REC_MAX_ENVELOPE_VALUES;
    hsize_t per = env ? max_T / 2 : max_T, stride = dim[1] > max_T ? (dim[1] + per - 1) / per : 1;
    hsize_t T = (dim[1] + stride - 1) / stride * (env ? 2 : 1);
    if (T * dim[2] > H5REC_MAX_CELLS) { /* a declared shape, not data: a tiny chunked file can claim terabytes */
        H5Dclose(d);
        return errmsg_set(e, "%s: signal %s has %llu values per episode; at most %u are read", r->path, name,
                          (unsigned long long)(T * dim[2]), H5REC_MAX_CELLS);
    }
    s->name = strdup(name);
    s->T = T, s->n = dim[2], s->stride = stride, s->envelope = env;
    s->v = malloc(T * dim[2] * sizeof *s->v);
    int ok = s->name && s->v;
    if (ok && env) {
        ok = !read_envelope(d, dim, k, stride, s->v);
    } else if (ok) {
        hsize_t start[3] = {k, 0, 0}, count[3] = {1, T, dim[2]}, step[3] = {1, stride, 1};
        hid_t fs = H5Dget_space(d), ms = H5Screate_simple(3, count, NULL);
        H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, step, count, NULL);
        ok = H5Dread(d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, s->v) >= 0;
        H5Sclose(ms);
        H5Sclose(fs);
    }
    if (ok) ok = !signal_elems(d, s);
    s->unit = obj_str(d, "unit");
    s->direction = obj_str(d, "direction");
    if (!s->unit) s->unit = strdup("");
    if (!s->direction) s->direction = strdup("");
    H5Dclose(d);
    if (!ok || !s->unit || !s->direction) {
        h5signal_free(s);
        return errmsg_set(e, "%s: cannot read signal %s", r->path, name);
    }
    return 0;
}

int h5rec_read_every(const h5rec *r, const char *path, uint64_t stride, uint64_t count, double *out) {
    if (!h5rec_has(r, path) || !count || !stride) return -1;
    hid_t d = H5Dopen2((hid_t)r->file, path, H5P_DEFAULT), fs = d < 0 ? -1 : H5Dget_space(d);
    hsize_t len = 0;
    int ok = fs >= 0 && H5Sget_simple_extent_ndims(fs) == 1 && H5Sget_simple_extent_dims(fs, &len, NULL) == 1 &&
             (len - 1) / stride + 1 >= count;
    if (ok) {
        hsize_t start = 0, step = stride, n = count;
        hid_t ms = H5Screate_simple(1, &n, NULL);
        ok = H5Sselect_hyperslab(fs, H5S_SELECT_SET, &start, &step, &n, NULL) >= 0 &&
             H5Dread(d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, out) >= 0;
        H5Sclose(ms);
    }
    if (fs >= 0) H5Sclose(fs);
    if (d >= 0) H5Dclose(d);
    return ok ? 0 : -1;
}

void h5signal_free(h5signal *s) {
    for (uint64_t i = 0; s->elems && i < s->n; i++) free(s->elems[i]);
    free(s->elems);
    free(s->name);
    free(s->v);
    free(s->unit);
    free(s->direction);
    memset(s, 0, sizeof *s);
}
