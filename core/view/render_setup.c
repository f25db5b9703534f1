/* render_setup.c -- see render_setup.h. */
#include "view/render_setup.h"

#include <animat/helpers.h>

#include "plugin/instance.h"
#include "view/mjapi.h"
#include "sim/sim_impl.h"

/* Every body's animat.mujoco/1 table, checked (all required fields, the
 * same MuJoCo). 0, or -1 with e naming the first body that cannot be
 * drawn. */
static int render_tables(sim *s, const animat_mujoco_ext **ext, errmsg *e) {
    const view_mj *mj = view_mj_load(e);
    if (!mj) return -1;
    uint32_t k = 0;
    for (uint32_t i = 0; i < s->ninsts; i++) {
        instance *in = &s->insts[i];
        if (in->kind != ANIMAT_KIND_BODY) continue;
        const animat_mujoco_ext *t = instance_mujoco(in);
        const char *name = in->name, *plugin = in->plugin->desc->name;
        if (!instance_extension(in, ANIMAT_EXT_MUJOCO))
            return errmsg_set(e, "%s (%s): no rendering support (extension %s)", name, plugin, ANIMAT_EXT_MUJOCO);
        if (!t || !instance_mj_model(in, t) || !instance_mj_data(in, t))
            return errmsg_set(e, "%s (%s): extension %s is incomplete (model and data are required)", name, plugin,
                              ANIMAT_EXT_MUJOCO);
        if (t->mujoco_version != mj->mj_version())
            return errmsg_set(e, "%s (%s): compiled against MuJoCo %d, but animat runs MuJoCo %d; rebuild the plugin",
                              name, plugin, (int)t->mujoco_version, mj->mj_version());
        ext[k++] = t;
    }
    return 0;
}

/* See render_setup.h. */
int view_render_setup(view_renderer **out, int w, int h, int window, sim *s, errmsg *e) {
    return view_render_setup_data(out, w, h, window, s, NULL, e);
}

/* See render_setup.h. */
int view_render_setup_data(view_renderer **out, int w, int h, int window, sim *s, const void *const *data,
                           errmsg *e) {
    const animat_mujoco_ext *ext[SIM_MAX_BODIES];
    if (render_tables(s, ext, e)) return -1;
    view_renderer *r = *out = window ? view_render_open_gl(w, h, s->nbodies, e) : view_render_open(w, h, s->nbodies, e);
    if (!r) return -1;
    for (uint32_t k = 0, i = 0; i < s->ninsts; i++) {
        instance *in = &s->insts[i];
        if (in->kind != ANIMAT_KIND_BODY) continue;
        animat_mujoco_camera cam;
        int hint = instance_mj_camera(in, ext[k], &cam);
        const void *d = data && data[k] ? data[k] : instance_mj_data(in, ext[k]);
        if (view_render_add(r, instance_mj_model(in, ext[k]), d, ext[k]->mujoco_version, hint ? &cam : NULL, e))
            return -1;
        k++;
    }
    return 0;
}
