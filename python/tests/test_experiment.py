"""animat.Experiment: returns equal the CLI's bit for bit, zero-copy port
views, theta, parameters, step-level control without an agent."""
import subprocess

import numpy as np
import pytest

import animat

SHORT = {"run.max_steps": 40}


def cli_returns(cli, path, tmp_path, *args):
    """Each episode's return as `animat run` computed it (from its recording)."""
    h5py = pytest.importorskip("h5py")
    rec = tmp_path / "run.h5"
    subprocess.run([cli, "run", path, "--quiet", "--record", str(rec), *args], check=True, capture_output=True)
    with h5py.File(rec, "r") as f:
        return f["episodes/return"][()]


def test_returns_equal_cli(cli, swimmer, tmp_path):
    want = cli_returns(cli, swimmer, tmp_path, "--episodes", "2", "--seed", "4", "--set", "run.max_steps=300")
    with animat.Experiment(swimmer, set={"run.max_steps": 300, "run.seed": 4}) as x:
        got = x.run(episodes=2)
    assert got.dtype == np.float64 and got.shape == (2,)
    assert got.tobytes() == want.tobytes()
    assert got[0] != got[1]


def test_run_first_episode_matches(swimmer):
    with animat.Experiment(swimmer, set=SHORT) as x:
        both = x.run(episodes=2)
        second = x.run(episodes=1, first=1)
    assert second[0] == both[1]


def test_overrides_as_list_and_text(swimmer):
    text = open(swimmer).read()
    with animat.Experiment(swimmer, set=["run.max_steps=40", "run.seed=9"]) as a, \
            animat.Experiment(text=text, set={"run.max_steps": 40, "run.seed": 9}) as b:
        assert a.seed == 9 and a.max_steps == 40
        assert a.run(1).tobytes() == b.run(1).tobytes()


def test_instances_params_ports(swimmer):
    with animat.Experiment(swimmer, set={"body.params.n_bodies": 5}) as x:
        assert x.instances == ["body", "circuit"]
        assert x.plugin("circuit") == "ncap"
        assert x.params("body")["n_bodies"] == "5"
        assert x.params("circuit")["shared"] == "true"
        ports = x.ports
        assert ports["body.obs.joints"].shape == (4,)
        info = x.port_info("circuit.out.muscles")
        assert info["size"] == 4 and list(info["low"]) == [-1.0] * 4 and list(info["high"]) == [1.0] * 4
        assert info["names"][0] == "muscles[0]"


def test_port_views_share_memory(swimmer):
    with animat.Experiment(swimmer, set=SHORT) as x:
        x.reset(seed=2)
        joints = x.port("body.obs.joints")
        assert not joints.flags.owndata
        assert np.shares_memory(joints, x.port("body.obs.joints"))
        # the circuit reads the body's buffer itself: one buffer, no copy
        assert np.shares_memory(joints, x.port("circuit.in.joints"))
        before = joints.copy()
        x.step()
        assert not np.array_equal(before, joints)  # the same view shows the new values


def test_theta_get_set(swimmer):
    with animat.Experiment(swimmer, set=SHORT) as x:
        assert x.theta_names == ["circuit.w_prop", "circuit.w_osc", "circuit.w_ipsi", "circuit.w_contra"]
        assert list(x.theta) == [1.0, 1.0, 1.0, -1.0]
        base = x.run(1)
        x.theta = [0.5, 1.0, 1.0, -0.5]
        assert list(x.theta) == [0.5, 1.0, 1.0, -0.5]
        assert x.run(1)[0] != base[0]
        x.theta = [-2.0, 1.0, 1.0, 3.0]  # projected onto the signs, as the trainer's
        assert list(x.theta) == [0.0, 1.0, 1.0, 0.0]
    with animat.Experiment(swimmer, set={**SHORT, "circuit.theta": [0.5, 1.0, 1.0, -0.5]}) as y:
        with animat.Experiment(swimmer, set=SHORT) as z:
            z.theta = [0.5, 1.0, 1.0, -0.5]
            assert y.run(1).tobytes() == z.run(1).tobytes()


def test_step_without_agent_equals_run(swimmer):
    with animat.Experiment(swimmer, set=SHORT) as x:
        want = x.run(episodes=2)
        got = []
        for k in range(2):
            x.reset(episode=k)
            total, flags, n = 0.0, 0, 0
            while not flags:
                _, r, flags = x.step()
                total += r
                n += 1
            assert n == 40 and flags == 2  # truncated by run.max_steps
            assert x.episode_return == total
            got.append(total)
        assert np.array(got).tobytes() == want.tobytes()


def test_snapshot_restore_bit_for_bit(swimmer):
    with animat.Experiment(swimmer, set=SHORT) as x, animat.Experiment(swimmer, set=SHORT) as y:
        x.reset(episode=1)
        for _ in range(10):
            x.step()
        state = x.snapshot()
        later = [(x.step()[1], x.port("body.obs.joints").copy()) for _ in range(30)]
        assert later[-1][1].size == 5
        x.restore(state)  # into the same experiment
        again = [(x.step()[1], x.port("body.obs.joints").copy()) for _ in range(30)]
        y.restore(state)  # and into another one
        other = [(y.step()[1], y.port("body.obs.joints").copy()) for _ in range(30)]
        flat = lambda rows: np.concatenate([np.append(o, r) for r, o in rows])
        assert flat(again).tobytes() == flat(later).tobytes() == flat(other).tobytes()
        assert y.episode_return == x.episode_return
        with pytest.raises(animat.InputError):
            y.restore(state[:-8])
        with pytest.raises(animat.InputError):
            y.restore("state")
    with animat.Experiment(swimmer, set=SHORT, agent="circuit") as z:
        z.reset()
        with pytest.raises(animat.InputError, match="saved between two steps"):
            z.restore(state)  # a state without an agent does not continue one with an agent


def test_recording_from_python_equals_cli(cli, swimmer, tmp_path):
    """run(record=, trace=) writes what `animat run --record --trace` writes: every dataset and the
    trace's rows equal bit for bit (the provenance's command line aside)."""
    h5py = pytest.importorskip("h5py")
    args = ["--episodes", "2", "--set", "run.max_steps=50"]
    subprocess.run([cli, "run", swimmer, "--quiet", "--record", str(tmp_path / "cli.h5"), "--trace",
                    str(tmp_path / "cli.csv"), *args], check=True, capture_output=True)
    with animat.Experiment(swimmer, set={"run.max_steps": 50}) as x:
        got = x.run(episodes=2, record=tmp_path / "py.h5", trace=str(tmp_path / "py.csv"))
    names = []
    with h5py.File(tmp_path / "cli.h5", "r") as a, h5py.File(tmp_path / "py.h5", "r") as b:
        a.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
        assert len(names) > 5
        for n in names:
            assert a[n][()].tobytes() == b[n][()].tobytes(), n
        assert got.tobytes() == a["episodes/return"][()].tobytes()
    rows = [open(tmp_path / f).read().splitlines() for f in ("cli.csv", "py.csv")]
    data = [[r for r in rs if not r.startswith("#")] for rs in rows]
    assert len(data[0]) == 101 and data[0] == data[1]


def test_run_record_bad_input(swimmer, tmp_path):
    with animat.Experiment(swimmer, set=SHORT) as x:
        with pytest.raises(animat.InputError, match="episodes 0 .. episodes-1"):
            x.run(episodes=1, first=1, record=tmp_path / "r.h5")
        with pytest.raises(animat.Error, match="swimmer-ncap.yaml"):
            x.run(episodes=1, trace=swimmer)  # an input of the experiment: refused, untouched
        assert not (tmp_path / "r.h5").exists()
