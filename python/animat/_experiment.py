"""animat.Experiment: one experiment of libanimat (animat/embed.h)."""
import ctypes
import functools
import os
import threading

import numpy as np

from . import _lib
from ._errors import ClosedError, InputError, OutOfMemoryError, StateError, from_code

_LIB = None
_LIB_LOCK = threading.Lock()
_DIRS = {"obs": 1, "act": 0, "in": 0, "out": 1}
_dptr = ctypes.POINTER(ctypes.c_double)


def _library():
    global _LIB
    with _LIB_LOCK:
        if _LIB is None:
            _LIB = _lib.load()
        return _LIB


def _yaml_value(v):
    """A Python value as the YAML text `--set KEY=VALUE` takes."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_yaml_value(x) for x in v) + "]"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def _overrides(sets):
    if sets is None:
        return []
    if isinstance(sets, dict):
        return [f"{k}={_yaml_value(v)}" for k, v in sets.items()]
    if isinstance(sets, str):
        raise InputError(f"set: expected a dict or a list of 'KEY=VALUE' strings, not the string {sets!r}")
    out = list(sets)
    for s in out:
        if not isinstance(s, str) or "=" not in s:
            raise InputError(f"set: {s!r} is not 'KEY=VALUE'")
    return out


BUSY = "animat: this object is in use by another thread (one thread at a time per Env, VectorEnv or Experiment)"


def _exclusive(f):
    """Run method f holding self._lock, or raise StateError when another thread holds it: two threads in one
    handle at once corrupt it (the library serialises nothing per handle), and close() waits for the call."""
    @functools.wraps(f)
    def call(self, *args, **kwargs):
        lock = self._lock
        if not lock.acquire(blocking=False):
            raise StateError(BUSY)
        try:
            return f(self, *args, **kwargs)
        finally:
            lock.release()
    return call


def _dbuf(a):
    return a.ctypes.data_as(_dptr) if a.size else None


class _Owner:
    """Owns one library handle: animat_close runs when the last reference goes (the Experiment's, until
    close(), and every port view's), so a view kept after close() never reads freed memory."""

    def __init__(self, lib, h):
        self.lib, self.h = lib, h

    def __del__(self):
        try:
            self.lib.animat_close(self.h)
        except Exception:
            pass


class Experiment:
    """An experiment opened from a file (or YAML text) with --set-style
    overrides; `agent` names a circuit instance the program plays.

    Experiment(path, set={"run.seed": 3}) ; .run(episodes=N) -> returns ;
    .port("body.obs.joints") -> a numpy view (no copy) ; .theta get/set ;
    .reset(seed=) / .step() for step-level control.
    """

    def __init__(self, path=None, *, text=None, set=None, agent=None):
        self._lib, _ = _library()
        self._h = None
        self._lock = threading.Lock()
        if path is None and text is None:
            raise InputError("Experiment: give a path or text=")
        path, text, agent_b = _cstr(path, "Experiment: path", True), _cstr(text, "Experiment: text"), \
            _cstr(agent, "Experiment: agent")
        sets = [_cstr(s, "set") for s in _overrides(set)]
        arr = (ctypes.c_char_p * max(len(sets), 1))(*sets)
        h = ctypes.c_void_p()
        msg = ctypes.create_string_buffer(1024)
        rc = self._lib.animat_open(ctypes.byref(h), path, text, arr, len(sets), agent_b, msg, len(msg))
        if rc:
            raise from_code(rc, msg.value.decode(errors="replace"))
        self._h = h
        self._owner = _Owner(self._lib, h)
        self.agent = agent
        self._views = {}

    # -- lifetime -------------------------------------------------------------------------------------------
    def close(self):
        """Release the experiment (idempotent). Port views taken before stay readable (their values frozen) and
        keep the memory until they are gone. Waits for a call in progress on another thread."""
        lock = getattr(self, "_lock", None)
        if lock is None:
            return
        with lock:
            self._h = None
            self._owner = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    @property
    def closed(self):
        return self._h is None

    def _handle(self):
        if self._h is None:
            raise ClosedError("animat: the experiment is closed")
        return self._h

    def _check(self, rc):
        if rc:
            raise from_code(rc, self._lib.animat_errmsg(self._h).decode(errors="replace"))

    # -- the graph ------------------------------------------------------------------------------------------
    @property
    def seed(self):
        return self._lib.animat_seed(self._handle())

    @property
    def episodes(self):
        return self._lib.animat_episodes(self._handle())

    @property
    def max_steps(self):
        return self._lib.animat_max_steps(self._handle())

    @property
    def instances(self):
        """Instance names: bodies first, then circuits, in file order."""
        h = self._handle()
        return [self._lib.animat_instance_name(h, i).decode() for i in range(self._lib.animat_instances(h))]

    def plugin(self, instance):
        return self._lib.animat_instance_plugin(self._handle(), self._index(instance)).decode()

    def _index(self, instance):
        names = self.instances
        if instance not in names:
            raise InputError(f"no instance '{instance}' (instances: {', '.join(names)})")
        return names.index(instance)

    def params(self, instance):
        """An instance's resolved parameters as {name: text}."""
        h, i = self._handle(), self._index(instance)
        out, buf, name = {}, ctypes.create_string_buffer(4096), ctypes.c_char_p()
        for k in range(self._lib.animat_params(h, i)):
            v = self._lib.animat_param(h, i, k, ctypes.byref(name), buf, len(buf))
            out[name.value.decode()] = v.decode()
        return out

    def _port_record(self, i, d, p):
        rec = _lib.Port()
        self._check(self._lib.animat_port(self._h, i, d, p, ctypes.byref(rec)))
        return rec

    @property
    def ports(self):
        """{"NAME.DIR.PORT": numpy view} of every port (views share the library's buffers)."""
        h, out = self._handle(), {}
        for i, name in enumerate(self.instances):
            kind = self._lib.animat_instance_kind(h, i)
            for d in (0, 1):
                word = ("act", "obs")[d] if kind == 1 else ("in", "out")[d]
                for p in range(self._lib.animat_ports(h, i, d)):
                    rec = self._port_record(i, d, p)
                    out[f"{name}.{word}.{rec.name.decode()}"] = self._view(rec)
        return out

    def _view(self, rec):
        buf = (ctypes.c_double * rec.size).from_address(ctypes.addressof(rec.values.contents))
        buf._animat_owner = self._owner  # the handle lives as long as the view
        return np.ctypeslib.as_array(buf)

    def port(self, spec):
        """The live values of port "NAME.DIR.PORT" as a numpy view (no copy)."""
        h = self._handle()
        rec = _lib.Port()
        self._check(self._lib.animat_port_find(h, _cstr(spec, "port"), None, None, None, ctypes.byref(rec)))
        return self._view(rec)

    def port_info(self, spec):
        """{"size", "unit", "low", "high", "names", "units"} of port "NAME.DIR.PORT" (bounds are copies)."""
        h = self._handle()
        i, d, p, rec = ctypes.c_uint32(), ctypes.c_uint32(), ctypes.c_uint32(), _lib.Port()
        self._check(self._lib.animat_port_find(h, _cstr(spec, "port"), ctypes.byref(i), ctypes.byref(d), ctypes.byref(p),
                                               ctypes.byref(rec)))
        buf = ctypes.create_string_buffer(256)
        names = [self._lib.animat_element_name(h, i, d, p, k, buf, len(buf)).decode() for k in range(rec.size)]
        units = [self._lib.animat_element_unit(h, i, d, p, k).decode() for k in range(rec.size)]
        return {"size": rec.size, "unit": rec.unit.decode(), "names": names, "units": units,
                "low": np.ctypeslib.as_array(rec.lower, shape=(rec.size,)).copy(),
                "high": np.ctypeslib.as_array(rec.upper, shape=(rec.size,)).copy()}

    # -- theta ----------------------------------------------------------------------------------------------
    @property
    def theta_names(self):
        h, buf = self._handle(), ctypes.create_string_buffer(256)
        return [self._lib.animat_theta_name(h, k, buf, len(buf)).decode() for k in range(self._lib.animat_ntheta(h))]

    @property
    def theta(self):
        """The graph theta (a copy); assign an array of the same length to set it."""
        h = self._handle()
        out = np.empty(self._lib.animat_ntheta(h), dtype=np.float64)
        self._check(self._lib.animat_get_theta(h, _dbuf(out), out.size))
        return out

    @theta.setter
    @_exclusive
    def theta(self, value):
        h = self._handle()
        a = _as_float64(value, (self._lib.animat_ntheta(h),), "theta")
        self._check(self._lib.animat_set_theta(h, _dbuf(a), a.size))

    # -- episodes -------------------------------------------------------------------------------------------
    @_exclusive
    def run(self, episodes=None, first=0, *, record=None, trace=None):
        """Returns of episodes first .. first+episodes-1 (default run.episodes), as `animat run`.

        record (an .h5 or .nwb path) and trace (a CSV path) write what `animat run --record/--trace`
        writes, by the same code (animat_run_with): then the run is episodes 0 .. episodes-1."""
        h = self._handle()
        n = self.episodes if episodes is None else _uint(episodes, "run: episodes", high=2**63 - 1)
        first = _uint(first, "run: first")
        try:
            out = np.empty(n, dtype=np.float64)
        except (MemoryError, ValueError):
            raise OutOfMemoryError(f"run: {n} episodes' returns do not fit in memory") from None
        if record is None and trace is None:
            self._check(self._lib.animat_run(h, int(first), n, _dbuf(out), None))
            return out
        if first or not n:
            raise InputError(f"run: a recording or trace covers episodes 0 .. episodes-1 (got first={first}, "
                             f"episodes={n})")
        o = _lib.run_opts()
        o.episodes, o.returns = n, _dbuf(out)
        o.record = _cstr(record, "run: record", True)
        o.trace = _cstr(trace, "run: trace", True)
        self._check(self._lib.animat_run_with(h, ctypes.byref(o), None))
        return out

    @_exclusive
    def reset(self, seed=None, episode=0):
        """Start an episode (seed default run.seed); returns the observation (agent) or None."""
        h = self._handle()
        obs = np.empty(self._lib.animat_obs_size(h), dtype=np.float64)
        seed = self.seed if seed is None else _uint(seed, "reset: seed")
        self._check(self._lib.animat_reset(h, seed, _uint(episode, "reset: episode"), _dbuf(obs), obs.size))
        return obs if self.agent else None

    @_exclusive
    def step(self, action=None):
        """One control step; returns (obs or None, reward, flags)."""
        h = self._handle()
        na, no = self._lib.animat_act_size(h), self._lib.animat_obs_size(h)
        act = _as_float64(np.zeros(0) if action is None and na == 0 else action, (na,), "action")
        obs = np.empty(no, dtype=np.float64)
        reward, flags = ctypes.c_double(), ctypes.c_uint32()
        self._check(self._lib.animat_step(h, _dbuf(act), na, _dbuf(obs), no, ctypes.byref(reward),
                                          ctypes.byref(flags)))
        return (obs if self.agent else None), reward.value, flags.value

    @_exclusive
    def snapshot(self):
        """The whole experiment's state as bytes (animat.state/1): between two control steps, or with an agent
        at its turn (what the next step's action meets)."""
        h = self._handle()
        buf, size = ctypes.c_void_p(), ctypes.c_uint64()
        self._check(self._lib.animat_state_save(h, ctypes.byref(buf), ctypes.byref(size)))
        try:
            return ctypes.string_at(buf, size.value)
        finally:
            self._lib.animat_state_free(buf)

    @_exclusive
    def restore(self, state):
        """Continue the episode a snapshot() saved (here or in another Experiment of the same file and setup),
        under the seed it was saved with; returns the observation (agent) or None."""
        h = self._handle()
        if not isinstance(state, (bytes, bytearray)):
            raise InputError(f"restore: expected the bytes snapshot() returned, not {type(state).__name__}")
        self._check(self._lib.animat_state_load(h, bytes(state), len(state)))
        if not self.agent:
            return None
        obs = np.empty(self._lib.animat_obs_size(h), dtype=np.float64)
        self._check(self._lib.animat_obs(h, _dbuf(obs), obs.size))
        return obs

    @property
    def episode(self):
        return self._lib.animat_episode(self._handle())

    @property
    def step_count(self):
        return self._lib.animat_step_count(self._handle())

    @property
    def episode_return(self):
        return self._lib.animat_return(self._handle())


def _cstr(value, what, path=False):
    """value as the bytes of a C string (None stays None): str (a path: os.fsencode, so any file name the
    system gives round-trips) or, for paths, bytes/PathLike; a NUL inside would cut the string short in C
    (a path "a.yaml\\0junk" opened a.yaml), so it is InputError, as is any other type."""
    if value is None:
        return None
    if path and (isinstance(value, bytes) or hasattr(value, "__fspath__")):
        value = os.fsencode(value)
    elif isinstance(value, str):
        value = os.fsencode(value) if path else value.encode("utf-8", "surrogateescape")
    else:
        raise InputError(f"{what}: expected a {'path' if path else 'string'}, not {type(value).__name__}")
    if b"\0" in value:
        raise InputError(f"{what}: {value!r} contains a NUL byte")
    return value


def _uint(value, what, low=0, high=2**64 - 1):
    """value as a Python int in [low, high] (the C parameter's range: ctypes would wrap anything outside it
    silently), else InputError naming `what`."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise InputError(f"{what} must be an integer in [{low}, {high}], not {value!r}")
    v = int(value)
    if not low <= v <= high:
        raise InputError(f"{what} must be an integer in [{low}, {high}], not {v}")
    return v


def _as_float64(value, shape, what, finite=True):
    """value as a C-contiguous float64 array of exactly `shape`: no broadcast, no bool/complex/object/str;
    finite checks every value here (else the library does, naming the first bad one)."""
    if value is None:
        raise InputError(f"{what}: expected an array of shape {shape}, got None")
    a = np.asarray(value)
    if a.dtype.kind not in "fiu":
        raise InputError(f"{what}: dtype {a.dtype} is not a real number type (use float64)")
    if a.shape != tuple(shape):
        raise InputError(f"{what}: expected shape {tuple(shape)}, got {a.shape}")
    a = np.ascontiguousarray(a, dtype=np.float64)
    if finite and not np.all(np.isfinite(a)):
        k = int(np.flatnonzero(~np.isfinite(a.ravel()))[0])
        raise InputError(f"{what}[{k}] is {a.ravel()[k]} (must be finite)")
    return a
