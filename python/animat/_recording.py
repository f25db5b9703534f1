"""animat.Recording: an HDF5 recording (docs/recording.md) as numpy arrays,
read with h5py when it is importable, else through libanimat.so's own
libhdf5 (animat_rec_* of animat/embed.h). ANIMAT_NO_H5PY=1 forces the
library. Both give the same names, arrays and attributes: numbers widened
to float64, int64 or uint64, strings as str, string arrays as lists."""
import ctypes
import os

import numpy as np

from . import _lib
from ._errors import InputError, from_code

_WIDE = {"f": np.float64, "i": np.int64, "u": np.uint64}
_DTYPE = {_lib.REC_F64: np.float64, _lib.REC_I64: np.int64, _lib.REC_U64: np.uint64}
_MAX_CELLS = 1 << 31  # values of one dataset read at once (16 GiB as float64): more is refused, not attempted


def _h5py():
    """The h5py module, or None (not importable, or ANIMAT_NO_H5PY=1)."""
    if os.environ.get("ANIMAT_NO_H5PY", "") not in ("", "0"):
        return None
    try:
        import h5py
    except ImportError:
        return None
    return h5py


def _widen(v):
    """An h5py attribute value as the library path gives it."""
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, str):
        return v
    a = np.asarray(v)
    if a.dtype.kind in "OSU":
        return [x.decode("utf-8", "replace") if isinstance(x, bytes) else str(x) for x in a.ravel()]
    wide = _WIDE.get(a.dtype.kind)
    if wide is None:
        return None
    return wide(a) if a.ndim == 0 else a.astype(wide)


class _H5pyFile:
    def __init__(self, h5py, path):
        self._h5py = h5py
        try:
            self._f = h5py.File(path, "r")
            self.names = []
            self._f.visititems(lambda n, o: self.names.append(n) if isinstance(o, h5py.Dataset) else None)
        except (OSError, RuntimeError, KeyError) as exc:
            raise InputError(f"{path}: cannot read the recording: {_one_line(exc)}") from None
        self.path = path

    def read(self, name):
        try:
            ds = self._f[name]
            if ds.size is not None and ds.size > _MAX_CELLS:
                raise InputError(f"{self.path}: {name}: {ds.size} values (shape {ds.shape}) is more than this reads "
                                 "at once")
            a = np.asarray(ds[()])
        except (OSError, RuntimeError, KeyError) as exc:
            raise InputError(f"{self.path}: {name}: cannot read its values: {_one_line(exc)}") from None
        wide = _WIDE.get(a.dtype.kind)
        return a.astype(wide, copy=False) if wide else a

    def _no_external_link(self, name):
        """Refuse a name that goes through a link to another file, as the library does (not followed)."""
        raw = name.encode("utf-8", "surrogateescape") if isinstance(name, str) else name
        parts = [p for p in raw.split(b"/") if p]
        links = self._f.id.links
        for k in range(1, len(parts) + 1):
            path = b"/".join(parts[:k])
            if not links.exists(path):
                return  # h5py's own lookup says what is missing
            if links.get_info(path).type == self._h5py.h5l.TYPE_EXTERNAL:
                raise InputError(f"{self.path}: {name}: cannot open it ({path.decode('utf-8', 'replace')} is a link "
                                 "to another file, which is not followed)")

    def attrs(self, name):
        try:
            if name and isinstance(name, (str, bytes)):
                self._no_external_link(name)
            o = self._f[name] if name else self._f
            return {k: _widen(v) for k, v in o.attrs.items()}
        except (OSError, RuntimeError, KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{self.path}: {name or '/'}: cannot read its attributes: {_one_line(exc)}") from None

    def close(self):
        self._f.close()


def _one_line(exc):
    return " ".join(str(exc).split())


class _LibFile:
    def __init__(self, path):
        from ._experiment import _library
        self._lib = _library()[0]
        h, msg = ctypes.c_void_p(), ctypes.create_string_buffer(1024)
        rc = self._lib.animat_rec_open(ctypes.byref(h), os.fsencode(path), msg, len(msg))
        if rc:
            raise from_code(rc, msg.value.decode("utf-8", "replace"))
        self._h, self.path = h, path
        self.names, self._sets = [], {}
        info = _lib.RecDataset()
        for k in range(self._lib.animat_rec_datasets(h)):
            self._check(self._lib.animat_rec_dataset_info(h, k, ctypes.byref(info)))
            name = info.name.decode("utf-8", "surrogateescape")  # a non-UTF-8 name round-trips to attrs()
            self.names.append(name)
            self._sets[name] = (k, info.type, tuple(info.dims[:info.rank]))

    def _check(self, rc):
        if rc:
            raise from_code(rc, self._lib.animat_rec_errmsg(self._h).decode("utf-8", "replace"))

    def read(self, name):
        k, kind, shape = self._sets[name]
        if kind not in _DTYPE:
            self._check(self._lib.animat_rec_read(self._h, k, None, 0))  # raises, naming the dataset
        cells = int(np.prod(shape, dtype=object)) if shape else 1
        if cells > _MAX_CELLS:
            raise InputError(f"{self.path}: {name}: {cells} values (shape {shape}) is more than this reads at once")
        a = np.empty(shape, dtype=_DTYPE[kind])
        self._check(self._lib.animat_rec_read(self._h, k, a.ctypes.data if a.size else None, a.nbytes))
        return a

    def attrs(self, name):
        n = ctypes.c_uint32()
        if isinstance(name, str):
            name = name.encode("utf-8", "surrogateescape")
        if name is not None and not isinstance(name, bytes):
            raise InputError(f"{self.path}: attrs: expected an object's name (str), not {type(name).__name__}")
        if name and b"\0" in name:
            raise InputError(f"{self.path}: no object {name!r}")
        self._check(self._lib.animat_rec_attrs(self._h, name or b"", ctypes.byref(n)))
        out, at = {}, _lib.RecAttr()
        for k in range(n.value):
            self._check(self._lib.animat_rec_attr(self._h, k, ctypes.byref(at)))
            out[at.name.decode("utf-8", "replace")] = self._value(at)
        return out

    @staticmethod
    def _value(at):
        shape = tuple(at.dims[:at.rank])
        if at.type == _lib.REC_TEXT:
            raw = ctypes.string_at(at.values, _text_size(at.values, at.count)) if at.count else b""
            strs = [s.decode("utf-8", "replace") for s in raw.split(b"\0")[:at.count]]
            return strs[0] if at.rank == 0 and strs else strs
        if at.type not in _DTYPE:
            return None
        a = np.frombuffer(ctypes.string_at(at.values, 8 * at.count), dtype=_DTYPE[at.type]) if at.count \
            else np.zeros(0, _DTYPE[at.type])
        return a[0] if at.rank == 0 else a.reshape(shape).copy()

    def close(self):
        if self._h:
            self._lib.animat_rec_close(self._h)
            self._h = None


def _text_size(p, count):
    """Bytes of `count` NUL-terminated strings one after another at address p."""
    size = 0
    for _ in range(count):
        size += len(ctypes.string_at(p + size)) + 1
    return size


class Recording:
    """Recording(path): .signals (every dataset's name: "time", "episodes/return", "signals/body.obs.joints"),
    [name] -> array (signals: episode x sample x element), .attrs(name) (element names, units; the file's own
    with no name), .experiment (the stored YAML text). .backend says which reader is used: "h5py", or
    "libanimat" when h5py is not importable or ANIMAT_NO_H5PY=1."""

    def __init__(self, path):
        self.path = os.fspath(path)
        h5py = _h5py()
        self._f = _H5pyFile(h5py, self.path) if h5py else _LibFile(self.path)
        self.backend = "h5py" if h5py else "libanimat"
        self.signals = list(self._f.names)

    def __getitem__(self, name):
        if name not in self.signals:
            raise InputError(f"{self.path}: no signal '{name}' (signals: {', '.join(self.signals)})")
        return self._f.read(name)

    def attrs(self, name=None):
        return self._f.attrs(name)

    @property
    def experiment(self):
        return self.attrs().get("experiment")

    def close(self):
        self._f.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
