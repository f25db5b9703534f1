#!/usr/bin/env bash
# fuzz/run.sh [SECONDS] [TARGET...] -- build and run the libFuzzer targets.
#
# Configures build-fuzz with clang (CC=clang meson setup build-fuzz -Dfuzz=true
# -Dtests=false) when it does not exist, builds it, makes a seed corpus per
# target from examples/*.yaml (and tests/corpus/cases/* if present), then runs
# each target (default: all three) for SECONDS (default 20) with the YAML
# dictionary. Inputs are capped at 16 KiB (-max_len; larger seeds are cut):
# experiment files are small, and big inputs only slow the search. Corpora grow in build-fuzz/corpus/TARGET; crash, leak and
# timeout inputs go to build-fuzz/artifacts/. Exit status: 0 if no target
# found anything, 1 otherwise (or on a build error).
#
# Environment: FUZZ_ARGS="..." appends libFuzzer flags (e.g. "-jobs=8
# -workers=8"); FUZZ_BUILD=DIR uses another build directory.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

secs=20
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then
    secs=$1
    shift
fi
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(fuzz_yaml fuzz_experiment fuzz_params)

build=${FUZZ_BUILD:-build-fuzz}
build=${build%/}
[[ $build != /* ]] || { echo "fuzz/run.sh: FUZZ_BUILD must be relative to the repository root" >&2; exit 2; }
if [[ ! -f $build/build.ninja ]]; then
    CC=clang meson setup "$build" -Dfuzz=true -Dtests=false
fi
ninja -C "$build"
for t in "${targets[@]}"; do
    if [[ ! -x $build/fuzz/$t ]]; then
        echo "fuzz/run.sh: $build/fuzz/$t was not built (is $build configured with CC=clang and -Dfuzz=true?)" >&2
        exit 1
    fi
done

art=$build/artifacts
logs=$build/fuzz-logs
mkdir -p "$art" "$logs" "$build/tmp"
export TMPDIR=$root/$build/tmp   # fuzz_experiment's scratch directories
# the plugin index of the build's own plugins only: a user's index holding
# every build tree ever probed (thousands of lines, parsed by every load)
# slowed fuzz_experiment under ASan from thousands of inputs a second to 5
export XDG_CACHE_HOME=$root/$build/cache

# Seeds: the examples (and the test corpus, if any). fuzz_params also gets
# "YAML \0 string..." seeds for the raw-string part of its input.
seeds=(examples/*.yaml)
if [[ -d tests/corpus/cases ]]; then
    while IFS= read -r -d '' f; do seeds+=("$f"); done < <(find tests/corpus/cases -type f -print0)
fi

status=0
for t in "${targets[@]}"; do
    corpus=$build/corpus/$t
    mkdir -p "$corpus"
    for f in "${seeds[@]}"; do
        cp -f "$f" "$corpus/seed-$(echo "$f" | tr '/' '_')"
    done
    if [[ $t == fuzz_params ]]; then
        printf 'params: {n_bodies: 6, hidden: [32, 32], task: swim}\0body.obs.joints -> circuit.in.joints\0-1.5e3\0a|b|c' \
            >"$corpus/seed-params-strings"
        printf 'params: {shared: yes, init: random, taus: []}\0circuit.out.x\0body.act.motors\0' \
            >"$corpus/seed-params-strings2"
    fi
    log=$logs/$t.log
    echo "== $t: ${secs}s, corpus $corpus, log $log"
    rc=0
    # Run from the log folder: with -jobs=N libFuzzer writes fuzz-I.log there.
    (cd "$logs" && exec "$root/$build/fuzz/$t" -max_total_time="$secs" -timeout=10 \
        -rss_limit_mb=2048 -max_len=16384 -dict="$root/fuzz/yaml.dict" \
        -artifact_prefix="$root/$art/$t-" -print_final_stats=1 \
        ${FUZZ_ARGS:-} "$root/$corpus") </dev/null >"$log" 2>&1 || rc=$?
    # Summary: the last status line (coverage, features, corpus, exec/s) and
    # the final stats.
    grep -E '^#[0-9]+' "$log" | tail -n 1 || true
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log" || true
    if [[ $rc -ne 0 ]]; then
        status=1
        echo "!! $t exited with status $rc; finding(s):"
        grep -E '^==[0-9]+==ERROR|SUMMARY: |^artifact_prefix|Test unit written to|runtime error' "$log" | head -n 20 || true
        echo "   full report: $log"
    fi
done
exit $status
