"""animat.Recording: h5py and the library's own reader (animat_rec_*) give
the same names, arrays and attributes; bad files raise animat.Error
subclasses with one line on both paths."""
import subprocess
import sys

import numpy as np
import pytest

import animat

try:
    import h5py
except ImportError:
    h5py = None

BACKENDS = ["libanimat"] + (["h5py"] if h5py else [])


@pytest.fixture(scope="module")
def recording(tmp_path_factory):
    from conftest import CLI, SWIMMER
    path = tmp_path_factory.mktemp("rec") / "x.h5"
    subprocess.run([CLI, "run", SWIMMER, "--record", str(path)], check=True, capture_output=True)
    return path


def _open(path, backend, monkeypatch):
    monkeypatch.setenv("ANIMAT_NO_H5PY", "1" if backend == "libanimat" else "0")
    r = animat.Recording(path)
    assert r.backend == backend
    return r


def _same(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return type(a) is type(b) and a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    return type(a) is type(b) and a == b


@pytest.mark.skipif(h5py is None, reason="python3-h5py is not installed: nothing to compare the library with")
def test_library_equals_h5py(recording, monkeypatch):
    with _open(recording, "h5py", monkeypatch) as a, _open(recording, "libanimat", monkeypatch) as b:
        assert a.signals == b.signals
        assert {"time", "episodes/return", "episodes/steps", "signals/reward", "signals/body.obs.joints"} <= set(
            b.signals)
        for name in a.signals:
            x, y = a[name], b[name]
            assert _same(x, y), name
        assert b["signals/body.obs.joints"].shape == (3, 1000, 5)
        assert b["episodes/steps"].dtype == np.uint64
        for obj in [None, "episodes", "signals"] + a.signals:
            ax, bx = a.attrs(obj), b.attrs(obj)
            assert ax.keys() == bx.keys(), obj
            for k in ax:
                assert _same(ax[k], bx[k]), (obj, k, ax[k], bx[k])
        assert b.attrs()["format"] == "animat-recording/1"
        assert b.attrs()["seed"] == np.uint64(1) and isinstance(b.attrs()["seed"], np.uint64)
        assert b.attrs("signals/body.obs.joints")["names"] == [f"joints[{k}]" for k in range(5)]
        assert b.experiment.startswith("name: swimmer-ncap")


def test_without_h5py_module_uses_the_library(recording, monkeypatch):
    monkeypatch.delenv("ANIMAT_NO_H5PY", raising=False)
    monkeypatch.setitem(sys.modules, "h5py", None)  # `import h5py` raises ImportError
    with animat.Recording(recording) as r:
        assert r.backend == "libanimat"
        ret = r["episodes/return"]
        assert ret.shape == (3,) and np.all(np.isfinite(ret))
        with pytest.raises(animat.InputError, match="no signal 'nope'"):
            r["nope"]
        with pytest.raises(animat.InputError, match="no object 'nope'"):
            r.attrs("nope")


def _bad_files(tmp_path, recording):
    text = tmp_path / "not.h5"
    text.write_text("name: not a recording\n")
    cut = tmp_path / "cut.h5"
    data = recording.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    empty = tmp_path / "empty.h5"
    empty.write_bytes(b"")
    return {"not HDF5": text, "truncated": cut, "empty": empty, "a directory": tmp_path,
            "missing": tmp_path / "missing.h5"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_bad_files_raise_one_line(recording, tmp_path, monkeypatch, backend):
    for what, path in _bad_files(tmp_path, recording).items():
        with pytest.raises(animat.Error) as err:
            with _open(path, backend, monkeypatch) as r:
                for name in r.signals:
                    r[name]
        msg = str(err.value)
        assert str(path) in msg and "\n" not in msg, (what, msg)
        if backend == "libanimat":
            assert isinstance(err.value, animat.InputError), (what, msg)


@pytest.mark.skipif(h5py is None, reason="python3-h5py is needed to write the hostile file")
@pytest.mark.parametrize("backend", BACKENDS)
def test_huge_declared_dataset_is_refused_not_allocated(tmp_path, monkeypatch, backend):
    path = tmp_path / "huge.h5"
    with h5py.File(path, "w") as f:
        f.create_dataset("huge", shape=(1 << 40, 1 << 20), chunks=(1, 1), dtype="f8")  # no data written
        f.create_dataset("small", data=np.arange(3.0))
        f.create_dataset("deep", data=np.zeros((1,) * 9))  # rank 9: listed, not read by the library
    with _open(path, backend, monkeypatch) as r:
        assert r.signals == ["deep", "huge", "small"]
        assert r["small"].tobytes() == np.arange(3.0).tobytes()
        with pytest.raises(animat.InputError, match="more than this reads at once"):
            r["huge"]
        if backend == "libanimat":
            with pytest.raises(animat.UnsupportedError, match="deep: not numbers"):
                r["deep"]


@pytest.mark.skipif(h5py is None, reason="python3-h5py is needed to write the hostile file")
@pytest.mark.parametrize("backend", BACKENDS)
def test_names_that_are_not_utf8_or_not_names(tmp_path, monkeypatch, backend):
    """A dataset named with bytes that are not UTF-8 is listed under a name that reads and gives its
    attributes (the library path decoded it lossily, so attrs(name) said "no object"); an object name
    that is not a string is an animat.Error."""
    path = tmp_path / "names.h5"
    with h5py.File(path, "w") as f:
        f.create_dataset(b"bad\xff", data=np.arange(2.0))
        f[b"bad\xff"].attrs["unit"] = "m"
    with _open(path, backend, monkeypatch) as r:
        (name,) = r.signals
        assert r[name].tobytes() == np.arange(2.0).tobytes()
        assert r.attrs(name) == {"unit": "m"}
        with pytest.raises(animat.Error):
            r.attrs(5)


@pytest.mark.skipif(h5py is None, reason="python3-h5py is needed to write the hostile file")
@pytest.mark.parametrize("backend", BACKENDS)
def test_external_links_are_not_followed(tmp_path, monkeypatch, backend):
    """attrs() of a name through an external link is InputError on both paths: a hostile recording does not
    make the reader open other files (it followed them into another HDF5 file before)."""
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f.create_dataset("secret", data=np.arange(2.0))
        f["secret"].attrs["token"] = "s3cret"
    path = tmp_path / "links.h5"
    with h5py.File(path, "w") as f:
        f.create_dataset("time", data=np.arange(3.0))
        f["ext"] = h5py.ExternalLink(str(other), "/secret")
        f["dir"] = h5py.ExternalLink(str(other), "/")
        f["passwd"] = h5py.ExternalLink("/etc/passwd", "/x")
    with _open(path, backend, monkeypatch) as r:
        assert r.signals == ["time"]
        for name in ("ext", "dir/secret", "passwd"):
            with pytest.raises(animat.InputError) as err:
                r.attrs(name)
            msg = str(err.value)
            assert str(path) in msg and "\n" not in msg and "s3cret" not in msg, msg
