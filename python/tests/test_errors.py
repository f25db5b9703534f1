"""Bad input raises an animat.Error subclass with animat's one-line message;
the interpreter never crashes and nothing is broadcast silently."""
import ctypes
import gc

import numpy as np
import pytest

import animat

SHORT = {"run.max_steps": 10}


def one_line(exc):
    msg = str(exc.value)
    assert msg and "\n" not in msg
    return msg


def test_bad_path():
    with pytest.raises(animat.InputError) as e:
        animat.Experiment("/nonexistent/x.yaml")
    assert "/nonexistent/x.yaml" in one_line(e)
    assert issubclass(animat.InputError, ValueError) and issubclass(animat.InputError, animat.Error)


def test_bad_override(swimmer):
    with pytest.raises(animat.InputError) as e:
        animat.Experiment(swimmer, set={"body.params.n_bodies": 0})
    assert "body.params.n_bodies: 0 is out of range" in one_line(e)
    with pytest.raises(animat.InputError, match="nosuchkey"):
        animat.Experiment(swimmer, set={"run.nosuchkey": 1})
    with pytest.raises(animat.InputError, match="KEY=VALUE"):
        animat.Experiment(swimmer, set=["run.seed"])
    with pytest.raises(animat.InputError):
        animat.Experiment(swimmer, set="run.seed=1")


def test_bad_yaml_text():
    with pytest.raises(animat.InputError) as e:
        animat.Experiment(text="body: [unclosed")
    assert "<text>" in one_line(e)


def test_agent_missing_or_a_body(swimmer):
    with pytest.raises(animat.InputError) as e:
        animat.Env(swimmer, agent="brain")
    assert "agent 'brain'" in one_line(e) and "body, circuit" in one_line(e)
    with pytest.raises(animat.InputError, match="is a body"):
        animat.Env(swimmer, agent="body")


def test_action_shape_dtype_nan(swimmer):
    with animat.Env(swimmer, agent="circuit", set=SHORT) as env:
        env.reset(seed=0)
        for bad in (np.zeros(4), np.zeros((1, 5)), 0.0, np.zeros(6), [0.0] * 4):
            with pytest.raises(animat.InputError, match="shape"):
                env.step(bad)
        for bad in (np.array(["a"] * 5), np.zeros(5, dtype=bool), np.zeros(5, dtype=complex), None):
            with pytest.raises(animat.InputError):
                env.step(bad)
        nan = np.zeros(5)
        nan[2] = np.nan
        with pytest.raises(animat.InputError, match=r"action\[2\]"):
            env.step(nan)
        with pytest.raises(animat.InputError, match=r"action\[0\]"):
            env.step(np.full(5, np.inf))
        obs, *_ = env.step(np.zeros(5, dtype=np.float32))  # a real dtype converts; the episode went on
        assert obs.shape == (5,)


def test_step_before_reset_and_after_close(swimmer):
    env = animat.Env(swimmer, agent="circuit", set=SHORT)
    with pytest.raises(animat.StateError, match="reset"):
        env.step(np.zeros(5))
    env.reset()
    env.close()
    env.close()
    with pytest.raises(animat.ClosedError) as e:
        env.step(np.zeros(5))
    assert "closed" in one_line(e)
    with pytest.raises(animat.ClosedError):
        env.reset()


def test_unknown_port(swimmer):
    with animat.Experiment(swimmer) as x:
        with pytest.raises(animat.InputError) as e:
            x.port("body.obs.nope")
        assert "body.obs.joints" in one_line(e)
        with pytest.raises(animat.InputError, match="no instance"):
            x.port("brain.out.x")
        with pytest.raises(animat.InputError, match="NAME.DIR.PORT"):
            x.port("joints")


def test_run_with_agent_and_bad_theta(swimmer):
    with animat.Experiment(swimmer, agent="circuit") as x:
        with pytest.raises(animat.UnsupportedError, match="step"):
            x.run(1)
        with pytest.raises(animat.InputError, match="shape"):
            x.theta = [1.0, 2.0]
        with pytest.raises(animat.InputError, match="finite"):
            x.theta = [1.0, np.nan, 1.0, -1.0]


def test_vector_bad_actions(swimmer):
    with animat.VectorEnv(swimmer, num_envs=2, set=SHORT) as venv:
        with pytest.raises(animat.StateError):
            venv.step(np.zeros((2, 5)))
        venv.reset(seed=0)
        with pytest.raises(animat.InputError, match="shape"):
            venv.step(np.zeros(5))  # no broadcast over the envs
    with pytest.raises(animat.InputError, match="threads"):
        animat.VectorEnv(swimmer, num_envs=2, threads=0)
    with pytest.raises(animat.ClosedError):
        venv.reset()


class _MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in
                "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()]


def malloc_in_use():
    """Bytes malloc has handed out and not had back (glibc mallinfo2): unlike RSS, not blurred by fragmentation."""
    libc = ctypes.CDLL(None)
    if not hasattr(libc, "mallinfo2"):
        pytest.skip("glibc without mallinfo2")
    libc.mallinfo2.restype = _MallInfo2
    m = libc.mallinfo2()
    return m.uordblks + m.hblkhd


def test_no_leak_over_1000_open_close(swimmer):
    text = open(swimmer).read()

    def cycle():
        env = animat.Env(text=text, agent="circuit", set={"run.max_steps": 2, "body.params.n_bodies": 3})
        env.reset(seed=1)
        env.step(np.zeros(2))  # close with an episode in progress
        env.close()
    for _ in range(50):
        cycle()
    gc.collect()
    before = malloc_in_use()
    for _ in range(1000):
        cycle()
    gc.collect()
    grown = malloc_in_use() - before
    # Python's own caches move a few hundred bytes a cycle; one leaked sim (buffers, a MuJoCo model) is tens
    # of KiB, one leaked message or port table over 1 KiB: 1 MiB over 1000 cycles catches any of them.
    assert grown < 1024 * 1024, f"malloc'd memory grew {grown} bytes over 1000 open/close cycles"


def test_view_outlives_close_and_env_needs_agent(swimmer):
    x = animat.Experiment(swimmer, set=SHORT)
    x.reset()
    x.step()
    joints = x.port("body.obs.joints")
    kept = joints.copy()
    x.close()
    del x
    gc.collect()
    for _ in range(3):  # other experiments come and go; the view still reads its own buffer
        animat.Experiment(swimmer, set=SHORT).close()
    assert joints.tobytes() == kept.tobytes()
    with pytest.raises(animat.InputError, match="agent"):
        animat.Env(swimmer, agent=None)


@pytest.mark.parametrize("call, what", [
    (lambda env: env.reset(seed=2**64), "reset: seed"),
    (lambda env: env.reset(seed=True), "reset: seed"),
    (lambda env: env.reset(options={"episode": -1}), "reset: options['episode']"),
    (lambda env: env.reset(options={"episode": 2**64}), "reset: options['episode']"),
    (lambda env: env.reset(options={"episode": "x"}), "reset: options['episode']"),
    (lambda env: env.reset(options={"episode": None}), "reset: options['episode']"),
    (lambda env: env.reset(options="x"), "reset: options must be a dict"),
    (lambda env: env.experiment.reset(seed=-1), "reset: seed"),
    (lambda env: env.experiment.reset(seed=2**64), "reset: seed"),
    (lambda env: env.experiment.reset(episode=-1), "reset: episode"),
])
def test_integers_out_of_range_are_refused_not_wrapped(swimmer, call, what):
    """An integer outside the C parameter's range (uint64) is InputError, never silently wrapped by ctypes
    (seed 2**64 ran as seed 0, episode -1 as 2**64 - 1); the Env keeps its episode count."""
    with animat.Env(swimmer, set=SHORT) as env:
        env.reset(seed=3)
        with pytest.raises(animat.InputError) as e:
            call(env)
        assert what in one_line(e)
        assert env.reset()[1] == {"episode": 1, "seed": 3}


def test_experiment_run_counts(swimmer):
    x = animat.Experiment(swimmer, set=SHORT)
    for kw, what in [({"first": -1}, "run: first"), ({"first": 2**64}, "run: first"), ({"episodes": "x"}, "episodes"),
                     ({"episodes": -1}, "run: episodes")]:
        with pytest.raises(animat.InputError) as e:
            x.run(**{"episodes": 1, **kw})
        assert what in one_line(e)
    with pytest.raises(animat.OutOfMemoryError) as e:
        x.run(2**62)
    assert isinstance(e.value, animat.Error) and isinstance(e.value, MemoryError)
    x.close()


@pytest.mark.parametrize("kw, what", [
    ({"num_envs": "x"}, "num_envs"), ({"num_envs": None}, "num_envs"), ({"num_envs": 2**40}, "num_envs"),
    ({"threads": 0}, "threads"), ({"threads": -1}, "threads"), ({"threads": 2**32}, "threads"),
    ({"threads": "x"}, "threads"),
])
def test_vector_sizes_checked_before_any_world(swimmer, kw, what):
    """num_envs and threads are checked before the worlds are opened: 2**40 worlds was a hang growing
    without bound, threads 2**32 wrapped to 0."""
    with pytest.raises(animat.InputError) as e:
        animat.VectorEnv(swimmer, **{"num_envs": 2, **kw}, set=SHORT)
    assert what in one_line(e)


def test_vector_reset_seed_range(swimmer):
    with animat.VectorEnv(swimmer, num_envs=2, set=SHORT) as v:
        with pytest.raises(animat.InputError) as e:
            v.reset(seed=2**64 - 1)  # env 1 would take 2**64
        assert "VectorEnv.reset: seed" in one_line(e)
        v.reset(seed=2**64 - 2)


def _race(target, n=2):
    import threading
    errors = []

    def run():
        try:
            target()
        except animat.StateError as exc:
            errors.append(str(exc))
    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_two_threads_in_one_object_is_an_error_not_a_crash(swimmer):
    """One object used from two threads at once (the contract is one at a time): StateError in the late
    thread, never a crash (a VectorEnv stepped from two threads segfaulted the interpreter)."""
    v = animat.VectorEnv(swimmer, num_envs=2, threads=2, set={"run.max_steps": 20})
    v.reset(seed=0)
    a = np.zeros((2, 5))
    errors = _race(lambda: [v.step(a) for _ in range(300)])
    assert all("in use by another thread" in e for e in errors)
    env = animat.Env(swimmer, set={"run.max_steps": 20})
    env.reset()

    def play():
        for _ in range(300):
            if any(env.step(np.zeros(5))[2:4]):
                env.reset()
    errors = _race(play)
    assert all("in use by another thread" in e for e in errors)
    # close() from another thread while one steps: waits for the step; the stepper then gets a StateError
    closed = []

    def close_soon():
        env.close()
        closed.append(True)

    def step_until_closed():
        try:
            while True:
                if any(env.step(np.zeros(5))[2:4]):
                    env.reset()
        except animat.StateError:  # ClosedError, or busy while close() holds the object
            pass
    import threading
    t = threading.Thread(target=step_until_closed)
    t.start()
    close_soon()
    t.join()
    v.close()
    assert closed


def test_strings_for_the_library_are_checked(swimmer, tmp_path):
    """Every string handed to C is a str (paths: str, bytes or PathLike) without NUL: a path with a NUL
    opened the file named by its first part, other types raised AttributeError/TypeError."""
    calls = [
        (lambda: animat.Experiment(swimmer + "\0junk"), "contains a NUL byte"),
        (lambda: animat.Experiment(swimmer, set={"run.seed\0x": 1}), "contains a NUL byte"),
        (lambda: animat.Experiment(swimmer, agent=5), "agent: expected a string"),
        (lambda: animat.Experiment(5), "path: expected a path"),
        (lambda: animat.Experiment(text=b"run: {}"), "text: expected a string"),
        (lambda: animat.Env(swimmer, render_size=5), "render_size"),
        (lambda: animat.Experiment(swimmer, set=SHORT).run(1, record=1), "record: expected a path"),
        (lambda: animat.Experiment(swimmer, set=SHORT).port(7), "port: expected a string"),
    ]
    for call, what in calls:
        with pytest.raises(animat.InputError) as e:
            call()
        assert what in one_line(e)
    with pytest.raises(animat.InputError) as e:  # a file name that is not UTF-8 reaches the library intact
        animat.Experiment(str(tmp_path) + "/\udcff.yaml")
    assert ".yaml: cannot open" in one_line(e)
