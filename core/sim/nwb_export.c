/* nwb_export.c -- see nwb_export.h. The NWB side: nwb_h5.c. */
#include "sim/nwb_export.h"

#include <errno.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "base/atomicfile.h"
#include "base/h5util.h"
#include "base/hash.h"
#include "sim/nwb_impl.h"
#include "sim/record.h"

int nwb_is_path(const char *path) {
    size_t n = strlen(path);
    return n > 4 && !strcasecmp(path + n - 4, ".nwb");
}

/* The identifier dataset of an HDF5 file at path, or NULL. Caller frees. */
static char *nwb_identifier(const char *path) {
    if (!h5util_is_hdf5(path)) return NULL;
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) return NULL;
    errmsg e = {0};
    char *type = h5util_get_str(f, "neurodata_type", &e), *id = NULL;
    if (type && !strcmp(type, "NWBFile") && H5Lexists(f, "identifier", H5P_DEFAULT) > 0) {
        hid_t d = H5Dopen2(f, "identifier", H5P_DEFAULT), t = d < 0 ? -1 : H5Dget_type(d);
        if (t >= 0 && H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) > 0) {
            char *v = NULL;
            hid_t mt = H5Tget_native_type(t, H5T_DIR_ASCEND);
            if (H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v) >= 0 && v) id = strdup(v);
            if (v) H5free_memory(v);
            H5Tclose(mt);
        }
        if (t >= 0) H5Tclose(t);
        if (d >= 0) H5Dclose(d);
    }
    free(type);
    H5Fclose(f);
    return id;
}

int nwb_check_target(const char *path, const char *what, const char *const *others, uint32_t n, errmsg *e) {
    if (atomicfile_check(path, what, others, n, e)) return -1;
    struct stat st;
    if (lstat(path, &st) != 0) return 0; /* nothing there */
    char *id = nwb_identifier(path);
    int ours = id && !strncmp(id, NWB_ID_PREFIX, strlen(NWB_ID_PREFIX));
    free(id);
    return ours ? 0 : errmsg_set(e, "%s %s: the file exists and is not an NWB file animat wrote; refusing to replace "
                                    "it (remove it or choose another name)", what, path);
}

/* Root attribute `name` as a string ("" when absent). Caller frees. */
static char *root_str(hid_t f, const char *name) {
    errmsg e = {0};
    char *s = h5util_get_str(f, name, &e);
    return s ? s : strdup("");
}

/* Open the recording and read what every part of the export needs. */
static int src_open(nwb_src *s, const char *path, errmsg *e) {
    memset(s, 0, sizeof *s);
    s->path = path;
    if (!h5util_is_hdf5(path) || (s->f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0)
        return s->f = -1, errmsg_set(e, "%s: not an HDF5 file", path);
    char *fmt = root_str(s->f, "format");
    int ok = !strcmp(fmt, RECORD_FORMAT);
    free(fmt);
    if (!ok) return errmsg_set(e, "%s: not an animat recording (format is not %s)", path, RECORD_FORMAT);
    errmsg why = {0};
    if (h5util_get_f64(s->f, "dt", &s->dt, &why) || !(s->dt > 0) || !isfinite(s->dt) ||
        h5util_get_u64(s->f, "every", &s->every, &why) || s->every == 0)
        return errmsg_set(e, "%s: root attributes dt and every must be positive", path);
    h5util_get_u64(s->f, "seed", &s->seed, &why);
    int rank;
    uint64_t d1[3], d2[3];
    if (h5util_read_all(s->f, "episodes/steps", &s->steps, &rank, d1, &why) ||
        h5util_read_all(s->f, "episodes/return", &s->ret, &rank, d2, &why) || d1[0] != d2[0])
        return errmsg_set(e, "%s: cannot read /episodes/steps and /episodes/return", path);
    s->E = d1[0];
    if (!(s->first = calloc(s->E + 1, sizeof *s->first))) return errmsg_set(e, "out of memory");
    for (uint64_t k = 0; k < s->E; k++) {
        if (!(s->steps[k] >= 0 && s->steps[k] < 1e15)) return errmsg_set(e, "%s: /episodes/steps is corrupt", path);
        s->first[k + 1] = s->first[k] + ((uint64_t)s->steps[k] + s->every - 1) / s->every;
    }
    char **attrs[] = {&s->experiment, &s->exp_file, &s->command, &s->plugins, &s->version, &s->provenance, &s->kind};
    const char *names[] = {"experiment", "experiment_file", "command", "plugins", "animat_version", "provenance",
                           "kind"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!(*attrs[i] = root_str(s->f, names[i]))) return errmsg_set(e, "out of memory");
    return 0;
}

static void src_close(nwb_src *s) {
    if (s->f >= 0) H5Fclose(s->f);
    free(s->steps), free(s->ret), free(s->first);
    free(s->experiment), free(s->exp_file), free(s->command), free(s->plugins), free(s->version);
    free(s->provenance), free(s->kind);
    memset(s, 0, sizeof *s);
    s->f = -1;
}

/* The experiment's `name:` (a top-level key of the resolved text) into buf. */
static const char *exp_name(const nwb_src *s, char *buf, size_t cap) {
    const char *p = s->experiment;
    snprintf(buf, cap, "unnamed");
    for (; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (!strncmp(p, "name:", 5)) {
            p += 5 + strspn(p + 5, " \"'");
            snprintf(buf, cap, "%.*s", (int)strcspn(p, "\"'\n#"), p);
            break;
        }
    size_t n = strlen(buf);
    while (n && buf[n - 1] == ' ') buf[--n] = 0;
    return buf;
}

/* ISO 8601 (UTC) of t into buf. */
static const char *iso(time_t t, char *buf, size_t cap) {
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
    return buf;
}

/* Root: the NWBFile's attributes, required datasets and groups. */
static int write_root(nwb_h5 *w, const nwb_src *s, const char *id, const char *start) {
    char now[40], desc[600], name[200];
    const char *dates[1] = {iso(time(NULL), now, sizeof now)};
    snprintf(desc, sizeof desc, "animat %s recording of experiment '%s' (%s)", s->kind, exp_name(s, name, sizeof name),
             s->exp_file);
    hid_t d[5] = {nwb_ds_strs(w->file, "file_create_date", dates, 1), nwb_ds_str(w->file, "identifier", id),
                  nwb_ds_str(w->file, "session_description", desc), nwb_ds_str(w->file, "session_start_time", start),
                  nwb_ds_str(w->file, "timestamps_reference_time", start)};
    int rc = nwb_typed(w, w->file, "/", "core", "NWBFile") || nwb_attr_str(w->file, "nwb_version", NWB_VERSION);
    for (int i = 0; i < 5; i++) rc |= d[i] < 0 ? -1 : H5Dclose(d[i]);
    const char *groups[] = {"/acquisition", "/analysis", "/processing", "/stimulus", "/stimulus/presentation",
                            "/stimulus/templates", "/general", "/intervals"};
    for (size_t i = 0; !rc && i < sizeof groups / sizeof *groups; i++) {
        hid_t g = nwb_group(w, groups[i], NULL, NULL);
        rc = g < 0 ? -1 : H5Gclose(g);
    }
    return rc ? -1 : 0;
}

/* /general: the provenance -- the resolved experiment as source_script,
 * command, seed, versions and plugins (id, version, hash, path) in notes. */
static int write_general(nwb_h5 *w, const nwb_src *s) {
    char head[1024];
    snprintf(head, sizeof head, "written by animat %s from an %s recording; command: %s; seed: %llu; dt: %.17g s; "
                                "every: %llu control steps; plugins (instance name id version fnv1a64 path):\n",
             s->version, RECORD_FORMAT, s->command, (unsigned long long)s->seed, s->dt,
             (unsigned long long)s->every);
    size_t n = strlen(head) + strlen(s->plugins) + 1;
    char *notes = malloc(n);
    if (!notes) return -1;
    snprintf(notes, n, "%s%s", head, s->plugins);
    hid_t g = H5Gopen2(w->file, "/general", H5P_DEFAULT);
    hid_t d[4] = {nwb_ds_str(g, "source_script", s->experiment), nwb_ds_str(g, "notes", notes),
                  nwb_ds_str(g, "experiment_description",
                             "closed-loop brain-body simulation (animat); the resolved experiment is "
                             "general/source_script"),
                  nwb_ds_str(g, "data_collection", s->provenance[0] ? s->provenance : "animat run")};
    int rc = d[0] < 0 || nwb_attr_str(d[0], "file_name", s->exp_file);
    for (int i = 0; i < 4; i++) rc |= d[i] < 0 ? -1 : H5Dclose(d[i]);
    H5Gclose(g);
    free(notes);
    return rc ? -1 : 0;
}

/* The identifier: "animat-" and the recording file's fnv1a64 hash, so one
 * recording always exports under one identifier (and ids derive from it). */
static int identifier(const char *h5, char *buf, size_t cap, uint64_t *h) {
    if (hash_file(h5, h)) return -1;
    snprintf(buf, cap, "%s%016llx", NWB_ID_PREFIX, (unsigned long long)*h);
    return 0;
}

/* Create the NWB file at af (its temporary name) and write everything. */
static int write_all(const atomicfile *af, const nwb_src *s, const char *start, uint64_t h, const char *id,
                     nwb_stats *st, errmsg *e) {
    hid_t fa = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_libver_bounds(fa, H5F_LIBVER_V18, H5F_LIBVER_LATEST);
    nwb_h5 w = {.file = H5Fcreate(af->byname, H5F_ACC_TRUNC, H5P_DEFAULT, fa), .seed = h};
    H5Pclose(fa);
    if (w.file < 0) return errmsg_set(e, "%s: cannot create the HDF5 file", af->tmp);
    errno = 0;
    int rc = write_root(&w, s, id, start) || write_general(&w, s)
                 ? errmsg_set(e, "%s: cannot write the NWB file's metadata", af->tmp)
                 : 0;
    if (!rc) rc = nwb_write_series(&w, s, st, e) || nwb_write_tables(&w, s, st, e) ? -1 : 0;
    if (H5Fclose(w.file) < 0 && !rc) rc = errmsg_set(e, "%s: cannot close the HDF5 file: %s", af->tmp,
                                                     errno ? strerror(errno) : "write error");
    return rc;
}

int nwb_export(const char *h5, const char *nwb, const char *session_start, nwb_stats *st, errmsg *e) {
    nwb_stats dummy;
    if (!st) st = &dummy;
    memset(st, 0, sizeof *st);
    h5util_quiet();
    nwb_src s;
    char id[64], start[40];
    uint64_t h = 0;
    struct stat sb;
    if (src_open(&s, h5, e)) {
        src_close(&s);
        return -1;
    }
    if (identifier(h5, id, sizeof id, &h) || stat(h5, &sb)) {
        src_close(&s);
        return errmsg_set(e, "%s: cannot read the file", h5);
    }
    if (session_start) snprintf(start, sizeof start, "%s", session_start);
    else iso(sb.st_mtime, start, sizeof start);
    atomicfile af;
    if (atomicfile_name(&af, nwb, e)) {
        src_close(&s);
        return -1;
    }
    atomicfile_guard(&af);
    int rc = write_all(&af, &s, start, h, id, st, e);
    atomicfile_unguard(&af);
    src_close(&s);
    if (rc) {
        atomicfile_abort(&af);
        return -1;
    }
    return atomicfile_commit(&af, e);
}
