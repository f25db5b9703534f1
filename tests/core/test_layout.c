/* test_layout.c -- architecture rules that must never erode:
 *  - nothing in core/ includes a header from bodies/, circuits/ or plugins/;
 *  - core/ is layered (base < plugin < exp < sim < train < view < analysis <
 *    embed < cli): no file includes a header of a layer above its own;
 *  - `experiment` and `sim` are opaque to cli/: no cli file reaches (through
 *    any chain of includes) an *_impl.h header or a header defining either
 *    struct's body;
 *  - the animat executable is a client of libanimat.so (one host, not two:
 *    it holds none of the host's code itself); the library contains no
 *    plugin code (plugins are .so files found at run time) and links
 *    against no plugin;
 *  - every shipped plugin exports exactly one dynamic symbol, animat_entry. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "proc.h"

static const char *src, *exe;

/* The layers of core/, bottom to top: a file may include headers of its own
 * layer and of layers below it, never above (so no include circles between
 * layers). */
static const char *const layers[] = {"base", "plugin", "exp", "sim", "train", "view", "analysis", "embed", "cli"};
#define NLAYERS (sizeof layers / sizeof *layers)

static int layer_of(const char *dir) {
    for (size_t i = 0; i < NLAYERS; i++)
        if (strcmp(dir, layers[i]) == 0) return (int)i;
    return -1;
}

/* Check every #include line of one core file; returns 1 (a file seen). */
static int check_file(const char *layer, const char *path, const char *name) {
    char *text = proc_slurp(path);
    ck_assert_ptr_nonnull(text);
    int mine = layer_of(layer);
    for (char *line = text; line && *line;) {
        char *next = strchr(line, '\n');
        if (next) *next = '\0';
        if (strncmp(line, "#include", 8) == 0) {
            const char *bad[] = {"bodies/", "circuits/", "plugins/", "swimmer", "ncap", "mlp"};
            for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
                ck_assert_msg(!strstr(line, bad[k]), "%s/%s: %s", layer, name, line);
            char dir[32];
            if (sscanf(line, "#include \"%31[a-z]/", dir) == 1) {
                int theirs = layer_of(dir);
                ck_assert_msg(theirs >= 0, "%s/%s: unknown layer in %s", layer, name, line);
                ck_assert_msg(theirs <= mine, "%s/%s: layer %s includes the higher layer %s (%s)", layer, name,
                              layer, dir, line);
            }
        }
        line = next ? next + 1 : NULL;
    }
    free(text);
    return 1;
}

START_TEST(core_layers) {
    int files = 0;
    for (size_t l = 0; l < NLAYERS; l++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/core/%s", src, layers[l]);
        DIR *d = opendir(path);
        ck_assert_msg(d != NULL, "no core/%s", layers[l]);
        for (struct dirent *de; (de = readdir(d));) {
            size_t n = strlen(de->d_name);
            if (n < 3 || (strcmp(de->d_name + n - 2, ".c") && strcmp(de->d_name + n - 2, ".h"))) continue;
            char f[2048];
            snprintf(f, sizeof f, "%s/%s", path, de->d_name);
            files += check_file(layers[l], f, de->d_name);
        }
        closedir(d);
    }
    ck_assert_int_gt(files, 20);
}
END_TEST

/* Does core header `rel` ("sim/sim.h"), or any core header it includes,
 * define the body of `experiment` or `sim`, or is one of them an *_impl.h?
 * The offending header's name into bad (cap bytes); seen[] stops cycles. */
static int reaches_body(const char *rel, char seen[][64], int *nseen, char *bad, size_t cap) {
    for (int i = 0; i < *nseen; i++)
        if (!strcmp(seen[i], rel)) return 0;
    if (*nseen >= 256) return 0;
    snprintf(seen[(*nseen)++], 64, "%s", rel);
    size_t n = strlen(rel);
    if (n > 7 && !strcmp(rel + n - 7, "_impl.h")) return snprintf(bad, cap, "%s", rel), 1;
    char path[1024];
    snprintf(path, sizeof path, "%s/core/%s", src, rel);
    char *text = proc_slurp(path);
    if (!text) return 0; /* <animat/...> headers and system headers are not core's */
    int hit = strstr(text, "struct experiment {") || strstr(text, "struct sim {");
    if (hit) snprintf(bad, cap, "%s (defines the struct)", rel);
    for (char *line = text; !hit && line && *line;) {
        char *next = strchr(line, '\n');
        if (next) *next = '\0';
        char inc[64];
        if (sscanf(line, "#include \"%63[^\"]\"", inc) == 1) hit = reaches_body(inc, seen, nseen, bad, cap);
        line = next ? next + 1 : NULL;
    }
    free(text);
    return hit;
}

START_TEST(cli_sees_no_struct_bodies) {
    char path[1024];
    snprintf(path, sizeof path, "%s/core/cli", src);
    DIR *d = opendir(path);
    ck_assert_ptr_nonnull(d);
    int files = 0;
    for (struct dirent *de; (de = readdir(d));) {
        size_t n = strlen(de->d_name);
        if (n < 3 || (strcmp(de->d_name + n - 2, ".c") && strcmp(de->d_name + n - 2, ".h"))) continue;
        char rel[300], bad[128] = "", seen[256][64];
        int nseen = 0;
        snprintf(rel, sizeof rel, "cli/%s", de->d_name);
        ck_assert_msg(!reaches_body(rel, seen, &nseen, bad, sizeof bad), "core/%s sees experiment's or sim's body "
                      "through %s: cli/ reads them through exp/experiment.h's and sim/sim.h's functions", rel, bad);
        files++;
    }
    closedir(d);
    ck_assert_int_gt(files, 10);
}
END_TEST

START_TEST(cli_is_a_client_of_the_library) {
    /* The executable needs libanimat.so.1 and defines nothing of the host... */
    proc_out p = proc_run("readelf -d %s | grep NEEDED", exe);
    ck_assert_int_eq(p.status, 0);
    ck_assert_msg(strstr(p.out, "[libanimat.so.1]") != NULL, "animat does not link libanimat.so: %s", p.out);
    proc_free(&p);
    p = proc_run("nm --defined-only %s | grep -cE ' T (runner_|sim_|experiment_|animat_open)'", exe);
    ck_assert_msg(!strcmp(p.out, "0\n"), "host functions compiled into animat itself: %s", p.out);
    proc_free(&p);
    /* ...and finds it: the build tree's (an installed one: $ORIGIN/../LIBDIR). */
    p = proc_run("ldd %s | grep libanimat.so.1", exe);
    ck_assert_msg(p.status == 0 && strstr(p.out, "not found") == NULL, "ldd: %s", p.out);
    proc_free(&p);
}
END_TEST

START_TEST(host_has_no_plugin_code) {
    /* The host is libanimat.so, beside the executable in the build tree. */
    char lib[1024];
    snprintf(lib, sizeof lib, "%s", exe);
    char *slash = strrchr(lib, '/');
    snprintf(slash ? slash + 1 : lib, sizeof lib - (size_t)(slash ? slash + 1 - lib : 0), "libanimat.so");
    /* No plugin symbols in the library... */
    proc_out p = proc_run("nm %s | grep -E ' (swm_|ncap_|mlp_)' | head -5", lib);
    ck_assert_int_eq(p.status, 0);
    ck_assert_msg(p.out[0] == '\0', "plugin symbols in libanimat.so: %s", p.out);
    proc_free(&p);
    /* ...no dependency on a plugin or on MuJoCo (only bodies use it)... */
    p = proc_run("readelf -d %s | grep NEEDED", lib);
    ck_assert_int_eq(p.status, 0);
    ck_assert_ptr_nonnull(strstr(p.out, "libyaml"));
    ck_assert_ptr_null(strstr(p.out, "swimmer"));
    ck_assert_ptr_null(strstr(p.out, "ncap"));
    ck_assert_ptr_null(strstr(p.out, "mujoco"));
    proc_free(&p);
    /* ...and it dlopens them: the loader calls dlopen. */
    p = proc_run("nm -D --undefined-only %s | grep -c ' dlopen'", lib);
    ck_assert_str_eq(p.out, "1\n");
    proc_free(&p);
}
END_TEST

START_TEST(plugins_export_only_the_entry) {
    const char *sos[] = {getenv("SWIMMER_SO"), getenv("NCAP_SO"), getenv("MLP_SO")};
    for (int i = 0; i < 3; i++) {
        ck_assert_ptr_nonnull(sos[i]);
        proc_out p = proc_run("nm -D --defined-only %s | awk '{print $3}'", sos[i]);
        ck_assert_int_eq(p.status, 0);
        ck_assert_msg(strcmp(p.out, "animat_entry\n") == 0, "%s exports: %s", sos[i], p.out);
        proc_free(&p);
    }
}
END_TEST

int main(void) {
    src = getenv("ANIMAT_SRC");
    exe = getenv("ANIMAT_EXE");
    if (!src || !exe) return 1;
    Suite *s = suite_create("layout");
    TCase *t = tcase_create("layout");
    tcase_add_test(t, core_layers);
    tcase_add_test(t, cli_sees_no_struct_bodies);
    tcase_add_test(t, host_has_no_plugin_code);
    tcase_add_test(t, cli_is_a_client_of_the_library);
    tcase_add_test(t, plugins_export_only_the_entry);
    suite_add_tcase(s, t);
    return ck_run(s);
}
