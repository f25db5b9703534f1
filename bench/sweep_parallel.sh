#!/bin/sh
# bench/sweep_parallel.sh -- what `animat sweep -j N` buys over running the same
# runs one after another.
#
#   bench/sweep_parallel.sh seq  STEPS       # 20 `animat run --record` in a shell loop
#   bench/sweep_parallel.sh sweep J STEPS    # the same 20 runs as one `animat sweep -j J`
#
# The 20 runs: examples/swimmer-ncap.yaml at 4 grid points (ncap theta scales)
# x seeds 1..5, each 3 episodes of STEPS control steps. Time them side by side:
#   farm-bench -n 3 --vs "bench/sweep_parallel.sh seq 1000" -- bench/sweep_parallel.sh sweep 2 1000
# Run from the repository root after `meson compile -C build`.
set -eu
ANIMAT=${ANIMAT:-./build/core/animat}
EXP=examples/swimmer-ncap.yaml
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
THETAS='[1,1,1,-1] [0.8,1,1,-1] [1,0.8,1,-1] [1,1,0.8,-1]'
mode=$1; shift
case $mode in
seq)
    steps=$1; i=0
    for th in $THETAS; do
        for s in 1 2 3 4 5; do
            i=$((i + 1))
            "$ANIMAT" run "$EXP" --seed "$s" --set run.episodes=3 --set run.max_steps="$steps" \
                --set "circuit.theta=$th" --record "$DIR/r$i.h5" >/dev/null
        done
    done ;;
sweep)
    j=$1; steps=$2
    "$ANIMAT" sweep "$EXP" -j "$j" --seeds 1..5 --set run.episodes=3 --set run.max_steps="$steps" \
        --grid "circuit.theta=[$(echo $THETAS | tr ' ' ',')]" -o "$DIR/sw" >/dev/null ;;
*)  echo "usage: $0 seq STEPS | sweep J STEPS" >&2; exit 2 ;;
esac
