"""animat.Recording: an HDF5 recording (docs/recording.md) as numpy arrays."""
import numpy as np

from ._errors import InputError


class Recording:
    """Recording(path): .signals (names), [name] -> array (episode x sample x
    element), .attrs(name) (element names, units), .experiment (the stored
    YAML text). Needs h5py."""

    def __init__(self, path):
        try:
            import h5py
        except ImportError as exc:
            raise InputError("animat.Recording needs h5py (Debian: python3-h5py)") from exc
        try:
            self._f = h5py.File(path, "r")
        except OSError as exc:
            raise InputError(f"{path}: cannot read the recording: {exc}") from None
        self.path = str(path)
        self.signals = []
        self._f.visititems(lambda n, o: self.signals.append(n) if isinstance(o, h5py.Dataset) else None)

    def __getitem__(self, name):
        if name not in self.signals:
            raise InputError(f"{self.path}: no signal '{name}' (signals: {', '.join(self.signals)})")
        return np.asarray(self._f[name][()])

    def attrs(self, name=None):
        o = self._f[name] if name else self._f
        return {k: (v.decode() if isinstance(v, bytes) else v) for k, v in o.attrs.items()}

    @property
    def experiment(self):
        return self.attrs().get("experiment")

    def close(self):
        self._f.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
