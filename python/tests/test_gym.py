"""Gymnasium registration, against a stand-in `gymnasium` module: real
gymnasium is not installable for this project (no PyPI, no Debian package).
The stand-in has the documented gymnasium.register(id, entry_point,
reward_threshold, nondeterministic, max_episode_steps, order_enforce,
disable_env_checker, additional_wrappers, vector_entry_point, kwargs)
signature (any other keyword fails), a registry dict, Env and spaces.Box;
an entry point is resolved as gymnasium resolves "module:attr" strings."""
import importlib
import os
import pathlib
import subprocess
import sys
import types

import numpy as np
import pytest

import animat
from animat import _gym

STAND_IN = '''
import numpy as np
calls, registry = [], {}
def register(id, entry_point=None, reward_threshold=None, nondeterministic=False, max_episode_steps=None,
             order_enforce=True, disable_env_checker=False, additional_wrappers=(), vector_entry_point=None,
             kwargs=None):
    calls.append({"id": id, "entry_point": entry_point, "kwargs": kwargs, "max_episode_steps": max_episode_steps})
    registry[id] = calls[-1]
class Env:
    spec = None
class _Spaces:
    class Box:
        def __init__(self, low, high, shape=None, dtype=np.float32, seed=None):
            self.low, self.high, self.dtype = np.asarray(low), np.asarray(high), np.dtype(dtype)
            self.shape = self.low.shape if shape is None else tuple(shape)
spaces = _Spaces
'''


@pytest.fixture
def gym(monkeypatch):
    mod = types.ModuleType("gymnasium")
    exec(STAND_IN, mod.__dict__)
    monkeypatch.setitem(sys.modules, "gymnasium", mod)
    return mod


def _resolve(entry_point):
    module, attr = entry_point.split(":")
    return getattr(importlib.import_module(module), attr)


def test_register_ids_and_kwargs(gym):
    ids = animat.register_envs()
    assert ids == [f"animat/{name}-v0" for name in _gym.EXAMPLES]
    assert "animat/swimmer-ncap-v0" in ids
    assert [c["id"] for c in gym.calls] == ids
    for c in gym.calls:
        name = c["id"][len("animat/"):-len("-v0")]
        assert c["entry_point"] == "animat._gym:make_env"
        assert c["kwargs"] == {"path": str(_gym.examples_dir() / f"{name}.yaml"), "agent": _gym.EXAMPLES[name]}
        assert pathlib.Path(c["kwargs"]["path"]).is_file()
        assert c["max_episode_steps"] is None
    assert animat.register_envs() == ids and len(gym.calls) == len(ids)  # registered once


def test_env_from_entry_point_steps_like_env(gym, swimmer):
    animat.register_envs()
    spec = gym.registry["animat/swimmer-ncap-v0"]
    env = _resolve(spec["entry_point"])(**spec["kwargs"])
    with env, animat.Env(swimmer, agent="circuit") as plain:
        assert isinstance(env, gym.Env) and isinstance(env, animat.Env)
        assert isinstance(env.action_space, gym.spaces.Box) and env.action_space.shape == (5,)
        a, b = env.reset(seed=2)[0], plain.reset(seed=2)[0]
        rows = []
        for k in range(20):
            act = np.sin(0.2 * k + np.arange(5))
            rows.append([r[:2] for r in (env.step(act), plain.step(act))])
        got = np.concatenate([np.append(o, r) for (o, r), _ in rows] + [a])
        want = np.concatenate([np.append(o, r) for _, (o, r) in rows] + [b])
        assert got.tobytes() == want.tobytes()


def test_every_registered_example_opens_and_steps(gym):
    animat.register_envs()
    for env_id, spec in gym.registry.items():
        with _resolve(spec["entry_point"])(**spec["kwargs"]) as env:
            obs, _ = env.reset(seed=1)
            assert obs.shape == env.observation_space.shape, env_id
            out = env.step(np.zeros(env.action_space.shape))
            assert np.isfinite(out[1]), env_id


def test_no_gymnasium_registers_nothing(monkeypatch):
    monkeypatch.setitem(sys.modules, "gymnasium", None)  # `import gymnasium` raises ImportError
    assert animat.register_envs() == []


def test_registered_on_import(tmp_path):
    (tmp_path / "gymnasium.py").write_text(STAND_IN)
    src = pathlib.Path(__file__).resolve().parents[1]
    env = dict(os.environ, PYTHONPATH=f"{tmp_path}{os.pathsep}{src}")
    out = subprocess.run([sys.executable, "-c", "import gymnasium, animat; print(len(gymnasium.calls), "
                          "sorted(gymnasium.registry)[0])"], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == [str(len(_gym.EXAMPLES)), "animat/hexapod-cpg-v0"]
