/* record_block.c -- the two HDF5 write helpers every part of the recorder
 * uses (record_impl.h): a block into an extendible dataset, and why a
 * write failed. */
#include <errno.h>
#include <string.h>

#include "sim/record_impl.h"

int rec_write_block(hid_t d, int rank, const hsize_t *start, const hsize_t *count, hid_t type, const void *v) {
    hid_t sp = H5Dget_space(d);
    hsize_t dims[3];
    H5Sget_simple_extent_dims(sp, dims, NULL);
    H5Sclose(sp);
    int grow = 0;
    for (int i = 0; i < rank; i++)
        if (start[i] + count[i] > dims[i]) dims[i] = start[i] + count[i], grow = 1;
    if (grow && H5Dset_extent(d, dims) < 0) return -1;
    sp = H5Dget_space(d);
    hid_t mem = H5Screate_simple(rank, count, NULL);
    int rc = H5Sselect_hyperslab(sp, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
                     H5Dwrite(d, type, mem, sp, H5P_DEFAULT, v) < 0
                 ? -1
                 : 0;
    H5Sclose(mem);
    H5Sclose(sp);
    return rc;
}

const char *rec_why(void) { return errno ? strerror(errno) : "HDF5 write error (disk full?)"; }
