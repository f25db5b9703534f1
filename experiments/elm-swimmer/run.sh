#!/bin/sh
# ELM vs MLP vs CTRNN (103, 104 and 109 parameters) on the 6-link swimmer
# (docs/results.md): ES, 30 epochs x 8 episodes of 1000 control steps,
# 5 seeds each, value = held-out mean return over 10 episodes (train.eval).
# Usage: experiments/elm-swimmer/run.sh OUTDIR [-j N]; the sweeps are
# experiments/elm-memory/run.sh's, over this folder's three files.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ELM_CONFIGS=$here exec "$here/../elm-memory/run.sh" "$@"
