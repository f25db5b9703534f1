#!/usr/bin/env bash
# bench/record.sh [BUILD_DIR] -- what an HDF5 recording of every port costs.
# Runs the reference experiment (examples/swimmer-ncap.yaml, 3 episodes of
# 1000 control steps) under callgrind twice, without and with --record
# (default signals: every port of every instance, the circuit's units and
# the reward, every step), and prints the instructions of each whole process
# and the ratio. Instruction counts repeat exactly for the same binary and
# input, so the figure does not depend on machine load; wall-clock time is
# printed too (min of 3), for reference.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
exe=$build/core/animat
[ -x "$exe" ] || { echo "bench/record.sh: build first: meson compile -C $build" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
exp=examples/swimmer-ncap.yaml

# instructions ARGS...: total instructions of `animat run` with ARGS.
instructions() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$exe" run "$exp" --quiet "$@" 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
# seconds ARGS...: the fastest of 3 wall-clock runs.
seconds() {
  local best=1e9
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s.%N); "$exe" run "$exp" --quiet "$@" >/dev/null; t1=$(date +%s.%N)
    best=$(awk -v a="$best" -v b="$(awk -v x="$t0" -v y="$t1" 'BEGIN{print y-x}')" 'BEGIN{print (b<a)?b:a}')
  done
  echo "$best"
}
plain=$(instructions)
rec=$(instructions --record "$tmp/r.h5")
size=$(stat -c %s "$tmp/r.h5")
awk -v p="$plain" -v r="$rec" -v s="$size" 'BEGIN {
  printf "instructions, whole process, 3 episodes: plain %.0f  --record %.0f  cost %+.2f%%  (file %.1f MB)\n", p, r, 100 * (r / p - 1), s / 1e6
}'
tp=$(seconds); tr=$(seconds --record "$tmp/r.h5")
awk -v p="$tp" -v r="$tr" 'BEGIN { printf "wall clock, min of 3: plain %.3f s  --record %.3f s  cost %+.1f%%\n", p, r, 100 * (r / p - 1) }'
