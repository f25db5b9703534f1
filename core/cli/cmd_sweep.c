/* cmd_sweep.c -- see cmd_sweep.h. */
#include "cli/cmd_sweep.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/atomicfile.h"
#include "cli/sweep.h"

const char cmd_sweep_usage[] =
    "usage: animat sweep FILE --grid KEY=[v1,v2,...] [--grid ...] [--seeds A..B] [--train] [--set KEY=VALUE]...\n"
    "                    [--plugin F]... [-j N] [--shard I/N] [--quiet] -o DIR\n"
    "       animat sweep --collect DIR [--quiet]\n"
    "\n"
    "Runs FILE at every combination of the --grid values and every seed, each as its own `animat run`\n"
    "(or, with --train, `animat train`) process, at most N at once, recorded under DIR/runs/NAME/.\n"
    "Writes DIR/summary.csv and DIR/summary.md: one row per grid point with n, mean, sd, the 95%\n"
    "confidence interval of the mean (Student t) and min/max of the runs' mean return (with --train:\n"
    "the held-out mean return after training, as `animat eval` measures it).\n"
    "\n"
    "  --grid KEY=[...]  a key of the experiment (as for --set) and its values; several --grid make a grid\n"
    "  --seeds A..B      run seeds A to B for every grid point (default: the file's run.seed)\n"
    "  --train           train each run and score its held-out evaluation (train.eval.episodes)\n"
    "  --set KEY=VALUE   an override for every run (repeatable)\n"
    "  -j N              at most N runs at once (default 1)\n"
    "  --shard I/N       run only share I of N (runs r with r mod N = I-1), e.g. one Slurm array task;\n"
    "                    then `animat sweep --collect DIR` writes the summary once every shard finished\n"
    "  -o DIR            the sweep's folder: new, empty, or this same sweep's (then finished runs are kept:\n"
    "                    a re-run does only what is missing, and redoes runs whose experiment changed)\n"
    "  --quiet           no progress lines\n"
    "\n"
    "Progress: one line per finished run (done/total, value, ETA), and one at least every 10 s.\n"
    "See docs/sweep.md.\n";

/* Options that are not part of the plan. */
typedef struct sweep_opts {
    const char *dir, *collect;
    uint32_t jobs, shard, nshards;
    int quiet;
    char *rest[SWEEP_MAX_ARGS * 2];
    int nrest;
} sweep_opts;

/* A whole number in [lo, hi] from s into *v. 0 or -1. */
static int number(const char *s, uint64_t lo, uint64_t hi, uint64_t *v) {
    char *end;
    if (*s < '0' || *s > '9') return -1;
    *v = strtoull(s, &end, 10);
    return *end || *v < lo || *v > hi ? -1 : 0;
}

/* Split argv into the sweep's own options and the plan's. 0, 1 after
 * --help, 2 on bad usage, -1 with e set on a bad value. */
static int parse_opts(int argc, char **argv, sweep_opts *o, FILE *out, errmsg *e) {
    o->jobs = 1, o->shard = o->nshards = 1;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t n, m;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) return fputs(cmd_sweep_usage, out), 1;
        int value = !strcmp(a, "-j") || !strcmp(a, "-o") || !strcmp(a, "--shard") || !strcmp(a, "--collect");
        if (value && !v) return fprintf(stderr, "animat sweep: %s needs a value (see animat sweep --help)\n", a), 2;
        if (!strcmp(a, "-j")) {
            if (number(v, 1, 1024, &n)) return errmsg_set(e, "-j %s: expected a number of processes from 1 to 1024", v);
            o->jobs = (uint32_t)n;
        } else if (!strcmp(a, "-o")) {
            o->dir = v;
        } else if (!strcmp(a, "--collect")) {
            o->collect = v;
        } else if (!strcmp(a, "--shard")) {
            const char *slash = strchr(v, '/');
            char first[32];
            snprintf(first, sizeof first, "%.*s", slash ? (int)(slash - v) : 0, v);
            if (!slash || number(first, 1, 1000000, &n) || number(slash + 1, 1, 1000000, &m) || n > m)
                return errmsg_set(e, "--shard %s: expected I/N with 1 <= I <= N (e.g. 2/4)", v);
            o->shard = (uint32_t)n, o->nshards = (uint32_t)m;
        } else if (!strcmp(a, "--quiet")) {
            o->quiet = 1;
            continue;
        } else {
            if (o->nrest == SWEEP_MAX_ARGS * 2) return errmsg_set(e, "too many arguments");
            o->rest[o->nrest++] = argv[i];
            continue;
        }
        i++;
    }
    if (o->collect && (o->dir || o->nrest || o->nshards > 1))
        return fprintf(stderr, "animat sweep: --collect DIR takes no other arguments but --quiet\n"), 2;
    if (!o->collect && !o->dir)
        return fprintf(stderr, "animat sweep: needs -o DIR, the sweep's folder (see animat sweep --help)\n"), 2;
    return 0;
}

/* N of the DIR/shards/I-of-N markers (0 when there are none). 0, or -1 with
 * e set when markers of different N (two different shardings) are there. */
static int shard_count(const char *dir, uint32_t *nshards, errmsg *e) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/shards", dir);
    DIR *d = opendir(path);
    if (!d) return 0;
    int rc = 0;
    for (struct dirent *de; !rc && (de = readdir(d));) {
        unsigned i, n;
        char end;
        if (sscanf(de->d_name, "%u-of-%u%c", &i, &n, &end) != 2) continue;
        if (*nshards && n != *nshards)
            rc = errmsg_set(e, "--collect %s: %s/%s is from another sharding (of %u, not %u)", dir, path, de->d_name, n,
                            *nshards);
        *nshards = n;
    }
    closedir(d);
    return rc;
}

/* --collect DIR: every run finished with this sweep's experiments, every
 * shard marker this sweep's and none missing; then the summary. */
static int collect(sweep_plan *p, errmsg *e) {
    char path[PATH_MAX];
    uint32_t nshards = 0;
    if (shard_count(p->dir, &nshards, e)) return -1;
    for (uint32_t i = 1; i <= nshards; i++) {
        snprintf(path, sizeof path, "%s/shards/%u-of-%u", p->dir, i, nshards);
        char *text = NULL;
        FILE *f = fopen(path, "r");
        if (!f)
            return errmsg_set(e, "--collect %s: shard %u/%u is missing (no %s): run it first", p->dir, i, nshards,
                              path);
        char line[64] = "", want[64];
        text = fgets(line, sizeof line, f);
        fclose(f);
        snprintf(want, sizeof want, "%016" PRIx64 "\n", p->id);
        if (!text || strcmp(line, want))
            return errmsg_set(e, "--collect %s: %s is from another sweep (its id is not %016" PRIx64 ")", p->dir, path,
                              p->id);
    }
    for (uint32_t r = 0; r < p->nruns; r++) {
        if (p->runs[r].done) continue;
        snprintf(path, sizeof path, "%s/runs/%s/result.yaml", p->dir, p->runs[r].name);
        struct stat st;
        if (!stat(path, &st))
            return errmsg_set(e, "--collect %s: %s is from another sweep or experiment (its hash differs)", p->dir,
                              path);
        if (nshards)
            return errmsg_set(e, "--collect %s: run %s (shard %u/%u) has not finished", p->dir, p->runs[r].name,
                              r % nshards + 1, nshards);
        return errmsg_set(e, "--collect %s: run %s has not finished", p->dir, p->runs[r].name);
    }
    return sweep_summary_write(p, e);
}

/* Leave DIR/shards/I-of-N holding the sweep's id. 0 or -1. */
static int mark_shard(const sweep_plan *p, const sweep_opts *o, errmsg *e) {
    char path[PATH_MAX], text[32];
    snprintf(path, sizeof path, "%s/shards", p->dir);
    if (mkdir(path, 0777) && errno != EEXIST) return errmsg_set(e, "%s: cannot create: %s", path, strerror(errno));
    snprintf(path, sizeof path, "%s/shards/%u-of-%u", p->dir, o->shard, o->nshards);
    int n = snprintf(text, sizeof text, "%016" PRIx64 "\n", p->id);
    return atomicfile_write(path, text, (uint64_t)n, e);
}

/* The sweep proper, after every check. Exit status. */
static int run_sweep(sweep_plan *p, const sweep_opts *o, FILE *out, errmsg *e) {
    if (sweep_dir_init(p, e)) return -1;
    int failed = sweep_pool_run(p, o->shard, o->nshards, o->jobs, o->quiet, out, e);
    if (failed < 0) return -1;
    if (failed) return errmsg_set(e, "%d run%s failed (see their log.txt); finished runs are kept: run the same "
                                     "command again to redo only the missing ones", failed, failed == 1 ? "" : "s");
    if (o->nshards > 1) {
        if (mark_shard(p, o, e)) return -1;
        if (!o->quiet)
            fprintf(out, "shard %u/%u finished; once every shard has: animat sweep --collect %s\n", o->shard,
                    o->nshards, p->dir);
        return 0;
    }
    if (sweep_summary_write(p, e)) return -1;
    if (!o->quiet)
        fprintf(out, "%u runs; summary written to %s/summary.md and %s/summary.csv\n", p->nruns, p->dir, p->dir);
    return 0;
}

int cmd_sweep_main(int argc, char **argv, FILE *out) {
    sweep_opts o;
    memset(&o, 0, sizeof o);
    sweep_plan p;
    memset(&p, 0, sizeof p);
    errmsg e;
    errmsg_clear(&e);
    char **stored = NULL;
    int nstored = 0;
    int rc = parse_opts(argc, argv, &o, out, &e);
    if (rc > 0) return rc == 1 ? 0 : rc;
    if (!rc && o.collect) rc = sweep_dir_args(o.collect, &stored, &nstored, &e);
    if (!rc) rc = o.collect ? sweep_plan_parse(&p, nstored, stored, &e) : sweep_plan_parse(&p, o.nrest, o.rest, &e);
    if (!rc && !(p.dir = strdup(o.collect ? o.collect : o.dir))) rc = errmsg_set(&e, "out of memory");
    if (!rc && !o.collect) rc = sweep_dir_check(&p, &e);
    if (!rc) rc = sweep_plan_load(&p, &e);
    if (!rc) rc = o.collect ? collect(&p, &e) : run_sweep(&p, &o, out, &e);
    if (!rc && o.collect && !o.quiet) fprintf(out, "%u runs collected; summary written to %s/summary.md and "
                                                   "%s/summary.csv\n", p.nruns, p.dir, p.dir);
    for (int i = 0; i < nstored; i++) free(stored[i]);
    free(stored);
    sweep_plan_free(&p);
    if (rc) fprintf(stderr, "error: %s\n", e.msg);
    return rc ? 1 : 0;
}
