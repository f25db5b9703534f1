/* h5spikes.c -- see h5spikes.h. */
#include "view/h5spikes.h"

#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *h5spikes_list(const h5rec *r) {
    char **names;
    errmsg e = {0};
    int n = h5rec_members(r, "/spikes", &names, &e);
    if (n <= 0) {
        if (n == 0) h5rec_names_free(names, n);
        return NULL;
    }
    size_t len = 1;
    for (int i = 0; i < n; i++) len += strlen(names[i]) + 8;
    char *s = calloc(1, len);
    for (int i = 0; s && i < n; i++) snprintf(s + strlen(s), len - strlen(s), "%s%s.spikes", i ? "," : "", names[i]);
    h5rec_names_free(names, n);
    return s;
}

/* `count` values of the dataset at path from `start` of dims (rank 1 or
 * 2, given in full) as `type` into out. 0 or -1. */
static int read_slab(const h5rec *r, const char *path, int rank, const hsize_t *start, const hsize_t *count,
                     hid_t type, void *out) {
    hid_t d = H5Dopen2((hid_t)r->file, path, H5P_DEFAULT), sp = d < 0 ? -1 : H5Dget_space(d);
    hsize_t dim[2] = {0, 0};
    int ok = sp >= 0 && H5Sget_simple_extent_ndims(sp) == rank && H5Sget_simple_extent_dims(sp, dim, NULL) == rank;
    for (int i = 0; ok && i < rank; i++) ok = start[i] + count[i] <= dim[i];
    hid_t mem = ok ? H5Screate_simple(rank, count, NULL) : -1;
    ok = ok && mem >= 0 && H5Sselect_hyperslab(sp, H5S_SELECT_SET, start, NULL, count, NULL) >= 0 &&
         H5Dread(d, type, mem, sp, H5P_DEFAULT, out) >= 0;
    if (mem >= 0) H5Sclose(mem);
    if (sp >= 0) H5Sclose(sp);
    if (d >= 0) H5Dclose(d);
    return ok ? 0 : -1;
}

/* The group name of `name` ("net.spikes" or "net") into buf. */
static void group_of(const char *name, char *buf, size_t cap) {
    size_t n = strlen(name);
    if (n > 7 && !strcmp(name + n - 7, ".spikes")) n -= 7;
    snprintf(buf, cap, "%.*s", (int)n, name);
}

/* Unit names (attribute `names` of the group, one per column), row k of
 * the index and the episode's length into s. 0 or -1 with e set. */
static int read_rows(const h5rec *r, const char *grp, uint64_t k, h5spikes *s, errmsg *e) {
    char path[600];
    snprintf(path, sizeof path, "%s/spike_times_index", grp);
    hid_t d = H5Dopen2((hid_t)r->file, path, H5P_DEFAULT), sp = d < 0 ? -1 : H5Dget_space(d);
    hsize_t dim[2] = {0, 0};
    int rank = sp >= 0 ? H5Sget_simple_extent_dims(sp, dim, NULL) : -1;
    if (sp >= 0) H5Sclose(sp);
    if (d >= 0) H5Dclose(d);
    if (rank != 2 || dim[1] == 0 || dim[1] > H5REC_MAX_ELEMS)
        return errmsg_set(e, "%s: %s is not an (episodes, units) index of at most %u units", r->path, path,
                          H5REC_MAX_ELEMS);
    if (k >= dim[0])
        return errmsg_set(e, "%s: episode %llu of %llu", r->path, (unsigned long long)k + 1,
                          (unsigned long long)dim[0]);
    s->units = (uint32_t)dim[1];
    int n = h5rec_obj_strings(r, grp, "names", &s->names);
    if (n != (int)s->units) {
        if (n >= 0) h5rec_names_free(s->names, n);
        s->names = NULL;
        return errmsg_set(e, "%s: %s has %d unit names for %u units", r->path, grp, n, s->units);
    }
    s->first = calloc(s->units + 1u, sizeof *s->first);
    if (!s->first) return errmsg_set(e, "out of memory");
    hsize_t st[2] = {k, 0}, ct[2] = {1, s->units}, st0[2] = {k ? k - 1 : 0, s->units - 1}, c1[2] = {1, 1};
    if (read_slab(r, path, 2, st, ct, H5T_NATIVE_UINT64, s->first + 1) ||
        (k && read_slab(r, path, 2, st0, c1, H5T_NATIVE_UINT64, s->first)))
        return errmsg_set(e, "%s: cannot read %s", r->path, path);
    h5array steps;
    double dt = 0;
    errmsg why = {0};
    if (h5rec_read(r, "/episodes/steps", &steps, &why) == 0) {
        if (k < steps.dim[0] && h5rec_attr_num(r, "dt", &dt) == 0) s->end = steps.v[k] * dt;
        h5array_free(&steps);
    }
    return 0;
}

int h5spikes_read(const h5rec *r, const char *name, uint64_t k, h5spikes *s, errmsg *e) {
    memset(s, 0, sizeof *s);
    char grp[400];
    group_of(name, grp + 8, sizeof grp - 8);
    memcpy(grp, "/spikes/", 8);
    if (H5Lexists((hid_t)r->file, "/spikes", H5P_DEFAULT) <= 0 || H5Lexists((hid_t)r->file, grp, H5P_DEFAULT) <= 0) {
        char *list = h5spikes_list(r);
        errmsg_set(e, "%s: no spike times '%s' (recorded: %s)", r->path, name, list ? list : "none");
        free(list);
        return -1;
    }
    int rc = asprintf(&s->name, "%s.spikes", grp + 8) < 0 ? (s->name = NULL, errmsg_set(e, "out of memory"))
                                                           : read_rows(r, grp, k, s, e);
    uint64_t a = s->first ? s->first[0] : 0, b = s->first ? s->first[s->units] : 0;
    for (uint32_t u = 0; !rc && u < s->units; u++)
        if (s->first[u + 1] < s->first[u]) rc = errmsg_set(e, "%s: %s/spike_times_index decreases", r->path, grp);
    if (!rc && b - a > H5SPIKES_MAX)
        rc = errmsg_set(e, "%s: episode %llu of %s has %llu spikes; a raster reads at most %u", r->path,
                        (unsigned long long)k + 1, s->name, (unsigned long long)(b - a), H5SPIKES_MAX);
    if (!rc && !(s->t = malloc((size_t)(b - a + 1) * sizeof *s->t))) rc = errmsg_set(e, "out of memory");
    char path[600];
    snprintf(path, sizeof path, "%s/spike_times", grp);
    hsize_t st[1] = {a}, ct[1] = {b - a};
    if (!rc && b > a && read_slab(r, path, 1, st, ct, H5T_NATIVE_DOUBLE, s->t))
        rc = errmsg_set(e, "%s: cannot read %s[%llu..%llu)", r->path, path, (unsigned long long)a,
                        (unsigned long long)b);
    for (uint32_t u = 0; !rc && u <= s->units; u++) s->first[u] -= a;
    if (rc) h5spikes_free(s);
    return rc ? -1 : 0;
}

void h5spikes_free(h5spikes *s) {
    if (s->names) h5rec_names_free(s->names, (int)s->units);
    free(s->name), free(s->first), free(s->t);
    memset(s, 0, sizeof *s);
}
