/* render.c -- see render.h. */
#include "view/render.h"

#include "view/mjapi.h"

#include <GL/osmesa.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The OSMesa entry points animat calls (OSMesa's own prototypes). */
typedef OSMesaContext (*view_create_fn)(GLenum format, GLint depth, GLint stencil, GLint accum,
                                        OSMesaContext share);
typedef GLboolean (*view_current_fn)(OSMesaContext ctx, void *buf, GLenum type, GLsizei w, GLsizei h);
typedef void (*view_destroy_fn)(OSMesaContext ctx);

/* One body's panel: its model, data, scene, GL context and camera. */
typedef struct view_panel {
    const mjModel *m;   /* plugin-owned */
    const mjData *d;    /* plugin-owned */
    mjvScene scn;       /* owned */
    mjrContext con;     /* owned */
    mjvCamera cam;
    int track;          /* body the camera centres on, or -1 (a fixed camera) */
    int x0, w;          /* columns of the frame */
    int made;           /* scn and con were made */
} view_panel;

struct view_renderer {
    const view_mj *mj;  /* MuJoCo's functions (static) */
    OSMesaContext ctx;
    view_current_fn current;
    view_destroy_fn destroy;
    uint8_t *osbuf;     /* OSMesa's colour buffer, w * h * 4 */
    uint8_t *frame;     /* w * h * 3, top row first */
    uint8_t *panel;     /* one panel read back, w * h * 3, bottom row first */
    uint8_t *flip;      /* view_render_present: the frame bottom row first, w * h * 3 */
    int w, h;
    uint32_t n, cap;
    mjvOption opt;
    char labels[VIEW_OVERLAY_MAX], values[VIEW_OVERLAY_MAX]; /* overlay text; "" = none */
    view_panel p[VIEW_MAX_BODIES];
};

int view_parse_size(const char *text, const char *what, int *w, int *h, errmsg *e) {
    char *end;
    long a = strtol(text, &end, 10), b = -1;
    if (end != text && (*end == 'x' || *end == 'X')) {
        const char *s = end + 1;
        b = strtol(s, &end, 10);
        if (end == s || *end) b = -1;
    }
    if (a < VIEW_MIN_SIZE || a > VIEW_MAX_SIZE || b < VIEW_MIN_SIZE || b > VIEW_MAX_SIZE || a % 2 || b % 2)
        return errmsg_set(e, "%s: '%s' is not a frame size WxH with even W and H in [%d, %d] (e.g. 640x480)",
                          what, text, VIEW_MIN_SIZE, VIEW_MAX_SIZE);
    *w = (int)a;
    *h = (int)b;
    return 0;
}

/* OSMesa, loaded once into the global symbol scope (see render.h); the
 * handle is kept for the process's life. 0, or -1 with e set. */
static int view_load_osmesa(view_create_fn *create, view_current_fn *current, view_destroy_fn *destroy,
                            errmsg *e) {
    static void *lib;
    static const char *const names[] = {"libOSMesa.so.8", "libOSMesa.so.6", "libOSMesa.so"};
    for (size_t i = 0; !lib && i < sizeof names / sizeof names[0]; i++) lib = dlopen(names[i], RTLD_NOW | RTLD_GLOBAL);
    if (!lib) return errmsg_set(e, "rendering needs OSMesa (libOSMesa.so.8, Debian package libosmesa6): %s", dlerror());
    *(void **)create = dlsym(lib, "OSMesaCreateContextExt");
    *(void **)current = dlsym(lib, "OSMesaMakeCurrent");
    *(void **)destroy = dlsym(lib, "OSMesaDestroyContext");
    if (!*create || !*current || !*destroy) return errmsg_set(e, "rendering needs OSMesa: its library lacks OSMesaCreateContextExt");
    return 0;
}

view_renderer *view_render_open(int w, int h, uint32_t nbodies, errmsg *e) {
    if (nbodies < 1 || nbodies > VIEW_MAX_BODIES || w < (int)nbodies * 2) {
        errmsg_set(e, "cannot render %u bodies side by side in %d pixels (at most %d bodies)", nbodies, w, VIEW_MAX_BODIES);
        return NULL;
    }
    view_create_fn create = NULL;
    view_renderer *r = calloc(1, sizeof *r);
    if (!r) {
        errmsg_set(e, "out of memory");
        return NULL;
    }
    r->w = w, r->h = h, r->cap = nbodies;
    if (!(r->mj = view_mj_load(e))) {
        free(r);
        return NULL;
    }
    size_t px = (size_t)w * (size_t)h;
    r->osbuf = malloc(px * 4);
    r->frame = malloc(px * 3);
    r->panel = malloc(px * 3);
    if (!r->osbuf || !r->frame || !r->panel) {
        errmsg_set(e, "out of memory for %dx%d frames", w, h);
    } else if (!view_load_osmesa(&create, &r->current, &r->destroy, e)) {
        r->ctx = create(OSMESA_RGBA, 24, 8, 0, NULL);
        if (!r->ctx || !r->current(r->ctx, r->osbuf, GL_UNSIGNED_BYTE, w, h))
            errmsg_set(e, "rendering: OSMesa could not create a %dx%d context", w, h);
        else {
            r->mj->mjv_defaultOption(&r->opt);
            return r;
        }
    }
    view_render_close(r);
    return NULL;
}

/* Set up MuJoCo's camera from the body's suggestion; the body to centre
 * on (track_body), or -1, into *track. A free camera either way: the
 * tracked one gets its lookat in every frame (view_render_frame). */
static void view_camera(const view_mj *mj, mjvCamera *c, int *track, const mjModel *m,
                        const animat_mujoco_camera *hint) {
    mj->mjv_defaultCamera(c);
    c->type = mjCAMERA_FREE;
    c->distance = 1.5 * m->stat.extent;
    c->elevation = -45;
    *track = -1;
    for (int i = 0; i < 3; i++) c->lookat[i] = m->stat.center[i];
    if (!hint) return;
    if (hint->distance > 0) c->distance = hint->distance;
    c->azimuth = hint->azimuth;
    c->elevation = hint->elevation;
    for (int i = 0; i < 3; i++) c->lookat[i] = hint->lookat[i];
    if (hint->track_body >= 0 && hint->track_body < m->nbody) *track = hint->track_body;
}

/* Every finite plane of the scene drawn VIEW_FLOOR_HALF m each way, its
 * checker kept at the model's scale (a uniform texture repeats per metre
 * already; another one repeats as often more). */
static void view_floor(mjvScene *scn) {
    for (int i = 0; i < scn->ngeom; i++) {
        mjvGeom *g = &scn->geoms[i];
        if (g->type != mjGEOM_PLANE || !(g->size[0] > 0) || !(g->size[1] > 0)) continue;
        for (int k = 0; k < 2; k++) {
            if (g->size[k] >= VIEW_FLOOR_HALF) continue;
            if (!g->texuniform) g->texrepeat[k] *= VIEW_FLOOR_HALF / g->size[k];
            g->size[k] = VIEW_FLOOR_HALF;
        }
    }
}

void view_render_overlay(view_renderer *r, const char *labels, const char *values) {
    snprintf(r->labels, sizeof r->labels, "%s", labels ? labels : "");
    snprintf(r->values, sizeof r->values, "%s", values ? values : "");
}

int view_render_add(view_renderer *r, const void *model, const void *data, int32_t version,
                    const animat_mujoco_camera *cam, errmsg *e) {
    if (version != r->mj->mj_version())
        return errmsg_set(e, "compiled against MuJoCo %d, but animat runs MuJoCo %d", (int)version, r->mj->mj_version());
    if (r->n == r->cap) return errmsg_set(e, "more than %u bodies to render", r->cap);
    view_panel *p = &r->p[r->n];
    if (r->ctx) r->current(r->ctx, r->osbuf, GL_UNSIGNED_BYTE, r->w, r->h); /* a body's camera ports may own another */
    p->m = model;
    p->d = data;
    p->x0 = (int)((int64_t)r->w * r->n / r->cap);
    p->w = (int)((int64_t)r->w * (r->n + 1) / r->cap) - p->x0;
    /* a shallow copy of the model whose off-screen buffer is this panel's
     * size: mjr_makeContext reads the size from the model and never keeps it */
    mjModel sized = *p->m;
    sized.vis.global.offwidth = p->w;
    sized.vis.global.offheight = r->h;
    /* and whose planes are VIEW_FLOOR_HALF m each way: mjr_makeContext
     * builds each plane's geometry at its model size */
    mjtNum *gsize = malloc((size_t)(p->m->ngeom ? p->m->ngeom : 1) * 3 * sizeof *gsize);
    if (!gsize) return errmsg_set(e, "out of memory");
    memcpy(gsize, p->m->geom_size, (size_t)p->m->ngeom * 3 * sizeof *gsize);
    for (int g = 0; g < p->m->ngeom; g++)
        for (int k = 0; p->m->geom_type[g] == mjGEOM_PLANE && k < 2; k++)
            if (gsize[3 * g + k] > 0 && gsize[3 * g + k] < VIEW_FLOOR_HALF) gsize[3 * g + k] = VIEW_FLOOR_HALF;
    sized.geom_size = gsize;
    r->mj->mjv_defaultScene(&p->scn);
    r->mj->mjr_defaultContext(&p->con);
    r->mj->mjv_makeScene(p->m, &p->scn, 2000);
    r->mj->mjr_makeContext(&sized, &p->con, mjFONTSCALE_100);
    free(gsize);
    p->made = 1;
    view_camera(r->mj, &p->cam, &p->track, p->m, cam);
    r->n++;
    return 0;
}

const uint8_t *view_render_frame(view_renderer *r) {
    size_t row = (size_t)r->w * 3;
    if (r->ctx) r->current(r->ctx, r->osbuf, GL_UNSIGNED_BYTE, r->w, r->h); /* a body's camera ports may own another */
    for (uint32_t k = 0; k < r->n; k++) {
        view_panel *p = &r->p[k];
        mjrRect vp = {0, 0, p->w, r->h};
        for (int i = 0; p->track >= 0 && i < 3; i++) p->cam.lookat[i] = p->d->subtree_com[3 * p->track + i];
        r->mj->mjv_updateScene(p->m, (mjData *)p->d, &r->opt, NULL, &p->cam, mjCAT_ALL, &p->scn);
        view_floor(&p->scn);
        r->mj->mjr_setBuffer(mjFB_OFFSCREEN, &p->con);
        r->mj->mjr_render(vp, &p->scn, &p->con);
        if (k == 0 && (r->labels[0] || r->values[0]))
            r->mj->mjr_overlay(mjFONT_NORMAL, mjGRID_TOPLEFT, vp, r->labels, r->values, &p->con);
        r->mj->mjr_readPixels(r->panel, NULL, vp, &p->con);
        /* GL's rows run bottom-up; the frame's top-down */
        for (int y = 0; y < r->h; y++)
            memcpy(r->frame + (size_t)y * row + (size_t)p->x0 * 3, r->panel + (size_t)(r->h - 1 - y) * (size_t)p->w * 3,
                   (size_t)p->w * 3);
    }
    return r->frame;
}

view_renderer *view_render_open_gl(int w, int h, uint32_t nbodies, errmsg *e) {
    if (nbodies < 1 || nbodies > VIEW_MAX_BODIES || w < (int)nbodies * 2) {
        errmsg_set(e, "cannot render %u bodies side by side in %d pixels (at most %d bodies)", nbodies, w, VIEW_MAX_BODIES);
        return NULL;
    }
    view_renderer *r = calloc(1, sizeof *r);
    if (!r) {
        errmsg_set(e, "out of memory");
        return NULL;
    }
    r->w = w, r->h = h, r->cap = nbodies;
    size_t px = (size_t)w * (size_t)h;
    if (!(r->mj = view_mj_load(e))) {
        free(r);
        return NULL;
    }
    r->frame = malloc(px * 3);
    r->panel = malloc(px * 3);
    r->flip = malloc(px * 3);
    if (!r->frame || !r->panel || !r->flip) {
        errmsg_set(e, "out of memory for %dx%d frames", w, h);
        view_render_close(r);
        return NULL;
    }
    r->mj->mjv_defaultOption(&r->opt);
    return r;
}

void view_render_present(view_renderer *r) {
    if (!r->n || !r->flip) return;
    size_t row = (size_t)r->w * 3;
    for (int y = 0; y < r->h; y++) memcpy(r->flip + (size_t)y * row, r->frame + (size_t)(r->h - 1 - y) * row, row);
    mjrRect vp = {0, 0, r->w, r->h};
    r->mj->mjr_setBuffer(mjFB_WINDOW, &r->p[0].con);
    r->mj->mjr_drawPixels(r->flip, NULL, vp, &r->p[0].con);
}

void view_render_close(view_renderer *r) {
    if (!r) return;
    if (r->ctx) r->current(r->ctx, r->osbuf, GL_UNSIGNED_BYTE, r->w, r->h);
    for (uint32_t k = 0; k < r->n; k++) {
        if (!r->p[k].made) continue;
        r->mj->mjr_freeContext(&r->p[k].con);
        r->mj->mjv_freeScene(&r->p[k].scn);
    }
    if (r->ctx) {
        r->current(NULL, NULL, 0, 0, 0); /* release the context, then free it */
        r->destroy(r->ctx);
    }
    free(r->osbuf);
    free(r->frame);
    free(r->panel);
    free(r->flip);
    free(r);
}
