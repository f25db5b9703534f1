#!/usr/bin/env python3
"""Train a small tanh MLP policy for the swimmer in PyTorch on animat.VectorEnv.

Evolution strategies with antithetic pairs: each of the num_envs worlds plays
one perturbed copy of the policy for one episode (all worlds stepped together
by C threads), and torch's Adam follows the ES gradient estimate. The
program plays the experiment's `circuit` instance in place of the NCAP, so
the policy sees the NCAP's inputs (joint angles) and drives its outputs
(muscles, bounded in [-1, 1]).

    PYTHONPATH=python /usr/bin/python3 examples/python/mlp_vector_es.py --epochs 5 --threads 2
"""
import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import animat  # noqa: E402

EXPERIMENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "swimmer-ncap.yaml")


class Population(torch.nn.Module):
    """P copies of a one-hidden-layer tanh MLP evaluated in one batched pass."""

    def __init__(self, n_in, n_hidden, n_out):
        super().__init__()
        self.shapes = [(n_in, n_hidden), (n_hidden,), (n_hidden, n_out), (n_out,)]
        self.size = sum(int(np.prod(s)) for s in self.shapes)

    def forward(self, flat, obs):
        """flat: (P, size) parameters; obs: (P, n_in) -> (P, n_out) actions in [-1, 1]."""
        parts, k = [], 0
        for s in self.shapes:
            n = int(np.prod(s))
            parts.append(flat[:, k:k + n].reshape(flat.shape[0], *s))
            k += n
        w1, b1, w2, b2 = parts
        h = torch.tanh(torch.bmm(obs.unsqueeze(1), w1).squeeze(1) + b1)
        return torch.tanh(torch.bmm(h.unsqueeze(1), w2).squeeze(1) + b2)


def evaluate(venv, pop, flat, seed):
    """One episode per world with world i playing flat[i]; returns (P,) episode returns."""
    obs, _ = venv.reset(seed=seed)
    total = np.zeros(venv.num_envs)
    done = np.zeros(venv.num_envs, dtype=bool)
    with torch.no_grad():
        while not done.all():
            act = pop(flat, torch.from_numpy(obs)).numpy()
            obs, rew, term, trunc, _ = venv.step(act)
            total += np.where(done, 0.0, rew)
            done |= term | trunc
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--population", type=int, default=8, help="worlds per epoch (even)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=200, help="control steps per episode")
    ap.add_argument("--sigma", type=float, default=0.1)
    args = ap.parse_args()
    torch.manual_seed(0)
    venv = animat.VectorEnv(EXPERIMENT, num_envs=args.population, threads=args.threads,
                            set={"run.max_steps": args.steps})
    n_in, n_out = venv.single_observation_space.shape[0], venv.single_action_space.shape[0]
    pop = Population(n_in, 16, n_out)
    theta = torch.nn.Parameter(0.1 * torch.randn(pop.size, dtype=torch.float64))
    opt = torch.optim.Adam([theta], lr=0.05)
    half = args.population // 2
    for epoch in range(args.epochs):
        eps = torch.randn(half, pop.size, dtype=torch.float64)
        noise = torch.cat([eps, -eps])
        returns = evaluate(venv, pop, theta.detach() + args.sigma * noise, seed=epoch)
        r = torch.from_numpy((returns - returns.mean()) / (returns.std() + 1e-8))
        opt.zero_grad()
        theta.grad = -(r[:, None] * noise).mean(0) / args.sigma
        opt.step()
        centre = evaluate(venv, pop, theta.detach().expand(args.population, -1), seed=1000)[0]
        print(f"epoch {epoch + 1}/{args.epochs}  population mean {returns.mean():.3f}  policy {centre:.3f}")
    venv.close()


if __name__ == "__main__":
    main()
