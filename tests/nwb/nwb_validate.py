#!/usr/bin/python3
"""Validate an NWB file that `animat export` wrote against the NWB 2.6.0 core
schema (tests/data/nwb-schema-2.6.0, hdmf-common 1.5.1 from python3-hdmf)
with hdmf's validator, and check it against the recording it came from.

  nwb_validate.py SCHEMA_DIR FILE.nwb [RECORDING.h5]

pynwb is not available here, so the schema is loaded with hdmf's own spec
classes: the NWB YAML's `neurodata_type_def/_inc` keys are read as hdmf's
`data_type_def/_inc`, and each object's `neurodata_type` attribute is shown
to the validator as `data_type` (the same names under hdmf's spelling; the
file itself is not changed). Exit 0 valid, 1 invalid, 77 when h5py, numpy or
hdmf are missing (a skip for meson)."""
import sys

try:
    import h5py
    import numpy as np
    from hdmf.backends.hdf5 import HDF5IO
    from hdmf.build import BuildManager, GroupBuilder
    from hdmf.common import get_type_map
    from hdmf.spec.namespace import YAMLSpecReader
    from hdmf.validate import ValidatorMap
except ImportError as exc:  # the Debian packages are not installed
    print("skip: %s" % exc)
    sys.exit(77)

KEYS = {"neurodata_type_def": "data_type_def", "neurodata_type_inc": "data_type_inc"}


def renamed(node):
    """The spec tree with NWB's key names as hdmf's."""
    if isinstance(node, dict):
        return {KEYS.get(k, k): renamed(v) for k, v in node.items()}
    if isinstance(node, list):
        return [renamed(v) for v in node]
    return node


class NWBReader(YAMLSpecReader):
    def read_spec(self, spec_path):
        return renamed(super().read_spec(spec_path))


def retype(builder):
    """Show neurodata_type as data_type to the validator, recursively."""
    t = builder.attributes.get("neurodata_type")
    if t is not None:
        builder.attributes["data_type"] = t
    if isinstance(builder, GroupBuilder):
        for sub in list(builder.groups.values()) + list(builder.datasets.values()):
            retype(sub)


def typed(builder, out):
    """Every builder with a type, depth first."""
    if builder.attributes.get("data_type") is not None:
        out.append(builder)
    if isinstance(builder, GroupBuilder):
        for sub in list(builder.groups.values()) + list(builder.datasets.values()):
            typed(sub, out)
    return out


def validate(schema, path):
    """The file, and every typed object in it on its own (hdmf 3.5's
    validator does not descend into the members of a ProcessingModule)."""
    tm = get_type_map()
    tm.load_namespaces(schema + "/core/nwb.namespace.yaml", reader=NWBReader(schema + "/core"))
    vm = ValidatorMap(tm.namespace_catalog.get_namespace("core"))
    with HDF5IO(path, manager=BuildManager(tm), mode="r") as io:
        root = io.read_builder()
        retype(root)
        errors = []
        for b in typed(root, []):
            try:
                found = [str(e) for e in vm.validate(b)]
            except ValueError as exc:  # a type the schema does not have
                found = ["%s: %s" % (b.path, exc)]
            errors += [e for e in found if e not in errors]
        return errors


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def check_against(nwb, rec):
    """Values in the NWB equal the recording's: series data, trials, spikes."""
    f, r = h5py.File(nwb, "r"), h5py.File(rec, "r")
    steps = r["episodes/steps"][:]
    every, dt = int(r.attrs["every"]), float(r.attrs["dt"])
    K = [(int(s) + every - 1) // every for s in steps]
    if text(f.attrs["nwb_version"]) != "2.6.0" or text(f.attrs["neurodata_type"]) != "NWBFile":
        fail("root attributes")
    if not text(f["identifier"][()]).startswith("animat-"):
        fail("identifier")
    if text(f["general/source_script"][()]) != text(r.attrs["experiment"]):
        fail("general/source_script is not the resolved experiment")
    for name, ds in r["signals"].items():
        where = [g for g in ("processing/behavior/Position/", "processing/behavior/", "processing/circuits/")
                 if g + name in f]
        if len(where) != 1:
            fail("signal %s is not exported once" % name)
        g = f[where[0] + name]
        want = np.concatenate([ds[e, :K[e], :] for e in range(len(K))]).reshape(sum(K), -1)
        got = g["data"][:].reshape(sum(K), -1)
        if not np.array_equal(got, want, equal_nan=True):
            fail("%s: data differ" % name)
        rate = float(g["starting_time"].attrs["rate"])
        if abs(rate * every * dt - 1) > 1e-6:
            fail("%s: rate %g" % (name, rate))
    tr = f["intervals/trials"]
    starts = np.cumsum([0] + K[:-1]) * every * dt
    if not (np.allclose(tr["start_time"][:], starts) and np.array_equal(tr["return"][:], r["episodes/return"][:])):
        fail("intervals/trials")
    if "spikes" in r:
        u = f["units"]
        idx = u["spike_times_index"][:]
        times, names = u["spike_times"][:], [text(x) for x in u["unit_name"][:]]
        row = 0
        for circ, g in r["spikes"].items():
            ix, t = g["spike_times_index"][:], g["spike_times"][:]
            flat = ix.reshape(-1)
            starts_i = np.concatenate([[0], flat[:-1]]).reshape(ix.shape)
            for k, unit in enumerate(g.attrs["names"]):
                a = idx[row - 1] if row else 0
                mine = times[int(a):int(idx[row])]
                want = np.concatenate([t[int(starts_i[e, k]):int(ix[e, k])] + starts[e] for e in range(len(K))])
                if names[row] != text(unit) or not np.array_equal(mine, want):
                    fail("units row %d (%s of %s)" % (row, text(unit), circ))
                row += 1
        if row != len(idx):
            fail("units rows")
        if u["spike_times_index"].attrs["target"] is None or f[u["spike_times_index"].attrs["target"]].name != \
                "/units/spike_times":
            fail("spike_times_index.target")
    print("values equal the recording %s" % rec)


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    errors = validate(sys.argv[1], sys.argv[2])
    for e in errors:
        print("INVALID: " + e)
    if errors:
        return 1
    print("valid NWB 2.6.0 (hdmf %s): %s" % (__import__("hdmf").__version__, sys.argv[2]))
    if len(sys.argv) > 3:
        check_against(sys.argv[2], sys.argv[3])
    return 0


if __name__ == "__main__":
    sys.exit(main())
