/* plugcheck_ext.c -- plugin-check's `extensions` check: the extensions a
 * body or circuit offers, exercised through their tables (see plugcheck.h),
 * and its `state` check: "animat.state/1" save/load round trips. */
#include "plugin/plugcheck.h"

#include <math.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin/instance.h"

/* The instance's table for extension `id`, or NULL. */
static const void *ext_of(const plugcheck_inst *in, const char *id) {
    const animat_plugin_desc *d = in->c->desc;
    if (d->kind == ANIMAT_KIND_BODY) {
        const animat_body_api *b = d->api;
        return REGISTRY_HAS(b, animat_body_api, extension) ? b->extension(in->self, id) : NULL;
    }
    const animat_circuit_api *a = d->api;
    return REGISTRY_HAS(a, animat_circuit_api, extension) ? a->extension(in->self, id) : NULL;
}

/* "animat.ports/1": every record the host's validator accepts. Appends a
 * summary to note. 0 or -1 with msg. */
static int check_ports_ext(const plugcheck_inst *in, char *note, size_t ncap, char *msg, size_t cap) {
    const animat_ports_ext *px = ext_of(in, ANIMAT_EXT_PORTS);
    if (!px) return 0;
    if (px->struct_size < offsetof(animat_ports_ext, values) + sizeof px->values || !px->values)
        return plugcheck_fail(msg, cap, "%s: the table lacks its values function", ANIMAT_EXT_PORTS);
    if (px->reserved) return plugcheck_fail(msg, cap, "animat_ports_ext.reserved is %u (must be 0)", px->reserved);
    uint32_t declared = 0;
    for (uint32_t d = 0; d < 2; d++)
        for (uint32_t i = 0; i < in->n[d]; i++) {
            const animat_port_values *v = px->values(in->self, d, i);
            char why[160];
            if (v && instance_check_values(v, plugcheck_port_at(in, d, i)->size, why, sizeof why))
                return plugcheck_fail(msg, cap, "%s: %s port '%s': %s", ANIMAT_EXT_PORTS, plugcheck_dir_word(in, d),
                                      plugcheck_port_at(in, d, i)->name, why);
            declared += v != NULL;
        }
    size_t len = strlen(note);
    snprintf(note + len, ncap - len, "%s%s: %u of %u ports declared", len ? "; " : "", ANIMAT_EXT_PORTS, declared,
             in->n[0] + in->n[1]);
    return 0;
}

/* Outputs of a run: reset(seed), `pre` override of unit 0 for one step and
 * a second reset when pre, then 3 steps; the last row into row. */
static int units_run(plugcheck_inst *in, const animat_units_ext *u, int pre, double *row, char *msg, size_t cap) {
    animat_step_result res;
    if (plugcheck_inst_reset(in, in->c->seed, NULL, msg, cap)) return -1;
    if (pre) {
        if (u->override(in->self, 0, ANIMAT_UNIT_CLAMP, 0.375) != ANIMAT_OK)
            return plugcheck_fail(msg, cap, "%s: override(0, CLAMP, 0.375) failed", ANIMAT_EXT_UNITS);
        if (plugcheck_inst_step(in, &res, NULL, msg, cap)) return -1;
        double got = 0;
        /* to rounding: a circuit with substeps may spread the value over them (circuit.h) */
        if (u->get(in->self, 0, &got) != ANIMAT_OK || !(fabs(got - 0.375) <= 1e-12))
            return plugcheck_fail(msg, cap, "%s: unit 0 clamped to 0.375 reads %g after a step", ANIMAT_EXT_UNITS, got);
        if (plugcheck_inst_reset(in, in->c->seed, NULL, msg, cap)) return -1;
    }
    for (int t = 0; t < 3; t++)
        if (plugcheck_inst_step(in, &res, row, msg, cap)) return -1;
    return 0;
}

/* After reset every unit reads what it starts an episode with (circuit.h:
 * 0 for a step's outputs, the state for a unit naming state), finite, and
 * the same after a few steps and another reset with the same seed. 0 or -1
 * with msg. */
static int units_after_reset(plugcheck_inst *in, const animat_units_ext *u, const char *const *names, uint32_t n,
                             char *msg, size_t cap) {
    double *first = calloc(n + 1, sizeof *first);
    if (!first) return plugcheck_fail(msg, cap, "out of memory");
    int rc = plugcheck_inst_reset(in, in->c->seed, NULL, msg, cap);
    for (uint32_t i = 0; !rc && i < n; i++)
        if (u->get(in->self, i, &first[i]) != ANIMAT_OK || !isfinite(first[i]))
            rc = plugcheck_fail(msg, cap, "%s: unit %u (%s) reads %g after reset (want a finite value)",
                                ANIMAT_EXT_UNITS, i, names[i], first[i]);
    animat_step_result res;
    for (int t = 0; !rc && t < 3; t++) rc = plugcheck_inst_step(in, &res, NULL, msg, cap);
    if (!rc) rc = plugcheck_inst_reset(in, in->c->seed, NULL, msg, cap);
    for (uint32_t i = 0; !rc && i < n; i++) {
        double v = NAN;
        if (u->get(in->self, i, &v) != ANIMAT_OK || memcmp(&v, &first[i], sizeof v))
            rc = plugcheck_fail(msg, cap, "%s: unit %u (%s) reads %g after steps and a reset, %g after the first "
                                "reset (want the same)", ANIMAT_EXT_UNITS, i, names[i], v, first[i]);
    }
    free(first);
    return rc ? -1 : 0;
}

/* "animat.units/1": names present and unique, get reads the same after
 * every reset with one seed (units_after_reset) and refuses an index out of range, override refuses a bad index or mode,
 * a clamp shows in get, and reset clears every override (the outputs after
 * reset equal a run that never overrode). 0 or -1 with msg. */
static int check_units_ext(plugcheck_inst *in, char *note, size_t ncap, char *msg, size_t cap) {
    const animat_units_ext *u = ext_of(in, ANIMAT_EXT_UNITS);
    if (!u) return 0;
    if (u->struct_size < offsetof(animat_units_ext, override) + sizeof u->override || !u->names || !u->get ||
        !u->override)
        return plugcheck_fail(msg, cap, "%s: the table lacks names, get or override", ANIMAT_EXT_UNITS);
    uint32_t n = 0;
    const char *const *names = u->names(in->self, &n);
    if (n > (1u << 24) || (n && !names))
        return plugcheck_fail(msg, cap, "%s: names() reports %u units and %s", ANIMAT_EXT_UNITS, n,
                              names ? "that is absurd" : "returns NULL");
    for (uint32_t i = 0; i < n; i++) {
        if (!names[i] || !names[i][0]) return plugcheck_fail(msg, cap, "%s: unit %u has no name", ANIMAT_EXT_UNITS, i);
        for (uint32_t j = 0; j < i && n <= 4096; j++)
            if (!strcmp(names[i], names[j]))
                return plugcheck_fail(msg, cap, "%s: unit name '%s' appears twice", ANIMAT_EXT_UNITS, names[i]);
    }
    if (units_after_reset(in, u, names, n, msg, cap)) return -1;
    double v;
    if (u->get(in->self, n, &v) == ANIMAT_OK || u->override(in->self, n, ANIMAT_UNIT_CLAMP, 0) == ANIMAT_OK ||
        (n && u->override(in->self, 0, 99, 0) == ANIMAT_OK))
        return plugcheck_fail(msg, cap, "%s: get/override accepted unit %u of %u or mode 99 (want ANIMAT_ERROR)",
                              ANIMAT_EXT_UNITS, n, n);
    if (n) {
        size_t w = plugcheck_row_width(in);
        double *a = calloc(2 * w + 1, sizeof *a);
        if (!a) return plugcheck_fail(msg, cap, "out of memory");
        int rc = units_run(in, u, 0, a, msg, cap) || units_run(in, u, 1, a + w, msg, cap);
        if (!rc && memcmp(a, a + w, in->total[ANIMAT_PORT_OUT] * sizeof *a))
            rc = plugcheck_fail(msg, cap, "%s: reset did not clear an override of unit 0 (%s): outputs differ 3 steps "
                                          "after it", ANIMAT_EXT_UNITS, names[0]);
        free(a);
        if (rc) return -1;
    }
    size_t len = strlen(note);
    snprintf(note + len, ncap - len, "%s%s: %u units, get/override, reset clears overrides", len ? "; " : "",
             ANIMAT_EXT_UNITS, n);
    return 0;
}

/* One step's events against the contract of animat/spikes.h: at most
 * capacity, units in range, 0 <= t <= dt, in time order. Adds them to
 * *total. 0 or -1 with msg. */
static int spikes_events_ok(plugcheck_inst *in, const animat_spikes_ext *sx, uint32_t cap_ev, uint32_t units,
                            double dt, uint64_t *total, char *msg, size_t cap) {
    uint32_t n = 1u;
    const animat_spike_event *ev = sx->events(in->self, &n);
    if (n > cap_ev || (n && !ev))
        return plugcheck_fail(msg, cap, "%s: step %u reports %u events (capacity %u)%s", ANIMAT_EXT_SPIKES, in->t, n,
                              cap_ev, n && !ev ? " and a NULL array" : "");
    for (uint32_t k = 0; k < n; k++) {
        if (ev[k].unit >= units || ev[k].reserved || !(ev[k].t >= 0 && ev[k].t <= dt))
            return plugcheck_fail(msg, cap, "%s: step %u event %u: unit %u of %u, reserved %u, t %g (want 0..%g)",
                                  ANIMAT_EXT_SPIKES, in->t, k, ev[k].unit, units, ev[k].reserved, ev[k].t, dt);
        if (k && (ev[k].t < ev[k - 1].t || (ev[k].t == ev[k - 1].t && ev[k].unit < ev[k - 1].unit)))
            return plugcheck_fail(msg, cap, "%s: step %u events %u and %u are out of time order", ANIMAT_EXT_SPIKES,
                                  in->t, k - 1, k);
    }
    *total += n;
    return 0;
}

/* "animat.spikes/1": offered with animat.units/1, a constant capacity > 0,
 * no events after reset, and over 50 steps every step's events within the
 * contract (spikes_events_ok). 0 or -1 with msg. */
static int check_spikes_ext(plugcheck_inst *in, char *note, size_t ncap, char *msg, size_t cap) {
    const animat_spikes_ext *sx = ext_of(in, ANIMAT_EXT_SPIKES);
    if (!sx) return 0;
    const animat_units_ext *u = ext_of(in, ANIMAT_EXT_UNITS);
    if (sx->struct_size < offsetof(animat_spikes_ext, events) + sizeof sx->events || !sx->capacity || !sx->events)
        return plugcheck_fail(msg, cap, "%s: the table lacks capacity or events", ANIMAT_EXT_SPIKES);
    if (sx->reserved) return plugcheck_fail(msg, cap, "animat_spikes_ext.reserved is %u (must be 0)", sx->reserved);
    uint32_t units = 0;
    if (!u || !u->names || !u->names(in->self, &units) || units == 0)
        return plugcheck_fail(msg, cap, "%s is offered without %s naming the units", ANIMAT_EXT_SPIKES,
                              ANIMAT_EXT_UNITS);
    uint32_t cap_ev = sx->capacity(in->self), n = 1u;
    if (cap_ev == 0) return plugcheck_fail(msg, cap, "%s: capacity() is 0", ANIMAT_EXT_SPIKES);
    if (plugcheck_inst_reset(in, in->c->seed, NULL, msg, cap)) return -1;
    if (sx->events(in->self, &n), n != 0)
        return plugcheck_fail(msg, cap, "%s: %u events after reset (want 0)", ANIMAT_EXT_SPIKES, n);
    uint64_t total = 0;
    for (int t = 0; t < 50; t++) {
        animat_step_result res;
        if (plugcheck_inst_step(in, &res, NULL, msg, cap) ||
            spikes_events_ok(in, sx, cap_ev, units, PLUGCHECK_CIRCUIT_DT, &total, msg, cap))
            return -1;
        if (sx->capacity(in->self) != cap_ev)
            return plugcheck_fail(msg, cap, "%s: capacity() changed from %u to %u", ANIMAT_EXT_SPIKES, cap_ev,
                                  sx->capacity(in->self));
    }
    int volt = sx->struct_size >= offsetof(animat_spikes_ext, voltages) + sizeof sx->voltages && sx->voltages;
    if (volt) {
        double *v = calloc(units + 1u, sizeof *v);
        int bad = !v || sx->voltages(in->self, v, units) != ANIMAT_OK ||
                  sx->voltages(in->self, v, units + 1u) == ANIMAT_OK;
        for (uint32_t i = 0; v && !bad && i < units; i++) bad = !isfinite(v[i]);
        free(v);
        if (bad)
            return plugcheck_fail(msg, cap, "%s: voltages() failed for %u units, accepted %u, or gave a non-finite "
                                            "value", ANIMAT_EXT_SPIKES, units, units + 1u);
    }
    size_t len = strlen(note);
    snprintf(note + len, ncap - len, "%s%s: capacity %u, %llu events in 50 steps within the contract%s",
             len ? "; " : "", ANIMAT_EXT_SPIKES, cap_ev, (unsigned long long)total, volt ? ", voltages" : "");
    return 0;
}

/* "animat.mujoco/1" (bodies): a MuJoCo version, model and data present and
 * at the same address across reset and step, a camera (if offered) with a
 * positive distance. 0 or -1 with msg. */
static int check_mujoco_ext(plugcheck_inst *in, char *note, size_t ncap, char *msg, size_t cap) {
    const animat_mujoco_ext *mj = in->c->desc->kind == ANIMAT_KIND_BODY ? ext_of(in, ANIMAT_EXT_MUJOCO) : NULL;
    if (!mj) return 0;
    if (mj->struct_size < offsetof(animat_mujoco_ext, data) + sizeof mj->data || !mj->model || !mj->data)
        return plugcheck_fail(msg, cap, "%s: the table lacks model or data", ANIMAT_EXT_MUJOCO);
    if (mj->mujoco_version <= 0)
        return plugcheck_fail(msg, cap, "%s: mujoco_version %d (want mjVERSION_HEADER)", ANIMAT_EXT_MUJOCO,
                              mj->mujoco_version);
    const void *m0 = mj->model(in->self), *d0 = mj->data(in->self);
    animat_step_result res;
    if (!m0 || !d0) return plugcheck_fail(msg, cap, "%s: model() or data() is NULL", ANIMAT_EXT_MUJOCO);
    if (plugcheck_inst_reset(in, in->c->seed, NULL, msg, cap) || plugcheck_inst_step(in, &res, NULL, msg, cap))
        return -1;
    if (mj->model(in->self) != m0 || mj->data(in->self) != d0)
        return plugcheck_fail(msg, cap, "%s: model() or data() moved after reset and a step (must stay put until "
                                        "destroy)", ANIMAT_EXT_MUJOCO);
    if (mj->struct_size >= offsetof(animat_mujoco_ext, camera) + sizeof mj->camera && mj->camera) {
        animat_mujoco_camera cam;
        memset(&cam, 0, sizeof cam);
        cam.struct_size = sizeof cam;
        if (mj->camera(in->self, &cam) == ANIMAT_OK && !(isfinite(cam.distance) && cam.distance > 0))
            return plugcheck_fail(msg, cap, "%s: camera distance %g (want finite > 0)", ANIMAT_EXT_MUJOCO,
                                  cam.distance);
    }
    size_t len = strlen(note);
    snprintf(note + len, ncap - len, "%s%s: MuJoCo %d, model and data stable", len ? "; " : "", ANIMAT_EXT_MUJOCO,
             mj->mujoco_version);
    return 0;
}

/* See plugcheck.h. Runs plugin code: call it in a forked child only. */
int plugcheck_extensions(const plugcheck_ctx *c, char *msg, size_t cap) {
    plugcheck_inst in;
    char note[600] = "";
    int rc = plugcheck_inst_new(&in, c, c->seed, msg, cap);
    if (!rc) rc = check_ports_ext(&in, note, sizeof note, msg, cap);
    if (!rc) rc = check_spikes_ext(&in, note, sizeof note, msg, cap);
    if (!rc) rc = check_units_ext(&in, note, sizeof note, msg, cap);
    if (!rc) rc = check_mujoco_ext(&in, note, sizeof note, msg, cap);
    if (!rc)
        snprintf(msg, cap, "%s",
                 note[0] ? note : "no animat.ports/1, animat.units/1, animat.mujoco/1 or animat.spikes/1 offered");
    plugcheck_inst_free(&in);
    return rc;
}

/* Step `in` up to n times from its current state (a body stops at the end of
 * its episode) into rec rows 1..; row 0 zeros; *got the steps taken. */
static int state_leg(plugcheck_inst *in, uint32_t n, double *rec, uint32_t *got, char *msg, size_t cap) {
    size_t w = plugcheck_row_width(in);
    if (rec) memset(rec, 0, w * sizeof *rec);
    *got = 0;
    for (uint32_t t = 1; t <= n; t++) {
        animat_step_result res;
        if (plugcheck_inst_step(in, &res, rec ? rec + t * w : NULL, msg, cap)) return -1;
        *got = t;
        if (in->c->desc->kind == ANIMAT_KIND_BODY && (res.terminated || res.truncated)) break;
    }
    return 0;
}

/* load(buf, size) into `in` and put its input stream, its host's random
 * stream (the host's to save, animat/state.h) and step count back to where
 * they were at save (g0[0], g0[1], t0). 0 or -1 with msg naming load. */
static int state_load(plugcheck_inst *in, const animat_state_ext *sx, const void *buf, uint64_t size,
                      gsl_rng *const *g0, uint32_t t0, char *msg, size_t cap) {
    if (sx->load(in->self, buf, size) != ANIMAT_OK)
        return plugcheck_fail(msg, cap, "%s: load() of the %llu bytes save() wrote returned an error", ANIMAT_EXT_STATE,
                              (unsigned long long)size);
    gsl_rng_memcpy(in->g, g0[0]);
    gsl_rng_memcpy(in->ah.rng, g0[1]);
    in->t = t0;
    return 0;
}

/* The round trip of plugcheck_state on a reset instance a: K steps, save,
 * M steps recorded, load and the same M again, then into a fresh instance b
 * (reset alike) and the same M; a load of size-1 bytes (1 byte when size is
 * 0: a stateless instance) must fail. buf holds size + 1 bytes. */
static int state_trip(plugcheck_inst *a, plugcheck_inst *b, const animat_state_ext *sx, uint64_t size, void *buf,
                      double *rec, gsl_rng **g0, char *msg, size_t cap) {
    size_t w = plugcheck_row_width(a), m = PLUGCHECK_STATE_M + 1;
    uint32_t k = 0, n[3] = {0, 0, 0};
    if (state_leg(a, PLUGCHECK_STATE_K, NULL, &k, msg, cap)) return -1;
    if (sx->save(a->self, buf, size) != ANIMAT_OK)
        return plugcheck_fail(msg, cap, "%s: save() of %llu bytes after step %u returned an error", ANIMAT_EXT_STATE,
                              (unsigned long long)size, k);
    gsl_rng_memcpy(g0[0], a->g);
    gsl_rng_memcpy(g0[1], a->ah.rng);
    uint32_t t0 = a->t;
    char what[160];
    if (state_leg(a, PLUGCHECK_STATE_M, rec, &n[0], msg, cap) || state_load(a, sx, buf, size, g0, t0, msg, cap) ||
        state_leg(a, n[0], rec + m * w, &n[1], msg, cap))
        return -1;
    snprintf(what, sizeof what, "%s: saved after step %u, loaded back into the instance (steps counted from the save)",
             ANIMAT_EXT_STATE, k);
    if (plugcheck_same_run(a, rec, n[0], rec + m * w, n[1], what, msg, cap)) return -1;
    if (plugcheck_inst_reset(b, b->c->seed, NULL, msg, cap) || state_load(b, sx, buf, size, g0, t0, msg, cap) ||
        state_leg(b, n[0], rec + 2 * m * w, &n[2], msg, cap))
        return -1;
    snprintf(what, sizeof what, "%s: saved after step %u, loaded into a second fresh instance (steps counted from "
                                "the save)", ANIMAT_EXT_STATE, k);
    if (plugcheck_same_run(a, rec, n[0], rec + 2 * m * w, n[2], what, msg, cap)) return -1;
    uint64_t bad = size ? size - 1 : 1; /* truncated, or one byte too many for an empty state */
    if (sx->load(b->self, buf, bad) == ANIMAT_OK)
        return plugcheck_fail(msg, cap, "%s: load() accepted %llu bytes (a state is %llu bytes; want ANIMAT_ERROR)",
                              ANIMAT_EXT_STATE, (unsigned long long)bad, (unsigned long long)size);
    snprintf(msg, cap, "%s: %llu bytes; saved after step %u, %u steps after load bit-identical in the same and a "
                       "fresh instance; a %s state refused", ANIMAT_EXT_STATE, (unsigned long long)size, k, n[0],
             size ? "truncated" : "longer");
    return 0;
}

/* See plugcheck.h. Runs plugin code: call it in a forked child only. */
int plugcheck_state(const plugcheck_ctx *c, char *msg, size_t cap) {
    plugcheck_inst a, b;
    memset(&b, 0, sizeof b);
    int rc = plugcheck_inst_new(&a, c, c->seed, msg, cap);
    const animat_state_ext *sx = rc ? NULL : ext_of(&a, ANIMAT_EXT_STATE);
    if (!rc && !sx) snprintf(msg, cap, "no %s offered", ANIMAT_EXT_STATE);
    if (!rc && sx) {
        uint64_t size = 0;
        if (sx->struct_size < offsetof(animat_state_ext, load) + sizeof sx->load || !sx->size || !sx->save ||
            !sx->load)
            rc = plugcheck_fail(msg, cap, "%s: the table lacks size, save or load", ANIMAT_EXT_STATE);
        else if (sx->reserved)
            rc = plugcheck_fail(msg, cap, "animat_state_ext.reserved is %u (must be 0)", sx->reserved);
        else if ((size = sx->size(a.self)) > PLUGCHECK_MAX_STATE)
            rc = plugcheck_fail(msg, cap, "%s: size() returns %llu (want at most %llu bytes)", ANIMAT_EXT_STATE,
                                (unsigned long long)size, (unsigned long long)PLUGCHECK_MAX_STATE);
        if (!rc) rc = plugcheck_inst_new(&b, c, c->seed, msg, cap) || plugcheck_inst_reset(&a, c->seed, NULL, msg, cap);
        void *buf = rc ? NULL : malloc(size + 1); /* + 1: the too-long load of an empty state */
        double *rec = rc ? NULL : calloc(3 * (PLUGCHECK_STATE_M + 1) * plugcheck_row_width(&a), sizeof *rec);
        gsl_rng *g0[2] = {rc ? NULL : gsl_rng_clone(a.g), rc ? NULL : gsl_rng_clone(a.ah.rng)};
        if (!rc && (!buf || !rec || !g0[0] || !g0[1])) rc = plugcheck_fail(msg, cap, "out of memory");
        if (!rc) rc = state_trip(&a, &b, sx, size, buf, rec, g0, msg, cap);
        for (int i = 0; i < 2; i++)
            if (g0[i]) gsl_rng_free(g0[i]);
        free(rec);
        free(buf);
    }
    plugcheck_inst_free(&b);
    plugcheck_inst_free(&a);
    return rc ? -1 : 0;
}
