/* rank_sort.h -- the stable ordering of candidates by return that rank-based
 * learners (ES's centered ranks, CMA-ES's selection) share. Compiled into
 * each learner plugin that uses it (plugins link no shared code at run time).
 */
#ifndef RANK_SORT_H
#define RANK_SORT_H

#include <stdint.h>

/* Write into order[0..p) the candidate indices sorted by returns[] --
 * ascending when `descending` is 0, best first otherwise -- keeping equal
 * returns in index order (stable), so ties can never depend on anything
 * but the candidates' order. `tmp` is caller-owned scratch of p entries.
 * No allocation; O(p log p); any thread. */
void rank_sort(uint32_t p, const double *returns, int descending, uint32_t *order, uint32_t *tmp);

#endif
