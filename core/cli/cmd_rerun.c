/* cmd_rerun.c -- `animat rerun FILE.h5`: repeat a recorded run from the
 * recording alone and compare every recorded value bit for bit. */
#include "cli/cmd_rerun.h"

#include <hdf5.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/h5util.h"
#include "exp/experiment.h"
#include "sim/record.h"
#include "sim/runner.h"
#include "train/trainer.h"

#define RERUN_MAX_PLUGINS 64

/* What the recording says about how to repeat it. */
typedef struct rerun_src {
    char *kind, *text, *path, *extra; /* root attributes; owned */
    const char *plugins[RERUN_MAX_PLUGINS];
    uint32_t nplugins;
} rerun_src;

static void src_free(rerun_src *r) {
    free(r->kind), free(r->text), free(r->path), free(r->extra);
    memset(r, 0, sizeof *r);
}

/* Open `path` as a recording and read its root attributes. 0 or -1 with e
 * set to one line naming the file. */
static int read_src(const char *path, rerun_src *r, errmsg *e) {
    struct stat st;
    if (stat(path, &st)) return errmsg_set(e, "%s: cannot open: no such file", path);
    if (!S_ISREG(st.st_mode)) return errmsg_set(e, "%s: not a regular file", path);
    h5util_quiet();
    if (!h5util_is_hdf5(path)) return errmsg_set(e, "%s: not an HDF5 file (expected an animat recording)", path);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) return errmsg_set(e, "%s: cannot open the HDF5 file", path);
    errmsg ae;
    errmsg_clear(&ae);
    char *format = h5util_get_str(f, "format", &ae);
    int rc = 0;
    if (!format || strcmp(format, RECORD_FORMAT))
        rc = errmsg_set(e, "%s: not an animat recording (format %s, expected %s)", path, format ? format : "missing",
                        RECORD_FORMAT);
    else if (!(r->kind = h5util_get_str(f, "kind", &ae)) || !(r->text = h5util_get_str(f, "experiment", &ae)) ||
             !(r->path = h5util_get_str(f, "experiment_path", &ae)) ||
             !(r->extra = h5util_get_str(f, "extra_plugins", &ae)))
        rc = errmsg_set(e, "%s: damaged recording: %s", path, ae.msg);
    else if (strcmp(r->kind, "run") && strcmp(r->kind, "train"))
        rc = errmsg_set(e, "%s: unknown recording kind '%s'", path, r->kind);
    free(format);
    H5Fclose(f);
    for (char *p = r->extra, *nl; !rc && p && *p && r->nplugins < RERUN_MAX_PLUGINS; p = nl + 1) {
        if (!(nl = strchr(p, '\n'))) break;
        *nl = '\0';
        r->plugins[r->nplugins++] = p;
    }
    return rc;
}

/* Every dataset path under the groups a recording has, into names (cap). */
static uint32_t list_datasets(hid_t f, char names[][256], uint32_t cap) {
    static const char *const groups[] = {"episodes", "signals", "learner"};
    uint32_t n = 0;
    if (H5Lexists(f, "time", H5P_DEFAULT) > 0) snprintf(names[n++], 256, "time");
    for (size_t g = 0; g < sizeof groups / sizeof *groups; g++) {
        if (H5Lexists(f, groups[g], H5P_DEFAULT) <= 0) continue;
        hid_t gr = H5Gopen2(f, groups[g], H5P_DEFAULT);
        H5G_info_t info;
        if (gr < 0 || H5Gget_info(gr, &info) < 0) info.nlinks = 0;
        for (hsize_t i = 0; i < info.nlinks && n < cap; i++) {
            char name[200];
            if (H5Lget_name_by_idx(gr, ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name, H5P_DEFAULT) > 0)
                snprintf(names[n++], 256, "%s/%s", groups[g], name);
        }
        if (gr >= 0) H5Gclose(gr);
    }
    return n;
}

/* Compare one dataset of two files bit for bit. 0 same, 1 differs (why in
 * e), -1 unreadable (e set). Adds the values compared to *count. */
static int compare_one(hid_t a, hid_t b, const char *name, uint64_t *count, errmsg *e) {
    double *va = NULL, *vb = NULL;
    int ra = 0, rb = 0;
    uint64_t da[3] = {1, 1, 1}, db[3] = {1, 1, 1};
    errmsg ee;
    if (h5util_read_all(a, name, &va, &ra, da, e)) return -1;
    if (h5util_read_all(b, name, &vb, &rb, db, &ee)) {
        free(va);
        return errmsg_set(e, "%s: missing from the rerun (%s)", name, ee.msg), 1;
    }
    int rc = 0;
    if (ra != rb || memcmp(da, db, sizeof da)) {
        rc = 1;
        errmsg_set(e, "%s: shape %llux%llux%llu recorded, %llux%llux%llu now", name, (unsigned long long)da[0],
                   (unsigned long long)da[1], (unsigned long long)da[2], (unsigned long long)db[0],
                   (unsigned long long)db[1], (unsigned long long)db[2]);
    }
    uint64_t n = da[0] * da[1] * da[2];
    for (uint64_t i = 0; !rc && i < n; i++)
        if (memcmp(&va[i], &vb[i], sizeof *va)) {
            rc = 1;
            uint64_t k = i / da[2] % da[1], ep = i / (da[1] * da[2]);
            errmsg_set(e, "%s[%llu, %llu, %llu]: recorded %.17g, now %.17g", name, (unsigned long long)ep,
                       (unsigned long long)k, (unsigned long long)(i % da[2]), va[i], vb[i]);
        }
    if (!rc) *count += n;
    free(va), free(vb);
    return rc;
}

/* Compare every dataset of `orig` with `again`. 0 identical (summary in
 * e), 1 differs, -1 error. */
static int compare_files(const char *orig, const char *again, uint32_t *nsets, uint64_t *nvals, errmsg *e) {
    static char names[RECORD_MAX_SIGNALS + 16][256];
    hid_t a = H5Fopen(orig, H5F_ACC_RDONLY, H5P_DEFAULT), b = H5Fopen(again, H5F_ACC_RDONLY, H5P_DEFAULT);
    int rc = a < 0 || b < 0 ? errmsg_set(e, "cannot open %s", a < 0 ? orig : again) : 0;
    uint32_t n = rc ? 0 : list_datasets(a, names, RECORD_MAX_SIGNALS + 16);
    for (uint32_t i = 0; !rc && i < n; i++) rc = compare_one(a, b, names[i], nvals, e);
    *nsets = n;
    if (a >= 0) H5Fclose(a);
    if (b >= 0) H5Fclose(b);
    return rc;
}

/* Repeat the recorded run into `out` (a new recording). 0 or -1. */
static int repeat(const rerun_src *r, const char *out, errmsg *e) {
    experiment x;
    if (experiment_load_text(&x, r->path, r->text, NULL, 0, r->plugins, r->nplugins, e)) return -1;
    int rc;
    if (!strcmp(r->kind, "train")) {
        trainer_opts o = {.quiet = 1, .dry = 1, .record = out, .extra_plugins = r->plugins, .nextra = r->nplugins};
        rc = trainer_run(&x, &o, NULL, e) ? -1 : 0;
    } else {
        runner_opts o = {.quiet = 1, .record = out, .extra_plugins = r->plugins, .nextra = r->nplugins};
        rc = runner_run(&x, &o, NULL, NULL, e);
    }
    experiment_free(&x);
    return rc;
}

int cmd_rerun_main(int argc, char **argv, FILE *out) {
    const char *file = NULL, *more[RERUN_MAX_PLUGINS];
    uint32_t nmore = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--quiet")) {
            out = NULL;
        } else if (!strcmp(argv[i], "--plugin") && i + 1 < argc && nmore < RERUN_MAX_PLUGINS) {
            more[nmore++] = argv[++i];
            continue;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "animat: rerun: unknown option '%s' (see animat --help)\n", argv[i]);
            return 2;
        }
        if (!strcmp(argv[i], "--quiet")) continue;
        if (file) return fprintf(stderr, "animat: rerun: unexpected argument '%s'\n", argv[i]), 2;
        file = argv[i];
    }
    if (!file) return fprintf(stderr, "animat: rerun needs a recording FILE.h5 (see animat --help)\n"), 2;
    errmsg e;
    errmsg_clear(&e);
    rerun_src src = {0};
    const char *base = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char dir[4096], again[4200];
    snprintf(dir, sizeof dir, "%s/animat-rerun-XXXXXX", base);
    const char *tmpdir = NULL;
    int rc = read_src(file, &src, &e) ? -1 : 0;
    for (uint32_t i = 0; !rc && i < nmore && src.nplugins < RERUN_MAX_PLUGINS; i++) src.plugins[src.nplugins++] = more[i];
    if (!rc && !(tmpdir = mkdtemp(dir))) rc = errmsg_set(&e, "cannot create a temporary folder in %s", base);
    snprintf(again, sizeof again, "%s/rerun.h5", dir);
    if (!rc && out) fprintf(out, "repeating the %s recorded in %s\n", src.kind, file), fflush(out);
    if (!rc) rc = repeat(&src, again, &e);
    uint32_t nsets = 0;
    uint64_t nvals = 0;
    if (!rc) rc = compare_files(file, again, &nsets, &nvals, &e);
    if (tmpdir) unlink(again), rmdir(dir);
    src_free(&src);
    if (rc < 0) return fprintf(stderr, "error: %s\n", e.msg), 1;
    if (rc > 0) return fprintf(out ? out : stderr, "rerun differs: %s\n", e.msg), 1;
    if (out) fprintf(out, "rerun identical: %u datasets, %llu values, every one bit-identical\n", nsets,
                     (unsigned long long)nvals);
    return 0;
}
