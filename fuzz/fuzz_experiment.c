/* fuzz_experiment.c -- libFuzzer target for the experiment loader
 * (core/experiment.c, and through it yamltree, params and registry).
 *
 * The input is an experiment file, loaded with experiment_load as exp.yaml in a
 * private temporary directory (see the --wrap note below); the result is checked and freed. Any error is fine: crashes,
 * leaks, undefined behaviour and timeouts are findings.
 *
 * Plugin names resolve against the built-in plugin directories (the build
 * tree's bodies/, circuits/ and plugins/, as the binary lives in it);
 * ANIMAT_PLUGIN_PATH is emptied so nothing else is loaded. Each experiment_load
 * scans and dlopens those directories again; to keep that cheap, every
 * built-in plugin is opened once here and never closed, so the loader's own
 * dlopen/dlclose only moves reference counts.
 *
 * yamltree_load mallocs a 16 MiB buffer for every file it reads; under
 * AddressSanitizer poisoning that buffer costs ~5 ms, which capped this
 * target at ~150 exec/s. So the target is linked with
 * -Wl,--wrap=yamltree_load: experiment.c's calls land in __wrap_yamltree_load below,
 * which hands the experiment file's bytes straight to yamltree_parse (the
 * path still names a file in the temporary directory, so base_dir and
 * relative paths behave as for a real file) and reads any other file
 * (theta_file) with a buffer of the file's size. yamltree_load itself is a
 * plain fopen/fread wrapper and is not fuzzed here.
 *
 * The temporary directory also holds theta.yaml (a valid parameter file),
 * so `theta_file: theta.yaml` works. Inputs naming an absolute path or one
 * with ".." as a plugin or theta file are refused (return -1): the loader
 * would dlopen or read arbitrary files of the machine.
 */
#include <errno.h>
#include <ftw.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/errmsg.h"
#include "exp/experiment_impl.h"
#include "plugin/registry.h"
#include "base/yamltree.h"

#define CHECK(c) \
    do {         \
        if (!(c)) __builtin_trap(); \
    } while (0)

static char dir[64];
static char exp_path[128];
static registry keep; /* never closed: keeps the built-in plugins mapped */

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f) {
    (void)st, (void)flag, (void)f;
    return remove(p);
}

static void cleanup(void) {
    if (dir[0]) nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

static void write_file(const char *path, const void *data, size_t size) {
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f)) {
        perror(path);
        abort();
    }
}

/* The current input, served to __wrap_yamltree_load for exp_path. */
static const uint8_t *cur_data;
static size_t cur_size;

yamltree *__real_yamltree_load(const char *path, errmsg *e);
yamltree *__wrap_yamltree_load(const char *path, errmsg *e);

yamltree *__wrap_yamltree_load(const char *path, errmsg *e) {
    if (cur_data && strcmp(path, exp_path) == 0) return yamltree_parse(path, (const char *)cur_data, cur_size, e);
    FILE *f = fopen(path, "rb");
    if (!f) {
        errmsg_set(e, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    /* Directories, devices, FIFOs: let the real function deal with them. */
    long len = -1;
    if (fseek(f, 0, SEEK_END) == 0) len = ftell(f);
    if (len < 0 || len > (1L << 20)) {
        fclose(f);
        return __real_yamltree_load(path, e);
    }
    rewind(f);
    char *buf = malloc((size_t)len + 1);
    size_t got = buf ? fread(buf, 1, (size_t)len + 1, f) : 0;
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad || got > (size_t)len) {
        free(buf);
        return __real_yamltree_load(path, e);
    }
    yamltree *root = yamltree_parse(path, buf, got, e);
    free(buf);
    return root;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    setenv("ANIMAT_PLUGIN_PATH", "", 1);
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%.40s/animat-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        abort();
    }
    atexit(cleanup);
    snprintf(exp_path, sizeof exp_path, "%s/exp.yaml", dir);
    char theta[128];
    snprintf(theta, sizeof theta, "%s/theta.yaml", dir);
    static const char theta_text[] = "circuit: ncap\ntheta: [1, 1, 1, -1]\n";
    write_file(theta, theta_text, sizeof theta_text - 1);
    registry_init(&keep);
    registry_scan(&keep);
    fprintf(stderr, "fuzz_experiment: %zu built-in plugins preloaded (%zu skipped), files in %s\n",
            keep.nplugins, keep.nskipped, dir);
    return 0;
}

/* A plugin: or theta_file: value that would leave the temporary directory. */
static int escapes(const yamltree *v) {
    return v && v->kind == YAMLTREE_SCALAR && (v->str[0] == '/' || strstr(v->str, ".."));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    errmsg e;
    errmsg_clear(&e);
    yamltree *d = yamltree_parse("exp.yaml", (const char *)data, size, &e);
    if (d) {
        int bad = escapes(yamltree_get(yamltree_get(d, "body"), "plugin")) ||
                  escapes(yamltree_get(yamltree_get(d, "circuit"), "plugin")) ||
                  escapes(yamltree_get(yamltree_get(d, "circuit"), "theta_file")) ||
                  escapes(yamltree_get(yamltree_get(d, "learner"), "plugin"));
        yamltree_free(d);
        if (bad) return -1;
    }
    errmsg_clear(&e);
    experiment x;
    cur_data = data;
    cur_size = size;
    int rc = experiment_load(&x, exp_path, NULL, 0, NULL, 0, &e);
    cur_data = NULL;
    if (rc == 0) {
        CHECK(!e.set);
        CHECK(x.doc && x.ninsts >= 2 && x.nbodies >= 1 && x.nbodies < x.ninsts);
        CHECK(x.nconns >= 1 && x.conns);
        for (uint32_t i = 0; i < x.nconns; i++) {
            const experiment_conn *c = &x.conns[i];
            CHECK(memchr(c->src.port, '\0', sizeof c->src.port) && memchr(c->dst.port, '\0', sizeof c->dst.port));
            CHECK(c->src.inst < x.ninsts && c->dst.inst < x.ninsts);
            CHECK(c->src.dir == ANIMAT_PORT_OUT && c->dst.dir == ANIMAT_PORT_IN);
            CHECK(!c->src.sliced || c->src.lo < c->src.hi);
            CHECK(!c->dst.sliced || c->dst.lo < c->dst.hi);
        }
        CHECK(x.episodes >= 1);
        for (uint32_t i = 0; i < x.ninsts; i++) {
            const experiment_inst *in = &x.insts[i];
            CHECK(in->plugin && in->params.n == in->plugin->desc->n_params);
            CHECK(!in->ntheta || in->theta);
            CHECK(in->substeps >= 1);
        }
        experiment_free(&x);
    } else {
        CHECK(e.set && memchr(e.msg, '\0', sizeof e.msg));
        CHECK(x.doc == NULL && x.file == NULL); /* freed on failure */
    }
    return 0;
}
