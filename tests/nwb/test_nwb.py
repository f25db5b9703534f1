#!/usr/bin/python3
"""Record a lif swimmer (spikes), export it to NWB, run it again with
--record X.nwb, and validate both with nwb_validate.py (hdmf against the NWB
2.6.0 core schema, values against the recording). A broken file must fail:
one with session_start_time removed is checked to be reported invalid.

  test_nwb.py SCHEMA_DIR     (ANIMAT_EXE, ANIMAT_SRC in the environment)
Exit 0, 1 on a failure, 77 when h5py/hdmf are missing."""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nwb_validate  # exits 77 when h5py, numpy or hdmf are missing  # noqa: E402

EXP = """body:
  plugin: swimmer
  params: {n_bodies: 6}
circuit:
  plugin: lif
  params: {n_neurons: 20, substeps: 10, bg_rate: 1000, w_ext: 4}
wiring:
  - body.obs.joints -> circuit.in.x
  - circuit.out.y -> body.act.motors
run:
  episodes: 3
  max_steps: 55
record:
  every: 2
"""


def run(*args, cwd):
    p = subprocess.run([os.environ["ANIMAT_EXE"], *args], cwd=cwd, capture_output=True, text=True)
    if p.returncode != 0:
        print("FAIL: animat %s: %s" % (" ".join(args), p.stderr))
        sys.exit(1)
    return p.stdout


def main():
    schema = sys.argv[1]
    d = tempfile.mkdtemp()
    try:
        with open(os.path.join(d, "x.yaml"), "w") as f:
            f.write(EXP)
        run("run", "x.yaml", "--quiet", "--record", "r.h5", cwd=d)
        run("export", "r.h5", "-o", "r.nwb", cwd=d)
        run("run", "x.yaml", "--quiet", "--record", "d.nwb", cwd=d)
        for name in ("r.nwb", "d.nwb"):
            errors = nwb_validate.validate(schema, os.path.join(d, name))
            if errors:
                print("FAIL: %s is not valid NWB 2.6.0:\n  %s" % (name, "\n  ".join(errors)))
                return 1
            print("valid: " + name)
        nwb_validate.check_against(os.path.join(d, "r.nwb"), os.path.join(d, "r.h5"))
        shutil.copy(os.path.join(d, "r.nwb"), os.path.join(d, "bad.nwb"))
        import h5py
        with h5py.File(os.path.join(d, "bad.nwb"), "r+") as f:
            del f["session_start_time"]
            del f["units/spike_times"].attrs["description"]
        errors = nwb_validate.validate(schema, os.path.join(d, "bad.nwb"))
        if len(errors) != 2:
            print("FAIL: the validator missed a removed dataset or attribute: %s" % errors)
            return 1
        print("a broken file is reported: " + "; ".join(errors))
        return 0
    finally:
        shutil.rmtree(d)


if __name__ == "__main__":
    sys.exit(main())
