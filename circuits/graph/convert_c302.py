#!/usr/bin/env python3
"""convert_c302.py -- write a graph-circuit network file (circuits/graph
format, see README.md) from the C. elegans connectome table shipped by
OpenWorm's c302 (c302/data/aconnectome_white_1986_whole.csv: tab-separated
pre, post, type = chemical|electrical, synapses = count; White et al. 1986
reconstruction as curated by OpenWorm; c302 is MIT-licensed).

    python3 convert_c302.py aconnectome_white_1986_whole.csv > celegans.graph

Choices made here (all documented in the output's header):
  - cells kept: every neuron; dropped: muscles (LegacyBodyWallMuscles,
    pm1, pm4) and the GLR glia;
  - chemical synapse weight = CHEM_SCALE * count, negative when the
    presynaptic neuron is GABAergic (DD, VD, RME, AVL, DVB, RIS), positive
    otherwise (glutamate-gated chloride inhibition is not modelled);
  - gap junction conductance = GAP_SCALE * count; a pair listed in both
    directions (none in this table) keeps the larger count;
  - ports for the 6-link swimmer: joint k (1..5) is driven by the B-type
    motor-neuron pair at the matching fraction of the body (DB of 7, VB of
    11); `muscles` = DB - VB of each pair; `joints` = the angle of joint k
    into the pair of joint k+1 (dorsal|ventral by sign), the tail joint into
    DB7|VB11; `touch` = the six gentle-touch receptors; `drive` = AVBL, AVBR.
Python 3 standard library only. Exit status 1 with a one-line message on
bad input.
"""
import csv
import sys

CHEM_SCALE = 0.1
GAP_SCALE = 0.05
NOT_NEURONS = {"LegacyBodyWallMuscles", "pm1", "pm4",
               "GLRDL", "GLRDR", "GLRL", "GLRR", "GLRVL", "GLRVR"}
GABA = ({"DD%d" % i for i in range(1, 7)} | {"VD%d" % i for i in range(1, 14)} |
        {"RMED", "RMEL", "RMER", "RMEV", "AVL", "DVB", "RIS"})
TOUCH = ["ALML", "ALMR", "AVM", "PLML", "PLMR", "PVM"]


def pair(k, joints=5):
    """The (DB, VB) motor neurons of joint k (1-based) by body fraction."""
    f = (k - 0.5) / joints
    return "DB%d" % int(f * 7 + 0.5 + 0.5), "VB%d" % int(f * 11 + 0.5 + 0.5)


def main(path):
    chem, gap, cells = {}, {}, set()
    with open(path, newline="") as fh:
        rows = csv.reader(fh, delimiter="\t")
        header = next(rows, None)
        if header != ["pre", "post", "type", "synapses"]:
            sys.exit("%s:1: expected the header pre, post, type, synapses" % path)
        for line, row in enumerate(rows, start=2):
            if len(row) != 4 or not row[3].isdigit():
                sys.exit("%s:%d: expected PRE POST TYPE COUNT" % (path, line))
            pre, post, kind, count = row[0], row[1], row[2], int(row[3])
            if pre in NOT_NEURONS or post in NOT_NEURONS:
                continue
            cells.update((pre, post))
            if kind == "chemical":
                if (pre, post) in chem:
                    sys.exit("%s:%d: duplicate chemical synapse %s -> %s" % (path, line, pre, post))
                chem[(pre, post)] = count
            elif kind == "electrical":
                if pre == post:
                    continue
                key = tuple(sorted((pre, post)))
                gap[key] = max(gap.get(key, 0), count)
            else:
                sys.exit("%s:%d: unknown synapse type %r" % (path, line, kind))
    names = sorted(cells)
    out = sys.stdout
    out.write("# celegans.graph -- C. elegans hermaphrodite connectome (White et al. 1986,\n"
              "# as curated in OpenWorm c302: c302/data/aconnectome_white_1986_whole.csv,\n"
              "# MIT licence), converted by circuits/graph/convert_c302.py.\n"
              "# %d neurons, %d chemical synapses, %d gap junctions.\n"
              "# chem weight = %g * count (negative from GABAergic neurons); gap = %g * count.\n"
              % (len(names), len(chem), len(gap), CHEM_SCALE, GAP_SCALE))
    for i in range(0, len(names), 12):
        out.write("neuron %s\n" % " ".join(names[i:i + 12]))
    for (pre, post), count in sorted(chem.items()):
        sign = -1.0 if pre in GABA else 1.0
        out.write("chem %s %s %.10g\n" % (pre, post, sign * CHEM_SCALE * count))
    for (a, b), count in sorted(gap.items()):
        out.write("gap %s %s %.10g\n" % (a, b, GAP_SCALE * count))
    pairs = [pair(k) for k in range(1, 6)]
    joints = ["%s|%s" % p for p in pairs[1:]] + ["DB7|VB11"]
    out.write("in joints %s\n" % " ".join(joints))
    out.write("in touch %s\n" % " ".join(TOUCH))
    out.write("in drive AVBL AVBR\n")
    out.write("out muscles %s\n" % " ".join("%s-%s" % p for p in pairs))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: convert_c302.py aconnectome_white_1986_whole.csv > celegans.graph")
    main(sys.argv[1])
