/* lif_net.c -- see lif_net.h. */
#include "lif_net.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

int lif_net_alloc(lif_net *net, uint32_t n, uint32_t n_syn, uint32_t max_delay,
                  lif_alloc_fn alloc, void *ctx) {
    net->n = n;
    net->n_syn = n_syn;
    net->n_slots = max_delay + 1u;
    size_t nn = n ? n : 1u, ns = n_syn ? n_syn : 1u;
    net->row = alloc(ctx, (nn + 1u) * sizeof *net->row);
    net->post = alloc(ctx, ns * sizeof *net->post);
    net->delay = alloc(ctx, ns * sizeof *net->delay);
    net->v = alloc(ctx, nn * sizeof *net->v);
    net->i_syn = alloc(ctx, nn * sizeof *net->i_syn);
    net->i_ext = alloc(ctx, nn * sizeof *net->i_ext);
    net->rate_ext = alloc(ctx, nn * sizeof *net->rate_ext);
    net->ring = alloc(ctx, (size_t)net->n_slots * nn * sizeof *net->ring);
    net->ref = alloc(ctx, nn * sizeof *net->ref);
    net->spk = alloc(ctx, nn * sizeof *net->spk);
    net->next_ext = alloc(ctx, nn * sizeof *net->next_ext);
    net->rate_used = alloc(ctx, nn * sizeof *net->rate_used);
    net->frac = alloc(ctx, nn * sizeof *net->frac);
    return (net->row && net->post && net->delay && net->v && net->i_syn && net->i_ext &&
            net->rate_ext && net->ring && net->ref && net->spk && net->next_ext && net->rate_used && net->frac)
               ? 0
               : -1;
}

void lif_net_free(lif_net *net, lif_free_fn release, void *ctx) {
    void *p[] = {net->row,  net->post,     net->delay, net->v,   net->i_syn, net->i_ext,
                 net->rate_ext, net->ring, net->ref,   net->spk, net->next_ext, net->rate_used,
                 net->frac};
    for (size_t k = 0; k < sizeof p / sizeof p[0]; k++) release(ctx, p[k]);
    memset(net, 0, sizeof *net);
}

uint32_t lif_net_state(lif_net *net, cs_region *r, uint32_t k) {
    size_t n = net->n * sizeof(double);
    double *arrays[] = {net->v, net->i_syn, net->i_ext, net->rate_ext, net->spk, net->next_ext, net->rate_used};
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++) cs_add(r, &k, arrays[i], n);
    cs_add(r, &k, net->ring, (size_t)net->n_slots * n);
    cs_add(r, &k, net->ref, net->n * sizeof *net->ref);
    cs_add(r, &k, &net->t, sizeof net->t);
    cs_add(r, &k, &net->n_ref, sizeof net->n_ref);
    double *scalars[] = {&net->h, &net->dm, &net->ds, &net->ks};
    for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++) cs_add(r, &k, scalars[i], sizeof(double));
    return k;
}

void lif_net_reset(lif_net *net) {
    for (uint32_t i = 0; i < net->n; i++) {
        net->v[i] = net->cfg.v_rest;
        net->i_syn[i] = 0.0;
        net->ref[i] = 0;
        net->spk[i] = 0.0;
        net->rate_used[i] = -1.0; /* the first substep draws the first event */
        net->frac[i] = 1.0;
    }
    memset(net->ring, 0, (size_t)net->n_slots * net->n * sizeof *net->ring);
    net->t = 0;
}

uint32_t lif_refractory_steps(double t_ref, double h) {
    return (uint32_t)lround(t_ref / h);
}

/* Recompute the per-substep factors when h changed. No allocation. */
static void lif_factors(lif_net *net, double h) {
    if (h == net->h) return;
    net->h = h;
    const lif_cfg *k = &net->cfg;
    net->dm = exp(-h / k->tau_m);
    net->ds = exp(-h / k->tau_syn);
    net->n_ref = lif_refractory_steps(k->t_ref, h);
    /* v's response over h to I_syn = 1 decaying from the substep's start */
    net->ks = k->tau_syn == k->tau_m
                  ? k->r_m * (h / k->tau_m) * net->dm
                  : k->r_m * k->tau_syn / (k->tau_syn - k->tau_m) * (net->ds - net->dm);
}

/* External Poisson spikes of neuron i in this substep: the process is kept
 * as the time to its next event (exponential intervals, gsl_ran_exponential),
 * redrawn when the rate changes (the process is memoryless). No allocation. */
static double lif_external(lif_net *net, uint32_t i, double h, gsl_rng *rng) {
    double rate = net->rate_ext[i];
    if (rate != net->rate_used[i]) {
        net->rate_used[i] = rate;
        net->next_ext[i] = rate > 0.0 ? gsl_ran_exponential(rng, 1.0 / rate) : INFINITY;
    }
    double k = 0.0, mean = 1.0 / rate;
    while (net->next_ext[i] < h) {
        k += 1.0;
        net->next_ext[i] += gsl_ran_exponential(rng, mean);
    }
    net->next_ext[i] -= h;
    return k;
}

/* Membrane update of neuron i for one substep; returns 1 on a spike. */
static int lif_membrane(lif_net *net, uint32_t i) {
    const lif_cfg *c = &net->cfg;
    if (net->ref[i] > 0) {
        net->ref[i]--;
        net->v[i] = c->v_reset;
        return 0;
    }
    /* exact over the substep: I_ext held, I_syn decaying from its value */
    double v_inf = c->v_rest + c->r_m * net->i_ext[i], v0 = net->v[i];
    net->v[i] = v_inf + (v0 - v_inf) * net->dm + net->ks * net->i_syn[i];
    if (net->v[i] < c->v_th) return 0;
    /* the crossing, interpolated linearly between the substep's ends */
    net->frac[i] = v0 >= c->v_th ? 0.0 : (c->v_th - v0) / (net->v[i] - v0);
    net->v[i] = c->v_reset;
    net->ref[i] = net->n_ref;
    return 1;
}

/* Send output s of neuron i to its targets' ring slots. */
static void lif_send(lif_net *net, uint32_t i, double s) {
    for (uint32_t k = net->row[i]; k < net->row[i + 1]; k++) {
        uint64_t slot = (net->t + net->delay[k]) % net->n_slots;
        net->ring[slot * net->n + net->post[k]] += net->w[k] * s;
    }
}

void lif_net_substep(lif_net *net, double h, const cu_units *units, gsl_rng *rng,
                     double *counts) {
    lif_factors(net, h);
    /* one pass per neuron; spikes are sent to slots t + d (d >= 1), never to
     * this substep's slot, so every neuron still sees only earlier spikes */
    double *in = net->ring + (net->t % net->n_slots) * net->n;
    for (uint32_t i = 0; i < net->n; i++) {
        /* this substep's arrivals and external spikes */
        double add = in[i];
        in[i] = 0.0;
        if (net->rate_ext[i] > 0.0 || net->rate_used[i] != net->rate_ext[i])
            add += net->cfg.w_ext * lif_external(net, i, h, rng);
        net->i_syn[i] += add;
        net->frac[i] = 1.0;
        double s = cu_apply(units, i, (double)lif_membrane(net, i));
        net->i_syn[i] *= net->ds; /* I_syn at the end of the substep */
        net->spk[i] = s;
        if (s == 0.0) continue;
        lif_send(net, i, s);
        if (counts) counts[i] += s;
    }
    net->t++;
}
