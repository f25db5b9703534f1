#!/bin/sh
# Gait adaptation of the NCAP worm (examples/worm-ncap.yaml) between a
# water-like and an agar-like resistive-force-theory medium, the comparison
# of Fang-Yen et al. 2010 (PNAS 107:20323): one episode each, same seed,
# then from the traces (after a 5 s start-up transient):
#   frequency  = 1 / period of upward zero crossings of the middle joint;
#   wavelength = period / (mean head-to-tail lag of those crossings between
#                neighbouring joints, away from head and tail), in links,
#                divided by the number of links (body lengths);
#   speed      = mean of obs.speed (centre of mass along tail -> head).
#   examples/worm-gait.sh [ANIMAT] [K_WATER] [K_AGAR]
# ANIMAT defaults to build/core/animat; K defaults 1.5 (water) and 10 (agar).
# Needs only sh and awk.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
animat=${1:-$here/../build/core/animat}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for k in "${2:-1.5}" "${3:-10}"; do
  "$animat" run "$here/worm-ncap.yaml" --episodes 1 --seed 1 --quiet \
      --set body.params.rft_ratio="$k" --set 'record.ports=[body.obs.joints, body.obs.speed]' \
      --trace "$tmp/k$k.csv" > /dev/null
  awk -F, -v K="$k" -v T0=5 -v LINK=0.05 '
    /^#/ { next }
    $1 == "episode" {                      # header: find the columns
      for (i = 1; i <= NF; i++) {
        if ($i ~ /^body\.obs\.joints\[/) jc[nj++] = i
        if ($i == "body.obs.speed[0]") sc = i
      }
      next
    }
    {
      t = $3 + 0
      if (t >= T0) { vsum += $sc; vn++ }
      for (j = 0; j < nj; j++) {             # upward zero crossings, interpolated
        q = $(jc[j]) + 0
        if (started && tp >= T0 && qp[j] < 0 && q >= 0)
          cross[j, nc[j]++] = tp + (t - tp) * (-qp[j]) / (q - qp[j])
        qp[j] = q
      }
      tp = t; started = 1
    }
    END {
      mid = int(nj / 2)
      period = (cross[mid, nc[mid] - 1] - cross[mid, 0]) / (nc[mid] - 1)
      for (j = 1; j < nj - 2; j++)           # pairs (j, j+1) away from head and tail
        for (a = 0; a < nc[j]; a++)
          for (b = 0; b < nc[j + 1]; b++) {
            d = cross[j + 1, b] - cross[j, a]
            if (d > 0) { if (d < period) { lag += d; nl++ }; break }
          }
      nlinks = nj + 1
      wl = period / (lag / nl) / nlinks
      v = vsum / vn
      printf "K=%-5s frequency %.3f Hz  wavelength %.2f body lengths  speed %.4f m/s (%.3f body lengths/s)\n",
             K, 1 / period, wl, v, v / (nlinks * LINK)
    }' "$tmp/k$k.csv"
done
