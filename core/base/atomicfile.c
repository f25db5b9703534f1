/* atomicfile.c -- see atomicfile.h. */
#include "base/atomicfile.h"

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Relative paths are resolved against this folder (atomicfile_anchor). */
static int anchor_fd = AT_FDCWD;

void atomicfile_anchor(void) {
    if (anchor_fd != AT_FDCWD) return;
    int fd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) anchor_fd = fd;
}

/* Create a temporary file next to path exclusively, never following a
 * link: PATH.tmp, else PATH.XXXXXX.tmp (random letters) while names are
 * taken. Sets a->tmp; the open fd, or -1 with e set. */
static int create_tmp(atomicfile *a, const char *path, errmsg *e) {
    static const char letters[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    size_t len = strlen(path);
    if (!(a->tmp = malloc(len + 12))) return errmsg_set(e, "out of memory");
    uint64_t x = (uint64_t)getpid() * 0x9E3779B97F4A7C15ULL ^ (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)a;
    for (int attempt = 0; attempt < 100; attempt++) {
        if (attempt == 0) {
            snprintf(a->tmp, len + 12, "%s.tmp", path);
        } else {
            char r[7];
            for (int i = 0; i < 6; i++) {
                x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                r[i] = letters[(x >> 33) % (sizeof letters - 1)];
            }
            r[6] = '\0';
            snprintf(a->tmp, len + 12, "%s.%s.tmp", path, r);
        }
        int fd = openat(anchor_fd, a->tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd >= 0) return fd;
        if (errno != EEXIST) return errmsg_set(e, "%s: cannot write: %s", a->tmp, strerror(errno));
    }
    return errmsg_set(e, "%s.tmp: cannot write: 100 temporary names next to it are taken", path);
}

/* Start *a for path: the temporary file created; its fd, or -1 with e set
 * and *a zeroed. */
static int start(atomicfile *a, const char *path, errmsg *e) {
    memset(a, 0, sizeof *a);
    a->fd = -1;
    int fd = (a->path = strdup(path)) ? create_tmp(a, path, e) : errmsg_set(e, "out of memory");
    if (fd < 0) {
        free(a->path);
        free(a->tmp);
        memset(a, 0, sizeof *a);
        a->fd = -1;
    }
    return fd;
}

int atomicfile_name(atomicfile *a, const char *path, errmsg *e) {
    if ((a->fd = start(a, path, e)) < 0) return -1;
    snprintf(a->byname, sizeof a->byname, "/proc/self/fd/%d", a->fd);
    return 0;
}

int atomicfile_open(atomicfile *a, const char *path, errmsg *e) {
    int fd = start(a, path, e);
    if (fd < 0) return -1;
    if (!(a->f = fdopen(fd, "wb"))) {
        close(fd);
        atomicfile_abort(a);
        return errmsg_set(e, "out of memory");
    }
    return 0;
}

FILE *atomicfile_live(const char *path, int append, uint64_t keep, errmsg *e) {
    int flags = append ? O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC
                       : O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
    int fd = openat(anchor_fd, path, flags, 0666);
    if (fd < 0) {
        errmsg_set(e, "%s: cannot %s: %s", path, append ? "append" : "write", strerror(errno));
        return NULL;
    }
    struct stat st;
    FILE *f = NULL;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode))
        errmsg_set(e, "%s: is not a regular file; refusing to write it", path);
    else if (append && (ftruncate(fd, (off_t)keep) || lseek(fd, 0, SEEK_END) < 0))
        errmsg_set(e, "%s: cannot cut it to %llu bytes: %s", path, (unsigned long long)keep, strerror(errno));
    else if (append && fcntl(fd, F_SETFL, O_APPEND))
        errmsg_set(e, "%s: cannot append: %s", path, strerror(errno));
    else if (!(f = fdopen(fd, append ? "ab" : "wb")))
        errmsg_set(e, "out of memory");
    if (!f) close(fd);
    return f;
}

int atomicfile_rename(const char *from, const char *to) {
    return renameat(anchor_fd, from, anchor_fd, to);
}

/* fsync the folder that holds path, so that a rename survives a crash. */
static void sync_dir(const char *path) {
    char *d = strdup(path);
    int fd = d ? openat(anchor_fd, dirname(d), O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(d);
}

int atomicfile_commit(atomicfile *a, errmsg *e) {
    int rc = 0;
    if (!a->f) {
        if (a->fd < 0 || fsync(a->fd))
            rc = errmsg_set(e, "%s: write failed: %s", a->tmp, strerror(a->fd < 0 ? EBADF : errno));
        if (a->fd >= 0 && close(a->fd) && !rc) rc = errmsg_set(e, "%s: close failed: %s", a->tmp, strerror(errno));
    } else {
        if (fflush(a->f) || ferror(a->f) || fsync(fileno(a->f)))
            rc = errmsg_set(e, "%s: write failed: %s", a->tmp, strerror(errno ? errno : EIO));
        if (fclose(a->f) && !rc) rc = errmsg_set(e, "%s: close failed: %s", a->tmp, strerror(errno));
    }
    a->f = NULL;
    a->fd = -1;
    struct stat st; /* re-checked here: never replace what is not a regular file */
    if (!rc && !fstatat(anchor_fd, a->path, &st, AT_SYMLINK_NOFOLLOW) && !S_ISREG(st.st_mode))
        rc = errmsg_set(e, "%s: is no longer a regular file; refusing to replace it", a->path);
    if (!rc && renameat(anchor_fd, a->tmp, anchor_fd, a->path))
        rc = errmsg_set(e, "%s: cannot rename into place: %s", a->path, strerror(errno));
    if (rc)
        unlinkat(anchor_fd, a->tmp, 0);
    else
        sync_dir(a->path);
    free(a->path);
    free(a->tmp);
    memset(a, 0, sizeof *a);
    a->fd = -1;
    return rc;
}

void atomicfile_abort(atomicfile *a) {
    if (a->f) fclose(a->f);
    else if (a->fd >= 0 && a->tmp) close(a->fd);
    if (a->tmp) unlinkat(anchor_fd, a->tmp, 0);
    free(a->path);
    free(a->tmp);
    memset(a, 0, sizeof *a);
    a->fd = -1;
}

/* Same file? (existing files by device and inode, else by spelling) */
static int same_file(const char *a, const char *b) {
    struct stat sa, sb;
    if (!fstatat(anchor_fd, a, &sa, 0) && !fstatat(anchor_fd, b, &sb, 0)) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    return !strcmp(a, b);
}

int atomicfile_check(const char *path, const char *what, const char *const *others, uint32_t n, errmsg *e) {
    if (!path || !*path) return errmsg_set(e, "%s: an empty file name", what);
    char *d = strdup(path);
    if (!d) return errmsg_set(e, "out of memory");
    const char *dir = dirname(d);
    struct stat st;
    int rc = 0;
    if (fstatat(anchor_fd, dir, &st, 0) || !S_ISDIR(st.st_mode))
        rc = errmsg_set(e, "%s: %s: folder %s does not exist", what, path, dir);
    else if (faccessat(anchor_fd, dir, W_OK | X_OK, 0))
        rc = errmsg_set(e, "%s: %s: folder %s is not writable: %s", what, path, dir, strerror(errno));
    free(d);
    if (rc) return rc;
    if (!fstatat(anchor_fd, path, &st, AT_SYMLINK_NOFOLLOW) && !S_ISREG(st.st_mode))
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
        if (guarding[i]) unlinkat(anchor_fd, guarded[i], 0);
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
