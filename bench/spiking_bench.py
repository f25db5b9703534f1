#!/usr/bin/python3
"""spiking_bench.py -- the spiking circuit (bench_spiking, driven through the
plugin ABI) against Brian2 (Debian python3-brian):

1. spike times: every Izhikevich (2003) and AdEx (Naud et al. 2008) preset
   as a lone neuron under its reference current for 500 ms at dt = 0.1 ms,
   forward Euler on both sides. Brian2 stamps a spike with the start of the
   step whose update crossed threshold; animat reports the interpolated
   crossing inside that step, so the same trajectory gives
   0 <= t_animat - t_brian <= dt for every spike (to 1e-9 ms of rounding);
   exit 1 unless the counts agree and every spike of the first 400 ms does
   (later, rounding differences can move one crossing by a step: FS at 414 ms).
2. gap junctions: two Izhikevich RS (I 10 and 10.5, g 0.05) or AdEx tonic
   (500 and 525 pA, g 20 nS) neurons joined by one gap junction, uncoupled
   and coupled, 500 ms: Brian2 adds g (v_pre - v_post) as a summed variable
   (its value at the step's start, as animat); the same within-one-step
   criterion for every spike of both neurons.
3. runtime: 302-neuron networks (Izhikevich RS / AdEx tonic, random wiring
   p = 0.077 without self-connections, 20% inhibitory, exponential 5 ms
   current synapses, constant drive), 1 s at dt = 0.1 ms, in animat, Brian2
   runtime and (with --standalone) Brian2 C++ standalone. Both sides draw
   their own random instance with these statistics; construction and code
   generation are not timed.

    /usr/bin/python3 bench/spiking_bench.py build/bench/bench_spiking [--seeds 3] [--standalone]
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

DT_MS = 0.1
HORIZON_MS = 400.0  # rounding differences (Brian2 computes dt * f / ms) can later move a crossing by a step
IZH = {"RS": (0.02, 0.2, -65, 8), "IB": (0.02, 0.2, -55, 4), "CH": (0.02, 0.2, -50, 2), "FS": (0.1, 0.2, -65, 2),
       "LTS": (0.02, 0.25, -65, 2), "TC": (0.02, 0.25, -65, 0.05), "RZ": (0.1, 0.26, -65, 2)}
# C pF, gL nS, EL mV, VT mV, DT mV, a nS, tau_w ms, b pA, Vr mV, I pA (Naud et al. 2008, Table 1)
ADEX = {"tonic": (200, 10, -70, -50, 2, 2, 30, 0, -58, 500), "adapting": (200, 12, -70, -50, 2, 2, 300, 60, -58, 500),
        "init_burst": (130, 18, -58, -50, 2, 4, 150, 120, -50, 400),
        "bursting": (200, 10, -58, -50, 2, 2, 120, 100, -46, 210),
        "delayed": (200, 12, -70, -50, 2, -10, 300, 0, -58, 300)}
N, P, SECONDS = 302, 0.077, 1.0
NET = {"izhikevich": {"w": 1.0, "bias": 5.0}, "adex": {"w": 10.0, "bias": 300.0}}


def animat_single(exe, preset):
    out = subprocess.run([exe, "single", preset, "--ms", "500"], check=True, capture_output=True, text=True).stdout
    return [float(x) for x in re.findall(r"spike ([0-9.]+)", out)]


def brian_single(preset):
    import brian2 as b2
    b2.start_scope()
    b2.defaultclock.dt = DT_MS * b2.ms
    if preset in IZH:
        ns = dict(zip("abcd", IZH[preset]), I=10.0)
        eqs = """dv/dt = (0.04*v**2 + 5*v + 140 - u + I)/ms : 1
                 du/dt = a*(b*v - u)/ms : 1"""
        g = b2.NeuronGroup(1, eqs, threshold="v >= 30", reset="v = c; u += d", method="euler",
                           namespace=ns)
        g.v = -65
        g.u = ns["b"] * -65
    else:
        units = (b2.pF, b2.nS, b2.mV, b2.mV, b2.mV, b2.nS, b2.ms, b2.pA, b2.mV, b2.pA)
        keys = ("C", "gl", "el", "vt", "dT", "a", "tw", "bb", "vr", "I")
        ns = {k: v * u for k, v, u in zip(keys, ADEX[preset], units)}
        eqs = """dvm/dt = (gl*(el - vm) + gl*dT*exp((vm - vt)/dT) + I - w)/C : volt
                 dw/dt = (a*(vm - el) - w)/tw : amp"""
        g = b2.NeuronGroup(1, eqs, threshold="vm > 0*mV", reset="vm = vr; w += bb", method="euler", namespace=ns)
        g.vm = ns["el"]
    mon = b2.SpikeMonitor(g)
    b2.Network(g, mon).run(500 * b2.ms, namespace={})
    return [float(t / b2.ms) for t in mon.t]


def compare_single(exe):
    """Per preset: spike counts and how many spikes lie within one step of
    Brian2's (in order, up to the first that does not). ok: equal counts and
    every spike of the first HORIZON_MS within one step."""
    ok = True
    for preset in list(IZH) + list(ADEX):
        an, br = animat_single(exe, preset), brian_single(preset)
        d = [x - y for x, y in zip(an, br)]
        good = [-1e-9 < e <= DT_MS + 1e-9 for e in d]
        k = good.index(False) if False in good else len(good)
        early = all(g for g, t in zip(good, br) if t < HORIZON_MS)
        ok &= len(an) == len(br) and early
        print("%-10s spikes animat %3d Brian2 %3d; %3d within one step%s; t_animat - t_brian in [%.4f, %.4f] ms%s"
              % (preset, len(an), len(br), k, "" if k == len(good) else " (to %.1f ms)" % br[k],
                 min(d[:k]) if k else 0, max(d[:k]) if k else 0, "" if len(an) == len(br) and early else "  MISMATCH"))
    return ok


GAP = {"RS": (10.0, 0.05), "tonic": (500.0, 20.0)}  # drive (neuron 0 gets 5% more), coupling


def animat_gap(exe, preset, g):
    out = subprocess.run([exe, "gap", preset, "--g", str(g), "--ms", "500"], check=True, capture_output=True,
                         text=True).stdout
    t = [[], []]
    for u, x in re.findall(r"spike (\d) ([0-9.]+)", out):
        t[int(u)].append(float(x))
    return t


def brian_gap(preset, g):
    import brian2 as b2
    b2.start_scope()
    b2.defaultclock.dt = DT_MS * b2.ms
    i0 = GAP[preset][0]
    if preset in IZH:
        ns = dict(zip("abcd", IZH[preset]), gg=g)
        eqs = """dv/dt = (0.04*v**2 + 5*v + 140 - u + I + Igap)/ms : 1
                 du/dt = a*(b*v - u)/ms : 1
                 I : 1
                 Igap : 1"""
        grp = b2.NeuronGroup(2, eqs, threshold="v >= 30", reset="v = c; u += d", method="euler", namespace=ns)
        grp.v = -65
        grp.u = ns["b"] * -65
        grp.I = [1.05 * i0, i0]
        syn = b2.Synapses(grp, grp, "Igap_post = gg*(v_pre - v_post) : 1 (summed)", namespace=ns)
    else:
        units = (b2.pF, b2.nS, b2.mV, b2.mV, b2.mV, b2.nS, b2.ms, b2.pA, b2.mV, b2.pA)
        keys = ("C", "gl", "el", "vt", "dT", "a", "tw", "bb", "vr", "I0")
        ns = {k: v * u for k, v, u in zip(keys, ADEX[preset], units)}
        ns["gg"] = g * b2.nS
        eqs = """dvm/dt = (gl*(el - vm) + gl*dT*exp((vm - vt)/dT) + I + Igap - w)/C : volt
                 dw/dt = (a*(vm - el) - w)/tw : amp
                 I : amp
                 Igap : amp"""
        grp = b2.NeuronGroup(2, eqs, threshold="vm > 0*mV", reset="vm = vr; w += bb", method="euler", namespace=ns)
        grp.vm = ns["el"]
        grp.I = [1.05 * i0 * b2.pA, i0 * b2.pA]
        syn = b2.Synapses(grp, grp, "Igap_post = gg*(vm_pre - vm_post) : amp (summed)", namespace=ns)
    syn.connect(i=[0, 1], j=[1, 0])
    mon = b2.SpikeMonitor(grp)
    b2.Network(grp, syn, mon).run(500 * b2.ms, namespace={})
    tr = mon.spike_trains()
    return [[float(x / b2.ms) for x in tr[k]] for k in (0, 1)]


def compare_gap(exe):
    """Gap-coupled pairs: counts equal and every spike within one step."""
    ok = True
    for preset, (i0, gc) in GAP.items():
        for g in (0.0, gc):
            an, br = animat_gap(exe, preset, g), brian_gap(preset, g)
            d = [x - y for k in (0, 1) for x, y in zip(an[k], br[k])]
            good = len(an[0]) == len(br[0]) and len(an[1]) == len(br[1]) and all(-1e-9 < e <= DT_MS + 1e-9 for e in d)
            lag = abs(an[0][-1] - an[1][-1]) if an[0] and an[1] else float("nan")
            ok &= good
            print("gap %-6s g %-5g spikes animat %d+%d Brian2 %d+%d; t_animat - t_brian in [%.4f, %.4f] ms; "
                  "last lag %.3f ms%s" % (preset, g, len(an[0]), len(an[1]), len(br[0]), len(br[1]), min(d), max(d),
                                          lag, "" if good else "  MISMATCH"))
    return ok


def animat_net(exe, model, seed):
    out = subprocess.run([exe, "net", model, "--seed", str(seed)], check=True, capture_output=True, text=True).stdout
    m = re.search(r"synapses (\d+) .* spikes (\d+) wall ([0-9.]+) s cpu ([0-9.]+) s", out)
    return int(m.group(1)), int(m.group(2)), float(m.group(3)), float(m.group(4))


def brian_net(model, seed, standalone, workdir):
    import brian2 as b2
    if standalone:
        b2.set_device("cpp_standalone", directory=os.path.join(workdir, "%s%d" % (model, seed)), build_on_run=False)
    else:
        b2.set_device("runtime")
    b2.start_scope()
    b2.seed(seed)
    b2.defaultclock.dt = DT_MS * b2.ms
    n_exc = N - int(round(0.2 * N))
    w, bias = NET[model]["w"], NET[model]["bias"]
    if model == "izhikevich":
        eqs = """dv/dt = (0.04*v**2 + 5*v + 140 - u + I + Is)/ms : 1
                 du/dt = 0.02*(0.2*v - u)/ms : 1
                 dIs/dt = -Is/(5*ms) : 1"""
        g = b2.NeuronGroup(N, eqs, threshold="v >= 30", reset="v = -65; u += 8", method="euler",
                           namespace={"I": bias})
        g.v = -65
        g.u = 0.2 * -65
        s = b2.Synapses(g, g, "w : 1", on_pre="Is_post += w", namespace={"w_syn": w, "n_exc": n_exc})
        s.connect(condition="i != j", p=P)
        s.w = "w_syn * (1 - 2 * int(i >= n_exc))"
    else:
        pF, nS, mV, pA, ms = b2.pF, b2.nS, b2.mV, b2.pA, b2.ms
        eqs = """dvm/dt = (10*nS*(-70*mV - vm) + 10*nS*2*mV*exp((vm + 50*mV)/(2*mV)) + I + Is - w)/(200*pF) : volt
                 dw/dt = (2*nS*(vm + 70*mV) - w)/(30*ms) : amp
                 dIs/dt = -Is/(5*ms) : amp"""
        g = b2.NeuronGroup(N, eqs, threshold="vm > 0*mV", reset="vm = -58*mV", method="euler",
                           namespace={"I": bias * pA})
        g.vm = -70 * mV
        s = b2.Synapses(g, g, "w_s : amp", on_pre="Is_post += w_s", namespace={"w_syn": w * pA, "n_exc": n_exc})
        s.connect(condition="i != j", p=P)
        s.w_s = "w_syn * (1 - 2 * int(i >= n_exc))"
    mon = b2.SpikeMonitor(g)
    net = b2.Network(g, s, mon)
    if standalone:
        d = os.path.join(workdir, "%s%d" % (model, seed))
        net.run(SECONDS * b2.second)
        b2.device.build(directory=d, compile=True, run=False)
        c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        b2.device.run(directory=d, with_output=False, run_args=[])
        wall = time.perf_counter() - t0
        c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (c1.ru_utime + c1.ru_stime) - (c0.ru_utime + c0.ru_stime)
        res = len(s), int(mon.num_spikes), wall, cpu
        b2.device.reinit()
        b2.device.activate()
        return res
    net.run(0 * b2.second)
    t0, c0 = time.perf_counter(), time.process_time()
    net.run(SECONDS * b2.second)
    return len(s), int(mon.num_spikes), time.perf_counter() - t0, time.process_time() - c0


def summary(label, rows):
    spikes = [r[1] for r in rows]
    walls, cpus = [r[2] for r in rows], [r[3] for r in rows]
    print("%-34s synapses %5.0f  spikes %8.1f (%.2f Hz)  wall min %.4f s  cpu median %.4f min %.4f s"
          % (label, statistics.mean(r[0] for r in rows), statistics.mean(spikes), statistics.mean(spikes) / N / SECONDS,
             min(walls), statistics.median(cpus), min(cpus)))
    return min(walls), min(cpus)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bench_spiking")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--standalone", action="store_true", help="also Brian2 C++ standalone")
    ap.add_argument("--no-net", action="store_true", help="spike times only")
    a = ap.parse_args()
    import brian2
    brian2.prefs.codegen.target = "numpy"  # lone neurons: no compilation
    print("Brian2 %s" % brian2.__version__)
    ok = compare_single(a.bench_spiking)
    ok &= compare_gap(a.bench_spiking)
    if not a.no_net:
        brian2.prefs.codegen.target = "auto"
        seeds = range(1, a.seeds + 1)
        for model in NET:
            print("%s network: N %d, p %.3f, dt %g ms, %g s, w %g, drive %g; codegen %s"
                  % (model, N, P, DT_MS, SECONDS, NET[model]["w"], NET[model]["bias"], brian2.prefs.codegen.target))
            an = summary("animat %s (plugin ABI)" % model, [animat_net(a.bench_spiking, model, s) for s in seeds])
            with tempfile.TemporaryDirectory() as wd:
                brian_net(model, 100, False, wd)  # warm-up: code generation caches
                br = summary("Brian2 runtime", [brian_net(model, s, False, wd) for s in seeds])
                print("  speed-up vs runtime (minima): %.1fx wall, %.1fx cpu" % (br[0] / an[0], br[1] / an[1]))
                if a.standalone:
                    try:
                        sa = summary("Brian2 C++ standalone", [brian_net(model, s, True, wd) for s in seeds])
                        print("  speed-up vs standalone (minima): %.1fx wall, %.1fx cpu"
                              % (sa[0] / an[0], sa[1] / an[1]))
                    except Exception as e:  # report, do not hide
                        print("Brian2 C++ standalone: did not build/run here: %s" % str(e).splitlines()[0])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
