/* access.c -- the experiment as a handle for code that does not see its
 * struct (exp/experiment.h): heap open and close, accessors. */
#include "exp/experiment_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <animat/abi.h>

int experiment_open(experiment **out, const char *file, const char *const *sets, uint32_t nsets,
                    const char *const *extra_plugins, uint32_t nextra, errmsg *e) {
    *out = NULL;
    experiment *x = calloc(1, sizeof *x);
    if (!x) return errmsg_set(e, "out of memory");
    if (experiment_load(x, file, sets, nsets, extra_plugins, nextra, e)) return free(x), -1;
    *out = x;
    return 0;
}

int experiment_open_stored(experiment **out, const char *label, const char *origin, const char *text,
                           const char *const *extra, uint32_t nextra, errmsg *e) {
    *out = NULL;
    experiment *x = calloc(1, sizeof *x);
    if (!x) return errmsg_set(e, "out of memory");
    if (experiment_load_stored(x, label, origin, text, extra, nextra, e)) return free(x), -1;
    *out = x;
    return 0;
}

void experiment_close(experiment *x) {
    if (!x) return;
    experiment_free(x);
    free(x);
}

const char *experiment_file(const experiment *x) { return x->file; }
uint32_t experiment_ninsts(const experiment *x) { return x->ninsts; }

const experiment_inst *experiment_inst_at(const experiment *x, uint32_t i) {
    return i < x->ninsts ? &x->insts[i] : i == x->ninsts ? &x->learner : NULL;
}

uint64_t experiment_episodes(const experiment *x) { return x->episodes; }
uint64_t experiment_seed(const experiment *x) { return x->seed; }
uint64_t experiment_max_steps(const experiment *x) { return x->max_steps; }
uint64_t experiment_eval_episodes(const experiment *x) { return x->eval_episodes; }
const yamltree *experiment_doc(const experiment *x) { return x->doc; }
const char *experiment_theta_file_path(const experiment *x) { return x->theta_file_path; }

void experiment_drop_outputs(experiment *x) {
    char **outs[] = {&x->trace, &x->record_file, &x->curve, &x->output, &x->checkpoint};
    for (size_t i = 0; i < sizeof outs / sizeof *outs; i++) {
        free(*outs[i]);
        *outs[i] = NULL;
    }
}

uint64_t experiment_expected_steps(const experiment *x, double dt) {
    uint64_t n = 0;
    for (uint32_t i = 0; i < x->ninsts && x->insts[i].kind == ANIMAT_KIND_BODY && !n; i++)
        for (uint32_t k = 0; k < x->insts[i].params.n; k++)
            if (!strcmp(x->insts[i].params.v[k].info->name, "time_limit") && dt > 0)
                n = (uint64_t)fmax(1, round(x->insts[i].params.v[k].real / dt));
    if (x->max_steps && (!n || x->max_steps < n)) n = x->max_steps;
    return n;
}
