/* mjcf_model.c -- loading an MJCF file, or the built-in default, with
 * one-line errors. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "mjcf.h"
#include "../common/mjb_arena.h"

/* Used when the experiment sets no `model`: a 3-link planar swimmer in
 * MuJoCo's fluid, so the plugin is usable (and checkable) at defaults. */
const char mjcf_default_xml[] =
    "<mujoco model=\"mjcf-default\">\n"
    "  <option timestep=\"0.002\" density=\"3000\" integrator=\"Euler\">\n"
    "    <flag contact=\"disable\"/>\n"
    "  </option>\n"
    "  <default>\n"
    "    <joint type=\"hinge\" axis=\"0 0 1\" limited=\"true\" range=\"-2 2\" armature=\"1e-6\"/>\n"
    "    <geom type=\"capsule\" size=\".01\" fromto=\"0 -.05 0 0 .05 0\" mass=\".01\"/>\n"
    "    <motor gear=\"5e-4\" ctrllimited=\"true\" ctrlrange=\"-1 1\"/>\n"
    "  </default>\n"
    "  <custom>\n"
    "    <text name=\"animat.forward_body\" data=\"head\"/>\n"
    "    <numeric name=\"animat.forward_axis\" data=\"0 -1 0\"/>\n"
    "  </custom>\n"
    "  <worldbody>\n"
    "    <body name=\"head\" pos=\"0 0 .05\">\n"
    "      <joint name=\"rootx\" type=\"slide\" axis=\"1 0 0\" limited=\"false\"/>\n"
    "      <joint name=\"rooty\" type=\"slide\" axis=\"0 1 0\" limited=\"false\"/>\n"
    "      <joint name=\"rootz\" limited=\"false\"/>\n"
    "      <geom/>\n"
    "      <body name=\"seg_1\" pos=\"0 .1 0\">\n"
    "        <joint name=\"j_1\" pos=\"0 -.05 0\"/>\n"
    "        <geom/>\n"
    "        <body name=\"seg_2\" pos=\"0 .1 0\">\n"
    "          <joint name=\"j_2\" pos=\"0 -.05 0\"/>\n"
    "          <geom/>\n"
    "        </body>\n"
    "      </body>\n"
    "    </body>\n"
    "  </worldbody>\n"
    "  <actuator>\n"
    "    <motor name=\"motors_0\" joint=\"j_1\"/>\n"
    "    <motor name=\"motors_1\" joint=\"j_2\"/>\n"
    "  </actuator>\n"
    "  <sensor>\n"
    "    <jointpos name=\"joints_0\" joint=\"j_1\"/>\n"
    "    <jointpos name=\"joints_1\" joint=\"j_2\"/>\n"
    "  </sensor>\n"
    "</mujoco>\n";

/* MuJoCo's messages span lines ("XML Error: ...\nElement ..., line 3");
 * fold them into one. */
static void mjcf_one_line(char *s) {
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' ')) s[--n] = '\0';
    for (char *p = s; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t') *p = ' ';
}

/* The default model through a one-file VFS (mjVFS is ~2 MB: heap). */
static mjModel *mjcf_load_default(char *msg, int cap) {
    mjVFS *vfs = mju_malloc(sizeof(mjVFS));
    mjModel *m = NULL;
    mj_defaultVFS(vfs);
    int len = (int)strlen(mjcf_default_xml);
    if (mj_makeEmptyFileVFS(vfs, "mjcf-default.xml", len) == 0) {
        memcpy(vfs->filedata[vfs->nfile - 1], mjcf_default_xml, (size_t)len);
        m = mj_loadXML("mjcf-default.xml", vfs, msg, cap);
    } else {
        snprintf(msg, (size_t)cap, "cannot create VFS file");
    }
    mj_deleteVFS(vfs);
    mju_free(vfs);
    return m;
}

/* See mjcf.h. */
mjModel *mjcf_load(const char *path, char *err, int errlen) {
    char msg[1000] = "", dir[PATH_MAX];
    int builtin = !path || !*path;
    const char *slash = builtin ? NULL : strrchr(path, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) + !(slash - path) : 1, slash ? path : ".");
    if (!builtin && mjb_mjcf_files_check(path, dir, msg, (int)sizeof msg)) { /* before MuJoCo opens a FIFO */
        snprintf(err, (size_t)errlen, "mjcf: %s", msg);
        return NULL;
    }
    mjModel *m = builtin ? mjcf_load_default(msg, (int)sizeof msg)
                         : mj_loadXML(path, NULL, msg, (int)sizeof msg);
    if (!m) {
        mjcf_one_line(msg);
        snprintf(err, (size_t)errlen, "mjcf: %s: MuJoCo: %s", builtin ? "(built-in model)" : path,
                 *msg ? msg : "could not load the model");
    }
    return m;
}
