#!/bin/sh
# Body-brain co-design vs brain only vs body only (docs/results.md): ES,
# 50 epochs x 8 episodes of 200 control steps each (same budget), 5 seeds,
# value = held-out mean return over 10 episodes (train.eval). Usage:
#   experiments/codesign/run.sh OUTDIR [-j N]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
animat=${ANIMAT:-animat}
out=$1
shift
"$animat" sweep "$here/codesign.yaml" --train \
  --grid 'learner.targets=[[circuit, body], [circuit], [body]]' --seeds 1..5 -o "$out" "$@"
