/* setopts.h -- the command-line options that are spelled-out --set
 * KEY=VALUE: --episodes (run.episodes), --seed (run.seed), --epochs
 * (train.epochs) and --theta (theta_file). Shared by run/check/train
 * (main.c) and render (cmd_render.c), so the keys are written once.
 */
#ifndef SETOPTS_H
#define SETOPTS_H

#define SETOPTS_N 4

/* Index 0..SETOPTS_N-1 of option `opt` ("--episodes"), or -1. */
int setopts_index(const char *opt);

/* Write "KEY=value" for option index k into buf (cap bytes); returns buf. */
char *setopts_format(int k, const char *value, char *buf, unsigned long cap);

#endif
