/* embed_render.c -- animat_render: RGB frames of a handle's bodies through
 * the off-screen renderer `animat render` uses (view/render.h), opened on
 * the first call and kept until animat_close. */
#include "embed/embed_impl.h"

#include "view/render.h"
#include "view/render_setup.h"

/* Open the renderer for w x h and add every body with its camera suggestion. 0 or -1. */
static int render_open(animat_exp *h, int w, int ht) {
    if (view_render_setup(&h->render, w, ht, 0, &h->s, &h->e)) return -1;
    h->render_w = w;
    h->render_h = ht;
    h->render_sim = h->sim_gen;
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
