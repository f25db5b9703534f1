/* ranks.c -- see ranks.h. */
#include "train/ranks.h"

#include <stdlib.h>

#ifdef ANIMAT_MPI
#include <mpi.h>

static int on;        /* MPI initialised by us */
static int rank, size = 1;

/* Started by an MPI launcher? */
static int launched(void) {
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMIX_RANK");
}

int ranks_init(int *argc, char ***argv) {
    if (on || !launched()) return 0;
    if (MPI_Init(argc, argv) != MPI_SUCCESS) return -1;
    on = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    return 0;
}

int ranks_rank(void) { return rank; }
int ranks_size(void) { return size; }

int ranks_sum(double *buf, size_t n) {
    if (!on || size == 1) return 0;
    return MPI_Allreduce(MPI_IN_PLACE, buf, (int)n, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD) == MPI_SUCCESS ? 0 : -1;
}

int ranks_max(int v) {
    if (!on || size == 1) return v;
    int out = v;
    MPI_Allreduce(&v, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return out;
}

void ranks_finalize(void) {
    if (on) MPI_Finalize();
    on = 0;
}

void ranks_abort(int code) {
    if (on && size > 1) MPI_Abort(MPI_COMM_WORLD, code);
}

#else /* no MPI: one process */

int ranks_init(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    return 0;
}
int ranks_rank(void) { return 0; }
int ranks_size(void) { return 1; }
int ranks_sum(double *buf, size_t n) {
    (void)buf;
    (void)n;
    return 0;
}
int ranks_max(int v) { return v; }
void ranks_finalize(void) {}
void ranks_abort(int code) { (void)code; }

#endif
