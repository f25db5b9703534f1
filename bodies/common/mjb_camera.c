/* mjb_camera.c -- cameras as observation ports (see mjb_camera.h). */
#include "mjb_camera.h"

#include <GL/osmesa.h>
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* The OSMesa entry points used (OSMesa's own prototypes). */
typedef OSMesaContext (*mjb_create_fn)(GLenum format, GLint depth, GLint stencil, GLint accum,
                                        OSMesaContext share);
typedef GLboolean (*mjb_current_fn)(OSMesaContext ctx, void *buf, GLenum type, GLsizei w, GLsizei h);
typedef void (*mjb_destroy_fn)(OSMesaContext ctx);

/* One camera port. */
typedef struct mjb_eye {
    char name[48];  /* the port's and the MJCF camera's name */
    int cam;        /* MJCF camera id */
    int w, h, c;    /* pixels and channels (1 or 3) */
} mjb_eye;

struct mjb_eyes {
    mjb_eye eye[MJB_MAX_CAMERAS];
    int n;
    int maxw, maxh;           /* the off-screen buffer's size */
    OSMesaContext ctx;        /* owned */
    mjb_current_fn current;
    mjb_destroy_fn destroy;
    unsigned char *osbuf;     /* OSMesa's colour buffer, maxw * maxh * 4, owned */
    unsigned char *rgb;       /* one picture read back, maxw * maxh * 3, owned */
    mjvScene scn;             /* owned when made */
    mjrContext con;           /* owned when made */
    mjvOption opt;
    mjvCamera camera;
    int made;
    int render;               /* 1: OSMesa pictures; 0: MuJoCo rays */
    animat_port_values bounds; /* [0, 1] */
};

/* Parse one declaration (custom numeric i) into e. 0 or -1 with err. */
static int mjb_eye_parse(const mjModel *m, int i, mjb_eye *e, char *err, int errlen) {
    const char *key = m->names + m->name_numericadr[i], *name = key + strlen(MJB_CAM_PREFIX);
    const mjtNum *v = m->numeric_data + m->numeric_adr[i];
    size_t len = strlen(name);
    int ok = len > 0 && len < sizeof e->name;
    for (size_t k = 0; ok && k < len; k++) ok = (name[k] >= 'a' && name[k] <= 'z') || (name[k] >= '0' && name[k] <= '9') || name[k] == '_';
    if (!ok) {
        snprintf(err, (size_t)errlen, "<custom> %.80s: the port name after '%s' must be [a-z0-9_]+ (under 48 characters)",
                 key, MJB_CAM_PREFIX);
        return -1;
    }
    if (m->numeric_size[i] != 3) {
        snprintf(err, (size_t)errlen, "<custom> %s: data must be 3 numbers \"W H C\" (C = 3 RGB or 1 grey), not %d",
                 key, m->numeric_size[i]);
        return -1;
    }
    for (int k = 0; k < 2; k++)
        if (!(v[k] >= 1 && v[k] <= MJB_CAM_MAX && v[k] == floor(v[k]))) {
            snprintf(err, (size_t)errlen, "<custom> %s: %s %.6g is not a whole number of pixels in [1, %d]", key,
                     k ? "height" : "width", v[k], MJB_CAM_MAX);
            return -1;
        }
    if (v[2] != 1 && v[2] != 3) {
        snprintf(err, (size_t)errlen, "<custom> %s: channels %.6g must be 3 (RGB) or 1 (grey)", key, v[2]);
        return -1;
    }
    e->cam = mj_name2id(m, mjOBJ_CAMERA, name);
    if (e->cam < 0) {
        snprintf(err, (size_t)errlen, "<custom> %s: the model has no <camera name=\"%s\">", key, name);
        return -1;
    }
    memcpy(e->name, name, len + 1);
    e->w = (int)v[0], e->h = (int)v[1], e->c = (int)v[2];
    return 0;
}

/* Every declaration into es->eye. 0 or -1 with err. */
static int mjb_eyes_parse(const mjModel *m, mjb_eyes *es, char *err, int errlen) {
    size_t plen = strlen(MJB_CAM_PREFIX);
    for (int i = 0; i < m->nnumeric; i++) {
        if (strncmp(m->names + m->name_numericadr[i], MJB_CAM_PREFIX, plen) != 0) continue;
        if (es->n == MJB_MAX_CAMERAS) {
            snprintf(err, (size_t)errlen, "more than %d camera ports (%s*)", MJB_MAX_CAMERAS, MJB_CAM_PREFIX);
            return -1;
        }
        mjb_eye *e = &es->eye[es->n];
        if (mjb_eye_parse(m, i, e, err, errlen)) return -1;
        es->maxw = e->w > es->maxw ? e->w : es->maxw;
        es->maxh = e->h > es->maxh ? e->h : es->maxh;
        es->n++;
    }
    return 0;
}

/* OSMesa in the global symbol scope (kept loaded), and a context drawing
 * into es->osbuf. 0 or -1 with err. */
static int mjb_eyes_context(mjb_eyes *es, char *err, int errlen) {
    static const char *const libs[] = {"libOSMesa.so.8", "libOSMesa.so.6", "libOSMesa.so"};
    void *lib = NULL;
    for (size_t i = 0; !lib && i < sizeof libs / sizeof libs[0]; i++) lib = dlopen(libs[i], RTLD_NOW | RTLD_GLOBAL);
    if (!lib) {
        snprintf(err, (size_t)errlen, "camera ports need OSMesa (libOSMesa.so.8, Debian package libosmesa6)");
        return -1;
    }
    mjb_create_fn create;
    *(void **)&create = dlsym(lib, "OSMesaCreateContextExt");
    *(void **)&es->current = dlsym(lib, "OSMesaMakeCurrent");
    *(void **)&es->destroy = dlsym(lib, "OSMesaDestroyContext");
    if (!create || !es->current || !es->destroy) {
        snprintf(err, (size_t)errlen, "camera ports: the OSMesa library lacks OSMesaCreateContextExt");
        return -1;
    }
    es->ctx = create(OSMESA_RGBA, 24, 8, 0, NULL);
    if (!es->ctx || !es->current(es->ctx, es->osbuf, GL_UNSIGNED_BYTE, es->maxw, es->maxh)) {
        snprintf(err, (size_t)errlen, "camera ports: OSMesa could not create a %dx%d context", es->maxw, es->maxh);
        return -1;
    }
    return 0;
}

/* Scene and MuJoCo GL context with an off-screen buffer of maxw x maxh
 * (a shallow copy of the model carries the size; MuJoCo keeps nothing of
 * it). The OSMesa context is current. */
static void mjb_eyes_scene(mjb_eyes *es, const mjModel *m) {
    mjModel sized = *m;
    sized.vis.global.offwidth = es->maxw;
    sized.vis.global.offheight = es->maxh;
    mjv_defaultOption(&es->opt);
    mjv_defaultCamera(&es->camera);
    es->camera.type = mjCAMERA_FIXED;
    mjv_defaultScene(&es->scn);
    mjr_defaultContext(&es->con);
    mjv_makeScene(m, &es->scn, 1000);
    es->scn.flags[mjRND_SHADOW] = 0;     /* a 4096^2 shadow map per picture would cost more than the picture */
    es->scn.flags[mjRND_REFLECTION] = 0; /* a second pass over the scene */
    mjr_makeContext(&sized, &es->con, mjFONTSCALE_100);
    es->made = 1;
}

/* See mjb_camera.h. */
int mjb_eyes_create(const animat_host *h, const mjModel *m, int render, mjb_eyes **out, char *err, int errlen) {
    *out = NULL;
    mjb_eyes probe = {.n = 0};
    if (mjb_eyes_parse(m, &probe, err, errlen)) return -1;
    if (probe.n == 0) return 0;
    mjb_eyes *es = h->alloc(h, sizeof *es);
    if (!es) {
        snprintf(err, (size_t)errlen, "out of memory");
        return -1;
    }
    *es = probe;
    *out = es;
    es->bounds = (animat_port_values){.struct_size = sizeof(animat_port_values), .lower = 0, .upper = 1};
    es->render = render;
    if (!render) return 0;
    size_t px = (size_t)es->maxw * (size_t)es->maxh;
    es->osbuf = h->alloc(h, px * 4);
    es->rgb = h->alloc(h, px * 3);
    if (!es->osbuf || !es->rgb) {
        snprintf(err, (size_t)errlen, "out of memory for %dx%d camera pictures", es->maxw, es->maxh);
        return -1;
    }
    if (mjb_eyes_context(es, err, errlen)) return -1;
    mjb_eyes_scene(es, m);
    return 0;
}

int mjb_eyes_count(const mjb_eyes *e) { return e ? e->n : 0; }

animat_port_info mjb_eyes_port(const mjb_eyes *e, int k) {
    const mjb_eye *y = &e->eye[k];
    return (animat_port_info){.struct_size = sizeof(animat_port_info), .size = (uint32_t)(y->w * y->h * y->c),
                              .name = y->name, .unit = "",
                              .doc = y->c == 3 ? "Camera picture, RGB in [0, 1], rows top first, (y*W + x)*3 + c."
                                               : "Camera picture, grey in [0, 1], rows top first, y*W + x."};
}

const animat_port_values *mjb_eyes_values(const mjb_eyes *e) { return &e->bounds; }

/* One camera's picture as doubles, rows top first. */
static void mjb_eye_convert(const mjb_eye *y, const unsigned char *rgb, double *o) {
    for (int r = 0; r < y->h; r++) {
        const unsigned char *p = rgb + (size_t)(y->h - 1 - r) * (size_t)y->w * 3; /* GL rows run bottom-up */
        for (int x = 0; x < y->w; x++, p += 3) {
            if (y->c == 3) {
                *o++ = p[0] / 255.0;
                *o++ = p[1] / 255.0;
                *o++ = p[2] / 255.0;
            } else {
                *o++ = (0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]) / 255.0;
            }
        }
    }
}

/* The colour of geom g: its material's rgba when it has one, else its own. */
static const float *mjb_geom_rgba(const mjModel *m, int g) {
    int mat = m->geom_matid[g];
    return mat >= 0 ? m->mat_rgba + 4 * mat : m->geom_rgba + 4 * g;
}

/* One camera by rays: pixel (x, y) is the colour of the first geom hit by
 * the ray through the pixel's centre (0 where none), the camera's own body
 * excluded. Pinhole geometry as MuJoCo's renderer: fovy vertical, square
 * pixels, looking along the camera's -z with +y up. No allocation. */
static void mjb_eye_rays(const mjb_eye *y, const mjModel *m, const mjData *d, double *o) {
    const mjtNum *p = d->cam_xpos + 3 * y->cam, *R = d->cam_xmat + 9 * y->cam;
    double t = tan(m->cam_fovy[y->cam] * M_PI / 360.0), aspect = (double)y->w / y->h;
    int self = m->cam_bodyid[y->cam];
    for (int r = 0; r < y->h; r++) {
        double v = (1.0 - 2.0 * (r + 0.5) / y->h) * t;
        for (int x = 0; x < y->w; x++) {
            double u = (2.0 * (x + 0.5) / y->w - 1.0) * t * aspect;
            mjtNum dir[3];
            for (int i = 0; i < 3; i++) dir[i] = u * R[3 * i] + v * R[3 * i + 1] - R[3 * i + 2]; /* columns: axes */
            int g = -1;
            mj_ray(m, d, p, dir, NULL, 1, self, &g);
            const float *c = g >= 0 ? mjb_geom_rgba(m, g) : NULL;
            if (y->c == 3)
                for (int k = 0; k < 3; k++) *o++ = c ? c[k] : 0.0;
            else
                *o++ = c ? 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2] : 0.0;
        }
    }
}

/* See mjb_camera.h. */
void mjb_eyes_observe(mjb_eyes *es, const mjModel *m, const mjData *d, double *const *obs) {
    if (!es->render) {
        for (int k = 0; k < es->n; k++) mjb_eye_rays(&es->eye[k], m, d, obs[k]);
        return;
    }
    es->current(es->ctx, es->osbuf, GL_UNSIGNED_BYTE, es->maxw, es->maxh);
    mjr_setBuffer(mjFB_OFFSCREEN, &es->con);
    for (int k = 0; k < es->n; k++) {
        const mjb_eye *y = &es->eye[k];
        mjrRect vp = {0, 0, y->w, y->h};
        es->camera.fixedcamid = y->cam;
        mjv_updateScene(m, (mjData *)d, &es->opt, NULL, &es->camera, mjCAT_ALL, &es->scn);
        mjr_render(vp, &es->scn, &es->con);
        mjr_readPixels(es->rgb, NULL, vp, &es->con);
        mjb_eye_convert(y, es->rgb, obs[k]);
    }
}

/* See mjb_camera.h. */
void mjb_eyes_destroy(const animat_host *h, mjb_eyes *es) {
    if (!es) return;
    if (es->ctx) es->current(es->ctx, es->osbuf, GL_UNSIGNED_BYTE, es->maxw, es->maxh);
    if (es->made) {
        mjr_freeContext(&es->con);
        mjv_freeScene(&es->scn);
    }
    if (es->ctx) {
        es->current(NULL, NULL, 0, 0, 0);
        es->destroy(es->ctx);
    }
    h->free(h, es->osbuf);
    h->free(h, es->rgb);
    h->free(h, es);
}
