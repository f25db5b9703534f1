/* window.c -- see window.h. */
#include "view/window.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* GLFW's and GL's entry points used here, by their documented prototypes
 * (GLFW 3.3; OpenGL 1.x). */
typedef struct GLFWwindow GLFWwindow;
typedef void (*view_keyfun)(GLFWwindow *, int, int, int, int);
#define VIEW_GLFW_PRESS 1
#define VIEW_GLFW_REPEAT 2
#define VIEW_GLFW_RESIZABLE 0x00020003
#define VIEW_GL_RGB 0x1907
#define VIEW_GL_UNSIGNED_BYTE 0x1401
#define VIEW_GL_PACK_ALIGNMENT 0x0D05
#define VIEW_GL_BACK 0x0405

typedef struct view_glfw {
    int (*init)(void);
    void (*terminate)(void);
    void (*window_hint)(int, int);
    GLFWwindow *(*create_window)(int, int, const char *, void *, void *);
    void (*destroy_window)(GLFWwindow *);
    void (*make_current)(GLFWwindow *);
    void *(*get_proc)(const char *);
    void (*swap)(GLFWwindow *);
    void (*poll)(void);
    int (*should_close)(GLFWwindow *);
    view_keyfun (*set_key_cb)(GLFWwindow *, view_keyfun);
    void (*get_fb_size)(GLFWwindow *, int *, int *);
} view_glfw;

typedef struct view_gl {
    void (*read_pixels)(int, int, int, int, unsigned, unsigned, void *);
    void (*pixel_store)(unsigned, int);
    void (*read_buffer)(unsigned);
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
    if (!view_current || (action != VIEW_GLFW_PRESS && action != VIEW_GLFW_REPEAT)) return;
    if (key == ' ') view_current->keys |= VIEW_KEY_PAUSE;
    else if (key == 262 || key == '.') view_current->keys |= VIEW_KEY_STEP; /* GLFW_KEY_RIGHT */
    else if (key == '=' || key == 334) view_current->keys |= VIEW_KEY_FASTER; /* KP_ADD */
    else if (key == '-' || key == 333) view_current->keys |= VIEW_KEY_SLOWER; /* KP_SUBTRACT */
    else if (key == 256 || key == 'Q') view_current->keys |= VIEW_KEY_QUIT; /* ESCAPE */
}

/* libglfw.so.3's functions into f. 0, or -1 with e set. */
static int view_glfw_load(view_glfw *f, errmsg *e) {
    void *lib = dlopen("libglfw.so.3", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return errmsg_set(e, "view needs GLFW (libglfw.so.3, Debian package libglfw3): %s", dlerror());
    static const char *const names[] = {"glfwInit", "glfwTerminate", "glfwWindowHint", "glfwCreateWindow",
        "glfwDestroyWindow", "glfwMakeContextCurrent", "glfwGetProcAddress", "glfwSwapBuffers", "glfwPollEvents",
        "glfwWindowShouldClose", "glfwSetKeyCallback", "glfwGetFramebufferSize"};
    void **slots = (void **)f;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!(slots[i] = dlsym(lib, names[i]))) return errmsg_set(e, "view: GLFW lacks %s", names[i]);
    return 0;
}

/* The GL functions, from the current context. 0 or -1 with e set. */
static int view_gl_load(view_window *v, errmsg *e) {
    static const char *const names[] = {"glReadPixels", "glPixelStorei", "glReadBuffer"};
    void **slots = (void **)&v->gl;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!(slots[i] = v->f.get_proc(names[i]))) return errmsg_set(e, "view: OpenGL lacks %s", names[i]);
    return 0;
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
    v->f.window_hint(VIEW_GLFW_RESIZABLE, 0);
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
    v->gl.pixel_store(VIEW_GL_PACK_ALIGNMENT, 1);
    v->gl.read_buffer(VIEW_GL_BACK);
    v->gl.read_pixels(0, 0, v->w, v->h, VIEW_GL_RGB, VIEW_GL_UNSIGNED_BYTE, v->shot);
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
