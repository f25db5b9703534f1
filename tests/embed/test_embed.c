/* test_embed.c -- libanimat.so's embedding API (animat/embed.h), called as
 * an embedding program calls it (linked against the shared library only):
 * returns equal the host's own episode loop (sim_episode, what `animat run`
 * runs), the agent gets the native circuit's observations and, fed the
 * native actions, gives the native return; truncation, wrong moments and
 * bad input as codes and one-line messages; a vector of handles gives the
 * same results for 1 and 3 threads; an episode abandoned half-way leaves
 * nothing behind (valgrind setup); animat_run_with (what `animat run` calls)
 * gives animat_run's returns, writes the trace, honours a set theta and
 * run.isolate on a deferred handle, and refuses bad option structs; states
 * with and without an agent continue bit for bit and are refused by another
 * setup; a recording of `animat run` reads through the library. */
#include <animat/embed.h>
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ck_run.h"

#define NJ 5
#define STEPS 30

static char swimmer[1024];
static const char *const short_run[] = {"run.max_steps=30"};

static animat_exp *open_ok(const char *agent, const char *const *sets, uint32_t n) {
    animat_exp *x = NULL;
    char msg[1024] = "";
    ck_assert_msg(animat_open(&x, swimmer, NULL, sets, n, agent, msg, sizeof msg) == 0, "%s", msg);
    ck_assert_ptr_nonnull(x);
    return x;
}

START_TEST(version_matches) { ck_assert_uint_eq(animat_embed_version(), ANIMAT_EMBED_VERSION); }
END_TEST

START_TEST(open_errors_are_codes_and_one_line) {
    animat_exp *x = (animat_exp *)1;
    char msg[1024];
    ck_assert_int_eq(animat_open(&x, "/nonexistent.yaml", NULL, NULL, 0, NULL, msg, sizeof msg), ANIMAT_EMBED_EINPUT);
    ck_assert_ptr_null(x);
    ck_assert_msg(strstr(msg, "/nonexistent.yaml") && !strchr(msg, '\n'), "%s", msg);
    const char *bad[] = {"body.params.n_bodies=99"};
    ck_assert_int_eq(animat_open(&x, swimmer, NULL, bad, 1, NULL, msg, sizeof msg), ANIMAT_EMBED_EINPUT);
    ck_assert_msg(strstr(msg, "n_bodies"), "%s", msg);
    ck_assert_int_eq(animat_open(&x, swimmer, NULL, NULL, 0, "brain", msg, sizeof msg), ANIMAT_EMBED_EINPUT);
    ck_assert_msg(strstr(msg, "agent 'brain': no such instance (instances: body, circuit)"), "%s", msg);
    ck_assert_int_eq(animat_open(&x, swimmer, NULL, NULL, 0, "body", msg, sizeof msg), ANIMAT_EMBED_EINPUT);
    ck_assert_int_eq(animat_open(&x, NULL, NULL, NULL, 0, NULL, msg, sizeof msg), ANIMAT_EMBED_EINPUT);
    ck_assert_int_eq(animat_open(&x, NULL, "body: [", NULL, 0, NULL, msg, 0), ANIMAT_EMBED_EINPUT);
}
END_TEST

START_TEST(graph_ports_theta) {
    animat_exp *x = open_ok(NULL, short_run, 1);
    ck_assert_uint_eq(animat_instances(x), 2);
    ck_assert_str_eq(animat_instance_name(x, 1), "circuit");
    ck_assert_str_eq(animat_instance_plugin(x, 1), "ncap");
    ck_assert_ptr_null(animat_instance_name(x, 2));
    animat_embed_port p, q;
    ck_assert_int_eq(animat_port_find(x, "circuit.out.muscles", NULL, NULL, NULL, &p), 0);
    ck_assert_uint_eq(p.size, NJ);
    ck_assert(p.lower[0] == -1.0 && p.upper[NJ - 1] == 1.0);
    ck_assert_int_eq(animat_port_find(x, "body.obs.joints", NULL, NULL, NULL, &p), 0);
    ck_assert_int_eq(animat_port_find(x, "circuit.in.joints", NULL, NULL, NULL, &q), 0);
    ck_assert_ptr_eq(p.values, q.values); /* fed whole by one edge: one buffer */
    ck_assert_int_eq(animat_port_find(x, "body.obs.nope", NULL, NULL, NULL, &p), ANIMAT_EMBED_EINPUT);
    ck_assert_msg(strstr(animat_errmsg(x), "body.obs.joints"), "%s", animat_errmsg(x));
    char buf[64];
    ck_assert_str_eq(animat_theta_name(x, 3, buf, sizeof buf), "circuit.w_contra");
    double th[4] = {0.5, 2.0, 1.0, 0.5};
    ck_assert_int_eq(animat_set_theta(x, th, 4), 0);
    ck_assert_int_eq(animat_get_theta(x, th, 4), 0);
    ck_assert(th[0] == 0.5 && th[1] == 2.0 && th[3] == 0.0); /* inhibitory entry projected to <= 0 */
    ck_assert_int_eq(animat_set_theta(x, th, 3), ANIMAT_EMBED_EINPUT);
    const char *name = NULL;
    ck_assert_str_eq(animat_param(x, 0, 0, &name, buf, sizeof buf), "6");
    ck_assert_str_eq(name, "n_bodies");
    animat_close(x);
}
END_TEST

/* The native run: returns and, per step, the circuit's inputs and outputs. */
static void native(double *ret, double obs[STEPS + 1][NJ], double act[STEPS][NJ]) {
    animat_exp *x = open_ok(NULL, short_run, 1);
    ck_assert_int_eq(animat_run(x, 0, 2, ret, NULL), 0);
    animat_embed_port in, out;
    ck_assert_int_eq(animat_port_find(x, "circuit.in.joints", NULL, NULL, NULL, &in), 0);
    ck_assert_int_eq(animat_port_find(x, "circuit.out.muscles", NULL, NULL, NULL, &out), 0);
    ck_assert_int_eq(animat_reset(x, 1, 1, NULL, 0), 0);
    memcpy(obs[0], in.values, sizeof obs[0]);
    double total = 0, r;
    uint32_t flags = 0;
    for (int k = 0; k < STEPS; k++) {
        ck_assert_uint_eq(flags, 0);
        ck_assert_int_eq(animat_step(x, NULL, 0, NULL, 0, &r, &flags), 0);
        memcpy(act[k], out.values, sizeof act[k]);
        memcpy(obs[k + 1], in.values, sizeof obs[k + 1]);
        total += r;
    }
    ck_assert_uint_eq(flags, ANIMAT_EMBED_TRUNCATED);
    ck_assert(total == ret[1] && animat_return(x) == ret[1]);
    ck_assert_int_eq(animat_step(x, NULL, 0, NULL, 0, &r, &flags), ANIMAT_EMBED_ESTATE);
    animat_close(x);
}

START_TEST(agent_replays_native_bit_for_bit) {
    double ret[2], obs[STEPS + 1][NJ], act[STEPS][NJ];
    native(ret, obs, act);
    ck_assert(ret[0] != ret[1]);
    animat_exp *x = open_ok("circuit", short_run, 1);
    ck_assert_uint_eq(animat_obs_size(x), NJ);
    ck_assert_uint_eq(animat_act_size(x), NJ);
    ck_assert(animat_act_bounds(x, 1)[0] == 1.0 && isinf(animat_obs_bounds(x, 0)[0]));
    ck_assert_int_eq(animat_run(x, 0, 1, NULL, NULL), ANIMAT_EMBED_EUNSUPPORTED);
    double o[NJ], r, total = 0;
    uint32_t flags;
    ck_assert_int_eq(animat_step(x, act[0], NJ, o, NJ, &r, &flags), ANIMAT_EMBED_ESTATE);
    ck_assert_int_eq(animat_reset(x, 1, 1, o, NJ), 0);
    ck_assert_mem_eq(o, obs[0], sizeof o);
    double nan[NJ] = {0, 0, NAN, 0, 0};
    ck_assert_int_eq(animat_step(x, nan, NJ, o, NJ, &r, &flags), ANIMAT_EMBED_EINPUT);
    ck_assert_msg(strstr(animat_errmsg(x), "action[2] is NaN"), "%s", animat_errmsg(x));
    ck_assert_int_eq(animat_step(x, act[0], NJ - 1, o, NJ, &r, &flags), ANIMAT_EMBED_EINPUT);
    for (int k = 0; k < STEPS; k++) {
        ck_assert_int_eq(animat_step(x, act[k], NJ, o, NJ, &r, &flags), 0);
        ck_assert_mem_eq(o, obs[k + 1], sizeof o);
        total += r;
    }
    ck_assert_uint_eq(flags, ANIMAT_EMBED_TRUNCATED);
    ck_assert(total == ret[1]);
    animat_close(x);
}
END_TEST

START_TEST(reset_mid_episode_and_new_seed) {
    animat_exp *x = open_ok("circuit", short_run, 1);
    double a[NJ], b[NJ], c[NJ], zero[NJ] = {0}, r;
    uint32_t f;
    ck_assert_int_eq(animat_reset(x, 7, 0, a, NJ), 0);
    for (int k = 0; k < 5; k++) ck_assert_int_eq(animat_step(x, zero, NJ, b, NJ, &r, &f), 0);
    ck_assert_int_eq(animat_reset(x, 8, 0, b, NJ), 0); /* abandons the episode, re-creates for seed 8 */
    ck_assert_int_eq(animat_reset(x, 7, 0, c, NJ), 0);
    ck_assert_mem_eq(a, c, sizeof a);
    ck_assert(memcmp(a, b, sizeof a) != 0);
    ck_assert_uint_eq(animat_seed(x), 7);
    ck_assert_int_eq(animat_step(x, zero, NJ, b, NJ, &r, &f), 0);
    animat_close(x); /* with an episode in progress */
}
END_TEST

/* 20 steps' rewards and final joints from where x is. */
static void continue_run(animat_exp *x, double *out) {
    animat_embed_port p;
    ck_assert_int_eq(animat_port_find(x, "body.obs.joints", NULL, NULL, NULL, &p), 0);
    for (int k = 0; k < 20; k++) ck_assert_int_eq(animat_step(x, NULL, 0, NULL, 0, &out[k], NULL), 0);
    memcpy(out + 20, p.values, NJ * sizeof *out);
}

START_TEST(snapshot_restore) {
    animat_exp *x = open_ok(NULL, short_run, 1), *y = open_ok(NULL, short_run, 1);
    animat_exp *a = open_ok("circuit", short_run, 1);
    void *buf = NULL;
    uint64_t size = 0;
    ck_assert_int_eq(animat_state_save(x, &buf, &size), ANIMAT_EMBED_ESTATE); /* no episode yet */
    ck_assert_int_eq(animat_reset(x, 1, 2, NULL, 0), 0);
    for (int k = 0; k < 5; k++) ck_assert_int_eq(animat_step(x, NULL, 0, NULL, 0, NULL, NULL), 0);
    ck_assert_int_eq(animat_state_save(x, &buf, &size), 0);
    ck_assert(buf && size > 100);
    double first[20 + NJ], again[20 + NJ], other[20 + NJ];
    continue_run(x, first);
    ck_assert_int_eq(animat_state_load(x, buf, size), 0);
    continue_run(x, again);
    ck_assert_int_eq(animat_state_load(y, buf, size), 0);
    ck_assert_uint_eq(animat_episode(y), 2);
    continue_run(y, other);
    ck_assert_mem_eq(first, again, sizeof first);
    ck_assert_mem_eq(first, other, sizeof first);
    ck_assert_int_eq(animat_state_load(y, buf, size - 8), ANIMAT_EMBED_EINPUT);
    ck_assert_int_eq(animat_state_load(y, buf, 4), ANIMAT_EMBED_EINPUT);
    ck_assert_int_eq(animat_reset(a, 1, 0, (double[NJ]){0}, NJ), 0);
    char msg[1024];
    ck_assert_int_eq(animat_state_load(a, buf, size), ANIMAT_EMBED_EINPUT); /* saved without an agent */
    snprintf(msg, sizeof msg, "%s", animat_errmsg(a));
    ck_assert_msg(strstr(msg, "between two steps (no agent)") && !strchr(msg, '\n'), "%s", msg);
    animat_state_free(buf);
    animat_close(x);
    animat_close(y);
    animat_close(a);
}
END_TEST

/* 3 handles stepped STEPS + 5 times (through one autoreset) by `threads`; rows of obs, reward, flags. */
static void vec_run(uint32_t threads, double *rows) {
    animat_exp *x[3];
    for (int i = 0; i < 3; i++) x[i] = open_ok("circuit", short_run, 1);
    animat_vec *v = NULL;
    char msg[256];
    ck_assert_int_eq(animat_vec_create(&v, threads, msg, sizeof msg), 0);
    double act[3 * NJ], obs[3 * NJ], rew[3];
    uint32_t flags[3];
    for (int i = 0; i < 3; i++) ck_assert_int_eq(animat_reset(x[i], 10 + (uint64_t)i, 0, obs + i * NJ, NJ), 0);
    for (int k = 0; k < STEPS + 5; k++) {
        for (int j = 0; j < 3 * NJ; j++) act[j] = sin(k * 0.3 + j);
        ck_assert_int_eq(animat_vec_step(v, x, 3, act, obs, rew, flags, msg, sizeof msg), 0);
        double *row = rows + (size_t)k * 3 * (NJ + 2);
        memcpy(row, obs, sizeof obs);
        for (int i = 0; i < 3; i++) row[3 * NJ + 2 * i] = rew[i], row[3 * NJ + 2 * i + 1] = flags[i];
        if (k == STEPS - 1) ck_assert_uint_eq(flags[1], ANIMAT_EMBED_TRUNCATED);
        if (k == STEPS) ck_assert(flags[1] == ANIMAT_EMBED_RESET && rew[1] == 0);
    }
    ck_assert_uint_eq(animat_episode(x[2]), 1);
    animat_vec_destroy(v);
    for (int i = 0; i < 3; i++) animat_close(x[i]);
}

/* n agent steps from where a is (a fixed action pattern): rewards, then the last observation. */
static void continue_agent(animat_exp *a, double *out, int n) {
    double act[NJ], obs[NJ];
    for (int k = 0; k < n; k++) {
        for (int j = 0; j < NJ; j++) act[j] = sin(0.3 * k + j);
        ck_assert_int_eq(animat_step(a, act, NJ, obs, NJ, &out[k], NULL), 0);
    }
    memcpy(out + n, obs, sizeof obs);
}

/* With an agent the state is taken at the agent's turn, inside a step, and
 * continues from there; states of another setup are refused in one line. */
START_TEST(snapshot_restore_with_agent) {
    animat_exp *a = open_ok("circuit", NULL, 0), *b = open_ok("circuit", NULL, 0);
    animat_exp *c = open_ok("circuit", short_run, 1);
    double at[NJ], back[NJ], first[10 + NJ], again[10 + NJ], other[10 + NJ];
    ck_assert_int_eq(animat_reset(a, 4, 1, at, NJ), 0);
    continue_agent(a, first, 7);
    ck_assert_int_eq(animat_obs(a, at, NJ), 0);
    void *buf = NULL;
    uint64_t size = 0;
    ck_assert_int_eq(animat_state_save(a, &buf, &size), 0);
    continue_agent(a, first, 10);
    ck_assert_int_eq(animat_state_load(a, buf, size), 0);
    ck_assert_int_eq(animat_obs(a, back, NJ), 0);
    ck_assert_mem_eq(at, back, sizeof at);
    continue_agent(a, again, 10);
    ck_assert_int_eq(animat_state_load(b, buf, size), 0); /* another handle, at its run.seed */
    ck_assert_uint_eq(animat_episode(b), 1);
    continue_agent(b, other, 10);
    ck_assert_mem_eq(first, again, sizeof first);
    ck_assert_mem_eq(first, other, sizeof first);
    ck_assert_int_eq(animat_state_load(c, buf, size), ANIMAT_EMBED_EINPUT); /* run.max_steps differs */
    ck_assert_msg(strstr(animat_errmsg(c), "different experiment setup"), "%s", animat_errmsg(c));
    animat_state_free(buf);
    animat_close(a);
    animat_close(b);
    animat_close(c);
}
END_TEST

/* Index of dataset `name` in r, or -1. */
static int rec_find(animat_rec *r, const char *name, animat_rec_dataset *ds) {
    for (uint32_t k = 0; k < animat_rec_datasets(r); k++)
        if (animat_rec_dataset_info(r, k, ds) == 0 && !strcmp(ds->name, name)) return (int)k;
    return -1;
}

/* A recording of `animat run` read through the library: names, shapes,
 * types, values, attributes; bad files and buffers as codes and one line. */
START_TEST(recording_read_through_the_library) {
    char path[512], cmd[2048], msg[1024];
    snprintf(path, sizeof path, "/tmp/animat-embed-rec-%d.h5", (int)getpid());
    snprintf(cmd, sizeof cmd, "'%s' run '%s' --episodes 2 --set run.max_steps=50 --record '%s' > /dev/null",
             getenv("ANIMAT_EXE"), swimmer, path);
    ck_assert_int_eq(system(cmd), 0);
    animat_rec *r = NULL;
    ck_assert_msg(animat_rec_open(&r, path, msg, sizeof msg) == 0, "%s", msg);
    animat_rec_dataset ds;
    int k = rec_find(r, "episodes/steps", &ds);
    ck_assert_int_ge(k, 0);
    ck_assert_uint_eq(ds.type, ANIMAT_REC_U64);
    ck_assert_uint_eq(ds.rank, 1);
    uint64_t steps[2];
    ck_assert_int_eq(animat_rec_read(r, (uint32_t)k, steps, sizeof steps), 0);
    ck_assert(steps[0] == 50 && steps[1] == 50);
    ck_assert_int_eq(animat_rec_read(r, (uint32_t)k, steps, 8), ANIMAT_EMBED_EINPUT); /* wrong size: nothing read */
    ck_assert_msg(strstr(animat_rec_errmsg(r), "needs a buffer of 16 bytes"), "%s", animat_rec_errmsg(r));
    k = rec_find(r, "signals/body.obs.joints", &ds);
    ck_assert(k >= 0 && ds.type == ANIMAT_REC_F64 && ds.rank == 3);
    ck_assert(ds.dims[0] == 2 && ds.dims[1] == 50 && ds.dims[2] == NJ);
    double *v = malloc(2 * 50 * NJ * sizeof *v);
    ck_assert_int_eq(animat_rec_read(r, (uint32_t)k, v, 2 * 50 * NJ * sizeof *v), 0);
    ck_assert(isfinite(v[0]) && isfinite(v[2 * 50 * NJ - 1]));
    free(v);
    uint32_t n = 0;
    animat_rec_attribute at;
    ck_assert_int_eq(animat_rec_attrs(r, "signals/body.obs.joints", &n), 0);
    int names = 0;
    for (uint32_t a = 0; a < n; a++) {
        ck_assert_int_eq(animat_rec_attr(r, a, &at), 0);
        if (strcmp(at.name, "names")) continue;
        ck_assert(at.type == ANIMAT_REC_TEXT && at.rank == 1 && at.count == NJ);
        ck_assert_str_eq(at.values, "joints[0]");
        ck_assert_str_eq((const char *)at.values + 10, "joints[1]");
        names = 1;
    }
    ck_assert(names);
    ck_assert_int_eq(animat_rec_attrs(r, "", &n), 0);
    ck_assert_uint_ge(n, 5);
    ck_assert_int_eq(animat_rec_attrs(r, "nope", &n), ANIMAT_EMBED_EINPUT);
    ck_assert_uint_eq(n, 0);
    animat_rec_close(r);
    const char *bad[] = {"/nonexistent.h5", "/tmp", swimmer};
    for (int b = 0; b < 3; b++) {
        r = (animat_rec *)1;
        ck_assert_int_eq(animat_rec_open(&r, bad[b], msg, sizeof msg), ANIMAT_EMBED_EINPUT);
        ck_assert_ptr_null(r);
        ck_assert_msg(!strncmp(msg, bad[b], strlen(bad[b])) && !strchr(msg, '\n'), "%s", msg);
    }
    unlink(path);
}
END_TEST

START_TEST(vector_same_for_any_thread_count) {
    static double one[(STEPS + 5) * 3 * (NJ + 2)], three[(STEPS + 5) * 3 * (NJ + 2)];
    vec_run(1, one);
    vec_run(3, three);
    ck_assert_mem_eq(one, three, sizeof one);
    char msg[256];
    animat_vec *v;
    ck_assert_int_eq(animat_vec_create(&v, 0, msg, sizeof msg), ANIMAT_EMBED_EINPUT);
}
END_TEST

/* A deferred handle (ANIMAT_OPEN_DEFER) with these overrides. */
static animat_exp *open_deferred(const char *const *sets, uint32_t n) {
    animat_open_opts o = ANIMAT_OPEN_OPTS_INIT;
    o.flags = ANIMAT_OPEN_DEFER, o.path = swimmer, o.sets = sets, o.nsets = n;
    animat_exp *x = NULL;
    char msg[1024] = "";
    ck_assert_msg(animat_open_with(&x, &o, msg, sizeof msg) == 0, "%s", msg);
    return x;
}

START_TEST(run_with_is_the_cli_run) {
    double want[2], got[2] = {0, 0};
    animat_exp *x = open_ok(NULL, short_run, 1);
    ck_assert_int_eq(animat_run(x, 0, 2, want, NULL), 0);
    animat_close(x);
    char dir[] = "/tmp/animat-embed-XXXXXX", trace[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(trace, sizeof trace, "%s/t.csv", dir);
    x = open_deferred(short_run, 1);
    ck_assert_uint_eq(animat_ports(x, 0, 1), 0); /* no instances yet */
    FILE *out = tmpfile();
    animat_run_opts o = ANIMAT_RUN_OPTS_INIT;
    o.episodes = 2, o.returns = got, o.trace = trace, o.out = out;
    animat_run_summary sum = ANIMAT_RUN_SUMMARY_INIT;
    ck_assert_msg(animat_run_with(x, &o, &sum) == 0, "%s", animat_errmsg(x));
    ck_assert(got[0] == want[0] && got[1] == want[1]);
    ck_assert(sum.episodes == 2 && sum.steps == 2 * STEPS && sum.mean_return == (want[0] + want[1]) / 2);
    ck_assert_int_eq(access(trace, R_OK), 0);
    char line[256] = "";
    rewind(out);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, out));
    ck_assert_msg(!strncmp(line, "episode 1/2  return ", 20), "%s", line);
    fclose(out);
    ck_assert_int_eq(animat_run(x, 1, 1, got, NULL), 0); /* a deferred handle creates its instances on demand */
    ck_assert(got[0] == want[1]);
    /* The run's returns follow a theta set on the handle. */
    double th[4] = {0.5, 2.0, 1.0, -0.5}, a[1], b[1];
    ck_assert_int_eq(animat_set_theta(x, th, 4), 0);
    ck_assert_int_eq(animat_run(x, 0, 1, a, NULL), 0);
    o = (animat_run_opts)ANIMAT_RUN_OPTS_INIT;
    o.episodes = 1, o.returns = b;
    ck_assert_int_eq(animat_run_with(x, &o, NULL), 0);
    ck_assert(a[0] == b[0] && a[0] != want[0]);
    /* Bad option structs: one line, nothing run. */
    o.size = 4;
    ck_assert_int_eq(animat_run_with(x, &o, NULL), ANIMAT_EMBED_EINPUT);
    ck_assert_msg(strstr(animat_errmsg(x), "ANIMAT_RUN_OPTS_INIT"), "%s", animat_errmsg(x));
    ck_assert_int_eq(animat_run_with(x, NULL, NULL), ANIMAT_EMBED_EINPUT);
    o = (animat_run_opts)ANIMAT_RUN_OPTS_INIT;
    o.trace = swimmer; /* an input of the experiment */
    ck_assert_int_eq(animat_run_with(x, &o, NULL), ANIMAT_EMBED_EPLUGIN);
    ck_assert_msg(strstr(animat_errmsg(x), "swimmer-ncap.yaml"), "%s", animat_errmsg(x));
    animat_close(x);
    unlink(trace);
    rmdir(dir);
}
END_TEST

START_TEST(deferred_open_check_and_isolate) {
    const char *iso[] = {"run.max_steps=30", "run.isolate=true", "run.episodes=1"};
    animat_exp *x = open_deferred(iso, 3);
    FILE *out = tmpfile();
    ck_assert_msg(animat_check(x, out) == 0, "%s", animat_errmsg(x));
    char line[512] = "";
    rewind(out);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, out));
    ck_assert_msg(strstr(line, "ok: ") == line && strstr(line, "circuit ncap"), "%s", line);
    fclose(out);
    ck_assert_int_eq(animat_reset(x, 1, 0, NULL, 0), ANIMAT_EMBED_EUNSUPPORTED);
    ck_assert_int_eq(animat_run(x, 0, 1, NULL, NULL), ANIMAT_EMBED_EUNSUPPORTED);
    double got[1] = {0}, want[1];
    animat_run_opts o = ANIMAT_RUN_OPTS_INIT;
    o.returns = got;
    ck_assert_msg(animat_run_with(x, &o, NULL) == 0, "%s", animat_errmsg(x));
    animat_close(x);
    x = open_ok(NULL, short_run, 1);
    ck_assert_int_eq(animat_run(x, 0, 1, want, NULL), 0);
    animat_close(x);
    ck_assert(got[0] == want[0]);
    /* Not with an agent; not without the size. */
    animat_open_opts oo = ANIMAT_OPEN_OPTS_INIT;
    oo.flags = ANIMAT_OPEN_DEFER, oo.path = swimmer, oo.agent = "circuit";
    char msg[256];
    ck_assert_int_eq(animat_open_with(&x, &oo, msg, sizeof msg), ANIMAT_EMBED_EINPUT);
    ck_assert_ptr_null(x);
    oo.size = 0;
    ck_assert_int_eq(animat_open_with(&x, &oo, msg, sizeof msg), ANIMAT_EMBED_EINPUT);
    ck_assert_msg(strstr(msg, "ANIMAT_OPEN_OPTS_INIT"), "%s", msg);
}
END_TEST

/* Option structs with NULL where an array or one of its strings belongs:
 * EINPUT naming the field, never a crash. */
START_TEST(open_with_null_arrays) {
    animat_exp *x = (animat_exp *)1;
    char msg[256];
    const char *holes[] = {"run.max_steps=30", NULL};
    struct { const char *const *sets; uint32_t nsets; const char *const *plugins; uint32_t nplugins;
             const char *want; } cases[] = {
        {NULL, 1u << 30, NULL, 0, "nsets is 1073741824 but sets is NULL"},
        {holes, 2, NULL, 0, "sets[1] is NULL"},
        {NULL, 0, NULL, 3, "nplugins is 3 but plugins is NULL"},
        {NULL, 0, holes, 2, "plugins[1] is NULL"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        animat_open_opts o = ANIMAT_OPEN_OPTS_INIT;
        o.path = swimmer, o.sets = cases[k].sets, o.nsets = cases[k].nsets;
        o.plugins = cases[k].plugins, o.nplugins = cases[k].nplugins;
        ck_assert_int_eq(animat_open_with(&x, &o, msg, sizeof msg), ANIMAT_EMBED_EINPUT);
        ck_assert_ptr_null(x);
        ck_assert_msg(strstr(msg, cases[k].want) && !strchr(msg, '\n'), "%s", msg);
    }
    ck_assert_int_eq(animat_open(&x, swimmer, NULL, NULL, 2, NULL, msg, sizeof msg), ANIMAT_EMBED_EINPUT);
    ck_assert_msg(strstr(msg, "nsets is 2 but sets is NULL"), "%s", msg);
}
END_TEST

/* A handle twice in one vector step would be stepped by two threads at
 * once: refused before any is stepped. */
START_TEST(vector_refuses_a_handle_twice) {
    animat_exp *a = open_ok("circuit", short_run, 1), *b = open_ok("circuit", short_run, 1);
    animat_exp *xs[3] = {a, b, a};
    double obs[3 * NJ], act[3 * NJ] = {0}, rew[3];
    uint32_t flags[3];
    char msg[256];
    ck_assert_int_eq(animat_reset(a, 1, 0, obs, NJ), 0);
    ck_assert_int_eq(animat_reset(b, 1, 0, obs, NJ), 0);
    animat_vec *v = NULL;
    ck_assert_int_eq(animat_vec_create(&v, 2, msg, sizeof msg), 0);
    ck_assert_int_eq(animat_vec_step(v, xs, 3, act, obs, rew, flags, msg, sizeof msg), -3);
    ck_assert_msg(strstr(msg, "handle 2 appears twice"), "%s", msg);
    ck_assert_uint_eq(animat_step_count(a), 0); /* nothing stepped */
    ck_assert_uint_eq(animat_step_count(b), 0);
    ck_assert_int_eq(animat_vec_step(v, xs, 2, act, obs, rew, flags, msg, sizeof msg), 0); /* stamps do not linger */
    ck_assert_int_eq(animat_vec_step(v, xs, 2, act, obs, rew, flags, msg, sizeof msg), 0);
    ck_assert_uint_eq(animat_step_count(a), 2);
    animat_vec_destroy(v);
    animat_close(a);
    animat_close(b);
}
END_TEST

int main(void) {
    const char *src = getenv("ANIMAT_SRC");
    if (!src) return 1;
    snprintf(swimmer, sizeof swimmer, "%s/examples/swimmer-ncap.yaml", src);
    Suite *s = suite_create("embed");
    TCase *t = tcase_create("api");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, version_matches);
    tcase_add_test(t, open_errors_are_codes_and_one_line);
    tcase_add_test(t, graph_ports_theta);
    tcase_add_test(t, agent_replays_native_bit_for_bit);
    tcase_add_test(t, reset_mid_episode_and_new_seed);
    tcase_add_test(t, vector_same_for_any_thread_count);
    tcase_add_test(t, snapshot_restore);
    tcase_add_test(t, run_with_is_the_cli_run);
    tcase_add_test(t, deferred_open_check_and_isolate);
    tcase_add_test(t, snapshot_restore_with_agent);
    tcase_add_test(t, recording_read_through_the_library);
    tcase_add_test(t, open_with_null_arrays);
    tcase_add_test(t, vector_refuses_a_handle_twice);
    suite_add_tcase(s, t);
    return ck_run(s);
}
