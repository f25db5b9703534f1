/* setopts.c -- see setopts.h. */
#include "cli/setopts.h"

#include <animat/embed.h>
#include <stdio.h>
#include <string.h>

#include "base/errmsg.h"

static const char *const setopts_opts[SETOPTS_N] = {"--episodes", "--seed", "--epochs", "--theta"};
static const char *const setopts_keys[SETOPTS_N] = {"run.episodes", "run.seed", "train.epochs", "theta_file"};

int setopts_index(const char *opt) {
    for (int k = 0; k < SETOPTS_N; k++)
        if (!strcmp(opt, setopts_opts[k])) return k;
    return -1;
}

char *setopts_format(int k, const char *value, char *buf, unsigned long cap) {
    snprintf(buf, cap, "%s=%s", setopts_keys[k], value);
    return buf;
}

struct animat_exp *cli_open(const char *file, const char *const *sets, unsigned nsets, const char *const *plugins,
                            unsigned nplugins) {
    animat_open_opts oo = ANIMAT_OPEN_OPTS_INIT; /* a client of the embedding API, as any program */
    oo.flags = ANIMAT_OPEN_DEFER, oo.path = file, oo.sets = sets, oo.nsets = nsets;
    oo.plugins = plugins, oo.nplugins = nplugins;
    char msg[ERRMSG_MAX];
    animat_exp *x;
    if (animat_open_with(&x, &oo, msg, sizeof msg)) {
        fprintf(stderr, "error: %s\n", msg);
        return NULL;
    }
    return x;
}

int cli_close(struct animat_exp *x, int rc) {
    if (rc) fprintf(stderr, "error: %s\n", animat_errmsg(x));
    animat_close(x);
    return rc ? 1 : 0;
}
