/* plugindex.h -- which plugin files of the search path are safe to load in
 * animat's own process: probed in a forked child, remembered by file
 * identity.
 *
 * A shared object runs code when it is loaded (its constructors): one that
 * aborts or hangs there, lying anywhere in ANIMAT_PLUGIN_PATH, would end
 * every `animat run`. So a file not seen before is first loaded in a child
 * process (dlopen + the descriptor checks, nothing of the plugin called);
 * one child probes every new file in turn, and when it dies on one, that
 * file is marked and a new child goes on with the rest. The verdicts are
 * kept in an index file, $XDG_CACHE_HOME/animat/plugin-index (or
 * ~/.cache/animat/plugin-index), one line per file keyed by path, device,
 * inode, size and mtime in ns: a changed file is probed again. The index is
 * written atomically (atomicfile_write); one that is corrupt, from another
 * animat version or larger than 4 MiB is ignored and rebuilt. Failing to
 * write it is not an error (the probe is then repeated next time).
 * Thread: main thread only (it forks).
 */
#ifndef PLUGINDEX_H
#define PLUGINDEX_H

#include <stddef.h>

#include "base/errmsg.h"

#define PLUGINDEX_WHY_MAX 2048

/* What loading one file did. */
typedef struct plugindex_verdict {
    int ok;        /* 1: loads and passes the checks: load it in-process when used */
    int crashed;   /* 1: killed its probe (signal, exit or hang) at load */
    char why[PLUGINDEX_WHY_MAX]; /* !ok: one line "PATH: reason"; ok: its plugins as "KIND:NAME ..."
                                    ("" when unknown: the file is then loaded to learn them) */
} plugindex_verdict;

/* The probe of one file, run in the child: 0 with the file's plugins
 * written into names (cap bytes, "KIND:NAME ..."; "" when they do not fit)
 * when it loads and passes, -1 with e set when it does not. */
typedef int (*plugindex_try_fn)(const char *path, char *names, size_t cap, errmsg *e);

/* Decide for each of the n files in paths: from the index when the file is
 * unchanged, else by probing it in a child with try. v has n entries. */
void plugindex_probe(char *const *paths, size_t n, plugindex_try_fn try, plugindex_verdict *v);

/* The index file's path into buf (cap bytes); "" when neither
 * XDG_CACHE_HOME nor HOME is set. */
const char *plugindex_file(char *buf, size_t cap);

#endif
