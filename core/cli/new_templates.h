/* new_templates.h -- the files `animat new` writes (cmd_new.c): a plugin of
 * each kind with a meson build against animat-sdk (pkg-config), a test
 * (`meson test` runs `animat plugin-check` on it) and a README. In the text,
 * @NAME@ stands for the plugin's short name and @ID@ for its id. Static
 * data; any thread. */
#ifndef NEW_TEMPLATES_H
#define NEW_TEMPLATES_H

/* One file of a scaffold: its name inside the new folder (@NAME@ allowed)
 * and its text. */
typedef struct new_file {
    const char *name;
    const char *text;
} new_file;

/* The files for kind "body", "circuit" or "learner" (n in *n), or NULL for
 * another word. */
const new_file *new_templates(const char *kind, unsigned *n);

#endif
