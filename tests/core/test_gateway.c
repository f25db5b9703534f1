/* test_gateway.c -- core/plugin/ as the one gateway to plugin code: the
 * host's own extension "animat.host_info/1" answers a plugin (through the
 * graphkit probe circuit, tests/plugins/graphkit.c), and no source file
 * outside core/plugin/ calls through a plugin's function table. */
#include <check.h>
#include <dirent.h>
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
    suite_add_tcase(s, t);
    return ck_run(s);
}
