#!/bin/sh
# EG vs ES at equal budget (20 epochs x 8 episodes of 1000 steps per run),
# 5 training seeds each, then 10 held-out episodes (`animat eval`: random
# streams no training episode can use, whatever the seed). Usage: experiments/eg-vs-es/run.sh CIRCUIT OUTDIR
# with CIRCUIT = ncap-unshared or ctrnn-dale. Writes OUTDIR/CIRCUIT.csv
# (learner, seed, held-out mean return). ES: Adam (its defaults otherwise);
# EG: plugins/eg defaults, temperature 0. Optional environment:
# LEARNERS (default "es eg"), EXTRA (more train options, e.g.
# "--set learner.params.lr=0.2"), TAG (suffix of the csv and run names).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
animat=${ANIMAT:-animat}
c=$1 out=$2 tag_sfx=${TAG:-}
mkdir -p "$out"
csv="$out/$c$tag_sfx.csv"
echo "learner,seed,heldout_mean_return" > "$csv"
for seed in 1 2 3 4 5; do
  for l in ${LEARNERS:-es eg}; do
    tag=$c$tag_sfx-$l-$seed
    extra=""
    [ "$l" = es ] && extra="--set learner.params.weight_decay=0"
    "$animat" train "$here/$c.yaml" --quiet --set learner.plugin=$l --set run.seed=$seed $extra ${EXTRA:-} \
      --set train.output="$out/$tag.params.yaml" --set train.curve="$out/$tag.curve.csv"
    r=$("$animat" eval "$here/$c.yaml" --theta "$out/$tag.params.yaml" --seed $seed --episodes 10 --quiet |
        sed -n 's/.*held-out mean return \([-0-9.e+]*\).*/\1/p')
    echo "$l,$seed,$r" >> "$csv"
  done
done
