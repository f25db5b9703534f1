/* swimmer_model.c -- MJCF generation and loading for the swimmer (swm_).
 *
 * The text reproduces dm_control's suite/swimmer.xml plus its _make_model()
 * (segments, motors, sensors), without cameras and lights. Its colours
 * (dm_control's common materials: a blue checker floor, "self" links, the
 * "target" sphere) only matter to `animat render`; they change nothing in
 * the physics. */
#include "swimmer_model.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Capacity of the generated text; 16 bodies need about 8 kB. */
#define SWM_XML_CAP 32768

/* Name of the in-memory file handed to mj_loadXML. */
#define SWM_XML_NAME "swimmer.xml"

/* Fixed part before the segment chain: options, defaults, head body. */
static const char swm_xml_head[] =
    "<mujoco model=\"swimmer\">\n"
    "  <compiler angle=\"degree\"/>\n"
    "  <option timestep=\"%.17g\" density=\"%.17g\" viscosity=\"%.17g\"\n"
    "          integrator=\"Euler\" solver=\"Newton\">\n"
    "    <flag contact=\"%s\"/>\n"
    "  </option>\n"
    "  <default>\n"
    "    <default class=\"swimmer\">\n%s"
    "      <joint type=\"hinge\" pos=\"0 %.17g 0\" axis=\"0 0 1\" limited=\"true\"\n"
    "             solreflimit=\".05 1\" solimplimit=\"0 .8 .1\" armature=\"1e-6\"/>\n"
    "      <default class=\"inertial\">\n"
    "        <geom type=\"box\" size=\".001 %.17g %.17g\" rgba=\"0 0 0 0\" mass=\".01\"%s/>\n"
    "      </default>\n"
    "      <default class=\"visual\">\n"
    "        <geom type=\"capsule\" size=\"%.17g\" fromto=\"0 %.17g 0 0 %.17g 0\" mass=\"0\"\n"
    "              material=\"self\"/>\n"
    "      </default>\n"
    "      <site size=\".01\" rgba=\"0 0 0 0\"/>\n"
    "    </default>\n"
    "    <default class=\"free\">\n"
    "      <joint limited=\"false\" stiffness=\"0\" armature=\"0\"/>\n"
    "    </default>\n"
    "    <motor gear=\"5e-4\" ctrllimited=\"true\" ctrlrange=\"-1 1\"/>\n"
    "  </default>\n"
    "  <visual>\n"
    "    <headlight ambient=\".4 .4 .4\" diffuse=\".8 .8 .8\" specular=\".1 .1 .1\"/>\n"
    "  </visual>\n"
    "  <asset>\n"
    "    <texture name=\"grid\" type=\"2d\" builtin=\"checker\" rgb1=\".1 .2 .3\" rgb2=\".2 .3 .4\"\n"
    "             width=\"300\" height=\"300\" mark=\"edge\" markrgb=\".2 .3 .4\"/>\n"
    "    <material name=\"grid\" texture=\"grid\" texrepeat=\"1 1\" texuniform=\"true\"/>\n"
    "    <material name=\"self\" rgba=\".7 .5 .3 1\"/>\n"
    "    <material name=\"target\" rgba=\".6 .3 .3 1\"/>\n"
    "  </asset>\n"
    "  <worldbody>\n"
    "    <geom name=\"ground\" type=\"plane\" size=\"2.5 2.5 0.1\" material=\"grid\"%s/>\n"
    "    <body name=\"head\" pos=\"0 0 .05\" childclass=\"swimmer\">\n"
    "      <geom name=\"head\" type=\"ellipsoid\" size=\"%.17g %.17g %.17g\" pos=\"0 %.17g 0\" mass=\"0\"\n"
    "            material=\"self\"/>\n"
    "      <geom name=\"nose\" type=\"sphere\" pos=\"0 %.17g 0\" size=\".004\" mass=\"0\"/>\n"
    "      <joint name=\"rootx\" class=\"free\" type=\"slide\" axis=\"1 0 0\" pos=\"0 %.17g 0\"/>\n"
    "      <joint name=\"rooty\" class=\"free\" type=\"slide\" axis=\"0 1 0\" pos=\"0 %.17g 0\"/>\n"
    "      <joint name=\"rootz\" class=\"free\" type=\"hinge\" axis=\"0 0 1\" pos=\"0 %.17g 0\"/>\n"
    "      <geom name=\"inertial\" class=\"inertial\"/>\n"
    "      <geom name=\"visual\" class=\"visual\"/>\n"
    "      <site name=\"head\"/>\n";

/* One segment, opened inside its parent (closed later). Args: i, L, i x3, limit x2. */
static const char swm_xml_segment[] =
    "<body name=\"segment_%d\" pos=\"0 %.17g 0\">\n"
    "  <geom class=\"visual\" name=\"visual_%d\"/>\n"
    "  <geom class=\"inertial\" name=\"inertial_%d\"/>\n"
    "  <site name=\"site_%d\"/>\n"
    "  <joint name=\"joint_%d\" range=\"%.17g %.17g\"/>\n";

/* One segment with its own size (per_link). Args: i, pos, i, r, -h, h, i,
 * h, r, i, i, -h, limit x2. */
static const char swm_xml_segment_own[] =
    "<body name=\"segment_%d\" pos=\"0 %.17g 0\">\n"
    "  <geom class=\"visual\" name=\"visual_%d\" size=\"%.17g\" fromto=\"0 %.17g 0 0 %.17g 0\"/>\n"
    "  <geom class=\"inertial\" name=\"inertial_%d\" size=\".001 %.17g %.17g\"/>\n"
    "  <site name=\"site_%d\"/>\n"
    "  <joint name=\"joint_%d\" pos=\"0 %.17g 0\" range=\"%.17g %.17g\"/>\n";

/* dm_control's target sphere (navigate only); moved at every reset. In an
 * arena nothing touches it. */
static const char swm_xml_target[] =
    "    <geom name=\"target\" type=\"sphere\" pos=\"1 1 .05\" size=\".1\" material=\"target\"%s/>\n";

/* In an arena: the links touch the world's geoms (contype 1 meets their
 * conaffinity 1), never each other (conaffinity 0); the inertial boxes
 * (inside the capsules) and the ground plane (below the swimmer's plane)
 * touch nothing, which spares their collision tests. */
static const char swm_xml_touch[] = "      <geom contype=\"1\" conaffinity=\"0\"/>\n";
static const char swm_xml_untouched[] = " contype=\"0\" conaffinity=\"0\"";

/* The camera at the nose, looking along the head's -y with +z up. Args:
 * y, fovy. */
static const char swm_xml_eye[] =
    "      <camera name=\"eye\" pos=\"0 %.17g 0\" xyaxes=\"-1 0 0 0 0 1\" fovy=\"%.17g\"/>\n";

/* Reference configuration of NCAP.md. */
void swm_default_config(swm_config *cfg) {
    cfg->n_bodies = 6;
    cfg->task = SWM_TASK_SWIM;
    cfg->timestep = 0.002;
    cfg->density = 3000.0;
    cfg->viscosity = 0.0;
    cfg->link_length = 0.1;
    cfg->link_radius = 0.01;
    cfg->per_link = 0;
    cfg->arena = NULL;
    cfg->eye[0] = cfg->eye[1] = cfg->eye[2] = 0;
    cfg->eye_fovy = 90;
    for (int i = 0; i < SWM_MAX_BODIES; i++) cfg->lengths[i] = cfg->link_length, cfg->radii[i] = cfg->link_radius;
}

/* 1 when every link has the uniform size (per_link off, or all equal). */
static int swm_uniform(const swm_config *cfg) {
    if (!cfg->per_link) return 1;
    for (int i = 0; i < cfg->n_bodies; i++)
        if (cfg->lengths[i] != cfg->link_length || cfg->radii[i] != cfg->link_radius) return 0;
    return 1;
}

/* Why the per-link sizes are out of range, or NULL. */
static const char *swm_check_links(const swm_config *cfg) {
    if (swm_uniform(cfg)) return NULL;
    for (int i = 0; i < cfg->n_bodies; i++) {
        if (!(cfg->lengths[i] >= SWM_MIN_LENGTH && cfg->lengths[i] <= SWM_MAX_LENGTH))
            return "a per-link length is outside [0.001, 10] m";
        if (!(cfg->radii[i] >= SWM_MIN_RADIUS && cfg->radii[i] <= SWM_MAX_RADIUS))
            return "a per-link radius is outside [0.0001, 1] m";
    }
    return NULL;
}

/* 2*pi / n: the model's range of +-360/n degrees, in radians. */
double swm_joint_limit(int n_bodies) {
    return 2.0 * M_PI / (double)n_bodies;
}

/* printf-append to buf at *len; returns 0, or -1 once the text no longer fits.
 * Create phase. */
static int swm_append(char *buf, int cap, int *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int swm_append(char *buf, int cap, int *len, const char *fmt, ...) {
    if (*len < 0 || *len >= cap) return -1;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf + *len, (size_t)(cap - *len), fmt, ap);
    va_end(ap);
    if (k < 0 || k >= cap - *len) { *len = -1; return -1; }
    *len += k;
    return 0;
}

/* Check cfg against the documented ranges; writes the reason to err.
 * Returns 0 when valid. Create phase. */
static int swm_check_config(const swm_config *cfg, char *err, int errlen) {
    const char *what = NULL;
    if (!cfg) what = "no configuration";
    else if (cfg->n_bodies < SWM_MIN_BODIES || cfg->n_bodies > SWM_MAX_BODIES)
        what = "n_bodies must be an integer in [3, 16]";
    else if (cfg->task != SWM_TASK_SWIM && cfg->task != SWM_TASK_NAVIGATE)
        what = "task must be swim or navigate";
    else if (!(cfg->timestep >= 1e-5 && cfg->timestep <= 0.01))
        what = "timestep must be in [1e-5, 0.01] s";
    else if (!(cfg->density >= 0 && cfg->density <= 1e5))
        what = "density must be in [0, 1e5] kg/m^3";
    else if (!(cfg->viscosity >= 0 && cfg->viscosity <= 1e3))
        what = "viscosity must be in [0, 1e3] Pa*s";
    else if (!(cfg->link_length >= 0.01 && cfg->link_length <= 1))
        what = "link_length must be in [0.01, 1] m";
    else if (!(cfg->link_radius >= 0.001 && cfg->link_radius <= 0.1))
        what = "link_radius must be in [0.001, 0.1] m";
    else
        what = swm_check_links(cfg);
    if (what && err && errlen > 0) snprintf(err, (size_t)errlen, "swimmer: %s", what);
    return what ? -1 : 0;
}

/* Generate the whole MJCF document. */
int swm_write_xml(const swm_config *cfg, char *buf, int cap, char *err, int errlen) {
    if (swm_check_config(cfg, err, errlen) != 0) return -1;
    int n = cfg->n_bodies, len = 0;
    double lim = 360.0 / (double)n;

    /* options, defaults, head; at L = 0.1 every product below is exactly
     * the reference literal (s = 1), so the default model is unchanged */
    int own = !swm_uniform(cfg);
    double L = own ? cfg->lengths[0] : cfg->link_length, r = own ? cfg->radii[0] : cfg->link_radius;
    double s = L / 0.1, h = L / 2;
    int arena = cfg->arena && mjb_arena_any(cfg->arena);
    swm_append(buf, cap, &len, swm_xml_head, cfg->timestep, cfg->density, cfg->viscosity,
               arena ? "enable" : "disable", arena ? swm_xml_touch : "", -h, h, r, arena ? swm_xml_untouched : "", r,
               -h, h, arena ? swm_xml_untouched : "", 0.02 * s, 0.04 * s, 0.017 * s, -0.022 * s, -0.06 * s, -h, -h, -h);
    if (cfg->eye[0]) swm_append(buf, cap, &len, swm_xml_eye, -0.066 * s, cfg->eye_fovy);

    /* nested segment chain, then close every segment */
    for (int i = 0; i < n - 1 && !own; i++)
        swm_append(buf, cap, &len, swm_xml_segment, i, L, i, i, i, i, -lim, lim);
    for (int i = 0; i < n - 1 && own; i++) {
        double hp = cfg->lengths[i] / 2, hi = cfg->lengths[i + 1] / 2, ri = cfg->radii[i + 1];
        swm_append(buf, cap, &len, swm_xml_segment_own, i, hp + hi, i, ri, -hi, hi, i, hi, ri, i, i, -hi, -lim, lim);
    }
    for (int i = 0; i < n - 1; i++) swm_append(buf, cap, &len, "</body>\n");
    swm_append(buf, cap, &len, "    </body>\n");
    if (cfg->task == SWM_TASK_NAVIGATE)
        swm_append(buf, cap, &len, swm_xml_target, arena ? " contype=\"0\" conaffinity=\"0\"" : "");
    swm_append(buf, cap, &len, "  </worldbody>\n  <actuator>\n");

    /* one motor per segment joint */
    for (int i = 0; i < n - 1; i++)
        swm_append(buf, cap, &len, "    <motor name=\"motor_%d\" joint=\"joint_%d\"/>\n", i, i);

    /* velocimeter + gyro per body, head first */
    swm_append(buf, cap, &len,
               "  </actuator>\n  <sensor>\n"
               "    <velocimeter name=\"head_vel\" site=\"head\"/>\n"
               "    <gyro name=\"head_gyro\" site=\"head\"/>\n");
    for (int i = 0; i < n - 1; i++)
        swm_append(buf, cap, &len,
                   "    <velocimeter name=\"velocimeter_%d\" site=\"site_%d\"/>\n"
                   "    <gyro name=\"gyro_%d\" site=\"site_%d\"/>\n", i, i, i, i);
    swm_append(buf, cap, &len, "  </sensor>\n");
    if (cfg->eye[0])
        swm_append(buf, cap, &len, "  <custom><numeric name=\"animat.camera.eye\" data=\"%d %d %d\"/></custom>\n",
                   cfg->eye[0], cfg->eye[1], cfg->eye[2]);
    swm_append(buf, cap, &len, "</mujoco>\n");

    if (len < 0 && err && errlen > 0)
        snprintf(err, (size_t)errlen, "swimmer: model text exceeds %d bytes", cap);
    return len;
}

/* Generate the text, put it in a VFS, compile it. */
mjModel *swm_build(const swm_config *cfg, char *err, int errlen) {
    char msg[1000] = "";
    mjModel *m = NULL;
    if (err && errlen > 0) err[0] = '\0';

    /* text */
    char *xml = mju_malloc(SWM_XML_CAP);
    int len = swm_write_xml(cfg, xml, SWM_XML_CAP, err, errlen);
    if (len < 0) { mju_free(xml); return NULL; }

    /* with an arena: the text merged with it (../common/mjb_arena.h) */
    if (cfg->arena && mjb_arena_any(cfg->arena)) {
        m = mjb_arena_load(NULL, xml, cfg->arena, msg, (int)sizeof msg);
        if (!m && err && errlen > 0) snprintf(err, (size_t)errlen, "swimmer: %s", msg);
        mju_free(xml);
        return m;
    }

    /* one in-memory file; mjVFS is ~2 MB, so never on the stack */
    mjVFS *vfs = mju_malloc(sizeof(mjVFS));
    mj_defaultVFS(vfs);
    if (mj_makeEmptyFileVFS(vfs, SWM_XML_NAME, len) != 0) {
        if (err && errlen > 0) snprintf(err, (size_t)errlen, "swimmer: cannot create VFS file");
    } else {
        memcpy(vfs->filedata[vfs->nfile - 1], xml, (size_t)len);
        m = mj_loadXML(SWM_XML_NAME, vfs, msg, (int)sizeof msg);
        if (!m && err && errlen > 0)
            snprintf(err, (size_t)errlen, "swimmer: MuJoCo rejected the model: %s", msg);
    }

    /* temporaries */
    mj_deleteVFS(vfs);
    mju_free(vfs);
    mju_free(xml);
    return m;
}
