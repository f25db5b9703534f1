/* window.c -- see window.h. */
#include "view/window.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* GLFW's and GL's entry points used here, typed by their own headers
 * (libglfw3-dev, GL/gl.h from Mesa) so the compiler checks every call;
 * the libraries are opened at run time (dlopen), so `animat` links
 * neither and only `view` needs them installed. */
#define GLFW_INCLUDE_NONE
#include <GL/gl.h>
#include <GLFW/glfw3.h>

typedef struct view_glfw {
    __typeof__(glfwInit) *init;
    __typeof__(glfwTerminate) *terminate;
    __typeof__(glfwWindowHint) *window_hint;
    __typeof__(glfwCreateWindow) *create_window;
    __typeof__(glfwDestroyWindow) *destroy_window;
    __typeof__(glfwMakeContextCurrent) *make_current;
    __typeof__(glfwGetProcAddress) *get_proc;
    __typeof__(glfwSwapBuffers) *swap;
    __typeof__(glfwPollEvents) *poll;
    __typeof__(glfwWindowShouldClose) *should_close;
    __typeof__(glfwSetKeyCallback) *set_key_cb;
    __typeof__(glfwGetFramebufferSize) *get_fb_size;
} view_glfw;

typedef struct view_gl {
    __typeof__(glReadPixels) *read_pixels;
    __typeof__(glPixelStorei) *pixel_store;
    __typeof__(glReadBuffer) *read_buffer;
} view_gl;

struct view_window {
    view_glfw f;
    view_gl gl;
    GLFWwindow *win;
    int w, h;
    unsigned keys;      /* pressed since the last view_window_keys */
    uint8_t *shot;      /* w * h * 3, for screenshots */
};

/* The window whose key callback fires (one window per process). */
static view_window *view_current;

static void view_key(GLFWwindow *w, int key, int scancode, int action, int mods) {
    (void)w, (void)scancode, (void)mods;
    if (!view_current || (action != GLFW_PRESS && action != GLFW_REPEAT)) return;
    if (key == ' ') view_current->keys |= VIEW_KEY_PAUSE;
    else if (key == GLFW_KEY_RIGHT || key == '.') view_current->keys |= VIEW_KEY_STEP;
    else if (key == '=' || key == GLFW_KEY_KP_ADD) view_current->keys |= VIEW_KEY_FASTER;
    else if (key == '-' || key == GLFW_KEY_KP_SUBTRACT) view_current->keys |= VIEW_KEY_SLOWER;
    else if (key == GLFW_KEY_ESCAPE || key == 'Q') view_current->keys |= VIEW_KEY_QUIT;
}

/* Look up `name` in lib into the function pointer `slot` (POSIX's
 * idiom for dlsym's object pointer); 0 when missing. */
#define VIEW_SYM(lib, slot, name) ((*(void **)&(slot) = dlsym((lib), (name))) != NULL)

/* libglfw.so.3's functions into f. 0, or -1 with e set. */
static int view_glfw_load(view_glfw *f, errmsg *e) {
    void *lib = dlopen("libglfw.so.3", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return errmsg_set(e, "view needs GLFW (libglfw.so.3, Debian package libglfw3): %s", dlerror());
    const char *missing = !VIEW_SYM(lib, f->init, "glfwInit")                        ? "glfwInit"
                          : !VIEW_SYM(lib, f->terminate, "glfwTerminate")           ? "glfwTerminate"
                          : !VIEW_SYM(lib, f->window_hint, "glfwWindowHint")        ? "glfwWindowHint"
                          : !VIEW_SYM(lib, f->create_window, "glfwCreateWindow")    ? "glfwCreateWindow"
                          : !VIEW_SYM(lib, f->destroy_window, "glfwDestroyWindow")  ? "glfwDestroyWindow"
                          : !VIEW_SYM(lib, f->make_current, "glfwMakeContextCurrent") ? "glfwMakeContextCurrent"
                          : !VIEW_SYM(lib, f->get_proc, "glfwGetProcAddress")       ? "glfwGetProcAddress"
                          : !VIEW_SYM(lib, f->swap, "glfwSwapBuffers")              ? "glfwSwapBuffers"
                          : !VIEW_SYM(lib, f->poll, "glfwPollEvents")               ? "glfwPollEvents"
                          : !VIEW_SYM(lib, f->should_close, "glfwWindowShouldClose") ? "glfwWindowShouldClose"
                          : !VIEW_SYM(lib, f->set_key_cb, "glfwSetKeyCallback")     ? "glfwSetKeyCallback"
                          : !VIEW_SYM(lib, f->get_fb_size, "glfwGetFramebufferSize") ? "glfwGetFramebufferSize"
                                                                                     : NULL;
    return missing ? errmsg_set(e, "view: GLFW lacks %s", missing) : 0;
}

/* GL function `name` of the current context into `slot` (a function
 * pointer of another type: GLFW returns them untyped). 0 when missing. */
#define VIEW_GL(v, slot, name) (((slot) = (__typeof__(slot))(v)->f.get_proc(name)) != NULL)

/* The GL functions, from the current context. 0 or -1 with e set. */
static int view_gl_load(view_window *v, errmsg *e) {
    const char *missing = !VIEW_GL(v, v->gl.read_pixels, "glReadPixels")   ? "glReadPixels"
                          : !VIEW_GL(v, v->gl.pixel_store, "glPixelStorei") ? "glPixelStorei"
                          : !VIEW_GL(v, v->gl.read_buffer, "glReadBuffer")  ? "glReadBuffer"
                                                                            : NULL;
    return missing ? errmsg_set(e, "view: OpenGL lacks %s", missing) : 0;
}

view_window *view_window_open(int w, int h, const char *title, errmsg *e) {
    const char *x = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    if ((!x || !*x) && (!wl || !*wl)) {
        errmsg_set(e, "view needs a display: DISPLAY is not set (use animat render for a video, or xvfb-run)");
        return NULL;
    }
    view_window *v = calloc(1, sizeof *v);
    if (!v || !(v->shot = malloc((size_t)w * (size_t)h * 3))) {
        free(v);
        errmsg_set(e, "out of memory");
        return NULL;
    }
    v->w = w, v->h = h;
    /* MuJoCo's GL loader looks up glXGetProcAddressARB in the global scope */
    if (!dlopen("libGL.so.1", RTLD_NOW | RTLD_GLOBAL)) {
        errmsg_set(e, "view needs OpenGL (libGL.so.1, Debian package libgl1): %s", dlerror());
        view_window_close(v);
        return NULL;
    }
    if (view_glfw_load(&v->f, e)) {
        view_window_close(v);
        return NULL;
    }
    if (!v->f.init()) {
        errmsg_set(e, "view: GLFW cannot open the display '%s'", x && *x ? x : wl);
        v->f.terminate = NULL; /* nothing to terminate */
        view_window_close(v);
        return NULL;
    }
    v->f.window_hint(GLFW_RESIZABLE, 0);
    v->win = v->f.create_window(w, h, title, NULL, NULL);
    if (!v->win) {
        errmsg_set(e, "view: GLFW could not create a %dx%d window", w, h);
        view_window_close(v);
        return NULL;
    }
    v->f.make_current(v->win);
    if (view_gl_load(v, e)) {
        view_window_close(v);
        return NULL;
    }
    view_current = v;
    v->f.set_key_cb(v->win, view_key);
    return v;
}

void view_window_show(view_window *v) {
    v->f.swap(v->win);
    v->f.poll();
}

unsigned view_window_keys(view_window *v) {
    v->f.poll();
    if (v->f.should_close(v->win)) v->keys |= VIEW_KEY_QUIT;
    unsigned k = v->keys;
    v->keys = 0;
    return k;
}

int view_window_screenshot(view_window *v, const char *path, errmsg *e) {
    v->f.make_current(v->win);
    v->gl.pixel_store(GL_PACK_ALIGNMENT, 1);
    v->gl.read_buffer(GL_BACK);
    v->gl.read_pixels(0, 0, v->w, v->h, GL_RGB, GL_UNSIGNED_BYTE, v->shot);
    FILE *f = fopen(path, "wb");
    if (!f) return errmsg_set(e, "view: --screenshot %s: cannot create it", path);
    fprintf(f, "P6\n%d %d\n255\n", v->w, v->h);
    size_t row = (size_t)v->w * 3;
    int ok = 1;
    for (int y = v->h - 1; y >= 0 && ok; y--) ok = fwrite(v->shot + (size_t)y * row, 1, row, f) == row; /* GL: bottom up */
    if (fclose(f) != 0 || !ok) return errmsg_set(e, "view: --screenshot %s: write failed", path);
    return 0;
}

void view_window_close(view_window *v) {
    if (!v) return;
    if (view_current == v) view_current = NULL;
    if (v->win) v->f.destroy_window(v->win);
    /* glfwTerminate is not called: it closes the display, which unloads
     * Mesa's DRI driver with the allocations it keeps (LeakSanitizer then
     * cannot even name them); the process ends soon after `view` anyway */
    free(v->shot);
    free(v);
}
