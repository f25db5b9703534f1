/* nwb_h5.c -- see nwb_h5.h. */
#include "sim/nwb_h5.h"

#include <stdio.h>
#include <string.h>

#include "base/hash.h"

/* A variable-length UTF-8 string type; close with H5Tclose. */
static hid_t vstr(void) {
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

hid_t nwb_group(nwb_h5 *w, const char *path, const char *ns, const char *type) {
    hid_t g = H5Gcreate2(w->file, path, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g >= 0 && type && nwb_typed(w, g, path, ns, type)) {
        H5Gclose(g);
        return -1;
    }
    return g;
}

int nwb_typed(nwb_h5 *w, hid_t obj, const char *path, const char *ns, const char *type) {
    uint64_t a = hash_fnv(w->seed, path, strlen(path)), b = hash_fnv(a ^ 0x9e3779b97f4a7c15ull, type, strlen(type));
    char id[40];
    snprintf(id, sizeof id, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(a >> 32), (unsigned)(a >> 16) & 0xffffu,
             (unsigned)a & 0xfffu, (unsigned)(0x8000u | ((b >> 48) & 0x3fffu)),
             (unsigned long long)(b & 0xffffffffffffull));
    return nwb_attr_str(obj, "neurodata_type", type) || nwb_attr_str(obj, "namespace", ns) ||
           nwb_attr_str(obj, "object_id", id);
}

/* Attribute `name` of `type` and `space` holding v. 0 or -1. */
static int put_attr(hid_t obj, const char *name, hid_t type, hid_t space, const void *v) {
    hid_t a = space >= 0 ? H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT) : -1;
    int rc = a < 0 || H5Awrite(a, type, v) < 0 ? -1 : 0;
    if (a >= 0) H5Aclose(a);
    if (space >= 0) H5Sclose(space);
    return rc;
}

int nwb_attr_str(hid_t obj, const char *name, const char *v) {
    hid_t t = vstr();
    int rc = put_attr(obj, name, t, H5Screate(H5S_SCALAR), &v);
    H5Tclose(t);
    return rc;
}

int nwb_attr_strs(hid_t obj, const char *name, const char *const *v, uint32_t n) {
    hid_t t = vstr();
    hsize_t d[1] = {n};
    int rc = put_attr(obj, name, t, H5Screate_simple(1, d, NULL), v);
    H5Tclose(t);
    return rc;
}

int nwb_attr_f32(hid_t obj, const char *name, double v) {
    float f = (float)v;
    return put_attr(obj, name, H5T_IEEE_F32LE, H5Screate(H5S_SCALAR), &f);
}

int nwb_attr_i32(hid_t obj, const char *name, int32_t v) {
    return put_attr(obj, name, H5T_STD_I32LE, H5Screate(H5S_SCALAR), &v);
}

int nwb_attr_ref(hid_t file, hid_t obj, const char *name, const char *target) {
    hobj_ref_t ref;
    if (H5Rcreate(&ref, file, target, H5R_OBJECT, -1) < 0) return -1;
    return put_attr(obj, name, H5T_STD_REF_OBJ, H5Screate(H5S_SCALAR), &ref);
}

/* Dataset `name` of `type` and `space` holding v (NULL: unwritten). */
static hid_t put_ds(hid_t at, const char *name, hid_t type, hid_t space, hid_t pl, const void *v) {
    hid_t d = space >= 0 ? H5Dcreate2(at, name, type, space, H5P_DEFAULT, pl, H5P_DEFAULT) : -1;
    if (d >= 0 && v && H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
        H5Dclose(d);
        d = -1;
    }
    if (space >= 0) H5Sclose(space);
    return d;
}

hid_t nwb_ds_str(hid_t at, const char *name, const char *v) {
    hid_t t = vstr(), d = put_ds(at, name, t, H5Screate(H5S_SCALAR), H5P_DEFAULT, &v);
    H5Tclose(t);
    return d;
}

hid_t nwb_ds_strs(hid_t at, const char *name, const char *const *v, uint64_t n) {
    hsize_t dim[1] = {n};
    hid_t t = vstr(), d = put_ds(at, name, t, H5Screate_simple(1, dim, NULL), H5P_DEFAULT, v);
    H5Tclose(t);
    return d;
}

hid_t nwb_ds_f64(hid_t at, const char *name, double v) {
    return put_ds(at, name, H5T_IEEE_F64LE, H5Screate(H5S_SCALAR), H5P_DEFAULT, &v);
}

hid_t nwb_ds_array(hid_t at, const char *name, int rank, const hsize_t *dims, hid_t type, const void *v) {
    hid_t pl = H5Pcreate(H5P_DATASET_CREATE);
    hsize_t chunk[2] = {dims[0] < 4096 ? dims[0] : 4096, rank > 1 ? dims[1] : 1};
    if (dims[0] > 0 && (rank == 1 || dims[1] > 0) && dims[0] * (rank > 1 ? dims[1] : 1) >= 1024) {
        H5Pset_chunk(pl, rank, chunk);
        H5Pset_shuffle(pl);
        H5Pset_deflate(pl, 4);
    }
    hid_t d = put_ds(at, name, type, H5Screate_simple(rank, dims, NULL), pl, v);
    H5Pclose(pl);
    return d;
}

int nwb_ds_rows(hid_t d, uint64_t start, uint64_t rows, const double *v) {
    if (rows == 0) return 0;
    hid_t sp = H5Dget_space(d);
    hsize_t dim[2] = {0, 1};
    int rank = H5Sget_simple_extent_dims(sp, dim, NULL);
    hsize_t st[2] = {start, 0}, ct[2] = {rows, rank > 1 ? dim[1] : 1};
    hid_t mem = H5Screate_simple(rank, ct, NULL);
    int rc = H5Sselect_hyperslab(sp, H5S_SELECT_SET, st, NULL, ct, NULL) < 0 ||
                     H5Dwrite(d, H5T_NATIVE_DOUBLE, mem, sp, H5P_DEFAULT, v) < 0
                 ? -1
                 : 0;
    H5Sclose(mem);
    H5Sclose(sp);
    return rc;
}
