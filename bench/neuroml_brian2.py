#!/usr/bin/python3
"""neuroml_brian2.py -- fidelity of the neuroml circuit against Brian2 on a
c302 level-A network (iafCell, expTwoSynapse, pulseGenerator inputs).

The Brian2 model is built here from the NeuroML file with xml.etree,
independently of animat's loader: per cell dv/dt = (gL (EL - v) + I)/C,
per expTwoSynapse type k state variables A_k, B_k on the postsynaptic cell
(tauRise, tauDecay decays; a spike adds weight x waveform factor to both),
I = sum_k gbase_k (B_k - A_k)(erev_k - v) + pulses; threshold v > thresh,
reset v = reset. Both sides step with the same 3-stage Runge-Kutta tableau
(GSL's rk2, written out as a Brian2 ExplicitStateUpdater) at the same dt.

    /usr/bin/python3 bench/neuroml_brian2.py build/bench/bench_neuroml \
        circuits/neuroml/neuroml-data/c302_A_Oscillator.net.nml [--seconds 1]

prints spike counts per cell from both, the largest spike-count difference,
the largest voltage difference over all cells and the sampled times (every
0.5 ms), and the spike-time differences.
"""
import argparse
import math
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np

UNITS = {"V": 1, "mV": 1e-3, "s": 1, "ms": 1e-3, "F": 1, "pF": 1e-12, "nF": 1e-9, "S": 1, "nS": 1e-9, "pS": 1e-12,
         "A": 1, "nA": 1e-9, "pA": 1e-12}


def q(text):
    text = text.strip()
    i = len(text)
    while i and not (text[i - 1].isdigit() or text[i - 1] == "."):
        i -= 1
    return float(text[:i]) * UNITS[text[i:].strip()]


def parse(path):
    ns = "{http://www.neuroml.org/schema/neuroml2}"
    root = ET.parse(path).getroot()
    cells, syns, pulses = {}, {}, {}
    for e in root:
        tag = e.tag.replace(ns, "")
        if tag == "iafCell":
            cells[e.get("id")] = {k: q(e.get(k)) for k in ("C", "leakConductance", "leakReversal", "thresh", "reset")}
        elif tag == "expTwoSynapse":
            syns[e.get("id")] = {k: q(e.get(k)) for k in ("gbase", "erev", "tauRise", "tauDecay")}
        elif tag == "pulseGenerator":
            pulses[e.get("id")] = {k: q(e.get(k)) for k in ("delay", "duration", "amplitude")}
        elif tag == "network" or tag == "notes":
            pass
        else:
            sys.exit(f"{path}: <{tag}> is not level A (iafCell, expTwoSynapse, pulseGenerator); this script "
                     "builds level-A networks only")
        if tag == "iafCell" and e.get("type"):
            sys.exit(f"{path}: <iafCell type={e.get('type')!r}> is not level A")
    net = root.find(ns + "network")
    for e in net:
        tag = e.tag.replace(ns, "")
        if tag not in ("population", "projection", "inputList", "property", "notes"):
            sys.exit(f"{path}: <{tag}> in the network is not level A; this script builds level-A networks only")
    names, ctype, conns, inputs = [], [], [], []
    for p in net.findall(ns + "population"):
        assert p.get("size") == "1", "this script handles c302's one-cell populations"
        names.append(p.get("id"))
        ctype.append(p.get("component"))
    idx = {n: i for i, n in enumerate(names)}
    cell_of = lambda ref: idx[ref.split("/")[1]]
    for pr in net.findall(ns + "projection"):
        for c in list(pr):
            w = float(c.get("weight", "1"))
            conns.append((cell_of(c.get("preCellId")), cell_of(c.get("postCellId")), pr.get("synapse"), w))
    for il in net.findall(ns + "inputList"):
        for inp in il:
            inputs.append((cell_of(inp.get("target")), il.get("component")))
    return names, ctype, cells, syns, pulses, conns, inputs


def run_brian(model, seconds, dt):
    import brian2 as b2
    b2.prefs.codegen.target = "numpy"
    names, ctype, cells, syns, pulses, conns, inputs = model
    used = sorted({c[2] for c in conns})
    n = len(names)
    eqs = ("dv/dt = (gleak*(eleak - v) + isyn + iinp)/cmem : volt\n"
           "gleak : siemens\neleak : volt\ncmem : farad\nvth : volt\nvrs : volt\n")
    isyn = []
    for k, s in enumerate(used):
        p = syns[s]
        eqs += f"dA{k}/dt = -A{k}/({p['tauRise']}*second) : 1\ndB{k}/dt = -B{k}/({p['tauDecay']}*second) : 1\n"
        isyn.append(f"{p['gbase']}*siemens*(B{k} - A{k})*({p['erev']}*volt - v)")
    npulse = max([sum(1 for i in inputs if i[0] == c) for c in range(n)] + [1])
    iinp = []
    for m in range(npulse):
        eqs += f"amp{m} : amp\non{m} : second\noff{m} : second\n"
        iinp.append(f"amp{m}*int(t >= on{m})*int(t < off{m})")
    eqs += "isyn = " + (" + ".join(isyn) if isyn else "0*amp") + " : amp\n"
    eqs += "iinp = " + " + ".join(iinp) + " : amp\n"
    rk = b2.ExplicitStateUpdater("k1 = dt*f(x,t)\nk2 = dt*f(x+k1/2,t+dt/2)\nk3 = dt*f(x-k1+2*k2,t+dt)\n"
                                 "x_new = x+k1/6+2*k2/3+k3/6")
    G = b2.NeuronGroup(n, eqs, threshold="v > vth", reset="v = vrs", method=rk, dt=dt * b2.second)
    for i, c in enumerate(ctype):
        p = cells[c]
        G.gleak[i] = p["leakConductance"] * b2.siemens
        G.eleak[i] = p["leakReversal"] * b2.volt
        G.cmem[i] = p["C"] * b2.farad
        G.vth[i] = p["thresh"] * b2.volt
        G.vrs[i] = p["reset"] * b2.volt
        G.v[i] = p["leakReversal"] * b2.volt
    slot = [0] * n
    for cell, pid in inputs:
        p, m = pulses[pid], slot[cell]
        getattr(G, f"amp{m}")[cell] = p["amplitude"] * b2.amp
        getattr(G, f"on{m}")[cell] = p["delay"] * b2.second
        getattr(G, f"off{m}")[cell] = (p["delay"] + p["duration"]) * b2.second
        slot[cell] += 1
    objs = [G]
    for k, s in enumerate(used):
        p = syns[s]
        tp = math.log(p["tauDecay"] / p["tauRise"]) * p["tauRise"] * p["tauDecay"] / (p["tauDecay"] - p["tauRise"])
        factor = 1 / (-math.exp(-tp / p["tauRise"]) + math.exp(-tp / p["tauDecay"]))
        cs = [c for c in conns if c[2] == s]
        on_pre = f"A{k}_post += w*{factor!r}\nB{k}_post += w*{factor!r}"
        S = b2.Synapses(G, G, "w : 1", on_pre=on_pre, dt=dt * b2.second)
        S.connect(i=np.array([c[0] for c in cs]), j=np.array([c[1] for c in cs]))
        S.w = np.array([c[3] for c in cs])
        objs.append(S)
    sp = b2.SpikeMonitor(G)
    vm = b2.StateMonitor(G, "v", record=True, dt=5e-4 * b2.second)
    net = b2.Network(*objs, sp, vm)
    net.run(seconds * b2.second)
    counts = np.array(sp.count[:], dtype=float)
    times = {names[i]: np.array(sp.spike_trains()[i] / b2.second) for i in range(n)}
    return counts, times, np.array(vm.t / b2.second), np.array(vm.v / b2.volt)


def run_animat(exe, path, seconds, dt):
    out = subprocess.run([exe, path, str(seconds), str(dt)], check=True, capture_output=True, text=True).stdout
    counts, times, vt, vv = {}, {}, [], []
    for line in out.splitlines():
        f = line.split()
        if f[0] == "count":
            counts[f[1]] = float(f[2])
        elif f[0] == "spike":
            times.setdefault(f[1], []).append(float(f[2]))
        elif f[0] == "v":
            vt.append(float(f[1]))
            vv.append([float(x) for x in f[2:]])
    return counts, times, np.array(vt), np.array(vv).T


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("exe")
    ap.add_argument("nml")
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--dt", type=float, default=5e-5)
    a = ap.parse_args()
    model = parse(a.nml)
    names = model[0]
    bc, bt, btv, bv = run_brian(model, a.seconds, a.dt)
    ac, at, atv, av = run_animat(a.exe, a.nml, a.seconds, a.dt)
    print(f"{'cell':8s} {'animat':>7s} {'brian2':>7s}")
    worst = 0
    for i, nme in enumerate(names):
        print(f"{nme:8s} {ac[nme]:7.0f} {bc[i]:7.0f}")
        worst = max(worst, abs(ac[nme] - bc[i]))
    m = min(av.shape[1], bv.shape[1])
    # Brian2's StateMonitor samples at the start of each step, animat's line follows the step: align on times
    bi = np.searchsorted(btv, atv[:m] - 1e-9)
    ok = bi < bv.shape[1]
    dv = np.abs(av[:, :m][:, ok] - bv[:, bi[ok]])
    # Brian2 stamps a spike with the start of the step that crossed; animat with the crossing
    # interpolated inside that step: compare the steps (animat's time -> its step index)
    dts = [abs(math.ceil(x / a.dt - 1e-6) - 1 - round(y / a.dt)) for nme in names
           for x, y in zip(at.get(nme, []), bt[nme])]
    print(f"spikes: animat {sum(ac.values()):.0f}, brian2 {bc.sum():.0f}; "
          f"largest per-cell count difference {worst:.0f}")
    print(f"spike steps: largest difference {max(dts) if dts else 0} steps of {a.dt} s over {len(dts)} paired spikes")
    print(f"voltage: largest |difference| {dv.max():.3g} V, 99.9th percentile {np.percentile(dv, 99.9):.3g} V, "
          f"median {np.median(dv):.3g} V over {dv.size} samples (0.5 ms apart)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
