/* checkpoint.c -- see checkpoint.h. The file is a sealed file
 * (base/sealfile.h) whose payload is the fixed fields below, then the
 * learner state. */
#include "train/checkpoint.h"

#include "base/sealfile.h"

#include <stdlib.h>
#include <string.h>

static const char magic[8] = {'A', 'N', 'I', 'M', 'A', 'T', 'C', 'K'};

/* The fixed fields at the start of the payload. */
typedef struct checkpoint_head {
    uint32_t n_theta;
    uint32_t reserved; /* 0 */
    uint64_t epochs_done, episodes, steps;
    double elapsed;
    uint64_t curve_bytes, fingerprint;
    double best_return;
    uint64_t curve_hash; /* FNV of the curve file's first curve_bytes bytes */
} checkpoint_head;

int checkpoint_save(const char *path, const checkpoint *c, errmsg *e) {
    checkpoint_head h;
    memset(&h, 0, sizeof h);
    h.n_theta = c->n_theta;
    h.epochs_done = c->epochs_done;
    h.episodes = c->episodes;
    h.steps = c->steps;
    h.elapsed = c->elapsed;
    h.curve_bytes = c->curve_bytes;
    h.fingerprint = c->fingerprint;
    h.best_return = c->best_return;
    h.curve_hash = c->curve_hash;
    char *buf = malloc(sizeof h + c->state_size);
    if (!buf) return errmsg_set(e, "out of memory");
    memcpy(buf, &h, sizeof h);
    if (c->state_size) memcpy(buf + sizeof h, c->state, c->state_size);
    int rc = sealfile_write(path, magic, CHECKPOINT_VERSION, buf, sizeof h + c->state_size, e);
    free(buf);
    return rc;
}

int checkpoint_load(const char *path, checkpoint *c, errmsg *e) {
    memset(c, 0, sizeof *c);
    void *buf = NULL;
    uint64_t size = 0;
    if (sealfile_read(path, magic, CHECKPOINT_VERSION, "checkpoint", 1ULL << 34, &buf, &size, e)) return -1;
    checkpoint_head h;
    if (size < sizeof h) {
        free(buf);
        return errmsg_set(e, "%s: checkpoint is truncated", path);
    }
    memcpy(&h, buf, sizeof h);
    c->state_size = size - sizeof h;
    memmove(buf, (char *)buf + sizeof h, c->state_size);
    c->state = buf;
    c->n_theta = h.n_theta;
    c->epochs_done = h.epochs_done;
    c->episodes = h.episodes;
    c->steps = h.steps;
    c->elapsed = h.elapsed;
    c->curve_bytes = h.curve_bytes;
    c->fingerprint = h.fingerprint;
    c->best_return = h.best_return;
    c->curve_hash = h.curve_hash;
    return 0;
}

void checkpoint_free(checkpoint *c) {
    free(c->state);
    c->state = NULL;
}
