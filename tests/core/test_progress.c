/* test_progress.c -- base/progress.h (the text, the rate limit, threads,
 * silence) and its use by the long commands: run, train, rerun (of a run
 * and of a training) and report print progress on stderr, a plain line
 * every ANIMAT_PROGRESS_INTERVAL seconds off a terminal, none with --quiet. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/progress.h"
#include "ck_run.h"
#include "proc.h"

static const char *exe, *src, *dir;

/* What was written to f (rewound), into buf. */
static const char *contents(FILE *f, char *buf, size_t cap) {
    fflush(f);
    rewind(f);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    return buf;
}

static void pause_ms(long ms) {
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

START_TEST(durations) {
    char b[32];
    ck_assert_str_eq(progress_duration(4.6, b, sizeof b), "5 s");
    ck_assert_str_eq(progress_duration(125, b, sizeof b), "2 min 05 s");
    ck_assert_str_eq(progress_duration(7620, b, sizeof b), "2 h 07 min");
    ck_assert_str_eq(progress_duration(-3, b, sizeof b), "0 s");
}
END_TEST

/* Off a terminal: nothing before the interval (short work is silent),
 * then one plain line per interval with counts, percentage and ETA. */
START_TEST(plain_lines_rate_limited) {
    char buf[4096];
    FILE *f = tmpfile();
    unsetenv("ANIMAT_PROGRESS_INTERVAL");
    progress p;
    progress_begin(&p, f, "job", "things", 0, 10);
    for (int i = 0; i < 4; i++) progress_add(&p, 1);
    ck_assert_str_eq(contents(f, buf, sizeof buf), ""); /* 10 s not yet passed */
    ck_assert_uint_eq(atomic_load(&p.done), 4);
    progress_end(&p);
    setenv("ANIMAT_PROGRESS_INTERVAL", "0.05", 1);
    progress_begin(&p, f, "job", "things", 2, 10); /* 2 done before (a resume) */
    pause_ms(60);
    progress_add(&p, 2);
    progress_add(&p, 1); /* within the interval: no line */
    progress_stage(&p, "stage two");
    pause_ms(60);
    progress_add(&p, 1);
    progress_end(&p);
    contents(f, buf, sizeof buf);
    char *l2 = strchr(buf, '\n') + 1;
    ck_assert_msg(!strncmp(buf, "job: 4/10 things (40%)  elapsed ", 32) && strstr(buf, " s  ETA ") < l2 &&
                  !strncmp(l2, "job: 6/10 things (60%)  elapsed ", 32) && strstr(l2, " s  stage two  ETA ") &&
                  !strchr(strchr(l2, '\n') + 1, '\n'), "got '%s'", buf);
    ck_assert_ptr_null(strstr(buf, "5/10"));
    ck_assert_ptr_null(strchr(buf, '\r'));
    fclose(f);
    /* silence: a NULL stream */
    progress_begin(&p, NULL, "job", "things", 0, 0);
    progress_add(&p, 3);
    progress_clear(&p);
    progress_end(&p);
    unsetenv("ANIMAT_PROGRESS_INTERVAL");
}
END_TEST

static void *adder(void *arg) {
    for (int i = 0; i < 20000; i++) progress_add(arg, 1);
    return NULL;
}

/* Several threads adding at once: the count is exact, the lines whole. */
START_TEST(threads_add) {
    static char buf[1 << 20];
    FILE *f = tmpfile();
    setenv("ANIMAT_PROGRESS_INTERVAL", "0.001", 1);
    progress p;
    progress_begin(&p, f, "t", "u", 0, 80000);
    pthread_t th[4];
    for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, adder, &p);
    for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
    ck_assert_uint_eq(atomic_load(&p.done), 80000);
    progress_end(&p);
    contents(f, buf, sizeof buf);
    for (char *l = buf; *l; l = strchr(l, '\n') + 1) {
        ck_assert_msg(!strncmp(l, "t: ", 3), "torn line '%.40s'", l);
        ck_assert_ptr_nonnull(strchr(l, '\n'));
    }
    fclose(f);
    unsetenv("ANIMAT_PROGRESS_INTERVAL");
}
END_TEST

/* `cmd` (with the progress interval 1 ms) prints `want` on stderr, and
 * nothing on stderr with --quiet. */
static void shows_progress(const char *cmd, const char *want) {
    proc_out p = proc_run("cd %s && ANIMAT_PROGRESS_INTERVAL=0.001 %s %s", dir, exe, cmd);
    ck_assert_msg(p.status == 0, "%s: %s", cmd, p.err);
    ck_assert_msg(strstr(p.err, want), "%s: no '%s' on stderr: '%.300s'", cmd, want, p.err);
    ck_assert_ptr_null(strchr(p.err, '\r')); /* not a terminal: plain lines */
    proc_free(&p);
    p = proc_run("cd %s && ANIMAT_PROGRESS_INTERVAL=0.001 %s %s --quiet", dir, exe, cmd);
    ck_assert_msg(p.status == 0 && !p.err[0], "%s --quiet: status %d, stderr '%.300s'", cmd, p.status, p.err);
    proc_free(&p);
}

START_TEST(commands_show_progress) {
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "run %s/examples/swimmer-ncap.yaml --set run.max_steps=300 --record run.h5", src);
    shows_progress(cmd, "run: ");
    proc_out p = proc_run("cd %s && rm -f run.h5 && %s %s --quiet", dir, exe, cmd);
    ck_assert_int_eq(p.status, 0);
    proc_free(&p);
    shows_progress("rerun run.h5", "run: ");
    snprintf(cmd, sizeof cmd, "train %s/examples/swimmer-ncap-es.yaml --epochs 2 --set run.max_steps=100 "
             "--set train.output=p.yaml --set train.curve=c.csv --set train.checkpoint=ck", src);
    shows_progress(cmd, "train: ");
    p = proc_run("cd %s && %s %s --quiet --record train.h5", dir, exe, cmd);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    shows_progress("rerun train.h5", "/16 candidates (");
    shows_progress("report train.h5 -o r.html", "report: ");
}
END_TEST

int main(void) {
    exe = getenv("ANIMAT_EXE");
    src = getenv("ANIMAT_SRC");
    if (!exe || !src) return 1;
    dir = proc_tmpdir();
    Suite *s = suite_create("progress");
    TCase *t = tcase_create("progress");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, durations);
    tcase_add_test(t, plain_lines_rate_limited);
    tcase_add_test(t, threads_add);
    tcase_add_test(t, commands_show_progress);
    suite_add_tcase(s, t);
    return ck_run(s);
}
