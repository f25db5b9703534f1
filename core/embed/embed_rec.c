/* embed_rec.c -- animat_rec (animat/embed.h): an HDF5 recording
 * (docs/recording.md) read through libhdf5, for programs without an HDF5
 * binding of their own (Python without h5py).
 *
 * Open lists every dataset once (H5Ovisit: name order, each object once,
 * as h5py's visititems); attributes are read per object on request; a
 * dataset is read whole into the caller's buffer. What the library itself
 * allocates from a file's declarations is bounded (REC_MAX_*): a hostile
 * file gets one line, never a huge allocation. Thread: one at a time per
 * handle (libhdf5 serialises its own calls). */
#include "embed/embed_impl.h"

#include "base/h5util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define REC_MAX_DATASETS 65536u        /* datasets listed */
#define REC_MAX_ATTRS 4096u            /* attributes of one object */
#define REC_MAX_ATTR_BYTES (64u << 20) /* their values together */
#define REC_MAX_ATTR_COUNT (1u << 20)  /* values of one attribute */

struct animat_rec {
    hid_t file;
    char *path;                /* owned */
    errmsg e;
    animat_rec_dataset *sets;  /* nsets (capacity cap); names owned */
    uint32_t nsets, cap;
    hid_t *types;              /* nsets: each dataset's memory type (H5T_NATIVE_*), or -1 */
    animat_rec_attribute *attrs;    /* of the last animat_rec_attrs object; names and values owned */
    uint32_t nattrs;
};

/* Set r->e ("PATH: ...") and return code. */
__attribute__((format(printf, 3, 4))) static int rec_fail(animat_rec *r, int code, const char *fmt, ...) {
    char what[sizeof r->e.msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    errmsg_set(&r->e, "%s: %s", r->path, what);
    return code;
}

/* H5Ewalk2 callback: keep the innermost error's description. */
static herr_t first_error(unsigned n, const H5E_error2_t *err, void *op) {
    if (n == 0 && err->desc) snprintf(op, 256, "%s", err->desc);
    return 0;
}

/* Why libhdf5's last call on this thread failed, in its own words ("truncated
 * file: eof = 700000, ..."), or "a damaged file?" when it said nothing. */
static const char *h5_reason(char buf[256]) {
    buf[0] = '\0';
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, first_error, buf);
    for (char *c = buf; *c; c++)
        if (*c == '\n') *c = ' ';
    if (!buf[0]) snprintf(buf, 256, "a damaged file?");
    return buf;
}

/* The value type of an HDF5 type, and the native memory type it is read as. */
static uint32_t value_type(hid_t t, hid_t *mem) {
    *mem = -1;
    switch (H5Tget_class(t)) {
    case H5T_FLOAT: *mem = H5T_NATIVE_DOUBLE; return ANIMAT_REC_F64;
    case H5T_INTEGER:
        if (H5Tget_sign(t) == H5T_SGN_NONE) {
            *mem = H5T_NATIVE_UINT64;
            return ANIMAT_REC_U64;
        }
        *mem = H5T_NATIVE_INT64;
        return ANIMAT_REC_I64;
    case H5T_STRING: return ANIMAT_REC_TEXT;
    default: return ANIMAT_REC_OTHER;
    }
}

/* A dataspace's rank and dims; -2 for a rank over ANIMAT_REC_MAX_RANK, -1 unreadable. */
static int space_dims(hid_t sp, uint64_t *dims) {
    int rank = H5Sget_simple_extent_ndims(sp);
    if (rank > (int)ANIMAT_REC_MAX_RANK) return -2;
    if (rank < 0) return -1;
    hsize_t d[ANIMAT_REC_MAX_RANK];
    if (H5Sget_simple_extent_dims(sp, d, NULL) < 0) return -1;
    for (int i = 0; i < rank; i++) dims[i] = d[i];
    return rank;
}

/* Room for one more dataset. 0, or -1 (out of memory). */
static int grow(animat_rec *r) {
    if (r->nsets < r->cap) return 0;
    uint32_t cap = r->cap ? 2 * r->cap : 16;
    animat_rec_dataset *sets = realloc(r->sets, cap * sizeof *sets);
    if (sets) r->sets = sets;
    hid_t *types = sets ? realloc(r->types, cap * sizeof *types) : NULL;
    if (types) r->types = types;
    if (!sets || !types) return errmsg_set(&r->e, "out of memory");
    r->cap = cap;
    return 0;
}

/* One dataset into the list. 0, or -1 (out of memory, unreadable). */
static int add_dataset(animat_rec *r, hid_t obj, const char *name) {
    if (grow(r)) return -1;
    hid_t d = H5Dopen2(obj, name, H5P_DEFAULT);
    hid_t t = d < 0 ? -1 : H5Dget_type(d), sp = d < 0 ? -1 : H5Dget_space(d);
    animat_rec_dataset *ds = &r->sets[r->nsets];
    memset(ds, 0, sizeof *ds);
    int rank = sp < 0 ? -1 : space_dims(sp, ds->dims);
    int ok = t >= 0 && rank != -1 && (ds->name = strdup(name));
    if (ok) {
        ds->rank = rank > 0 ? (uint32_t)rank : 0;
        ds->type = value_type(t, &r->types[r->nsets]);
        if (ds->type == ANIMAT_REC_TEXT || rank < 0) ds->type = ANIMAT_REC_OTHER; /* not read here */
        r->nsets++;
    }
    if (sp >= 0) H5Sclose(sp);
    if (t >= 0) H5Tclose(t);
    if (d >= 0) H5Dclose(d);
    return ok ? 0 : -1;
}

/* H5Ovisit callback: each dataset once. */
static herr_t visit(hid_t obj, const char *name, const H5O_info_t *info, void *op) {
    animat_rec *r = op;
    if (info->type != H5O_TYPE_DATASET) return 0;
    if (r->nsets == REC_MAX_DATASETS) {
        rec_fail(r, ANIMAT_EMBED_EINPUT, "more than %u datasets", REC_MAX_DATASETS);
        return -1;
    }
    if (add_dataset(r, obj, name)) {
        if (r->e.set) rec_fail(r, ANIMAT_EMBED_ENOMEM, "out of memory");
        else rec_fail(r, ANIMAT_EMBED_EINPUT, "dataset '%s' cannot be read (a damaged file?)", name);
        return -1;
    }
    return 0;
}

/* Is path a file libhdf5 can open? 0, or EINPUT with r->e set. */
static int check_path(animat_rec *r) {
    struct stat st;
    if (stat(r->path, &st)) return rec_fail(r, ANIMAT_EMBED_EINPUT, "cannot open: %s", strerror(errno));
    if (S_ISDIR(st.st_mode)) return rec_fail(r, ANIMAT_EMBED_EINPUT, "is a directory, not a recording");
    if (!S_ISREG(st.st_mode)) return rec_fail(r, ANIMAT_EMBED_EINPUT, "not a regular file");
    if (!h5util_is_hdf5(r->path)) return rec_fail(r, ANIMAT_EMBED_EINPUT, "not an HDF5 file");
    return 0;
}

int animat_rec_open(animat_rec **out, const char *path, char *msg, size_t cap) {
    *out = NULL;
    h5util_quiet();
    animat_rec *r = calloc(1, sizeof *r);
    if (r) r->file = -1;
    if (!r || !(r->path = strdup(path ? path : "(null)"))) {
        animat_rec_close(r);
        if (cap) snprintf(msg, cap, "out of memory");
        return ANIMAT_EMBED_ENOMEM;
    }
    int rc = path ? check_path(r) : rec_fail(r, ANIMAT_EMBED_EINPUT, "no path given");
    char why[256];
    if (!rc && (r->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0)
        rc = rec_fail(r, ANIMAT_EMBED_EINPUT, "cannot open as HDF5: %s", h5_reason(why));
    if (!rc && H5Ovisit(r->file, H5_INDEX_NAME, H5_ITER_INC, visit, r) < 0) {
        rc = strstr(r->e.msg, "out of memory") ? ANIMAT_EMBED_ENOMEM : ANIMAT_EMBED_EINPUT;
        if (!r->e.set) rec_fail(r, rc, "cannot list its objects (a truncated or damaged file?)");
    }
    if (rc) {
        if (cap) snprintf(msg, cap, "%s", r->e.msg);
        animat_rec_close(r);
        return rc;
    }
    *out = r;
    return 0;
}

/* Free the attributes of the last object. */
static void attrs_free(animat_rec *r) {
    for (uint32_t k = 0; k < r->nattrs; k++) {
        free((void *)r->attrs[k].name);
        free((void *)r->attrs[k].values);
    }
    free(r->attrs);
    r->attrs = NULL;
    r->nattrs = 0;
}

void animat_rec_close(animat_rec *r) {
    if (!r) return;
    attrs_free(r);
    for (uint32_t k = 0; k < r->nsets; k++) free((void *)r->sets[k].name);
    free(r->sets);
    free(r->types);
    if (r->file >= 0) H5Fclose(r->file);
    free(r->path);
    free(r);
}

const char *animat_rec_errmsg(const animat_rec *r) { return r->e.msg; }

uint32_t animat_rec_datasets(const animat_rec *r) { return r->nsets; }

int animat_rec_dataset_info(animat_rec *r, uint32_t k, animat_rec_dataset *out) {
    errmsg_clear(&r->e);
    if (k >= r->nsets)
        return rec_fail(r, ANIMAT_EMBED_EINPUT, "dataset %u: there are %u", k, r->nsets);
    *out = r->sets[k];
    return 0;
}

int animat_rec_read(animat_rec *r, uint32_t k, void *buf, uint64_t bytes) {
    errmsg_clear(&r->e);
    h5util_quiet();
    if (k >= r->nsets) return rec_fail(r, ANIMAT_EMBED_EINPUT, "dataset %u: there are %u", k, r->nsets);
    const animat_rec_dataset *ds = &r->sets[k];
    if (ds->type == ANIMAT_REC_OTHER)
        return rec_fail(r, ANIMAT_EMBED_EUNSUPPORTED, "%s: not numbers (only numeric datasets are read)", ds->name);
    size_t cells = 0;
    if (h5util_cells(ds->dims, (int)ds->rank, &cells, &r->e))
        return rec_fail(r, ANIMAT_EMBED_EINPUT, "%s: %s", ds->name, r->e.msg);
    if (bytes != (uint64_t)cells * 8)
        return rec_fail(r, ANIMAT_EMBED_EINPUT, "%s: needs a buffer of %llu bytes, not %llu", ds->name,
                        (unsigned long long)cells * 8, (unsigned long long)bytes);
    if (!cells) return 0;
    hid_t d = H5Dopen2(r->file, ds->name, H5P_DEFAULT);
    int ok = d >= 0 && H5Dread(d, r->types[k], H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0;
    char why[256];
    if (!ok) h5_reason(why);
    if (d >= 0) H5Dclose(d);
    return ok ? 0 : rec_fail(r, ANIMAT_EMBED_EINPUT, "%s: cannot read its values: %s", ds->name, why);
}

/* Attribute `a`'s text values (count strings) as NUL-terminated strings
 * back to back into *out. 0, or -1 (unreadable, over *budget bytes). */
static int read_text(hid_t a, hid_t t, uint64_t count, char **out, uint64_t *budget) {
    int vlen = H5Tis_variable_str(t) > 0;
    size_t size = vlen ? sizeof(char *) : H5Tget_size(t);
    if (!size || count > REC_MAX_ATTR_COUNT || count * size > *budget) return -1;
    hid_t mt = H5Tget_native_type(t, H5T_DIR_ASCEND);
    char *raw = calloc(count ? count : 1, size);
    int ok = mt >= 0 && raw && H5Aread(a, mt, raw) >= 0;
    uint64_t n = 0;
    for (uint64_t i = 0; ok && i < count; i++)
        n += (vlen ? (((char **)raw)[i] ? strlen(((char **)raw)[i]) : 0) : strnlen(raw + i * size, size)) + 1;
    char *text = ok && n <= *budget ? malloc(n ? n : 1) : NULL;
    for (uint64_t i = 0, at = 0; text && i < count; i++) {
        const char *v = vlen ? ((char **)raw)[i] : raw + i * size;
        size_t len = vlen ? (v ? strlen(v) : 0) : strnlen(v, size);
        if (len) memcpy(text + at, v, len);
        text[at + len] = '\0';
        at += len + 1;
    }
    if (ok && vlen)
        for (uint64_t i = 0; i < count; i++) H5free_memory(((char **)raw)[i]);
    free(raw);
    if (mt >= 0) H5Tclose(mt);
    if (!text) return -1;
    *budget -= n;
    *out = text;
    return 0;
}

/* Attribute k (name order) of obj into *at. 0, or -1 (unreadable, too large). */
static int read_attr(hid_t obj, uint32_t k, animat_rec_attribute *at, uint64_t *budget) {
    memset(at, 0, sizeof *at);
    hid_t a = H5Aopen_by_idx(obj, ".", H5_INDEX_NAME, H5_ITER_INC, k, H5P_DEFAULT, H5P_DEFAULT);
    hid_t t = a < 0 ? -1 : H5Aget_type(a), sp = a < 0 ? -1 : H5Aget_space(a);
    char name[1024];
    ssize_t nl = a < 0 ? -1 : H5Aget_name(a, sizeof name, name);
    int rank = sp < 0 ? -1 : space_dims(sp, at->dims);
    int ok = t >= 0 && nl >= 0 && rank != -1 && (at->name = strdup(name));
    size_t count = 0;
    errmsg ce;
    errmsg_clear(&ce);
    if (ok && (H5Sget_simple_extent_type(sp) == H5S_NULL || h5util_cells(at->dims, rank, &count, &ce)))
        count = 0, rank = -1;
    hid_t mem = -1;
    at->type = ok && rank >= 0 ? value_type(t, &mem) : ANIMAT_REC_OTHER;
    at->rank = rank > 0 ? (uint32_t)rank : 0;
    at->count = at->type == ANIMAT_REC_OTHER ? 0 : count;
    if (ok && at->type == ANIMAT_REC_TEXT) {
        char *text = NULL;
        ok = !read_text(a, t, count, &text, budget);
        at->values = text;
    } else if (ok && at->type != ANIMAT_REC_OTHER && count) {
        void *v = (uint64_t)count * 8 <= *budget ? malloc(count * 8) : NULL;
        ok = v && H5Aread(a, mem, v) >= 0;
        if (ok) *budget -= (uint64_t)count * 8;
        at->values = v;
    }
    if (sp >= 0) H5Sclose(sp);
    if (t >= 0) H5Tclose(t);
    if (a >= 0) H5Aclose(a);
    return ok ? 0 : -1;
}

/* H5Pset_elink_cb callback: never open the file an external link names (a
 * recording is read alone: a hostile one must not make the reader open
 * other files). */
static herr_t deny_elink(const char *parent, const char *group, const char *file, const char *obj, unsigned *flags,
                         hid_t fapl, void *op) {
    (void)parent, (void)group, (void)file, (void)obj, (void)flags, (void)fapl, (void)op;
    return -1;
}

int animat_rec_attrs(animat_rec *r, const char *object, uint32_t *n) {
    errmsg_clear(&r->e);
    h5util_quiet();
    *n = 0;
    attrs_free(r);
    const char *name = object && object[0] ? object : "/";
    hid_t lapl = H5Pcreate(H5P_LINK_ACCESS);
    if (lapl < 0 || H5Pset_elink_cb(lapl, deny_elink, NULL) < 0) {
        if (lapl >= 0) H5Pclose(lapl);
        return rec_fail(r, ANIMAT_EMBED_ENOMEM, "out of memory");
    }
    htri_t exists = strcmp(name, "/") ? H5Lexists(r->file, name, lapl) : 1;
    hid_t o = exists > 0 ? H5Oopen(r->file, name, lapl) : -1;
    H5Pclose(lapl);
    if (exists <= 0) return rec_fail(r, ANIMAT_EMBED_EINPUT, "no object '%s'", name);
    H5O_info_t info;
    if (o < 0 || H5Oget_info(o, &info) < 0) {
        if (o >= 0) H5Oclose(o);
        return rec_fail(r, ANIMAT_EMBED_EINPUT, "%s: cannot open it (a link to another file, which is not "
                        "followed, or a truncated or damaged file?)", name);
    }
    int rc = 0;
    uint64_t budget = REC_MAX_ATTR_BYTES;
    if (info.num_attrs > REC_MAX_ATTRS)
        rc = rec_fail(r, ANIMAT_EMBED_EINPUT, "%s: %llu attributes (at most %u are read)", name,
                      (unsigned long long)info.num_attrs, REC_MAX_ATTRS);
    else if (info.num_attrs && !(r->attrs = calloc(info.num_attrs, sizeof *r->attrs)))
        rc = rec_fail(r, ANIMAT_EMBED_ENOMEM, "out of memory");
    for (uint32_t k = 0; !rc && k < info.num_attrs; k++, r->nattrs++)
        if (read_attr(o, k, &r->attrs[k], &budget))
            rc = rec_fail(r, ANIMAT_EMBED_EINPUT, "%s: attribute %u%s%s%s cannot be read (damaged, or over %u MiB)",
                          name, k, r->attrs[k].name ? " '" : "", r->attrs[k].name ? r->attrs[k].name : "",
                          r->attrs[k].name ? "'" : "", REC_MAX_ATTR_BYTES >> 20);
    H5Oclose(o);
    if (rc) attrs_free(r);
    else *n = r->nattrs;
    return rc;
}

int animat_rec_attr(animat_rec *r, uint32_t k, animat_rec_attribute *out) {
    errmsg_clear(&r->e);
    if (k >= r->nattrs) return rec_fail(r, ANIMAT_EMBED_EINPUT, "attribute %u: there are %u", k, r->nattrs);
    *out = r->attrs[k];
    return 0;
}
