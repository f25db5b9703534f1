/* checkpoint.c -- see checkpoint.h. */
#include "train/checkpoint.h"

#include "base/atomicfile.h"
#include "base/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char magic[8] = {'A', 'N', 'I', 'M', 'A', 'T', 'C', 'K'};

/* Fixed header, then the learner state. */
typedef struct checkpoint_head {
    char magic[8];
    uint32_t version;
    uint32_t n_theta;
    uint64_t epochs_done, episodes, steps;
    double elapsed;
    uint64_t curve_bytes, fingerprint;
    double best_return;
    uint64_t state_size;
    uint64_t checksum;   /* FNV of this header (checksum field 0) then the state */
    uint64_t curve_hash; /* FNV of the curve file's first curve_bytes bytes */
} checkpoint_head;

/* The checksum of a header (its own checksum field taken as 0) and state. */
static uint64_t sum_of(checkpoint_head h, const void *state, uint64_t size) {
    h.checksum = 0;
    return hash_fnv(hash_fnv(HASH_FNV_INIT, &h, sizeof h), state, size);
}

int checkpoint_save(const char *path, const checkpoint *c, errmsg *e) {
    checkpoint_head h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, magic, sizeof magic);
    h.version = CHECKPOINT_VERSION;
    h.n_theta = c->n_theta;
    h.epochs_done = c->epochs_done;
    h.episodes = c->episodes;
    h.steps = c->steps;
    h.elapsed = c->elapsed;
    h.curve_bytes = c->curve_bytes;
    h.fingerprint = c->fingerprint;
    h.best_return = c->best_return;
    h.state_size = c->state_size;
    h.curve_hash = c->curve_hash;
    h.checksum = sum_of(h, c->state, c->state_size);
    char *buf = malloc(sizeof h + c->state_size);
    if (!buf) return errmsg_set(e, "out of memory");
    memcpy(buf, &h, sizeof h);
    if (c->state_size) memcpy(buf + sizeof h, c->state, c->state_size);
    int rc = atomicfile_write(path, buf, sizeof h + c->state_size, e);
    free(buf);
    return rc;
}

int checkpoint_load(const char *path, checkpoint *c, errmsg *e) {
    memset(c, 0, sizeof *c);
    FILE *f = fopen(path, "rb");
    if (!f) return errmsg_set(e, "%s: cannot open checkpoint: %s", path, strerror(errno));
    checkpoint_head h;
    int rc = 0;
    if (fread(&h, 1, sizeof h, f) != sizeof h || memcmp(h.magic, magic, sizeof magic))
        rc = errmsg_set(e, "%s: not an animat checkpoint (or truncated)", path);
    else if (h.version != CHECKPOINT_VERSION)
        rc = errmsg_set(e, "%s: checkpoint format %u, this animat reads %u", path, h.version, CHECKPOINT_VERSION);
    else if (h.state_size > (1ULL << 34))
        rc = errmsg_set(e, "%s: checkpoint claims an impossible state size", path);
    if (!rc) {
        c->state = malloc(h.state_size ? h.state_size : 1);
        if (!c->state)
            rc = errmsg_set(e, "out of memory");
        else if (h.state_size && fread(c->state, 1, h.state_size, f) != h.state_size)
            rc = errmsg_set(e, "%s: checkpoint is truncated", path);
        else if (fgetc(f) != EOF)
            rc = errmsg_set(e, "%s: checkpoint has trailing bytes", path);
        else if (sum_of(h, c->state, h.state_size) != h.checksum)
            rc = errmsg_set(e, "%s: checkpoint is corrupt or was edited (checksum mismatch)", path);
    }
    fclose(f);
    if (rc) {
        checkpoint_free(c);
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
    c->curve_hash = h.curve_hash;
    return 0;
}

void checkpoint_free(checkpoint *c) {
    free(c->state);
    c->state = NULL;
}
