/* spk_net.c -- see spk_net.h. */
#include "spk_net.h"
#include "spk_neuron_step.h"

#include <math.h>
#include <string.h>

/* The per-neuron double arrays, in one list for allocation and freeing. */
#define SPK_NDOUBLE 17u
static void darrays(spk_net *net, double **a[SPK_NDOUBLE]) {
    double **p[SPK_NDOUBLE] = {&net->v,    &net->wa,   &net->ref,   &net->i_ext, &net->gde,
                               &net->gre,  &net->gdi,  &net->gri,   &net->xpre,  &net->ypost,
                               &net->rate, &net->ts,   &net->s,     &net->amp,   &net->thr,
                               &net->gsum, &net->gv};
    memcpy(a, p, sizeof p);
}

int spk_net_alloc(spk_net *net, uint32_t n, uint32_t n_syn, spk_alloc_fn al, void *ctx) {
    net->n = n, net->n_syn = n_syn;
    size_t nn = n ? n : 1, ns = n_syn ? n_syn : 1;
    double **a[SPK_NDOUBLE];
    darrays(net, a);
    for (uint32_t k = 0; k < SPK_NDOUBLE; k++)
        if (!(*a[k] = al(ctx, sizeof(double) * nn))) return -1;
    net->row = al(ctx, sizeof *net->row * (nn + 1));
    net->col = al(ctx, sizeof *net->col * (nn + 1));
    net->post = al(ctx, sizeof *net->post * ns);
    net->in_syn = al(ctx, sizeof *net->in_syn * ns);
    net->in_pre = al(ctx, sizeof *net->in_pre * ns);
    net->w = al(ctx, sizeof *net->w * ns);
    net->tm = al(ctx, sizeof *net->tm * nn);
    net->fired = al(ctx, sizeof *net->fired * nn);
    return net->row && net->col && net->post && net->in_syn && net->in_pre && net->w && net->tm && net->fired
               ? 0
               : -1;
}

int spk_net_alloc_gaps(spk_net *net, uint32_t n_gap, spk_alloc_fn al, void *ctx) {
    size_t ng = n_gap ? n_gap : 1;
    net->n_gap = n_gap;
    net->gap_a = al(ctx, sizeof *net->gap_a * ng);
    net->gap_b = al(ctx, sizeof *net->gap_b * ng);
    net->gap_g = al(ctx, sizeof *net->gap_g * ng);
    net->gap_row = al(ctx, sizeof *net->gap_row * ((size_t)net->n + 1));
    net->gap_nb = al(ctx, sizeof *net->gap_nb * 2 * ng);
    net->gap_gn = al(ctx, sizeof *net->gap_gn * 2 * ng);
    return net->gap_a && net->gap_b && net->gap_g && net->gap_row && net->gap_nb && net->gap_gn ? 0 : -1;
}

void spk_net_free(spk_net *net, spk_free_fn fr, void *ctx) {
    double **a[SPK_NDOUBLE];
    darrays(net, a);
    for (uint32_t k = 0; k < SPK_NDOUBLE; k++) fr(ctx, *a[k]);
    void *p[] = {net->row,    net->col, net->post, net->in_syn, net->in_pre, net->w,
                 net->tm,     net->fired, net->gap_a, net->gap_b, net->gap_g, net->gap_row, net->gap_nb, net->gap_gn};
    for (size_t k = 0; k < sizeof p / sizeof p[0]; k++) fr(ctx, p[k]);
}

void spk_net_index(spk_net *net) {
    uint32_t *c = net->col;
    memset(c, 0, sizeof *c * (net->n + 1));
    for (uint32_t k = 0; k < net->n_syn; k++) c[net->post[k] + 1]++;
    for (uint32_t j = 0; j < net->n; j++) c[j + 1] += c[j];
    for (uint32_t i = 0; i < net->n; i++) /* pre-major order keeps each post's list sorted by pre */
        for (uint32_t k = net->row[i]; k < net->row[i + 1]; k++) {
            uint32_t q = c[net->post[k]]++;
            net->in_syn[q] = k;
            net->in_pre[q] = i;
        }
    for (uint32_t j = net->n; j > 0; j--) c[j] = c[j - 1];
    c[0] = 0;
}

/* Each gap junction in both neighbours' lists (gap_row, gap_nb, gap_gn),
 * and every neuron's summed gap conductance. */
static void gap_index(spk_net *net) {
    uint32_t *r = net->gap_row;
    memset(r, 0, sizeof *r * (net->n + 1));
    for (uint32_t k = 0; k < net->n_gap; k++) r[net->gap_a[k] + 1]++, r[net->gap_b[k] + 1]++;
    for (uint32_t i = 0; i < net->n; i++) r[i + 1] += r[i];
    for (uint32_t k = 0; k < net->n_gap; k++) { /* r[i] runs ahead as i's cursor, then is shifted back */
        uint32_t a = net->gap_a[k], b = net->gap_b[k], qa = r[a]++, qb = r[b]++;
        net->gap_nb[qa] = b, net->gap_gn[qa] = net->gap_g[k];
        net->gap_nb[qb] = a, net->gap_gn[qb] = net->gap_g[k];
        net->gsum[a] += net->gap_g[k], net->gsum[b] += net->gap_g[k];
    }
    for (uint32_t i = net->n; i > 0; i--) r[i] = r[i - 1];
    r[0] = 0;
}

void spk_net_reset(spk_net *net, const double *w0) {
    size_t nb = sizeof(double) * net->n;
    for (uint32_t i = 0; i < net->n; i++) {
        net->v[i] = net->ncfg.v_init;
        net->wa[i] = net->ncfg.model == SPK_IZH ? net->ncfg.b * net->ncfg.v_init : 0.0;
        net->ts[i] = -1.0;
        net->tm[i] = (spk_tm){0.0, 1.0, INFINITY};
    }
    double *zero[] = {net->ref, net->gde, net->gre,  net->gdi, net->gri, net->xpre, net->ypost,
                      net->rate, net->s,  net->amp,  net->thr, net->gsum, net->gv};
    for (size_t k = 0; k < sizeof zero / sizeof zero[0]; k++) memset(zero[k], 0, nb);
    if (net->n_gap) gap_index(net);
    if (net->n_syn) memcpy(net->w, w0, sizeof *net->w * net->n_syn);
    net->n_fired = 0;
    net->norm = net->scfg.kernel == SPK_KERNEL_EXP2 ? spk_exp2_norm(net->scfg.tau_r, net->scfg.tau_d) : 1.0;
}

/* (1) the last substep's spikes reach their targets. */
static void deliver(spk_net *net, const cu_units *u, uint32_t wu) {
    int two = net->scfg.kernel == SPK_KERNEL_EXP2;
    for (uint32_t f = 0; f < net->n_fired; f++) {
        uint32_t i = net->fired[f];
        double a = net->amp[i];
        int inh = i >= net->first_inh;
        double *gd = inh ? net->gdi : net->gde, *gr = inh ? net->gri : net->gre;
        for (uint32_t k = net->row[i]; k < net->row[i + 1]; k++) {
            double w = (u && wu ? cu_apply(u, wu + k, net->w[k]) : net->w[k]) * a;
            gd[net->post[k]] += w;
            if (two) gr[net->post[k]] += w;
        }
        net->s[i] = 0.0, net->ts[i] = -1.0; /* only this substep's spikes have them */
    }
    net->n_fired = 0;
}

/* (2) every neuron: its output, count and event. One loop body,
 * instantiated per model, coupling, kernel and whether gap junctions or
 * per-neuron thresholds are on (the constant arguments) so
 * that the model update inlines without branches. A kernel's conductance
 * is its mean over the substep (kd, kr: the exact factors), then it decays
 * exactly (ed, er). */
typedef struct spk_sub {
    double h, t0, ed, er, kd, kr;
    const cu_units *u;
    double *counts;
    animat_spike_event *ev;
    uint32_t *n_ev;
} spk_sub;

static inline __attribute__((always_inline)) void advance_as(spk_net *net, const spk_sub *q, const uint32_t model,
                                                             const int cond, const int two, const int ext) {
    const spk_syncfg *s = &net->scfg;
    const spk_ncfg cfg = spk_ncfg_inverses(&net->ncfg, q->h), *c = &cfg;
    double *gde = net->gde, *gre = net->gre, *gdi = net->gdi, *gri = net->gri, h = q->h;
    double *v = net->v, *wa = net->wa, *ref = net->ref, *sp = net->s, *tsp = net->ts;
    const double *iext = net->i_ext, e_e = s->e_exc, e_i = s->e_inh, kd = q->kd, kr = q->kr, ed = q->ed,
                 er = q->er, norm = net->norm;
    uint32_t *fired = net->fired, n_fired = net->n_fired, n = net->n, n_ev = q->n_ev ? *q->n_ev : 0;
    const int gap = net->n_gap != 0, ip = s->intrinsic;
    const double *gsum = net->gsum, *gv = net->gv, *thr = net->thr, vth = c->v_th;
    const uint32_t tu = q->u ? net->tu : 0;
    for (uint32_t i = 0; i < n; i++) {
        double ge = gde[i] * kd, gi = gdi[i] * kd;
        gde[i] *= ed, gdi[i] *= ed;
        if (two) {
            ge = norm * (ge - gre[i] * kr), gi = norm * (gi - gri[i] * kr);
            gre[i] *= er, gri[i] *= er;
        }
        double cur = iext[i], ts = h;
        if (!cond) cur += ge - gi, ge = gi = 0.0;
        double gg = 0.0, gvi = 0.0, th = vth; /* ext: gap junctions or per-neuron thresholds */
        if (ext) {
            gg = gap ? gsum[i] : 0.0, gvi = gap ? gv[i] : 0.0, th = ip ? vth + thr[i] : vth;
            if (tu) th = vth + cu_apply(q->u, tu + i, thr[i]);
        }
        int own = model == SPK_IZH ? spk_step_izh(c, h, cur, ge, gi, e_e, e_i, cond, gg, gvi, &v[i], &wa[i], &ts)
                  : model == SPK_ADEX
                      ? spk_step_adex(c, h, cur, ge, gi, e_e, e_i, cond, gg, gvi, th, &v[i], &wa[i], &ref[i], &ts)
                      : spk_step_lif(c, h, cur, ge, gi, e_e, e_i, gg, gvi, th, &v[i], &wa[i], &ref[i], &ts);
        double out = q->u ? cu_apply(q->u, i, own ? 1.0 : 0.0) : (own ? 1.0 : 0.0);
        if (out == 0.0) continue;
        sp[i] = out;
        tsp[i] = ts;
        fired[n_fired++] = i;
        if (q->counts) q->counts[i] += out;
        if (q->ev) q->ev[n_ev++] = (animat_spike_event){.unit = i, .t = (q->t0 + ts) * 1e-3};
    }
    net->n_fired = n_fired;
    if (q->n_ev) *q->n_ev = n_ev;
}

#define SPK_ADV_E(M, C, T) (ext ? advance_as(net, &q, M, C, T, 1) : advance_as(net, &q, M, C, T, 0))
#define SPK_ADV(M)                                                                                                  \
    do {                                                                                                            \
        if (cond)                                                                                                   \
            two ? SPK_ADV_E(M, 1, 1) : SPK_ADV_E(M, 1, 0);                                                          \
        else                                                                                                        \
            two ? SPK_ADV_E(M, 0, 1) : SPK_ADV_E(M, 0, 0);                                                          \
    } while (0)

/* sum_j g_ij v_j at the substep's start, for every neuron. */
static void gap_inputs(spk_net *net) {
    double *restrict gv = net->gv;
    const double *restrict v = net->v, *restrict g = net->gap_gn;
    const uint32_t *restrict r = net->gap_row, *restrict nb = net->gap_nb;
    for (uint32_t i = 0, n = net->n; i < n; i++) {
        double s = 0.0;
        for (uint32_t k = r[i]; k < r[i + 1]; k++) s += g[k] * v[nb[k]];
        gv[i] = s;
    }
}

static void advance(spk_net *net, double h, double t0, const cu_units *u, double *counts,
                    animat_spike_event *ev, uint32_t *n_ev) {
    const spk_syncfg *s = &net->scfg;
    if (net->n_gap) gap_inputs(net);
    int cond = s->conductance, two = s->kernel == SPK_KERNEL_EXP2, ext = net->n_gap || s->intrinsic || (u && net->tu);
    spk_sub q = {.h = h, .t0 = t0, .ed = exp(-h / s->tau_d), .u = u, .counts = counts, .ev = ev, .n_ev = n_ev};
    q.kd = s->tau_d * (1.0 - q.ed) / h;
    if (two) q.er = exp(-h / s->tau_r), q.kr = s->tau_r * (1.0 - q.er) / h;
    switch (net->ncfg.model) {
    case SPK_IZH: SPK_ADV(SPK_IZH); break;
    case SPK_ADEX: SPK_ADV(SPK_ADEX); break;
    default: SPK_ADV(SPK_LIF); break; /* lif and alif (spk_step_lif reads the model) */
    }
}

/* (3) STDP on this substep's spikes, each at its exact time. */
static void stdp(spk_net *net) {
    const spk_stdp *p = &net->stdp;
    for (uint32_t f = 0; f < net->n_fired; f++) {
        uint32_t i = net->fired[f];
        double t = net->ts[i];
        for (uint32_t k = net->row[i]; k < net->row[i + 1]; k++) { /* i presynaptic: depression */
            uint32_t j = net->post[k];
            double y = spk_trace_at(net->ypost[j], t, net->ts[j], p->tau_minus, p->nearest);
            net->w[k] = spk_stdp_pre(p, net->w[k], y);
        }
        for (uint32_t q = net->col[i]; q < net->col[i + 1]; q++) { /* i postsynaptic: potentiation */
            uint32_t k = net->in_syn[q], pre = net->in_pre[q];
            double x = spk_trace_at(net->xpre[pre], t, net->ts[pre], p->tau_plus, p->nearest);
            net->w[k] = spk_stdp_post(p, net->w[k], x);
        }
    }
}

/* Homeostatic rate estimates and, with intrinsic plasticity, the
 * threshold shifts (the exact integral of the rate trace over the
 * substep; the trace jumps at the substep's end). */
static void homeostasis(spk_net *net, double h) {
    const spk_syncfg *s = &net->scfg;
    double dec = exp(-h / s->tau_homeo), jump = 1000.0 / s->tau_homeo;
    double area = s->tau_homeo * (1.0 - dec) * 1e-3, tgt = s->rate_target * h * 1e-3, hi = s->ip_max;
    for (uint32_t i = 0; i < net->n; i++) {
        if (s->intrinsic) {
            double th = net->thr[i] + net->eta_ip * (net->rate[i] * area - tgt);
            net->thr[i] = th < -hi ? -hi : (th > hi ? hi : th);
        }
        net->rate[i] = net->rate[i] * dec + jump * net->s[i];
    }
}

/* (4) per-neuron clocks: STP fractions of this substep's spikes, traces,
 * homeostatic rates and thresholds. */
static void clocks(spk_net *net, double h) {
    const spk_syncfg *s = &net->scfg;
    for (uint32_t f = 0; f < net->n_fired; f++) {
        uint32_t i = net->fired[f];
        double frac = 1.0;
        if (s->stp) {
            net->tm[i].since += net->ts[i];
            frac = spk_tm_spike(&net->tm[i], s->stp_u, s->stp_tau_d, s->stp_tau_f);
            net->tm[i].since = -net->ts[i]; /* + h below */
        }
        net->amp[i] = net->s[i] * frac;
    }
    if (s->stp)
        for (uint32_t i = 0; i < net->n; i++) net->tm[i].since += h;
    if (net->stdp.rule != SPK_STDP_NONE) {
        const spk_stdp *p = &net->stdp;
        double dp = exp(-h / p->tau_plus), dm = exp(-h / p->tau_minus);
        for (uint32_t i = 0; i < net->n; i++) {
            if (net->ts[i] < 0.0) {
                net->xpre[i] *= dp;
                net->ypost[i] *= dm;
            } else {
                net->xpre[i] = spk_trace_end(net->xpre[i], h, net->ts[i], p->tau_plus, p->nearest);
                net->ypost[i] = spk_trace_end(net->ypost[i], h, net->ts[i], p->tau_minus, p->nearest);
            }
        }
    }
    if (s->scaling || s->intrinsic) homeostasis(net, h);
}

void spk_net_substep(spk_net *net, double h, double t0, const cu_units *u, uint32_t wu, double *counts,
                     animat_spike_event *ev, uint32_t *n_ev) {
    deliver(net, u, wu);
    advance(net, h, t0, u, counts, ev, n_ev);
    if (net->stdp.rule != SPK_STDP_NONE) stdp(net);
    clocks(net, h);
}

void spk_net_scale(spk_net *net, double dt) {
    double f = dt * 1e-3 * net->eta, hi = net->scfg.w_max;
    for (uint32_t j = 0; j < net->n; j++) {
        double g = f * (net->scfg.rate_target - net->rate[j]);
        for (uint32_t q = net->col[j]; q < net->col[j + 1]; q++) {
            double *w = &net->w[net->in_syn[q]];
            *w += g * *w;
            *w = *w < 0.0 ? 0.0 : (*w > hi ? hi : *w);
        }
    }
}

uint32_t spk_net_state(spk_net *net, cs_region *r, uint32_t k) {
    size_t nb = sizeof(double) * net->n;
    double **a[SPK_NDOUBLE];
    darrays(net, a);
    for (uint32_t q = 0; q < SPK_NDOUBLE; q++)
        if (*a[q] != net->i_ext && *a[q] != net->gsum && *a[q] != net->gv) /* inputs and derived */
            cs_add(r, &k, *a[q], nb);
    cs_add(r, &k, net->w, sizeof *net->w * net->n_syn);
    cs_add(r, &k, net->tm, sizeof *net->tm * net->n);
    cs_add(r, &k, net->fired, sizeof *net->fired * net->n);
    cs_add(r, &k, &net->n_fired, sizeof net->n_fired);
    return k;
}
