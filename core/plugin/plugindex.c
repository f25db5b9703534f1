/* plugindex.c -- see plugindex.h. */
#include "plugin/plugindex.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <animat/animat.h>

#include "base/atomicfile.h"
#include "base/child.h"

#ifndef ANIMAT_VERSION
#define ANIMAT_VERSION "0"
#endif

#define INDEX_MAX_BYTES (4u << 20) /* a larger index is ignored */
#define INDEX_MAX_LINES 4096u      /* entries kept */
#define PROBE_TIMEOUT_S 20.0       /* one child's time for its files (a file is blamed for a hang only
                                      when a child that starts with it runs out of this time) */
#define PROBE_OUT_CAP (1u << 20)   /* one child's report, bytes */

/* The header line: an index of another version is ignored. */
#define INDEX_HEAD "animat-plugin-index 3 animat " ANIMAT_VERSION "\n"

/* One remembered file. */
typedef struct entry {
    unsigned long long dev, ino, size, mtime_ns;
    int ok, crashed;
    char *path, *why; /* owned */
} entry;

typedef struct index {
    entry *v;
    size_t n;
} index_t;

const char *plugindex_file(char *buf, size_t cap) {
    const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
    if (x && x[0] == '/') snprintf(buf, cap, "%s/animat/plugin-index", x);
    else if (h && h[0] == '/') snprintf(buf, cap, "%s/.cache/animat/plugin-index", h);
    else if (cap) buf[0] = '\0';
    return buf;
}

/* The identity of path into e (path not copied). 0, or -1 when it cannot be stat'ed. */
static int ident(const char *path, entry *e) {
    struct stat st;
    if (stat(path, &st)) return -1;
    e->dev = (unsigned long long)st.st_dev;
    e->ino = (unsigned long long)st.st_ino;
    e->size = (unsigned long long)st.st_size;
    e->mtime_ns = (unsigned long long)st.st_mtim.tv_sec * 1000000000ull + (unsigned long long)st.st_mtim.tv_nsec;
    return 0;
}

static void index_free(index_t *x) {
    for (size_t i = 0; i < x->n; i++) free(x->v[i].path), free(x->v[i].why);
    free(x->v);
    x->v = NULL;
    x->n = 0;
}

/* Append a copy of e (path and why copied). 0 or -1. */
static int index_add(index_t *x, const entry *e) {
    entry *g = realloc(x->v, (x->n + 1) * sizeof *g);
    if (!g) return -1;
    x->v = g;
    entry c = *e;
    c.path = strdup(e->path);
    c.why = strdup(e->why ? e->why : "");
    if (!c.path || !c.why) return free(c.path), free(c.why), -1;
    x->v[x->n++] = c;
    return 0;
}

/* Parse one line "DEV INO SIZE MTIME OK CRASHED PATH\tWHY". 0 or -1. */
static int parse_line(char *line, entry *e) {
    int used = 0;
    if (sscanf(line, "%llu %llu %llu %llu %d %d %n", &e->dev, &e->ino, &e->size, &e->mtime_ns, &e->ok, &e->crashed,
               &used) != 6 || !used)
        return -1;
    char *tab = strchr(line + used, '\t');
    if (!tab || line[used] != '/' || (e->ok != 0 && e->ok != 1) || (e->crashed != 0 && e->crashed != 1)) return -1;
    *tab = '\0';
    e->path = line + used;
    e->why = tab + 1;
    return 0;
}

/* Read the index file; a missing, foreign or corrupt one leaves x empty. */
static void index_load(const char *file, index_t *x) {
    FILE *f = *file ? fopen(file, "rb") : NULL;
    if (!f) return;
    char *buf = malloc(INDEX_MAX_BYTES + 1);
    size_t len = buf ? fread(buf, 1, INDEX_MAX_BYTES + 1, f) : 0;
    fclose(f);
    if (!buf || len > INDEX_MAX_BYTES || len < strlen(INDEX_HEAD) || memcmp(buf, INDEX_HEAD, strlen(INDEX_HEAD))) {
        free(buf);
        return;
    }
    buf[len] = '\0';
    for (char *save = NULL, *line = strtok_r(buf + strlen(INDEX_HEAD), "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        entry e;
        if (parse_line(line, &e) || x->n >= INDEX_MAX_LINES || index_add(x, &e)) {
            index_free(x); /* corrupt: forget all of it */
            break;
        }
    }
    free(buf);
}

/* Write the index: the new entries, then old ones of other paths. */
static void index_save(const char *file, const index_t *now, const index_t *old) {
    if (!*file) return;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", file);
    for (char *p = dir + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        mkdir(dir, 0700); /* each level; existing ones are fine */
        *p = '/';
    }
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m) return;
    fputs(INDEX_HEAD, m);
    size_t lines = 0;
    for (int pass = 0; pass < 2; pass++) {
        const index_t *x = pass ? old : now;
        for (size_t i = 0; i < x->n && lines < INDEX_MAX_LINES; i++) {
            const entry *e = &x->v[i];
            int seen = 0;
            for (size_t j = 0; pass && j < now->n && !seen; j++) seen = !strcmp(now->v[j].path, e->path);
            if (seen || strpbrk(e->path, "\t\n") || e->path[0] != '/') continue;
            fprintf(m, "%llu %llu %llu %llu %d %d %s\t%s\n", e->dev, e->ino, e->size, e->mtime_ns, e->ok, e->crashed,
                    e->path, e->why);
            lines++;
        }
    }
    if (fclose(m) == 0) {
        errmsg e;
        errmsg_clear(&e);
        atomicfile_write(file, text, len, &e); /* best effort */
    }
    free(text);
}

/* What a probe child gets: the files to load, in order. */
typedef struct probe_job {
    char *const *paths;
    const size_t *todo;
    size_t n;
    plugindex_try_fn try;
} probe_job;

/* Write all of s to fd. */
static void put(int fd, const char *s) {
    for (size_t len = strlen(s), off = 0; off < len;) {
        ssize_t k = write(fd, s + off, len - off);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return;
        off += (size_t)k;
    }
}

/* Child: "B i" before loading file i, "R i 1" or "R i 0 why" after. */
static void probe_child(void *ctx, int fd) {
    const probe_job *j = ctx;
    for (size_t k = 0; k < j->n; k++) {
        char line[PLUGINDEX_WHY_MAX + 64], names[PLUGINDEX_WHY_MAX] = "";
        snprintf(line, sizeof line, "B %zu\n", j->todo[k]);
        put(fd, line);
        errmsg e;
        errmsg_clear(&e);
        int bad = j->try(j->paths[j->todo[k]], names, sizeof names, &e);
        for (char *p = e.msg; *p; p++)
            if (*p == '\n' || *p == '\t') *p = ' ';
        snprintf(line, sizeof line, "R %zu %d %.*s\n", j->todo[k], !bad, PLUGINDEX_WHY_MAX - 1, bad ? e.msg : names);
        put(fd, line);
    }
}

/* Probe the files todo[0..n) in children until each has a verdict. */
static void probe_all(char *const *paths, size_t *todo, size_t n, plugindex_try_fn try, plugindex_verdict *v) {
    char *out = malloc(PROBE_OUT_CAP + 1);
    while (out && n) {
        probe_job job = {paths, todo, n, try};
        child_result r;
        errmsg e;
        errmsg_clear(&e);
        child_opts o = {.timeout_s = PROBE_TIMEOUT_S, .own_group = 1};
        if (child_run_opts(probe_child, &job, &o, out, PROBE_OUT_CAP, &r, &e)) break; /* cannot fork: load as before */
        out[r.len] = '\0';
        size_t done = 0, begun = SIZE_MAX;
        for (char *save = NULL, *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
            size_t i;
            int ok, used = 0;
            if (sscanf(l, "B %zu", &i) == 1 && i < SIZE_MAX) begun = i;
            else if (sscanf(l, "R %zu %d %n", &i, &ok, &used) == 2 && used && i == begun) {
                v[i].ok = ok;
                snprintf(v[i].why, sizeof v[i].why, "%.*s", PLUGINDEX_WHY_MAX - 1, l + used);
                begun = SIZE_MAX;
                done++;
            }
        }
        if (r.hung && done > 0) {
            /* out of time after loading some files (a slow machine, valgrind):
             * a fresh child goes on from the file it was on, which is blamed
             * only when a child that starts with it cannot finish it */
        } else if (begun != SIZE_MAX && done < n) { /* it died loading todo[done] */
            char sig[32];
            v[begun].crashed = 1;
            v[begun].ok = 0;
            if (r.hung)
                snprintf(v[begun].why, sizeof v[begun].why,
                         "%s: did not finish loading within %g s (its constructor hangs?)",
                         paths[begun], PROBE_TIMEOUT_S);
            else if (r.signal)
                snprintf(v[begun].why, sizeof v[begun].why,
                         "%s: loading it killed the process with %s (its constructor crashes)",
                         paths[begun], child_signame(r.signal, sig, sizeof sig));
            else
                snprintf(v[begun].why, sizeof v[begun].why,
                         "%s: loading it ended the process (exit status %d in its constructor)",
                         paths[begun], r.status);
            done++;
        } else if (done < n) {
            break; /* no progress and no culprit: leave the rest to the in-process loader */
        }
        todo += done;
        n -= done;
    }
    free(out);
}

void plugindex_probe(char *const *paths, size_t n, plugindex_try_fn try, plugindex_verdict *v) {
    char file[4096];
    plugindex_file(file, sizeof file);
    index_t old = {0}, now = {0};
    index_load(file, &old);
    size_t *todo = calloc(n ? n : 1, sizeof *todo), nt = 0;
    entry *id = calloc(n ? n : 1, sizeof *id);
    for (size_t i = 0; i < n; i++) {
        v[i] = (plugindex_verdict){.ok = 1};
        int known = 0;
        if (!id || ident(paths[i], &id[i])) continue; /* the loader says what is wrong */
        for (size_t k = 0; k < old.n && !known; k++) {
            const entry *e = &old.v[k];
            if (e->dev == id[i].dev && e->ino == id[i].ino && e->size == id[i].size && e->mtime_ns == id[i].mtime_ns &&
                !strcmp(e->path, paths[i])) {
                known = 1;
                v[i].ok = e->ok;
                v[i].crashed = e->crashed;
                snprintf(v[i].why, sizeof v[i].why, "%.*s", PLUGINDEX_WHY_MAX - 1, e->why);
            }
        }
        if (!known && todo) todo[nt++] = i;
    }
    if (nt) {
        probe_all(paths, todo, nt, try, v);
        for (size_t i = 0; id && i < n; i++) {
            entry e = id[i];
            e.path = paths[i];
            e.ok = v[i].ok;
            e.crashed = v[i].crashed;
            e.why = v[i].why;
            if (e.ino && index_add(&now, &e)) break;
        }
        index_save(file, &now, &old);
    }
    free(todo);
    free(id);
    index_free(&old);
    index_free(&now);
}
