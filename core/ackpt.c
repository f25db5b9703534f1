/* ackpt.c -- see ackpt.h. */
#include "ackpt.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char magic[8] = {'A', 'N', 'I', 'M', 'A', 'T', 'C', 'K'};

uint64_t ackpt_fnv(uint64_t h, const void *data, uint64_t n) {
    const unsigned char *p = data;
    for (uint64_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

int ackpt_write_file(const char *path, const void *data, uint64_t size, aerr *e) {
    size_t len = strlen(path);
    char *tmp = malloc(len + 5);
    if (!tmp) return aerr_set(e, "out of memory");
    memcpy(tmp, path, len);
    memcpy(tmp + len, ".tmp", 5);
    int rc = 0;
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        rc = aerr_set(e, "%s: cannot write: %s", tmp, strerror(errno));
        free(tmp);
        return rc;
    }
    if ((size && fwrite(data, 1, size, f) != size) || fflush(f) || fsync(fileno(f)))
        rc = aerr_set(e, "%s: write failed: %s", tmp, strerror(errno));
    if (fclose(f) && !rc) rc = aerr_set(e, "%s: close failed: %s", tmp, strerror(errno));
    if (!rc && rename(tmp, path)) rc = aerr_set(e, "%s: cannot rename into place: %s", path, strerror(errno));
    if (rc) {
        unlink(tmp);
    } else {
        /* Make the rename itself durable. */
        char *d = strdup(path);
        int fd = d ? open(dirname(d), O_RDONLY | O_DIRECTORY) : -1;
        if (fd >= 0) {
            fsync(fd);
            close(fd);
        }
        free(d);
    }
    free(tmp);
    return rc;
}

/* Fixed header, then the learner state. */
typedef struct ackpt_head {
    char magic[8];
    uint32_t version;
    uint32_t n_theta;
    uint64_t epochs_done, episodes, steps;
    double elapsed;
    uint64_t curve_bytes, fingerprint;
    double best_return;
    uint64_t state_size;
    uint64_t checksum; /* FNV of the state bytes */
} ackpt_head;

int ackpt_save(const char *path, const ackpt *c, aerr *e) {
    ackpt_head h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, magic, sizeof magic);
    h.version = ACKPT_VERSION;
    h.n_theta = c->n_theta;
    h.epochs_done = c->epochs_done;
    h.episodes = c->episodes;
    h.steps = c->steps;
    h.elapsed = c->elapsed;
    h.curve_bytes = c->curve_bytes;
    h.fingerprint = c->fingerprint;
    h.best_return = c->best_return;
    h.state_size = c->state_size;
    h.checksum = ackpt_fnv(ACKPT_FNV_INIT, c->state, c->state_size);
    char *buf = malloc(sizeof h + c->state_size);
    if (!buf) return aerr_set(e, "out of memory");
    memcpy(buf, &h, sizeof h);
    if (c->state_size) memcpy(buf + sizeof h, c->state, c->state_size);
    int rc = ackpt_write_file(path, buf, sizeof h + c->state_size, e);
    free(buf);
    return rc;
}

int ackpt_load(const char *path, ackpt *c, aerr *e) {
    memset(c, 0, sizeof *c);
    FILE *f = fopen(path, "rb");
    if (!f) return aerr_set(e, "%s: cannot open checkpoint: %s", path, strerror(errno));
    ackpt_head h;
    int rc = 0;
    if (fread(&h, 1, sizeof h, f) != sizeof h || memcmp(h.magic, magic, sizeof magic))
        rc = aerr_set(e, "%s: not an animat checkpoint (or truncated)", path);
    else if (h.version != ACKPT_VERSION)
        rc = aerr_set(e, "%s: checkpoint format %u, this animat reads %u", path, h.version, ACKPT_VERSION);
    else if (h.state_size > (1ULL << 34))
        rc = aerr_set(e, "%s: checkpoint claims an impossible state size", path);
    if (!rc) {
        c->state = malloc(h.state_size ? h.state_size : 1);
        if (!c->state)
            rc = aerr_set(e, "out of memory");
        else if (h.state_size && fread(c->state, 1, h.state_size, f) != h.state_size)
            rc = aerr_set(e, "%s: checkpoint is truncated", path);
        else if (fgetc(f) != EOF)
            rc = aerr_set(e, "%s: checkpoint has trailing bytes", path);
        else if (ackpt_fnv(ACKPT_FNV_INIT, c->state, h.state_size) != h.checksum)
            rc = aerr_set(e, "%s: checkpoint is corrupt (checksum mismatch)", path);
    }
    fclose(f);
    if (rc) {
        ackpt_free(c);
        return rc;
    }
    c->n_theta = h.n_theta;
    c->epochs_done = h.epochs_done;
    c->episodes = h.episodes;
    c->steps = h.steps;
    c->elapsed = h.elapsed;
    c->curve_bytes = h.curve_bytes;
    c->fingerprint = h.fingerprint;
    c->best_return = h.best_return;
    c->state_size = h.state_size;
    return 0;
}

void ackpt_free(ackpt *c) {
    free(c->state);
    c->state = NULL;
}
