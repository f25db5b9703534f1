/* check.c -- see check.h. */
#include "sim/check.h"

#include "sim/buffers.h"
#include "sim/intervene.h"
#include "sim/isolate.h"
#include "sim/record.h"
#include "sim/sim_impl.h"

/* The summary: one line, then notes on unfed inputs. */
static void print_check(const experiment *x, sim *s, FILE *out) {
    fprintf(out, "ok: %s:", x->file);
    for (uint32_t i = 0; i < x->ninsts; i++) {
        const experiment_inst *in = &x->insts[i];
        const char *word = x->short_form ? experiment_kind_name(in->kind) : in->name;
        fprintf(out, "%s %s %s %s", i ? "," : "", word, in->plugin->desc->name, in->plugin->desc->version);
        if (x->short_form && in->kind == ANIMAT_KIND_CIRCUIT) fprintf(out, " (%u parameters)", s->ntheta);
        if (in->substeps > 1) fprintf(out, " x%u substeps", in->substeps);
    }
    if (!x->short_form) fprintf(out, " (%u learnable parameters)", s->ntheta);
    fprintf(out, ", %u connections, %llu episode%s, seed %llu", x->nconns, (unsigned long long)x->episodes,
            x->episodes == 1 ? "" : "s", (unsigned long long)x->seed);
    if (x->learner.plugin)
        fprintf(out, ", learner %s %s (%llu epochs)", x->learner.plugin->desc->name, x->learner.plugin->desc->version,
                (unsigned long long)x->epochs);
    fputc('\n', out);
    sim_print_unfed(s, out);
    sim_print_named_edges(s, out);
    sim_iv_print_notes(s, out);
}

int sim_check(const experiment *x, FILE *out, errmsg *e) {
    sim s;
    if ((x->isolate && isolate_create(x, e)) || sim_create(&s, x, e)) return -1;
    int rc = record_check_signals(&s, e);
    if (!rc && out) print_check(x, &s, out);
    sim_destroy(&s);
    return rc;
}
