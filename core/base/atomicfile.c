/* atomicfile.c -- see atomicfile.h. */
#include "base/atomicfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int atomicfile_open(atomicfile *a, const char *path, errmsg *e) {
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

int atomicfile_commit(atomicfile *a, errmsg *e) {
    int rc = 0;
    if (fflush(a->f) || ferror(a->f) || fsync(fileno(a->f)))
        rc = errmsg_set(e, "%s: write failed: %s", a->tmp, strerror(errno ? errno : EIO));
    if (fclose(a->f) && !rc) rc = errmsg_set(e, "%s: close failed: %s", a->tmp, strerror(errno));
    a->f = NULL;
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
