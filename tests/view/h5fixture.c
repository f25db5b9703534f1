/* h5fixture.c -- see h5fixture.h. */
#include "h5fixture.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "base/h5util.h"

/* A string attribute as the recorder writes it (fixed-length UTF-8). */
static void attr_str(hid_t obj, const char *name, const char *v) {
    h5util_put_str(obj, name, v, NULL);
}

/* A fixed-length ASCII string attribute (as other tools may write). */
static void attr_ascii(hid_t obj, const char *name, const char *v) {
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, strlen(v) ? strlen(v) : 1);
    hid_t s = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(obj, name, t, s, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, t, v);
    H5Aclose(a), H5Sclose(s), H5Tclose(t);
}

/* A numeric scalar attribute. */
static void attr_num(hid_t obj, const char *name, hid_t type, const void *v) {
    hid_t s = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(obj, name, type, s, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, type, v);
    H5Aclose(a), H5Sclose(s);
}

/* A dataset of doubles (or uint64 when u64) with the given shape. */
static hid_t dset(hid_t f, const char *path, int rank, const hsize_t *dim, const void *v, int u64) {
    hid_t s = H5Screate_simple(rank, dim, NULL);
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t ft = u64 ? H5T_STD_U64LE : H5T_IEEE_F64LE, mt = u64 ? H5T_NATIVE_UINT64 : H5T_NATIVE_DOUBLE;
    hid_t d = H5Dcreate2(f, path, ft, s, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
    H5Pclose(lcpl), H5Sclose(s);
    return d;
}

/* The signal attributes: names (variable-length strings), unit, direction. */
static void signal_attrs(hid_t d, const char *base, uint32_t n, const char *unit, const char *dir) {
    char **names = calloc(n, sizeof *names);
    for (uint32_t i = 0; i < n; i++) {
        names[i] = malloc(64);
        snprintf(names[i], 64, "%s[%u]", base, i);
    }
    h5util_put_strs(d, "names", (const char *const *)names, n, NULL);
    attr_ascii(d, "unit", unit);
    attr_str(d, "direction", dir);
    for (uint32_t i = 0; i < n; i++) free(names[i]);
    free(names);
}

/* One (E, T, n) signal from fn(episode, t, i). */
static void signal(hid_t f, const fixture *x, const char *name, uint32_t n, const char *base, const char *unit,
                   const char *dir, double (*fn)(const fixture *, uint32_t, double, uint32_t)) {
    double *v = malloc(sizeof *v * x->episodes * x->T * n);
    for (uint32_t e = 0; e < x->episodes; e++)
        for (uint32_t t = 0; t < x->T; t++)
            for (uint32_t i = 0; i < n; i++) {
                int ended = e + 1 == x->episodes && x->episodes > 1 && t >= 3 * x->T / 4;
                v[((size_t)e * x->T + t) * n + i] = ended ? NAN : fn(x, e, t * 0.03, i);
            }
    char path[256];
    snprintf(path, sizeof path, "/signals/%s", name);
    hsize_t dim[3] = {x->episodes, x->T, n};
    hid_t d = dset(f, path, 3, dim, v, 0);
    signal_attrs(d, base, n, unit, dir);
    H5Dclose(d);
    free(v);
}

/* A travelling wave: joint i lags joint i-1 by 0.6 rad (direction +1). */
static double joints(const fixture *x, uint32_t e, double t, uint32_t i) {
    (void)e;
    return 0.5 * sin(2 * M_PI * 1.2 * t - x->direction * 0.6 * i);
}

static double units(const fixture *x, uint32_t e, double t, uint32_t i) {
    (void)x, (void)e;
    return 0.5 + 0.5 * sin(2 * M_PI * 1.2 * t - 0.3 * i);
}

static double position(const fixture *x, uint32_t e, double t, uint32_t i) {
    (void)x;
    return i == 0 ? 0.1 * t + 0.01 * e : 0.02 * sin(t) - 0.05 * e;
}

static void root(hid_t f, const fixture *x) {
    attr_str(f, "format", x->format ? x->format : "animat-recording/1");
    attr_str(f, "kind", x->kind);
    attr_str(f, "animat_version", "0.1.0");
    attr_str(f, "command", "animat run examples/fixture.yaml --record fixture.h5");
    attr_str(f, "experiment", x->experiment ? x->experiment : "name: fixture\nrun: {episodes: 2}\n");
    attr_str(f, "experiment_file", "examples/fixture.yaml");
    attr_str(f, "plugins", "body swimmer 1.0.0 abc123 /p/swimmer.so\ncircuit ncap 1.1.0 def456 /p/ncap.so\n");
    uint64_t seed = 18446744073709551557u; /* above 2^53: must print exactly */
    uint32_t every = 1;
    double dt = 0.03;
    attr_num(f, "seed", H5T_NATIVE_UINT64, &seed);
    attr_num(f, "dt", H5T_NATIVE_DOUBLE, &dt);
    attr_num(f, "every", H5T_NATIVE_UINT32, &every);
}

static void learner(hid_t f, const fixture *x) {
    double *ret = malloc(sizeof *ret * x->epochs * x->cands), *best = malloc(sizeof *best * x->epochs),
           *mean = malloc(sizeof *mean * x->epochs);
    uint64_t *steps = malloc(sizeof *steps * x->epochs);
    for (uint32_t k = 0; k < x->epochs; k++) {
        best[k] = -INFINITY, mean[k] = 0, steps[k] = (uint64_t)(k + 1) * x->cands * 1000;
        for (uint32_t j = 0; j < x->cands; j++) {
            double v = 100 * (1 - exp(-0.2 * k)) + 10 * sin(j * 1.7 + k);
            ret[k * x->cands + j] = v, mean[k] += v / x->cands, best[k] = v > best[k] ? v : best[k];
        }
    }
    hsize_t d2[2] = {x->epochs, x->cands}, d1 = x->epochs;
    H5Dclose(dset(f, "/learner/returns", 2, d2, ret, 0));
    H5Dclose(dset(f, "/learner/env_steps", 1, &d1, steps, 1));
    H5Dclose(dset(f, "/learner/best", 1, &d1, best, 0));
    H5Dclose(dset(f, "/learner/mean", 1, &d1, mean, 0));
    free(ret), free(best), free(mean), free(steps);
}

int fixture_write(const char *path, const fixture *x) {
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (f < 0) return -1;
    root(f, x);
    double *t = malloc(sizeof *t * x->T), *ret = malloc(sizeof *ret * x->episodes);
    uint64_t *steps = malloc(sizeof *steps * x->episodes);
    for (uint32_t k = 0; k < x->T; k++) t[k] = k * 0.03;
    for (uint32_t e = 0; e < x->episodes; e++) ret[e] = 10.0 + e, steps[e] = x->T;
    hsize_t dT = x->T, dE = x->episodes;
    H5Dclose(dset(f, "/time", 1, &dT, t, 0));
    H5Dclose(dset(f, "/episodes/return", 1, &dE, ret, 0));
    H5Dclose(dset(f, "/episodes/steps", 1, &dE, steps, 1));
    free(t), free(ret), free(steps);
    signal(f, x, "body.obs.joints", x->n, "joints", "rad", "obs", joints);
    if (x->units) signal(f, x, "circuit.units", 2 * x->n, "unit", "", "units", units);
    if (x->cpg) signal(f, x, "cpg.units", 3, "phase", "", "units", units);
    if (x->position) signal(f, x, "body.obs.position", 2, "position", "m", "obs", position);
    if (x->epochs) learner(f, x);
    return H5Fclose(f) < 0 ? -1 : 0;
}
