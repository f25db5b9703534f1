#!/usr/bin/python3
"""lif_bench.py -- the same LIF network in animat's lif circuit (bench_lif,
driven directly through the plugin ABI) and in Brian2 (runtime mode, and
C++ standalone when it builds here), with spike counts and wall times side
by side.

Network (both sides draw their own random instance with these statistics):
N LIF neurons (tau_m 20 ms, R 1 Mohm, threshold 20 mV, reset/rest 0,
refractory 2 ms), current-based exponential synapses (tau_syn 5 ms),
connection probability p without self-connections (~7,000 synapses at
N = 302), weight w (nA) from the first 80% of neurons and -g_inh w from the
last 20%, integer delays uniform in 1..DMAX steps of dt, and independent
Poisson input into every neuron (rate BG, jump W_EXT nA). dt = 0.1 ms, 1 s.

    /usr/bin/python3 bench/lif_bench.py build/bench/bench_lif [--seeds 3] [--standalone]

Brian2 comes from Debian (apt-get install python3-brian); it is a benchmark
dependency only. Wall times: animat's is the stepping loop; Brian's is the
net.run() call, or for standalone the run of the compiled binary (network
construction and compilation are
excluded). CPU times (process CPU for animat and Brian2 runtime, the child
process's CPU for standalone) are printed too: on a shared machine they are
the steadier figure.
"""
import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time

N, P, SECONDS, DT, BG, W_EXT, W, G_INH, DMAX = 302, 0.077, 1.0, 1e-4, 2000.0, 2.0, 1.0, 4.0, 20


def run_animat(exe, seed):
    out = subprocess.run([exe, "--n", str(N), "--p", str(P), "--seconds", str(SECONDS), "--dt", str(DT),
                          "--substeps", "10", "--bg-rate", str(BG), "--w-ext", str(W_EXT), "--w", str(W),
                          "--g-inh", str(G_INH), "--delay-max", str(DMAX), "--seed", str(seed)],
                         check=True, capture_output=True, text=True).stdout
    m = re.search(r"synapses (\d+) .* spikes (\d+) .* wall ([0-9.]+) s cpu ([0-9.]+) s", out)
    return int(m.group(1)), int(m.group(2)), float(m.group(3)), float(m.group(4))


def run_brian(seed, standalone, workdir):
    import brian2 as b2
    if standalone:
        b2.set_device("cpp_standalone", directory=os.path.join(workdir, "sa%d" % seed), build_on_run=False)
    else:
        b2.set_device("runtime")
    b2.start_scope()
    b2.seed(seed)
    b2.defaultclock.dt = DT * b2.second
    ms, mV, nA, Mohm = b2.ms, b2.mV, b2.nA, b2.Mohm
    t0 = time.perf_counter()
    eqs = """dv/dt = (-v + R*I)/tau_m : volt (unless refractory)
             dI/dt = -I/tau_syn : amp"""
    g = b2.NeuronGroup(N, eqs, threshold="v >= 20*mV", reset="v = 0*mV", refractory=2 * ms,
                       method="exact", namespace={"R": 1 * Mohm, "tau_m": 20 * ms, "tau_syn": 5 * ms})
    n_exc = N - int(round(0.2 * N))
    s = b2.Synapses(g, g, "w : amp", on_pre="I_post += w",
                    namespace={"n_exc": n_exc, "w_syn": W * nA, "g_rel": G_INH, "d_max": DMAX})
    s.connect(condition="i != j", p=P)
    s.w = "w_syn * (1 - (1 + g_rel) * int(i >= n_exc))"
    # animat's delay d (1..DMAX substeps) reaches the target's update in
    # substep t + d; Brian2 delivers a spike of step t with delay D at the
    # end of step t + D, so the same arrival is Brian2's D = d - 1
    s.delay = "int(rand() * d_max) * dt"
    pin = b2.PoissonInput(g, "I", 1, BG * b2.Hz, weight=W_EXT * nA)
    mon = b2.SpikeMonitor(g)
    net = b2.Network(g, s, pin, mon)
    setup = time.perf_counter() - t0
    if standalone:
        net.run(SECONDS * b2.second)
        b2.device.build(directory=os.path.join(workdir, "sa%d" % seed), compile=True, run=False)
        c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        b2.device.run()
        wall = time.perf_counter() - t0
        c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (c1.ru_utime + c1.ru_stime) - (c0.ru_utime + c0.ru_stime)
        spikes = int(mon.num_spikes)
        nsyn = len(s)
        b2.device.reinit()
        b2.device.activate()
        return nsyn, spikes, wall, cpu
    t0, c0 = time.perf_counter(), time.process_time()
    net.run(SECONDS * b2.second)
    return len(s), int(mon.num_spikes), time.perf_counter() - t0, time.process_time() - c0


def summary(label, rows):
    spikes = [r[1] for r in rows]
    walls = [r[2] for r in rows]
    cpus = [r[3] for r in rows]
    mean = statistics.mean(spikes)
    sd = statistics.stdev(spikes) if len(spikes) > 1 else 0.0
    print("%-24s synapses %5.0f  spikes %7.1f +- %5.1f (%.2f Hz)  wall median %.4f s  cpu median %.4f s"
          "  (wall runs: %s)" % (label, statistics.mean(r[0] for r in rows), mean, sd, mean / N / SECONDS,
                                 statistics.median(walls), statistics.median(cpus),
                                 " ".join("%.4f" % w for w in walls)))
    return statistics.median(walls), mean, sd, statistics.median(cpus)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bench_lif")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--standalone", action="store_true", help="also Brian2 C++ standalone")
    a = ap.parse_args()
    import brian2
    print("N %d, p %.3f, dt %g s, %g s simulated, Poisson %g Hz x %g nA; Brian2 %s, codegen target %s"
          % (N, P, DT, SECONDS, BG, W_EXT, brian2.__version__, brian2.prefs.codegen.target))
    seeds = range(1, a.seeds + 1)
    an = summary("animat lif (plugin ABI)", [run_animat(a.bench_lif, s) for s in seeds])
    with tempfile.TemporaryDirectory() as wd:
        run_brian(100, False, wd)  # warm-up: code generation and compilation caches
        br = summary("Brian2 runtime", [run_brian(s, False, wd) for s in seeds])
        sa = None
        if a.standalone:
            try:
                sa = summary("Brian2 C++ standalone", [run_brian(s, True, wd) for s in seeds])
            except Exception as e:  # report, do not hide
                print("Brian2 C++ standalone: did not build/run here: %s" % str(e).splitlines()[0])
    print("speed-up animat vs Brian2 runtime: %.1fx wall, %.1fx cpu" % (br[0] / an[0], br[3] / an[3]))
    if sa:
        print("speed-up animat vs Brian2 C++ standalone: %.1fx wall, %.1fx cpu" % (sa[0] / an[0], sa[3] / an[3]))
    diff = abs(an[1] - br[1])
    pooled = (an[2] ** 2 + br[2] ** 2) ** 0.5
    print("spike count difference %.1f (%.2f%% of Brian2's), pooled run-to-run sd %.1f"
          % (diff, 100.0 * diff / br[1], pooled))


if __name__ == "__main__":
    sys.exit(main())
