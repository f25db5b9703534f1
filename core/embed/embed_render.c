/* embed_render.c -- animat_render: RGB frames of a handle's bodies through
 * the off-screen renderer `animat render` uses (view/render.h), opened on
 * the first call and kept until animat_close. */
#include "embed/embed_impl.h"

#include <animat/helpers.h>

#include "plugin/instance.h"
#include "view/mjapi.h"
#include "view/render.h"

#include <string.h>

/* Every body's animat.mujoco/1 table, complete and of this MuJoCo. 0, or -1 with h->e set. */
static int body_tables(animat_exp *h, const animat_mujoco_ext **ext) {
    const view_mj *mj = view_mj_load(&h->e);
    if (!mj) return -1;
    for (uint32_t i = 0, k = 0; i < h->s.ninsts; i++) {
        instance *in = &h->s.insts[i];
        if (in->kind != ANIMAT_KIND_BODY) continue;
        const animat_mujoco_ext *t = instance_extension(in, ANIMAT_EXT_MUJOCO);
        const char *plugin = in->plugin->desc->name;
        if (!t || !ANIMAT_HAS(t, animat_mujoco_ext, data) || !t->model || !t->model(in->self) || !t->data(in->self))
            return errmsg_set(&h->e, "%s (%s): no rendering support (extension %s, model and data)", in->name, plugin,
                              ANIMAT_EXT_MUJOCO);
        if (t->mujoco_version != mj->mj_version())
            return errmsg_set(&h->e, "%s (%s): compiled against MuJoCo %d, but animat runs MuJoCo %d", in->name,
                              plugin, (int)t->mujoco_version, mj->mj_version());
        ext[k++] = t;
    }
    return 0;
}

/* Open the renderer for w x h and add every body with its camera suggestion. 0 or -1. */
static int render_open(animat_exp *h, int w, int ht) {
    const animat_mujoco_ext *ext[SIM_MAX_BODIES];
    if (body_tables(h, ext)) return -1;
    if (!(h->render = view_render_open(w, ht, h->s.nbodies, &h->e))) return -1;
    h->render_w = w;
    h->render_h = ht;
    h->render_sim = h->sim_gen;
    for (uint32_t i = 0, k = 0; i < h->s.ninsts; i++) {
        instance *in = &h->s.insts[i];
        if (in->kind != ANIMAT_KIND_BODY) continue;
        animat_mujoco_camera cam;
        memset(&cam, 0, sizeof cam);
        cam.struct_size = sizeof cam;
        int hint = ANIMAT_HAS(ext[k], animat_mujoco_ext, camera) && ext[k]->camera(in->self, &cam) == ANIMAT_OK;
        if (view_render_add(h->render, ext[k]->model(in->self), ext[k]->data(in->self), ext[k]->mujoco_version,
                            hint ? &cam : NULL, &h->e))
            return -1;
        k++;
    }
    return 0;
}

void embed_render_close(animat_exp *h) {
    view_render_close(h->render);
    h->render = NULL;
}

int animat_render(animat_exp *h, uint32_t w, uint32_t ht, const uint8_t **rgb) {
    errmsg_clear(&h->e);
    *rgb = NULL;
    if (!h->have_sim) return embed_fail(h, ANIMAT_EMBED_ESTATE, "render: no instances (a failed reset)");
    if (w < VIEW_MIN_SIZE || ht < VIEW_MIN_SIZE || w > VIEW_MAX_SIZE || ht > VIEW_MAX_SIZE || w % 2 || ht % 2)
        return embed_fail(h, ANIMAT_EMBED_EINPUT, "render: %ux%u: width and height must be even and in [%d, %d]", w,
                          ht, VIEW_MIN_SIZE, VIEW_MAX_SIZE);
    if (h->render && (h->render_w != (int)w || h->render_h != (int)ht || h->render_sim != h->sim_gen))
        embed_render_close(h);
    if (!h->render && render_open(h, (int)w, (int)ht)) {
        embed_render_close(h);
        return ANIMAT_EMBED_EUNSUPPORTED;
    }
    *rgb = view_render_frame(h->render);
    return 0;
}
