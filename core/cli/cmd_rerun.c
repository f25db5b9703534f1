/* cmd_rerun.c -- `animat rerun FILE.h5`: repeat a recorded run from the
 * recording alone and compare every recorded value bit for bit.
 *
 * A recording is data, not code: the stored experiment's outputs
 * (record.trace/file, train.output/curve/checkpoint) are dropped, plugins
 * are found by name on the normal search path and must hash as recorded,
 * and a plugin file named by path (plugin: /x.so, extra_plugins) or one
 * whose hash differs is refused unless --allow-plugin-paths is given. */
#include "cli/cmd_rerun.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/hash.h"
#include "exp/experiment.h"
#include "exp/stored.h"
#include "sim/record.h"
#include "sim/runner.h"
#include "train/trainer.h"
#include "view/h5read.h"

#define RERUN_MAX_PLUGINS 64

/* What the recording says about how to repeat it. */
typedef struct rerun_src {
    h5rec rec;                        /* the recording, open until src_free */
    char *kind, *text, *path, *extra; /* root attributes; owned */
    char *hashes;                     /* root attribute plugins: "inst name id version hash path" lines; owned */
    char label[4200];                 /* "FILE (stored experiment)": the stored experiment's name in messages */
    uint32_t nfromrec;                /* plugins[0..nfromrec) come from the recording's extra_plugins */
    const char *plugins[RERUN_MAX_PLUGINS];
    uint32_t nplugins;
} rerun_src;

static void src_free(rerun_src *r) {
    h5rec_close(&r->rec);
    free(r->kind), free(r->text), free(r->path), free(r->extra), free(r->hashes);
    memset(r, 0, sizeof *r);
}

/* Open `path` as a recording (h5rec_open: a regular, readable HDF5 file
 * of format animat-recording/1) and read what repeating it needs. 0 or -1
 * with e set to one line naming the file. */
static int read_src(const char *path, rerun_src *r, errmsg *e) {
    if (h5rec_open(&r->rec, path, e)) return -1;
    static const char *const keys[] = {"kind", "experiment", "experiment_path", "extra_plugins", "plugins"};
    char **vals[] = {&r->kind, &r->text, &r->path, &r->extra, &r->hashes};
    snprintf(r->label, sizeof r->label, "%s (stored experiment)", path);
    for (int k = 0; k < 5; k++)
        if (!(*vals[k] = h5rec_attr_str(&r->rec, keys[k])))
            return errmsg_set(e, "%s: damaged recording: no string attribute '%s'", path, keys[k]);
    if (strcmp(r->kind, "run") && strcmp(r->kind, "train"))
        return errmsg_set(e, "%s: unknown recording kind '%s'", path, r->kind);
    for (char *p = r->extra, *nl; *p && r->nplugins < RERUN_MAX_PLUGINS; p = nl + 1) {
        if (!(nl = strchr(p, '\n'))) break;
        *nl = '\0';
        r->plugins[r->nplugins++] = p;
    }
    r->nfromrec = r->nplugins;
    return 0;
}

/* The plugin files the stored experiment names by path, and those in
 * extra_plugins, into buf (", "-separated). How many, or -1. */
static int path_plugins(const rerun_src *r, char *buf, size_t cap, errmsg *e) {
    int n = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; i < r->nfromrec; i++, n++)
        snprintf(buf + strlen(buf), cap - strlen(buf), "%s%s (extra_plugins)", n ? ", " : "", r->plugins[i]);
    return experiment_stored_paths(r->label, r->text, buf, cap, &n, e) ? -1 : n;
}

/* The recorded hash of instance `name`'s plugin file, or 0 with *found 0. */
static uint64_t recorded_hash(const rerun_src *r, const char *name, int *found) {
    size_t len = strlen(name);
    *found = 0;
    for (const char *p = r->hashes; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
        char plugin[128], id[160], version[64];
        uint64_t h;
        /* "role name id version fnv1a64 path" */
        if (!strncmp(p, name, len) && p[len] == ' ' &&
            sscanf(p + len, " %127s %159s %63s %" SCNx64, plugin, id, version, &h) == 4) {
            *found = 1;
            return h;
        }
    }
    return 0;
}

/* Print each instance's plugin (name, version, file) and check its hash
 * against the recording's. 0, or -1 with e set (a plugin that hashes
 * differently, unless `allow`). */
static int check_plugins(const rerun_src *r, const experiment *x, int allow, FILE *out, errmsg *e) {
    for (uint32_t k = 0; k <= experiment_ninsts(x); k++) {
        const experiment_inst *in = experiment_inst_at(x, k);
        if (!in->plugin) continue;
        uint64_t now = 0;
        int found;
        uint64_t then = recorded_hash(r, in->name, &found);
        int same = !hash_file(in->plugin->lib->path, &now) && found && now == then;
        if (out)
            fprintf(out, "  %s: %s %s from %s (%s)\n", in->name, in->plugin->desc->name, in->plugin->desc->version,
                    in->plugin->lib->path, same ? "hash as recorded" : "HASH DIFFERS from the recording");
        if (!same && !allow)
            return errmsg_set(e, "%s: %s (%s) resolves to %s, whose fnv1a64 hash %016" PRIx64 " is not the recorded "
                              "%s; refusing to run it (pass --allow-plugin-paths to run it anyway)", r->label,
                              in->name, in->plugin->desc->name, in->plugin->lib->path, now,
                              found ? "one" : "plugin list");
    }
    if (out) fflush(out);
    return 0;
}

/* Compare dataset `name` of two recordings bit for bit. 0 same, 1 differs
 * (why in e), -1 unreadable (e set). Adds the values compared to *count. */
static int compare_one(const h5rec *a, const h5rec *b, const char *name, uint64_t *count, errmsg *e) {
    h5array va, vb;
    errmsg ee = {0};
    if (h5rec_read(a, name, &va, e)) return -1;
    if (h5rec_read(b, name, &vb, &ee)) {
        h5array_free(&va);
        return errmsg_set(e, "%s: missing from the rerun (%s)", name, ee.msg), 1;
    }
    const uint64_t *da = va.dim, *db = vb.dim;
    int rc = 0;
    if (va.rank != vb.rank || memcmp(da, db, sizeof va.dim)) {
        rc = 1;
        errmsg_set(e, "%s: shape %llux%llux%llu recorded, %llux%llux%llu now", name, (unsigned long long)da[0],
                   (unsigned long long)da[1], (unsigned long long)da[2], (unsigned long long)db[0],
                   (unsigned long long)db[1], (unsigned long long)db[2]);
    }
    uint64_t n = da[0] * da[1] * da[2];
    for (uint64_t i = 0; !rc && i < n; i++)
        if (memcmp(&va.v[i], &vb.v[i], sizeof *va.v)) {
            rc = 1;
            uint64_t k = i / da[2] % da[1], ep = i / (da[1] * da[2]);
            errmsg_set(e, "%s[%llu, %llu, %llu]: recorded %.17g, now %.17g", name, (unsigned long long)ep,
                       (unsigned long long)k, (unsigned long long)(i % da[2]), va.v[i], vb.v[i]);
        }
    if (!rc) *count += n;
    h5array_free(&va), h5array_free(&vb);
    return rc;
}

/* Compare every dataset of group `group`. 0 identical, 1 differs, -1
 * error; *nsets and *nvals count what was compared. */
static int compare_group(const h5rec *a, const h5rec *b, const char *group, uint32_t *nsets, uint64_t *nvals,
                         errmsg *e) {
    char **names;
    int n = h5rec_members(a, group, &names, e), rc = n < 0 ? -1 : 0;
    for (int i = 0; !rc && i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", group, names[i]);
        ++*nsets;
        rc = compare_one(a, b, path, nvals, e);
    }
    if (n >= 0) h5rec_names_free(names, n);
    return rc;
}

/* Every dataset of group `group` in the rerun b must exist in the
 * recording a (one deleted from the file is a difference, not a pass).
 * 0, 1 (why in e) or -1. */
static int missing_in(const h5rec *a, const h5rec *b, const char *group, errmsg *e) {
    char **names;
    int n = h5rec_members(b, group, &names, e), rc = n < 0 ? -1 : 0;
    for (int i = 0; !rc && i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", group, names[i]);
        if (!h5rec_has(a, path)) rc = (errmsg_set(e, "%s: missing from the recording (the rerun has it)", path), 1);
    }
    if (n >= 0) h5rec_names_free(names, n);
    return rc;
}

/* The spike groups /spikes/NAME (record_spikes.c): every dataset of each,
 * and none missing from either side. 0, 1 or -1 as compare_group. */
static int compare_spikes(const h5rec *a, const h5rec *b, uint32_t *nsets, uint64_t *nvals, errmsg *e) {
    char **names;
    int n = h5rec_members(a, "spikes", &names, e), rc = n < 0 ? -1 : 0;
    for (int i = 0; !rc && i < n; i++) {
        char group[512];
        snprintf(group, sizeof group, "spikes/%s", names[i]);
        rc = compare_group(a, b, group, nsets, nvals, e);
        if (!rc) rc = missing_in(a, b, group, e);
    }
    if (n >= 0) h5rec_names_free(names, n);
    if (rc) return rc;
    int nb = h5rec_members(b, "spikes", &names, e);
    if (nb < 0) return -1;
    for (int i = 0; !rc && i < nb; i++) {
        char path[512];
        snprintf(path, sizeof path, "spikes/%s/spike_times", names[i]);
        if (!h5rec_has(a, path)) rc = (errmsg_set(e, "%s: missing from the recording (the rerun has it)", path), 1);
    }
    h5rec_names_free(names, nb);
    return rc;
}

/* Compare every dataset of the recording with the rerun's at `again`. 0
 * identical, 1 differs, -1 error. */
static int compare_files(const h5rec *orig, const char *again, uint32_t *nsets, uint64_t *nvals, errmsg *e) {
    static const char *const groups[] = {"episodes", "signals", "learner"};
    h5rec b;
    if (h5rec_open(&b, again, e)) return -1;
    int rc = 0;
    if (h5rec_has(orig, "time")) {
        ++*nsets;
        rc = compare_one(orig, &b, "time", nvals, e);
    }
    if (!rc && !h5rec_has(orig, "time") && h5rec_has(&b, "time"))
        rc = (errmsg_set(e, "time: missing from the recording (the rerun has it)"), 1);
    for (size_t g = 0; !rc && g < sizeof groups / sizeof *groups; g++)
        rc = compare_group(orig, &b, groups[g], nsets, nvals, e);
    for (size_t g = 0; !rc && g < sizeof groups / sizeof *groups; g++) rc = missing_in(orig, &b, groups[g], e);
    if (!rc) rc = compare_spikes(orig, &b, nsets, nvals, e);
    h5rec_close(&b);
    return rc;
}

/* Repeat the recorded run into `again` (a new recording), after the
 * plugin checks, its progress on `progress` (or NULL). 0 or -1. */
static int repeat(const rerun_src *r, const char *again, int allow, FILE *out, FILE *progress, errmsg *e) {
    char files[2048];
    int npath = path_plugins(r, files, sizeof files, e);
    if (npath < 0) return -1;
    if (npath && !allow)
        return errmsg_set(e, "%s: the recording names plugin files by path: %s; a recording is data, so rerun loads "
                          "plugins by name only (pass --allow-plugin-paths to load these files: they run code)",
                          r->label, files);
    if (npath && out) fprintf(out, "  loading plugin files named by the recording (--allow-plugin-paths): %s\n", files);
    experiment *x; /* rerun writes only its own temporary recording: none of the stored outputs */
    if (experiment_open_stored(&x, r->label, r->path, r->text, r->plugins, r->nplugins, e)) return -1;
    experiment_drop_outputs(x);
    if (check_plugins(r, x, allow, out, e)) {
        experiment_close(x);
        return -1;
    }
    int rc;
    if (!strcmp(r->kind, "train")) {
        trainer_opts o = {.quiet = 1, .dry = 1, .record = again, .extra_plugins = r->plugins, .nextra = r->nplugins,
                          .progress = progress};
        rc = trainer_run(x, &o, NULL, e) ? -1 : 0;
    } else {
        runner_opts o = {.quiet = 1, .record = again, .extra_plugins = r->plugins, .nextra = r->nplugins,
                         .progress = progress};
        rc = runner_run(x, &o, NULL, NULL, e);
    }
    experiment_close(x);
    return rc;
}

int cmd_rerun_main(int argc, char **argv, FILE *out) {
    const char *file = NULL, *more[RERUN_MAX_PLUGINS];
    uint32_t nmore = 0;
    int allow = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--allow-plugin-paths")) {
            allow = 1;
            continue;
        } else if (!strcmp(argv[i], "--quiet")) {
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
    if (!rc) rc = repeat(&src, again, allow, out, out ? stderr : NULL, &e);
    uint32_t nsets = 0;
    uint64_t nvals = 0;
    if (!rc) rc = compare_files(&src.rec, again, &nsets, &nvals, &e);
    if (tmpdir) unlink(again), rmdir(dir);
    src_free(&src);
    if (rc < 0) return fprintf(stderr, "error: %s\n", e.msg), 1;
    if (rc > 0) return fprintf(out ? out : stderr, "rerun differs: %s\n", e.msg), 1;
    if (out) fprintf(out, "rerun identical: %u datasets, %llu values, every one bit-identical\n", nsets,
                     (unsigned long long)nvals);
    return 0;
}
