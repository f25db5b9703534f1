/* record_params.c -- what a train recording says about its result:
 * /parameters (initial and learned graph theta, with names) and the role of
 * the /episodes (see record_parameters, record_role in record.h). */
#include <errno.h>
#include <stdlib.h>

#include "base/h5util.h"
#include "sim/record.h"
#include "sim/record_impl.h"

/* A plain 1-D double dataset /parameters/NAME of n values with the entry
 * names as its attribute `names`. 0 or -1 with e set. */
static int put_vector(sim_record *r, const char *path, const char *const *names, const double *v, uint32_t n,
                      errmsg *e) {
    hsize_t dims[1] = {n};
    errno = 0;
    hid_t sp = H5Screate_simple(1, dims, NULL), lc = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lc, 1);
    hid_t d = H5Dcreate2(r->file, path, H5T_NATIVE_DOUBLE, sp, lc, H5P_DEFAULT, H5P_DEFAULT);
    int rc = d < 0 || (n && H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) ||
             h5util_put_strs(d, "names", names, n, e);
    if (d >= 0) H5Dclose(d);
    H5Pclose(lc);
    H5Sclose(sp);
    return rc ? errmsg_set(e, "%s: cannot write /%s: %s", r->af.tmp, path, rec_why()) : 0;
}

int record_parameters(sim_record *r, const char *const *names, const double *initial, const double *learned,
                      uint32_t n, errmsg *e) {
    if (recwriter_wait(r)) return errmsg_set(e, "%s", r->err); /* libhdf5 is used by one thread at a time */
    return put_vector(r, "parameters/initial", names, initial, n, e) ||
                   put_vector(r, "parameters/learned", names, learned, n, e)
               ? -1
               : 0;
}

int record_role(sim_record *r, const char *role, uint64_t episodes, double mean, errmsg *e) {
    if (recwriter_wait(r)) return errmsg_set(e, "%s", r->err);
    hid_t g = H5Gopen2(r->file, "episodes", H5P_DEFAULT);
    if (g < 0) return errmsg_set(e, "%s: no /episodes group to describe", r->af.tmp);
    int rc = h5util_put_str(g, "role", role, e) || h5util_put_u64(g, "heldout_episodes", episodes, e) ||
             h5util_put_f64(g, "heldout_mean", mean, e);
    H5Gclose(g);
    return rc ? -1 : 0;
}
