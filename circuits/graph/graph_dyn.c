/* graph_dyn.c -- see graph_dyn.h. */
#include "graph_dyn.h"

#include <gsl/gsl_errno.h>
#include <math.h>

void graph_rate_activity(const graph_rate *m, const double *v) {
    for (uint32_t i = 0; i < m->g->n; i++)
        m->a[i] = cu_apply(m->units, i, 1.0 / (1.0 + exp(-(v[i] - m->v_half) / m->slope)));
}

int graph_rate_rhs(double t, const double v[], double dvdt[], void *model) {
    (void)t;
    const graph_rate *m = model;
    const graph_def *g = m->g;
    graph_rate_activity(m, v);
    graph_gap_currents(g, m->gap_w, v, m->input, dvdt);
    if (m->conductance)
        for (uint32_t k = 0; k < g->n_chem; k++) {
            uint32_t i = g->chem_post[k];
            double w = m->chem_w[k];
            dvdt[i] += fabs(w) * m->a[g->chem_pre[k]] * ((w < 0.0 ? m->e_inh : m->e_exc) - v[i]);
        }
    else
        for (uint32_t k = 0; k < g->n_chem; k++) dvdt[g->chem_post[k]] += m->chem_w[k] * m->a[g->chem_pre[k]];
    for (uint32_t i = 0; i < g->n; i++) dvdt[i] = (dvdt[i] - v[i]) / m->tau;
    return GSL_SUCCESS;
}

/* d a_i / d v_i: the sigmoid's slope, 0 for a clamped unit. */
static double graph_rate_slope(const graph_rate *m, uint32_t i, double v) {
    const cu_units *u = m->units;
    if (u && u->n_active && u->mode[i] == ANIMAT_UNIT_CLAMP) return 0.0;
    double s = 1.0 / (1.0 + exp(-(v - m->v_half) / m->slope));
    return s * (1.0 - s) / m->slope;
}

int graph_rate_jac(double t, const double v[], double *dfdy, double dfdt[], void *model) {
    (void)t;
    const graph_rate *m = model;
    const graph_def *g = m->g;
    const size_t n = g->n;
    graph_rate_activity(m, v);
    for (size_t k = 0; k < n * n; k++) dfdy[k] = 0.0;
    for (uint32_t i = 0; i < n; i++) {
        dfdt[i] = 0.0;
        dfdy[(size_t)i * n + i] = -1.0 / m->tau;
    }
    for (uint32_t k = 0; k < g->n_gap; k++) {
        size_t a = g->gap_a[k], b = g->gap_b[k];
        double c = m->gap_w[k] / m->tau;
        dfdy[a * n + b] += c;
        dfdy[a * n + a] -= c;
        dfdy[b * n + a] += c;
        dfdy[b * n + b] -= c;
    }
    for (uint32_t k = 0; k < g->n_chem; k++) {
        size_t i = g->chem_post[k], j = g->chem_pre[k];
        double w = m->chem_w[k], da = graph_rate_slope(m, (uint32_t)j, v[j]);
        if (!m->conductance) {
            dfdy[i * n + j] += w * da / m->tau;
            continue;
        }
        double e = (w < 0.0 ? m->e_inh : m->e_exc) - v[i];
        dfdy[i * n + j] += fabs(w) * da * e / m->tau;
        dfdy[i * n + i] -= fabs(w) * m->a[j] / m->tau;
    }
    return GSL_SUCCESS;
}

void graph_gap_currents(const graph_def *g, const double *gap_w, const double *v,
                        const double *base, double *out) {
    for (uint32_t i = 0; i < g->n; i++) out[i] = base[i];
    for (uint32_t k = 0; k < g->n_gap; k++) {
        uint32_t a = g->gap_a[k], b = g->gap_b[k];
        double c = gap_w[k] * (v[b] - v[a]);
        out[a] += c;
        out[b] -= c;
    }
}

void graph_csr(const graph_def *g, uint32_t *row, uint32_t *post, uint32_t *order, uint32_t *fill) {
    for (uint32_t i = 0; i <= g->n; i++) row[i] = 0;
    for (uint32_t k = 0; k < g->n_chem; k++) row[g->chem_pre[k] + 1]++;
    for (uint32_t i = 0; i < g->n; i++) {
        row[i + 1] += row[i];
        fill[i] = row[i];
    }
    for (uint32_t k = 0; k < g->n_chem; k++) {
        uint32_t slot = fill[g->chem_pre[k]]++;
        post[slot] = g->chem_post[k];
        order[slot] = k;
    }
}

void graph_encode(const graph_def *g, const graph_port *p, const double *x, const double *gain,
                  double *I) {
    for (uint32_t e = 0; e < p->size; e++) {
        const graph_elem *el = &g->elems[p->first + e];
        if (el->kind == GRAPH_EL_SPLIT) {
            I[el->a] += gain[e] * (x[e] > 0.0 ? x[e] : 0.0);
            I[el->b] += gain[e] * (x[e] < 0.0 ? -x[e] : 0.0);
        } else {
            I[el->a] += gain[e] * x[e];
        }
    }
}

void graph_decode(const graph_def *g, const graph_port *p, const double *act, const double *gain,
                  int squash, double *y) {
    for (uint32_t e = 0; e < p->size; e++) {
        const graph_elem *el = &g->elems[p->first + e];
        double v = act[el->a] - (el->kind == GRAPH_EL_DIFF ? act[el->b] : 0.0);
        y[e] = squash ? tanh(gain[e] * v) : gain[e] * v;
    }
}
