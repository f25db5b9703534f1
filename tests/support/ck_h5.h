/* ck_h5.h -- read a dataset of an HDF5 file whole, for Check suites that
 * look inside recordings (header-only: the suite links HDF5). */
#ifndef CK_H5_H
#define CK_H5_H

#include <hdf5.h>
#include <stdlib.h>

/* Dataset `name` of file `path` as doubles, whole (caller frees); its
 * dimensions into dims (1 past its rank) and its rank into *rank (may be
 * NULL). Fails the test when the file or dataset cannot be read. */
static inline double *ck_h5_read(const char *path, const char *name, hsize_t dims[3], int *rank) {
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    ck_assert_msg(f >= 0, "cannot open %s", path);
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
    ck_assert_msg(d >= 0, "%s has no dataset %s", path, name);
    hid_t sp = H5Dget_space(d);
    int r = H5Sget_simple_extent_ndims(sp);
    ck_assert_msg(r >= 0 && r <= 3, "%s: dataset %s has rank %d", path, name, r);
    dims[0] = dims[1] = dims[2] = 1;
    H5Sget_simple_extent_dims(sp, dims, NULL);
    if (rank) *rank = r;
    double *v = malloc(dims[0] * dims[1] * dims[2] * sizeof *v + 8);
    ck_assert_ptr_nonnull(v);
    ck_assert_int_ge(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v), 0);
    H5Sclose(sp);
    H5Dclose(d);
    H5Fclose(f);
    return v;
}

#endif
