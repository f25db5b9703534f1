/* fingerprint.c -- see fingerprint.h. */
#include "exp/fingerprint.h"

#include <string.h>

#include "base/hash.h"
#include "exp/experiment_impl.h"

/* Hash a NUL-terminated string with its NUL (NULL as ""). */
static uint64_t fnv_str(uint64_t h, const char *s) { return hash_fnv(h, s ? s : "", strlen(s ? s : "") + 1); }

/* Plugins, names, substeps, parameters and wiring. */
static uint64_t fp_graph(const experiment *x, uint64_t h) {
    for (uint32_t i = 0; i <= x->ninsts; i++) {
        const experiment_inst *in = i < x->ninsts ? &x->insts[i] : &x->learner;
        if (!in->plugin) continue;
        h = fnv_str(h, in->plugin->desc->name);
        h = fnv_str(h, in->plugin->desc->version);
        if (!x->short_form) h = fnv_str(h, in->name);
        if (!x->short_form) h = hash_fnv(h, &in->substeps, sizeof in->substeps);
    }
    for (uint32_t i = 0; i <= x->ninsts; i++) {
        const params_set *ps = i < x->ninsts ? &x->insts[i].params : &x->learner.params;
        for (uint32_t k = 0; k < ps->n; k++) {
            h = hash_fnv(h, &ps->v[k].real, sizeof(double));
            h = hash_fnv(h, ps->v[k].list, ps->v[k].nlist * sizeof(double));
            if (ps->v[k].choice) h = fnv_str(h, ps->v[k].choice);
            if (ps->v[k].path) h = fnv_str(h, ps->v[k].path);
        }
    }
    for (uint32_t i = 0; !x->short_form && i < x->nconns; i++) h = fnv_str(h, x->conns[i].node->str);
    return h;
}

uint64_t experiment_iv_fingerprint(const experiment_iv *v) {
    uint64_t h = fnv_str(HASH_FNV_INIT, v->name);
    double nums[5] = {v->value, v->sigma, v->from, v->to, (double)(v->what * 4 + v->inst * 2 + v->on_theta)};
    return hash_fnv(h, nums, sizeof nums);
}

uint64_t experiment_setup_fingerprint(const experiment *x) {
    uint64_t h = fp_graph(x, HASH_FNV_INIT);
    h = hash_fnv(h, &x->seed, sizeof x->seed);
    h = hash_fnv(h, &x->max_steps, sizeof x->max_steps);
    h = hash_fnv(h, &x->crash_return, sizeof x->crash_return);
    h = hash_fnv(h, &x->on_crash_continue, sizeof x->on_crash_continue);
    h = hash_fnv(h, x->targets, x->ntargets * sizeof *x->targets);
    for (uint32_t i = 0; i <= x->ninsts; i++) {
        const experiment_inst *in = i < x->ninsts ? &x->insts[i] : &x->learner;
        uint64_t fh = 0;
        if (in->plugin && hash_file(in->plugin->lib->path, &fh) == 0) h = hash_fnv(h, &fh, sizeof fh);
    }
    h = hash_fnv(h, &x->episodes_per_candidate, sizeof x->episodes_per_candidate);
    return hash_fnv(h, &x->common_episodes, sizeof x->common_episodes);
}

uint64_t experiment_fingerprint(const experiment *x) {
    uint64_t h = experiment_setup_fingerprint(x);
    for (uint32_t i = 0; i < x->nivs; i++) {
        uint64_t v = experiment_iv_fingerprint(&x->ivs[i]);
        h = hash_fnv(h, &v, sizeof v);
    }
    return h;
}
