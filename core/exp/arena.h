/* arena.h -- the experiment's `arena:` section: one arena for every body
 * (module arena_).
 *
 *   arena:
 *     file: arenas/rocks.xml      -> body parameter arena
 *     terrain: noise              -> terrain         (flat | image | noise)
 *     image: hills.png            -> terrain_image
 *     size: [3, 3, 0.03, 0.05]    -> terrain_size
 *     seed: 7                     -> terrain_seed
 *     cells: 64                   -> terrain_cells
 *
 * Each key becomes the body parameter on its right in every body of the
 * experiment, unless the body's own params set that parameter (the body's
 * value wins, key by key). A body "accepts arenas" when its plugin declares
 * a PATH parameter `arena` (mjcf, swimmer); an `arena:` section next to a
 * body that does not is refused, naming the body and plugin (the section
 * is meant for every body: give such an experiment per-body arena
 * parameters instead). Values are checked against the first body's
 * parameter table, with messages naming `arena.KEY` at the value's
 * FILE:LINE:COL; paths resolve against the experiment file's folder (the
 * working directory for --set values), as every PATH parameter does. The
 * result is exactly what the same values written into each body's params
 * give (the same resolved parameters, hence the same fingerprint and the
 * same runs bit for bit).
 * Thread: the loader's.
 */
#ifndef EXP_ARENA_H
#define EXP_ARENA_H

#include "exp/experiment.h"

/* Check the section's shape and keys (not yet its values). 0, or -1 with e
 * set at the offending key. No section: 0. */
int arena_check(const experiment *x, errmsg *e);

/* Resolve body instance `in`'s parameters (its plugin resolved, its block
 * in->node) with the arena section merged in, into in->params, messages
 * naming `where` ("body.params"). 0, or -1 with e set. */
int arena_resolve_body(const experiment *x, experiment_inst *in, const char *where, errmsg *e);

#endif
