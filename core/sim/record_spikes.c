/* record_spikes.c -- the spike times of circuits offering animat.spikes/1
 * in a recording (record_impl.h, docs/recording.md): per circuit NAME the
 * group /spikes/NAME with
 *   spike_times        (N) double: seconds since the episode's start,
 *                      grouped by episode, then unit, in time order;
 *   spike_times_index  (E, units) uint64: row (e, u) ends at that index of
 *                      spike_times (its start: the previous row's end);
 * NWB's Units layout, one row per (episode, unit), rows in row-major order.
 * The sim's thread copies each step's events into one of two buffers; the
 * writer thread gathers an episode's events and writes them at its end. */
#include <errno.h>
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/h5util.h"
#include "sim/record_impl.h"

/* An extendible chunked dataset of `rank` (1 or 2: columns fixed at
 * cols) of `type`. -1 on failure. */
static hid_t spikes_dataset(hid_t at, const char *name, int rank, hsize_t cols, hid_t type) {
    hsize_t dims[2] = {0, cols}, maxd[2] = {H5S_UNLIMITED, cols}, chunk[2] = {rank == 1 ? 4096 : 16, cols};
    hid_t sp = H5Screate_simple(rank, dims, maxd), pl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(pl, rank, chunk);
    H5Pset_shuffle(pl);
    H5Pset_deflate(pl, 1);
    hid_t d = H5Dcreate2(at, name, type, sp, H5P_DEFAULT, pl, H5P_DEFAULT);
    H5Pclose(pl);
    H5Sclose(sp);
    return d;
}

int rec_spikes_add(sim_record *r, instance *in, int required, errmsg *e) {
    const animat_spikes_ext *sx = instance_spikes(in);
    const animat_units_ext *ux = instance_units(in);
    uint32_t units = 0;
    const char *const *names = sx && ux ? instance_unit_names(in, ux, &units) : NULL;
    if (!sx || !names || !units)
        return required ? errmsg_set(e, "record.signals: circuit '%s' (%s) has no spikes to record (it lacks the %s "
                                        "extension or names no units)", in->name, in->plugin->desc->name,
                                     ANIMAT_EXT_SPIKES)
                        : 0;
    for (uint32_t i = 0; i < r->nspk; i++)
        if (r->spk[i].in == in) return errmsg_set(e, "record.signals: %s.spikes is listed twice", in->name);
    rec_spk *k = &r->spk[r->nspk++];
    memset(k, 0, sizeof *k);
    k->grp = k->ds_t = k->ds_idx = -1;
    snprintf(k->name, sizeof k->name, "%s.spikes", in->name);
    k->in = in, k->sx = sx, k->units = units;
    uint32_t step = instance_spike_capacity(in, sx);
    k->cap = step > (1u << 16) ? step : (1u << 16); /* one step's worth, or 64 Ki events */
    k->buf[0] = malloc((size_t)k->cap * sizeof *k->buf[0]);
    k->buf[1] = malloc((size_t)k->cap * sizeof *k->buf[1]);
    k->ends = malloc((size_t)units * sizeof *k->ends);
    if (!k->buf[0] || !k->buf[1] || !k->ends) return errmsg_set(e, "out of memory");
    char path[sizeof k->name + 16];
    snprintf(path, sizeof path, "spikes/%s", in->name);
    hid_t lc = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lc, 1);
    k->grp = H5Gcreate2(r->file, path, lc, H5P_DEFAULT, H5P_DEFAULT);
    H5Pclose(lc);
    if (k->grp >= 0) k->ds_t = spikes_dataset(k->grp, "spike_times", 1, 0, H5T_NATIVE_DOUBLE);
    if (k->grp >= 0) k->ds_idx = spikes_dataset(k->grp, "spike_times_index", 2, units, H5T_NATIVE_UINT64);
    if (k->ds_t < 0 || k->ds_idx < 0) return errmsg_set(e, "%s: cannot create the datasets of %s", r->af.tmp, path);
    return h5util_put_strs(k->grp, "names", names, units, e) || h5util_put_str(k->ds_t, "unit", "s", e) ||
           h5util_put_str(k->grp, "instance", in->name, e) ||
           h5util_put_str(k->grp, "plugin", in->plugin->desc->name, e);
}

int rec_spikes_take(sim_record *r, uint64_t step, int (*hand_off)(sim_record *r)) {
    for (uint32_t i = 0; i < r->nspk; i++) {
        rec_spk *k = &r->spk[i];
        uint32_t n = 0;
        const animat_spike_event *ev = instance_spike_events(k->in, k->sx, &n);
        if (n > k->cap) {
            snprintf(r->err, sizeof r->err, "%s (%s): %u spikes in one step, more than its capacity %u", k->in->name,
                     k->in->plugin->desc->name, n, k->cap);
            return -1;
        }
        if (k->fill[r->cur] + n > k->cap && hand_off(r)) return -1;
        animat_spike_event *dst = k->buf[r->cur] + k->fill[r->cur];
        double t0 = (double)step * r->dt;
        for (uint32_t j = 0; j < n; j++) {
            if (ev[j].unit >= k->units) {
                snprintf(r->err, sizeof r->err, "%s (%s): a spike of unit %u (it names %u units)", k->in->name,
                         k->in->plugin->desc->name, ev[j].unit, k->units);
                return -1;
            }
            dst[j] = (animat_spike_event){.unit = ev[j].unit, .t = t0 + ev[j].t};
        }
        k->fill[r->cur] += n;
    }
    return 0;
}

/* Spikes in episode order: by unit, then time. */
static int by_unit_time(const void *pa, const void *pb) {
    const animat_spike_event *a = pa, *b = pb;
    if (a->unit != b->unit) return a->unit < b->unit ? -1 : 1;
    return (a->t > b->t) - (a->t < b->t);
}

/* The episode's events of k, by unit, and its row of ends. */
static int write_episode(sim_record *r, rec_spk *k, uint64_t ep) {
    if (k->nep) qsort(k->ep, k->nep, sizeof *k->ep, by_unit_time);
    double *t = k->times;
    size_t j = 0;
    for (uint32_t u = 0; u < k->units; u++) {
        while (j < k->nep && k->ep[j].unit == u) t[j] = k->ep[j].t, j++;
        k->ends[u] = k->written + j;
    }
    hsize_t s1[1] = {k->written}, c1[1] = {k->nep}, s2[2] = {ep, 0}, c2[2] = {1, k->units};
    errno = 0;
    if ((k->nep && rec_write_block(k->ds_t, 1, s1, c1, H5T_NATIVE_DOUBLE, t)) ||
        rec_write_block(k->ds_idx, 2, s2, c2, H5T_NATIVE_UINT64, k->ends)) {
        snprintf(r->err, sizeof r->err, "%s: cannot write %s: %s", r->af.tmp, k->name, rec_why());
        return -1;
    }
    k->written += k->nep;
    k->nep = 0;
    return 0;
}

int rec_spikes_write(sim_record *r, int b, int end, uint64_t ep) {
    for (uint32_t i = 0; i < r->nspk; i++) {
        rec_spk *k = &r->spk[i];
        size_t n = k->fill[b];
        if (k->nep + n > k->capep) {
            size_t cap = k->capep ? k->capep : 1024;
            while (cap < k->nep + n) cap *= 2;
            animat_spike_event *p = realloc(k->ep, cap * sizeof *p);
            if (p) k->ep = p;
            double *q = p ? realloc(k->times, cap * sizeof *q) : NULL;
            if (!q) {
                snprintf(r->err, sizeof r->err, "%s: out of memory for the spikes of %s", r->af.tmp, k->name);
                return -1;
            }
            k->times = q, k->capep = cap;
        }
        if (n) memcpy(k->ep + k->nep, k->buf[b], n * sizeof *k->ep);
        k->nep += n;
        if (end && write_episode(r, k, ep)) return -1;
    }
    return 0;
}

void rec_spikes_close(sim_record *r) {
    for (uint32_t i = 0; i < r->nspk; i++) {
        rec_spk *k = &r->spk[i];
        hid_t *h[] = {&k->ds_t, &k->ds_idx, &k->grp};
        for (size_t j = 0; j < 3; j++) {
            if (*h[j] >= 0 && j < 2) H5Dclose(*h[j]);
            if (*h[j] >= 0 && j == 2) H5Gclose(*h[j]);
            *h[j] = -1;
        }
        free(k->buf[0]), free(k->buf[1]), free(k->ep), free(k->ends), free(k->times);
        k->buf[0] = k->buf[1] = k->ep = NULL, k->ends = NULL, k->times = NULL;
    }
    r->nspk = 0;
}
