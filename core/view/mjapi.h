/* mjapi.h -- the MuJoCo functions the renderer calls, looked up at run
 * time. The host does not link MuJoCo (only body plugins do; see
 * tests/core/test_layout.c): `animat render` opens the same library the
 * body plugins use, by the soname of the MuJoCo its headers describe
 * (libmujoco.so.2.2.2 for mjVERSION_HEADER 222), and finds these symbols
 * in it. Bodies compiled against another MuJoCo are refused by version
 * (render.h) before their model is read.
 */
#ifndef VIEW_MJAPI_H
#define VIEW_MJAPI_H

#include <mujoco/mujoco.h>

#include "base/errmsg.h"

/* One field per MuJoCo function, named after it. */
typedef struct view_mj {
    int (*mj_version)(void);
    void (**mju_user_error)(const char *);  /* MuJoCo's error hook (a variable) */
    void (*mjv_defaultOption)(mjvOption *opt);
    void (*mjv_defaultCamera)(mjvCamera *cam);
    void (*mjv_defaultScene)(mjvScene *scn);
    void (*mjv_makeScene)(const mjModel *m, mjvScene *scn, int maxgeom);
    void (*mjv_freeScene)(mjvScene *scn);
    void (*mjv_updateScene)(const mjModel *m, mjData *d, const mjvOption *opt, const mjvPerturb *pert,
                            mjvCamera *cam, int catmask, mjvScene *scn);
    void (*mjr_defaultContext)(mjrContext *con);
    void (*mjr_makeContext)(const mjModel *m, mjrContext *con, int fontscale);
    void (*mjr_freeContext)(mjrContext *con);
    void (*mjr_setBuffer)(int framebuffer, mjrContext *con);
    void (*mjr_readPixels)(unsigned char *rgb, float *depth, mjrRect viewport, const mjrContext *con);
    void (*mjr_render)(mjrRect viewport, mjvScene *scn, const mjrContext *con);
    void (*mjr_overlay)(int font, int gridpos, mjrRect viewport, const char *overlay, const char *overlay2,
                        const mjrContext *con);
    void (*mjr_drawPixels)(const unsigned char *rgb, const float *depth, mjrRect viewport, const mjrContext *con);
    mjData *(*mj_makeData)(const mjModel *m);    /* replay (view/replay.h): its own data per body */
    void (*mj_deleteData)(mjData *d);
    void (*mj_forward)(const mjModel *m, mjData *d);
} view_mj;

/* The table, loaded on the first call (the library stays loaded for the
 * process's life). Returns a static table, or NULL with e set to one line
 * ("rendering needs MuJoCo: ..."). Main thread. */
const view_mj *view_mj_load(errmsg *e);

#endif
