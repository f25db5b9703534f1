/* reacher2_model.c -- the two-arm MJCF text and its index (rch_). */
#include <stdio.h>
#include <string.h>

#include "reacher2.h"

/* One arm; args: side x6 (name prefix), base x. */
#define RCH_ARM(S, X)                                                                           \
    "    <body name=\"" S "_arm\" pos=\"" X " 0 .01\">\n"                                      \
    "      <joint name=\"" S "_shoulder\" type=\"hinge\" axis=\"0 0 1\" limited=\"false\"/>\n"  \
    "      <geom name=\"" S "_arm\" fromto=\"0 0 0 .12 0 0\"/>\n"                              \
    "      <body name=\"" S "_hand\" pos=\".12 0 0\">\n"                                       \
    "        <joint name=\"" S "_elbow\" type=\"hinge\" axis=\"0 0 1\" limited=\"true\" range=\"-160 160\"/>\n"  \
    "        <geom name=\"" S "_hand\" fromto=\"0 0 0 .1 0 0\"/>\n"                            \
    "        <site name=\"" S "_tip\" pos=\".11 0 0\" size=\".01\"/>\n"                        \
    "      </body>\n"                                                                          \
    "    </body>\n"                                                                            \
    "    <site name=\"" S "_target\" pos=\"" X " .15 .01\" size=\".015\" rgba=\".9 .2 .2 1\"/>\n"

static const char rch_xml[] =
    "<mujoco model=\"reacher2\">\n"
    "  <compiler angle=\"degree\"/>\n"
    "  <option timestep=\"%.17g\" integrator=\"Euler\">\n"
    "    <flag contact=\"disable\" gravity=\"disable\"/>\n"
    "  </option>\n"
    "  <default>\n"
    "    <joint damping=\"0.01\" armature=\"1e-4\"/>\n"
    "    <geom type=\"capsule\" size=\".01\" density=\"1000\"/>\n"
    "    <motor gear=\".05\" ctrllimited=\"true\" ctrlrange=\"-1 1\"/>\n"
    "  </default>\n"
    "  <worldbody>\n"
    "    <geom name=\"ground\" type=\"plane\" size=\".6 .4 .1\" pos=\"0 0 -.01\"/>\n"
    RCH_ARM("left", "-.2") RCH_ARM("right", ".2")
    "  </worldbody>\n"
    "  <actuator>\n"
    "    <motor name=\"left_shoulder\" joint=\"left_shoulder\"/>\n"
    "    <motor name=\"left_elbow\" joint=\"left_elbow\"/>\n"
    "    <motor name=\"right_shoulder\" joint=\"right_shoulder\"/>\n"
    "    <motor name=\"right_elbow\" joint=\"right_elbow\"/>\n"
    "  </actuator>\n"
    "</mujoco>\n";

/* Generate, load through a one-file VFS (mjVFS is ~2 MB: heap). */
mjModel *rch_build(double timestep, char *err, int errlen) {
    char xml[sizeof rch_xml + 64], msg[1000] = "";
    int len = snprintf(xml, sizeof xml, rch_xml, timestep);
    mjVFS *vfs = mju_malloc(sizeof(mjVFS));
    mjModel *m = NULL;
    mj_defaultVFS(vfs);
    if (mj_makeEmptyFileVFS(vfs, "reacher2.xml", len) == 0) {
        memcpy(vfs->filedata[vfs->nfile - 1], xml, (size_t)len);
        m = mj_loadXML("reacher2.xml", vfs, msg, (int)sizeof msg);
    }
    if (!m) {
        for (char *p = msg; *p; p++)
            if (*p == '\n') *p = ' ';
        snprintf(err, (size_t)errlen, "reacher2: MuJoCo rejected the model: %s", msg);
    }
    mj_deleteVFS(vfs);
    mju_free(vfs);
    return m;
}

/* Look up one arm's names ("left" or "right"). 0 or -1. */
static int rch_index_arm(const mjModel *m, rch_index *ix, int a, const char *side) {
    static const char *const joint[2] = {"shoulder", "elbow"};
    char name[32];
    for (int k = 0; k < 2; k++) {
        snprintf(name, sizeof name, "%s_%s", side, joint[k]);
        int j = mj_name2id(m, mjOBJ_JOINT, name), u = mj_name2id(m, mjOBJ_ACTUATOR, name);
        if (j < 0 || u < 0) return -1;
        ix->qpos[a][k] = m->jnt_qposadr[j];
        ix->qvel[a][k] = m->jnt_dofadr[j];
        ix->ctrl[a][k] = u;
    }
    snprintf(name, sizeof name, "%s_tip", side);
    ix->tip[a] = mj_name2id(m, mjOBJ_SITE, name);
    snprintf(name, sizeof name, "%s_target", side);
    ix->target[a] = mj_name2id(m, mjOBJ_SITE, name);
    snprintf(name, sizeof name, "%s_arm", side);
    int arm = mj_name2id(m, mjOBJ_BODY, name);
    if (ix->tip[a] < 0 || ix->target[a] < 0 || arm < 0) return -1;
    ix->tip_body[a] = m->site_bodyid[ix->tip[a]];
    ix->base[a][0] = m->body_pos[3 * arm];
    ix->base[a][1] = m->body_pos[3 * arm + 1];
    return 0;
}

/* Both arms. */
int rch_index_init(const mjModel *m, rch_index *ix) {
    return (m->nu == 4 && rch_index_arm(m, ix, 0, "left") == 0 && rch_index_arm(m, ix, 1, "right") == 0) ? 0 : -1;
}
