/* graph_file.h -- the connectome file format of the graph circuit and its
 * parser (pure: text in, tables out; memory from the caller's allocator).
 *
 * One statement per line; '#' starts a comment; fields are separated by
 * blanks:
 *   neuron NAME...          declare neurons ([A-Za-z0-9_]+, at most 31
 *                           characters, unique ignoring case)
 *   chem PRE POST W [D]     chemical synapse PRE -> POST of weight W; the
 *                           sign of W is its sign (W < 0 inhibitory); D,
 *                           optional: its delay in LIF substeps, an
 *                           integer >= 1 (unset: the circuit's `delay`)
 *   gap A B G               gap junction A - B of conductance G >= 0
 *                           (symmetric: "gap B A" is the same junction)
 *   in PORT ELEM...         input port PORT ([a-z0-9_]+), one element per
 *                           ELEM: NAME (the value drives NAME) or A|B (the
 *                           positive part drives A, the negative part B)
 *   out PORT ELEM...        output port PORT: NAME (its activity) or A-B
 *                           (A's activity minus B's)
 * Neurons must be declared before they are used. Any mistake -- an unknown
 * keyword or neuron, a duplicate neuron, synapse, junction or port, a
 * negative or non-numeric weight, a self-junction, a port naming no
 * neuron, a delay below one step or not an integer -- is one line "FILE:LINE: what" in the caller's buffer.
 */
#ifndef GRAPH_FILE_H
#define GRAPH_FILE_H

#include <stddef.h>
#include <stdint.h>

#define GRAPH_NAME_LEN 32u
#define GRAPH_DELAY_MAX 10000u /* largest per-synapse delay, substeps */

/* Port element kinds. */
#define GRAPH_EL_ONE 0u   /* NAME */
#define GRAPH_EL_SPLIT 1u /* A|B (inputs) */
#define GRAPH_EL_DIFF 2u  /* A-B (outputs) */

typedef struct graph_elem {
    uint32_t kind; /* GRAPH_EL_* */
    uint32_t a, b; /* neuron indices (b unused for GRAPH_EL_ONE) */
} graph_elem;

typedef struct graph_port {
    char name[GRAPH_NAME_LEN];
    uint32_t dir;   /* 0 in, 1 out (ANIMAT_PORT_IN / _OUT) */
    uint32_t first; /* index of its first element in graph_def.elems */
    uint32_t size;  /* number of elements (>= 1) */
} graph_port;

typedef struct graph_def {
    uint32_t n;                       /* neurons */
    char (*names)[GRAPH_NAME_LEN];    /* n names as written */
    uint32_t n_chem;
    uint32_t *chem_pre, *chem_post;   /* n_chem each */
    double *chem_w;                   /* n_chem signed weights */
    uint32_t *chem_delay;             /* n_chem delays in substeps, 0 where the file gives none */
    uint32_t delay_line;              /* line of the first synapse with a delay, 0 if none */
    uint32_t n_gap;
    uint32_t *gap_a, *gap_b;          /* n_gap each */
    double *gap_w;                    /* n_gap conductances >= 0 */
    uint32_t n_ports, n_elems;
    graph_port *ports;                /* n_ports */
    graph_elem *elems;                /* n_elems */
} graph_def;

typedef void *(*graph_alloc_fn)(void *ctx, size_t bytes); /* zeroed, or NULL */
typedef void (*graph_free_fn)(void *ctx, void *p);

/* Parse `text` (NUL-terminated; `file` names it in messages) into g.
 * 0, or -1 with a one-line message in err (cap bytes) -- then g holds
 * nothing to free. Phase: create; allocates only through `alloc`. */
int graph_parse(const char *text, const char *file, graph_def *g, graph_alloc_fn alloc,
                graph_free_fn release, void *ctx, char *err, size_t cap);

/* Free what graph_parse allocated. */
void graph_def_free(graph_def *g, graph_free_fn release, void *ctx);

/* Index of the neuron named `name` (exact, case-insensitive), or -1. */
int64_t graph_find(const graph_def *g, const char *name);

#endif /* GRAPH_FILE_H */
