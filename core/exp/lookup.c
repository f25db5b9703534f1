/* lookup.c -- names of an experiment's pieces: instances by name, kinds and
 * port directions as words (see experiment.h). Kept apart from the loader
 * so the block readers (instances.c, wiring.c) can use them without an
 * include circle. */
#include <string.h>

#include "exp/experiment.h"
#include "exp/experiment_impl.h"

const char *experiment_kind_name(uint32_t kind) {
    return kind == ANIMAT_KIND_BODY ? "body" : kind == ANIMAT_KIND_CIRCUIT ? "circuit" : "learner";
}

const char *experiment_dir_word(uint32_t kind, uint32_t dir) {
    if (kind == ANIMAT_KIND_BODY) return dir == ANIMAT_PORT_OUT ? "obs" : "act";
    return dir == ANIMAT_PORT_OUT ? "out" : "in";
}

int experiment_find(const experiment *x, const char *name) {
    for (uint32_t i = 0; i < x->ninsts; i++)
        if (!strcmp(x->insts[i].name, name)) return (int)i;
    return -1;
}

uint32_t experiment_inputs(const experiment *x, const char **out, uint32_t cap) {
    uint32_t n = 0;
    if (n < cap) out[n++] = x->file;
    if (x->theta_file_path && n < cap) out[n++] = x->theta_file_path;
    for (uint32_t i = 0; i < x->ninsts && n < cap; i++)
        if (x->insts[i].theta_path) out[n++] = x->insts[i].theta_path;
    return n;
}
