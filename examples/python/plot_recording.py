#!/usr/bin/env python3
"""Read an animat recording with animat.Recording and plot it with matplotlib.

    ./build/core/animat run examples/swimmer-ncap.yaml --episodes 1 --record run.h5
    PYTHONPATH=python /usr/bin/python3 examples/python/plot_recording.py run.h5 joints.png
"""
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import animat  # noqa: E402


def plot(path, out, signal="signals/body.obs.joints", episode=0):
    with animat.Recording(path) as rec:
        t = rec["time"]
        y = rec[signal][episode]
        names = rec.attrs(signal).get("names")
        ret = rec["episodes/return"][episode]
    fig, ax = plt.subplots(figsize=(8, 3.5))
    for k in range(y.shape[1]):
        label = names[k] if names is not None and len(names) > k else f"{signal.split('.')[-1]}[{k}]"
        ax.plot(t[:len(y)], y[:, k], lw=0.8, label=str(label))
    ax.set_xlabel("time (s)")
    ax.set_title(f"{os.path.basename(path)}: {signal}, episode {episode + 1} (return {ret:.3f})")
    ax.legend(fontsize=7, ncol=3)
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    return y.shape


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: plot_recording.py RUN.h5 OUT.png")
    print(plot(sys.argv[1], sys.argv[2]))
