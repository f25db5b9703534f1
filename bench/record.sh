#!/usr/bin/env bash
# bench/record.sh [BUILD_DIR] -- what an HDF5 recording of every port costs.
# Runs the reference experiment (examples/swimmer-ncap.yaml, 3 episodes of
# 1000 control steps) under callgrind twice, without and with --record
# (default signals: every port of every instance, the circuit's units and
# the reward, every step), and prints the instructions of each whole process
# and the ratio: the CPU work a recording adds (compression included).
# Instruction counts repeat exactly for the same binary and input, so that
# figure does not depend on machine load. Compression and HDF5 writes run on
# a writer thread beside the step loop, so the wall-clock cost is smaller on
# two or more cores: the median over 31 alternating pairs of whole runs.
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
# wall ARGS...: wall seconds of one whole `animat run` with ARGS.
wall() {
  local t0 t1
  t0=$(date +%s.%N); "$exe" run "$exp" --quiet "$@" >/dev/null; t1=$(date +%s.%N)
  awk -v x="$t0" -v y="$t1" 'BEGIN{print y-x}'
}
plain=$(instructions)
rec=$(instructions --record "$tmp/r.h5")
size=$(stat -c %s "$tmp/r.h5")
awk -v p="$plain" -v r="$rec" -v s="$size" 'BEGIN {
  printf "instructions, whole process, 3 episodes: plain %.0f  --record %.0f  cost %+.2f%%  (file %.1f MB)\n", p, r, 100 * (r / p - 1), s / 1e6
}'
# 31 pairs, run in turn (A B A B ...) so that drifts in machine speed cancel;
# the median of the per-pair ratios.
ratios=()
for _ in $(seq 31); do
  a=$(wall --record "$tmp/r.h5"); b=$(wall)
  ratios+=("$(awk -v a="$a" -v b="$b" 'BEGIN{print a/b}')")
done
printf '%s\n' "${ratios[@]}" | sort -g | awk '{r[NR]=$1} END {
  printf "wall clock, whole process, 31 pairs: --record / plain median %.4f (min %.4f, max %.4f): cost %+.1f%%\n", r[16], r[1], r[NR], 100 * (r[16] - 1)
}'
