/* spk_plast.c -- see spk_plast.h. */
#include "spk_plast.h"

#include <math.h>

double spk_trace_at(double x0, double t, double ts, double tau, int nearest) {
    double x = x0 * exp(-t / tau);
    if (ts >= 0.0 && ts < t) x = (nearest ? 0.0 : x) + exp(-(t - ts) / tau);
    return x;
}

double spk_trace_end(double x0, double h, double ts, double tau, int nearest) {
    double x = x0 * exp(-h / tau);
    if (ts >= 0.0) x = (nearest ? 0.0 : x) + exp(-(h - ts) / tau);
    return x;
}

static double clip(double w, double hi) { return w < 0.0 ? 0.0 : (w > hi ? hi : w); }

double spk_stdp_pre(const spk_stdp *s, double w, double y) {
    double dw = s->rule == SPK_STDP_MULT ? -s->a_minus * w * y : -s->a_minus * y;
    return clip(w + dw, s->w_max);
}

double spk_stdp_post(const spk_stdp *s, double w, double x) {
    double dw = s->rule == SPK_STDP_MULT ? s->a_plus * (s->w_max - w) * x : s->a_plus * x;
    return clip(w + dw, s->w_max);
}

double spk_tm_spike(spk_tm *s, double big_u, double tau_d, double tau_f) {
    double um = s->u * exp(-s->since / tau_f);
    double xm = 1.0 + (s->x - 1.0) * exp(-s->since / tau_d);
    double up = um + big_u * (1.0 - um), r = up * xm;
    s->u = up;
    s->x = xm - r;
    s->since = 0.0;
    return r;
}

double spk_exp2_norm(double tau_r, double tau_d) {
    double tp = tau_d * tau_r / (tau_d - tau_r) * log(tau_d / tau_r);
    return 1.0 / (exp(-tp / tau_d) - exp(-tp / tau_r));
}
