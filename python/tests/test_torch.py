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


def test_mlp_example_trains_one_epoch(capsys):
    mlp = load("mlp_vector_es")
    import sys
    argv = sys.argv
    sys.argv = ["mlp_vector_es.py", "--epochs", "1", "--population", "4", "--steps", "20", "--threads", "2"]
    try:
        mlp.main()
    finally:
        sys.argv = argv
    assert "epoch 1/1  population mean" in capsys.readouterr().out


def test_plot_recording_example(cli, swimmer, tmp_path):
    pytest.importorskip("matplotlib", reason="python3-matplotlib is not installed")
    pytest.importorskip("h5py", reason="python3-h5py is not installed")
    import subprocess
    rec, png = tmp_path / "r.h5", tmp_path / "j.png"
    subprocess.run([cli, "run", swimmer, "--quiet", "--episodes", "1", "--set", "run.max_steps=50", "--record",
                    str(rec)], check=True, capture_output=True)
    assert load("plot_recording").plot(str(rec), str(png)) == (50, 5)
    assert png.stat().st_size > 10000
