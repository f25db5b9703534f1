/* checkpoint.c -- see checkpoint.h. The file is a sealed file
 * (base/sealfile.h) whose payload is the fixed fields below, the length of
 * the plugins text (uint64), the learner state, then the plugins text. */
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

/* Largest plugins text a checkpoint may declare. */
#define CHECKPOINT_PLUGINS_MAX (1u << 20)

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
    uint64_t nplug = c->plugins ? strlen(c->plugins) : 0;
    size_t size = sizeof h + sizeof nplug + c->state_size + nplug;
    char *buf = malloc(size);
    if (!buf) return errmsg_set(e, "out of memory");
    memcpy(buf, &h, sizeof h);
    memcpy(buf + sizeof h, &nplug, sizeof nplug);
    if (c->state_size) memcpy(buf + sizeof h + sizeof nplug, c->state, c->state_size);
    if (nplug) memcpy(buf + sizeof h + sizeof nplug + c->state_size, c->plugins, nplug);
    int rc = sealfile_write(path, magic, CHECKPOINT_VERSION, buf, size, e);
    free(buf);
    return rc;
}

int checkpoint_load(const char *path, checkpoint *c, errmsg *e) {
    memset(c, 0, sizeof *c);
    void *buf = NULL;
    uint64_t size = 0;
    if (sealfile_read(path, magic, CHECKPOINT_VERSION, "checkpoint", 1ULL << 34, &buf, &size, e)) return -1;
    checkpoint_head h;
    uint64_t nplug = 0;
    if (size >= sizeof h + sizeof nplug) memcpy(&nplug, (char *)buf + sizeof h, sizeof nplug);
    if (size < sizeof h + sizeof nplug || nplug > CHECKPOINT_PLUGINS_MAX || nplug > size - sizeof h - sizeof nplug) {
        free(buf);
        return errmsg_set(e, "%s: checkpoint is truncated", path);
    }
    memcpy(&h, buf, sizeof h);
    c->state_size = size - sizeof h - sizeof nplug - nplug;
    if (nplug && !(c->plugins = strndup((char *)buf + size - nplug, nplug))) {
        free(buf);
        return errmsg_set(e, "out of memory");
    }
    memmove(buf, (char *)buf + sizeof h + sizeof nplug, c->state_size);
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
    free(c->plugins);
    c->state = NULL;
    c->plugins = NULL;
}
