#!/usr/bin/env bash
# bench/instructions.sh [BUILD_DIR] -- host overhead in instructions, not
# seconds: runs bench_host under callgrind, collecting only inside host_round
# and then only inside plain_round (same episodes, same steps, same
# trajectories), and prints instructions per control step for each path and
# the ratio. Instruction counts repeat exactly for the same binary and input,
# so this figure does not depend on machine load, unlike wall-clock rates.
# Two set-ups: the reference experiment (one body, one circuit) and
# bench/graph3.yaml (one body, three ncap circuits in a chain with a slice
# copy) against a plain loop that chains three NCAP passes inline.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
exe=$build/bench/bench_host
[ -x "$exe" ] || { echo "bench/instructions.sh: build first: meson compile -C $build" >&2; exit 1; }

# measure LABEL CHAIN [EXPERIMENT]: one line of results.
measure() {
  local label=$1 chain=$2; shift 2
  declare -A ir
  for fn in host_round plain_round; do
    out=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect=$fn \
          "$exe" --rounds 1 --seconds 0.001 --chain "$chain" "$@" 2>&1 >/dev/null)
    ir[$fn]=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' <<<"$out")
    [ -n "${ir[$fn]}" ] && [ "${ir[$fn]}" -gt 0 ] || { echo "bench/instructions.sh: callgrind collected nothing in $fn:" >&2; echo "$out" | tail -5 >&2; exit 1; }
  done
  # Each path ran a warm-up episode and one measured episode: 2000 control steps.
  awk -v l="$label" -v h="${ir[host_round]}" -v p="${ir[plain_round]}" 'BEGIN {
    printf "%-34s host %11d (%7.0f/step)  plain %11d (%7.0f/step)  overhead %+.3f%%\n", l, h, h / 2000, p, p / 2000, 100 * (h / p - 1)
  }'
}
echo "instructions over 2 episodes (2000 control steps) per path:"
measure "1 body + 1 circuit (swimmer-ncap)" 1
measure "1 body + 3 circuits (graph3.yaml)" 3 bench/graph3.yaml
