#!/bin/sh
# Gait adaptation of the NCAP worm (examples/worm-ncap.yaml) between a
# water-like and an agar-like resistive-force-theory medium, the comparison
# of Fang-Yen et al. 2010 (PNAS 107:20323): one episode each, same seed,
# then undulation frequency (upward zero crossings of the body-wall joints)
# and wavelength (head-to-tail lag of those crossings) from the traces.
#   examples/worm-gait.sh [ANIMAT] [K_WATER] [K_AGAR]
# ANIMAT defaults to build/core/animat; K defaults 1.5 (water) and 10 (agar).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
animat=${1:-$here/../build/core/animat}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for k in "${2:-1.5}" "${3:-10}"; do
  "$animat" run "$here/worm-ncap.yaml" --episodes 1 --seed 1 --quiet \
      --set body.params.rft_ratio="$k" --set 'record.ports=[body.obs.joints, body.obs.speed]' \
      --trace "$tmp/k$k.csv" > /dev/null
  python3 - "$tmp/k$k.csv" "$k" <<'PY'
import csv, sys
rows = [r for r in csv.reader(l for l in open(sys.argv[1]) if not l.startswith('#'))]
head, rows = rows[0], rows[1:]
t = [float(r[2]) for r in rows]
cols = [i for i, h in enumerate(head) if h.startswith('body.obs.joints[')]
speed = [float(r[head.index('body.obs.speed[0]')]) for r in rows]
nlinks = len(cols) + 1
T0 = 5.0                      # skip the start-up transient (s)
def ups(c):                   # upward zero crossings after T0, interpolated
    q = [float(r[c]) for r in rows]
    return [t[i] + (t[i+1]-t[i]) * (-q[i]) / (q[i+1]-q[i])
            for i in range(len(q)-1) if t[i] >= T0 and q[i] < 0 <= q[i+1]]
cr = [ups(c) for c in cols]
mid = cr[len(cr)//2]
period = (mid[-1] - mid[0]) / (len(mid) - 1)
lags = []
for a, b in zip(cr[1:-2], cr[2:-1]):      # joint pairs away from head and tail
    for x in a:
        nxt = [y for y in b if y > x]
        if nxt and nxt[0] - x < period: lags.append(nxt[0] - x)
lag = sum(lags) / len(lags)               # s per link, head -> tail
wl = period / lag / nlinks                # body lengths per wavelength
v = sum(s for s, tt in zip(speed, t) if tt >= T0) / sum(1 for tt in t if tt >= T0)
print("K=%-5s frequency %.3f Hz  wavelength %.2f body lengths  speed %.4f m/s (%.3f body lengths/s)"
      % (sys.argv[2], 1/period, wl, v, v / (nlinks * 0.05)))
PY
done
