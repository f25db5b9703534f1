/* setopts.c -- see setopts.h. */
#include "cli/setopts.h"

#include <stdio.h>
#include <string.h>

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
