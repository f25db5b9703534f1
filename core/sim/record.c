/* record.c -- see record.h. */
#include "sim/record.h"

#include <errno.h>
#include <hdf5.h>
#include <limits.h>
#include <math.h>
#include <mujoco/mujoco.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/atomicfile.h"
#include "base/h5util.h"
#include "base/hash.h"
#include "exp/wiring.h"
#include "sim/record_impl.h"
#include "sim/sim_impl.h"

/* A chunked, compressed, extendible dataset of `rank` dims (first ones
 * start at 0), NaN-filled, double or uint64. -1 on failure. */
static hid_t make_dataset(hid_t at, const char *name, int rank, const hsize_t *chunk, hid_t type) {
    hsize_t dims[3] = {0, 0, 0}, maxd[3] = {H5S_UNLIMITED, H5S_UNLIMITED, H5S_UNLIMITED};
    if (rank == 3) dims[2] = maxd[2] = chunk[2];
    if (rank == 2 && chunk[1] != 0) dims[1] = maxd[1] = chunk[1];
    hid_t sp = H5Screate_simple(rank, dims, maxd), pl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(pl, rank, chunk);
    H5Pset_shuffle(pl);
    H5Pset_deflate(pl, 1);
    if (H5Tequal(type, H5T_NATIVE_DOUBLE) > 0) {
        double nan = NAN;
        H5Pset_fill_value(pl, type, &nan);
    }
    hid_t lc = H5Pcreate(H5P_LINK_CREATE), ac = H5Pcreate(H5P_DATASET_ACCESS);
    H5Pset_create_intermediate_group(lc, 1);
    /* No chunk cache: each chunk is compressed and written when the writer
     * thread writes it (beside the step loop), not all at once when the
     * episode ends. */
    H5Pset_chunk_cache(ac, 0, 0, 1.0);
    hid_t d = H5Dcreate2(at, name, type, sp, lc, pl, ac);
    H5Pclose(ac);
    H5Pclose(lc);
    H5Pclose(pl);
    H5Sclose(sp);
    return d;
}

/* The attributes of one signal's dataset. */
static int describe(rec_sig *g, const char *dir, const char *unit, const char *const *names, errmsg *e) {
    const char *plugin = g->in ? g->in->plugin->desc->name : "";
    return h5util_put_strs(g->ds, "names", names, g->n, e) || h5util_put_str(g->ds, "unit", unit, e) ||
           h5util_put_str(g->ds, "instance", g->in ? g->in->name : "", e) ||
           h5util_put_str(g->ds, "plugin", plugin, e) || h5util_put_str(g->ds, "direction", dir, e);
}

/* Create a signal's dataset and buffer. */
static int add_signal(sim_record *r, rec_sig *g, const char *dir, const char *unit, const char *const *names,
                      errmsg *e) {
    for (uint32_t i = 0; i < r->nsig; i++)
        if (&r->sig[i] != g && !strcmp(r->sig[i].name, g->name)) return errmsg_set(e, "record.signals: %s is listed twice", g->name);
    char path[sizeof g->name + 16];
    snprintf(path, sizeof path, "signals/%s", g->name);
    hsize_t chunk[3] = {1, RECORD_CHUNK, g->n};
    if ((g->ds = make_dataset(r->file, path, 3, chunk, H5T_NATIVE_DOUBLE)) < 0)
        return errmsg_set(e, "%s: cannot create dataset %s", r->af.tmp, path);
    for (int b = 0; b < 2; b++)
        if (!(g->chunk[b] = malloc((size_t)RECORD_CHUNK * g->n * sizeof *g->chunk[b]))) return errmsg_set(e, "out of memory");
    return describe(g, dir, unit, names, e);
}

/* Next free signal slot, or NULL with e set. */
static rec_sig *next_slot(sim_record *r, errmsg *e) {
    if (r->nsig == RECORD_MAX_SIGNALS) {
        errmsg_set(e, "record.signals: more than %u signals", RECORD_MAX_SIGNALS);
        return NULL;
    }
    rec_sig *g = &r->sig[r->nsig++];
    g->ds = -1;
    return g;
}

/* A whole port of an instance: "NAME.DIR.PORT". */
static int add_port(sim_record *r, sim *s, const experiment_end *end, errmsg *e) {
    instance *in = &s->insts[end->inst];
    const char *dir = experiment_dir_word(in->kind, end->dir);
    int k = instance_port(in, end->dir, end->port);
    if (k < 0) return errmsg_set(e, "record.signals: %s has no %s port '%s'", in->name, dir, end->port);
    const animat_port_info *p = &in->ports[end->dir][k];
    rec_sig *g = next_slot(r, e);
    if (!g) return -1;
    snprintf(g->name, sizeof g->name, "%s.%s.%s", in->name, dir, end->port);
    g->buf = in->bufs[end->dir][k], g->in = in, g->n = p->size;
    size_t w = strlen(p->name) + 16;
    const char **names = calloc(p->size, sizeof *names);
    char *text = malloc(w * p->size);
    int rc = names && text ? 0 : errmsg_set(e, "out of memory");
    for (uint32_t i = 0; !rc && i < p->size; i++) {
        snprintf(text + i * w, w, "%s[%u]", p->name, i);
        names[i] = text + i * w;
    }
    if (!rc) rc = add_signal(r, g, dir, p->unit ? p->unit : "", names, e);
    free(names);
    free(text);
    return rc;
}

/* A circuit's units through its units extension: "NAME.units". */
static int add_units(sim_record *r, instance *in, int required, errmsg *e) {
    const animat_units_ext *ux = instance_units(in);
    if (!ux) return required ? errmsg_set(e, "record.signals: circuit '%s' (%s) has no units to record (it lacks the "
                                             "%s extension)", in->name, in->plugin->desc->name, ANIMAT_EXT_UNITS)
                             : 0;
    uint32_t n = 0;
    const char *const *names = instance_unit_names(in, ux, &n);
    if (!names || n == 0) return required ? errmsg_set(e, "record.signals: circuit '%s' names no units", in->name) : 0;
    rec_sig *g = next_slot(r, e);
    if (!g) return -1;
    snprintf(g->name, sizeof g->name, "%s.units", in->name);
    g->in = in, g->ux = ux, g->n = n;
    return add_signal(r, g, "units", "", names, e);
}

/* A circuit's membrane potentials through animat.spikes/1: "NAME.voltage". */
static int add_voltage(sim_record *r, instance *in, errmsg *e) {
    const animat_spikes_ext *sx = instance_spikes(in);
    const animat_units_ext *ux = instance_units(in);
    uint32_t n = 0;
    const char *const *names = ux ? instance_unit_names(in, ux, &n) : NULL;
    if (!sx || !instance_spikes_have_voltages(sx) || !names || !n)
        return errmsg_set(e, "record.signals: circuit '%s' (%s) has no membrane voltages to record (its %s extension "
                             "lacks voltages)", in->name, in->plugin->desc->name, ANIMAT_EXT_SPIKES);
    rec_sig *g = next_slot(r, e);
    if (!g) return -1;
    snprintf(g->name, sizeof g->name, "%s.voltage", in->name);
    g->in = in, g->vx = sx, g->n = n;
    return add_signal(r, g, "voltage", "mV", names, e);
}

/* A body's MuJoCo positions through animat.mujoco/1: "NAME.qpos", what
 * `animat view run.h5` replays (mjData.qpos, read between the body's calls;
 * elements named after the model's joints). required: fail when the body
 * lacks the extension, else skip it. */
static int add_qpos(sim_record *r, instance *in, int required, errmsg *e) {
    const animat_mujoco_ext *t = instance_mujoco(in);
    const mjModel *m = t ? instance_mj_model(in, t) : NULL;
    const mjData *d = t ? instance_mj_data(in, t) : NULL;
    if (!m || !d || m->nq < 1)
        return required ? errmsg_set(e, "record.signals: body '%s' (%s) has no MuJoCo positions to record (it lacks "
                                        "the %s extension)", in->name, in->plugin->desc->name, ANIMAT_EXT_MUJOCO)
                        : 0;
    rec_sig *g = next_slot(r, e);
    if (!g) return -1;
    snprintf(g->name, sizeof g->name, "%s.qpos", in->name);
    g->in = in, g->qpos = d->qpos, g->n = (uint32_t)m->nq;
    size_t w = 96;
    const char **names = calloc(g->n, sizeof *names);
    char *text = malloc(w * g->n);
    int rc = names && text ? 0 : errmsg_set(e, "out of memory");
    for (uint32_t i = 0; !rc && i < g->n; i++) {
        int j = -1; /* the joint whose positions include element i */
        for (int k = 0; k < m->njnt; k++)
            if (m->jnt_qposadr[k] <= (int)i) j = k;
        const char *jn = j >= 0 && m->name_jntadr[j] >= 0 ? m->names + m->name_jntadr[j] : "";
        snprintf(text + i * w, w, "%s[%u]", *jn ? jn : "qpos", j >= 0 ? i - (uint32_t)m->jnt_qposadr[j] : i);
        names[i] = text + i * w;
    }
    if (!rc) rc = add_signal(r, g, "qpos", "", names, e);
    free(names);
    free(text);
    return rc;
}

/* The step's total reward: "reward". */
static int add_reward(sim_record *r, errmsg *e) {
    rec_sig *g = next_slot(r, e);
    if (!g) return -1;
    snprintf(g->name, sizeof g->name, "reward");
    g->reward = 1, g->n = 1;
    const char *names[] = {"reward"};
    return add_signal(r, g, "reward", "", names, e);
}

/* record.signals, or every port of every instance, every circuit's units
 * (where it has them), every MuJoCo body's qpos and the reward. */
static int add_signals(sim_record *r, sim *s, errmsg *e) {
    const experiment *x = s->x;
    for (uint32_t i = 0; i < x->nrecord_sigs; i++) {
        const experiment_signal *g = &x->record_sigs[i];
        instance *in = &s->insts[g->inst];
        int rc = g->what == EXPERIMENT_SIGNAL_REWARD    ? add_reward(r, e)
                 : g->what == EXPERIMENT_SIGNAL_UNITS   ? add_units(r, in, 1, e)
                 : g->what == EXPERIMENT_SIGNAL_SPIKES  ? rec_spikes_add(r, in, 1, e)
                 : g->what == EXPERIMENT_SIGNAL_VOLTAGE ? add_voltage(r, in, e)
                 : g->what == EXPERIMENT_SIGNAL_QPOS    ? add_qpos(r, in, 1, e)
                                                        : add_port(r, s, &g->end, e);
        if (rc) return -1;
    }
    for (uint32_t i = 0; !x->record_sigs && i < s->ninsts; i++) {
        instance *in = &s->insts[i];
        for (uint32_t d = 0; d < 2; d++)
            for (uint32_t k = 0; k < in->nports[d]; k++) {
                experiment_end end = {.inst = i, .dir = d};
                snprintf(end.port, sizeof end.port, "%s", in->ports[d][k].name);
                if (add_port(r, s, &end, e)) return -1;
            }
        if (in->kind == ANIMAT_KIND_CIRCUIT && (add_units(r, in, 0, e) || rec_spikes_add(r, in, 0, e))) return -1;
        if (in->kind == ANIMAT_KIND_BODY && add_qpos(r, in, 0, e)) return -1;
    }
    return x->record_sigs ? 0 : add_reward(r, e);
}

/* The plugins as text, one line each: "role name id version fnv1a64 path". */
static char *plugin_lines(const experiment *x) {
    size_t cap = (512 + 4096) * (x->ninsts + 1) + 1, len = 0; /* names, id, version, hash, a path */
    char *s = calloc(1, cap);
    for (uint32_t k = 0; s && k <= x->ninsts; k++) {
        const experiment_inst *in = k < x->ninsts ? &x->insts[k] : &x->learner;
        if (!in->plugin) continue;
        uint64_t h = 0;
        hash_file(in->plugin->lib->path, &h);
        int n = snprintf(s + len, cap - len, "%s %s %s %s %016llx %s\n", in->name, in->plugin->desc->name,
                         in->plugin->id, in->plugin->desc->version, (unsigned long long)h, in->plugin->lib->path);
        if (n > 0) len += (size_t)n < cap - len ? (size_t)n : cap - len - 1;
    }
    return s;
}

/* Root attributes: format, provenance, the resolved experiment. */
static int describe_root(sim_record *r, sim *s, const record_meta *m, errmsg *e) {
    const experiment *x = s->x;
    char *text = record_resolved_text(s, e), *plugins = plugin_lines(x), *abs = realpath(x->file, NULL);
    size_t elen = 1;
    for (uint32_t i = 0; i < m->nextra; i++) elen += strlen(m->extra_plugins[i]) + 1;
    char *extra = calloc(1, elen);
    for (uint32_t i = 0; extra && i < m->nextra; i++) strcat(strcat(extra, m->extra_plugins[i]), "\n");
    int rc = !text || !plugins || !extra ? (text ? errmsg_set(e, "out of memory") : -1)
             : h5util_put_str(r->file, "format", RECORD_FORMAT, e) || h5util_put_str(r->file, "kind", m->kind, e) ||
                       h5util_put_str(r->file, "animat_version", ANIMAT_VERSION, e) ||
                       h5util_put_str(r->file, "command", m->command ? m->command : "", e) ||
                       h5util_put_str(r->file, "experiment", text, e) ||
                       h5util_put_str(r->file, "experiment_file", x->file, e) ||
                       h5util_put_str(r->file, "experiment_path", abs ? abs : x->file, e) ||
                       h5util_put_str(r->file, "extra_plugins", extra, e) ||
                       h5util_put_str(r->file, "provenance", m->provenance ? m->provenance : "", e) ||
                       h5util_put_u64(r->file, "seed", x->seed, e) || h5util_put_str(r->file, "plugins", plugins, e) ||
                       h5util_put_f64(r->file, "dt", s->dt, e) || h5util_put_u64(r->file, "every", r->every, e)
                   ? -1
                   : 0;
    free(text), free(plugins), free(abs), free(extra);
    return rc;
}

/* The per-episode datasets. */
static int make_episode_sets(sim_record *r, errmsg *e) {
    hsize_t c1[1] = {256};
    r->ds_ret = make_dataset(r->file, "episodes/return", 1, c1, H5T_NATIVE_DOUBLE);
    r->ds_steps = make_dataset(r->file, "episodes/steps", 1, c1, H5T_NATIVE_UINT64);
    return r->ds_ret < 0 || r->ds_steps < 0 ? errmsg_set(e, "%s: cannot create the episode datasets", r->af.tmp) : 0;
}

int record_check_signals(sim *s, errmsg *e) {
    for (uint32_t i = 0; i < s->x->nrecord_sigs; i++) {
        const experiment_signal *g = &s->x->record_sigs[i];
        const yamltree *at = g->node;
        if (g->what == EXPERIMENT_SIGNAL_UNITS) {
            instance *in = &s->insts[g->inst];
            if (!instance_extension(in, ANIMAT_EXT_UNITS))
                return errmsg_at(e, at->file, at->line, at->col,
                                 "record.signals[%u]: circuit '%s' (%s) has no units to record (it lacks the %s "
                                 "extension)", i, in->name, in->plugin->desc->name, ANIMAT_EXT_UNITS);
        } else if (g->what == EXPERIMENT_SIGNAL_SPIKES || g->what == EXPERIMENT_SIGNAL_VOLTAGE) {
            instance *in = &s->insts[g->inst];
            const animat_spikes_ext *sx = instance_spikes(in);
            int volt = g->what == EXPERIMENT_SIGNAL_VOLTAGE;
            if (!sx || (volt && !instance_spikes_have_voltages(sx)))
                return errmsg_at(e, at->file, at->line, at->col,
                                 "record.signals[%u]: circuit '%s' (%s) has no %s to record (it lacks the %s "
                                 "extension%s)", i, in->name, in->plugin->desc->name,
                                 volt ? "membrane voltages" : "spikes", ANIMAT_EXT_SPIKES,
                                 volt ? " with voltages" : "");
        } else if (g->what == EXPERIMENT_SIGNAL_QPOS) {
            instance *in = &s->insts[g->inst];
            if (!instance_mujoco(in))
                return errmsg_at(e, at->file, at->line, at->col,
                                 "record.signals[%u]: body '%s' (%s) has no MuJoCo positions to record (it lacks the "
                                 "%s extension)", i, in->name, in->plugin->desc->name, ANIMAT_EXT_MUJOCO);
        } else if (g->what == EXPERIMENT_SIGNAL_PORT) {
            instance *in = &s->insts[g->end.inst];
            if (instance_port(in, g->end.dir, g->end.port) < 0)
                return errmsg_at(e, at->file, at->line, at->col, "record.signals[%u]: %s has no %s port '%s'", i,
                                 in->name, experiment_dir_word(in->kind, g->end.dir), g->end.port);
        }
    }
    return 0;
}

sim_record *record_open(const char *path, sim *s, const record_meta *m, errmsg *e) {
    if (record_check_signals(s, e)) return NULL;
    sim_record *r = calloc(1, sizeof *r);
    if (!r || atomicfile_name(&r->af, path, e)) {
        if (!r) errmsg_set(e, "out of memory");
        free(r);
        return NULL;
    }
    r->every = s->x->record_every ? s->x->record_every : 1;
    r->dt = s->dt;
    r->ds_ret = r->ds_steps = r->ds_lret = r->ds_lsteps = r->ds_lbest = r->ds_lmean = -1;
    h5util_quiet();
    /* The 1.8 file format or later: attributes over 64 KiB (the resolved
     * experiment of a 64x64 MLP with its weights inlined) go to dense
     * attribute storage instead of failing. */
    hid_t fa = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_libver_bounds(fa, H5F_LIBVER_V18, H5F_LIBVER_LATEST);
    r->file = H5Fcreate(r->af.byname, H5F_ACC_TRUNC, H5P_DEFAULT, fa);
    H5Pclose(fa);
    if (r->file < 0) {
        errmsg_set(e, "%s: cannot create the HDF5 file", r->af.tmp);
        record_abort(r);
        return NULL;
    }
    if (!m->unguarded) atomicfile_guard(&r->af);
    if (add_signals(r, s, e) || make_episode_sets(r, e) || describe_root(r, s, m, e) || recwriter_start(r, e)) {
        record_abort(r);
        return NULL;
    }
    return r;
}

/* Hand the buffered samples (and, at an episode's end, its result) to the
 * writer thread and switch to the other buffer. 0, or -1 with r->err set
 * (an earlier write failed). */
static int hand_off(sim_record *r, const sim_result *res) {
    rec_job j = {.buf = r->cur, .ep = r->ep, .k0 = r->k0, .fill = r->fill, .end = res != NULL};
    if (res) j.ret = res->ret, j.steps = res->steps;
    if (recwriter_post(r, &j)) return -1;
    r->cur ^= 1;
    for (uint32_t i = 0; i < r->nspk; i++) r->spk[i].fill[r->cur] = 0;
    r->k0 += r->fill;
    r->fill = 0;
    if (res) r->ep++, r->k0 = 0;
    return 0;
}

/* hand_off without an episode's end, for rec_spikes_take. */
static int hand_off_full(sim_record *r) { return hand_off(r, NULL); }

/* Observer: every step's spikes; a sample on every `every`-th control step. */
static int before(void *ctx, const sim *s, uint64_t episode, uint64_t step) {
    (void)s, (void)episode;
    sim_record *r = ctx;
    if (r->nspk && rec_spikes_take(r, step, hand_off_full)) return -1;
    r->sampled = step % r->every == 0;
    if (!r->sampled) return 0;
    for (uint32_t i = 0; i < r->nsig; i++) {
        rec_sig *g = &r->sig[i];
        double *dst = g->chunk[r->cur] + (size_t)r->fill * g->n;
        if (g->buf || g->qpos) {
            memcpy(dst, g->buf ? g->buf : g->qpos, g->n * sizeof *dst);
        } else if (g->vx) {
            if (instance_voltages(g->in, g->vx, dst, g->n)) {
                snprintf(r->err, sizeof r->err, "%s (%s): voltages failed for %u units", g->in->name,
                         g->in->plugin->desc->name, g->n);
                return -1;
            }
        } else if (g->ux) {
            for (uint32_t u = 0; u < g->n; u++)
                if (instance_unit_get(g->in, g->ux, u, &dst[u])) {
                    snprintf(r->err, sizeof r->err, "%s (%s): units get failed for unit %u", g->in->name,
                             g->in->plugin->desc->name, u);
                    return -1;
                }
        }
    }
    r->fill++;
    return 0;
}

/* Observer: the reward of a sampled step; write full buffers. */
static int after(void *ctx, double reward) {
    sim_record *r = ctx;
    if (!r->sampled) return 0;
    for (uint32_t i = 0; i < r->nsig; i++)
        if (r->sig[i].reward) r->sig[i].chunk[r->cur][r->fill - 1] = reward;
    return r->fill == RECORD_CHUNK ? hand_off(r, NULL) : 0;
}

static const char *error(void *ctx) { return ((sim_record *)ctx)->err; }

sim_observer record_observer(sim_record *r) { return (sim_observer){r, before, after, error}; }

int record_episode_end(sim_record *r, const sim_result *res, errmsg *e) {
    return hand_off(r, res) ? errmsg_set(e, "%s", r->err) : 0;
}

/* The learner datasets, at the first epoch (n candidates per epoch). */
static int make_learner_sets(sim_record *r, uint32_t n, errmsg *e) {
    hsize_t c2[2] = {64, n}, c1[1] = {256};
    r->ncand = n;
    r->ds_lret = make_dataset(r->file, "learner/returns", 2, c2, H5T_NATIVE_DOUBLE);
    r->ds_lsteps = make_dataset(r->file, "learner/env_steps", 1, c1, H5T_NATIVE_UINT64);
    r->ds_lbest = make_dataset(r->file, "learner/best", 1, c1, H5T_NATIVE_DOUBLE);
    r->ds_lmean = make_dataset(r->file, "learner/mean", 1, c1, H5T_NATIVE_DOUBLE);
    return r->ds_lret < 0 || r->ds_lsteps < 0 || r->ds_lbest < 0 || r->ds_lmean < 0
               ? errmsg_set(e, "%s: cannot create the learner datasets", r->af.tmp)
               : 0;
}

int record_epoch(sim_record *r, uint64_t epoch, const double *returns, uint32_t n, uint64_t env_steps, errmsg *e) {
    if (n == 0) return 0;
    if (recwriter_wait(r)) return errmsg_set(e, "%s", r->err); /* libhdf5 is used by one thread at a time */
    if (r->ds_lret < 0 && make_learner_sets(r, n, e)) return -1;
    if (n != r->ncand) return errmsg_set(e, "%s: epoch %llu has %u candidates, not %u", r->af.tmp,
                                         (unsigned long long)epoch + 1, n, r->ncand);
    double best = returns[0], sum = 0;
    for (uint32_t i = 0; i < n; i++) best = returns[i] > best ? returns[i] : best, sum += returns[i];
    double mean = sum / n;
    errno = 0;
    hsize_t s2[2] = {epoch, 0}, c2[2] = {1, n}, s1[1] = {epoch}, c1[1] = {1};
    if (rec_write_block(r->ds_lret, 2, s2, c2, H5T_NATIVE_DOUBLE, returns) ||
        rec_write_block(r->ds_lsteps, 1, s1, c1, H5T_NATIVE_UINT64, &env_steps) ||
        rec_write_block(r->ds_lbest, 1, s1, c1, H5T_NATIVE_DOUBLE, &best) ||
        rec_write_block(r->ds_lmean, 1, s1, c1, H5T_NATIVE_DOUBLE, &mean))
        return errmsg_set(e, "%s: cannot write epoch %llu: %s", r->af.tmp, (unsigned long long)epoch + 1, rec_why());
    return 0;
}

/* /time: the time of every sample index. */
static int write_time(sim_record *r, errmsg *e) {
    hsize_t n = r->T;
    errno = 0;
    double *t = malloc((n ? n : 1) * sizeof *t);
    if (!t) return errmsg_set(e, "out of memory");
    for (hsize_t k = 0; k < n; k++) t[k] = (double)(k * r->every) * r->dt;
    hid_t sp = H5Screate_simple(1, &n, NULL);
    hid_t d = H5Dcreate2(r->file, "time", H5T_NATIVE_DOUBLE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int rc = d < 0 || H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, t) < 0 ||
             h5util_put_str(d, "unit", "s", e);
    if (d >= 0) H5Dclose(d);
    H5Sclose(sp);
    free(t);
    return rc ? errmsg_set(e, "%s: cannot write /time: %s", r->af.tmp, rec_why()) : 0;
}

/* Close every HDF5 handle; -1 if the file did not close cleanly. */
static int close_all(sim_record *r) {
    rec_spikes_close(r);
    for (uint32_t i = 0; i < r->nsig; i++) {
        if (r->sig[i].ds >= 0) H5Dclose(r->sig[i].ds);
        free(r->sig[i].chunk[0]), free(r->sig[i].chunk[1]);
        r->sig[i].ds = -1, r->sig[i].chunk[0] = r->sig[i].chunk[1] = NULL;
    }
    hid_t *ds[] = {&r->ds_ret, &r->ds_steps, &r->ds_lret, &r->ds_lsteps, &r->ds_lbest, &r->ds_lmean};
    for (size_t i = 0; i < sizeof ds / sizeof *ds; i++)
        if (*ds[i] >= 0) H5Dclose(*ds[i]), *ds[i] = -1;
    int rc = r->file >= 0 && H5Fclose(r->file) < 0 ? -1 : 0;
    r->file = -1;
    return rc;
}

int record_commit(sim_record *r, errmsg *e) {
    int rc = recwriter_stop(r) ? errmsg_set(e, "%s", r->err) : 0;
    if (!rc) rc = write_time(r, e);
    errno = 0;
    if (close_all(r) && !rc) rc = errmsg_set(e, "%s: cannot close the HDF5 file: %s", r->af.tmp, rec_why());
    atomicfile_unguard(&r->af);
    if (rc) {
        atomicfile_abort(&r->af);
    } else {
        rc = atomicfile_commit(&r->af, e);
    }
    free(r);
    return rc;
}

void record_abort(sim_record *r) {
    if (!r) return;
    recwriter_stop(r);
    close_all(r);
    atomicfile_unguard(&r->af);
    atomicfile_abort(&r->af);
    free(r);
}
