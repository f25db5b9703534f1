/* mjapi.c -- see mjapi.h. */
#include "view/mjapi.h"

#include <dlfcn.h>
#include <stdio.h>

/* The MuJoCo library's file name for the headers' version: 222 ->
 * "libmujoco.so.2.2.2". */
static void view_mj_soname(char *buf, size_t cap) {
    int v = mjVERSION_HEADER;
    snprintf(buf, cap, "libmujoco.so.%d.%d.%d", v / 100, v / 10 % 10, v % 10);
}

/* Look up every symbol; 0, or -1 with e naming the first one missing. */
static int view_mj_bind(void *lib, view_mj *t, errmsg *e) {
    static const char *const names[] = {"mj_version", "mju_user_error", "mjv_defaultOption", "mjv_defaultCamera",
        "mjv_defaultScene", "mjv_makeScene", "mjv_freeScene", "mjv_updateScene", "mjr_defaultContext",
        "mjr_makeContext", "mjr_freeContext", "mjr_setBuffer", "mjr_readPixels", "mjr_render", "mjr_overlay", "mjr_drawPixels",
        "mj_makeData", "mj_deleteData", "mj_forward"};
    void **slot[] = {(void **)&t->mj_version, (void **)&t->mju_user_error, (void **)&t->mjv_defaultOption,
        (void **)&t->mjv_defaultCamera, (void **)&t->mjv_defaultScene, (void **)&t->mjv_makeScene,
        (void **)&t->mjv_freeScene, (void **)&t->mjv_updateScene, (void **)&t->mjr_defaultContext,
        (void **)&t->mjr_makeContext, (void **)&t->mjr_freeContext, (void **)&t->mjr_setBuffer,
        (void **)&t->mjr_readPixels, (void **)&t->mjr_render, (void **)&t->mjr_overlay,
        (void **)&t->mjr_drawPixels, (void **)&t->mj_makeData, (void **)&t->mj_deleteData, (void **)&t->mj_forward};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!(*slot[i] = dlsym(lib, names[i])))
            return errmsg_set(e, "rendering needs MuJoCo: its library has no %s", names[i]);
    return 0;
}

const view_mj *view_mj_load(errmsg *e) {
    static view_mj table;
    static int loaded;
    if (loaded) return &table;
    char name[64];
    view_mj_soname(name, sizeof name);
    void *lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        errmsg_set(e, "rendering needs MuJoCo %d.%d.%d: %s", mjVERSION_HEADER / 100, mjVERSION_HEADER / 10 % 10,
                   mjVERSION_HEADER % 10, dlerror());
        return NULL;
    }
    if (view_mj_bind(lib, &table, e)) return NULL;
    loaded = 1;
    return &table;
}
