#!/bin/sh
# Within-episode gain of the hebbian rule: one 1000-step episode per
# (seed, eta, condition), plasticity on (eta > 0) against off (eta = 0) from
# the same start. Conditions: none, and "silence" (the head oscillator
# silenced from t = 10 s: adaptation after a perturbation).
# Usage: experiments/hebbian-gain/run.sh OUTDIR  -> OUTDIR/hebbian-gain.csv
set -eu
here=$(cd "$(dirname "$0")" && pwd)
animat=${ANIMAT:-animat}
out=$1
mkdir -p "$out"
echo "condition,seed,eta,return" > "$out/hebbian-gain.csv"
for cond in none silence; do
  iv=""
  [ "$cond" = silence ] && iv="interventions=[{target: circuit.unit.osc, do: silence, from: 10.0}]"
  for seed in 1 2 3 4 5; do
    for eta in 0 0.0001 0.001 0.01 0.1; do
      tag=$cond-$seed-$eta
      if [ -n "$iv" ]; then set -- --set "$iv"; else set --; fi
      "$animat" train "$here/ncap-hebbian.yaml" --quiet --set run.seed=$seed --set learner.params.eta=$eta \
        --set train.curve="$out/$tag.csv" --set train.output="$out/$tag.params.yaml" "$@" > /dev/null
      r=$(tail -1 "$out/$tag.csv" | cut -d, -f5)
      echo "$cond,$seed,$eta,$r" >> "$out/hebbian-gain.csv"
    done
  done
done
