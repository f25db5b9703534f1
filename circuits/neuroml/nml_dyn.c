/* nml_dyn.c -- the dynamics of an nml_net (see nml_dyn.h for the model and
 * the contract). Equations, per NeuroML2's component definitions:
 *   iafCell:      C dv/dt = gL (EL - v) + I;     v > thresh: v = reset
 *   iafRefCell:   as iafCell, v held at reset for `refract` after a spike
 *   iafActivityCell (c302 cell_B.xml): as iafCell, v starts at reset, and
 *                 d act/dt = ((v - reset)/(thresh - reset) - act)/tau1, act >= 0
 *   izhikevich2007Cell: C dv/dt = k (v - vr)(v - vt) - u + I,
 *                 du/dt = a (b (v - vr) - u);    v > vpeak: v = c, u += d
 *   expTwoSynapse: g = gbase (B - A), dA/dt = -A/tauRise, dB/dt = -B/tauDecay,
 *                 a spike adds weight x factor to A and B (factor: peak 1)
 *   expOneSynapse: g = gbase B, dB/dt = -B/tauDecay, a spike adds weight
 *   both:         I += g (erev - v)
 *   gapJunction:  I += weight conductance (v_peer - v), on both cells
 *   gradedSynapse: inf = 1/(1 + exp((Vth - v_pre)/delta)), ds/dt = k (inf - s)/(1 - inf),
 *                 I_post += weight conductance s (erev - v_post)
 *   pulseGenerator: I += weight amplitude for delay <= t < delay + duration
 *                 (edges to within NML_T_EPS)
 */
#include "nml_dyn.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>


/* Time comparisons (pulse edges) forgive this much (s): time is a sum of
 * substeps, and 2000 x 5e-5 must count as the 100 ms a pulse starts at. */
#define NML_T_EPS 1e-9

/* Offsets into y: v[n], u[n], act[n], A[n_ch], B[n_ch], s[n_graded]. */
static size_t off_u(const nml_sim *s) { return s->n; }
static size_t off_act(const nml_sim *s) { return 2u * (size_t)s->n; }
static size_t off_a(const nml_sim *s) { return 3u * (size_t)s->n; }
static size_t off_b(const nml_sim *s) { return 3u * (size_t)s->n + s->n_ch; }
static size_t off_s(const nml_sim *s) { return 3u * (size_t)s->n + 2u * (size_t)s->n_ch; }

/* Synaptic, gap, graded and pulse currents into cur[n] (A) at time t. */
static void nml_currents(const nml_sim *s, double t, const double *y, double *cur, double *dy) {
    const nml_net *net = s->net;
    const double *v = y, *A = y + off_a(s), *B = y + off_b(s), *gs = y + off_s(s);
    double *dA = dy + off_a(s), *dB = dy + off_b(s), *ds = dy + off_s(s);
    memset(cur, 0, s->n * sizeof *cur);
    for (uint32_t c = 0; c < s->n_ch; c++) {
        const double *q = s->ch_par + 4u * (size_t)c; /* expOne: A stays 0 (1/tauRise = 0, no increments) */
        uint32_t post = s->ch_post[c];
        cur[post] += q[0] * (B[c] - A[c]) * (q[1] - v[post]);
        dA[c] = -A[c] * q[2];
        dB[c] = -B[c] * q[3];
    }
    for (uint32_t k = 0; k < net->n_gap; k++) {
        const nml_conn *q = &net->gap[k];
        double i = q->weight * net->syn_types[q->syn].g * (v[q->pre] - v[q->post]);
        cur[q->post] += i;
        cur[q->pre] -= i;
    }
    for (uint32_t k = 0; k < net->n_graded; k++) {
        const nml_conn *q = &net->graded[k];
        const nml_syn_type *st = &net->syn_types[q->syn];
        if (st->kind != NML_GRADED) {
            ds[k] = 0.0;
            continue;
        }
        double inf = 1.0 / (1.0 + exp((st->vth - v[q->pre]) / st->delta));
        ds[k] = inf < 1.0 ? st->k * (inf - gs[k]) / (1.0 - inf) : st->k * (inf - gs[k]) * 1e12;
        cur[q->post] += q->weight * st->g * gs[k] * (st->erev - v[q->post]);
    }
    for (uint32_t k = 0; k < net->n_inputs; k++) {
        const nml_pulse *p = &net->pulses[net->inputs[k].pulse];
        if (t >= p->delay - NML_T_EPS && t < p->delay + p->duration - NML_T_EPS)
            cur[net->inputs[k].cell] += net->inputs[k].weight * p->amplitude;
    }
}

/* GSL right-hand side. The dv slots first hold the currents. */
static int nml_rhs(double t, const double y[], double dydt[], void *params) {
    const nml_sim *s = params;
    const nml_net *net = s->net;
    double *cur = dydt;
    nml_currents(s, t, y, cur, dydt);
    const double *u = y + off_u(s), *act = y + off_act(s);
    double *du = dydt + off_u(s), *dact = dydt + off_act(s);
    for (uint32_t i = 0; i < s->n; i++) {
        const nml_cell_type *c = &net->cell_types[net->type[i]];
        double v = y[i];
        du[i] = dact[i] = 0.0;
        if (c->kind == NML_IZH) {
            dydt[i] = (c->k * (v - c->vr) * (v - c->vt) - u[i] + cur[i]) / c->C;
            du[i] = c->a * (c->b * (v - c->vr) - u[i]);
            continue;
        }
        dydt[i] = (c->g_leak * (c->e_leak - v) + cur[i]) / c->C;
        if (c->kind == NML_IAFREF && t < s->refr_until[i]) dydt[i] = 0.0;
        if (c->kind == NML_IAFACT) dact[i] = ((v - c->reset) / (c->thresh - c->reset) - act[i]) / c->tau1;
    }
    return GSL_SUCCESS;
}

/* Channels: one per (post cell, synapse type) that a connection uses,
 * found by sorting the connections' keys. Fills ch_* and each chemical
 * connection's channel into chan[]. 0 or -1. */
static int nml_channels(nml_sim *s, uint32_t *chan) {
    const nml_net *net = s->net;
    uint32_t n_types = net->n_syn_types ? net->n_syn_types : 1u;
    uint32_t *first = malloc((size_t)s->n * n_types * sizeof *first);
    if (!first) return -1;
    for (size_t k = 0; k < (size_t)s->n * n_types; k++) first[k] = UINT32_MAX;
    s->n_ch = 0;
    for (uint32_t k = 0; k < net->n_chem; k++) {
        size_t key = (size_t)net->chem[k].post * n_types + net->chem[k].syn;
        if (first[key] == UINT32_MAX) first[key] = s->n_ch++;
        chan[k] = first[key];
    }
    s->ch_post = malloc((s->n_ch + 1u) * sizeof *s->ch_post);
    s->ch_syn = malloc((s->n_ch + 1u) * sizeof *s->ch_syn);
    s->ch_par = malloc(4u * (s->n_ch + 1u) * sizeof *s->ch_par);
    if (s->ch_post && s->ch_syn && s->ch_par)
        for (uint32_t k = 0; k < net->n_chem; k++) {
            const nml_syn_type *st = &net->syn_types[net->chem[k].syn];
            double *q = s->ch_par + 4u * (size_t)chan[k];
            s->ch_post[chan[k]] = net->chem[k].post;
            s->ch_syn[chan[k]] = net->chem[k].syn;
            q[0] = st->g;
            q[1] = st->erev;
            q[2] = st->kind == NML_EXPTWO ? 1.0 / st->tau_rise : 0.0;
            q[3] = 1.0 / st->tau_decay;
        }
    free(first);
    return s->ch_post && s->ch_syn && s->ch_par ? 0 : -1;
}

/* CSR by presynaptic cell: channel, weight x factor and delay per slot. */
static int nml_csr(nml_sim *s, const uint32_t *chan, double h) {
    const nml_net *net = s->net;
    size_t m = net->n_chem + 1u;
    s->row = calloc(s->n + 1u, sizeof *s->row);
    s->c_ch = malloc(m * sizeof *s->c_ch);
    s->c_del = malloc(m * sizeof *s->c_del);
    s->c_w = malloc(m * sizeof *s->c_w);
    if (!s->row || !s->c_ch || !s->c_del || !s->c_w) return -1;
    for (uint32_t k = 0; k < net->n_chem; k++) s->row[net->chem[k].pre + 1u]++;
    for (uint32_t i = 0; i < s->n; i++) s->row[i + 1u] += s->row[i];
    uint32_t max_d = 0;
    uint32_t *fill = calloc(s->n + 1u, sizeof *fill);
    if (!fill) return -1;
    for (uint32_t k = 0; k < net->n_chem; k++) {
        const nml_conn *q = &net->chem[k];
        uint32_t slot = s->row[q->pre] + fill[q->pre]++;
        double d = floor(q->delay / h + 0.5);
        s->c_ch[slot] = chan[k];
        s->c_del[slot] = d > 1e6 ? 1000000u : (uint32_t)d;
        s->c_w[slot] = q->weight * net->syn_types[q->syn].factor;
        if (s->c_del[slot] > max_d) max_d = s->c_del[slot];
    }
    free(fill);
    s->ring_len = max_d + 2u;
    s->ring = calloc((size_t)s->ring_len * (s->n_ch + 1u), sizeof *s->ring);
    return s->ring ? 0 : -1;
}

int nml_sim_alloc(nml_sim *s, const nml_net *net, double h, uint32_t max_substeps) {
    memset(s, 0, sizeof *s);
    s->net = net;
    s->n = net->n;
    uint32_t *chan = malloc((net->n_chem + 1u) * sizeof *chan);
    if (!chan || nml_channels(s, chan) || nml_csr(s, chan, h)) {
        free(chan);
        return -1;
    }
    free(chan);
    s->n_y = 3u * s->n + 2u * s->n_ch + net->n_graded;
    s->y = calloc(s->n_y, sizeof *s->y);
    s->yerr = calloc(s->n_y, sizeof *s->yerr);
    s->vprev = calloc(s->n, sizeof *s->vprev);
    s->refr_until = calloc(s->n, sizeof *s->refr_until);
    s->count = calloc(s->n, sizeof *s->count);
    s->rate = calloc(s->n, sizeof *s->rate);
    s->ev_cap = (uint32_t)((uint64_t)s->n * max_substeps > UINT32_MAX ? UINT32_MAX : (uint64_t)s->n * max_substeps);
    s->ev = calloc(s->ev_cap, sizeof *s->ev);
    s->stepper = gsl_odeiv2_step_alloc(gsl_odeiv2_step_rk2, s->n_y);
    s->sys = (gsl_odeiv2_system){nml_rhs, NULL, s->n_y, s};
    if (!s->y || !s->yerr || !s->vprev || !s->refr_until || !s->count || !s->rate || !s->ev || !s->stepper)
        return -1;
    nml_sim_reset(s);
    return 0;
}

void nml_sim_free(nml_sim *s) {
    if (s->stepper) gsl_odeiv2_step_free(s->stepper);
    void *p[] = {s->ch_post, s->ch_syn, s->ch_par, s->row, s->c_ch, s->c_del, s->c_w, s->ring, s->y,
                 s->yerr,    s->vprev,  s->refr_until, s->count, s->rate, s->ev};
    for (size_t k = 0; k < sizeof p / sizeof p[0]; k++) free(p[k]);
    memset(s, 0, sizeof *s);
}

void nml_sim_reset(nml_sim *s) {
    const nml_net *net = s->net;
    memset(s->y, 0, s->n_y * sizeof *s->y);
    for (uint32_t i = 0; i < s->n; i++) {
        const nml_cell_type *c = &net->cell_types[net->type[i]];
        s->y[i] = c->kind == NML_IZH ? c->v0 : c->kind == NML_IAFACT ? c->reset : c->e_leak;
    }
    memset(s->ring, 0, (size_t)s->ring_len * (s->n_ch + 1u) * sizeof *s->ring);
    memset(s->refr_until, 0, s->n * sizeof *s->refr_until);
    memset(s->count, 0, s->n * sizeof *s->count);
    memset(s->rate, 0, s->n * sizeof *s->rate);
    s->ring_pos = 0;
    s->t = 0.0;
    s->n_ev = 0;
    gsl_odeiv2_step_reset(s->stepper);
}

/* Cell i after a substep ending at t_end: clamps, threshold crossing
 * (1 with the crossing's time in *frac of the substep), reset. */
static int nml_cell_after(nml_sim *s, uint32_t i, double t_end, double *frac) {
    const nml_cell_type *c = &s->net->cell_types[s->net->type[i]];
    double *v = &s->y[i];
    if (c->kind == NML_IAFACT && s->y[off_act(s) + i] < 0.0) s->y[off_act(s) + i] = 0.0;
    if (!(*v > c->thresh)) return 0;
    double dv = *v - s->vprev[i];
    *frac = dv > 0.0 ? (c->thresh - s->vprev[i]) / dv : 1.0;
    if (*frac < 0.0 || *frac > 1.0) *frac = 1.0;
    *v = c->reset;
    if (c->kind == NML_IZH) s->y[off_u(s) + i] += c->d;
    if (c->kind == NML_IAFREF) s->refr_until[i] = t_end + c->refract;
    return 1;
}

/* Deliver cell i's output `out` to its channels after their delays. */
static void nml_deliver(nml_sim *s, uint32_t i, double out) {
    for (uint32_t k = s->row[i]; k < s->row[i + 1u]; k++) {
        uint32_t slot = (s->ring_pos + 1u + s->c_del[k]) % s->ring_len;
        s->ring[(size_t)slot * (s->n_ch + 1u) + s->c_ch[k]] += s->c_w[k] * out;
    }
}

/* Apply this substep's pending increments to A and B, then clear them. */
static void nml_arrivals(nml_sim *s) {
    double *slot = s->ring + (size_t)s->ring_pos * (s->n_ch + 1u);
    double *A = s->y + off_a(s), *B = s->y + off_b(s);
    for (uint32_t c = 0; c < s->n_ch; c++) {
        if (slot[c] == 0.0) continue;
        if (s->ch_par[4u * (size_t)c + 2u] != 0.0) A[c] += slot[c]; /* expTwo; expOne has no A */
        B[c] += slot[c];
        slot[c] = 0.0;
    }
}

/* Sort events [from, n_ev) by time (ties stay in unit order): the spikes
 * of one substep, few; insertion sort, no allocation. */
static void nml_sort_events(nml_sim *s, uint32_t from) {
    for (uint32_t a = from + 1u; a < s->n_ev; a++) {
        animat_spike_event e = s->ev[a];
        uint32_t b = a;
        for (; b > from && s->ev[b - 1u].t > e.t; b--) s->ev[b] = s->ev[b - 1u];
        s->ev[b] = e;
    }
}

int nml_sim_run(nml_sim *s, uint32_t nsub, double h, const cu_units *u, double decay, double gain) {
    memset(s->count, 0, s->n * sizeof *s->count);
    s->n_ev = 0;
    for (uint32_t k = 0; k < nsub; k++) {
        nml_arrivals(s);
        memcpy(s->vprev, s->y, s->n * sizeof *s->vprev);
        int st = gsl_odeiv2_step_apply(s->stepper, s->t, h, s->y, s->yerr, NULL, NULL, &s->sys);
        if (st != GSL_SUCCESS) return st;
        s->t += h;
        uint32_t first = s->n_ev;
        for (uint32_t i = 0; i < s->n; i++) {
            double frac = 1.0;
            int spk = nml_cell_after(s, i, s->t, &frac);
            double out = cu_apply(u, i, spk ? 1.0 : 0.0);
            s->rate[i] = s->rate[i] * decay + out * gain;
            if (out == 0.0) continue;
            nml_deliver(s, i, out);
            s->count[i] += out;
            if (s->n_ev < s->ev_cap) s->ev[s->n_ev++] = (animat_spike_event){i, 0, ((double)k + frac) * h};
        }
        nml_sort_events(s, first);
        s->ring_pos = (s->ring_pos + 1u) % s->ring_len;
    }
    return 0;
}
