/* embed_state.c -- animat_state_save / animat_state_load (animat/embed.h):
 * the experiment's whole state (sim/state.h, animat.state/1) between two
 * control steps, or, with an agent, at the agent's turn inside a step.
 *
 * A state buffer is a head and sim_state_save's payload. The head names
 * the experiment setup (exp/fingerprint.h, for the seed the state was saved
 * under), the seed and episode, and where in the step it was taken: 0
 * between two steps, or the agent's node + 1. A state taken at the agent's
 * turn has the circuits before the agent (and the interventions' step)
 * done; loading it continues that step from the agent's node
 * (sim.resume_node), so the program's next action meets the same state. */
#include "embed/embed_impl.h"

#include "exp/fingerprint.h"

#include <stdlib.h>
#include <string.h>

static const char state_magic[8] = {'A', 'N', 'I', 'M', 'E', 'M', 'S', 'T'};

/* In front of the payload, native byte order (read by the same build). */
typedef struct embed_state_head {
    char magic[8];
    uint32_t node;        /* 0: between steps; else the agent's node + 1 */
    uint32_t reserved;    /* 0 */
    uint64_t fingerprint; /* experiment_setup_fingerprint under `seed` */
    uint64_t seed, episode;
} embed_state_head;

/* The setup fingerprint of h's experiment under `seed` (cached: it reads
 * every plugin file). */
static uint64_t fingerprint(animat_exp *h, uint64_t seed) {
    if (h->have_fp && h->fp_seed == seed) return h->fp;
    uint64_t keep = h->x.seed;
    h->x.seed = seed;
    h->fp = experiment_setup_fingerprint(&h->x);
    h->x.seed = keep;
    h->fp_seed = seed;
    h->have_fp = 1;
    return h->fp;
}

/* Can h's state be saved or loaded at all? 0, or a code with h->e set. */
static int state_ready(animat_exp *h, const char *what) {
    if (!h->have_sim) return embed_fail(h, ANIMAT_EMBED_ESTATE, "%s: no instances (a failed reset)", what);
    if (sim_state_check(&h->s, &h->e)) return ANIMAT_EMBED_EUNSUPPORTED;
    if (h->agent >= 0 && h->s.nivs)
        return embed_fail(h, ANIMAT_EMBED_EUNSUPPORTED, "%s: an experiment with interventions and an agent: the "
                          "agent's turn is inside a control step, after the interventions' step, which a state "
                          "cannot replay; snapshot it without an agent", what);
    return 0;
}

int animat_state_save(animat_exp *h, void **buf, uint64_t *size) {
    errmsg_clear(&h->e);
    *buf = NULL;
    *size = 0;
    int rc = state_ready(h, "state save");
    if (rc) return rc;
    if (h->state != EMBED_RUNNING)
        return embed_fail(h, ANIMAT_EMBED_ESTATE, "state save: no episode in progress; reset or step first");
    void *payload = NULL;
    uint64_t n = 0;
    if (sim_state_save(&h->s, &h->r, &payload, &n, &h->e)) return ANIMAT_EMBED_EPLUGIN;
    embed_state_head head;
    memset(&head, 0, sizeof head);
    memcpy(head.magic, state_magic, sizeof head.magic);
    head.node = h->agent >= 0 ? (uint32_t)embed_agent_node(h) + 1 : 0;
    head.fingerprint = fingerprint(h, h->x.seed);
    head.seed = h->x.seed;
    head.episode = h->episode;
    unsigned char *all = malloc(sizeof head + n);
    if (!all) {
        free(payload);
        return embed_fail(h, ANIMAT_EMBED_ENOMEM, "state save: out of memory");
    }
    memcpy(all, &head, sizeof head);
    memcpy(all + sizeof head, payload, n);
    free(payload);
    *buf = all;
    *size = sizeof head + n;
    return 0;
}

void animat_state_free(void *buf) { free(buf); }

/* Is the head one h can load? 0, or EINPUT with h->e set. */
static int check_head(animat_exp *h, const embed_state_head *head) {
    if (memcmp(head->magic, state_magic, sizeof head->magic) || head->reserved)
        return embed_fail(h, ANIMAT_EMBED_EINPUT, "state load: not a state saved by animat_state_save");
    if (head->fingerprint != fingerprint(h, head->seed))
        return embed_fail(h, ANIMAT_EMBED_EINPUT, "state load: the state was saved by a different experiment setup "
                          "(plugins, their versions or builds, parameters, wiring, seed or run.max_steps differ)");
    uint32_t here = h->agent >= 0 ? (uint32_t)embed_agent_node(h) + 1 : 0;
    if (head->node != here)
        return embed_fail(h, ANIMAT_EMBED_EINPUT, "state load: the state was saved %s; this experiment %s",
                          head->node ? "at an agent's turn" : "between two steps (no agent)",
                          here ? "has an agent at another place" : "has no agent");
    return 0;
}

int animat_state_load(animat_exp *h, const void *buf, uint64_t size) {
    errmsg_clear(&h->e);
    int rc = state_ready(h, "state load");
    if (rc) return rc;
    embed_state_head head;
    if (!buf || size <= sizeof head)
        return embed_fail(h, ANIMAT_EMBED_EINPUT, "state load: %llu bytes cannot be a state",
                          (unsigned long long)size);
    memcpy(&head, buf, sizeof head);
    if ((rc = check_head(h, &head))) return rc;
    h->load = (const unsigned char *)buf + sizeof head;
    h->load_size = size - sizeof head;
    h->load_node = head.node;
    rc = embed_restart(h, head.seed, head.episode, NULL);
    h->load = NULL;
    h->load_node = 0;
    if (rc == ANIMAT_EMBED_EPLUGIN) rc = ANIMAT_EMBED_EINPUT; /* the state did not fit */
    return rc;
}
