#!/usr/bin/env bash
# Install the Debian packages animat needs, only those that are missing.
# Sourced by scripts/quickstart and scripts/test; safe to run again.
set -euo pipefail

ANIMAT_DEBS=(build-essential meson ninja-build pkg-config libmujoco-dev libgsl-dev check
             libyaml-dev libxml2-dev libosmesa6-dev libhdf5-dev libopenmpi-dev openmpi-bin valgrind binutils
             clang libclang-rt-14-dev
             hdf5-tools libcairo2-dev ffmpeg chromium python3 procps libglfw3 libglfw3-dev xvfb xauth
             python3-numpy python3-pytest python3-h5py python3-hdmf python3-scipy python3-brian python3-torch
             python3-matplotlib)

missing=()
for p in "${ANIMAT_DEBS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "animat: installing missing packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
