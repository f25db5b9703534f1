/* test_render.c -- suite "view": off-screen frames of the swimmer through
 * the host library (not blank, changing, the swimmer moving across a fixed
 * camera's picture by as many pixels as its position port says, and staying
 * in the middle of the tracking camera's), and `animat render` end to end
 * (frame count, rate and duration read back with ffprobe; every error
 * before any work, one line, nothing written; Ctrl-C leaves no file). */
#include <check.h>
#include <math.h>
#include <mujoco/mujoco.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck_run.h"
#include "exp/experiment.h"
#include "proc.h"
#include "sim/sim.h"
#include "view/render.h"
#include "sim/sim_impl.h"

#define W 160
#define H 120
#define STEPS 60

static const char *exe, *src, *plugdir;

/* What the observer measured in each frame. */
typedef struct shot {
    view_renderer *r;
    const instance *body;
    uint8_t prev[W * H * 3];
    uint8_t first[W * H * 3]; /* the first frame */
    int dark[STEPS];          /* near-black pixels (no floor behind) */
    double var[STEPS], diff[STEPS], cx[STEPS], cy[STEPS], px[STEPS], py[STEPS];
    int npix[STEPS];
    int halves_differ;    /* the left and right halves differed in some frame */
    uint32_t n;
} shot;

/* Pixel statistics of frame k: variance over all channels, mean absolute
 * difference to the previous frame, and the centroid of the swimmer's
 * orange ("self" material) pixels. */
static void measure(shot *t, const uint8_t *f) {
    uint32_t k = t->n;
    double s = 0, s2 = 0, d = 0, sx = 0, sy = 0;
    int n = 0;
    t->dark[k] = 0;
    if (k == 0) memcpy(t->first, f, sizeof t->first);
    for (int i = 0; i < W * H; i++) {
        const uint8_t *p = f + 3 * i;
        t->dark[k] += p[0] + p[1] + p[2] < 24;
        for (int c = 0; c < 3; c++) s += p[c], s2 += (double)p[c] * p[c], d += abs(p[c] - t->prev[3 * i + c]);
        if (p[0] > p[2] + 40 && p[0] > p[1] + 15) sx += i % W, sy += i / W, n++;
    }
    double m = s / (W * H * 3);
    t->var[k] = s2 / (W * H * 3) - m * m;
    t->diff[k] = d / (W * H * 3);
    t->npix[k] = n;
    t->cx[k] = n ? sx / n : -1;
    t->cy[k] = n ? sy / n : -1;
    memcpy(t->prev, f, sizeof t->prev);
}

/* Observer: render, measure, and note the body's position port. */
static int before(void *ctx, const struct sim *s, uint64_t episode, uint64_t step) {
    shot *t = ctx;
    (void)s, (void)episode, (void)step;
    if (t->n == STEPS) return 0;
    const uint8_t *f = view_render_frame(t->r);
    measure(t, f);
    for (int y = 0; y < H; y++)
        t->halves_differ |= memcmp(f + (size_t)y * W * 3, f + (size_t)y * W * 3 + W / 2 * 3, W / 2 * 3) != 0;
    int k = instance_port(t->body, ANIMAT_PORT_OUT, "position");
    t->px[t->n] = t->body->bufs[ANIMAT_PORT_OUT][k][0];
    t->py[t->n] = t->body->bufs[ANIMAT_PORT_OUT][k][1];
    t->n++;
    return 0;
}
static int after(void *ctx, double reward) { return (void)ctx, (void)reward, 0; }
static const char *why(void *ctx) { return (void)ctx, "observer"; }

/* Film STEPS steps of the NCAP swimmer with camera `cam` (NULL: the
 * swimmer's own suggestion) into *t, drawn `copies` times side by side,
 * with overlay text (two columns) when `labels` is not NULL. */
static void film_text(shot *t, const animat_mujoco_camera *cam, uint32_t copies, const char *labels,
                      const char *values) {
    char path[1024], steps[64];
    snprintf(path, sizeof path, "%s/examples/swimmer-ncap.yaml", src);
    snprintf(steps, sizeof steps, "run.max_steps=%d", STEPS);
    const char *sets[] = {steps};
    experiment x;
    sim s;
    errmsg e;
    errmsg_clear(&e);
    ck_assert_msg(experiment_load(&x, path, sets, 1, NULL, 0, &e) == 0, "%s", e.msg);
    ck_assert_msg(sim_create(&s, &x, &e) == 0, "%s", e.msg);
    instance *b = &s.insts[0];
    const animat_mujoco_ext *ext = instance_extension(b, ANIMAT_EXT_MUJOCO);
    ck_assert_ptr_nonnull(ext);
    ck_assert_int_eq(ext->mujoco_version, mj_version());
    animat_mujoco_camera own = {.struct_size = sizeof own};
    ck_assert_int_eq(ext->camera(b->self, &own), ANIMAT_OK);
    ck_assert_int_eq(own.track_body, 1); /* the head */
    memset(t, 0, sizeof *t);
    t->body = b;
    t->r = view_render_open(W, H, copies, &e);
    ck_assert_msg(t->r != NULL, "%s", e.msg);
    for (uint32_t k = 0; k < copies; k++)
        ck_assert_msg(view_render_add(t->r, ext->model(b->self), ext->data(b->self), ext->mujoco_version,
                                      cam ? cam : &own, &e) == 0, "%s", e.msg);
    ck_assert_int_eq(view_render_add(t->r, ext->model(b->self), ext->data(b->self), ext->mujoco_version, &own, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "more than"));
    errmsg_clear(&e);
    ck_assert_int_eq(view_render_add(t->r, ext->model(b->self), ext->data(b->self), 210, &own, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "compiled against MuJoCo 210"));
    if (labels) view_render_overlay(t->r, labels, values);
    sim_observer o = {.ctx = t, .before = before, .after = after, .error = why};
    sim_observe(&s, &o);
    sim_result res;
    ck_assert_msg(sim_episode(&s, 0, &res, &e) == 0, "%s", e.msg);
    ck_assert_uint_eq(t->n, STEPS);
    view_render_close(t->r);
    sim_destroy(&s);
    experiment_free(&x);
}

static void film(shot *t, const animat_mujoco_camera *cam, uint32_t copies) {
    film_text(t, cam, copies, NULL, NULL);
}

/* A fixed camera straight above the origin, 1 m up: the swimmer crosses
 * the picture as it swims, by as many pixels as its position port moved
 * times the camera's scale (H / (2 * 1 m * tan(fovy / 2)) pixels per m). */
START_TEST(frames_fixed_camera) {
    static shot t;
    animat_mujoco_camera cam = {.struct_size = sizeof cam, .track_body = -1, .distance = 1.0, .azimuth = 90,
                                .elevation = -90};
    film(&t, &cam, 1);
    for (uint32_t k = 0; k < STEPS; k++) {
        ck_assert_msg(t.var[k] > 20, "frame %u is blank (variance %g)", k, t.var[k]);
        ck_assert_msg(t.npix[k] > 30, "frame %u shows no swimmer (%d pixels)", k, t.npix[k]);
        if (k) ck_assert_msg(t.diff[k] > 0.01, "frame %u equals frame %u", k, k - 1);
    }
    double scale = H / (2.0 * tan(45.0 / 2 * M_PI / 180));
    double moved = hypot(t.px[STEPS - 1] - t.px[0], t.py[STEPS - 1] - t.py[0]) * scale;
    double seen = hypot(t.cx[STEPS - 1] - t.cx[0], t.cy[STEPS - 1] - t.cy[0]);
    fprintf(stderr, "fixed: head moved %.2f px by its position port, pixels' centroid %.2f px\n", moved, seen);
    ck_assert_msg(seen > 3, "the swimmer did not move across the picture (%.2f px)", seen);
    ck_assert_msg(seen > 0.3 * moved && seen < 1.5 * moved, "centroid moved %.2f px, position port %.2f px", seen,
                  moved);
}
END_TEST

/* The swimmer's own camera tracks it: it stays in the middle of the
 * picture, yet the picture changes (it undulates, the floor slides by). */
START_TEST(frames_tracking_camera) {
    static shot t;
    film(&t, NULL, 1);
    for (uint32_t k = 0; k < STEPS; k++) {
        ck_assert_msg(t.var[k] > 20, "frame %u is blank (variance %g)", k, t.var[k]);
        ck_assert_msg(t.npix[k] > 30, "frame %u shows no swimmer (%d pixels)", k, t.npix[k]);
        ck_assert_msg(fabs(t.cx[k] - W / 2.0) < W / 6.0 && fabs(t.cy[k] - H / 2.0) < H / 6.0,
                      "frame %u: swimmer at (%.1f, %.1f), not in the middle", k, t.cx[k], t.cy[k]);
        if (k) ck_assert_msg(t.diff[k] > 0.01, "frame %u equals frame %u", k, k - 1);
    }
}
END_TEST

/* The tracking camera is centred on the swimmer's centre of mass in every
 * frame (MuJoCo's own tracking camera lags behind it). */
START_TEST(frames_centred) {
    static shot t;
    film(&t, NULL, 1);
    for (uint32_t k = 0; k < STEPS; k++)
        ck_assert_msg(fabs(t.cx[k] - W / 2.0) < W / 16.0 && fabs(t.cy[k] - H / 2.0) < H / 16.0,
                      "frame %u: swimmer at (%.1f, %.1f), not centred", k, t.cx[k], t.cy[k]);
}
END_TEST

/* From 12 m up the view spans far more than the swimmer's 5 x 5 m floor:
 * the floor is drawn out to VIEW_FLOOR_HALF, so no pixel is background. */
START_TEST(floor_covers_the_view) {
    static shot t;
    animat_mujoco_camera cam = {.struct_size = sizeof cam, .track_body = 1, .distance = 12, .azimuth = 90,
                                .elevation = -90};
    film(&t, &cam, 1);
    for (uint32_t k = 0; k < STEPS; k++) ck_assert_msg(t.dark[k] == 0, "frame %u: %d background pixels", k, t.dark[k]);
}
END_TEST

/* Overlay text changes the top-left corner of the picture and nothing else. */
START_TEST(overlay_text) {
    static shot a, b;
    film(&a, NULL, 1);
    film_text(&b, NULL, 1, "time\nreturn", "1.23 s\n45.67");
    int n = 0, x0 = W, y0 = H, x1 = -1, y1 = -1;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            if (memcmp(a.first + 3 * (y * W + x), b.first + 3 * (y * W + x), 3)) {
                n++;
                x0 = x < x0 ? x : x0, x1 = x > x1 ? x : x1, y0 = y < y0 ? y : y0, y1 = y > y1 ? y : y1;
            }
    ck_assert_msg(n > 50, "the overlay changed %d pixels", n);
    ck_assert_msg(x0 < 10 && y0 < 10 && y1 < H / 2, "changed pixels span (%d, %d)..(%d, %d), not the top-left corner",
                  x0, y0, x1, y1);
}
END_TEST

/* Two bodies side by side: each gets half the picture and its own scene;
 * the same swimmer twice gives two identical halves, each showing it. */
START_TEST(frames_side_by_side) {
    static shot t;
    film(&t, NULL, 2);
    ck_assert(!t.halves_differ);
    for (uint32_t k = 0; k < STEPS; k++)
        ck_assert_msg(t.npix[k] > 60 && t.npix[k] % 2 == 0, "frame %u: %d swimmer pixels", k, t.npix[k]);
}
END_TEST

/* ---- animat render, end to end ---- */

static const char *dir;

/* The value of `key=` in ffprobe's output, or NULL. */
static const char *field(const char *out, const char *key) {
    static char buf[128];
    char pat[64];
    snprintf(pat, sizeof pat, "%s=", key);
    const char *p = strstr(out, pat);
    if (!p) return NULL;
    p += strlen(pat);
    size_t n = strcspn(p, "\n");
    snprintf(buf, sizeof buf, "%.*s", (int)(n < sizeof buf ? n : sizeof buf - 1), p);
    return buf;
}

/* Does `path` exist? */
static int exists(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f) fclose(f);
    return f != NULL;
}

/* Assert exit `status`, one stderr line containing `want`, no output file
 * (nor its .tmp) at dir/out.mp4. */
static void expect_refusal(proc_out *p, int status, const char *want) {
    char out[1100], tmp[1100];
    ck_assert_msg(!p->signaled, "crashed: %s", p->err);
    ck_assert_msg(p->status == status, "status %d, not %d: %s", p->status, status, p->err);
    ck_assert_int_eq(proc_lines(p->err), 1);
    ck_assert_msg(strstr(p->err, want), "stderr '%s' lacks '%s'", p->err, want);
    snprintf(out, sizeof out, "%s/out.mp4", dir);
    snprintf(tmp, sizeof tmp, "%s/out.mp4.tmp", dir);
    ck_assert(!exists(out) && !exists(tmp));
    proc_free(p);
}

/* Two episodes of 30 steps: 60 frames at 100/3 frames/s = 1.8 s of H.264,
 * the summary line on stdout and no carriage returns (not a terminal). */
START_TEST(cli_video) {
    proc_out p = proc_run("%s render %s/examples/swimmer-ncap.yaml -o %s/swim.mp4 --size 160x120 --episodes 2 "
                          "--set run.max_steps=30", exe, src, dir);
    ck_assert_msg(p.status == 0, "%s", p.err);
    ck_assert_msg(strstr(p.out, "swim.mp4: 60 frames of 160x120 at 33.33 frames/s (1.80 s of video)"), "%s", p.out);
    ck_assert_ptr_null(strchr(p.out, '\r'));
    proc_free(&p);
    p = proc_run("ffprobe -v error -count_frames -select_streams v:0 -show_entries "
                 "stream=codec_name,width,height,r_frame_rate,nb_read_frames,duration -of default=nw=1 %s/swim.mp4", dir);
    ck_assert_msg(p.status == 0, "%s", p.err);
    ck_assert_str_eq(field(p.out, "codec_name"), "h264");
    ck_assert_str_eq(field(p.out, "width"), "160");
    ck_assert_str_eq(field(p.out, "height"), "120");
    ck_assert_str_eq(field(p.out, "r_frame_rate"), "100/3");
    ck_assert_str_eq(field(p.out, "nb_read_frames"), "60");
    ck_assert_double_eq_tol(atof(field(p.out, "duration")), 1.8, 1e-3);
    proc_free(&p);
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s/swim.mp4.tmp", dir);
    ck_assert(!exists(tmp));
}
END_TEST

/* Problems found before any work: one line, exit 1 or 2, no file. */
START_TEST(cli_refusals) {
    char body[1300];
    snprintf(body, sizeof body, "%s/fb.yaml", dir);
    FILE *f = fopen(body, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "body:\n  plugin: %s/funcbody.so\n  params: {function: quadratic, dim: 2}\n"
               "circuit:\n  plugin: const\n  params: {init: 0.5}\nwiring:\n  - circuit.out.y -> body.act.x\n", plugdir);
    fclose(f);
    const char *ex = "examples/swimmer-ncap.yaml";
    proc_out p = proc_run("%s render %s -o %s/out.mp4", exe, body, dir);
    expect_refusal(&p, 1, "error: body (funcbody): no rendering support (extension animat.mujoco/1)");
    p = proc_run("%s render %s/%s -o %s/out.mp4 --size 641x480", exe, src, ex, dir);
    expect_refusal(&p, 2, "--size: '641x480' is not a frame size WxH with even W and H");
    p = proc_run("%s render %s/%s -o %s/out.mp4 --size big", exe, src, ex, dir);
    expect_refusal(&p, 2, "--size: 'big' is not a frame size");
    p = proc_run("%s render %s/%s", exe, src, ex);
    expect_refusal(&p, 2, "render needs an output file: -o FILE.mp4");
    p = proc_run("%s render %s/%s -o %s/no/such/dir/out.mp4", exe, src, ex, dir);
    expect_refusal(&p, 1, "error: -o");
    p = proc_run("%s render %s/%s -o %s", exe, src, ex, dir);
    expect_refusal(&p, 2, "give a name ending in .mp4");
    p = proc_run("mkdir -p %s/d.mp4 && %s render %s/%s -o %s/d.mp4", dir, exe, src, ex, dir);
    expect_refusal(&p, 1, "error: -o");
    p = proc_run("%s render %s/%s -o %s/%s", exe, src, ex, src, ex); /* the experiment itself */
    expect_refusal(&p, 2, "give a name ending in .mp4");
    p = proc_run("PATH=/nonexistent %s render %s/%s -o %s/out.mp4", exe, src, ex, dir);
    expect_refusal(&p, 1, "error: render: the ffmpeg program is not on PATH");
}
END_TEST

/* Ctrl-C in the middle of a render: the old file is untouched and no
 * temporary file is left. */
START_TEST(cli_interrupt) {
    char out[1100];
    snprintf(out, sizeof out, "%s/out.mp4", dir);
    FILE *f = fopen(out, "w");
    ck_assert_ptr_nonnull(f);
    fputs("old", f);
    fclose(f);
    proc_out p = proc_run("%s render %s/examples/swimmer-ncap.yaml -o %s --size 160x120 --set run.max_steps=100000 "
                          "--quiet & pid=$!; i=0; while [ ! -s %s.tmp ] && kill -0 $pid && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); "
                          "done; "
                          "sleep 0.5; kill -INT $pid; wait $pid; echo status=$?", exe, src, out, out);
    ck_assert_msg(strstr(p.out, "status=130"), "%s / %s", p.out, p.err); /* died of SIGINT */
    proc_free(&p);
    char *text = proc_slurp(out);
    ck_assert_ptr_nonnull(text);
    ck_assert_str_eq(text, "old");
    free(text);
    char tmp[1200];
    snprintf(tmp, sizeof tmp, "%s.tmp", out);
    ck_assert(!exists(tmp));
    remove(out);
}
END_TEST

/* A fake ffmpeg first on PATH (dir/fake/ffmpeg running `script`), then
 * render 5 frames into dir/out.mp4 (with a symbolic link planted at
 * out.mp4.tmp, which must not be followed). */
static proc_out render_with_fake(const char *script, const char *env) {
    proc_out p = proc_run("mkdir -p %s/fake && printf '#!/bin/sh\\n%s\\n' > %s/fake/ffmpeg && chmod +x %s/fake/ffmpeg && "
                          "echo victim > %s/victim && ln -sf victim %s/out.mp4.tmp", dir, script, dir, dir, dir, dir);
    ck_assert_msg(p.status == 0, "%s", p.err);
    proc_free(&p);
    p = proc_run("PATH=%s/fake:$PATH %s %s render %s/examples/swimmer-ncap.yaml -o %s/out.mp4 --size 160x120 "
                 "--set run.max_steps=5 --quiet", dir, env, exe, src, dir);
    char v[1100];
    snprintf(v, sizeof v, "%s/victim", dir);
    char *text = proc_slurp(v);
    ck_assert_str_eq(text, "victim\n");
    free(text);
    snprintf(v, sizeof v, "%s/out.mp4.tmp", dir);
    remove(v);
    return p;
}

/* ffmpeg that fails, that writes nothing, that stops reading, that never
 * exits: one line, exit 1, no file -- and never a hang. */
START_TEST(cli_ffmpeg_failures) {
    proc_out p = render_with_fake("cat >/dev/null; exit 1", "");
    expect_refusal(&p, 1, "error: render: ffmpeg failed (exit status 1); no video written");
    p = render_with_fake("cat >/dev/null; exit 0", "");
    expect_refusal(&p, 1, "error: render: ffmpeg exited with status 0 but wrote no video");
    p = render_with_fake("cat >/dev/null; printf 0000ftypisom >&3; exit 0", "");
    expect_refusal(&p, 1, "but its output is not a whole MP4 file");
    p = render_with_fake("exec sleep 100", "ANIMAT_FFMPEG_TIMEOUT=1");
    expect_refusal(&p, 1, "error: render: ffmpeg took no frame data for 1 s (at frame 2)");
    p = render_with_fake("cat >/dev/null; exec sleep 100", "ANIMAT_FFMPEG_TIMEOUT=1");
    expect_refusal(&p, 1, "error: render: ffmpeg did not finish within 1 s after the last frame");
}
END_TEST

/* A disk that fills up under ffmpeg (`ulimit -f`, SIGXFSZ ignored: its
 * writes fail with EFBIG): exit 1, no file. */
START_TEST(cli_disk_full) {
    proc_out p = proc_run("sh -c \"trap '' XFSZ; ulimit -f 10; exec %s render %s/examples/swimmer-ncap.yaml -o %s/out.mp4 "
                          "--size 160x120 --set run.max_steps=100 --quiet\"", exe, src, dir);
    ck_assert_msg(!p.signaled && p.status == 1, "status %d: %s", p.status, p.err);
    ck_assert_int_eq(proc_lines(p.err), 1);
    ck_assert_msg(strstr(p.err, "error: render: ") && strstr(p.err, "no video written"), "%s", p.err);
    char out[1100];
    snprintf(out, sizeof out, "%s/out.mp4", dir);
    ck_assert(!exists(out));
    proc_free(&p);
}
END_TEST

int main(void) {
    exe = getenv("ANIMAT_EXE");
    src = getenv("ANIMAT_SRC");
    plugdir = getenv("PLUGIN_DIR");
    if (!exe || !src || !plugdir) {
        fprintf(stderr, "ANIMAT_EXE, ANIMAT_SRC and PLUGIN_DIR must be set\n");
        return 1;
    }
    dir = proc_tmpdir();
    Suite *s = suite_create("view");
    TCase *tc = tcase_create("render");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, frames_fixed_camera);
    tcase_add_test(tc, frames_tracking_camera);
    tcase_add_test(tc, frames_centred);
    tcase_add_test(tc, floor_covers_the_view);
    tcase_add_test(tc, overlay_text);
    tcase_add_test(tc, frames_side_by_side);
    tcase_add_test(tc, cli_video);
    tcase_add_test(tc, cli_refusals);
    tcase_add_test(tc, cli_interrupt);
    tcase_add_test(tc, cli_ffmpeg_failures);
    tcase_add_test(tc, cli_disk_full);
    suite_add_tcase(s, tc);
    return ck_run(s);
}
