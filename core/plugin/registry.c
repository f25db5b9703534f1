/* registry.c -- see registry.h. */
#include "plugin/registry.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/params.h"
#include "plugin/plugindex.h"

#ifndef ANIMAT_PLUGIN_DIR
#define ANIMAT_PLUGIN_DIR "/usr/local/lib/animat/plugins"
#endif
#ifndef ANIMAT_BUILD_ROOT
#define ANIMAT_BUILD_ROOT ""
#endif

#define API_HAS REGISTRY_HAS

/* Size of the 1.0 version of a struct: everything up to and including `last`. */
#define SIZE_V1(type, last) (offsetof(type, last) + sizeof(((type *)0)->last))

void registry_init(registry *r) { memset(r, 0, sizeof *r); }

const char *registry_kind_name(uint32_t kind) {
    switch (kind) {
    case ANIMAT_KIND_BODY: return "body";
    case ANIMAT_KIND_CIRCUIT: return "circuit";
    case ANIMAT_KIND_LEARNER: return "learner";
    default: return "unknown";
    }
}

/* Plugin names: [a-z0-9_-]+. */
static int plugin_name_ok(const char *s) {
    if (!s || !*s) return 0;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_' || *s == '-')) return 0;
    return 1;
}

int registry_id_ok(const char *s) {
    if (!s || !*s || strnlen(s, REGISTRY_ID_MAX + 1) > REGISTRY_ID_MAX) return 0;
    int labels = 1;
    for (const char *c = s; *c; c++) {
        if (*c == '.') {
            if (c == s || c[1] == '.' || c[1] == 0) return 0;
            labels++;
        } else if (!(islower((unsigned char)*c) || isdigit((unsigned char)*c) || *c == '_' || *c == '-')) {
            return 0;
        }
    }
    return labels >= 2;
}

/* The descriptor's id, or NULL when it predates ABI 1.3 or leaves it NULL. */
static const char *desc_id(const animat_plugin_desc *d) {
    return d->struct_size >= offsetof(animat_plugin_desc, id) + sizeof d->id ? d->id : NULL;
}

/* Check a kind's function table: required functions present. */
static int check_api(const animat_plugin_desc *d, const char *path, errmsg *e) {
    const char *missing = NULL;
    if (!d->api) return errmsg_set(e, "%s: plugin '%s' has no function table", path, d->name);
    uint32_t size = *(const uint32_t *)d->api;
    if (d->kind == ANIMAT_KIND_BODY) {
        const animat_body_api *a = d->api;
        if (size < SIZE_V1(animat_body_api, step)) goto small;
        missing = !API_HAS(a, animat_body_api, create)       ? "create"
                  : !API_HAS(a, animat_body_api, destroy)    ? "destroy"
                  : !API_HAS(a, animat_body_api, ports)      ? "ports"
                  : !API_HAS(a, animat_body_api, control_dt) ? "control_dt"
                  : !API_HAS(a, animat_body_api, reset)      ? "reset"
                  : !API_HAS(a, animat_body_api, step)       ? "step"
                                                             : NULL;
    } else if (d->kind == ANIMAT_KIND_CIRCUIT) {
        const animat_circuit_api *a = d->api;
        if (size < SIZE_V1(animat_circuit_api, step)) goto small;
        missing = !API_HAS(a, animat_circuit_api, create)       ? "create"
                  : !API_HAS(a, animat_circuit_api, destroy)    ? "destroy"
                  : !API_HAS(a, animat_circuit_api, ports)      ? "ports"
                  : !API_HAS(a, animat_circuit_api, theta_info) ? "theta_info"
                  : !API_HAS(a, animat_circuit_api, get_theta)  ? "get_theta"
                  : !API_HAS(a, animat_circuit_api, set_theta)  ? "set_theta"
                  : !API_HAS(a, animat_circuit_api, reset)      ? "reset"
                  : !API_HAS(a, animat_circuit_api, step)       ? "step"
                                                                : NULL;
    } else {
        const animat_learner_api *a = d->api;
        if (size < SIZE_V1(animat_learner_api, current)) goto small;
        missing = !API_HAS(a, animat_learner_api, create)       ? "create"
                  : !API_HAS(a, animat_learner_api, destroy)    ? "destroy"
                  : !API_HAS(a, animat_learner_api, population) ? "population"
                  : !API_HAS(a, animat_learner_api, ask)        ? "ask"
                  : !API_HAS(a, animat_learner_api, tell)       ? "tell"
                  : !API_HAS(a, animat_learner_api, current)    ? "current"
                                                                : NULL;
    }
    if (missing)
        return errmsg_set(e, "%s: plugin '%s': required function '%s' is NULL", path, d->name, missing);
    return 0;
small:
    return errmsg_set(e, "%s: plugin '%s': %s function table struct_size %u is smaller than ABI 1.0's", path,
                    d->name, registry_kind_name(d->kind), size);
}

/* The handshake and descriptor checks, before anything of the plugin runs. */
static int validate(const animat_plugin_entry *en, const char *path, errmsg *e) {
    if (en->struct_size < SIZE_V1(animat_plugin_entry, sizeof_size_t))
        return errmsg_set(e, "%s: entry struct_size %u is too small to be an animat plugin", path, en->struct_size);
    if (en->abi_major != ANIMAT_ABI_MAJOR)
        return errmsg_set(e,
                        "%s: built for animat ABI %u.%u, this host speaks ABI %u.%u (major versions must match; "
                        "rebuild the plugin against animat-sdk %u.x)",
                        path, en->abi_major, en->abi_minor, ANIMAT_ABI_MAJOR, ANIMAT_ABI_MINOR, ANIMAT_ABI_MAJOR);
    if (en->abi_minor > ANIMAT_ABI_MINOR)
        return errmsg_set(e, "%s: built for animat ABI %u.%u, newer than this host's %u.%u (upgrade animat)", path,
                        en->abi_major, en->abi_minor, ANIMAT_ABI_MAJOR, ANIMAT_ABI_MINOR);
    if (en->sizeof_double != sizeof(double) || en->sizeof_size_t != sizeof(size_t))
        return errmsg_set(e, "%s: built with sizeof(double)=%u, sizeof(size_t)=%u; this host has %zu, %zu", path,
                        en->sizeof_double, en->sizeof_size_t, sizeof(double), sizeof(size_t));
    if (en->struct_size < SIZE_V1(animat_plugin_entry, plugins))
        return errmsg_set(e, "%s: entry struct_size %u is smaller than ABI 1.0's", path, en->struct_size);
    if (en->n_plugins < 1 || en->n_plugins > 1024 || !en->plugins)
        return errmsg_set(e, "%s: entry lists %u plugins (want 1..1024 and a table)", path, en->n_plugins);
    for (uint32_t i = 0; i < en->n_plugins; i++) {
        const animat_plugin_desc *d = en->plugins[i];
        if (!d || d->struct_size < SIZE_V1(animat_plugin_desc, api))
            return errmsg_set(e, "%s: plugin descriptor %u is NULL or its struct_size is too small", path, i);
        if (!plugin_name_ok(d->name))
            return errmsg_set(e, "%s: plugin descriptor %u has an invalid name (want [a-z0-9_-]+)", path, i);
        if (d->kind < ANIMAT_KIND_BODY || d->kind > ANIMAT_KIND_LEARNER)
            return errmsg_set(e, "%s: plugin '%s' has unknown kind %u", path, d->name, d->kind);
        if (!d->version || !d->summary)
            return errmsg_set(e, "%s: plugin '%s' lacks a version or summary string", path, d->name);
        if (desc_id(d) && !registry_id_ok(desc_id(d)))
            return errmsg_set(e, "%s: plugin '%s' has an invalid id (want reverse-DNS, e.g. org.example.%s: "
                                 "[a-z0-9_-]+ labels joined by '.', at most %d characters)",
                              path, d->name, d->name, REGISTRY_ID_MAX);
        for (uint32_t j = 0; j < i; j++)
            if (en->plugins[j] && !strcmp(en->plugins[j]->name, d->name))
                return errmsg_set(e, "%s: plugin name '%s' appears twice in the file", path, d->name);
        if (check_api(d, path, e)) return -1;
        char who[PATH_MAX + 80];
        snprintf(who, sizeof who, "%.64s (%s)", d->name, path);
        if (params_check_table(d->params, d->n_params, who, e)) return -1;
    }
    return 0;
}

/* Append to a growable array of pointers/structs. 0 or -1 on OOM. */
static int grow(void **arr, size_t n, size_t elem) {
    void *p = realloc(*arr, (n + 1) * elem);
    if (!p) return -1;
    *arr = p;
    return 0;
}

/* Process-wide init/deinit bookkeeping (ABI 1.2): dlopen reference-counts
 * a file opened by several registries, so init runs when a handle is first
 * seen and deinit when its last registry closes it. Main thread only. */
typedef struct lib_use {
    void *handle;
    uint32_t refs;
} lib_use;
static lib_use *g_uses;
static size_t g_nuses;

static lib_use *use_of(void *handle) {
    for (size_t i = 0; i < g_nuses; i++)
        if (g_uses[i].handle == handle) return &g_uses[i];
    return NULL;
}

/* Count one more use of `handle`, calling the entry's init on the first.
 * 0, or -1 with e set (init failed, or out of memory). */
static int lib_acquire(void *handle, const animat_plugin_entry *en, const char *path, errmsg *e) {
    lib_use *u = use_of(handle);
    if (u) {
        u->refs++;
        return 0;
    }
    if (grow((void **)&g_uses, g_nuses, sizeof *g_uses)) return errmsg_set(e, "out of memory");
    if (REGISTRY_HAS(en, animat_plugin_entry, init)) {
        char why[256] = "";
        if (en->init(why, sizeof why) != ANIMAT_OK) {
            why[sizeof why - 1] = 0;
            return errmsg_set(e, "%s: init failed: %s", path, why[0] ? why : "(the plugin gave no reason)");
        }
    }
    g_uses[g_nuses++] = (lib_use){handle, 1};
    return 0;
}

/* Drop one use of a library; the last one calls deinit. */
static void lib_release(const registry_lib *lib) {
    lib_use *u = use_of(lib->handle);
    if (!u || --u->refs) return;
    if (REGISTRY_HAS(lib->entry, animat_plugin_entry, deinit)) lib->entry->deinit();
    *u = g_uses[--g_nuses];
    if (!g_nuses) {
        free(g_uses);
        g_uses = NULL;
    }
}

/* The library already loaded from the file st describes, or NULL. */
static registry_lib *lib_of_file(const registry *r, const struct stat *st) {
    for (size_t i = 0; i < r->nlibs; i++)
        if (r->libs[i]->dev == (unsigned long long)st->st_dev && r->libs[i]->ino == (unsigned long long)st->st_ino)
            return r->libs[i];
    return NULL;
}

/* Register plugin p: its id, and the ambiguity of its name and id with
 * every plugin of another file. 0, or -1 when out of memory. */
static int add_plugin(registry *r, registry_plugin *p) {
    p->id = desc_id(p->desc);
    if (!p->id) {
        size_t n = strlen(p->desc->name) + 7;
        if (!(p->owned_id = malloc(n))) return -1;
        snprintf(p->owned_id, n, "local.%s", p->desc->name);
        p->id = p->owned_id;
    }
    for (size_t j = 0; j < r->nplugins; j++) {
        registry_plugin *q = r->plugins[j];
        if (q->lib != p->lib && (!strcmp(q->desc->name, p->desc->name) || !strcmp(q->id, p->id)))
            q->ambiguous = p->ambiguous = 1;
    }
    r->plugins[r->nplugins++] = p;
    return 0;
}

/* Open `path` (or find it loaded: same device and inode) into *out. */
static int open_lib(registry *r, const char *path, registry_lib **out, errmsg *e) {
    /* dlopen searches system dirs for bare names: force a path. */
    char buf[PATH_MAX];
    if (!strchr(path, '/')) {
        snprintf(buf, sizeof buf, "./%s", path);
        path = buf;
    }
    struct stat st;
    if (stat(path, &st) != 0) return errmsg_set(e, "%s: no such plugin file", path);
    if (S_ISDIR(st.st_mode)) return errmsg_set(e, "%s: is a directory, not a plugin file", path);
    /* dlopen of a FIFO or device blocks or worse: only regular files load */
    if (!S_ISREG(st.st_mode)) return errmsg_set(e, "%s: is not a regular file (a FIFO, socket or device), not a plugin file", path);
    /* the same file through another directory or a symlink is one plugin */
    if ((*out = lib_of_file(r, &st))) return 0;
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) return errmsg_set(e, "%s: cannot load: %s", path, dlerror());
    const animat_plugin_entry *en = dlsym(h, ANIMAT_ENTRY_SYMBOL);
    if (!en) {
        dlclose(h);
        return errmsg_set(e, "%s: not an animat plugin: no '%s' symbol exported", path, ANIMAT_ENTRY_SYMBOL);
    }
    if (validate(en, path, e) || lib_acquire(h, en, path, e)) {
        dlclose(h);
        return -1;
    }
    registry_lib *lib = calloc(1, sizeof *lib);
    registry_plugin *ps = calloc(en->n_plugins, sizeof *ps);
    if (!lib || !ps || !(lib->path = strdup(path)) || grow((void **)&r->libs, r->nlibs, sizeof *r->libs) ||
        grow((void **)&r->plugins, r->nplugins + en->n_plugins - 1, sizeof *r->plugins)) {
        if (lib) free(lib->path);
        free(lib);
        free(ps);
        lib_release(&(registry_lib){.handle = h, .entry = en});
        dlclose(h);
        return errmsg_set(e, "out of memory");
    }
    lib->handle = h;
    lib->entry = en;
    lib->plugins = ps;
    lib->dev = (unsigned long long)st.st_dev;
    lib->ino = (unsigned long long)st.st_ino;
    lib->nplugins = en->n_plugins;
    r->libs[r->nlibs++] = lib;
    *out = lib;
    for (uint32_t i = 0; i < en->n_plugins; i++) {
        ps[i].desc = en->plugins[i];
        ps[i].lib = lib;
        if (add_plugin(r, &ps[i])) return errmsg_set(e, "out of memory");
    }
    return 0;
}

static int try_load(const char *path, char *names, size_t cap, errmsg *e);

/* Open an explicitly named file: probed in a child first (plugindex.h), as
 * the scan's files are, so that a file whose constructors crash, exit or
 * hang is refused in one line instead of taking animat down with it. */
static int open_explicit(registry *r, const char *path, registry_lib **out, errmsg *e) {
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && !lib_of_file(r, &st)) {
        plugindex_verdict v;
        char abs[PATH_MAX]; /* the index remembers absolute paths only */
        char *paths[1] = {realpath(path, abs) ? abs : (char *)path};
        memset(&v, 0, sizeof v);
        plugindex_probe(paths, 1, try_load, &v);
        /* a file that merely fails the checks is loaded below, which says why in the user's words */
        size_t n = strlen(paths[0]);
        if (v.crashed) return errmsg_set(e, "%s%s", path, strncmp(v.why, paths[0], n) ? ": failed its probe" : v.why + n);
    }
    return open_lib(r, path, out, e);
}

int registry_open(registry *r, const char *path, errmsg *e) {
    registry_lib *lib;
    return open_explicit(r, path, &lib, e);
}

/* Remember why a file was skipped. */
static void note_skip(registry *r, const char *msg) {
    if (grow((void **)&r->skipped, r->nskipped, sizeof *r->skipped)) return;
    char *s = strdup(msg);
    if (s) r->skipped[r->nskipped++] = s;
}

/* Compare names for a stable scan order. */
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The plugin files a scan found, in load order. */
typedef struct found {
    char **paths; /* owned */
    size_t n;
} found;

/* Collect every *.so in dir (sorted by name); with depth 1 also its subfolders. */
static void scan_dir(found *f, const char *dir, int depth) {
    DIR *d = opendir(dir);
    if (!d) return;
    char **names = NULL;
    size_t n = 0;
    for (struct dirent *de; (de = readdir(d));) {
        if (de->d_name[0] == '.' || grow((void **)&names, n, sizeof *names)) continue;
        if ((names[n] = strdup(de->d_name))) n++;
    }
    closedir(d);
    if (n) qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        size_t len = strlen(names[i]);
        if (len > 3 && strcmp(names[i] + len - 3, ".so") == 0) {
            char *copy = strdup(path);
            if (copy && !grow((void **)&f->paths, f->n, sizeof *f->paths)) f->paths[f->n++] = copy;
            else free(copy);
        } else if (depth > 0) {
            scan_dir(f, path, depth - 1);
        }
        free(names[i]);
    }
    free(names);
}

/* Is path inside the build tree? */
static int under_build_root(const char *path) {
    size_t len = strlen(ANIMAT_BUILD_ROOT);
    return len && strncmp(path, ANIMAT_BUILD_ROOT, len) == 0 && path[len] == '/';
}

/* Are we running from the build tree (the executable, or libanimat.so
 * holding this code for an embedding program)? Then use its plugin folders. */
static int in_build_tree(void) {
    char exe[PATH_MAX];
    Dl_info self;
    if (dladdr((void *)in_build_tree, &self) && self.dli_fname && realpath(self.dli_fname, exe) &&
        under_build_root(exe))
        return 1;
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return 0;
    exe[n] = '\0';
    return under_build_root(exe);
}

void registry_builtin_dirs(char *buf, size_t cap) {
    if (in_build_tree())
        snprintf(buf, cap, "%s/bodies:%s/circuits:%s/plugins", ANIMAT_BUILD_ROOT, ANIMAT_BUILD_ROOT,
                 ANIMAT_BUILD_ROOT);
    else
        snprintf(buf, cap, "%s", ANIMAT_PLUGIN_DIR);
}

/* Collect from each entry of a colon-separated list. */
static void scan_list(found *f, const char *list, int depth) {
    char *copy = strdup(list);
    if (!copy) return;
    for (char *save = NULL, *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
        scan_dir(f, dir, depth);
    free(copy);
}

/* The probe (plugindex.h) of one file: load it and run the handshake and
 * descriptor checks, nothing of the plugin called. Runs in a child. */
static int try_load(const char *path, char *names, size_t cap, errmsg *e) {
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return 0; /* registry_open says what is wrong */
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) return errmsg_set(e, "%s: cannot load: %s", path, dlerror());
    const animat_plugin_entry *en = dlsym(h, ANIMAT_ENTRY_SYMBOL);
    if (!en) return errmsg_set(e, "%s: not an animat plugin: no '%s' symbol exported", path, ANIMAT_ENTRY_SYMBOL);
    if (validate(en, path, e)) return -1;
    size_t len = 0;
    for (uint32_t i = 0; i < en->n_plugins; i++) {
        const animat_plugin_desc *d = en->plugins[i];
        const char *id = desc_id(d);
        int k = snprintf(names + len, cap - len, "%s%u:%s:%s%s", i ? " " : "", d->kind, d->name, id ? "" : "local.",
                         id ? id : d->name);
        if (k < 0 || (size_t)k >= cap - len || strlen(d->name) >= sizeof ((registry_known *)0)->name ||
            strlen(d->name) + 6 > REGISTRY_ID_MAX) {
            names[0] = '\0'; /* too many to remember: the scan loads the file */
            return 0;
        }
        len += (size_t)k;
    }
    return 0;
}

/* Note the plugins "KIND:NAME:ID ..." of file path in r->known. 0, or -1
 * when they do not parse (then the file is loaded instead). */
static int note_known(registry *r, const char *path, const char *names) {
    size_t before = r->nknown;
    for (const char *p = names; *p;) {
        unsigned kind = 0;
        int used = 0;
        char name[64], id[REGISTRY_ID_MAX + 1];
        if (sscanf(p, "%u:%63[a-z0-9_-]:%" REGISTRY_ID_SCAN "[a-z0-9._-]%n", &kind, name, id, &used) != 3 || !used ||
            grow((void **)&r->known, r->nknown, sizeof *r->known))
            goto bad;
        registry_known *k = &r->known[r->nknown];
        memset(k, 0, sizeof *k);
        if (!(k->path = strdup(path))) goto bad;
        snprintf(k->name, sizeof k->name, "%s", name);
        snprintf(k->id, sizeof k->id, "%s", id);
        k->kind = kind;
        r->nknown++;
        p += used;
        while (*p == ' ') p++;
    }
    return r->nknown > before ? 0 : -1;
bad:
    while (r->nknown > before) free(r->known[--r->nknown].path);
    return -1;
}

/* Load the file of known entry i (once); a failure is noted as skipped. */
static void load_known(registry *r, size_t i) {
    if (r->known[i].tried) return;
    const char *path = r->known[i].path;
    for (size_t j = 0; j < r->nknown; j++)
        if (!strcmp(r->known[j].path, path)) r->known[j].tried = 1;
    errmsg e;
    errmsg_clear(&e);
    registry_lib *lib;
    if (open_lib(r, path, &lib, &e)) note_skip(r, e.msg); /* probed by the scan */
}

void registry_load_all(registry *r) {
    registry_scan(r);
    for (size_t i = 0; i < r->nknown; i++) load_known(r, i);
}

/* Load every scanned file offering `value` (an id when it holds a '.', else
 * a short name), so that registry_find sees every file claiming it. */
static void load_named(registry *r, const char *value) {
    int by_id = strchr(value, '.') != NULL;
    for (size_t i = 0; i < r->nknown; i++)
        if (!strcmp(by_id ? r->known[i].id : r->known[i].name, value)) load_known(r, i);
}

void registry_scan(registry *r) {
    if (r->scanned) return;
    r->scanned = 1;
    char dirs[3 * PATH_MAX];
    registry_builtin_dirs(dirs, sizeof dirs);
    found f = {0};
    /* The build tree keeps each plugin in its own folder: look one level down. */
    scan_list(&f, dirs, in_build_tree() ? 1 : 0);
    const char *env = getenv("ANIMAT_PLUGIN_PATH");
    if (env && *env) scan_list(&f, env, 0);
    plugindex_verdict *v = calloc(f.n ? f.n : 1, sizeof *v);
    if (v) plugindex_probe(f.paths, f.n, try_load, v);
    for (size_t i = 0; i < f.n; i++) {
        errmsg e;
        errmsg_clear(&e);
        registry_lib *lib;
        if (v && v[i].crashed) fprintf(stderr, "warning: skipped plugin file %s\n", v[i].why);
        if (v && !v[i].ok) note_skip(r, v[i].why);
        else if ((!v || !v[i].why[0] || note_known(r, f.paths[i], v[i].why)) && open_lib(r, f.paths[i], &lib, &e))
            note_skip(r, e.msg);
        free(f.paths[i]);
    }
    free(f.paths);
    free(v);
}

/* Does p answer to `value`: its id when value holds a '.', else its name? */
static int answers(const registry_plugin *p, const char *value) {
    return !strcmp(strchr(value, '.') ? p->id : p->desc->name, value);
}

/* "NAME or ID is ambiguous" naming the first two files offering it. */
static void ambiguity(const registry *r, const char *value, uint32_t kind, errmsg *e) {
    const registry_plugin *m[2] = {NULL, NULL};
    for (size_t i = 0; i < r->nplugins && !m[1]; i++)
        if (answers(r->plugins[i], value) && (!kind || r->plugins[i]->desc->kind == kind))
            m[m[0] ? 1 : 0] = r->plugins[i];
    char q[80];
    if (strchr(value, '.') || !strcmp(m[0]->id, m[1]->id))
        errmsg_set(e, "plugin id '%s' is claimed by two files: %s and %s (remove one, or name the file)",
                   m[0]->id, m[0]->lib->path, m[1]->lib->path);
    else
        errmsg_set(e, "plugin name '%s' is ambiguous: %s (%s) and %s (%s); use an id", errmsg_quote(value, q, sizeof q),
                   m[0]->id, m[0]->lib->path, m[1]->id, m[1]->lib->path);
}

const registry_plugin *registry_find(const registry *r, const char *name, uint32_t kind, errmsg *e) {
    const registry_plugin *hit = NULL, *other_kind = NULL;
    size_t nhit = 0;
    for (size_t i = 0; i < r->nplugins; i++) {
        const registry_plugin *p = r->plugins[i];
        if (!answers(p, name)) continue;
        if (kind && p->desc->kind != kind) {
            other_kind = p;
            continue;
        }
        if (!hit) hit = p;
        nhit++;
    }
    if (nhit > 1) {
        ambiguity(r, name, kind, e);
        return NULL;
    }
    if (hit) return hit;
    if (other_kind) {
        errmsg_set(e, "plugin '%s' is a %s, not a %s", name, registry_kind_name(other_kind->desc->kind),
                   registry_kind_name(kind));
        return NULL;
    }
    char known[512] = "";
    size_t n = r->nplugins + r->nknown;
    for (size_t i = 0; i < n; i++) {
        /* the scanned ones in search order, then loaded ones (explicit files) */
        const registry_plugin *p = i < r->nknown ? NULL : r->plugins[i - r->nknown];
        const char *nm = p ? p->desc->name : r->known[i].name;
        uint32_t k = p ? p->desc->kind : r->known[i].kind;
        if (kind && k != kind) continue;
        int dup = 0; /* each name once */
        for (size_t j = 0; j < i && !dup; j++)
            dup = !strcmp(nm, j < r->nknown ? r->known[j].name : r->plugins[j - r->nknown]->desc->name);
        if (dup) continue;
        size_t len = strlen(known);
        snprintf(known + len, sizeof known - len, "%s%s", len ? ", " : "", nm);
    }
    char q[80];
    errmsg_set(e, "unknown %s%splugin '%s' (available: %s; see `animat plugins`)", kind ? registry_kind_name(kind) : "",
             kind ? " " : "", errmsg_quote(name, q, sizeof q), known[0] ? known : "none");
    return NULL;
}

const registry_plugin *registry_resolve(registry *r, const char *value, const char *base_dir, uint32_t kind, errmsg *e) {
    size_t len = strlen(value);
    if (strchr(value, '/') || (len > 3 && strcmp(value + len - 3, ".so") == 0)) {
        char path[PATH_MAX];
        int n;
        if (value[0] == '/' || !base_dir || !*base_dir || !strcmp(base_dir, "."))
            n = snprintf(path, sizeof path, "%s", value);
        else
            n = snprintf(path, sizeof path, "%s/%s", base_dir, value);
        if (n < 0 || (size_t)n >= sizeof path) {
            char q[80];
            errmsg_set(e, "%s: %s (a path is at most %d bytes)", errmsg_quote(value, q, sizeof q), strerror(ENAMETOOLONG),
                     PATH_MAX - 1);
            return NULL;
        }
        /* an explicit file is used as given, loaded already or not */
        registry_lib *lib;
        if (open_explicit(r, path, &lib, e)) return NULL;
        for (uint32_t i = 0; i < lib->nplugins; i++)
            if (!kind || lib->plugins[i].desc->kind == kind) return &lib->plugins[i];
        errmsg_set(e, "%s: holds no %s plugin", path, registry_kind_name(kind));
        return NULL;
    }
    registry_scan(r);
    load_named(r, value);
    return registry_find(r, value, kind, e);
}

void registry_close(registry *r) {
    for (size_t i = 0; i < r->nlibs; i++) {
        lib_release(r->libs[i]);
        dlclose(r->libs[i]->handle);
        for (uint32_t k = 0; k < r->libs[i]->nplugins; k++) free(r->libs[i]->plugins[k].owned_id);
        free(r->libs[i]->plugins);
        free(r->libs[i]->path);
        free(r->libs[i]);
    }
    for (size_t i = 0; i < r->nskipped; i++) free(r->skipped[i]);
    for (size_t i = 0; i < r->nknown; i++) free(r->known[i].path);
    free(r->known);
    free(r->libs);
    free(r->plugins);
    free(r->skipped);
    registry_init(r);
}
