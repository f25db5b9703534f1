#!/usr/bin/env python3
"""convert_c302.py -- write a graph-circuit network file (circuits/graph
format, see README.md) from a C. elegans connectome table shipped by
OpenWorm's c302 (tab-separated pre, post, type = chemical|electrical,
synapses = count; c302 is MIT-licensed): White et al. 1986 as curated by
OpenWorm (c302/data/aconnectome_white_1986_whole.csv), or the tables
extract_c302_xlsx.py writes from c302's Cook et al. 2019 and Witvliet et
al. 2020 workbooks.

    python3 convert_c302.py aconnectome_white_1986_whole.csv > celegans.graph
    python3 convert_c302.py cook2019_herm.tsv "Cook et al. 2019 ..." cook2019_herm_nmj.tsv > cook2019.graph

(the optional second argument names the source in the output's header; the
optional third is a neuromuscular junction table, pre muscle type synapses,
as extract_c302_xlsx.py writes it).
Choices made here (all documented in the output's header):
  - cells kept: every neuron; dropped: muscles (body wall and pharyngeal),
    glia (GLR, CEPsh) and other non-neuronal cells (lower-case names in
    Cook et al.: hyp, int, exc_cell, ...); self gap junctions dropped;
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
    A table without the ventral cord (Witvliet et al.: the nerve ring only)
    gets `drive` and `command` = AVBL-AVAL, AVBR-AVAR (forward minus
    backward command interneurons) instead, and `touch` keeps the receptors
    it has. With a neuromuscular table, `nmj` = D - V per joint: D (V) is
    the non-GABAergic neuron with the most chemical synapses onto the
    dorsal (ventral) body wall muscles of that joint's fifth of the body
    (muscle rows 1-24 head to tail; ties by name).
Python 3 standard library only. Exit status 1 with a one-line message on
bad input.
"""
import csv
import re
import sys

CHEM_SCALE = 0.1
GAP_SCALE = 0.05
# muscles, glia and other non-neuronal cells (every lower-case name)
NOT_NEURON = re.compile(r"^([a-z]|LegacyBodyWallMuscles$|GLR|CEPsh|M[DV][LR]\d\d$)")
GABA = ({"DD%d" % i for i in range(1, 7)} | {"VD%d" % i for i in range(1, 14)} |
        {"RMED", "RMEL", "RMER", "RMEV", "AVL", "DVB", "RIS"})
TOUCH = ["ALML", "ALMR", "AVM", "PLML", "PLMR", "PVM"]


def pair(k, joints=5):
    """The (DB, VB) motor neurons of joint k (1-based) by body fraction."""
    f = (k - 0.5) / joints
    return "DB%d" % int(f * 7 + 0.5 + 0.5), "VB%d" % int(f * 11 + 0.5 + 0.5)


def nmj_port(path, have):
    """The `nmj` output elements (D-V per joint) from an NMJ table."""
    counts = {}
    with open(path, newline="") as fh:
        rows = csv.reader(fh, delimiter="\t")
        if next(rows, None) != ["pre", "muscle", "type", "synapses"]:
            sys.exit("%s:1: expected the header pre, muscle, type, synapses" % path)
        for line, row in enumerate(rows, start=2):
            m = re.match(r"M([DV])[LR](\d\d)$", row[1]) if len(row) == 4 else None
            if not m or not row[3].isdigit() or row[0] not in have:
                sys.exit("%s:%d: expected NEURON MUSCLE TYPE COUNT (a neuron of the network, MDL01-style)"
                         % (path, line))
            if row[2] != "chemical" or row[0] in GABA:
                continue
            joint = min(int((int(m.group(2)) - 0.5) / 24 * 5), 4)
            key = (joint, m.group(1), row[0])
            counts[key] = counts.get(key, 0) + int(row[3])
    elems = []
    for joint in range(5):
        best = []
        for side in "DV":
            cands = [(-n, pre) for (j, s, pre), n in counts.items() if j == joint and s == side]
            if not cands:
                sys.exit("%s: no neuron innervates the %s muscles of joint %d" % (path, side, joint + 1))
            best.append(min(cands)[1])
        elems.append("%s-%s" % tuple(best))
    return elems


def main(path, source, nmj=None):
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
            if NOT_NEURON.match(pre) or NOT_NEURON.match(post):
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
    out.write("# %s, converted by circuits/graph/convert_c302.py.\n"
              "# %d neurons, %d chemical synapses, %d gap junctions.\n"
              "# chem weight = %g * count (negative from GABAergic neurons); gap = %g * count.\n"
              % (source, len(names), len(chem), len(gap), CHEM_SCALE, GAP_SCALE))
    for i in range(0, len(names), 12):
        out.write("neuron %s\n" % " ".join(names[i:i + 12]))
    for (pre, post), count in sorted(chem.items()):
        sign = -1.0 if pre in GABA else 1.0
        out.write("chem %s %s %.10g\n" % (pre, post, sign * CHEM_SCALE * count))
    for (a, b), count in sorted(gap.items()):
        out.write("gap %s %s %.10g\n" % (a, b, GAP_SCALE * count))
    pairs = [pair(k) for k in range(1, 6)]
    have = set(names)
    cord = all(n in have for p in pairs + [("DB7", "VB11")] for n in p)
    if cord:
        joints = ["%s|%s" % p for p in pairs[1:]] + ["DB7|VB11"]
        out.write("in joints %s\n" % " ".join(joints))
    out.write("in touch %s\n" % " ".join(n for n in TOUCH if n in have))
    out.write("in drive AVBL AVBR\n")
    if cord:
        out.write("out muscles %s\n" % " ".join("%s-%s" % p for p in pairs))
    else:
        out.write("out command AVBL-AVAL AVBR-AVAR\n")
    if nmj:
        out.write("out nmj %s\n" % " ".join(nmj_port(nmj, have)))


WHITE = ("celegans.graph -- C. elegans hermaphrodite connectome (White et al. 1986,\n"
         "# as curated in OpenWorm c302: c302/data/aconnectome_white_1986_whole.csv,\n"
         "# MIT licence)")

if __name__ == "__main__":
    if len(sys.argv) not in (2, 3, 4):
        sys.exit("usage: convert_c302.py TABLE.csv [SOURCE [NMJ.tsv]] > NAME.graph")
    main(sys.argv[1], sys.argv[2] if len(sys.argv) >= 3 else WHITE, sys.argv[3] if len(sys.argv) == 4 else None)
