/* cmd_eval.c -- see cmd_eval.h. */
#include "cli/cmd_eval.h"

#include <animat/embed.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/setopts.h"
#include "base/errmsg.h"

#define EVAL_MAX_SETS 256
#define EVAL_MAX_PLUGINS 64

const char cmd_eval_usage[] =
    "usage: animat eval FILE [--theta P.yaml] [--episodes N] [--seed S] [--set KEY=VALUE]... [--plugin F]...\n"
    "                   [--quiet]\n"
    "\n"
    "Held-out evaluation: runs N episodes whose random streams (initial states, noise) come from a\n"
    "stream domain that no `animat run` episode and no training episode can use, whatever seeds are\n"
    "chosen, and prints their mean return. The same evaluation ends `animat train`.\n"
    "\n"
    "  --theta P.yaml   the parameters to evaluate (a file written by animat train); without it the\n"
    "                   file's own initial parameters (\"before\")\n"
    "  --episodes N     held-out episodes (default train.eval.episodes, else run.episodes, else 10)\n"
    "  --seed S         same as --set run.seed=S (the run seed keys the held-out streams too)\n"
    "  --set KEY=VALUE  override a value of the file before validation (repeatable)\n"
    "  --plugin F       load this plugin .so before resolving names (repeatable)\n"
    "  --quiet          print only the summary line\n";

/* Parsed arguments; the strings point into argv or own[]. */
typedef struct eval_args {
    const char *file;
    const char *sets[EVAL_MAX_SETS];
    uint32_t nsets;
    const char *plugins[EVAL_MAX_PLUGINS];
    uint32_t nplugins;
    uint64_t episodes; /* 0: not given */
    int quiet;
    char own[2][4200];
} eval_args;

static int bad(const char *msg, const char *arg) {
    fprintf(stderr, "animat eval: %s%s%s (see animat eval --help)\n", msg, arg ? " " : "", arg ? arg : "");
    return 2;
}

/* Parse argv into *a. 0, 1 after --help (printed), or 2 after a usage error. */
static int parse_args(int argc, char **argv, eval_args *a, FILE *out) {
    for (int i = 0; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) return fputs(cmd_eval_usage, out), 1;
        if (!strcmp(o, "--quiet")) {
            a->quiet = 1;
            continue;
        }
        int value = !strcmp(o, "--theta") || !strcmp(o, "--episodes") || !strcmp(o, "--seed") ||
                    !strcmp(o, "--set") || !strcmp(o, "--plugin");
        if (value && !v) return bad("this option needs a value:", o);
        if (value) i++;
        if (!strcmp(o, "--episodes")) {
            char *end;
            a->episodes = strtoull(v, &end, 10);
            if (*v == '-' || *end || a->episodes < 1 || a->episodes > 1000000)
                return bad("--episodes takes a number from 1 to 1000000, not", v);
        } else if (!strcmp(o, "--plugin")) {
            if (a->nplugins == EVAL_MAX_PLUGINS) return bad("too many --plugin", NULL);
            a->plugins[a->nplugins++] = v;
        } else if (value) {
            if (a->nsets == EVAL_MAX_SETS) return bad("too many --set", NULL);
            int k = setopts_index(o);
            a->sets[a->nsets++] = k < 0 ? v : setopts_format(k, v, a->own[!strcmp(o, "--seed")], sizeof a->own[0]);
        } else if (o[0] == '-' && o[1]) {
            return bad("unknown option", o);
        } else if (!a->file) {
            a->file = o;
        } else {
            return bad("unexpected argument", o);
        }
    }
    return a->file ? 0 : bad("needs an experiment FILE", NULL);
}

int cmd_eval_main(int argc, char **argv, FILE *out) {
    eval_args a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(argc, argv, &a, out);
    if (rc) return rc == 1 ? 0 : rc;
    animat_exp *x = cli_open(a.file, a.sets, a.nsets, a.plugins, a.nplugins); /* as animat run */
    if (!x) return 1;
    animat_run_opts o = ANIMAT_RUN_OPTS_INIT;
    o.quiet = a.quiet, o.heldout = 1, o.out = out;
    o.episodes = a.episodes ? a.episodes : animat_eval_episodes(x);
    if (!o.episodes) {
        fprintf(stderr, "error: %s: train.eval.episodes is 0: nothing to evaluate (give --episodes N)\n", a.file);
        animat_close(x);
        return 1;
    }
    rc = animat_run_with(x, &o, NULL);
    return cli_close(x, rc);
}
