/* mjcf_ports.c -- actuators and sensors grouped into ports by name. */
#include <animat/helpers.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mjcf.h"

/* The port a name belongs to: "STEM_N" (N digits) -> STEM, else the name.
 * 0, or -1 when the result is not a valid port name. Create phase. */
static int mjcf_stem(const char *name, char *out, size_t cap) {
    size_t n = strlen(name), k = n;
    while (k > 0 && name[k - 1] >= '0' && name[k - 1] <= '9') k--;
    if (k < n && k > 1 && name[k - 1] == '_') n = k - 1;
    if (n == 0 || n >= cap) return -1;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return -1;
    }
    memcpy(out, name, n);
    out[n] = '\0';
    return 0;
}

/* Group `count` objects of type `obj` (actuator or sensor) by stem into
 * groups/ids; sizes from dims (NULL = 1 each). 0 or -1 with err. Create. */
static int mjcf_group_by_name(const mjModel *m, int obj, int count, const int *dims,
                              mjcf_group *groups, int *ngroups, int *ids, char *err, int errlen) {
    const char *what = obj == mjOBJ_ACTUATOR ? "actuator" : "sensor";
    int ng = 0, filled = 0;
    for (int pass = 0; pass < 2; pass++) { /* 0: discover groups; 1: fill ids */
        for (int g = 0; pass == 1 && g < ng; g++) {
            groups[g].first = filled;
            for (int i = 0; i < count; i++) {
                char stem[MJCF_NAME_MAX];
                mjcf_stem(mj_id2name(m, obj, i), stem, sizeof stem);
                if (strcmp(stem, groups[g].name) != 0) continue;
                ids[filled++] = i;
                groups[g].count++;
                groups[g].size += dims ? dims[i] : 1;
            }
        }
        for (int i = 0; pass == 0 && i < count; i++) {
            const char *name = mj_id2name(m, obj, i);
            char stem[MJCF_NAME_MAX];
            if (!name || !*name) {
                snprintf(err, (size_t)errlen, "%s %d has no name (ports are named after them)", what, i);
                return -1;
            }
            if (mjcf_stem(name, stem, sizeof stem) != 0) {
                snprintf(err, (size_t)errlen, "%s '%.40s': a port name must be [a-z0-9_]+ (under %d characters)",
                         what, name, MJCF_NAME_MAX);
                return -1;
            }
            int g = 0;
            while (g < ng && strcmp(groups[g].name, stem) != 0) g++;
            if (g < ng) continue;
            if (ng == MJCF_MAX_PORTS) {
                snprintf(err, (size_t)errlen, "more than %d %s ports", MJCF_MAX_PORTS, what);
                return -1;
            }
            memset(&groups[ng], 0, sizeof groups[ng]);
            memcpy(groups[ng].name, stem, sizeof stem);
            ng++;
        }
    }
    *ngroups = ng;
    return 0;
}

/* Append an OUT port unless its name is taken by a sensor group. */
static int mjcf_add_out(mjcf_body *b, const char *name, uint32_t size, uint32_t flags,
                        const char *unit, const char *doc) {
    for (uint32_t i = 0; i < b->nout; i++)
        if (strcmp(b->out[i].name, name) == 0) return -1;
    b->out[b->nout] = ANIMAT_PORT_INFO_F(name, size, flags, unit, doc);
    return (int)b->nout++;
}

/* Each action port's values: its actuators' names and ctrlrange (-inf, inf
 * where ctrllimited is off), port order. 0, or -1 out of memory. Create. */
static int mjcf_action_values(mjcf_body *b) {
    const mjModel *m = b->m;
    b->act_lo = animat_alloc_array(b->h, 2 * (size_t)m->nu, sizeof(double));
    b->act_names = animat_alloc_array(b->h, (size_t)m->nu, sizeof(const char *));
    if (!b->act_lo || !b->act_names) return -1;
    b->act_hi = b->act_lo + m->nu;
    for (int k = 0; k < m->nu; k++) {
        int a = b->act_ids[k];
        int lim = m->actuator_ctrllimited[a] != 0;
        b->act_lo[k] = lim ? m->actuator_ctrlrange[2 * a] : -INFINITY;
        b->act_hi[k] = lim ? m->actuator_ctrlrange[2 * a + 1] : INFINITY;
        b->act_names[k] = mj_id2name(m, mjOBJ_ACTUATOR, a);
    }
    for (int g = 0; g < b->nact; g++) {
        int f = b->act[g].first;
        b->act_vals[g] = (animat_port_values){.struct_size = sizeof(animat_port_values), .lowers = b->act_lo + f,
                                              .uppers = b->act_hi + f, .names = b->act_names + f};
    }
    return 0;
}

static const animat_port_values *mjcf_values(void *self, uint32_t dir, uint32_t i) {
    const mjcf_body *b = self;
    if (dir == ANIMAT_PORT_OUT && b->port_eye0 >= 0 && i >= (uint32_t)b->port_eye0 && i < b->nout)
        return mjb_eyes_values(b->eyes); /* camera pictures: [0, 1] */
    return dir == ANIMAT_PORT_IN && i < b->nin ? &b->act_vals[i] : NULL;
}

const animat_ports_ext mjcf_ports_ext = {.struct_size = sizeof(animat_ports_ext), .values = mjcf_values};

/* See mjcf.h. */
int mjcf_make_ports(mjcf_body *b, char *err, int errlen) {
    const mjModel *m = b->m;
    if (m->nu == 0) {
        snprintf(err, (size_t)errlen, "the model has no actuators (a body needs at least one action)");
        return -1;
    }
    b->act_ids = animat_alloc_array(b->h, (size_t)m->nu, sizeof(int));
    b->sen_ids = animat_alloc_array(b->h, (size_t)(m->nsensor ? m->nsensor : 1), sizeof(int));
    if (!b->act_ids || !b->sen_ids) {
        snprintf(err, (size_t)errlen, "out of memory");
        return -1;
    }
    if (mjcf_group_by_name(m, mjOBJ_ACTUATOR, m->nu, NULL, b->act, &b->nact, b->act_ids, err, errlen) ||
        mjcf_group_by_name(m, mjOBJ_SENSOR, m->nsensor, m->sensor_dim, b->sen, &b->nsen, b->sen_ids, err, errlen))
        return -1;
    for (int g = 0; g < b->nact; g++)
        b->in[g] = ANIMAT_PORT_INFO(b->act[g].name, (uint32_t)b->act[g].size, "",
                                    "Actuator controls of this name group, model order.");
    b->nin = (uint32_t)b->nact;
    if (mjcf_action_values(b)) {
        snprintf(err, (size_t)errlen, "out of memory");
        return -1;
    }
    for (int g = 0; g < b->nsen; g++)
        b->out[g] = ANIMAT_PORT_INFO(b->sen[g].name, (uint32_t)b->sen[g].size, "",
                                     "Sensor readings of this name group, model order.");
    b->nout = (uint32_t)b->nsen;
    b->port_obs = m->nsensordata ? mjcf_add_out(b, "obs", (uint32_t)m->nsensordata, 0, "",
                                                "Every sensor reading, model order.") : -1;
    b->port_qpos = b->obs_qpos ? mjcf_add_out(b, "qpos", (uint32_t)m->nq, 0, "", "Generalised positions.") : -1;
    b->port_qvel = b->obs_qvel ? mjcf_add_out(b, "qvel", (uint32_t)m->nv, 0, "", "Generalised velocities.") : -1;
    b->port_speed = b->task.forward_body >= 0
        ? mjcf_add_out(b, "speed", 1, ANIMAT_PORT_METRIC, "m/s", "Forward velocity of the forward body along its axis.") : -1;
    b->port_target = b->task.target_site >= 0
        ? mjcf_add_out(b, "to_target", 3, 0, "m", "Target site minus reach site, world frame.") : -1;
    b->port_position = m->nbody > 1
        ? mjcf_add_out(b, "position", 2, 0, "m", "World x, y of body 1 (the first body under the worldbody).") : -1;
    if (mjcf_contact_resolve(m, b->contact_groups, &b->ncontact, err, errlen)) return -1;
    b->port_contact = b->ncontact ? mjcf_add_out(b, "contact_force", (uint32_t)b->ncontact, 0, "N",
                                                 "Summed normal contact force per geom group of animat.contact_groups.")
                                  : -1;
    if (b->ncontact && b->port_contact < 0) {
        snprintf(err, (size_t)errlen, "%s: a sensor group is already called contact_force", MJCF_CONTACT_KEY);
        return -1;
    }
    if (mjcf_odour_resolve(m, &b->odour, err, errlen)) return -1;
    b->port_smell = b->odour.nsense ? mjcf_add_out(b, "smell", (uint32_t)b->odour.nsense, 0, "",
                                                   "Odour concentration at each site of animat.smell.")
                                    : -1;
    if (b->odour.nsense && b->port_smell < 0) {
        snprintf(err, (size_t)errlen, "%s: a sensor group is already called smell", MJCF_SMELL_KEY);
        return -1;
    }
    b->port_eye0 = mjb_eyes_count(b->eyes) ? (int)b->nout : -1;
    for (int k = 0; k < mjb_eyes_count(b->eyes); k++) {
        animat_port_info p = mjb_eyes_port(b->eyes, k);
        if (mjcf_add_out(b, p.name, p.size, 0, "", p.doc) < 0) {
            snprintf(err, (size_t)errlen, "camera port '%s': another port has that name", p.name);
            return -1;
        }
    }
    if (b->nout == 0) {
        snprintf(err, (size_t)errlen, "the model has no sensors and no task port; add sensors or set obs_qpos");
        return -1;
    }
    return 0;
}

/* See mjcf.h. */
void mjcf_observe(const mjcf_body *b, double *const *obs) {
    const mjModel *m = b->m;
    const mjData *d = b->d;
    for (int g = 0; g < b->nsen; g++) {
        double *o = obs[g];
        for (int k = 0; k < b->sen[g].count; k++) {
            int s = b->sen_ids[b->sen[g].first + k];
            for (int j = 0; j < m->sensor_dim[s]; j++) *o++ = d->sensordata[m->sensor_adr[s] + j];
        }
    }
    if (b->port_obs >= 0) memcpy(obs[b->port_obs], d->sensordata, sizeof(double) * (size_t)m->nsensordata);
    if (b->port_qpos >= 0) memcpy(obs[b->port_qpos], d->qpos, sizeof(double) * (size_t)m->nq);
    if (b->port_qvel >= 0) memcpy(obs[b->port_qvel], d->qvel, sizeof(double) * (size_t)m->nv);
    if (b->port_speed >= 0) obs[b->port_speed][0] = mjcf_forward_speed(m, d, &b->task);
    if (b->port_target >= 0) mjcf_to_target(d, &b->task, obs[b->port_target]);
    if (b->port_position >= 0) memcpy(obs[b->port_position], d->xpos + 3, 2 * sizeof(double));
    if (b->port_contact >= 0) mjcf_contact_observe(m, d, b->contact_groups, b->ncontact, obs[b->port_contact]);
    if (b->port_smell >= 0) mjcf_odour_observe(&b->odour, d, obs[b->port_smell]);
    if (b->port_eye0 >= 0) mjb_eyes_observe(b->eyes, m, d, obs + b->port_eye0);
}

/* See mjcf.h. */
void mjcf_apply(const mjcf_body *b, const double *const *act) {
    for (int g = 0; g < b->nact; g++)
        for (int k = 0; k < b->act[g].count; k++) b->d->ctrl[b->act_ids[b->act[g].first + k]] = act[g][k];
}
