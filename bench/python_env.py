#!/usr/bin/env python3
"""bench/python_env.py -- animat from Python (python/animat over libanimat.so)
against the `animat` CLI on the NCAP swimmer (examples/swimmer-ncap.yaml).

    PYTHONPATH=python /usr/bin/python3 bench/python_env.py [--rounds 3] [--episodes 2]

Prints, each as the median over rounds that alternate the two sides:
  1. control steps/s of `animat run` (its own summary line) vs Python loops:
     Experiment.step() (the native NCAP, stepped from Python) and Env.step()
     (Python plays the circuit, replaying the native NCAP's actions, so the
     physics is the CLI's);
     and the CPU time per step of each (user + system: what the Python layer
     adds, less blurred by other load than the wall-clock rates);
  2. VectorEnv(num_envs=8) steps/s with 2 threads vs 1 (wall clock: only
     meaningful on an otherwise idle machine with at least 2 free cores),
     and the process's voluntary context switches per VectorEnv.step call
     with 2 threads (sleeps in the hand-over between the threads);
  3. us per step of the float64 PyTorch NCAP (examples/python/ncap_torch.py)
     driving animat's swimmer vs the same module alone on recorded inputs.
Wall clock on whatever else the machine runs: note the load (printed).
"""
import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
sys.path.insert(0, os.path.join(ROOT, "examples", "python"))
import animat  # noqa: E402

SWIMMER = os.path.join(ROOT, "examples", "swimmer-ncap.yaml")
CLI = os.path.join(ROOT, "build", "core", "animat")


CPU = {}  # side -> CPU seconds per step (user + system), less blurred by other load than wall clock


def cli_run(episodes):
    """(steps/s as the CLI prints it, steps, CPU seconds of the whole process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([CLI, "run", SWIMMER, "--episodes", str(episodes), "--quiet"], check=True,
                         capture_output=True, text=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    rate = float(re.search(r"\(([0-9.]+) steps/s\)", out).group(1))
    return rate, int(re.search(r"([0-9]+) steps in", out).group(1)), cpu


def cli_rate(episodes):
    """The CLI's own rate; its CPU time per step from a run one episode longer minus this one (start-up cancels)."""
    rate, steps, cpu = cli_run(episodes)
    _, steps2, cpu2 = cli_run(episodes + 1)
    CPU.setdefault("cli", []).append((cpu2 - cpu) / (steps2 - steps))
    return rate


def cpu_mark(side, t0, steps):
    CPU.setdefault(side, []).append((time.process_time() - t0) / steps)


def experiment_rate(episodes):
    with animat.Experiment(SWIMMER) as x:
        n, t0, c0 = 0, time.perf_counter(), time.process_time()
        for k in range(episodes):
            x.reset(episode=k)
            flags = 0
            while not flags:
                flags = x.step()[2]
                n += 1
        rate = n / (time.perf_counter() - t0)
        cpu_mark("experiment", c0, n)
        return rate


def native_actions(episodes):
    """The native NCAP's actions of each episode (so Env.step does the CLI's physics)."""
    out = []
    with animat.Experiment(SWIMMER) as x:
        muscles = x.port("circuit.out.muscles")
        for k in range(episodes):
            x.reset(episode=k)
            acts, flags = [], 0
            while not flags:
                flags = x.step()[2]
                acts.append(muscles.copy())
            out.append(acts)
    return out


def env_rate(episodes, actions):
    with animat.Env(SWIMMER, agent="circuit") as env:
        n, t0, c0 = 0, time.perf_counter(), time.process_time()
        for k in range(episodes):
            env.reset()
            for act in actions[k]:
                env.step(act)
                n += 1
        rate = n / (time.perf_counter() - t0)
        cpu_mark("env", c0, n)
        return rate


SWITCHES = {}


def vector_rate(threads, steps, num_envs=8):
    with animat.VectorEnv(SWIMMER, num_envs=num_envs, threads=threads) as venv:
        venv.reset(seed=0)
        act = np.full(venv.action_space.shape, 0.3)
        sw0 = resource.getrusage(resource.RUSAGE_SELF).ru_nvcsw
        t0 = time.perf_counter()
        for _ in range(steps):
            venv.step(act)
        rate = steps * num_envs / (time.perf_counter() - t0)
        sw = (resource.getrusage(resource.RUSAGE_SELF).ru_nvcsw - sw0) / steps
        SWITCHES.setdefault((threads, num_envs), []).append(sw)
        return rate


def torch_rates(steps):
    import torch
    import ncap_torch
    env = animat.Env(SWIMMER, agent="circuit")
    ncap = ncap_torch.NCAP(5)
    obs, _ = env.reset()
    inputs = []
    with torch.no_grad():
        t0 = time.perf_counter()
        for _ in range(steps):
            x = torch.from_numpy(obs)
            inputs.append(x)
            obs, _, term, trunc, _ = env.step(ncap(x).numpy())
            if term or trunc:
                obs, _ = env.reset()
                ncap.reset()
        loop = (time.perf_counter() - t0) / steps
        ncap.reset()
        t0 = time.perf_counter()
        for x in inputs:
            ncap(x).numpy()
        alone = (time.perf_counter() - t0) / steps
    env.close()
    return loop * 1e6, alone * 1e6


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--episodes", type=int, default=2)
    args = ap.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; library {animat.library_path()}")
    cli, exp, env = [], [], []
    acts = native_actions(args.episodes)
    sides = [lambda: cli_rate(args.episodes), lambda: experiment_rate(args.episodes),
             lambda: env_rate(args.episodes, acts)]
    for r in range(args.rounds):
        for k in ([0, 1, 2] if r % 2 == 0 else [2, 1, 0]):
            [cli, exp, env][k].append(sides[k]())
    c, x, e = (statistics.median(v) for v in (cli, exp, env))
    print(f"animat run (CLI)            {c:10.0f} steps/s")
    print(f"Experiment.step() (Python)  {x:10.0f} steps/s  {100 * x / c:5.1f}% of the CLI")
    print(f"Env.step(action) (Python)   {e:10.0f} steps/s  {100 * e / c:5.1f}% of the CLI")
    cc, cx, ce = (1e6 * statistics.median(CPU[k]) for k in ("cli", "experiment", "env"))
    print(f"CPU time per step: CLI {cc:.1f} us, Experiment.step {cx:.1f} us ({100 * cc / cx:.1f}% of its rate), "
          f"Env.step {ce:.1f} us ({100 * cc / ce:.1f}%)")
    for n in (8, 32):  # the batch's serial part (Python, the hand-over) weighs less with more worlds
        one, two = [], []
        for r in range(args.rounds):
            for t in ([1, 2] if r % 2 == 0 else [2, 1]):
                (one if t == 1 else two).append(vector_rate(t, 4000 // n, num_envs=n))
        a, b = statistics.median(one), statistics.median(two)
        print(f"VectorEnv({n}) 1 thread {'':{5 - len(str(n))}}{a:10.0f} steps/s")
        print(f"VectorEnv({n}) 2 threads{'':{5 - len(str(n))}}{b:10.0f} steps/s  {b / a:5.2f}x  "
              f"({statistics.median(SWITCHES[(2, n)]):.2f} voluntary context switches per step call)")
    try:
        loop, alone = torch_rates(2000)
        print(f"torch NCAP driving animat   {loop:10.1f} us/step (module + body + Env.step)")
        print(f"torch NCAP module alone     {alone:10.1f} us/step")
    except ImportError:
        print("torch NCAP: skipped (python3-torch not installed)")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
