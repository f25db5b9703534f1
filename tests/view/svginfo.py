#!/usr/bin/env python3
"""svginfo.py FILE.svg -- parse an animat plot (cairo SVG) as XML and count
what it shows: series (paths stroked with the series width 1.5 and no fill,
see core/view/plot_axes.h), their distinct colours, translucent bands and
embedded images. Prints "series=N colours=M bands=B images=I"; exits 1 when
the file is not well-formed XML or not an SVG document."""
import sys
import xml.dom.minidom


def style_of(el):
    out = {}
    for part in el.getAttribute("style").split(";"):
        if ":" in part:
            k, v = part.split(":", 1)
            out[k.strip()] = v.strip()
    return out


def main():
    try:
        doc = xml.dom.minidom.parse(sys.argv[1])
    except Exception as exc:  # not XML
        print("not XML: %s" % exc)
        return 1
    if doc.documentElement.tagName != "svg":
        print("not an SVG document")
        return 1
    series, colours, bands = 0, set(), 0
    for p in doc.getElementsByTagName("path"):
        s = style_of(p)
        if s.get("fill") == "none" and s.get("stroke-width") == "1.5":
            series += 1
            colours.add(s.get("stroke"))
        opacity = float(s.get("fill-opacity", "1"))
        if "fill" in s and s["fill"] != "none" and 0 < opacity < 1:
            bands += 1
    images = len(doc.getElementsByTagName("image"))
    print("series=%d colours=%d bands=%d images=%d" % (series, len(colours), bands, images))
    return 0


if __name__ == "__main__":
    sys.exit(main())
