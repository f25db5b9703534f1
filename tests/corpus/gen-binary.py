#!/usr/bin/env python3
"""Write the corpus cases that are binary or too large to edit by hand.

Run once from anywhere; the files it writes are committed (meson does not
run this). Each is an otherwise valid experiment broken in exactly one way.
"""
import os
import random

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases")

BASE = (
    "name: corpus\n"
    "body:\n"
    "  plugin: swimmer\n"
    "  params:\n"
    "    n_bodies: 6\n"
    "    task: swim\n"
    "circuit:\n"
    "  plugin: ncap\n"
    "  params:\n"
    "    n_joints: 5\n"
    "wiring:\n"
    "  - body.obs.joints -> circuit.in.joints\n"
    "  - circuit.out.muscles -> body.act.motors\n"
    "run:\n"
    "  episodes: 1\n"
    "  max_steps: 10\n"
)


def write(name, data):
    with open(os.path.join(HERE, name + ".yaml"), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


# NUL bytes inside a value.
write("017-nul-bytes", BASE.replace("task: swim", "task: sw\0\0im").encode())
# Invalid UTF-8 (a lone continuation byte and a truncated sequence) in a value.
write("018-invalid-utf8", BASE.encode().replace(b"task: swim", b"task: sw\x80\xc3im"))
# A UTF-16LE byte order mark, then an experiment whose last character is cut in half.
write("019-utf16-truncated", b"\xff\xfe" + BASE.encode("utf-16-le") + b"\x41")
# Pure garbage: 4 KiB of seeded random bytes.
rng = random.Random(20240601)
write("020-random-bytes", bytes(rng.randrange(256) for _ in range(4096)))
# An ELF header, as if a plugin were given as the experiment file.
write("021-elf-header", b"\x7fELF\x02\x01\x01\x00" + bytes(56) + b"\x00" * 64)
# 200 levels of nested lists in the description (the host allows 64).
write("130-deep-nesting", BASE + "description: " + "[" * 200 + "x" + "]" * 200 + "\n")
# 200 levels of block mappings (one per line).
write("131-deep-block-nesting",
      BASE + "description:\n" + "".join("  " * (i + 1) + "k%d:\n" % i for i in range(200)) + "  " * 201 + "x\n")
# A 100 KB line: the task value.
write("132-long-value", BASE.replace("task: swim", "task: " + "s" * 100000))
# A 100 KB key among the body parameters.
write("133-long-key", BASE.replace("    task: swim\n", "    task: swim\n    " + "k" * 100000 + ": 1\n"))
# A 100 KB plugin name (no slash: looked up by name).
write("134-long-plugin-name", BASE.replace("plugin: swimmer", "plugin: " + "p" * 100000))
# A 100 KB plugin path.
write("135-long-plugin-path", BASE.replace("plugin: swimmer", "plugin: ./" + "p" * 100000 + ".so"))
# A 100 KB wiring port name.
write("136-long-port-name", BASE.replace("body.obs.joints -> circuit.in.joints",
                                         "body.obs." + "j" * 100000 + " -> circuit.in.joints"))
# 10000 unknown swimmer parameters (the first is reported; parsing must stay fast).
write("137-many-keys", BASE.replace("    task: swim\n", "    task: swim\n"
                                    + "".join("    unknown_%05d: 1\n" % i for i in range(10000))))
