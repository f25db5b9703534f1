/* atomicfile.c -- see atomicfile.h. */
#include "base/atomicfile.h"

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int atomicfile_name(atomicfile *a, const char *path, errmsg *e) {
    memset(a, 0, sizeof *a);
    size_t len = strlen(path);
    a->path = strdup(path);
    a->tmp = malloc(len + 5);
    if (!a->path || !a->tmp) {
        atomicfile_abort(a);
        return errmsg_set(e, "out of memory");
    }
    memcpy(a->tmp, path, len);
    memcpy(a->tmp + len, ".tmp", 5);
    return 0;
}

int atomicfile_open(atomicfile *a, const char *path, errmsg *e) {
    if (atomicfile_name(a, path, e)) return -1;
    if (!(a->f = fopen(a->tmp, "wb"))) {
        int rc = errmsg_set(e, "%s: cannot write: %s", a->tmp, strerror(errno));
        free(a->path);
        free(a->tmp);
        memset(a, 0, sizeof *a);
        return rc;
    }
    return 0;
}

/* fsync the folder that holds path, so that a rename survives a crash. */
static void sync_dir(const char *path) {
    char *d = strdup(path);
    int fd = d ? open(dirname(d), O_RDONLY | O_DIRECTORY) : -1;
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(d);
}

/* fsync a closed temporary file written by someone else (libhdf5). */
static int sync_closed(const char *tmp) {
    int fd = open(tmp, O_RDONLY);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int atomicfile_commit(atomicfile *a, errmsg *e) {
    int rc = 0;
    if (!a->f) {
        if (sync_closed(a->tmp)) rc = errmsg_set(e, "%s: write failed: %s", a->tmp, strerror(errno ? errno : EIO));
    } else {
        if (fflush(a->f) || ferror(a->f) || fsync(fileno(a->f)))
            rc = errmsg_set(e, "%s: write failed: %s", a->tmp, strerror(errno ? errno : EIO));
        if (fclose(a->f) && !rc) rc = errmsg_set(e, "%s: close failed: %s", a->tmp, strerror(errno));
    }
    a->f = NULL;
    struct stat st; /* re-checked here: never replace what is not a regular file */
    if (!rc && !lstat(a->path, &st) && !S_ISREG(st.st_mode))
        rc = errmsg_set(e, "%s: is no longer a regular file; refusing to replace it", a->path);
    if (!rc && rename(a->tmp, a->path)) rc = errmsg_set(e, "%s: cannot rename into place: %s", a->path, strerror(errno));
    if (rc)
        unlink(a->tmp);
    else
        sync_dir(a->path);
    free(a->path);
    free(a->tmp);
    memset(a, 0, sizeof *a);
    return rc;
}

void atomicfile_abort(atomicfile *a) {
    if (a->f) fclose(a->f);
    if (a->tmp) unlink(a->tmp);
    free(a->path);
    free(a->tmp);
    memset(a, 0, sizeof *a);
}

/* Same file? (existing files by device and inode, else by spelling) */
static int same_file(const char *a, const char *b) {
    struct stat sa, sb;
    if (!stat(a, &sa) && !stat(b, &sb)) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    return !strcmp(a, b);
}

int atomicfile_check(const char *path, const char *what, const char *const *others, uint32_t n, errmsg *e) {
    if (!path || !*path) return errmsg_set(e, "%s: an empty file name", what);
    char *d = strdup(path);
    if (!d) return errmsg_set(e, "out of memory");
    const char *dir = dirname(d);
    struct stat st;
    int rc = 0;
    if (stat(dir, &st) || !S_ISDIR(st.st_mode))
        rc = errmsg_set(e, "%s: %s: folder %s does not exist", what, path, dir);
    else if (access(dir, W_OK | X_OK))
        rc = errmsg_set(e, "%s: %s: folder %s is not writable: %s", what, path, dir, strerror(errno));
    free(d);
    if (rc) return rc;
    if (!lstat(path, &st) && !S_ISREG(st.st_mode))
        return errmsg_set(e, "%s: %s is %s, not a regular file; refusing to replace it", what, path,
                          S_ISDIR(st.st_mode) ? "a directory" : S_ISLNK(st.st_mode) ? "a symbolic link"
                          : S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                          : "a special file");
    for (uint32_t i = 0; i < n; i++)
        if (others[i] && same_file(path, others[i]))
            return errmsg_set(e, "%s: %s is the same file as %s, an input or another output; refusing to overwrite it",
                              what, path, others[i]);
    return 0;
}

int atomicfile_write(const char *path, const void *data, uint64_t size, errmsg *e) {
    atomicfile a;
    if (atomicfile_open(&a, path, e)) return -1;
    if (size && fwrite(data, 1, size, a.f) != size) {
        int rc = errmsg_set(e, "%s: write failed: %s", a.tmp, strerror(errno));
        atomicfile_abort(&a);
        return rc;
    }
    return atomicfile_commit(&a, e);
}

#define GUARD_MAX 4
static char guarded[GUARD_MAX][4200];
static volatile sig_atomic_t guarding[GUARD_MAX];
static int nguarded;
static struct sigaction old_int, old_term;

/* Remove the guarded temporary files, then die of the signal as asked. */
static void on_signal(int sig) {
    for (int i = 0; i < GUARD_MAX; i++)
        if (guarding[i]) unlink(guarded[i]);
    signal(sig, SIG_DFL);
    raise(sig);
}

void atomicfile_guard(const atomicfile *a) {
    int slot = -1;
    for (int i = 0; i < GUARD_MAX && slot < 0; i++)
        if (!guarding[i]) slot = i;
    if (!a->tmp || slot < 0 || strlen(a->tmp) >= sizeof guarded[0]) return;
    strcpy(guarded[slot], a->tmp);
    guarding[slot] = 1;
    if (nguarded++) return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
}

void atomicfile_unguard(const atomicfile *a) {
    int slot = -1;
    for (int i = 0; i < GUARD_MAX && slot < 0; i++)
        if (guarding[i] && a->tmp && !strcmp(guarded[i], a->tmp)) slot = i;
    if (slot < 0) return;
    guarding[slot] = 0;
    if (--nguarded) return;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
}
