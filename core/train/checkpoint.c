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

/* Version 3 appends to the version 2 header the length of the plugins text,
 * which follows the state. */
typedef struct checkpoint_head3 {
    checkpoint_head v2;
    uint64_t plugins_bytes;
} checkpoint_head3;

/* Largest plugins text a checkpoint may declare. */
#define CHECKPOINT_PLUGINS_MAX (1u << 20)

/* The checksum of a header (its own checksum field taken as 0), the state
 * and (version 3) the plugins text. */
static uint64_t sum_of(checkpoint_head3 h, const void *state, uint64_t size, const char *plugins) {
    h.v2.checksum = 0;
    uint64_t s = h.v2.version >= 3 ? hash_fnv(HASH_FNV_INIT, &h, sizeof h)
                                   : hash_fnv(HASH_FNV_INIT, &h.v2, sizeof h.v2);
    s = hash_fnv(s, state, size);
    return h.v2.version >= 3 ? hash_fnv(s, plugins, h.plugins_bytes) : s;
}

int checkpoint_save(const char *path, const checkpoint *c, errmsg *e) {
    checkpoint_head3 h3;
    memset(&h3, 0, sizeof h3);
    checkpoint_head *h = &h3.v2;
    memcpy(h->magic, magic, sizeof magic);
    h->version = CHECKPOINT_VERSION;
    h->n_theta = c->n_theta;
    h->epochs_done = c->epochs_done;
    h->episodes = c->episodes;
    h->steps = c->steps;
    h->elapsed = c->elapsed;
    h->curve_bytes = c->curve_bytes;
    h->fingerprint = c->fingerprint;
    h->best_return = c->best_return;
    h->state_size = c->state_size;
    h->curve_hash = c->curve_hash;
    h3.plugins_bytes = c->plugins ? strlen(c->plugins) : 0;
    h->checksum = sum_of(h3, c->state, c->state_size, c->plugins);
    char *buf = malloc(sizeof h3 + c->state_size + h3.plugins_bytes);
    if (!buf) return errmsg_set(e, "out of memory");
    memcpy(buf, &h3, sizeof h3);
    if (c->state_size) memcpy(buf + sizeof h3, c->state, c->state_size);
    if (h3.plugins_bytes) memcpy(buf + sizeof h3 + c->state_size, c->plugins, h3.plugins_bytes);
    int rc = atomicfile_write(path, buf, sizeof h3 + c->state_size + h3.plugins_bytes, e);
    free(buf);
    return rc;
}

/* Read n bytes (plus a NUL) into a new buffer *out. 0, or -1 (short read
 * or out of memory). */
static int read_block(FILE *f, uint64_t n, char **out) {
    *out = malloc(n + 1);
    if (!*out || (n && fread(*out, 1, n, f) != n)) return -1;
    (*out)[n] = 0;
    return 0;
}

int checkpoint_load(const char *path, checkpoint *c, errmsg *e) {
    memset(c, 0, sizeof *c);
    FILE *f = fopen(path, "rb");
    if (!f) return errmsg_set(e, "%s: cannot open checkpoint: %s", path, strerror(errno));
    checkpoint_head3 h3;
    memset(&h3, 0, sizeof h3);
    checkpoint_head *h = &h3.v2;
    int rc = 0;
    if (fread(h, 1, sizeof *h, f) != sizeof *h || memcmp(h->magic, magic, sizeof magic))
        rc = errmsg_set(e, "%s: not an animat checkpoint (or truncated)", path);
    else if (h->version != CHECKPOINT_VERSION && h->version != 2)
        rc = errmsg_set(e, "%s: checkpoint format %u, this animat reads 2 and %u", path, h->version,
                        CHECKPOINT_VERSION);
    else if (h->version >= 3 && fread(&h3.plugins_bytes, 1, sizeof h3.plugins_bytes, f) != sizeof h3.plugins_bytes)
        rc = errmsg_set(e, "%s: checkpoint is truncated", path);
    else if (h->state_size > (1ULL << 34) || h3.plugins_bytes > CHECKPOINT_PLUGINS_MAX)
        rc = errmsg_set(e, "%s: checkpoint claims an impossible state size", path);
    if (!rc) {
        char *state = NULL;
        if (read_block(f, h->state_size, &state) ||
            (h->version >= 3 && read_block(f, h3.plugins_bytes, &c->plugins)))
            rc = errmsg_set(e, state ? "%s: checkpoint is truncated" : "out of memory", path);
        else if (fgetc(f) != EOF)
            rc = errmsg_set(e, "%s: checkpoint has trailing bytes", path);
        else if (sum_of(h3, state, h->state_size, c->plugins) != h->checksum)
            rc = errmsg_set(e, "%s: checkpoint is corrupt or was edited (checksum mismatch)", path);
        c->state = state;
    }
    fclose(f);
    if (rc) {
        checkpoint_free(c);
        return rc;
    }
    c->n_theta = h->n_theta;
    c->epochs_done = h->epochs_done;
    c->episodes = h->episodes;
    c->steps = h->steps;
    c->elapsed = h->elapsed;
    c->curve_bytes = h->curve_bytes;
    c->fingerprint = h->fingerprint;
    c->best_return = h->best_return;
    c->state_size = h->state_size;
    c->curve_hash = h->curve_hash;
    return 0;
}

void checkpoint_free(checkpoint *c) {
    free(c->state);
    free(c->plugins);
    c->state = NULL;
    c->plugins = NULL;
}
