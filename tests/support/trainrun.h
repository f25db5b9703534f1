/* trainrun.h -- helpers for tests that run `animat train` and compare runs:
 * learning curves without their timing column, checkpoint epochs, and a
 * SIGKILL in the middle of a run. Used by tests/core/test_train.c and
 * tests/study/test_episodes.c. */
#ifndef TRAINRUN_H
#define TRAINRUN_H

#include <stddef.h>

/* The data rows of a learning curve from its header on, without the last
 * (elapsed seconds) column, and of its '#' lines only the last (the closing
 * held-out evaluation): what must repeat bit for bit. Fails the test when
 * the file is missing. Caller frees. */
char *trainrun_curve(const char *path);

/* Epochs recorded in a checkpoint (its header's epochs_done), -1 if none. */
long trainrun_ckpt_epochs(const char *path);

/* Start `cmd` (a shell command line) in the background, wait until the
 * checkpoint at `ckpt` records at least `min_epochs` epochs (60 s at most,
 * polling every `poll_us`), then SIGKILL it and reap it. Returns the epochs
 * recorded at that moment. */
long trainrun_kill_mid(const char *cmd, const char *ckpt, long min_epochs, unsigned poll_us);

/* Curves (trainrun_curve) and the theta lines of two runs' parameter files
 * DIR/A.csv, DIR/A.params.yaml and DIR/B.* are identical; fails otherwise.
 * `min_len`: the curve must be at least that long (a real run). */
void trainrun_assert_same(const char *dir, const char *a, const char *b, size_t min_len);

#endif
