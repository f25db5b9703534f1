/* h5util.c -- see h5util.h. */
#include "base/h5util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void h5util_init(void) {
    H5dont_atexit();
    h5util_quiet();
}

void h5util_quiet(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

/* Create attribute `name` of `type` on obj over a scalar or 1-D space and
 * write `buf`. */
static int put(hid_t obj, const char *name, hid_t type, hsize_t n, const void *buf, errmsg *e) {
    hid_t space = n ? H5Screate_simple(1, &n, NULL) : H5Screate(H5S_SCALAR);
    hid_t a = space < 0 ? -1 : H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    int rc = a < 0 || H5Awrite(a, type, buf) < 0 ? -1 : 0;
    if (a >= 0) H5Aclose(a);
    if (space >= 0) H5Sclose(space);
    return rc ? errmsg_set(e, "cannot write HDF5 attribute '%s'", name) : 0;
}

int h5util_put_str(hid_t obj, const char *name, const char *value, errmsg *e) {
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, strlen(value) + 1);
    H5Tset_strpad(t, H5T_STR_NULLTERM);
    H5Tset_cset(t, H5T_CSET_UTF8);
    int rc = put(obj, name, t, 0, value, e);
    H5Tclose(t);
    return rc;
}

int h5util_put_u64(hid_t obj, const char *name, uint64_t value, errmsg *e) {
    return put(obj, name, H5T_NATIVE_UINT64, 0, &value, e);
}

int h5util_put_f64(hid_t obj, const char *name, double value, errmsg *e) {
    return put(obj, name, H5T_NATIVE_DOUBLE, 0, &value, e);
}

int h5util_put_strs(hid_t obj, const char *name, const char *const *v, uint32_t n, errmsg *e) {
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    int rc = put(obj, name, t, n, v, e);
    H5Tclose(t);
    return rc;
}

/* Read a variable-length scalar string attribute. */
static char *get_vlen(hid_t a, hid_t t) {
    char *v = NULL, *out = NULL;
    hid_t mt = H5Tget_native_type(t, H5T_DIR_ASCEND);
    if (H5Aread(a, mt, &v) >= 0 && v) out = strdup(v);
    if (v) H5free_memory(v);
    H5Tclose(mt);
    return out;
}

char *h5util_get_str(hid_t obj, const char *name, errmsg *e) {
    if (H5Aexists(obj, name) <= 0) {
        errmsg_set(e, "no attribute '%s'", name);
        return NULL;
    }
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT), t = a < 0 ? -1 : H5Aget_type(a);
    char *out = NULL;
    if (t >= 0 && H5Tget_class(t) == H5T_STRING) {
        if (H5Tis_variable_str(t) > 0) {
            out = get_vlen(a, t);
        } else {
            size_t n = H5Tget_size(t);
            out = calloc(1, n + 1);
            if (out && H5Aread(a, t, out) < 0) {
                free(out);
                out = NULL;
            }
        }
    }
    if (t >= 0) H5Tclose(t);
    if (a >= 0) H5Aclose(a);
    if (!out) errmsg_set(e, "attribute '%s' is not a readable string", name);
    return out;
}

/* Read a numeric scalar attribute as `mem` type. */
static int get_num(hid_t obj, const char *name, hid_t mem, void *out, errmsg *e) {
    if (H5Aexists(obj, name) <= 0) return errmsg_set(e, "no attribute '%s'", name);
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT), t = a < 0 ? -1 : H5Aget_type(a);
    int ok = t >= 0 && (H5Tget_class(t) == H5T_INTEGER || H5Tget_class(t) == H5T_FLOAT) && H5Aread(a, mem, out) >= 0;
    if (t >= 0) H5Tclose(t);
    if (a >= 0) H5Aclose(a);
    return ok ? 0 : errmsg_set(e, "attribute '%s' is not a number", name);
}

int h5util_get_u64(hid_t obj, const char *name, uint64_t *out, errmsg *e) {
    return get_num(obj, name, H5T_NATIVE_UINT64, out, e);
}

int h5util_get_f64(hid_t obj, const char *name, double *out, errmsg *e) {
    return get_num(obj, name, H5T_NATIVE_DOUBLE, out, e);
}

int h5util_cells(const uint64_t *dims, int rank, size_t *cells, errmsg *e) {
    uint64_t n = 1;
    for (int i = 0; i < rank; i++) {
        if (dims[i] && n > (SIZE_MAX / sizeof(double)) / dims[i])
            return errmsg_set(e, "dataset too large to read (%d dims, %llu x ...)", rank, (unsigned long long)dims[0]);
        n *= dims[i];
    }
    *cells = (size_t)n;
    return 0;
}

int h5util_read_all(hid_t file, const char *path, double **out, int *rank, uint64_t dims[3], errmsg *e) {
    *out = NULL;
    if (H5Lexists(file, path, H5P_DEFAULT) <= 0) return errmsg_set(e, "no dataset '%s'", path);
    hid_t d = H5Dopen2(file, path, H5P_DEFAULT), sp = d < 0 ? -1 : H5Dget_space(d);
    int r = sp < 0 ? -1 : H5Sget_simple_extent_ndims(sp);
    hsize_t hd[3] = {1, 1, 1};
    size_t n = 1;
    if (r >= 1 && r <= 3) {
        H5Sget_simple_extent_dims(sp, hd, NULL);
        for (int i = 0; i < r; i++) dims[i] = hd[i];
        *rank = r;
        if (h5util_cells(dims, r, &n, NULL) || n > H5UTIL_MAX_CELLS) {
            H5Sclose(sp), H5Dclose(d);
            return errmsg_set(e, "dataset '%s' is too large to read", path);
        }
        *out = malloc((n ? n : 1) * sizeof **out);
    }
    int ok = *out && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, *out) >= 0;
    if (sp >= 0) H5Sclose(sp);
    if (d >= 0) H5Dclose(d);
    if (ok) return 0;
    free(*out);
    *out = NULL;
    return errmsg_set(e, "dataset '%s' is not a readable numeric array of rank 1 to 3", path);
}

int h5util_is_hdf5(const char *path) { return H5Fis_hdf5(path) > 0; }

/* H5Literate callback: append each member name to the NULL-terminated list. */
static herr_t add_member(hid_t g, const char *name, const H5L_info_t *info, void *op) {
    (void)g, (void)info;
    char ***list = op;
    size_t n = 0;
    while ((*list)[n]) n++;
    char **grown = realloc(*list, (n + 2) * sizeof **list);
    if (!grown) return -1;
    *list = grown;
    grown[n] = strdup(name);
    grown[n + 1] = NULL;
    return grown[n] ? 0 : -1;
}

int h5util_members(hid_t file, const char *group, char ***names, errmsg *e) {
    if (!(*names = calloc(1, sizeof **names))) return errmsg_set(e, "out of memory");
    if (H5Lexists(file, group, H5P_DEFAULT) <= 0) return 0;
    hid_t g = H5Gopen2(file, group, H5P_DEFAULT);
    hsize_t idx = 0;
    herr_t rc = g >= 0 ? H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &idx, add_member, names) : -1;
    if (g >= 0) H5Gclose(g);
    if (rc < 0) {
        h5util_names_free(*names);
        *names = NULL;
        return errmsg_set(e, "cannot list %s", group);
    }
    int n = 0;
    while ((*names)[n]) n++;
    return n;
}

void h5util_names_free(char **names) {
    for (size_t i = 0; names && names[i]; i++) free(names[i]);
    free(names);
}
