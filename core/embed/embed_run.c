/* embed_run.c -- whole runs through the embedding API (animat/embed.h):
 * animat_run_with and animat_check, `animat run`'s and `animat check`'s
 * code (sim/runner.h, sim/check.h) behind the library's handle. */
#include "embed/embed_impl.h"

#include "sim/check.h"
#include "sim/runner.h"

#include <string.h>

uint64_t animat_eval_episodes(const animat_exp *h) { return h->x.eval_episodes; }

/* The summary the caller asked for: check its size before any work. 0 or EINPUT. */
static int check_summary(animat_exp *h, const animat_run_summary *sum) {
    if (sum && sum->size < sizeof *sum)
        return embed_fail(h, ANIMAT_EMBED_EINPUT, "animat_run_with: the summary's size (%u) is not an "
                          "animat_run_summary's (use ANIMAT_RUN_SUMMARY_INIT)", sum->size);
    return 0;
}

static void fill_summary(animat_run_summary *sum, const runner_summary *rs) {
    uint32_t size = sum->size;
    memset(sum, 0, sizeof *sum);
    sum->size = size;
    sum->episodes = rs->episodes;
    sum->failed = rs->failed;
    sum->steps = rs->steps;
    sum->mean_return = rs->mean_return;
    sum->min_return = rs->min_return;
    sum->max_return = rs->max_return;
    sum->seconds = rs->seconds;
}

int animat_run_with(animat_exp *h, const animat_run_opts *oi, animat_run_summary *sum) {
    errmsg_clear(&h->e);
    animat_run_opts o;
    if (embed_opts_copy(&o, sizeof o, oi, sizeof o))
        return embed_fail(h, ANIMAT_EMBED_EINPUT, "animat_run_with: no options, or their size (%u) is not an "
                          "animat_run_opts's (use ANIMAT_RUN_OPTS_INIT)", oi ? oi->size : 0);
    if (check_summary(h, sum)) return ANIMAT_EMBED_EINPUT;
    if (h->agent >= 0)
        return embed_fail(h, ANIMAT_EMBED_EUNSUPPORTED, "%s: the agent '%s' is played by the program: step the "
                          "experiment (animat_reset, animat_step) instead of running it", h->x.file,
                          h->x.insts[h->agent].name);
    embed_abort(h);
    runner_opts ro = {.trace = o.trace, .record = o.record, .extra_plugins = (const char *const *)h->plugins,
                      .nextra = h->nplugins, .command = o.command, .quiet = o.quiet, .state_out = o.state_out,
                      .state_at = o.state_at, .state_in = o.state_in, .progress = o.progress,
                      .heldout = o.heldout, .returns = o.returns, .theta = h->user_theta};
    uint64_t episodes = h->x.episodes;
    if (o.episodes) h->x.episodes = o.episodes;
    runner_summary rs;
    int rc = runner_run(&h->x, &ro, o.out, &rs, &h->e);
    h->x.episodes = episodes;
    if (rc) return ANIMAT_EMBED_EPLUGIN;
    if (sum) fill_summary(sum, &rs);
    return 0;
}

int animat_check(animat_exp *h, FILE *out) {
    errmsg_clear(&h->e);
    return sim_check(&h->x, out, &h->e) ? ANIMAT_EMBED_EPLUGIN : 0;
}
