/* nwb_h5.h -- the HDF5 idioms of an NWB 2.x file (nwb_export.c): typed
 * groups and datasets (neurodata_type, namespace, object_id attributes),
 * variable-length UTF-8 strings as NWB's `text`, float32/int32 attributes
 * and object references. Writes only; every function returns 0 or -1
 * (after which the caller names the object that failed). One thread.
 *
 * object_id: a UUID (version-4 layout) derived from the file's identifier
 * and the object's path with FNV-1a, so that the same recording exports to
 * the same bytes' worth of ids (no random source needed).
 */
#ifndef NWB_H5_H
#define NWB_H5_H

#include <hdf5.h>
#include <stdint.h>

typedef struct nwb_h5 {
    hid_t file;
    uint64_t seed;        /* hash of the identifier: object_id stream */
} nwb_h5;

/* A group at path (parents must exist), typed when type != NULL (ns: "core"
 * or "hdmf-common"). The open group, or -1. */
hid_t nwb_group(nwb_h5 *w, const char *path, const char *ns, const char *type);

/* Mark an object with neurodata_type, namespace and object_id. 0 or -1. */
int nwb_typed(nwb_h5 *w, hid_t obj, const char *path, const char *ns, const char *type);

/* Attributes: a UTF-8 string, n strings (1-D), float32, int32, a
 * reference to the object at `target`. 0 or -1. */
int nwb_attr_str(hid_t obj, const char *name, const char *v);
int nwb_attr_strs(hid_t obj, const char *name, const char *const *v, uint32_t n);
int nwb_attr_f32(hid_t obj, const char *name, double v);
int nwb_attr_i32(hid_t obj, const char *name, int32_t v);
int nwb_attr_ref(hid_t file, hid_t obj, const char *name, const char *target);

/* Datasets under `at` named `name`: a scalar string, n strings (1-D), a
 * scalar double, and an array of `rank` dims of `type` (deflated when
 * large). The open dataset, or -1; close it with H5Dclose. */
hid_t nwb_ds_str(hid_t at, const char *name, const char *v);
hid_t nwb_ds_strs(hid_t at, const char *name, const char *const *v, uint64_t n);
hid_t nwb_ds_f64(hid_t at, const char *name, double v);
hid_t nwb_ds_array(hid_t at, const char *name, int rank, const hsize_t *dims, hid_t type, const void *v);

/* Write `rows` rows at row `start` of a 1- or 2-D dataset made by
 * nwb_ds_array with v NULL. 0 or -1. */
int nwb_ds_rows(hid_t d, uint64_t start, uint64_t rows, const double *v);

#endif
