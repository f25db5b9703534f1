#!/usr/bin/env bash
# bench/instructions.sh [BUILD_DIR] -- host overhead in instructions, not
# seconds: runs bench_host under callgrind twice, collecting only inside
# host_round and then only inside plain_round (same episodes, same steps, same
# trajectories), and prints instructions per control step for each path and
# the ratio. Instruction counts repeat exactly for the same binary and input,
# so this figure does not depend on machine load, unlike wall-clock rates.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
exe=$build/bench/bench_host
[ -x "$exe" ] || { echo "bench/instructions.sh: build first: meson compile -C $build" >&2; exit 1; }
declare -A ir
for fn in host_round plain_round; do
  out=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect=$fn \
        "$exe" --rounds 1 --seconds 0.001 2>&1 >/dev/null)
  ir[$fn]=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' <<<"$out")
  [ -n "${ir[$fn]}" ] && [ "${ir[$fn]}" -gt 0 ] || { echo "bench/instructions.sh: callgrind collected nothing in $fn:" >&2; echo "$out" | tail -5 >&2; exit 1; }
done
# Each path ran a warm-up episode and one measured episode: 2000 control steps.
awk -v h="${ir[host_round]}" -v p="${ir[plain_round]}" 'BEGIN {
  printf "instructions, 2 episodes (2000 control steps) each:\n"
  printf "  host   %d  (%.0f per step)\n", h, h / 2000
  printf "  plain  %d  (%.0f per step)\n", p, p / 2000
  printf "host overhead in instructions: %+.3f%%\n", 100 * (h / p - 1)
}'
