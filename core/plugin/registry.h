/* registry.h -- plugin discovery, loading and the registry.
 *
 * Search order for a plugin named in an experiment: the built-in plugin
 * directory (the build tree's plugin folders when animat runs from its build
 * tree, else the install directory), then each directory of
 * ANIMAT_PLUGIN_PATH (colon-separated), then files given explicitly (a
 * `plugin:` value containing '/' or ending in ".so", or --plugin FILE).
 *
 * Identity (ABI 1.3): a plugin is found by its reverse-DNS id
 * ("org.animat.ncap"; "local.NAME" for plugins that declare none) or by its
 * short name. A file reached twice (both directories, a symlink: the same
 * device and inode) is loaded once. Two different files offering one name
 * make that name ambiguous: using it is an error naming both files and both
 * ids, while each id still works. Two files claiming one id make that id
 * (and the name) an error naming both files.
 *
 * Every shared object passes the ABI handshake (abi.h) and descriptor checks
 * before any of its functions is called. Nothing is loaded in-process
 * before a child has loaded it (explicit files included). A scan loads nothing in-process:
 * each file is probed in a child first (plugindex.h; a file whose
 * constructor aborts or hangs is named in one "warning:" line on stderr and
 * skipped), the plugins each file holds are learnt from that probe or its
 * index, and a file is dlopen'ed when a plugin of it is resolved by name
 * (or every one by registry_load_all, for listings).
 * Thread: main thread only.
 */
#ifndef REGISTRY_H
#define REGISTRY_H

#include <animat/animat.h>
#include <stddef.h>

#include "base/errmsg.h"

struct registry_plugin;

/* The longest plugin id (registry_id_ok), and the same as a scanf width. */
#define REGISTRY_ID_MAX 128
#define REGISTRY_ID_SCAN "128"

/* Is function `field` present in a plugin's table, inside the struct_size
 * the plugin declared? Use it before every read of an optional field. */
#define REGISTRY_HAS(api, type, field) \
    ((api)->struct_size >= offsetof(type, field) + sizeof((api)->field) && (api)->field)

/* Element i of a plugin's port table: arrays of ABI structs are read with
 * the stride of element 0's struct_size (abi.h), never sizeof. */
static inline const animat_port_info *registry_port_at(const animat_port_info *ports, uint32_t i) {
    return (const animat_port_info *)((const char *)ports + (size_t)i * ports[0].struct_size);
}

/* One loaded shared object. */
typedef struct registry_lib {
    struct registry_plugin *plugins;      /* nplugins records; owned */
    uint32_t nplugins;                    /* entry->n_plugins */
    char *path;                       /* as found; owned */
    unsigned long long dev, ino;      /* the file's identity (stat) */
    void *handle;                     /* dlopen handle; closed by registry_close */
    const animat_plugin_entry *entry; /* inside the library */
} registry_lib;

/* One plugin (a shared object may hold several). */
typedef struct registry_plugin {
    const animat_plugin_desc *desc; /* inside lib; valid until registry_close */
    const registry_lib *lib;
    const char *id;   /* desc->id, or "local.NAME" (owned_id) when it has none */
    char *owned_id;   /* owned; NULL when id is the descriptor's */
    int ambiguous;    /* 1 if another file offers a plugin with the same name or id */
} registry_plugin;

typedef struct registry {
    registry_lib **libs;
    size_t nlibs;
    registry_plugin **plugins; /* each individually allocated: pointers stay valid */
    size_t nplugins;
    char **skipped; /* one-line reasons for files that failed to load */
    size_t nskipped;
    int scanned; /* default directories already scanned */
    struct registry_known *known; /* plugins the scan found, not yet loaded, in search order; owned */
    size_t nknown;
} registry;

/* A plugin a scan found in a file (probed, not loaded). */
typedef struct registry_known {
    char *path;    /* the file; owned */
    char name[64]; /* the plugin's name */
    char id[REGISTRY_ID_MAX + 1]; /* its id, or "local.NAME" when it declares none */
    uint32_t kind; /* ANIMAT_KIND_* */
    int tried;     /* 1: its file was loaded (or failed to) */
} registry_known;

/* An empty registry (no I/O). */
void registry_init(registry *r);

/* Unload everything and free r's storage (r may be reused after registry_init). */
void registry_close(registry *r);

/* Load one shared object, validate it and register its plugins. The file
 * is probed in a child first (plugindex.h): one whose constructors crash,
 * exit or hang is refused, never loaded here. Returns 0, or -1 with e set
 * to "PATH: reason" (nothing registered). */
int registry_open(registry *r, const char *path, errmsg *e);

/* Scan the built-in directory then ANIMAT_PLUGIN_PATH (once per registry):
 * probe each file (plugindex.h) and note the plugins it holds in r->known.
 * Files that fail are recorded in r->skipped, not fatal. */
void registry_scan(registry *r);

/* Load every file the scan found (for listings), in search order. */
void registry_load_all(registry *r);

/* The built-in plugin directories, written as a colon-separated list into
 * buf (cap bytes). */
void registry_builtin_dirs(char *buf, size_t cap);

/* Find a plugin by id (a value with a '.') or short name among registered
 * ones, requiring `kind` unless it is 0. NULL with e set: unknown (listing
 * known ones of that kind), of the wrong kind, or ambiguous (two files:
 * both paths and ids named). */
const registry_plugin *registry_find(const registry *r, const char *name, uint32_t kind, errmsg *e);

/* Resolve an experiment `plugin:` value: a file path (relative to `base_dir`
 * when not absolute) is opened explicitly, a name is looked up after
 * registry_scan, loading the first file that holds it. NULL with e set. */
const registry_plugin *registry_resolve(registry *r, const char *value, const char *base_dir, uint32_t kind,
                                errmsg *e);

/* Is s a well-formed plugin id: [a-z0-9_-]+ labels joined by '.', at least
 * two, at most REGISTRY_ID_MAX characters? */
int registry_id_ok(const char *s);

/* "body", "circuit", "learner" or "unknown". */
const char *registry_kind_name(uint32_t kind);

#endif
