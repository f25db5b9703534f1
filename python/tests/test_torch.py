"""examples/python: the PyTorch NCAP drives the swimmer with the native
circuit's returns, bit for bit (skipped without python3-torch)."""
import importlib.util
import pathlib

import pytest

import animat

torch = pytest.importorskip("torch", reason="python3-torch is not installed: the PyTorch NCAP test is skipped")

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python"


def load(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_torch_ncap_equals_native(swimmer):
    ncap = load("ncap_torch")
    got = ncap.run(episodes=2, seed=2, path=swimmer)
    with animat.Experiment(swimmer, set={"run.seed": 2}) as x:
        want = x.run(episodes=2)
    assert got == list(want)  # floats compared exactly
