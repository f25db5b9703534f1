/* setopts.h -- what the commands share: the options that are spelled-out
 * --set KEY=VALUE: --episodes (run.episodes), --seed (run.seed), --epochs
 * (train.epochs) and --theta (theta_file), used by run/check/train (main.c)
 * and render (cmd_render.c), so the keys are written once; and opening an
 * experiment through the embedding API (run, check, eval).
 */
#ifndef SETOPTS_H
#define SETOPTS_H

#define SETOPTS_N 4

/* Index 0..SETOPTS_N-1 of option `opt` ("--episodes"), or -1. */
int setopts_index(const char *opt);

/* Write "KEY=value" for option index k into buf (cap bytes); returns buf. */
char *setopts_format(int k, const char *value, char *buf, unsigned long cap);

/* Open experiment `file` through the embedding API as run, check and eval
 * do (ANIMAT_OPEN_DEFER: validated now, instances made per run), with the
 * --set values and --plugin files given. The handle, or NULL after one
 * "error: ..." line on stderr. */
struct animat_exp *cli_open(const char *file, const char *const *sets, unsigned nsets, const char *const *plugins,
                            unsigned nplugins);

/* Close x after a command's work that returned rc: when rc is not 0, the
 * handle's message first as one "error: ..." line on stderr. Returns the
 * exit status (0 or 1). */
int cli_close(struct animat_exp *x, int rc);

#endif
