/* embed_impl.h -- inside libanimat's embedding API (animat/embed.h): the
 * handle, and the step-level control built on sim_episode.
 *
 * Stepping from the caller without a second step loop: sim_episode (the
 * loop `animat run` uses) runs on a coroutine of the handle (its own stack,
 * ucontext). It gives control back to the caller at the agent's turn (the
 * agent circuit's step, see embed_step.c) or, without an agent, before the
 * first step (sim's restore hook) and after each body step (an observer).
 * Ending an episode early resumes it with `abort` set: the agent's step (or
 * the hook, or the observer) then fails, and sim_episode unwinds as after
 * any failure (interventions restored). Thread: one thread at a time per
 * handle; a suspended episode may be resumed from another thread.
 */
#ifndef EMBED_IMPL_H
#define EMBED_IMPL_H

#include <animat/embed.h>
#include <ucontext.h>

#include "base/errmsg.h"
#include "sim/sim_impl.h"
#include "sim/state.h"

/* Where a handle's episode is. */
#define EMBED_IDLE 0    /* no episode: reset first */
#define EMBED_RUNNING 1 /* suspended inside sim_episode, waiting for the caller */
#define EMBED_ENDED 2   /* the episode ended; reset (or autoreset) next */

/* The coroutine running sim_episode. */
typedef struct embed_co {
    ucontext_t caller, co;
    void *stack;            /* mmap'd, with a guard page below; owned */
    size_t stack_size;
    void *fake;             /* ASan bookkeeping across switches */
    const void *caller_bottom;
    size_t caller_size;
    int inside;             /* 1 while sim_episode runs on the coroutine */
    int done;               /* sim_episode returned */
    int rc;                 /* its result */
} embed_co;

struct animat_exp {
    experiment x;            /* owned */
    sim s;                   /* owned; live when have_sim */
    int have_sim;
    errmsg e;                /* the last error */
    uint64_t sim_seed;       /* run seed the instances were created with */
    /* The agent: a circuit instance played by the caller. */
    int agent;               /* its index in x.insts, or -1 */
    instance *ai;            /* in s.insts */
    instance_standin ag;               /* the agent's stand-in reset/step (plugin/instance.h) */
    const sim_node *ag_node;           /* its node (copies into its inputs) */
    uint32_t nobs, nact;
    double *bounds;          /* obs lower, obs upper, act lower, act upper; owned */
    double *user_theta;      /* the last animat_set_theta, kept across re-creation; owned */
    char **plugins;          /* animat_open_opts.plugins, copied (a recording names them); owned */
    uint32_t nplugins;
    /* The episode. */
    int state;               /* EMBED_* */
    uint64_t episode;
    uint64_t turn_step;      /* control step of the agent's last turn (substeps: one turn per step) */
    int abort;               /* resume to end the episode */
    double reward;           /* the last step's reward (observer) */
    const void *load;        /* a state for the next reset to load (animat_state_load), or NULL */
    uint64_t load_size;
    uint32_t load_node;      /* its sim.resume_node: 0, or the agent's node + 1 (saved at the agent's turn) */
    sim_result r;
    embed_co co;
    /* Frames (embed_render.c). */
    struct view_renderer *render; /* owned; NULL until the first animat_render */
    int render_w, render_h;
    uint64_t sim_gen;        /* counts sim creations: a renderer holds the bodies of one */
    uint64_t render_sim;     /* the sim_gen it was opened for */
    /* States (embed_state.c). */
    uint64_t fp, fp_seed;    /* experiment_setup_fingerprint for seed fp_seed, when have_fp */
    int have_fp;
    /* Vectors (embed_vec.c). */
    uint64_t vec_stamp;      /* the animat_vec_step call that last took it (a handle twice in one call is refused) */
};

/* Create the sim for the current x.seed and wire the agent and hooks. 0 or -1 with h->e set. */
int embed_sim_create(animat_exp *h);

/* Destroy the sim (ending an episode in progress first). */
void embed_sim_destroy(animat_exp *h);

/* End an episode in progress (state becomes IDLE). */
void embed_abort(animat_exp *h);

/* Start episode `episode` under `seed` (re-creating the instances for a
 * new seed) and run to the caller's first turn; copies the observation to
 * obs (animat_obs_size doubles; NULL: none). 0 or a code with h->e set. */
int embed_restart(animat_exp *h, uint64_t seed, uint64_t episode, double *obs);

/* The agent circuit's index in h->s.nodes, or -1 without an agent. */
int embed_agent_node(const animat_exp *h);

/* Free the coroutine's stack. */
void embed_co_free(embed_co *c);

/* Close the renderer (NULL-safe). */
void embed_render_close(animat_exp *h);

/* Copy an option struct that starts with its uint32_t size (animat/embed.h)
 * into dst (cap bytes, zeroed first): the first min(size, cap) bytes. -1
 * (nothing usable) when src is NULL or its size is below min, the size of
 * the struct's first version. */
int embed_opts_copy(void *dst, size_t cap, const void *src, size_t min);

/* Set h->e from a code and message; returns code. */
int embed_fail(animat_exp *h, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
