/* test_state.c -- `animat run --state-at/--state-out/--state-in` end to end
 * (sim/state.h, docs/state.md): for every shipped example, the trace of a
 * run continued from the state after step K equals the uninterrupted run's
 * rows from step K on, bit for bit; bad state files and options are one
 * line, exit 1, nothing written. Runs the real binary. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/hash.h"
#include "ck_run.h"
#include "ck_expect.h"
#include "proc.h"

static const char *exe, *broken, *src;
static const char *dir;

#define STEPS "--set run.max_steps=60"
#define AT 25

/* The data rows of a trace whose step column is >= k, header included
 * (caller frees); provenance comments dropped. */
static char *rows_from(const char *path, unsigned long long k) {
    char *all = proc_slurp(path);
    ck_assert_msg(all != NULL, "no trace %s", path);
    char *out = calloc(strlen(all) + 1, 1);
    size_t n = 0;
    int header = 1;
    for (char *line = strtok(all, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#') continue;
        const char *comma = strchr(line, ',');
        if (!header && (!comma || strtoull(comma + 1, NULL, 10) < k)) continue;
        header = 0;
        n += (size_t)sprintf(out + n, "%s\n", line);
    }
    free(all);
    return out;
}

/* Run FILE uninterrupted (saving the state after step k) and continued
 * from that state; the continued trace must equal the rows from step k. */
static void check_resume(const char *file, const char *extra, unsigned long long k) {
    proc_out p = proc_run("cd %s && %s run %s --episodes 1 " STEPS " %s --trace full.csv --state-at %llu "
                          "--state-out s.state --quiet", dir, exe, file, extra, k);
    ck_assert_msg(p.status == 0, "%s: %s", file, p.err);
    ck_assert_msg(strstr(p.out, "state after step"), "%s: %s", file, p.out);
    proc_free(&p);
    p = proc_run("cd %s && %s run %s --episodes 1 " STEPS " %s --trace part.csv --state-in s.state --quiet", dir, exe,
                 file, extra);
    ck_assert_msg(p.status == 0, "%s: %s", file, p.err);
    proc_free(&p);
    char a[512], b[512];
    snprintf(a, sizeof a, "%s/full.csv", dir);
    snprintf(b, sizeof b, "%s/part.csv", dir);
    char *want = rows_from(a, k), *got = rows_from(b, 0);
    ck_assert_msg(proc_lines(want) == 60 - (int)k + 1, "%s: %d rows from step %llu", file, proc_lines(want), k);
    ck_assert_msg(strcmp(want, got) == 0, "%s: the continued trace differs from the uninterrupted one", file);
    free(want);
    free(got);
}

START_TEST(every_example_resumes_bit_for_bit) {
    char path[1024];
    snprintf(path, sizeof path, "%s/examples", src);
    DIR *d = opendir(path);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml")) continue;
        char file[1100];
        snprintf(file, sizeof file, "%s/%s", path, e->d_name);
        check_resume(file, "", AT);
        n++;
    }
    closedir(d);
    ck_assert_int_ge(n, 18);
}
END_TEST

START_TEST(interventions_and_edges_of_the_episode) {
    /* windows open across step K (t = 0.75 s): a silenced unit, a noisy
     * one (the interventions' own stream) and a perturbed theta entry (its
     * saved value) */
    const char *f = proc_write(dir, "iv.yaml",
                               "bodies:\n  swimmer: {plugin: swimmer, params: {n_bodies: 6, task: swim}}\n"
                               "circuits:\n  ncap: {plugin: ncap}\n"
                               "wiring:\n  - swimmer.obs.joints -> ncap.in.joints\n"
                               "  - ncap.out.muscles -> swimmer.act.motors\n"
                               "interventions:\n"
                               "  - {target: ncap.unit.osc, do: silence, from: 0.5, to: 1.2}\n"
                               "  - {target: \"ncap.unit.b[2].d\", do: noise, sigma: 0.3, from: 0.3}\n"
                               "  - {target: ncap.theta.w_ipsi, do: perturb, value: 0.5, from: 0.6, to: 1.0}\n"
                               "run:\n  seed: 3\n");
    char file[1024];
    snprintf(file, sizeof file, "%s", f);
    check_resume(file, "", AT);
    /* right after reset, and before the last step */
    check_resume(file, "", 0);
    check_resume(file, "", 59);
}
END_TEST

START_TEST(branching_under_other_interventions) {
    /* the state of a run without interventions, continued under
     * interventions that start at or after the saved step, equals the
     * uninterrupted run of those interventions from that step on */
    const char *graph = "bodies:\n  swimmer: {plugin: swimmer, params: {n_bodies: 6, task: swim}}\n"
                        "circuits:\n  ncap: {plugin: ncap}\n"
                        "wiring:\n  - swimmer.obs.joints -> ncap.in.joints\n"
                        "  - ncap.out.muscles -> swimmer.act.motors\n";
    char text[2048], bare[1024], variant[1024];
    snprintf(text, sizeof text, "%srun:\n  seed: 5\n", graph);
    snprintf(bare, sizeof bare, "%s", proc_write(dir, "bare.yaml", text));
    snprintf(text, sizeof text,
             "%sinterventions:\n  - {target: ncap.unit.osc, do: silence, from: 1.0}\n"
             "  - {target: ncap.theta.w_ipsi, do: perturb, value: -0.5, from: 0.75, to: 1.5}\n"
             "run:\n  seed: 5\n", graph);
    snprintf(variant, sizeof variant, "%s", proc_write(dir, "variant.yaml", text));
    proc_out p = proc_run("cd %s && %s run %s --episodes 1 " STEPS " --trace bare.csv --state-at %d --state-out b.state "
                          "--quiet && %s run %s --episodes 1 " STEPS " --trace variant.csv --quiet && "
                          "%s run %s " STEPS " --trace branch.csv --state-in b.state --quiet",
                          dir, exe, bare, AT, exe, variant, exe, variant);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    char path[512];
    snprintf(path, sizeof path, "%s/variant.csv", dir);
    char *want = rows_from(path, AT);
    snprintf(path, sizeof path, "%s/branch.csv", dir);
    char *got = rows_from(path, 0);
    snprintf(path, sizeof path, "%s/bare.csv", dir);
    char *unperturbed = rows_from(path, AT);
    ck_assert_msg(strcmp(want, got) == 0, "the branch differs from the uninterrupted variant");
    ck_assert_msg(strcmp(want, unperturbed) != 0, "the interventions changed nothing");
    free(want);
    free(got);
    free(unperturbed);
}
END_TEST

/* `animat run` of the swimmer example with `args`. */
/* An address-space limit for a child that must not allocate much; not
 * under AddressSanitizer, which reserves terabytes of shadow memory. */
#if defined(__SANITIZE_ADDRESS__)
#define AS_LIMIT ""
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define AS_LIMIT ""
#endif
#endif
#ifndef AS_LIMIT
#define AS_LIMIT "ulimit -v 2000000 && "
#endif

static proc_out run_swimmer(const char *args) {
    return proc_run("cd %s && %s run %s/examples/swimmer-ncap.yaml --episodes 1 " STEPS " --quiet %s", dir, exe, src,
                    args);
}

/* Re-seal s.state after changing its animat version (offset 32, after the
 * 32-byte sealed-file head), so only the version check can refuse it. */
static void reseal_with_version(const char *version) {
    char path[512];
    snprintf(path, sizeof path, "%s/s.state", dir);
    FILE *f = fopen(path, "r+b");
    ck_assert_ptr_nonnull(f);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    unsigned char *b = malloc((size_t)st.st_size);
    ck_assert_int_eq(fread(b, 1, (size_t)st.st_size, f), (size_t)st.st_size);
    memset(b + 32, 0, 32);
    memcpy(b + 32, version, strlen(version));
    memset(b + 24, 0, 8);
    uint64_t h = hash_fnv(hash_fnv(HASH_FNV_INIT, b, 32), b + 32, (uint64_t)st.st_size - 32);
    memcpy(b + 24, &h, 8);
    rewind(f);
    ck_assert_int_eq(fwrite(b, 1, (size_t)st.st_size, f), (size_t)st.st_size);
    fclose(f);
    free(b);
}

START_TEST(bad_state_files) {
    proc_out p = run_swimmer("--state-at 10 --state-out s.state");
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    p = proc_run("cd %s && cp s.state good.state", dir);
    proc_free(&p);
    /* another experiment: another seed, other parameters */
    p = run_swimmer("--seed 9 --state-in s.state");
    ck_expect_error(&p, "s.state: state file was written by a different experiment setup");
    p = run_swimmer("--set body.params.n_bodies=7 --set circuit.params.n_joints=6 --state-in s.state");
    ck_assert_int_eq(p.status, 1);
    proc_free(&p);
    /* truncated, edited, appended to */
    p = proc_run("cd %s && head -c 2000 good.state > s.state", dir);
    proc_free(&p);
    p = run_swimmer("--state-in s.state");
    ck_expect_error(&p, "s.state: state file is truncated");
    p = proc_run("cd %s && head -c 20 good.state > s.state", dir);
    proc_free(&p);
    p = run_swimmer("--state-in s.state");
    ck_expect_error(&p, "s.state: not an animat state file (or truncated)");
    /* a head claiming 32 GiB of payload, with none after it: refused as
     * truncated before allocating (under a 2 GB address-space limit the
     * allocation itself used to fail with "out of memory") */
    p = proc_run("cd %s && head -c 32 good.state > s.state && printf '\\000\\000\\000\\000\\010\\000\\000\\000' | "
                 "dd of=s.state bs=1 seek=16 conv=notrunc 2>/dev/null", dir);
    proc_free(&p);
    p = proc_run("cd %s && %s%s run %s/examples/swimmer-ncap.yaml --episodes 1 " STEPS " --quiet --state-in s.state",
                 dir, AS_LIMIT, exe, src);
    ck_expect_error(&p, "s.state: state file is truncated");
    p = proc_run("cd %s && cp good.state s.state && printf '\\001' | dd of=s.state bs=1 seek=3000 conv=notrunc "
                 "2>/dev/null", dir);
    proc_free(&p);
    p = run_swimmer("--state-in s.state");
    ck_expect_error(&p, "s.state: state file is corrupt or was edited (checksum mismatch)");
    p = proc_run("cd %s && cp good.state s.state && printf x >> s.state", dir);
    proc_free(&p);
    p = run_swimmer("--state-in s.state");
    ck_expect_error(&p, "s.state: state file has trailing bytes");
    /* another animat version */
    p = proc_run("cd %s && cp good.state s.state", dir);
    proc_free(&p);
    reseal_with_version("0.0.1-other");
    p = run_swimmer("--state-in s.state");
    ck_expect_error(&p, "s.state: state file was written by animat 0.0.1-other; this is animat ");
    /* a checkpoint is not a state */
    p = proc_run("cd %s && printf 'ANIMATCK' > ck.state && head -c 100 good.state | tail -c 92 >> ck.state", dir);
    proc_free(&p);
    p = run_swimmer("--state-in ck.state");
    ck_expect_error(&p, "ck.state: not an animat state file");
    /* a FIFO (never opened for a blocking read), a directory, nothing */
    p = proc_run("cd %s && rm -f fifo && mkfifo fifo && mkdir -p adir", dir);
    proc_free(&p);
    p = run_swimmer("--state-in fifo");
    ck_expect_error(&p, "fifo: is a FIFO, not an animat state file");
    p = run_swimmer("--state-in adir");
    ck_expect_error(&p, "adir: is a directory, not an animat state file");
    p = run_swimmer("--state-in missing.state");
    ck_expect_error(&p, "missing.state: cannot open state file: No such file or directory");
    /* the good one still works */
    p = run_swimmer("--state-in good.state");
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
}
END_TEST

START_TEST(bad_state_options) {
    /* beyond the episode: one line, and the existing file is untouched */
    proc_out p = proc_run("cd %s && printf keep > keep.state", dir);
    proc_free(&p);
    p = run_swimmer("--state-at 60 --state-out keep.state");
    ck_expect_error(&p, "--state-at 60 is beyond the episode: it ended after 60 control steps");
    p = proc_run("cd %s && cat keep.state", dir);
    ck_assert_str_eq(p.out, "keep");
    proc_free(&p);
    /* more than one episode, isolation, a directory as output */
    p = proc_run("cd %s && %s run %s/examples/swimmer-ncap.yaml --episodes 2 " STEPS
                 " --state-at 5 --state-out x.state", dir, exe, src);
    ck_expect_error(&p, "--state-out x.state: the run must have exactly one episode (--episodes 1), not 2");
    p = run_swimmer("--set run.isolate=true --state-at 5 --state-out x.state");
    ck_expect_error(&p, "--state-* cannot be used with run.isolate: true");
    p = run_swimmer("--state-at 5 --state-out adir");
    ck_expect_error(&p, "--state-out");
    /* usage: the two go together; a number; run only */
    p = run_swimmer("--state-at 5");
    ck_assert_int_eq(p.status, 2);
    ck_assert_ptr_nonnull(strstr(p.err, "--state-at and --state-out go together"));
    proc_free(&p);
    p = run_swimmer("--state-at five --state-out x.state");
    ck_assert_int_eq(p.status, 2);
    ck_assert_ptr_nonnull(strstr(p.err, "--state-at takes a number of control steps, not 'five'"));
    proc_free(&p);
    p = proc_run("%s check %s/examples/swimmer-ncap.yaml --state-in x.state", exe, src);
    ck_assert_int_eq(p.status, 2);
    ck_assert_ptr_nonnull(strstr(p.err, "--state-in is an option of animat run, not of animat check"));
    proc_free(&p);
    p = proc_run("cd %s && test -e x.state", dir);
    ck_assert_int_ne(p.status, 0);
    proc_free(&p);
}
END_TEST

START_TEST(instance_without_the_extension) {
    /* a circuit built against ABI 1.0 has no extension query at all */
    char text[2048];
    snprintf(text, sizeof text,
             "body:\n  plugin: swimmer\ncircuit:\n  plugin: %s/old_circuit.so\nwiring:\n"
             "  - body.obs.joints[0] -> circuit.in.x\n  - circuit.out.y -> body.act.motors[0]\nrun:\n  max_steps: 20\n",
             broken);
    const char *f = proc_write(dir, "old.yaml", text);
    proc_out p = proc_run("cd %s && %s run %s --state-at 5 --state-out o.state", dir, exe, f);
    ck_expect_error(&p, "circuit (old-circuit): has no animat.state/1 extension, so --state-at/--state-out/--state-in "
                     "cannot save or restore it");
    p = proc_run("cd %s && test -e o.state", dir);
    ck_assert_int_ne(p.status, 0);
    proc_free(&p);
}
END_TEST

int main(void) {
    exe = getenv("ANIMAT_EXE");
    broken = getenv("BROKEN_DIR");
    src = getenv("ANIMAT_SRC");
    if (!exe || !broken || !src) {
        fprintf(stderr, "set ANIMAT_EXE, BROKEN_DIR and ANIMAT_SRC\n");
        return 1;
    }
    dir = proc_tmpdir();
    Suite *s = suite_create("state");
    TCase *t = tcase_create("state");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, every_example_resumes_bit_for_bit);
    tcase_add_test(t, interventions_and_edges_of_the_episode);
    tcase_add_test(t, branching_under_other_interventions);
    tcase_add_test(t, bad_state_files);
    tcase_add_test(t, bad_state_options);
    tcase_add_test(t, instance_without_the_extension);
    suite_add_tcase(s, t);
    return ck_run(s);
}
