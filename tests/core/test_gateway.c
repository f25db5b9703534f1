/* test_gateway.c -- core/plugin/ as the one gateway to plugin code: the
 * host's own extension "animat.host_info/1" answers a plugin (through the
 * graphkit probe circuit, tests/plugins/graphkit.c), and no source file
 * outside core/plugin/ calls through a plugin's function table. */
#include <check.h>
#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "plugin/hostctx.h"
#include "proc.h"

static const char *exe, *broken, *src;
static const char *dir;
static char kit[512];

#define PROBE_EXP                                                                                                      \
    "bodies:\n  b: {plugin: tick, params: {nv: 2, na: 2, len: 3}}\n"                                                  \
    "circuits:\n  c: {plugin: probe, params: {n: 2, host_info: true}}\nwiring:\n  - c.out.y -> b.act.a\n"

/* A plugin asking for ANIMAT_EXT_HOST_INFO gets the host's name, version
 * and ABI, and itself as the host knows it: derived id, file, declared ABI
 * and kind; an unknown id answers NULL (the probe fails create otherwise). */
START_TEST(host_info_answers) {
    const char *path = proc_write(dir, "hi.yaml", PROBE_EXP);
    proc_out p = proc_run("cd %s && %s run %s --episodes 1 --plugin %s", dir, exe, path, kit);
    ck_assert_msg(p.status == 0, "status %d: %s", p.status, p.err);
    char want[1024];
    snprintf(want, sizeof want, " ABI 1.3; caller local.probe ABI 1.3 kind 2 from %s\n", kit);
    ck_assert_msg(strstr(p.err, "c (probe): host_info: animat "), "%s", p.err);
    ck_assert_msg(strstr(p.err, want), "'%s' lacks '%s'", p.err, want);
    proc_free(&p);
}
END_TEST

/* The table itself, before and after hostctx_identify: the host's ABI,
 * struct_size and reserved fields, the plugin as registry record names it,
 * NULL for any other id; the same pointer on every call. */
START_TEST(host_info_table) {
    hostctx h;
    ck_assert_int_eq(hostctx_init(&h, HOSTCTX_ROLE_CIRCUIT, "c", "probe", NULL), 0);
    const animat_host *t = &h.table;
    const animat_host_info *hi = t->extension(t, ANIMAT_EXT_HOST_INFO);
    ck_assert_ptr_nonnull(hi);
    ck_assert_ptr_eq(hi, t->extension(t, ANIMAT_EXT_HOST_INFO));
    ck_assert_ptr_null(t->extension(t, "animat.host_info/2"));
    ck_assert_ptr_null(t->extension(t, NULL));
    ck_assert_uint_eq(hi->struct_size, sizeof *hi);
    ck_assert_uint_eq(hi->reserved + hi->reserved2, 0);
    ck_assert_str_eq(hi->host_name, "animat");
    ck_assert_str_eq(hi->host_version, t->host_version);
    ck_assert_uint_eq(hi->abi_major, ANIMAT_ABI_MAJOR);
    ck_assert_uint_eq(hi->abi_minor, ANIMAT_ABI_MINOR);
    ck_assert_str_eq(hi->plugin_id, "probe");
    animat_plugin_entry entry = {.abi_major = 1, .abi_minor = 1};
    registry_lib lib = {.path = "/x/old.so", .entry = &entry};
    animat_plugin_desc d = {.kind = ANIMAT_KIND_CIRCUIT, .name = "old"};
    registry_plugin p = {.desc = &d, .lib = &lib, .id = "local.old"};
    hostctx_identify(&h, &p);
    ck_assert_str_eq(hi->plugin_id, "local.old");
    ck_assert_str_eq(hi->plugin_path, "/x/old.so");
    ck_assert_uint_eq(hi->plugin_abi_minor, 1);
    ck_assert_uint_eq(hi->kind, ANIMAT_KIND_CIRCUIT);
    hostctx_fini(&h);
}
END_TEST

/* Calls through a plugin's function table, as C spells them: the
 * descriptor's table, the kinds' table types, or a call through a member
 * named like a kind's function with a plugin instance (self, learner) or a
 * host table as its first argument, or any call through a member with an
 * instance's self as its first argument (extension tables: units, mujoco,
 * state, plasticity, ...). */
static const char *const calls[] = {
    "desc->api",
    "animat_(body|circuit|learner)_api[^a-z_]",
    "->(create|destroy|ports|control_dt|reset|step|theta_info|get_theta|set_theta|population|ask|tell|current|"
    "state_size|save|load|online_reset|online_step|eligibility)[[:space:]]*\\([^,()]*(self|table|learner)[,)]",
    "->[a-z_]+[[:space:]]*\\([^,()]*->self[,)]",
};

/* Lines of file `path` that match a pattern of calls[]: appended to out
 * ("path:line: text"), counted in the return value. */
static int scan_file(const char *path, regex_t *re, size_t nre, char *out, size_t cap) {
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot read %s", path);
    char line[4096];
    int hits = 0, no = 0;
    while (fgets(line, sizeof line, f)) {
        no++;
        if (line[strspn(line, " \t")] == '"') continue; /* a string: source text animat writes (cli/new_templates.c) */
        for (size_t k = 0; k < nre; k++)
            if (!regexec(&re[k], line, 0, NULL, 0)) {
                size_t len = strlen(out);
                snprintf(out + len, cap - len, "%s:%d: %s", path, no, line);
                hits++;
                break;
            }
    }
    fclose(f);
    return hits;
}

/* Every .c and .h under dir (recursively), except under `skip`. */
static int scan_dir(const char *dir, const char *skip, regex_t *re, size_t nre, char *out, size_t cap) {
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot open %s", dir);
    int hits = 0;
    for (struct dirent *de; (de = readdir(d));) {
        if (de->d_name[0] == '.') continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        size_t len = strlen(de->d_name);
        if (de->d_type == DT_DIR) {
            if (strcmp(path, skip)) hits += scan_dir(path, skip, re, nre, out, cap);
        } else if (len > 2 && (!strcmp(de->d_name + len - 2, ".c") || !strcmp(de->d_name + len - 2, ".h"))) {
            hits += scan_file(path, re, nre, out, cap);
        }
    }
    closedir(d);
    return hits;
}

/* No host file outside core/plugin/ calls a body's, circuit's or learner's
 * function table or an instance's extension table: sim schedules, plugin/
 * calls (instance.h, learner.h). (Before this test, sim.c, build.c,
 * trainer.c, isolate.c, record.c, intervene.c, cmd_plugins.c and
 * cmd_render.c did: 46 lines.) */
START_TEST(only_plugin_calls_plugins) {
    regex_t re[sizeof calls / sizeof *calls];
    for (size_t k = 0; k < sizeof calls / sizeof *calls; k++)
        ck_assert_int_eq(regcomp(&re[k], calls[k], REG_EXTENDED | REG_NOSUB), 0);
    static char out[65536];
    out[0] = '\0';
    char core[512], plugin[512];
    snprintf(core, sizeof core, "%s/core", src);
    snprintf(plugin, sizeof plugin, "%s/core/plugin", src);
    int hits = scan_dir(core, plugin, re, sizeof calls / sizeof *calls, out, sizeof out);
    ck_assert_msg(hits == 0, "%d plugin calls outside core/plugin/:\n%.3000s", hits, out);
    /* The scan sees a call where there is one. */
    const char *probe = proc_write(dir, "probe.c", "    if (c->step(in->self, a, b, dt)) return -1;\n");
    ck_assert_int_eq(scan_file(probe, re, sizeof calls / sizeof *calls, out, sizeof out), 1);
    for (size_t k = 0; k < sizeof calls / sizeof *calls; k++) regfree(&re[k]);
}
END_TEST

/* The allocator-call counter lives only in `animat plugin-check`'s
 * process (libanimat-alloccount.so, preloaded there): the animat
 * executable itself no longer replaces malloc, calloc, realloc or free
 * for every command, and plugin-check still counts (step_alloc fails). */
START_TEST(alloc_counting_only_in_plugin_check) {
    proc_out p = proc_run("nm %s | grep -cE ' T (malloc|calloc|realloc|free)$'", exe);
    ck_assert_msg(!strcmp(p.out, "0\n"), "animat defines %s allocator functions", p.out);
    proc_free(&p);
    p = proc_run("%s plugin-check %s/step_alloc.so", exe, broken);
    ck_assert_msg(strstr(p.out, "FAIL  step-alloc: alloc: 400 allocator calls") ||
                      strstr(p.out, "SKIP  step-alloc: alloc: allocator calls cannot be counted: running under"),
                  "%s", p.out);
    proc_free(&p);
}
END_TEST

int main(void) {
    exe = getenv("ANIMAT_EXE");
    broken = getenv("BROKEN_DIR");
    src = getenv("ANIMAT_SRC");
    if (!exe || !broken || !src) return 1;
    dir = proc_tmpdir();
    snprintf(kit, sizeof kit, "%s/graphkit.so", broken);
    Suite *s = suite_create("gateway");
    TCase *t = tcase_create("gateway");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, host_info_answers);
    tcase_add_test(t, host_info_table);
    tcase_add_test(t, only_plugin_calls_plugins);
    tcase_add_test(t, alloc_counting_only_in_plugin_check);
    suite_add_tcase(s, t);
    return ck_run(s);
}
