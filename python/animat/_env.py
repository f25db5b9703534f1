"""animat.Env and animat.VectorEnv: the Gymnasium contract over an
experiment whose agent instance the Python program plays."""
import ctypes
import threading

import numpy as np

from . import _lib
from ._errors import ClosedError, InputError, StateError, from_code
from ._experiment import BUSY, Experiment, _as_float64, _dbuf, _exclusive, _uint
from ._spaces import make_box


class Env:
    """A Gymnasium-style environment: the program plays instance `agent` of
    the experiment at `path` (its inputs are the observation, its outputs
    the action). Episodes follow `animat run`'s random streams: after
    reset(seed=s), the k-th episode starts as episode k of
    `animat run --seed s` (s defaults to run.seed)."""

    metadata = {"render_modes": ["rgb_array"]}

    def __init__(self, path=None, agent="circuit", *, text=None, set=None, render_mode=None, render_size=(640, 480)):
        if render_mode not in (None, "rgb_array"):
            raise InputError(f"render_mode must be None or 'rgb_array', not {render_mode!r}")
        try:
            w, h = render_size
            self.render_mode, self.render_size = render_mode, (_uint(w, "render_size"), _uint(h, "render_size"))
        except (TypeError, ValueError) as exc:
            raise InputError(f"render_size: expected (width, height), not {render_size!r}") from exc
        if not agent:
            raise InputError("Env: name the circuit instance the program plays (agent=\"circuit\"); "
                             "animat.Experiment runs a graph without one")
        self._x = Experiment(path, text=text, set=set, agent=agent)
        self._lock = self._x._lock  # one thread at a time in the handle (reset, step, render; close waits)
        lib, h = self._x._lib, self._x._h
        no, na = lib.animat_obs_size(h), lib.animat_act_size(h)
        bound = lambda f, n, up: np.ctypeslib.as_array(f(h, up), shape=(n,)).copy() if n else np.zeros(0)
        self.observation_space = make_box(bound(lib.animat_obs_bounds, no, 0), bound(lib.animat_obs_bounds, no, 1))
        self.action_space = make_box(bound(lib.animat_act_bounds, na, 0), bound(lib.animat_act_bounds, na, 1))
        self._seed = None
        self._episode = -1
        self._done = False
        self._reward = ctypes.c_double()
        self._flags = ctypes.c_uint32()
        # the step call with raw addresses: no per-call argument conversion
        self._step = _lib.raw_step(lib)
        self._reward_p, self._flags_p = ctypes.addressof(self._reward), ctypes.addressof(self._flags)
        self._nobs, self._nact, self._act_shape = no, na, (na,)

    @property
    def experiment(self):
        """The underlying animat.Experiment (ports, theta)."""
        return self._x

    @property
    def unwrapped(self):
        return self

    @_exclusive
    def reset(self, *, seed=None, options=None):
        """Start the next episode (episode 0 after a new seed); options={"episode": k} picks episode k.
        Returns (observation, info)."""
        x = self._x
        h = x._handle()
        episode = self._episode + 1
        if options is not None and not isinstance(options, dict):
            raise InputError(f"reset: options must be a dict, not {type(options).__name__}")
        if seed is not None:
            seed, episode = _uint(seed, "reset: seed"), 0
        if options and "episode" in options:
            episode = _uint(options["episode"], "reset: options['episode']")
        if seed is not None:
            self._seed = seed
        elif self._seed is None:
            self._seed = x.seed
        self._episode = episode
        obs = np.empty(x._lib.animat_obs_size(h), dtype=np.float64)
        x._check(x._lib.animat_reset(h, self._seed, self._episode, _dbuf(obs), obs.size))
        self._done = False
        return obs, {"episode": self._episode, "seed": self._seed}

    def step(self, action):
        """Apply `action` for one control step: (observation, reward, terminated, truncated, info)."""
        h = self._x._h
        if h is None:
            raise ClosedError("animat: the experiment is closed")
        if self._done:
            raise StateError("animat: step after the episode ended: call reset()")
        a = action
        if not (type(a) is np.ndarray and a.dtype == np.float64 and a.shape == self._act_shape
                and a.flags.c_contiguous):
            a = _as_float64(a, self._act_shape, "action", finite=False)  # the library refuses NaN in one line
        obs = np.empty(self._nobs)
        lock = self._lock
        if not lock.acquire(blocking=False):
            raise StateError(BUSY)
        try:
            if self._x._h is None:
                raise ClosedError("animat: the experiment is closed")
            rc = self._step(h, a.ctypes.data, self._nact, obs.ctypes.data, self._nobs, self._reward_p,
                            self._flags_p)
            f = self._flags.value
            reward = self._reward.value
        finally:
            lock.release()
        if rc:
            self._x._check(rc)
        self._done = f != 0
        info = {"episode": self._episode}
        if self._done:
            info["return"] = self._x._lib.animat_return(h)
            info["step"] = self._x._lib.animat_step_count(h)
        return obs, reward, bool(f & 1), bool(f & 2), info

    def snapshot(self):
        """The environment's whole state at this point of the episode, as bytes (animat.state/1): restore() it
        here or in another Env of the same experiment to continue from here, bit for bit."""
        if self._done:
            raise StateError("animat: snapshot after the episode ended: call reset()")
        return self._x.snapshot()

    def restore(self, state):
        """Continue the episode snapshot() saved; returns the observation the next step's action answers."""
        obs = self._x.restore(state)
        h = self._x._h
        self._seed, self._episode = self._x._lib.animat_seed(h), self._x._lib.animat_episode(h)
        self._done = False
        return obs

    @_exclusive
    def render(self):
        """With render_mode="rgb_array": the bodies' current state as an (H, W, 3) uint8 array, drawn off-screen
        as `animat render` draws it. Call it from the thread that called it first. None without a render_mode."""
        if self.render_mode is None:
            return None
        x = self._x
        h = x._handle()
        w, ht = self.render_size
        rgb = ctypes.POINTER(ctypes.c_uint8)()
        x._check(x._lib.animat_render(h, int(w), int(ht), ctypes.byref(rgb)))
        return np.ctypeslib.as_array(rgb, shape=(int(ht), int(w), 3)).copy()

    def close(self):
        self._x.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


MAX_ENVS = 4096  # worlds of one VectorEnv: each is a whole experiment (more is refused before any is opened)


class VectorEnv:
    """num_envs copies of an Env stepped together by `threads` C threads
    (the GIL is released while they run). Env i is seeded seed + i by
    reset(seed=seed). Autoreset as Gymnasium's vector API (next step): the
    step after an env's episode ended resets it (its action is ignored,
    reward 0, terminated and truncated False). Results equal num_envs single
    Envs bit for bit, for any thread count."""

    metadata = {"autoreset_mode": "NextStep"}

    def __init__(self, path=None, num_envs=1, threads=1, agent="circuit", *, text=None, set=None):
        self.envs = []
        self._vec = None
        self._lock = threading.Lock()  # one thread at a time (step, reset; close waits)
        self.num_envs = _uint(num_envs, "VectorEnv: num_envs", 1, MAX_ENVS)
        threads = _uint(threads, "VectorEnv: threads", 1, 1024)
        try:
            for _ in range(self.num_envs):
                self.envs.append(Env(path, agent, text=text, set=set))
            lib = self.envs[0]._x._lib
            v, msg = ctypes.c_void_p(), ctypes.create_string_buffer(1024)
            rc = lib.animat_vec_create(ctypes.byref(v), int(threads), msg, len(msg))
            if rc:
                raise from_code(rc, msg.value.decode())
            self._vec, self._lib = v, lib
        except BaseException:
            self.close()
            raise
        self.threads = int(threads)
        e = self.envs[0]
        self.single_observation_space = e.observation_space
        self.single_action_space = e.action_space
        no, na = e.observation_space.shape[0], e.action_space.shape[0]
        rep = lambda s: make_box(np.tile(s.low, (self.num_envs, 1)), np.tile(s.high, (self.num_envs, 1)))
        self.observation_space = rep(e.observation_space)
        self.action_space = rep(e.action_space)
        self._handles = (ctypes.c_void_p * self.num_envs)(*[env._x._h.value for env in self.envs])
        self._obs = np.empty((self.num_envs, no))
        self._rew = np.empty(self.num_envs)
        self._flags = np.empty(self.num_envs, dtype=np.uint32)
        self._msg = ctypes.create_string_buffer(1024)
        # animat_vec_step with raw addresses: the batch's serial part stays small (docs/python.md, VectorEnv)
        self._vstep = _lib.raw_vec_step(lib)
        self._vargs = (ctypes.addressof(self._handles), self.num_envs)
        self._vout = (self._obs.ctypes.data, self._rew.ctypes.data, self._flags.ctypes.data,
                      ctypes.addressof(self._msg), len(self._msg))
        self._act_shape = self.action_space.shape
        self._started = False

    @_exclusive
    def reset(self, *, seed=None, options=None):
        """Reset every env (env i with seed + i when seed is given). Returns (obs, info)."""
        self._check_open()
        if seed is not None:
            seed = _uint(seed, "VectorEnv.reset: seed", high=2**64 - self.num_envs)  # env i takes seed + i
        for i, env in enumerate(self.envs):
            self._obs[i], _ = env.reset(seed=None if seed is None else seed + i, options=options)
        self._started = True
        return self._obs.copy(), {}

    @_exclusive
    def step(self, actions):
        """Step every env: (obs, rewards, terminated, truncated, info), arrays of num_envs rows."""
        self._check_open()
        if not self._started:
            raise StateError("animat: VectorEnv.step before reset()")
        a = actions
        if not (type(a) is np.ndarray and a.dtype == np.float64 and a.shape == self._act_shape
                and a.flags.c_contiguous and np.isfinite(a).all()):
            a = _as_float64(a, self._act_shape, "actions")  # no NaN reaches the library: nothing half-stepped
        rc = self._vstep(self._vec, *self._vargs, a.ctypes.data, *self._vout)
        if rc:
            raise from_code(_lib.EPLUGIN, self._msg.value.decode(errors="replace"))
        f = self._flags
        if f.any():
            for i in np.flatnonzero(f & _lib.RESET):  # keep each Env's own episode count in step with the library's
                self.envs[i]._episode += 1
        return (self._obs.copy(), self._rew.copy(), (f & _lib.TERMINATED) != 0, (f & _lib.TRUNCATED) != 0, {})

    def _check_open(self):
        if self._vec is None:
            raise ClosedError("animat: the VectorEnv is closed")

    def close(self):
        lock = getattr(self, "_lock", None)
        if lock is None:
            return
        with lock:
            if getattr(self, "_vec", None) is not None:
                self._lib.animat_vec_destroy(self._vec)
                self._vec = None
            for env in getattr(self, "envs", []):
                env.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
