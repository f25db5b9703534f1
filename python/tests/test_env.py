"""animat.Env and animat.VectorEnv: the Gymnasium contract, seeding as the
CLI's streams, truncation, autoreset, vectors equal to single envs."""
import subprocess
import threading

import numpy as np
import pytest

import animat

SHORT = {"run.max_steps": 25}


def rollout(env, actions, seed):
    """Observations and rewards of env under a fixed action sequence, resetting after each episode end."""
    out = []
    obs, _ = env.reset(seed=seed)
    out.append(obs)
    for a in actions:
        obs, r, term, trunc, _ = env.step(a)
        out += [obs, np.array([r, term, trunc], dtype=np.float64)]
        if term or trunc:
            obs, _ = env.reset()
            out.append(obs)
    return np.concatenate(out)


def test_contract_types_and_spaces(swimmer):
    with animat.Env(swimmer, agent="circuit", set=SHORT) as env:
        assert env.observation_space.shape == (5,) and env.action_space.shape == (5,)
        assert env.action_space.dtype == np.float64
        assert np.all(env.action_space.low == -1.0) and np.all(env.action_space.high == 1.0)
        assert np.all(np.isinf(env.observation_space.low))  # ncap's inputs declare no bounds
        obs, info = env.reset(seed=0)
        assert isinstance(obs, np.ndarray) and obs.dtype == np.float64 and obs.shape == (5,)
        assert isinstance(info, dict)
        obs, r, term, trunc, info = env.step(env.action_space.sample())
        assert obs.shape == (5,) and type(r) is float and type(term) is bool and type(trunc) is bool
        assert isinstance(info, dict)


def test_spaces_follow_port_bounds(swimmer):
    with animat.Env(swimmer, agent="circuit", set={"body.params.n_bodies": 4}) as env:
        info = env.experiment.port_info("circuit.out.muscles")
        assert env.action_space.shape == (3,)
        assert env.action_space.low.tobytes() == info["low"].tobytes()
        assert env.action_space.high.tobytes() == info["high"].tobytes()


def test_seeding_follows_cli_streams(cli, swimmer, tmp_path):
    """After reset(seed=s), episode k starts as episode k of `animat run --seed s`."""
    h5py = pytest.importorskip("h5py")
    rec = tmp_path / "r.h5"
    subprocess.run([cli, "run", swimmer, "--quiet", "--seed", "5", "--episodes", "3", "--set", "run.max_steps=3",
                    "--record", str(rec)], check=True, capture_output=True)
    with h5py.File(rec, "r") as f:
        first = f["signals/circuit.in.joints"][:, 0, :]
    with animat.Env(swimmer, agent="circuit", set={"run.max_steps": 3}) as env:
        starts = [env.reset(seed=5)[0]] + [env.reset()[0] for _ in range(2)]
        assert np.array(starts).tobytes() == first.tobytes()
        again, _ = env.reset(seed=5)
        assert again.tobytes() == starts[0].tobytes()
        assert env.reset(options={"episode": 2})[0].tobytes() == starts[2].tobytes()


def test_truncation_at_time_limit_and_step_after_end(swimmer):
    with animat.Env(swimmer, agent="circuit", set=SHORT) as env:
        env.reset(seed=1)
        flags = [env.step(np.zeros(5))[2:4] for _ in range(25)]
        assert flags[:-1] == [(False, False)] * 24 and flags[-1] == (False, True)
        with pytest.raises(animat.StateError, match="reset"):
            env.step(np.zeros(5))
    with animat.Env(swimmer, agent="circuit") as env:  # the body's own 30 s limit
        env.reset(seed=1)
        n = 0
        while True:
            n += 1
            _, _, term, trunc, info = env.step(np.zeros(5))
            if term or trunc:
                break
        assert n == 1000 and trunc and not term and info["step"] == 1000


def test_torch_style_driver_equals_native_returns(swimmer):
    """The native ncap's own actions fed back through the agent give the native return."""
    with animat.Experiment(swimmer, set=SHORT) as x:
        want = x.run(1)[0]
        x.reset(episode=0)
        acts = []
        for _ in range(25):
            x.step()
            acts.append(x.port("circuit.out.muscles").copy())
    with animat.Env(swimmer, agent="circuit", set=SHORT) as env:
        env.reset()
        total = 0.0
        for a in acts:
            total += env.step(a)[1]
    assert total == want


def test_vector_equals_single_envs(swimmer):
    rng = np.random.default_rng(0)
    n, steps = 3, 60
    actions = rng.uniform(-1, 1, size=(steps, n, 5))
    singles = []
    for i in range(n):
        with animat.Env(swimmer, agent="circuit", set=SHORT) as env:
            singles.append(rollout_vector_style(env, actions[:, i], seed=10 + i))
    for threads in (1, 2, 3):
        with animat.VectorEnv(swimmer, num_envs=n, threads=threads, set=SHORT) as venv:
            obs, _ = venv.reset(seed=10)
            rows = [obs]
            for t in range(steps):
                obs, rew, term, trunc, _ = venv.step(actions[t])
                rows.append(np.concatenate([obs, np.stack([rew, term, trunc], axis=1)], axis=1))
            for i in range(n):
                got = np.concatenate([rows[0][i]] + [r[i] for r in rows[1:]])
                assert got.tobytes() == singles[i].tobytes(), (threads, i)


def rollout_vector_style(env, actions, seed):
    """A single Env stepped with Gymnasium's next-step autoreset, as VectorEnv does."""
    obs, _ = env.reset(seed=seed)
    out, done = [obs], False
    for a in actions:
        if done:
            obs, _ = env.reset()
            r, term, trunc = 0.0, False, False
        else:
            obs, r, term, trunc, _ = env.step(a)
        done = term or trunc
        out.append(np.concatenate([obs, [r, term, trunc]]))
    return np.concatenate(out)


def test_vector_autoreset(swimmer):
    with animat.VectorEnv(swimmer, num_envs=2, threads=2, set={"run.max_steps": 3}) as venv:
        first, _ = venv.reset(seed=0)
        for _ in range(2):
            _, _, _, trunc, _ = venv.step(np.zeros((2, 5)))
            assert not trunc.any()
        _, _, term, trunc, _ = venv.step(np.zeros((2, 5)))
        assert trunc.all() and not term.any()
        obs, rew, term, trunc, _ = venv.step(np.full((2, 5), 0.5))  # ignored: this step resets
        assert rew.tolist() == [0.0, 0.0] and not term.any() and not trunc.any()
        with animat.Env(swimmer, agent="circuit", set={"run.max_steps": 3}) as env:
            env.reset(seed=0)
            assert env.reset()[0].tobytes() == obs[0].tobytes()  # episode 1 of seed 0
        assert obs[0].tobytes() != first[0].tobytes()


def test_two_python_threads(swimmer):
    def work(seed, out):
        with animat.Env(swimmer, agent="circuit", set=SHORT) as env:
            out[seed] = rollout(env, [np.full(5, 0.3)] * 30, seed)

    want = {}
    for s in (1, 2):
        work(s, want)
    got = {}
    ts = [threading.Thread(target=work, args=(s, got)) for s in (1, 2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert got[1].tobytes() == want[1].tobytes() and got[2].tobytes() == want[2].tobytes()


def test_one_env_from_two_threads_in_turn(swimmer):
    """A suspended episode may be resumed from another thread."""
    with animat.Env(swimmer, agent="circuit", set=SHORT) as env:
        want = rollout(env, [np.full(5, 0.3)] * 10, 4)
        env.reset(seed=4)
        got = [env.reset(seed=4)[0]]
        for _ in range(10):
            t = threading.Thread(target=lambda: got.append(env.step(np.full(5, 0.3))))
            t.start()
            t.join()
        flat = np.concatenate([got[0]] + [np.concatenate([o, [r, a, b]]) for o, r, a, b, _ in got[1:]])
        assert flat.tobytes() == want.tobytes()


def test_render_rgb_frames(swimmer):
    with animat.Env(swimmer, agent="circuit", set=SHORT, render_mode="rgb_array", render_size=(64, 48)) as env:
        env.reset(seed=1)
        first = env.render()
        assert first.shape == (48, 64, 3) and first.dtype == np.uint8 and first.std() > 0
        for _ in range(20):
            env.step(np.full(5, 0.8))
        assert not np.array_equal(first, env.render())  # the swimmer moved
        env.render_size = (63, 48)
        with pytest.raises(animat.InputError, match="even"):
            env.render()
    with animat.Env(swimmer, agent="circuit", set=SHORT) as env:
        env.reset()
        assert env.render() is None
    with pytest.raises(animat.InputError, match="render_mode"):
        animat.Env(swimmer, render_mode="human")


def _play(env, m, k0):
    """m steps with a fixed action pattern: (observations, rewards) as one byte string."""
    rows = []
    for k in range(m):
        obs, r, term, trunc, _ = env.step(np.sin(0.1 * (k0 + k) + np.arange(env.action_space.shape[0])))
        assert not (term or trunc)
        rows.append(np.append(obs, r))
    return np.concatenate(rows).tobytes()


def test_snapshot_restore_with_agent(swimmer):
    with animat.Env(swimmer) as env, animat.Env(swimmer) as other:
        env.reset(seed=5)
        _play(env, 40, 0)
        state = env.snapshot()
        later = _play(env, 25, 40)
        obs = env.restore(state)
        assert obs.shape == env.observation_space.shape
        assert _play(env, 25, 40) == later  # bit for bit
        other.reset(seed=9)  # another Env, another seed: the state brings its own
        other.restore(state)
        assert _play(other, 25, 40) == later
        assert other.reset()[1] == {"episode": 1, "seed": 5}  # the restored episode was episode 0 of seed 5


def test_restore_from_another_experiment_raises(swimmer):
    with animat.Env(swimmer) as env, animat.Env(swimmer, set={"body.params.n_bodies": 5}) as five:
        env.reset(seed=1)
        state = env.snapshot()
        five.reset(seed=1)
        with pytest.raises(animat.InputError, match="different experiment setup") as err:
            five.restore(state)
        assert "\n" not in str(err.value)
        with pytest.raises(animat.InputError, match="not a state"):
            five.restore(b"x" * 100)
