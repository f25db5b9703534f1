/* cmd_new.c -- see cmd_new.h. */
#include "cli/cmd_new.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/new_templates.h"

/* A scaffold name: [a-z][a-z0-9_]*, at most 32 characters (it names the
 * .so, the source file and the plugin). */
static int name_ok(const char *s) {
    size_t n = strlen(s);
    if (n == 0 || n > 32 || s[0] < 'a' || s[0] > 'z') return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_')) return 0;
    return 1;
}

/* Write `text` to path with @NAME@ and @ID@ replaced. 0, or -1 (errno). */
static int write_subst(const char *path, const char *text, const char *name, const char *id) {
    FILE *f = fopen(path, "wx");
    if (!f) return -1;
    for (const char *p = text; *p;) {
        if (!strncmp(p, "@NAME@", 6)) fputs(name, f), p += 6;
        else if (!strncmp(p, "@ID@", 4)) fputs(id, f), p += 4;
        else fputc(*p++, f);
    }
    int bad = ferror(f);
    if (fclose(f) || bad) return -1;
    return 0;
}

/* Path of scaffold file f inside folder dir ("@NAME@.c" -> NAME.c). */
static void file_path(char *buf, size_t cap, const char *dir, const new_file *f, const char *name) {
    if (!strcmp(f->name, "@NAME@.c")) snprintf(buf, cap, "%s/%s.c", dir, name);
    else snprintf(buf, cap, "%s/%s", dir, f->name);
}

/* Remove the temporary folder's files and the folder (best effort). */
static void remove_tmp(const char *tmp, const new_file *files, unsigned n, const char *name) {
    char path[PATH_MAX + 64];
    for (unsigned i = 0; i < n; i++) {
        file_path(path, sizeof path, tmp, &files[i], name);
        unlink(path);
    }
    rmdir(tmp);
}

/* Write every file into a fresh folder beside dir, then rename it to dir
 * (never replacing anything). 0, or 1 after one line on stderr. */
static int scaffold(const char *kind, const char *name, const char *dir) {
    unsigned n;
    const new_file *files = new_templates(kind, &n);
    struct stat st;
    if (lstat(dir, &st) == 0) {
        fprintf(stderr, "error: %s: already exists (animat new writes only a new folder; nothing was changed)\n", dir);
        return 1;
    }
    char tmp[PATH_MAX], id[64], path[PATH_MAX + 64];
    if (snprintf(tmp, sizeof tmp, "%s.new-XXXXXX", dir) >= (int)sizeof tmp || !mkdtemp(tmp)) {
        fprintf(stderr, "error: %s: cannot create a folder beside it: %s\n", dir, strerror(errno));
        return 1;
    }
    snprintf(id, sizeof id, "org.example.%s", name);
    for (unsigned i = 0; i < n; i++) {
        file_path(path, sizeof path, tmp, &files[i], name);
        if (write_subst(path, files[i].text, name, id)) {
            fprintf(stderr, "error: %s: cannot write: %s (nothing was created)\n", path, strerror(errno));
            remove_tmp(tmp, files, n, name);
            return 1;
        }
    }
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_NOREPLACE)) {
        fprintf(stderr, "error: %s: cannot create: %s (nothing was changed)\n", dir, strerror(errno));
        remove_tmp(tmp, files, n, name);
        return 1;
    }
    return 0;
}

int cmd_new_main(int argc, char **argv, FILE *out) {
    unsigned n;
    if (argc < 2 || argc > 3 || !new_templates(argv[0], &n)) {
        fprintf(stderr, "usage: animat new body|circuit|learner NAME [DIR]\n");
        return 2;
    }
    const char *name = argv[1], *dir = argc == 3 ? argv[2] : argv[1];
    if (!name_ok(name)) {
        fprintf(stderr, "error: new: '%.40s' is not a plugin name (want [a-z][a-z0-9_]*, at most 32 characters)\n",
                name);
        return 1;
    }
    if (scaffold(argv[0], name, dir)) return 1;
    fprintf(out, "wrote %s plugin '%s' (id org.example.%s) into %s/: meson.build, meson_options.txt, README.md, %s.c\n"
                 "build: cd %s && PKG_CONFIG_PATH=<animat>/build/meson-uninstalled meson setup build && meson compile "
                 "-C build && meson test -C build\n",
            argv[0], name, name, dir, name, dir);
    return 0;
}
