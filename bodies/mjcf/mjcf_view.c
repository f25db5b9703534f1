/* mjcf_view.c -- the "animat.mujoco/1" extension of the mjcf body (see
 * mjcf.h and animat/body.h): model, data and a camera suggestion. */
#include <animat/animat.h>
#include <math.h>

#include "mjcf.h"

/* The instance's model, read-only for the host. Any phase after create. */
static const void *mjcf_mj_model(void *self) { return ((mjcf_body *)self)->m; }

/* The instance's current state, read-only for the host. Any phase after
 * create, between the body's calls. */
static const void *mjcf_mj_data(void *self) { return ((mjcf_body *)self)->d; }

/* The size of body 1's tree: the summed lengths of its bodies' offsets
 * from their parents plus the model's mean body size, m (the ground plane
 * would dominate the model's own extent). */
static double mjcf_tree_size(const mjModel *m) {
    double len = m->stat.meansize;
    for (int b = 2; b < m->nbody; b++)
        if (m->body_rootid[b] == 1) len += mju_norm3(m->body_pos + 3 * b);
    return len;
}

/* Track body 1 from twice its tree's size (at most 1.5 model extents,
 * at least 0.3 m), looking down at 45 degrees; a model without bodies gets
 * a fixed camera on its centre. ANIMAT_OK. No allocation. Any phase after
 * create. */
static int32_t mjcf_mj_camera(void *self, animat_mujoco_camera *cam) {
    const mjModel *m = ((mjcf_body *)self)->m;
    double far = 1.5 * (m->stat.extent > 0 ? m->stat.extent : 1.0);
    cam->track_body = m->nbody > 1 ? 1 : -1;
    cam->distance = m->nbody > 1 ? fmax(0.3, fmin(far, 2.0 * mjcf_tree_size(m))) : far;
    cam->azimuth = 90.0;
    cam->elevation = -45.0;
    for (int i = 0; i < 3; i++) cam->lookat[i] = m->stat.center[i];
    return ANIMAT_OK;
}

const animat_mujoco_ext mjcf_mujoco_ext = {
    .struct_size = sizeof(animat_mujoco_ext),
    .mujoco_version = mjVERSION_HEADER,
    .model = mjcf_mj_model,
    .data = mjcf_mj_data,
    .camera = mjcf_mj_camera,
};
