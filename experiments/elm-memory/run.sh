#!/bin/sh
# ELM vs MLP vs CTRNN (about 100 parameters each) on the delayed-cue task
# (docs/results.md): ES, 300 epochs x 16 episodes of 120 control steps,
# 5 seeds each, value = held-out mean return over 20 episodes (train.eval).
# Usage: experiments/elm-memory/run.sh OUTDIR [-j N]
# (ELM_CONFIGS=DIR takes elm.yaml, mlp.yaml and ctrnn.yaml from DIR instead:
# experiments/elm-swimmer/run.sh does.)
set -eu
here=${ELM_CONFIGS:-$(cd "$(dirname "$0")" && pwd)}
animat=${ANIMAT:-animat}
out=$1
shift
mkdir -p "$out"
for c in elm mlp ctrnn; do
  "$animat" sweep "$here/$c.yaml" --train --seeds 1..5 -o "$out/$c" --quiet "$@"
done
