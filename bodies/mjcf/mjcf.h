/* mjcf.h -- the "mjcf" body plugin: any MJCF model as a body (module mjcf_).
 *
 * One instance owns one mjModel (its own copy: reset moves the target site)
 * and one mjData. The files split the work MuJoCo-style:
 *   mjcf.c         ABI glue: parameters, create/destroy, the vtable, entry;
 *   mjcf_model.c   loading the file (or the built-in default) with one-line errors;
 *   mjcf_ports.c   actuators and sensors grouped into ports by name;
 *   mjcf_task.c    the model's task fields (<custom>), reward terms, episode end;
 *   mjcf_reset.c   the initial state from the host's stream;
 *   ../common/mjb_camera.c  cameras as observation ports (mjb_camera.h, shared with the swimmer);
 *   mjcf_contact.c contact forces per geom group (mjcf_contact.h);
 *   mjcf_odour.c   an odour field sampled at sites (mjcf_odour.h);
 *   mjb_arena.c   the model merged with an arena and a terrain (mjb_arena.h).
 *
 * Ports. Actuators and sensors are grouped by name: "STEM_N" (N digits)
 * joins port STEM, any other name is its own port; ports appear in the order
 * of their first element, elements in model order. IN ports are actuator
 * groups (one value per actuator); OUT ports are sensor groups, then "obs"
 * (every sensor, model order), then "qpos"/"qvel" (parameters obs_qpos,
 * obs_qvel), then "speed" (metric; when the model names a forward body),
 * "to_target" (when it names reach and target sites) and "position" (world
 * x, y of body 1, the first body under the worldbody, when there is one and
 * no sensor group is called that), then "contact_force" (mjcf_contact.h),
 * "smell" (mjcf_odour.h),
 * then the camera ports (mjb_camera.h).
 *
 * Extension "animat.mujoco/1" (animat/body.h): the instance's model and data
 * for `animat render`, and a camera tracking body 1 from twice the size of
 * its tree of bodies (or looking at the model's centre when it has none).
 *
 * Task fields, all optional, in the model's <custom> section:
 *   <text name="animat.forward_body" data="BODY"/>    forward velocity reward
 *   <numeric name="animat.forward_axis" data="X Y Z"/> along this axis (default 1 0 0)
 *   <text name="animat.forward_frame" data="body|world"/> of BODY's frame (default) or the world's
 *   <text name="animat.forward_from" data="TAIL"/>    instead: the velocity of BODY's subtree
 *        centre of mass along the unit vector from TAIL's origin to BODY's (undulators)
 *   <text name="animat.reach_site" data="SITE"/>      reach reward: -|SITE - TARGET|
 *   <text name="animat.target_site" data="TARGET"/>   a site of the worldbody,
 *   <numeric name="animat.target_range" data="X0 X1 Y0 Y1"/> placed uniformly at reset
 *   <text name="animat.upright_body" data="BODY"/>    upright bonus: BODY's z axis . world z
 *   <text name="animat.height_body" data="BODY"/>     episode ends when BODY's z < min_height
 * Names are the model's business, numbers (weights, scales) are parameters.
 */
#ifndef ANIMAT_MJCF_H
#define ANIMAT_MJCF_H

#include <animat/animat.h>
#include <mujoco/mujoco.h>

#include "../common/mjb.h"
#include "../common/mjb_camera.h"
#include "mjcf_contact.h"
#include "mjcf_odour.h"
#include "../common/mjb_arena.h"

#define MJCF_MAX_PORTS 32  /* per direction */
#define MJCF_NAME_MAX 48   /* port name with its NUL */

/* One port's elements: indices into the model's actuators or sensors. */
typedef struct mjcf_group {
    char name[MJCF_NAME_MAX];
    int first;  /* offset into the instance's id map */
    int count;  /* actuators or sensors in the group */
    int size;   /* doubles (sum of sensor dims; = count for actuators) */
} mjcf_group;

/* The task read from <custom> and the parameters. Plain data. */
typedef struct mjcf_task {
    int forward_body;       /* body id or -1 */
    double forward_axis[3]; /* in the body's frame, or the world's */
    int forward_world;      /* 1: forward_axis is a world axis */
    int forward_from;       /* body id or -1: subtree COM along from -> forward */
    int reach_site, target_site; /* site ids or -1 */
    double target_range[4]; /* x0 x1 y0 y1 */
    int upright_body;       /* body id or -1 */
    int height_body;        /* body id or -1 */
    double w_forward, forward_speed, w_reach, w_upright, ctrl_cost, alive_bonus;
    int forward_clamp;      /* 1: clamp(v / speed, 0, 1); 0: v / speed */
    double min_height;      /* m */
} mjcf_task;

typedef struct mjcf_morph mjcf_morph; /* mjcf_morph.c */

/* One body instance. Created by mjcf_create, freed by mjcf_destroy. */
typedef struct mjcf_body {
    const animat_host *h;
    mjModel *m;
    mjData *d;
    mjcf_task task;
    mjb_rft rft;
    int physics_steps;
    double control_dt;
    uint64_t step_limit, nstep;
    int init_joints;        /* 1: dm_control's joint randomisation at reset */
    double init_noise;      /* uniform +- on hinge/slide qpos */
    int obs_qpos, obs_qvel;
    int *act_ids;           /* nu: actuator ids in port order */
    int *sen_ids;           /* nsensor: sensor ids in port order */
    mjcf_group act[MJCF_MAX_PORTS], sen[MJCF_MAX_PORTS];
    int nact, nsen;         /* groups */
    animat_port_info in[MJCF_MAX_PORTS], out[MJCF_MAX_PORTS + 8 + MJB_MAX_CAMERAS];
    uint32_t nin, nout;
    int port_obs, port_qpos, port_qvel, port_speed, port_target, port_position; /* OUT index or -1 */
    /* "animat.ports/1" (mjcf_ports.c): per action port, the actuators'
     * ctrlrange (unbounded where not ctrllimited) and names, nu each */
    animat_port_values act_vals[MJCF_MAX_PORTS];
    double *act_lo, *act_hi;
    const char **act_names;
    mjcf_morph *morph;      /* design parameters (mjcf_morph.c), NULL when the model tags no geom */
    mjb_eyes *eyes;        /* camera ports (mjb_camera.h), or NULL; owned */
    int port_eye0;          /* OUT index of the first camera port, or -1 */
    int camera_render;      /* parameter camera_mode: 1 render, 0 ray */
    int contact_groups[MJCF_CONTACT_MAX], ncontact; /* animat.contact_groups */
    int port_contact;       /* OUT index of contact_force, or -1 */
    mjcf_odour odour;       /* animat.odour.* sources, animat.smell sites */
    int port_smell;         /* OUT index of smell, or -1 */
} mjcf_body;

/* mjcf_model.c: load `path` ("" = the built-in default model) into a new
 * mjModel, or NULL with a one-line reason in err naming the file and
 * MuJoCo's own message. Create phase. */
mjModel *mjcf_load(const char *path, char *err, int errlen);

/* The built-in default model's MJCF text (a 3-link swimmer). */
extern const char mjcf_default_xml[];

/* mjcf_ports.c: group actuators and sensors, fill b->in/out. 0, or -1 with
 * a one-line reason in err (without the file, which the caller adds). Allocates the id maps with h->alloc. Create. */
int mjcf_make_ports(mjcf_body *b, char *err, int errlen);

/* Extension "animat.ports/1": action ports carry their actuators' ctrlrange
 * and names (mjcf_ports.c); observations are unbounded. */
extern const animat_ports_ext mjcf_ports_ext;

/* Write every OUT port from the current state. Reset/step phase. */
void mjcf_observe(const mjcf_body *b, double *const *obs);

/* Copy every IN port into d->ctrl. Step phase. */
void mjcf_apply(const mjcf_body *b, const double *const *act);

/* mjcf_view.c: the animat.mujoco/1 table (static, valid for the plugin's
 * lifetime). */
extern const animat_mujoco_ext mjcf_mujoco_ext;

/* mjcf_task.c: resolve the <custom> names into b->task (weights already
 * set). 0, or -1 with a one-line reason in err (without the file). Create phase. */
int mjcf_task_resolve(const mjModel *m, mjcf_task *t, char *err, int errlen);

/* Forward velocity (m/s) of the forward body along its axis; 0 without. */
double mjcf_forward_speed(const mjModel *m, const mjData *d, const mjcf_task *t);

/* Target site minus reach site, world frame (3 values). */
void mjcf_to_target(const mjData *d, const mjcf_task *t, double out[3]);

/* Reward of the current (post-step) state and whether it is terminal.
 * Step phase, no allocation. */
double mjcf_reward(const mjModel *m, const mjData *d, const mjcf_task *t, int *terminal);

/* mjcf_reset.c: mj_resetData, the initial state from the host's stream,
 * target placement, mj_forward. Reset phase. */
void mjcf_reset_state(mjcf_body *b);

/* mjcf_morph.c: design parameters over the geoms the model tags
 * (<text name="animat.design_geoms" data="GEOM ..."/>, optional <numeric
 * name="animat.design_range" data="LO HI"/>): "GEOM.size" factors,
 * extension "animat.morphology/1". init (create, after the model): 0, or
 * -1 with a one-line reason in err; apply (reset) puts the recorded design
 * into the model; the state functions carry the design in force (a prefix
 * of the state bytes; load applies it, no allocation); describe writes
 * "; design GEOM.size=F ..." (or "") for messages. */
int mjcf_morph_init(mjcf_body *b, char *err, int errlen);
void mjcf_morph_free(mjcf_body *b);
void mjcf_morph_apply(mjcf_body *b);
uint64_t mjcf_morph_state_size(const mjcf_body *b);
void mjcf_morph_save(const mjcf_body *b, void *buf);
void mjcf_morph_load(mjcf_body *b, const void *buf);
void mjcf_morph_describe(const mjcf_body *b, char *buf, size_t cap);
extern const animat_morphology_ext mjcf_morph_ext;

#endif /* ANIMAT_MJCF_H */
