#!/usr/bin/env bash
# bench/bench_bodies.sh [BUILD_DIR] [ROUNDS] [EPISODES] -- control steps per
# second of the body plugins, through `animat run` (the circuit and the host
# included, as a user runs them), in one go:
#   1. the swimmer plugin vs dm_control's swimmer as an MJCF file through the
#      mjcf body (examples/swimmer-ncap.yaml vs examples/mjcf-swimmer-ncap.yaml,
#      which give byte-identical traces): ROUNDS rounds, the order swapped
#      every round, and the median of the per-round mjcf/plugin ratios
#      (target: within 2%);
#   2. each organism once: the worm in water- and agar-like RFT media, the
#      walker (untrained MLP), reacher2, and the swimmer in the RFT medium.
# Wall-clock rates on a shared machine move by several percent from run to
# run; the paired ratio is the figure to read. ANIMAT_BENCH_INSTR=1 adds
# callgrind instruction counts of one 1000-step episode of each swimmer
# (machine-independent; needs valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
rounds=${2:-7}
episodes=${3:-10}
exe=$build/core/animat
[ -x "$exe" ] || { echo "bench/bench_bodies.sh: build first: meson compile -C $build" >&2; exit 1; }

# steps/s of one run: the summary line ends "(N steps/s)".
rate() { "$exe" run "$@" --quiet | sed -n 's/.*(\([0-9.]*\) steps\/s).*/\1/p'; }

echo "swimmer plugin vs mjcf + swimmer6.xml, $rounds rounds of $episodes episodes (1000 steps each), ncap circuit"
ratios=()
for r in $(seq 1 "$rounds"); do
  if (( r % 2 )); then
    a=$(rate examples/swimmer-ncap.yaml --episodes "$episodes"); b=$(rate examples/mjcf-swimmer-ncap.yaml --episodes "$episodes")
  else
    b=$(rate examples/mjcf-swimmer-ncap.yaml --episodes "$episodes"); a=$(rate examples/swimmer-ncap.yaml --episodes "$episodes")
  fi
  ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.4f", b / a }')
  ratios+=("$ratio")
  printf "  round %d: swimmer %8.0f steps/s   mjcf %8.0f steps/s   mjcf/swimmer %s\n" "$r" "$a" "$b" "$ratio"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END {
  m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
  printf "median mjcf/swimmer ratio: %.4f (%+.2f%%; target within 2%%)\n", m, 100 * (m - 1) }'

echo "organisms, $episodes episodes each:"
org() { printf "  %-44s %8.0f steps/s\n" "$1" "$(rate "${@:2}" --episodes "$episodes")"; }
org "worm, ncap, RFT K=1.5 (water)" examples/worm-ncap.yaml --set body.params.rft_ratio=1.5
org "worm, ncap, RFT K=10 (agar)" examples/worm-ncap.yaml --set body.params.rft_ratio=10
org "walker, mlp [32] untrained" examples/walker-mlp-es.yaml
org "reacher2, mlp [32], reach" examples/reacher2-mlp.yaml
org "swimmer plugin, ncap, RFT K=10" examples/swimmer-ncap.yaml --set body.params.medium=rft --set body.params.rft_ratio=10

if [ "${ANIMAT_BENCH_INSTR:-0}" = 1 ]; then
  echo "callgrind instructions, whole process (load + 1 episode of 1000 steps):"
  declare -A ir
  for f in swimmer-ncap mjcf-swimmer-ncap; do
    ir[$f]=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$exe" run "examples/$f.yaml" --episodes 1 --quiet 2>&1 \
             | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
    printf "  %-20s %d\n" "$f" "${ir[$f]}"
  done
  awk -v a="${ir[swimmer-ncap]}" -v b="${ir[mjcf-swimmer-ncap]}" \
    'BEGIN { printf "mjcf/swimmer in instructions: %.4f (%+.2f%%)\n", b / a, 100 * (b / a - 1) }'
fi
