"""animat's exceptions: every one carries animat's one-line message."""
from . import _lib


class Error(Exception):
    """Any error animat reports."""


class InputError(Error, ValueError):
    """Bad input: a path, YAML, an override, a name, an action's shape, dtype or value."""


class StateError(Error, RuntimeError):
    """A call at the wrong moment: step before reset or after the episode ended."""


class ClosedError(StateError):
    """A call on a closed experiment or environment."""


class PluginError(Error, RuntimeError):
    """A plugin failed (create, reset, step)."""


class UnsupportedError(Error, RuntimeError):
    """The experiment cannot do that (e.g. run() with an agent)."""


class OutOfMemoryError(Error, MemoryError):
    """The library, or an array asked for, did not fit in memory."""


_BY_CODE = {_lib.EINPUT: InputError, _lib.ESTATE: StateError, _lib.EPLUGIN: PluginError,
            _lib.ENOMEM: OutOfMemoryError, _lib.EUNSUPPORTED: UnsupportedError}


def from_code(code, message):
    """The exception for a library result code."""
    return _BY_CODE.get(code, Error)(message)
