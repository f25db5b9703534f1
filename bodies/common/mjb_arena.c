/* mjb_arena.c -- the model merged with an arena file and a terrain (see
 * mjb_arena.h). */
#include "mjb_arena.h"

#include <animat/animat.h>
#include <animat/helpers.h>

#include <gsl/gsl_rng.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MJB_ARENA_PENETRATION 1e-3 /* m */

/* See mjb_arena.h. */
int mjb_arena_any(const mjb_arena *a) { return (a->arena && *a->arena) || a->terrain != 0; }

/* `to` relative to directory `from` (both resolved by realpath), into out.
 * 0, or -1 when either does not exist. */
static int mjb_relpath(const char *from, const char *to, char *out, size_t cap) {
    char f[PATH_MAX], t[PATH_MAX];
    if (!realpath(from, f) || !realpath(to, t)) return -1;
    size_t i = 0, common = 0;
    while (f[i] && f[i] == t[i]) {
        i++;
        if (f[i - 1] == '/') common = i;
    }
    if (!f[i] && (t[i] == '/' || !t[i])) common = i; /* `from` is a prefix of `to` */
    size_t n = 0;
    for (const char *p = f + common; *p && n + 3 < cap; p++)
        if (p == f + common || p[-1] == '/') memcpy(out + n, "../", 3), n += 3;
    const char *rest = t + common;
    if (*rest == '/') rest++;
    size_t len = strlen(rest);
    if (n + len + 1 > cap) return -1;
    memcpy(out + n, rest, len + 1);
    return 0;
}

/* The directory of `path` ("." when it has none) into out. */
static void mjb_dirname(const char *path, char *out, size_t cap) {
    const char *slash = strrchr(path, '/');
    if (!slash) snprintf(out, cap, ".");
    else if (slash == path) snprintf(out, cap, "/");
    else snprintf(out, cap, "%.*s", (int)(slash - path), path);
}

/* The text of regular file p (at most 16 MiB), NUL-terminated, or NULL
 * with err. Caller frees. */
static char *mjb_slurp(const char *p, char *err, int errlen) {
    struct stat st;
    if (stat(p, &st) || !S_ISREG(st.st_mode) || st.st_size > (16 << 20)) {
        snprintf(err, (size_t)errlen, "%s: not a regular MJCF file of at most 16 MiB", p);
        return NULL;
    }
    FILE *f = fopen(p, "rb");
    char *t = f ? malloc((size_t)st.st_size + 1) : NULL;
    size_t n = t ? fread(t, 1, (size_t)st.st_size, f) : 0;
    if (f) fclose(f);
    if (!t) snprintf(err, (size_t)errlen, "%s: cannot read", p);
    else t[n] = '\0';
    return t;
}

/* The value of attribute `name` in the tag that starts at tag (up to its
 * '>') into out ("" when absent). */
static void mjb_attr(const char *tag, const char *name, char *out, size_t cap) {
    const char *end = strchr(tag, '>'), *p = tag;
    size_t n = strlen(name);
    out[0] = '\0';
    while ((p = strstr(p + 1, name)) && (!end || p < end)) {
        const char *q = p + n;
        while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r') q++;
        if (!strchr(" \t\r\n", p[-1]) || *q != '=') continue;
        for (q++; *q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'; q++) {}
        const char *v = q + 1, *w = (*q == '"' || *q == '\'') ? strchr(v, *q) : NULL;
        if (w) snprintf(out, cap, "%.*s", (int)(w - v), v);
        return;
    }
}

/* A PNG at p (by its signature) whose IHDR declares more than
 * MJB_HFIELD_MAX_CELLS pixels, which MuJoCo's decoder would allocate:
 * -1 with err; 0 for a smaller PNG or another file. */
static int mjb_png_ok(const char *p, char *err, int errlen) {
    unsigned char h[24];
    FILE *f = fopen(p, "rb");
    size_t n = f ? fread(h, 1, sizeof h, f) : 0;
    if (f) fclose(f);
    if (n < 24 || memcmp(h, "\211PNG\r\n\032\n", 8) || memcmp(h + 12, "IHDR", 4)) return 0;
    double w = (double)((uint32_t)h[16] << 24 | (uint32_t)h[17] << 16 | (uint32_t)h[18] << 8 | h[19]);
    double ht = (double)((uint32_t)h[20] << 24 | (uint32_t)h[21] << 16 | (uint32_t)h[22] << 8 | h[23]);
    if (w * ht <= MJB_HFIELD_MAX_CELLS) return 0;
    snprintf(err, (size_t)errlen, "%s: a PNG of %.0f x %.0f pixels (at most %d)", p, w, ht, MJB_HFIELD_MAX_CELLS);
    return -1;
}

/* Check one file="v" of `xml` (folder fdir): each candidate that exists
 * is a regular file; *inc gets the first one (for an include). 0 or -1. */
static int mjb_file_ok(const char *xml, const char *v, const char *const bases[5], char *inc, char *err,
                       int errlen) {
    inc[0] = '\0';
    for (int b = 0; b < 5; b++) {
        char c[2 * PATH_MAX];
        struct stat st;
        if (!bases[b] || (v[0] == '/' && b)) continue;
        if (v[0] == '/') snprintf(c, sizeof c, "%s", v);
        else snprintf(c, sizeof c, "%s/%s", bases[b], v);
        if (stat(c, &st)) continue;
        if (!S_ISREG(st.st_mode)) {
            snprintf(err, (size_t)errlen, "%s: file \"%s\" (%s) is %s, not a regular file", xml, v, c,
                     S_ISDIR(st.st_mode) ? "a directory" : "a FIFO, socket or device");
            return -1;
        }
        if (mjb_png_ok(c, err, errlen)) return -1;
        if (!inc[0] && strlen(c) < PATH_MAX) memcpy(inc, c, strlen(c) + 1);
    }
    return 0;
}

/* Scan `xml` (see mjb_mjcf_files_check); *count files so far. 0 or -1. */
static int mjb_scan(const char *xml, const char *dir, const char *const sub[3], int *count, char *err, int errlen) {
    if (++*count > MJB_MJCF_MAX_FILES) {
        snprintf(err, (size_t)errlen, "%s: more than %d MJCF files included", xml, MJB_MJCF_MAX_FILES);
        return -1;
    }
    char *t = mjb_slurp(xml, err, errlen), fdir[PATH_MAX], v[PATH_MAX], inc[PATH_MAX];
    if (!t) return -1;
    mjb_dirname(xml, fdir, sizeof fdir);
    const char *const bases[5] = {dir, fdir, sub[0], sub[1], sub[2]};
    int rc = 0;
    for (const char *tag = strchr(t, '<'); tag && !rc; tag = strchr(tag + 1, '<')) {
        if (!strncmp(tag, "<hfield", 7)) {
            char r[64], c[64];
            mjb_attr(tag, "nrow", r, sizeof r), mjb_attr(tag, "ncol", c, sizeof c);
            if (atof(r) * atof(c) > MJB_HFIELD_MAX_CELLS) {
                snprintf(err, (size_t)errlen, "%s: hfield of %s x %s cells (at most %d)", xml, r, c,
                         MJB_HFIELD_MAX_CELLS);
                rc = -1;
            }
        }
        mjb_attr(tag, "file", v, sizeof v);
        if (rc || !v[0]) continue;
        rc = mjb_file_ok(xml, v, bases, inc, err, errlen);
        if (!rc && inc[0] && !strncmp(tag, "<include", 8)) rc = mjb_scan(inc, dir, sub, count, err, errlen);
    }
    free(t);
    return rc;
}

/* See mjb_arena.h. */
int mjb_mjcf_files_check(const char *xml, const char *dir, char *err, int errlen) {
    char *t = mjb_slurp(xml, err, errlen), sub[3][2 * PATH_MAX], v[PATH_MAX];
    if (!t) return -1;
    static const char *const names[3] = {"meshdir", "texturedir", "assetdir"};
    const char *tag = strstr(t, "<compiler"), *subs[3] = {NULL, NULL, NULL};
    for (int k = 0; k < 3 && tag; k++) {
        mjb_attr(tag, names[k], v, sizeof v);
        if (!v[0]) continue;
        if (v[0] == '/') snprintf(sub[k], sizeof sub[k], "%s", v);
        else snprintf(sub[k], sizeof sub[k], "%s/%s", dir, v);
        subs[k] = sub[k];
    }
    free(t);
    int count = 0;
    return mjb_scan(xml, dir, subs, &count, err, errlen);
}

/* Where the wrapper lives and how it names the model: beside the model
 * file; for a generated model (text), beside the arena file, else the
 * terrain image, else in the working directory, naming the VFS's model. */
static int mjb_arena_where(const char *path, const mjb_arena *a, char *dir, char *model, char *err, int errlen) {
    if (!path) {
        mjb_dirname(a->arena && *a->arena ? a->arena : a->terrain == 1 && a->image ? a->image : "x", dir, PATH_MAX);
        snprintf(model, PATH_MAX, "%s", MJB_ARENA_MODEL);
        return 0;
    }
    mjb_dirname(path, dir, PATH_MAX);
    if (!mjb_relpath(dir, path, model, PATH_MAX)) return 0;
    snprintf(err, (size_t)errlen, "%s: cannot resolve the model's path", path);
    return -1;
}

/* The wrapper's text into xml. 0, or -1 with err. */
static int mjb_arena_text(const char *path, const mjb_arena *a, char *xml, size_t cap, char *err, int errlen) {
    char dir[PATH_MAX], model[PATH_MAX], arena[PATH_MAX], image[PATH_MAX];
    if (mjb_arena_where(path, a, dir, model, err, errlen)) return -1;
    int n = snprintf(xml, cap, "<mujoco>\n  <include file=\"%s\"/>\n", model);
    if (a->arena && *a->arena) {
        if (mjb_relpath(dir, a->arena, arena, sizeof arena)) {
            snprintf(err, (size_t)errlen, "arena %s: no such file", a->arena);
            return -1;
        }
        n += snprintf(xml + n, cap - (size_t)n, "  <include file=\"%s\"/>\n", arena);
    }
    const double *s = a->size;
    if (a->terrain == 1) {
        if (!a->image || !*a->image || mjb_relpath(dir, a->image, image, sizeof image)) {
            snprintf(err, (size_t)errlen, "terrain_image '%s': no such file (terrain: image needs one)",
                     a->image ? a->image : "");
            return -1;
        }
        n += snprintf(xml + n, cap - (size_t)n, "  <asset><hfield name=\"animat_terrain\" file=\"%s\" size=\"%g %g %g %g\"/></asset>\n",
                      image, s[0], s[1], s[2], s[3]);
    } else if (a->terrain == 2) {
        n += snprintf(xml + n, cap - (size_t)n,
                      "  <asset><hfield name=\"animat_terrain\" nrow=\"%d\" ncol=\"%d\" size=\"%g %g %g %g\"/></asset>\n",
                      a->cells, a->cells, s[0], s[1], s[2], s[3]);
    }
    if (a->terrain)
        n += snprintf(xml + n, cap - (size_t)n,
                      "  <worldbody><geom name=\"animat_terrain\" type=\"hfield\" hfield=\"animat_terrain\" pos=\"0 0 %g\" "
                      "rgba=\".45 .4 .3 1\"/></worldbody>\n",
                      0.0);
    n += snprintf(xml + n, cap - (size_t)n, "</mujoco>\n");
    if ((size_t)n >= cap) {
        snprintf(err, (size_t)errlen, "arena paths too long");
        return -1;
    }
    return 0;
}

/* Seeded smooth noise into the terrain's heights (see mjb_arena.h). 0 or -1. */
static int mjb_arena_noise(mjModel *m, const mjb_arena *a) {
    int id = mj_name2id(m, mjOBJ_HFIELD, "animat_terrain");
    if (id < 0) return -1;
    int nr = m->hfield_nrow[id], nc = m->hfield_ncol[id];
    float *h = m->hfield_data + m->hfield_adr[id];
    double *raw = malloc((size_t)nr * (size_t)nc * sizeof *raw);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    if (!raw || !g) {
        free(raw);
        if (g) gsl_rng_free(g);
        return -1;
    }
    gsl_rng_set(g, a->seed);
    for (int i = 0; i < nr * nc; i++) raw[i] = gsl_rng_uniform(g);
    double lo = 1e300, hi = -1e300;
    for (int r = 0; r < nr; r++)
        for (int c = 0; c < nc; c++) {
            double sum = 0;
            int k = 0;
            for (int dr = -2; dr <= 2; dr++)
                for (int dc = -2; dc <= 2; dc++) {
                    int rr = r + dr, cc = c + dc;
                    if (rr < 0 || rr >= nr || cc < 0 || cc >= nc) continue;
                    sum += raw[rr * nc + cc];
                    k++;
                }
            h[r * nc + c] = (float)(sum / k);
            lo = h[r * nc + c] < lo ? h[r * nc + c] : lo;
            hi = h[r * nc + c] > hi ? h[r * nc + c] : hi;
        }
    for (int i = 0; i < nr * nc; i++) h[i] = hi > lo ? (float)((h[i] - lo) / (hi - lo)) : 0.0f;
    free(raw);
    gsl_rng_free(g);
    return 0;
}

/* MuJoCo's multi-line messages folded into one line. */
static void mjb_arena_one_line(char *s) {
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' ')) s[--n] = '\0';
    for (char *p = s; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t') *p = ' ';
}

/* Put `len` bytes of text in vfs as file `name`. 0 or -1. */
static int mjb_vfs_add(mjVFS *vfs, const char *name, const char *text) {
    int len = (int)strlen(text);
    if (mj_makeEmptyFileVFS(vfs, name, len) != 0) return -1;
    memcpy(vfs->filedata[vfs->nfile - 1], text, (size_t)len);
    return 0;
}

/* See mjb_arena.h. */
mjModel *mjb_arena_load(const char *path, const char *text, const mjb_arena *a, char *err, int errlen) {
    size_t cap = 4 * PATH_MAX + 1024;
    char *xml = mju_malloc(cap); /* not static: instances are created on several threads */
    char dir[PATH_MAX], model[PATH_MAX], vpath[PATH_MAX + 32], msg[1000] = "", why[1200];
    const char *label = path ? path : "(generated model)";
    if (mjb_arena_text(path, a, xml, cap, why, (int)sizeof why) ||
        mjb_arena_where(path, a, dir, model, why, (int)sizeof why)) {
        snprintf(err, (size_t)errlen, "%s: %s", label, why);
        mju_free(xml);
        return NULL;
    }
    if ((path && mjb_mjcf_files_check(path, dir, why, (int)sizeof why)) ||
        (a->arena && *a->arena && mjb_mjcf_files_check(a->arena, dir, why, (int)sizeof why)) ||
        (a->terrain == 1 && a->image && *a->image && mjb_png_ok(a->image, why, (int)sizeof why))) {
        snprintf(err, (size_t)errlen, "%s: %s", label, why);
        mju_free(xml);
        return NULL;
    }
    snprintf(vpath, sizeof vpath, "%s/animat-arena.xml", dir);
    mjVFS *vfs = mju_malloc(sizeof(mjVFS));
    mjModel *m = NULL;
    mj_defaultVFS(vfs);
    if (mjb_vfs_add(vfs, "animat-arena.xml", xml) == 0 && (path || mjb_vfs_add(vfs, MJB_ARENA_MODEL, text) == 0))
        m = mj_loadXML(vpath, vfs, msg, (int)sizeof msg);
    else
        snprintf(msg, sizeof msg, "cannot create VFS file");
    mj_deleteVFS(vfs);
    mju_free(vfs);
    mju_free(xml);
    if (!m) {
        mjb_arena_one_line(msg);
        snprintf(err, (size_t)errlen, "%s with arena %s%s%s: MuJoCo: %s", label,
                 a->arena && *a->arena ? a->arena : "(none)", a->terrain == 1 ? " and terrain_image " : "",
                 a->terrain == 1 ? a->image : "", *msg ? msg : "could not load the model");
        return NULL;
    }
    if (a->terrain == 2 && mjb_arena_noise(m, a)) {
        mj_deleteModel(m);
        snprintf(err, (size_t)errlen, "%s: out of memory for the terrain", label);
        return NULL;
    }
    return m;
}

/* See mjb_arena.h. */
int mjb_arena_check(mjModel *m, char *err, int errlen) {
    mjData *d = mj_makeData(m);
    if (!d) {
        snprintf(err, (size_t)errlen, "MuJoCo could not allocate the model's data");
        return -1;
    }
    int flags = m->opt.disableflags;
    m->opt.disableflags &= ~mjDSBL_CONTACT;
    mj_forward(m, d);
    m->opt.disableflags = flags;
    int rc = 0;
    if (d->warning[mjWARN_CONTACTFULL].number > 0) { /* the first step would fail: say so now */
        snprintf(err, (size_t)errlen, "the starting pose already has more contacts than MuJoCo's contact buffer "
                                      "holds (a terrain of many cells under the body, or many obstacles): use fewer "
                                      "terrain_cells or raise <size nconmax> in the model");
        rc = -1;
    }
    for (int c = 0; c < d->ncon && !rc; c++) {
        const mjContact *k = d->contact + c;
        int g1 = k->geom1, g2 = k->geom2;
        if (m->geom_bodyid[g2] == 0) { int t = g1; g1 = g2; g2 = t; }
        if (m->geom_bodyid[g1] != 0 || m->geom_bodyid[g2] == 0) continue; /* world vs moving body only */
        int type = m->geom_type[g1];
        if (type == mjGEOM_PLANE || type == mjGEOM_HFIELD || !(k->dist < -MJB_ARENA_PENETRATION)) continue;
        const char *ob = mj_id2name(m, mjOBJ_GEOM, g1), *bo = mj_id2name(m, mjOBJ_BODY, m->geom_bodyid[g2]);
        snprintf(err, (size_t)errlen, "body '%s' starts inside obstacle '%s' (penetration %.4f m): move one of them",
                 bo ? bo : "?", ob ? ob : "(unnamed geom)", -k->dist);
        rc = -1;
    }
    mj_deleteData(d);
    return rc;
}

/* See mjb_arena.h. */
int mjb_arena_read(const animat_host *h, mjb_arena *a, char *err, int errlen) {
    const char *terrain = "";
    const double *size = NULL;
    uint32_t n = 0;
    double seed = 1, cells = 64;
    static const char *const names[] = {"terrain_seed", "terrain_cells"};
    double *const outs[] = {&seed, &cells};
    if (h->param_string(h, "arena", &a->arena) != ANIMAT_OK) a->arena = "";
    if (h->param_string(h, "terrain_image", &a->image) != ANIMAT_OK) a->image = "";
    if (h->param_choice(h, "terrain", &terrain) != ANIMAT_OK || h->param_list(h, "terrain_size", &size, &n) != ANIMAT_OK ||
        animat_param_reals(h, names, outs, ANIMAT_COUNT(names)) != ANIMAT_OK || n != 4) {
        snprintf(err, (size_t)errlen, "terrain_size needs 4 values (x, y half-sizes, height, base), not %u", n);
        return -1;
    }
    a->terrain = strcmp(terrain, "image") == 0 ? 1 : strcmp(terrain, "noise") == 0 ? 2 : 0;
    memcpy(a->size, size, sizeof a->size);
    a->seed = (unsigned long)seed;
    a->cells = (int)cells;
    return 0;
}

/* See mjb_arena.h. */
mjModel *mjb_arena_model(const animat_host *h, const char *path, char *err, int errlen) {
    mjb_arena a = {0};
    if (mjb_arena_read(h, &a, err, errlen)) return NULL;
    err[0] = '\0';
    if (!mjb_arena_any(&a)) return NULL; /* the caller loads the plain model */
    if (!*path) {
        snprintf(err, (size_t)errlen, "arena and terrain need a model file (set model)");
        return NULL;
    }
    mjModel *m = mjb_arena_load(path, NULL, &a, err, errlen);
    char why[400];
    if (m && mjb_arena_check(m, why, (int)sizeof why)) {
        snprintf(err, (size_t)errlen, "%s with arena %s: %s", path, *a.arena ? a.arena : "(terrain only)", why);
        mj_deleteModel(m);
        return NULL;
    }
    return m;
}

/* See mjb_arena.h. */
int mjb_arena_regions(const mjModel *m, mjb_rft *rft, char *err, int errlen) {
    double v[5 * MJB_RFT_REGIONS + 1];
    int n = mjb_custom_numeric(m, MJB_REGIONS_KEY, v, 5 * MJB_RFT_REGIONS + 1);
    rft->nregions = 0;
    if (n < 0) return 0;
    if (n == 0 || n % 5 || n > 5 * MJB_RFT_REGIONS) {
        snprintf(err, (size_t)errlen, "<custom> %s: 1 to %d regions of 5 numbers \"x0 x1 y0 y1 ratio\", not %d numbers",
                 MJB_REGIONS_KEY, MJB_RFT_REGIONS, n);
        return -1;
    }
    if (!rft->on) {
        snprintf(err, (size_t)errlen, "<custom> %s: medium regions need the parameter medium: rft", MJB_REGIONS_KEY);
        return -1;
    }
    for (int k = 0; k < n / 5; k++) {
        const double *r = v + 5 * k;
        if (!(r[0] <= r[1] && r[2] <= r[3] && r[4] >= 1 && r[4] <= 100)) {
            snprintf(err, (size_t)errlen, "<custom> %s: region %d needs x0 <= x1, y0 <= y1 and a ratio in [1, 100]",
                     MJB_REGIONS_KEY, k + 1);
            return -1;
        }
    }
    memcpy(rft->regions, v, (size_t)n * sizeof(double));
    rft->nregions = n / 5;
    return 0;
}
