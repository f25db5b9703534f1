/* ranks.h -- the little of MPI that training needs.
 *
 * Built against Open MPI when the `mpi` build option finds it; otherwise
 * every function is a single-process stub (rank 0 of 1). MPI is only
 * initialised when the process was started by an MPI launcher (mpirun sets
 * OMPI_COMM_WORLD_SIZE / PMI_SIZE / PMIX_RANK), so plain runs never touch it.
 * Thread: main thread only.
 */
#ifndef RANKS_H
#define RANKS_H

#include <stddef.h>

/* Initialise MPI if launched by mpirun. Returns 0, or -1 if MPI failed. */
int ranks_init(int *argc, char ***argv);

/* This process's rank and the number of ranks (0 and 1 without MPI). */
int ranks_rank(void);
int ranks_size(void);

/* In-place element-wise sum of buf over all ranks (exact when every element
 * is non-zero on at most one rank). 0 or -1. */
int ranks_sum(double *buf, size_t n);

/* The maximum of v over all ranks. */
int ranks_max(int v);

/* Finalise MPI if it was initialised. */
void ranks_finalize(void);

/* Abort every rank after an error (exit status `code`). */
void ranks_abort(int code);

#endif
