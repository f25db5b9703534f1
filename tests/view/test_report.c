/* test_report.c -- `animat report` end to end (suite view): the page loads
 * in headless chromium without console errors, has every figure, embeds a
 * video that plays, escapes the experiment text, looks like something in a
 * screenshot, and bad input is refused with one line before any work. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cairo.h>

#include "ck_run.h"
#include "h5fixture.h"
#include "pngstat.h"
#include "proc.h"

static const char *exe, *src, *wrap;
static char dir[64];

#define CHROMIUM "chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --mute-audio"

/* Experiment text that would run a script if it were not escaped. */
#define EVIL "name: evil\n# </pre><script>document.title='pwned'</script><img src=x onerror=\"alert(1)\">\n"

/* The script the test puts first into a copy of the page: records script
 * errors and the video's fate into attributes of <html>. */
#define PROBE                                                                                                   \
    "<script>var H=document.documentElement;"                                                                  \
    "window.addEventListener('error',function(e){H.setAttribute('data-errors',(H.getAttribute('data-errors')||'')" \
    "+'|'+(e.message||(e.target&&e.target.tagName)));},true);"                                                 \
    "document.addEventListener('DOMContentLoaded',function(){var v=document.querySelector('video');if(!v)return;" \
    "v.addEventListener('loadeddata',function(){H.setAttribute('data-video','ok '+v.videoWidth);});"           \
    "v.addEventListener('error',function(){H.setAttribute('data-video','error');});v.load();});</script>"

/* Run `animat report ARGS`. */
static proc_out report(const char *args) {
    return proc_run("%s %s report %s", wrap, exe, args);
}

/* Make report NAME.html from fixture FILE (extra args), asserting success. */
static void make_report(const char *file, const char *name, const char *extra) {
    char args[1024];
    snprintf(args, sizeof args, "%s/%s -o %s/%s.html %s", dir, file, dir, name, extra);
    proc_out p = report(args);
    ck_assert_msg(p.status == 0, "report %s: %s", args, p.err);
    ck_assert_str_eq(p.err, ""); /* not a TTY: no progress line */
    proc_free(&p);
}

/* Load NAME.html (with the probe) in chromium; returns the DOM after load
 * (caller frees) and asserts no console message was logged. */
static char *load_dom(const char *name) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s.html", dir, name);
    char *html = proc_slurp(path);
    ck_assert_ptr_nonnull(html);
    char *head = strstr(html, "<head>");
    ck_assert_ptr_nonnull(head);
    snprintf(path, sizeof path, "%s/%s.probe.html", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "%.*s<head>%s%s", (int)(head - html), html, PROBE, head + 6);
    fclose(f);
    free(html);
    proc_out p = proc_run("timeout 60 " CHROMIUM " --enable-logging=stderr --v=0 --virtual-time-budget=5000 --dump-dom "
                 "file://%s/%s.probe.html",
                 dir, name);
    ck_assert_msg(p.status == 0, "chromium failed (%d): %s", p.status, p.err);
    ck_assert_msg(!strstr(p.err, "CONSOLE"), "console messages: %s", p.err);
    char *dom = p.out;
    p.out = NULL;
    proc_free(&p);
    ck_assert_ptr_nonnull(strstr(dom, "</html>"));
    ck_assert_msg(!strstr(dom, "data-errors=\""), "errors in the page: %.300s", strstr(dom, "data-errors=\""));
    return dom;
}

/* The text of figure ID in dom up to its </figure> (static storage). */
static const char *figure(const char *dom, const char *id) {
    static char buf[256];
    char key[64];
    snprintf(key, sizeof key, "<figure id=\"%s\"", id);
    const char *p = strstr(dom, key);
    ck_assert_msg(p != NULL, "no figure %s", id);
    const char *end = strstr(p, "</figure>");
    ck_assert_ptr_nonnull(end);
    /* "svg" if an inline SVG with drawing in it, else the start of the text */
    const char *svg = strstr(p, "<svg");
    if (svg && svg < end && strstr(svg, "<path")) return "svg";
    snprintf(buf, sizeof buf, "%.*s", (int)(end - p < 255 ? end - p : 255), p);
    return buf;
}

START_TEST(train_report_has_every_figure_it_can) {
    make_report("train.h5", "train", "");
    char *dom = load_dom("train");
    ck_assert_str_eq(figure(dom, "fig-curve"), "svg");
    ck_assert_str_eq(figure(dom, "fig-kymograph"), "svg");
    ck_assert_str_eq(figure(dom, "fig-activity"), "svg");
    ck_assert_str_eq(figure(dom, "fig-trajectory"), "svg");
    ck_assert_ptr_nonnull(strstr(dom, "ncap 1.1.0 def456"));                 /* provenance */
    ck_assert_ptr_nonnull(strstr(dom, "<th>seed</th><td>18446744073709551557</td>"));
    ck_assert_ptr_nonnull(strstr(dom, "<th>signals recorded</th><td>body.obs.joints, body.obs.position, "
                                      "circuit.units</td>"));
    ck_assert_ptr_nonnull(strstr(dom, "<th>epochs × candidates</th>"));      /* summary */
    ck_assert_ptr_nonnull(strstr(dom, "<th>return: mean</th><td class=\"num\">10.500</td>")); /* of 10 and 11 */
    ck_assert_ptr_nonnull(strstr(dom, "<th>return: max</th><td class=\"num\">11.000</td>"));
    ck_assert_ptr_nonnull(strstr(dom, "<th>control steps (all episodes)</th><td class=\"num\">600</td>"));
    /* nothing loaded from elsewhere (xmlns="http://www.w3.org/..." names, loads nothing) */
    const char *external[] = {"src=\"http", "href=\"http", "url(http", "@import", "src=\"//", "href=\"//"};
    for (int i = 0; i < 6; i++) ck_assert_msg(!strstr(dom, external[i]), "external reference %s", external[i]);
    free(dom);
}
END_TEST

START_TEST(run_report_says_what_is_missing) {
    make_report("run.h5", "run", "--quiet");
    char *dom = load_dom("run");
    /* a run has no learning curve: no section for it, not a red box */
    ck_assert_msg(!strstr(dom, "fig-curve") && !strstr(dom, "Learning curve") && !strstr(dom, "No curve"), "%s",
                  strstr(dom, "curve"));
    ck_assert_ptr_null(strstr(dom, "id=\"parameters\""));
    const char *f = figure(dom, "fig-trajectory");
    ck_assert_msg(strstr(f, "class=\"missing\"") && strstr(f, "NAME.obs.position"), "%s", f);
    ck_assert_str_eq(figure(dom, "fig-kymograph"), "svg");
    ck_assert_str_eq(figure(dom, "fig-activity"), "svg");
    free(dom);
}
END_TEST

START_TEST(real_recording_report) {
    /* a recording of the NCAP swimmer made by animat run --record */
    proc_out p = proc_run("cd %s && %s %s run examples/swimmer-ncap.yaml --episodes 2 --set run.max_steps=300 "
                          "--record %s/real.h5 --quiet",
                          src, wrap, exe, dir);
    ck_assert_msg(p.status == 0, "run --record: %s", p.err);
    proc_free(&p);
    make_report("real.h5", "real", "");
    char *dom = load_dom("real");
    ck_assert_str_eq(figure(dom, "fig-kymograph"), "svg");
    ck_assert_str_eq(figure(dom, "fig-activity"), "svg");
    ck_assert_str_eq(figure(dom, "fig-trajectory"), "svg");
    ck_assert_ptr_null(strstr(dom, "fig-curve"));
    ck_assert_ptr_nonnull(strstr(dom, "<th>episodes</th><td class=\"num\">2</td>"));
    ck_assert_ptr_nonnull(strstr(dom, "<th>control steps (all episodes)</th><td class=\"num\">600</td>"));
    ck_assert_ptr_nonnull(strstr(dom, "circuit ncap "));
    ck_assert_ptr_nonnull(strstr(dom, "name: swimmer-ncap"));
    free(dom);
}
END_TEST

START_TEST(experiment_text_is_escaped) {
    make_report("evil.h5", "evil", "");
    char *html = NULL;
    char path[256];
    snprintf(path, sizeof path, "%s/evil.html", dir);
    html = proc_slurp(path);
    ck_assert_ptr_null(strstr(html, "<script>document.title"));
    ck_assert_ptr_nonnull(strstr(html, "&lt;/pre&gt;&lt;script&gt;document.title=&#39;pwned&#39;"));
    free(html);
    char *dom = load_dom("evil");
    ck_assert_ptr_null(strstr(dom, "<title>pwned"));
    ck_assert_ptr_nonnull(strstr(dom, "&lt;img src=x onerror="));
    free(dom);
}
END_TEST

START_TEST(screenshot_is_not_blank) {
    make_report("train.h5", "shot", "");
    proc_out p = proc_run("timeout 60 " CHROMIUM " --screenshot=%s/shot.png --window-size=1000,2400 "
                          "file://%s/shot.html",
                          dir, dir);
    ck_assert_msg(p.status == 0, "chromium: %s", p.err);
    proc_free(&p);
    char path[256];
    snprintf(path, sizeof path, "%s/shot.png", dir);
    int w, h;
    double var = png_variance(path, &w, &h);
    ck_assert_int_eq(w, 1000);
    ck_assert_int_eq(h, 2400);
    ck_assert_msg(var > 200, "screenshot grey variance %.1f: blank?", var);
}
END_TEST

START_TEST(video_is_embedded_and_plays) {
    proc_out p = proc_run("ffmpeg -loglevel error -y -f lavfi -i testsrc=duration=1:size=96x64:rate=10 -c:v libvpx "
                          "%s/swim.webm",
                          dir);
    ck_assert_msg(p.status == 0, "ffmpeg: %s", p.err);
    proc_free(&p);
    char extra[256];
    snprintf(extra, sizeof extra, "--video %s/swim.webm", dir);
    make_report("run.h5", "video", extra);
    /* the data: URI decodes to the very bytes of the file */
    p = proc_run("python3 -c \"import re,base64,sys; h=open('%s/video.html').read(); "
                 "m=re.search(r'src=\\\"data:video/webm;base64,([A-Za-z0-9+/=]+)\\\"', h); "
                 "sys.exit(0 if m and base64.b64decode(m.group(1))==open('%s/swim.webm','rb').read() else 1)\"",
                 dir, dir);
    ck_assert_msg(p.status == 0, "video not embedded intact: %s", p.err);
    proc_free(&p);
    char *dom = load_dom("video");
    ck_assert_msg(strstr(dom, "data-video=\"ok 96\""), "video did not load: %.200s", dom);
    free(dom);
    /* an H.264 MP4 filmed by animat render (30 frames) plays embedded too */
    p = proc_run("cd %s && %s %s render examples/swimmer-ncap.yaml --set run.max_steps=30 --size 160x120 "
                 "-o %s/swim.mp4 --quiet",
                 src, wrap, exe, dir);
    ck_assert_msg(p.status == 0, "render: %s", p.err);
    proc_free(&p);
    snprintf(extra, sizeof extra, "--video %s/swim.mp4", dir);
    make_report("run.h5", "mp4", extra);
    dom = load_dom("mp4");
    ck_assert_msg(strstr(dom, "data-video=\"ok 160\""), "mp4 did not load: %.200s", dom);
    free(dom);
}
END_TEST

START_TEST(progress_line_only_on_a_tty) {
    proc_out p = proc_run("script -qec '%s %s report %s/run.h5 -o %s/tty.html' /dev/null", wrap, exe, dir, dir);
    ck_assert_int_eq(p.status, 0);
    ck_assert_msg(strstr(p.out, "\rreport: 1/6 parts (17%)  elapsed "), "no progress on a TTY: %s", p.out);
    proc_free(&p);
    p = proc_run("script -qec '%s %s report %s/run.h5 -o %s/tty.html --quiet' /dev/null", wrap, exe, dir, dir);
    ck_assert_int_eq(p.status, 0);
    ck_assert_ptr_null(strstr(p.out, "report:"));
    proc_free(&p);
}
END_TEST

/* Expect `animat report ARGS` to fail with one line containing needle,
 * writing nothing at out. */
static void refused(const char *args, const char *needle, const char *out) {
    proc_out p = report(args);
    ck_assert_msg(p.status != 0 && !p.signaled, "accepted or crashed: %s", args);
    ck_assert_msg(proc_lines(p.err) == 1, "not one line: %s", p.err);
    ck_assert_msg(strstr(p.err, needle), "%s: '%s' lacks '%s'", args, p.err, needle);
    struct stat st;
    if (out) ck_assert_msg(stat(out, &st) != 0, "%s was written", out);
    proc_free(&p);
}

START_TEST(bad_input_is_refused_up_front) {
    char args[1024], out[256];
    snprintf(out, sizeof out, "%s/never.html", dir);
    snprintf(args, sizeof args, "%s/text.h5 -o %s", dir, out);
    refused(args, "not an HDF5 file", out);
    snprintf(args, sizeof args, "%s/other.h5 -o %s", dir, out);
    refused(args, "is not animat-recording/1", out);
    snprintf(args, sizeof args, "%s/run.h5 -o %s/no/such/r.html", dir, dir);
    refused(args, "-o", NULL);
    snprintf(args, sizeof args, "%s/run.h5 -o %s/run.h5", dir, dir);
    refused(args, "-o", NULL);
    snprintf(args, sizeof args, "%s/run.h5 -o %s/exp.yaml", dir, dir);
    refused(args, "a report is an HTML page", NULL);
    snprintf(args, sizeof args, "%s/run.h5 -o %s --video %s/none.mp4", dir, out, dir);
    refused(args, "none.mp4: no such file", out);
    snprintf(args, sizeof args, "%s/run.h5 -o %s --video %s/run.h5", dir, out, dir);
    refused(args, "unknown video type", out);
    snprintf(args, sizeof args, "%s/run.h5", dir);
    proc_out p = report(args);
    ck_assert_int_eq(p.status, 2); /* usage: no -o */
    proc_free(&p);
}
END_TEST

/* Write the fixtures every test reads. */
static void fixtures(void) {
    char p[256];
    fixture run = {.kind = "run", .episodes = 2, .T = 300, .n = 5, .direction = 1, .units = 1};
    fixture train = run, evil = run, other = run;
    train.kind = "train", train.episodes = 2, train.position = 1, train.epochs = 12, train.cands = 6;
    evil.experiment = EVIL;
    other.format = "something-else/1";
    const struct { const char *name; const fixture *f; } all[] = {
        {"run.h5", &run}, {"train.h5", &train}, {"evil.h5", &evil}, {"other.h5", &other}};
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, all[i].name);
        if (fixture_write(p, all[i].f)) fprintf(stderr, "cannot write %s\n", p), exit(1);
    }
    proc_write(dir, "text.h5", "this is not HDF5\n");
}

/* A real train recording: the parameters before and after side by side, the
 * held-out evaluation episodes labelled as such, and which episodes a video shows. */
START_TEST(train_report_shows_learned_parameters) {
    proc_out p = proc_run("cd %s && %s %s train %s/examples/swimmer-ncap-es.yaml --epochs 2 --set run.max_steps=100 "
                          "--set train.eval.episodes=3 --set train.output=es.params.yaml --set train.curve=es.csv "
                          "--set train.checkpoint=es.ckpt --record realtrain.h5 --quiet && cat es.params.yaml",
                          dir, wrap, exe, src);
    ck_assert_msg(p.status == 0, "train --record: %s", p.err);
    /* the learned w_prop as the parameter file has it */
    const char *th = strstr(p.out, "\ntheta: [");
    ck_assert_ptr_nonnull(th);
    char learned[64];
    snprintf(learned, sizeof learned, "%.*s", (int)strcspn(th + 9, ","), th + 9);
    proc_free(&p);
    make_report("realtrain.h5", "realtrain", "");
    char *html = NULL;
    char path[1024];
    snprintf(path, sizeof path, "%s/realtrain.html", dir);
    html = proc_slurp(path);
    ck_assert_ptr_nonnull(html);
    const char *t = strstr(html, "<table id=\"parameters\">");
    ck_assert_msg(t != NULL, "no parameters table");
    ck_assert_ptr_nonnull(strstr(t, "<tr><th>name</th><th>initial</th><th>learned</th></tr>"));
    const char *row = strstr(t, "<tr><td>circuit.w_prop</td><td class=\"num\">");
    ck_assert_ptr_nonnull(row);
    char want[128];
    snprintf(want, sizeof want, "</td><td class=\"num\">%s</td></tr>", learned);
    ck_assert_msg(strstr(row, want) && strstr(row, want) < strstr(row, "circuit.w_osc"), "learned %s not in %.200s",
                  learned, row);
    ck_assert_ptr_nonnull(strstr(html, "<th>held-out evaluation episodes</th><td class=\"num\">3</td>"));
    ck_assert_ptr_nonnull(strstr(html, "<th>held-out return: mean</th>"));
    free(html);
}
END_TEST

int main(void) {
    exe = getenv("ANIMAT_EXE");
    src = getenv("ANIMAT_SRC");
    wrap = getenv("ANIMAT_WRAP") ? getenv("ANIMAT_WRAP") : "";
    const char *d = proc_tmpdir();
    if (!exe || !src || !d) return 1;
    snprintf(dir, sizeof dir, "%s", d);
    fixtures();
    Suite *s = suite_create("report");
    TCase *t = tcase_create("report");
    tcase_set_timeout(t, 120); /* chromium starts in 2-3 s, more on a loaded machine */
    tcase_add_test(t, train_report_has_every_figure_it_can);
    tcase_add_test(t, run_report_says_what_is_missing);
    tcase_add_test(t, train_report_shows_learned_parameters);
    tcase_add_test(t, real_recording_report);
    tcase_add_test(t, experiment_text_is_escaped);
    tcase_add_test(t, screenshot_is_not_blank);
    tcase_add_test(t, video_is_embedded_and_plays);
    tcase_add_test(t, progress_line_only_on_a_tty);
    tcase_add_test(t, bad_input_is_refused_up_front);
    suite_add_tcase(s, t);
    int rc = ck_run(s);
    proc_out rm = proc_run("rm -rf %s", dir);
    proc_free(&rm);
    return rc;
}
