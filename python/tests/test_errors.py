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
