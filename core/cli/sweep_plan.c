/* sweep_plan.c -- a sweep's plan: arguments, runs, hashes, its directory
 * and the results already there (see sweep.h). */
#include "cli/sweep.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/atomicfile.h"
#include "base/hash.h"
#include "base/yamlemit.h"
#include "base/yamltree.h"
#include "exp/experiment.h"

#define SWEEP_FORMAT "animat-sweep/1"

static char *dupe(const char *s, errmsg *e) {
    char *d = strdup(s);
    if (!d) errmsg_set(e, "out of memory");
    return d;
}

/* A grid value as the text of a --set VALUE (YAML) and as a one-line label. */
static int axis_value(const yamltree *v, char **text, char **label, errmsg *e) {
    if (v->kind == YAMLTREE_SCALAR && !v->quoted) {
        *text = dupe(v->str, e);
    } else if (v->kind == YAMLTREE_SCALAR) {
        size_t n = strlen(v->str);
        if ((*text = malloc(2 * n + 3))) {
            char *o = *text;
            *o++ = '\'';
            for (const char *c = v->str; *c; c++) *o++ = *c, *c == '\'' ? (void)(*o++ = '\'') : (void)0;
            *o++ = '\'', *o = '\0';
        }
    } else {
        *text = yamlemit_text(v, e);
    }
    if (!*text) return e->msg[0] ? -1 : errmsg_set(e, "out of memory");
    if (!(*label = dupe(*text, e))) return -1;
    for (char *c = *label; *c; c++)
        if (*c == '\n') *c = ' ';
    size_t n = strlen(*label);
    while (n && (*label)[n - 1] == ' ') (*label)[--n] = '\0';
    return 0;
}

/* --grid KEY=[v1, v2, ...] into axis a. 0, or -1 with e set. */
static int parse_grid(const char *arg, sweep_axis *a, errmsg *e) {
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg) return errmsg_set(e, "--grid %s: expected KEY=[v1,v2,...]", arg);
    if (!(a->key = strndup(arg, (size_t)(eq - arg)))) return errmsg_set(e, "out of memory");
    errmsg pe;
    errmsg_clear(&pe);
    yamltree *t = yamltree_parse("--grid", eq + 1, strlen(eq + 1), &pe);
    if (!t) return errmsg_set(e, "--grid %s: the values are not YAML: %s", arg, pe.msg);
    int rc = 0;
    if (t->kind != YAMLTREE_SEQ) {
        rc = errmsg_set(e, "--grid %s: expected a list of values like %s=[1,2,3]", arg, a->key);
    } else if (t->n == 0) {
        rc = errmsg_set(e, "--grid %s: the list of values is empty", arg);
    } else if (!(a->vals = calloc(t->n, sizeof *a->vals)) || !(a->labels = calloc(t->n, sizeof *a->labels))) {
        rc = errmsg_set(e, "out of memory");
    } else {
        for (size_t i = 0; !rc && i < t->n; i++, a->n++) rc = axis_value(t->vals[i], &a->vals[i], &a->labels[i], e);
    }
    yamltree_free(t);
    return rc;
}

/* --seeds A..B or --seeds A. 0, or -1 with e set. */
static int parse_seeds(const char *s, uint64_t *lo, uint64_t *hi, errmsg *e) {
    char *end;
    errno = 0;
    if (*s < '0' || *s > '9') return errmsg_set(e, "--seeds %s: expected A..B (e.g. 1..5) or one seed", s);
    *lo = strtoull(s, &end, 10);
    if (errno) return errmsg_set(e, "--seeds %s: out of range", s);
    if (!*end) return *hi = *lo, 0;
    if (strncmp(end, "..", 2) || end[2] < '0' || end[2] > '9')
        return errmsg_set(e, "--seeds %s: expected A..B (e.g. 1..5) or one seed", s);
    *hi = strtoull(end + 2, &end, 10);
    if (errno || *end) return errmsg_set(e, "--seeds %s: expected A..B (e.g. 1..5) or one seed", s);
    if (*hi < *lo) return errmsg_set(e, "--seeds %s: the range is empty (%" PRIu64 " > %" PRIu64 ")", s, *lo, *hi);
    if (*hi - *lo >= 100000) return errmsg_set(e, "--seeds %s: more than 100000 seeds", s);
    return 0;
}

/* An absolute copy of path (which must exist). NULL with e set. */
static char *absolute(const char *path, const char *what, errmsg *e) {
    char *a = realpath(path, NULL);
    if (!a) errmsg_set(e, "%s %s: %s", what, path, strerror(errno));
    return a;
}

int sweep_plan_parse(sweep_plan *p, int argc, char **argv, errmsg *e) {
    if (!(p->args = calloc((size_t)argc + 1, sizeof *p->args))) return errmsg_set(e, "out of memory");
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int value = !strcmp(a, "--grid") || !strcmp(a, "--seeds") || !strcmp(a, "--set") || !strcmp(a, "--plugin");
        if (value && !v) return errmsg_set(e, "%s needs a value", a);
        if (!(p->args[p->nargs++] = dupe(a, e))) return -1;
        if (value && !(p->args[p->nargs++] = dupe(v, e))) return -1;
        const char *val = value ? p->args[p->nargs - 1] : NULL;
        i += value;
        if (!strcmp(a, "--grid")) {
            if (p->naxes == SWEEP_MAX_AXES) return errmsg_set(e, "more than %d --grid", SWEEP_MAX_AXES);
            if (parse_grid(val, &p->axes[p->naxes++], e)) return -1;
        } else if (!strcmp(a, "--seeds")) {
            if (parse_seeds(val, &p->seed_lo, &p->seed_hi, e)) return -1;
            p->seeds_given = 1;
        } else if (!strcmp(a, "--set")) {
            if (p->nsets == SWEEP_MAX_ARGS) return errmsg_set(e, "too many --set");
            p->sets[p->nsets++] = val;
        } else if (!strcmp(a, "--plugin")) {
            if (p->nplugins == 64) return errmsg_set(e, "too many --plugin");
            if (!(p->plugins[p->nplugins++] = absolute(val, "--plugin", e))) return -1;
        } else if (!strcmp(a, "--train")) {
            p->train = 1;
        } else if (a[0] == '-' && a[1]) {
            return errmsg_set(e, "unknown option '%s' (see animat sweep --help)", a);
        } else if (p->file) {
            return errmsg_set(e, "unexpected argument '%s'", a);
        } else if (!(p->file = absolute(a, "experiment", e))) {
            return -1;
        }
    }
    if (!p->file) return errmsg_set(e, "needs an experiment FILE (see animat sweep --help)");
    uint64_t h = HASH_FNV_INIT;
    for (uint32_t i = 0; i < p->nargs; i++) h = hash_fnv(h, p->args[i], strlen(p->args[i]) + 1);
    p->id = hash_fnv(h, p->file, strlen(p->file) + 1);
    return 0;
}

const char *sweep_point_label(const sweep_plan *p, uint32_t k, char *buf, size_t cap) {
    size_t len = 0;
    buf[0] = '\0';
    uint32_t rest = k, idx[SWEEP_MAX_AXES];
    for (int a = (int)p->naxes - 1; a >= 0; a--) idx[a] = rest % p->axes[a].n, rest /= p->axes[a].n;
    for (uint32_t a = 0; a < p->naxes && len < cap; a++) {
        int n = snprintf(buf + len, cap - len, "%s%s=%s", a ? ", " : "", p->axes[a].key, p->axes[a].labels[idx[a]]);
        if (n > 0) len += (size_t)n;
    }
    if (!p->naxes) snprintf(buf, cap, "(no grid)");
    return buf;
}

/* Load run r's experiment (all overrides) and hash what decides its result:
 * the resolved experiment text, the plugin files and a theta file. */
static int load_run(sweep_plan *p, const char *const *extra, uint32_t nextra, uint64_t *hash, uint64_t *seed,
                    errmsg *e) {
    const char *sets[SWEEP_MAX_ARGS + SWEEP_MAX_AXES + 1];
    uint32_t n = 0;
    for (uint32_t i = 0; i < p->nsets; i++) sets[n++] = p->sets[i];
    for (uint32_t i = 0; i < nextra; i++) sets[n++] = extra[i];
    experiment *x;
    if (experiment_open(&x, p->file, sets, n, (const char *const *)p->plugins, p->nplugins, e)) return -1;
    char *text = yamlemit_text(experiment_doc(x), e);
    uint64_t h = HASH_FNV_INIT, fh = 0;
    if (text) h = hash_fnv(h, text, strlen(text));
    const char *mode = p->train ? "train" : "run";
    h = hash_fnv(h, mode, strlen(mode) + 1);
    for (uint32_t i = 0; i <= experiment_ninsts(x); i++) {
        const experiment_inst *in = experiment_inst_at(x, i);
        if (in->plugin && hash_file(in->plugin->lib->path, &fh) == 0) h = hash_fnv(h, &fh, sizeof fh);
    }
    const char *theta_file = experiment_theta_file_path(x);
    if (theta_file && hash_file(theta_file, &fh) == 0) h = hash_fnv(h, &fh, sizeof fh);
    int rc = text ? 0 : -1;
    if (!rc && p->train && !experiment_inst_at(x, experiment_ninsts(x))->plugin)
        rc = errmsg_set(e, "%s: --train needs a learner: block", p->file);
    if (!rc && p->train && !experiment_eval_episodes(x))
        rc = errmsg_set(e, "%s: --train needs held-out episodes (train.eval.episodes is 0)", p->file);
    *hash = h;
    if (seed) *seed = experiment_seed(x);
    free(text);
    experiment_close(x);
    return rc;
}

/* Each grid value alone, so a bad one is named with its --grid. */
static int check_values(sweep_plan *p, errmsg *e) {
    for (uint32_t a = 0; a < p->naxes; a++)
        for (uint32_t k = 0; k < p->axes[a].n; k++) {
            char set[8192];
            snprintf(set, sizeof set, "%s=%s", p->axes[a].key, p->axes[a].vals[k]);
            const char *one = set;
            uint64_t h;
            errmsg le;
            errmsg_clear(&le);
            if (load_run(p, &one, 1, &h, NULL, &le))
                return errmsg_set(e, "--grid %s: value %s: %s", p->axes[a].key, p->axes[a].labels[k], le.msg);
        }
    return 0;
}

/* Is DIR/runs/NAME/result.yaml there with hash h? Then its value. */
static int read_result(const sweep_plan *p, sweep_run *r) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/runs/%s/result.yaml", p->dir, r->name);
    errmsg e = {0};
    yamltree *t = yamltree_load(path, &e);
    if (!t) return 0;
    const yamltree *h = yamltree_get(t, "hash"), *v = yamltree_get(t, "value");
    char want[32];
    snprintf(want, sizeof want, "%016" PRIx64, r->hash);
    int ok = h && v && h->kind == YAMLTREE_SCALAR && v->kind == YAMLTREE_SCALAR && !strcmp(h->str, want);
    if (ok) {
        char *end;
        r->value = strtod(v->str, &end);
        ok = !*end;
    }
    yamltree_free(t);
    return ok;
}

int sweep_plan_load(sweep_plan *p, errmsg *e) {
    uint64_t h, file_seed;
    if (load_run(p, NULL, 0, &h, &file_seed, e) || check_values(p, e)) return -1;
    if (!p->seeds_given) p->seed_lo = p->seed_hi = file_seed;
    uint64_t npoints = 1, nseeds = p->seed_hi - p->seed_lo + 1;
    for (uint32_t a = 0; a < p->naxes; a++) npoints *= p->axes[a].n;
    if (npoints * nseeds > 1000000) return errmsg_set(e, "the sweep has more than 1000000 runs");
    p->npoints = (uint32_t)npoints;
    p->nruns = (uint32_t)(npoints * nseeds);
    if (!(p->runs = calloc(p->nruns, sizeof *p->runs))) return errmsg_set(e, "out of memory");
    for (uint32_t k = 0; k < p->npoints; k++) {
        const char *sets[SWEEP_MAX_AXES + 1];
        char own[SWEEP_MAX_AXES + 1][8192];
        uint32_t rest = k;
        for (int a = (int)p->naxes - 1; a >= 0; a--) {
            const sweep_axis *ax = &p->axes[a];
            snprintf(own[a], sizeof own[a], "%s=%s", ax->key, ax->vals[rest % ax->n]);
            sets[a] = own[a], rest /= ax->n;
        }
        for (uint64_t s = 0; s < nseeds; s++) {
            sweep_run *r = &p->runs[k * nseeds + s];
            r->point = k, r->seed = p->seed_lo + s;
            snprintf(r->name, sizeof r->name, "p%03u-s%" PRIu64, k, r->seed);
            snprintf(own[p->naxes], sizeof own[0], "run.seed=%" PRIu64, r->seed);
            sets[p->naxes] = own[p->naxes];
            if (load_run(p, sets, p->naxes + 1, &r->hash, NULL, e)) return -1;
            r->done = p->dir && read_result(p, r);
        }
    }
    return 0;
}

/* DIR/sweep.yaml's text for this plan. Caller frees; NULL on OOM. */
static char *sweep_yaml(const sweep_plan *p) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    fprintf(f, "# written by animat sweep; it identifies the sweep whose runs are in this folder\n");
    fprintf(f, "format: %s\nid: '%016" PRIx64 "'\nfile: '%s'\nargs:\n", SWEEP_FORMAT, p->id, p->file);
    for (uint32_t i = 0; i < p->nargs; i++) {
        fputs("  - '", f);
        for (const char *c = p->args[i]; *c; c++) fputs(*c == '\'' ? "''" : (char[]){*c, 0}, f);
        fputs("'\n", f);
    }
    if (fclose(f)) {
        free(buf);
        return NULL;
    }
    return buf;
}

int sweep_dir_check(const sweep_plan *p, errmsg *e) {
    struct stat st;
    if (lstat(p->dir, &st)) {
        if (errno == ENOENT) return 0;
        return errmsg_set(e, "-o %s: %s", p->dir, strerror(errno));
    }
    if (!S_ISDIR(st.st_mode)) return errmsg_set(e, "-o %s: exists and is not a directory", p->dir);
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/sweep.yaml", p->dir);
    errmsg le = {0};
    yamltree *t = yamltree_load(path, &le);
    if (!t) {
        DIR *d = opendir(p->dir);
        if (!d) return errmsg_set(e, "-o %s: %s", p->dir, strerror(errno));
        int empty = 1;
        for (struct dirent *de; (de = readdir(d));)
            if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) empty = 0;
        closedir(d);
        return empty ? 0 : errmsg_set(e, "-o %s: the directory is not empty and holds no sweep.yaml (not a sweep's "
                                         "folder); refusing to write into it", p->dir);
    }
    const yamltree *id = yamltree_get(t, "id"), *file = yamltree_get(t, "file");
    char want[32];
    snprintf(want, sizeof want, "%016" PRIx64, p->id);
    int same = id && id->kind == YAMLTREE_SCALAR && !strcmp(id->str, want);
    int rc = same ? 0
                  : errmsg_set(e, "-o %s: the directory holds another sweep's runs (%s: %s with other arguments); "
                                  "use another -o", p->dir, path,
                               file && file->kind == YAMLTREE_SCALAR ? file->str : "?");
    yamltree_free(t);
    return rc;
}

int sweep_dir_init(const sweep_plan *p, errmsg *e) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/runs", p->dir);
    if (mkdir(p->dir, 0777) && errno != EEXIST)
        return errmsg_set(e, "-o %s: cannot create: %s", p->dir, strerror(errno));
    if (mkdir(path, 0777) && errno != EEXIST) return errmsg_set(e, "%s: cannot create: %s", path, strerror(errno));
    char *text = sweep_yaml(p);
    if (!text) return errmsg_set(e, "out of memory");
    snprintf(path, sizeof path, "%s/sweep.yaml", p->dir);
    int rc = atomicfile_write(path, text, strlen(text), e);
    free(text);
    return rc;
}

int sweep_dir_args(const char *dir, char ***argv, int *argc, errmsg *e) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/sweep.yaml", dir);
    struct stat st;
    if (stat(dir, &st) || !S_ISDIR(st.st_mode)) return errmsg_set(e, "--collect %s: not a directory", dir);
    errmsg le = {0};
    yamltree *t = yamltree_load(path, &le);
    if (!t) return errmsg_set(e, "--collect %s: no sweep.yaml: not a sweep's folder", dir);
    const yamltree *f = yamltree_get(t, "format"), *a = yamltree_get(t, "args");
    int rc = 0;
    if (!f || f->kind != YAMLTREE_SCALAR || strcmp(f->str, SWEEP_FORMAT) || !a || a->kind != YAMLTREE_SEQ)
        rc = errmsg_set(e, "%s: not a sweep description (format %s)", path, SWEEP_FORMAT);
    else if (!(*argv = calloc(a->n + 1, sizeof **argv)))
        rc = errmsg_set(e, "out of memory");
    for (size_t i = 0; !rc && i < a->n; i++) {
        if (a->vals[i]->kind != YAMLTREE_SCALAR || !((*argv)[i] = strdup(a->vals[i]->str)))
            rc = errmsg_set(e, "%s: args[%zu] is not a string", path, i);
        *argc = (int)i + 1;
    }
    yamltree_free(t);
    return rc;
}

void sweep_plan_free(sweep_plan *p) {
    for (uint32_t i = 0; i < p->nargs; i++) free(p->args[i]);
    free(p->args);
    free(p->file);
    for (uint32_t i = 0; i < p->nplugins; i++) free(p->plugins[i]);
    for (uint32_t a = 0; a < p->naxes; a++) {
        for (uint32_t k = 0; k < p->axes[a].n; k++) free(p->axes[a].vals[k]), free(p->axes[a].labels[k]);
        free(p->axes[a].key);
        free(p->axes[a].vals);
        free(p->axes[a].labels);
    }
    free(p->runs);
    free(p->dir);
}
