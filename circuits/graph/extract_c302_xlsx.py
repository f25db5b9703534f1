#!/usr/bin/env python3
"""extract_c302_xlsx.py -- write the connectome tables that OpenWorm's c302
ships as Excel workbooks as tab-separated tables in the format of
c302/data/aconnectome_white_1986_whole.csv (header pre, post, type,
synapses; type chemical or electrical), which convert_c302.py turns into
graph-circuit network files, and their neuromuscular junctions as a table
pre, muscle, type, synapses.

    python3 extract_c302_xlsx.py cook2019 'SI 5 Connectome adjacency matrices.xlsx' OUT.tsv NMJ.tsv
    python3 extract_c302_xlsx.py witvliet2020 witvliet_2020_8.xlsx OUT.tsv NMJ.tsv

cook2019: Cook et al. (2019) Nature 571:63, supplementary information 5,
sheets "hermaphrodite chemical" (counts, presynaptic rows x postsynaptic
columns) and "herm gap jn symmetric" (gap junction counts, a symmetric
matrix: each pair is written once, with its count). witvliet2020: Witvliet et al. (2021) Nature 596:257 (preprint
2020), one dataset per workbook (dataset 8: adult), rows pre, post, type
(chemical / electrical), synapses. Cell names lose a leading zero in their
index (VB01 -> VB1); body wall muscles (dBWML1, BWM-DL01, ...) become
c302's MDL01-style names and go to the NMJ table (neurons onto body wall
muscles only; glia rows dropped); every other non-neuron is dropped by
convert_c302.py. Python 3 standard library only (zipfile,
xml.etree); exit status 1 with a one-line message on bad input.
"""
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

from convert_c302 import NOT_NEURON

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "p": "http://schemas.openxmlformats.org/package/2006/relationships"}


def sheets(path):
    """{sheet name: {(row, col): value}} of an .xlsx workbook (1-based)."""
    try:
        z = zipfile.ZipFile(path)
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
                shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
        rels = {r.get("Id"): r.get("Target")
                for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels")).findall("p:Relationship", NS)}
        out = {}
        for sh in ET.fromstring(z.read("xl/workbook.xml")).find("m:sheets", NS):
            target = rels[sh.get("{%s}id" % NS["r"])].lstrip("/")
            target = target if target.startswith("xl/") else "xl/" + target
            cells = {}
            for c in ET.fromstring(z.read(target)).iter("{%s}c" % NS["m"]):
                m = re.match(r"([A-Z]+)(\d+)$", c.get("r", ""))
                v = c.find("m:v", NS)
                if not m or v is None:
                    inl = c.find("m:is", NS)
                    if not m or inl is None:
                        continue
                    val = "".join(t.text or "" for t in inl.iter("{%s}t" % NS["m"]))
                else:
                    val = shared[int(v.text)] if c.get("t") == "s" else v.text
                col = 0
                for ch in m.group(1):
                    col = col * 26 + ord(ch) - 64
                cells[(int(m.group(2)), col)] = val.strip() if isinstance(val, str) else val
            out[sh.get("name")] = cells
        return out
    except (OSError, KeyError, zipfile.BadZipFile, ET.ParseError) as e:
        sys.exit("%s: not a readable .xlsx workbook (%s)" % (path, e))


def muscle(name):
    """c302's name (MDL01) of a body wall muscle, or None."""
    m = re.match(r"(?:BWM-|)([dv])BWM([LR])(\d+)$|BWM-([DV])([LR])(\d+)$", name)
    if not m:
        return None
    side = (m.group(1) or m.group(4)).upper() + (m.group(2) or m.group(5))
    return "M%s%02d" % (side, int(m.group(3) or m.group(6)))


def cell(name):
    """Cell name without a leading zero in its index (VB01 -> VB1)."""
    m = re.match(r"([A-Z]+)0(\d)$", name)
    return m.group(1) + m.group(2) if m else name


def cook(path):
    book = sheets(path)
    rows = []
    for sheet, kind in (("hermaphrodite chemical", "chemical"), ("herm gap jn symmetric", "electrical")):
        if sheet not in book:
            sys.exit("%s: no sheet %r" % (path, sheet))
        s = book[sheet]
        pre = {r: cell(str(s[(r, 3)])) for r in range(4, 1000) if (r, 3) in s}
        post = {c: cell(str(s[(3, c)])) for c in range(4, 1000) if (3, c) in s}
        for (r, c), v in s.items():
            if r in pre and c in post and v not in (None, "", "0"):
                rows.append((pre[r], post[c], kind, int(float(v))))
    return rows


def witvliet(path):
    book = sheets(path)
    s = next(iter(book.values()))
    rows = []
    for r in sorted({r for (r, _c) in s if r >= 2}):
        pre, post, kind, n = (s.get((r, c)) for c in range(1, 5))
        if pre is None or post is None:
            continue
        if kind not in ("chemical", "electrical"):
            sys.exit("%s: row %d: unknown synapse type %r" % (path, r, kind))
        rows.append((cell(str(pre)), cell(str(post)), kind, int(float(n))))
    return rows


def main(argv):
    if len(argv) != 5 or argv[1] not in ("cook2019", "witvliet2020"):
        sys.exit("usage: extract_c302_xlsx.py cook2019|witvliet2020 BOOK.xlsx OUT.tsv NMJ.tsv")
    rows = cook(argv[2]) if argv[1] == "cook2019" else witvliet(argv[2])
    merged = {}
    for pre, post, kind, n in rows:
        if kind == "electrical":
            key = (min(pre, post), max(pre, post), kind)
            merged[key] = max(merged.get(key, 0), n)
        else:
            merged[(pre, post, kind)] = merged.get((pre, post, kind), 0) + n
    with open(argv[3], "w") as out, open(argv[4], "w") as nmj:
        out.write("pre\tpost\ttype\tsynapses\n")
        nmj.write("pre\tmuscle\ttype\tsynapses\n")
        for (pre, post, kind), n in sorted(merged.items(), key=lambda kv: (kv[0][2], kv[0][0], kv[0][1])):
            if muscle(pre):
                continue
            if muscle(post):
                if not NOT_NEURON.match(pre):
                    nmj.write("%s\t%s\t%s\t%d\n" % (pre, muscle(post), kind, n))
            else:
                out.write("%s\t%s\t%s\t%d\n" % (pre, post, kind, n))


if __name__ == "__main__":
    main(sys.argv)
