/* instext.c -- the host's calls into an instance's extension tables:
 * units (animat.units/1), spikes (animat.spikes/1) and MuJoCo
 * (animat.mujoco/1); see instance.h.
 * Plasticity is instcall.c's, state statext.c's. */
#include "plugin/callguard.h"
#include "plugin/instance.h"

#include <animat/helpers.h>
#include <stddef.h>
#include <string.h>

const animat_units_ext *instance_units(instance *in) {
    const animat_units_ext *u = instance_extension(in, ANIMAT_EXT_UNITS);
    return u && u->struct_size >= sizeof *u && u->names && u->get && u->override ? u : NULL;
}

const char *const *instance_unit_names(instance *in, const animat_units_ext *u, uint32_t *n) {
    *n = 0;
    callguard_enter(in->name, in->plugin->desc->name, "units names");
    const char *const *names = u->names(in->self, n);
    callguard_leave();
    if (!names) *n = 0;
    return names;
}

int instance_unit_get(instance *in, const animat_units_ext *u, uint32_t i, double *value) {
    callguard_enter(in->name, in->plugin->desc->name, "units get");
    int32_t rc = u->get(in->self, i, value);
    callguard_leave();
    return rc == ANIMAT_OK ? 0 : -1;
}

int instance_unit_override(instance *in, const animat_units_ext *u, uint32_t i, uint32_t mode, double value,
                           errmsg *e) {
    callguard_enter(in->name, in->plugin->desc->name, "units override");
    hostctx_begin(&in->host);
    int32_t rc = u->override(in->self, i, mode, value);
    callguard_leave();
    return rc == ANIMAT_OK ? 0 : instance_fail(in, "units override failed", e);
}

const animat_spikes_ext *instance_spikes(instance *in) {
    const animat_spikes_ext *s = instance_extension(in, ANIMAT_EXT_SPIKES);
    return s && ANIMAT_HAS(s, animat_spikes_ext, events) && s->capacity && s->events ? s : NULL;
}

int instance_spikes_have_voltages(const animat_spikes_ext *s) {
    return ANIMAT_HAS(s, animat_spikes_ext, voltages) && s->voltages;
}

uint32_t instance_spike_capacity(instance *in, const animat_spikes_ext *s) {
    callguard_enter(in->name, in->plugin->desc->name, "spikes capacity");
    uint32_t c = s->capacity(in->self);
    callguard_leave();
    return c;
}

const animat_spike_event *instance_spike_events(instance *in, const animat_spikes_ext *s, uint32_t *n) {
    *n = 0;
    callguard_enter(in->name, in->plugin->desc->name, "spikes events");
    const animat_spike_event *ev = s->events(in->self, n);
    callguard_leave();
    if (!ev) *n = 0;
    return ev;
}

int instance_voltages(instance *in, const animat_spikes_ext *s, double *v, uint32_t n) {
    if (!instance_spikes_have_voltages(s)) return -1;
    callguard_enter(in->name, in->plugin->desc->name, "spikes voltages");
    int32_t rc = s->voltages(in->self, v, n);
    callguard_leave();
    return rc == ANIMAT_OK ? 0 : -1;
}

const animat_mujoco_ext *instance_mujoco(instance *in) {
    const animat_mujoco_ext *t = instance_extension(in, ANIMAT_EXT_MUJOCO);
    return t && ANIMAT_HAS(t, animat_mujoco_ext, data) && t->model && t->data ? t : NULL;
}

const void *instance_mj_model(instance *in, const animat_mujoco_ext *t) {
    callguard_enter(in->name, in->plugin->desc->name, "mujoco model");
    const void *m = t->model(in->self);
    callguard_leave();
    return m;
}

const void *instance_mj_data(instance *in, const animat_mujoco_ext *t) {
    callguard_enter(in->name, in->plugin->desc->name, "mujoco data");
    const void *d = t->data(in->self);
    callguard_leave();
    return d;
}

int instance_mj_camera(instance *in, const animat_mujoco_ext *t, animat_mujoco_camera *cam) {
    memset(cam, 0, sizeof *cam);
    cam->struct_size = sizeof *cam;
    if (!ANIMAT_HAS(t, animat_mujoco_ext, camera) || !t->camera) return 0;
    callguard_enter(in->name, in->plugin->desc->name, "mujoco camera");
    int32_t rc = t->camera(in->self, cam);
    callguard_leave();
    return rc == ANIMAT_OK;
}
