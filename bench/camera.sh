#!/bin/sh
# bench/camera.sh -- what a camera port costs the mjcf body (docs/senses.md).
#
#   bench/camera.sh [STEPS]     # default 1000 control steps per configuration
#
# Runs tests/bodies/models/eyes.xml (a 3-link swimmer, 15 MuJoCo steps per
# control step) with no camera port, then one RGB camera port of 16x16 and
# 64x64 in each camera_mode (ray, render), and prints the run's steps/s and
# the camera's cost per control step and per pixel against no camera.
# Run from the repository root after `meson compile -C build`.
set -eu
ANIMAT=${ANIMAT:-./build/core/animat}
STEPS=${1:-1000}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
SRC=tests/bodies/models/eyes.xml
# one configuration: model file from the declaration, then a timed run
run() { # NAME DECLARATION MODE
    sed -e "s|<numeric name=\"animat.camera.eye_left\"[^>]*>|$2|" \
        -e '/animat.camera.eye_right/d' "$SRC" >"$DIR/$1.xml"
    cat >"$DIR/$1.yaml" <<YAML
body: {plugin: mjcf, params: {model: $1.xml, time_limit: 1000, camera_mode: $3}}
circuit: {plugin: mlp, params: {hidden: [4]}}
wiring: [body.obs.joints -> circuit.in.obs, circuit.out.act -> body.act.motors]
run: {max_steps: $STEPS}
YAML
    "$ANIMAT" run "$DIR/$1.yaml" --quiet | sed -n 's/.*(\([0-9.]*\) steps\/s).*/\1/p'
}
base=$(run none "" ray)
echo "no camera: $base steps/s"
for mode in ray render; do
    for n in 16 64; do
        sps=$(run "c$n$mode" "<numeric name=\"animat.camera.eye_left\" data=\"$n $n 3\"/>" "$mode")
        awk -v m="$mode" -v n="$n" -v s="$sps" -v b="$base" 'BEGIN {
            c = 1e6 / s - 1e6 / b;
            printf "%-6s %dx%d RGB: %s steps/s, camera %.1f us per step, %.3f us per pixel\n", m, n, n, s, c, c / (n * n) }'
    done
done
