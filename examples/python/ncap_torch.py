#!/usr/bin/env python3
"""A PyTorch (float64) NCAP circuit driving animat's swimmer through animat.Env.

The module is written from the paper's equations (Bhattasali, Zador & Engel,
NeurIPS 2022: B-neurons driven by the head oscillator or by the previous
joint's proprioception, graded units clamp(x, 0, 1), muscles with
ipsilateral excitation and contralateral inhibition, action = dorsal -
ventral muscle), in the order of operations of circuits/ncap, so that its
returns equal `animat run examples/swimmer-ncap.yaml` bit for bit:

    PYTHONPATH=python /usr/bin/python3 examples/python/ncap_torch.py
    ./build/core/animat run examples/swimmer-ncap.yaml
"""
import math
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import animat  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
EXPERIMENT = os.path.join(HERE, "..", "swimmer-ncap.yaml")


def graded(x):
    """g(x) = clamp(x, 0, 1), with -0.0 passing through as in C."""
    return clamp(x, 0.0, 1.0)


def clamp(x, lo, hi):
    return torch.where(x < lo, torch.full_like(x, lo), torch.where(x > hi, torch.full_like(x, hi), x))


class NCAP(torch.nn.Module):
    """Shared-weight NCAP for n joints: theta = (w_prop, w_osc, w_ipsi, w_contra),
    excitatory weights kept >= 0 and the inhibitory one <= 0."""

    def __init__(self, n_joints, period=60, theta=(1.0, 1.0, 1.0, -1.0)):
        super().__init__()
        self.n, self.period = n_joints, period
        self.theta = torch.nn.Parameter(torch.tensor(theta, dtype=torch.float64))
        self.t = 0

    def reset(self):
        self.t = 0

    def forward(self, angles):
        w_prop, w_osc, w_ipsi = (torch.clamp(self.theta[k], min=0.0) for k in range(3))
        w_contra = torch.clamp(self.theta[3], max=0.0)
        first_half = (self.t % self.period) < self.period // 2
        od, ov = (1.0, 0.0) if first_half else (0.0, 1.0)
        self.t += 1
        unit = 2.0 * math.pi / (self.n + 1)
        q = clamp(angles / unit, -1.0, 1.0)
        qd, qv = clamp(q, 0.0, 1.0), clamp(-q, 0.0, 1.0)
        # B-neuron inputs: the oscillator at the head, joint i-1's proprioception behind it
        xd = torch.cat([torch.tensor([od], dtype=torch.float64), qd[:-1]])
        xv = torch.cat([torch.tensor([ov], dtype=torch.float64), qv[:-1]])
        w_in = torch.cat([w_osc.reshape(1), w_prop.expand(self.n - 1)])
        bd, bv = graded(xd * w_in), graded(xv * w_in)
        md = graded(bd * w_ipsi + bv * w_contra)
        mv = graded(bv * w_ipsi + bd * w_contra)
        return md - mv


def run(episodes=3, seed=None, path=EXPERIMENT):
    """Returns of `episodes` episodes of the swimmer driven by the torch NCAP."""
    env = animat.Env(path, agent="circuit")
    ncap = NCAP(env.action_space.shape[0])
    returns = []
    with torch.no_grad():
        for k in range(episodes):
            obs, _ = env.reset(seed=seed) if k == 0 else env.reset()
            ncap.reset()
            total, done = 0.0, False
            while not done:
                act = ncap(torch.from_numpy(obs)).numpy()
                obs, reward, terminated, truncated, _ = env.step(act)
                total += reward
                done = terminated or truncated
            returns.append(total)
    env.close()
    return returns


if __name__ == "__main__":
    for k, r in enumerate(run()):
        print(f"episode {k + 1}/3  return {r:.3f}")
