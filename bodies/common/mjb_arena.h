/* mjb_arena.h -- arenas for the MuJoCo bodies (mjcf, swimmer): the model
 * merged with an arena file and a terrain (module mjb_arena_).
 *
 * Body parameters (each body's table declares them; mjb_arena_read):
 *   arena          an MJCF file whose children (walls, obstacles, lights,
 *                  <asset>s) are added to the model's: the body loads
 *                    <mujoco> <include file="MODEL"/> <include file="ARENA"/>
 *                             [terrain asset and geom] </mujoco>
 *                  through a VFS file placed in the model file's directory,
 *                  so every file the two name (meshes, textures, height-
 *                  field images) resolves against the model's directory, as
 *                  MuJoCo resolves the files of one model. A generated model
 *                  (the swimmer's text) is a second VFS file, and the
 *                  wrapper sits in the arena file's directory (else the
 *                  terrain image's, else the working directory): the
 *                  arena's own files resolve against its directory.
 *   terrain        flat (nothing added) | image | noise: a heightfield geom
 *                  "animat_terrain" centred at the origin on z = 0 (the
 *                  usual floor), rising to terrain_size[2] m at its highest;
 *   terrain_image  image: a PNG whose grey levels are the heights (MuJoCo
 *                  reads it; a file that is not a PNG is MuJoCo's one-line
 *                  error, naming the file);
 *   terrain_size   x, y half-sizes, height and base depth, m (MuJoCo's
 *                  hfield size);
 *   terrain_seed, terrain_cells
 *                  noise: cells x cells heights drawn uniformly from GSL's
 *                  mt19937 seeded with terrain_seed, smoothed by a 5 x 5 box
 *                  filter and scaled to [0, 1]; the same seed gives the same
 *                  terrain in every instance, episode and process.
 * Medium regions: <numeric name="animat.rft_regions" data="x0 x1 y0 y1 K ...">
 * (in the model or the arena, 5 numbers per region, at most MJB_RFT_REGIONS)
 * gives every body whose centre of mass lies in a region the RFT ratio K
 * there instead of the parameter rft_ratio (e.g. agar patches, K = 10, in
 * water, 1.5); needs medium: rft.
 * Placement: at create, at qpos0, no geom of a moving body may penetrate a
 * geom of the worldbody other than a plane or heightfield by more than
 * 1 mm (contacts are computed for this check even in a model that disables
 * them): "body 'head' starts inside obstacle 'rock' (penetration 0.0500 m)".
 * Messages are one line without the plugin's name (the caller adds it).
 */
#ifndef ANIMAT_MJB_ARENA_H
#define ANIMAT_MJB_ARENA_H

#include <animat/animat.h>
#include <mujoco/mujoco.h>

#include "mjb.h"

#define MJB_REGIONS_KEY "animat.rft_regions"
#define MJB_ARENA_MODEL "animat-model.xml" /* the VFS name of a generated model */

/* The arena parameters, read at create. Plain data; paths host-owned
 * (valid for the instance's lifetime). */
typedef struct mjb_arena {
    const char *arena;   /* "" = none */
    int terrain;         /* 0 flat, 1 image, 2 noise */
    const char *image;   /* terrain_image, "" = none */
    double size[4];      /* hfield size */
    unsigned long seed;
    int cells;
} mjb_arena;

/* Read the parameters above from h into a. 0, or -1 with a one-line
 * reason in err. Create phase. */
int mjb_arena_read(const animat_host *h, mjb_arena *a, char *err, int errlen);

/* 1 when a contains anything to merge. Pure. */
int mjb_arena_any(const mjb_arena *a);

/* Read the arena parameters from h; without arena and terrain return NULL
 * with err "" (the caller loads the plain model), else model file `path`
 * merged and checked, or NULL with a one-line reason in err naming the
 * file. Create phase. */
mjModel *mjb_arena_model(const animat_host *h, const char *path, char *err, int errlen);

/* Load the model -- file `path`, or with path NULL the MJCF text `text` --
 * merged with the arena and terrain; NULL with a one-line reason in err
 * naming the file. Create phase (any thread). */
mjModel *mjb_arena_load(const char *path, const char *text, const mjb_arena *a, char *err, int errlen);

/* The files MJCF file `xml` names, before MuJoCo opens them (it would
 * block for ever on a FIFO and read a device without end): every file="..."
 * of it and of the files it includes (at most MJB_MJCF_MAX_FILES in all)
 * that exists -- resolved against `dir` (the model's folder, where MuJoCo
 * resolves them), the naming file's folder, and the compiler's meshdir,
 * texturedir and assetdir -- must be a regular file, and a heightfield or
 * PNG at most MJB_HFIELD_MAX_CELLS cells (the terrain_image too, on load). 0, or -1 with a one-line reason in err
 * naming the file. Create phase (any thread). */
#define MJB_MJCF_MAX_FILES 64
#define MJB_HFIELD_MAX_CELLS (4096 * 4096)
int mjb_mjcf_files_check(const char *xml, const char *dir, char *err, int errlen);

/* Read animat.rft_regions into rft (which must already say whether the
 * medium is rft). 0, or -1 with a one-line reason in err naming the key.
 * Create phase. */
int mjb_arena_regions(const mjModel *m, mjb_rft *rft, char *err, int errlen);

/* The placement check above on a fresh data of m, and that the starting
 * pose's contacts fit MuJoCo's contact buffer (else the first step fails
 * with a contact overflow). 0, or -1 with err. Create phase (allocates one
 * mjData). */
int mjb_arena_check(mjModel *m, char *err, int errlen);

#endif /* ANIMAT_MJB_ARENA_H */
