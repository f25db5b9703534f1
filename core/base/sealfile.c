/* sealfile.c -- see sealfile.h. */
#include "base/sealfile.h"

#include "base/atomicfile.h"
#include "base/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct sealfile_head {
    char magic[8];
    uint32_t format;
    uint32_t reserved;  /* 0 */
    uint64_t size;      /* payload bytes */
    uint64_t checksum;  /* FNV of this head (checksum 0), then the payload */
} sealfile_head;

/* The checksum of a head (its own checksum field taken as 0) and payload. */
static uint64_t sum_of(sealfile_head h, const void *payload, uint64_t size) {
    h.checksum = 0;
    return hash_fnv(hash_fnv(HASH_FNV_INIT, &h, sizeof h), payload, size);
}

int sealfile_write(const char *path, const char magic[8], uint32_t format, const void *payload, uint64_t size,
                   errmsg *e) {
    sealfile_head h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, magic, sizeof h.magic);
    h.format = format;
    h.size = size;
    h.checksum = sum_of(h, payload, size);
    char *buf = malloc(sizeof h + size);
    if (!buf) return errmsg_set(e, "out of memory");
    memcpy(buf, &h, sizeof h);
    if (size) memcpy(buf + sizeof h, payload, size);
    int rc = atomicfile_write(path, buf, sizeof h + size, e);
    free(buf);
    return rc;
}

/* Open path for reading only if it is a regular file: a FIFO would block
 * the reader and a directory reads as nothing. NULL with e set. */
static FILE *open_regular(const char *path, const char *what, errmsg *e) {
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        errmsg_set(e, "%s: cannot open %s: %s", path, what, strerror(errno));
        return NULL;
    }
    struct stat st;
    memset(&st, 0, sizeof st);
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        const char *kind = S_ISDIR(st.st_mode) ? "a directory" : S_ISFIFO(st.st_mode) ? "a FIFO"
                           : S_ISSOCK(st.st_mode) ? "a socket" : "a device";
        errmsg_set(e, "%s: is %s, not an animat %s", path, kind, what);
        close(fd);
        return NULL;
    }
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        errmsg_set(e, "%s: cannot open %s: %s", path, what, strerror(errno));
        close(fd);
    }
    return f;
}

/* Bytes of f after its current position (0 when unknown). */
static uint64_t file_rest(FILE *f) {
    struct stat st;
    long at = ftell(f);
    if (at < 0 || fstat(fileno(f), &st) || st.st_size < at) return 0;
    return (uint64_t)(st.st_size - at);
}

/* Read and check the payload after a valid head. 0 or -1 with e set. */
static int read_payload(FILE *f, const char *path, const char *what, const sealfile_head *h, void *buf, errmsg *e) {
    if (h->size && fread(buf, 1, h->size, f) != h->size) return errmsg_set(e, "%s: %s is truncated", path, what);
    if (fgetc(f) != EOF) return errmsg_set(e, "%s: %s has trailing bytes", path, what);
    if (sum_of(*h, buf, h->size) != h->checksum)
        return errmsg_set(e, "%s: %s is corrupt or was edited (checksum mismatch)", path, what);
    return 0;
}

int sealfile_read(const char *path, const char magic[8], uint32_t format, const char *what, uint64_t max,
                  void **payload, uint64_t *size, errmsg *e) {
    *payload = NULL;
    *size = 0;
    FILE *f = open_regular(path, what, e);
    if (!f) return -1;
    sealfile_head h;
    int rc = 0;
    void *buf = NULL;
    if (fread(&h, 1, sizeof h, f) != sizeof h || memcmp(h.magic, magic, sizeof h.magic))
        rc = errmsg_set(e, "%s: not an animat %s (or truncated)", path, what);
    else if (h.format != format)
        rc = errmsg_set(e, "%s: %s format %u, this animat reads %u", path, what, h.format, format);
    else if (h.size > max)
        rc = errmsg_set(e, "%s: %s claims an impossible size (%llu bytes)", path, what, (unsigned long long)h.size);
    else if (h.size > file_rest(f))  /* before allocating what the head claims */
        rc = errmsg_set(e, "%s: %s is truncated", path, what);
    else if (!(buf = malloc(h.size ? h.size : 1)))
        rc = errmsg_set(e, "out of memory");
    else
        rc = read_payload(f, path, what, &h, buf, e);
    fclose(f);
    if (rc) {
        free(buf);
        return -1;
    }
    *payload = buf;
    *size = h.size;
    return 0;
}
