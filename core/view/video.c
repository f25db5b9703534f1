/* video.c -- see video.h. */
#include "view/video.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* SIGPIPE's disposition while a video is open (ffmpeg dying must become an
 * error message, not a silent death that leaves PATH.tmp behind). */
static struct sigaction view_old_pipe;

/* How long ffmpeg may take no frame data, or take to finish after the last
 * frame, before render stops it: ANIMAT_FFMPEG_TIMEOUT seconds (1 to
 * 86400), default 60. */
static int view_timeout_s(void) {
    const char *t = getenv("ANIMAT_FFMPEG_TIMEOUT");
    long v = t ? strtol(t, NULL, 10) : 0;
    return v >= 1 && v <= 86400 ? (int)v : 60;
}

static double view_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int view_video_check(errmsg *e) {
    const char *path = getenv("PATH");
    char buf[4200];
    for (const char *p = path ? path : ""; *p;) {
        size_t len = strcspn(p, ":");
        if (len > 0 && len < sizeof buf - 8) {
            snprintf(buf, sizeof buf, "%.*s/ffmpeg", (int)len, p);
            if (access(buf, X_OK) == 0) return 0;
        }
        p += len + (p[len] == ':');
    }
    return errmsg_set(e, "render: the ffmpeg program is not on PATH (videos are encoded by it; Debian package ffmpeg)");
}

/* The frame rate as an exact rational "N/D" when dt is a whole number of
 * microseconds (0.03 s -> 1000000/30000), else dt's reciprocal. */
static void view_fps_text(double fps, char *buf, size_t cap) {
    double us = 1e6 / fps;
    if (fabs(us - round(us)) < 1e-6 && us >= 1) snprintf(buf, cap, "1000000/%.0f", round(us));
    else snprintf(buf, cap, "%.17g", fps);
}

/* In the child: stdin from the pipe, fd 3 = PATH.tmp, stdout/stderr to
 * /dev/null, then exec ffmpeg. Never returns. */
static void view_exec_ffmpeg(int in, int out, int w, int h, double fps) {
    char size[64], rate[64];
    snprintf(size, sizeof size, "%dx%d", w, h);
    view_fps_text(fps, rate, sizeof rate);
    int null = open("/dev/null", O_WRONLY);
    if (dup2(in, 0) < 0 || dup2(out, 3) < 0 || null < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0) _exit(127);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    char *argv[] = {"ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo",
                    "-pix_fmt", "rgb24", "-s", size, "-framerate", rate, "-i", "pipe:0", "-c:v", "libx264",
                    "-preset", "veryfast", "-pix_fmt", "yuv420p", "-f", "mp4", "/proc/self/fd/3", NULL};
    execvp("ffmpeg", argv);
    _exit(127);
}

int view_video_open(view_video *v, const char *path, int w, int h, double fps, errmsg *e) {
    memset(v, 0, sizeof *v);
    v->fd = -1;
    v->frame_bytes = (size_t)w * (size_t)h * 3;
    if (!(fps > 0 && isfinite(fps))) return errmsg_set(e, "render: frame rate %g is not positive", fps);
    if (atomicfile_open(&v->file, path, e)) return -1;
    atomicfile_guard(&v->file);
    int p[2];
    if (pipe(p) != 0) {
        view_video_abort(v);
        return errmsg_set(e, "render: cannot create a pipe: %s", strerror(errno));
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[1]);
        view_exec_ffmpeg(p[0], fileno(v->file.f), w, h, fps);
    }
    close(p[0]);
    if (pid < 0) {
        close(p[1]);
        view_video_abort(v);
        return errmsg_set(e, "render: cannot start ffmpeg: %s", strerror(errno));
    }
    fcntl(p[1], F_SETFD, FD_CLOEXEC);
    fcntl(p[1], F_SETFL, O_NONBLOCK); /* writes wait in poll, with a limit */
    v->pid = pid;
    v->fd = p[1];
    struct sigaction ign;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ign, &view_old_pipe);
    return 0;
}

/* Wait for ffmpeg, at most the timeout (then it is killed); "" when it
 * exited with status 0, else why, into buf. */
static const char *view_reap(view_video *v, char *buf, size_t cap) {
    int st = 0, limit = view_timeout_s(), killed = 0;
    double end = view_now() + limit;
    pid_t r;
    for (;;) {
        r = waitpid(v->pid, &st, killed ? 0 : WNOHANG);
        if (r != 0 && !(r < 0 && errno == EINTR)) break;
        if (r == 0 && view_now() > end) {
            kill(v->pid, SIGKILL);
            killed = 1;
        } else if (r == 0) {
            struct timespec ts = {0, 10000000};
            nanosleep(&ts, NULL);
        }
    }
    v->pid = 0;
    buf[0] = '\0';
    if (r < 0) snprintf(buf, cap, "cannot wait for ffmpeg: %s", strerror(errno));
    else if (killed) snprintf(buf, cap, "ffmpeg did not finish within %d s after the last frame; stopped it", limit);
    else if (WIFSIGNALED(st)) snprintf(buf, cap, "ffmpeg was killed by signal %d", WTERMSIG(st));
    else if (WEXITSTATUS(st) == 127) snprintf(buf, cap, "ffmpeg could not be started");
    else if (WEXITSTATUS(st)) snprintf(buf, cap, "ffmpeg failed (exit status %d)", WEXITSTATUS(st));
    return buf;
}

/* Wait until the pipe takes data again, at most the timeout. 0, or -1 (it
 * did not: ffmpeg stopped reading). */
static int view_wait_writable(int fd) {
    int limit = view_timeout_s();
    double end = view_now() + limit;
    for (;;) {
        double left = end - view_now();
        if (left <= 0) return -1;
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        int k = poll(&p, 1, (int)(left * 1000) + 1);
        if (k > 0) return 0;
        if (k < 0 && errno != EINTR) return -1;
    }
}

int view_video_write(view_video *v, const uint8_t *rgb, errmsg *e) {
    size_t done = 0;
    while (done < v->frame_bytes) {
        ssize_t k = write(v->fd, rgb + done, v->frame_bytes - done);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0 && errno == EAGAIN && view_wait_writable(v->fd) == 0) continue;
        if (k < 0 && errno == EAGAIN) {
            int limit = view_timeout_s();
            view_video_abort(v);
            return errmsg_set(e, "render: ffmpeg took no frame data for %d s (at frame %llu); stopped it, no video "
                              "written (ANIMAT_FFMPEG_TIMEOUT sets the limit)", limit, (unsigned long long)v->frames + 1);
        }
        if (k <= 0) {
            char why[200];
            close(v->fd);
            v->fd = -1;
            view_reap(v, why, sizeof why);
            return errmsg_set(e, "render: ffmpeg stopped taking frames at frame %llu: %s",
                              (unsigned long long)v->frames + 1, why[0] ? why : "it exited");
        }
        done += (size_t)k;
    }
    v->frames++;
    return 0;
}

/* Big-endian 32/64-bit values of an MP4 box header. */
static uint64_t view_be(const uint8_t *b, int n) {
    uint64_t x = 0;
    for (int i = 0; i < n; i++) x = x << 8 | b[i];
    return x;
}

/* Is the file that ffmpeg wrote a whole MP4? Its top-level boxes must
 * tile the file exactly, start with ftyp and include moov (the index
 * ffmpeg writes last: a file cut short by a full disk lacks it or ends
 * inside a box). 0, or -1 with why in buf. */
static int view_check_mp4(int fd, char *buf, size_t cap) {
    struct stat st;
    if (fstat(fd, &st) || st.st_size == 0) {
        snprintf(buf, cap, "ffmpeg exited with status 0 but wrote no video (an empty file)");
        return -1;
    }
    uint64_t off = 0, size = (uint64_t)st.st_size;
    int moov = 0, boxes = 0;
    while (off < size) {
        uint8_t h[16];
        if (size - off < 8 || pread(fd, h, 8, (off_t)off) != 8) break;
        uint64_t len = view_be(h, 4);
        if (len == 1 && (size - off < 16 || pread(fd, h + 8, 8, (off_t)off + 8) != 8)) break;
        if (len == 1) len = view_be(h + 8, 8);
        else if (len == 0) len = size - off;
        if (len < 8 || len > size - off || (boxes == 0 && memcmp(h + 4, "ftyp", 4))) break;
        moov |= !memcmp(h + 4, "moov", 4);
        off += len;
        boxes++;
    }
    if (off == size && moov) return 0;
    snprintf(buf, cap, "ffmpeg exited with status 0 but its output is not a whole MP4 file (%llu bytes%s; disk full?)",
             (unsigned long long)size, off == size ? ", no moov index" : ", cut inside a box");
    return -1;
}

int view_video_commit(view_video *v, errmsg *e) {
    char why[200];
    close(v->fd);
    v->fd = -1;
    if (view_reap(v, why, sizeof why)[0] || view_check_mp4(fileno(v->file.f), why, sizeof why)) {
        view_video_abort(v);
        return errmsg_set(e, "render: %s; no video written", why);
    }
    atomicfile_unguard(&v->file);
    sigaction(SIGPIPE, &view_old_pipe, NULL);
    return atomicfile_commit(&v->file, e);
}

void view_video_abort(view_video *v) {
    if (v->fd >= 0) close(v->fd);
    v->fd = -1;
    if (v->pid > 0) {
        kill(v->pid, SIGKILL);
        while (waitpid(v->pid, NULL, 0) < 0 && errno == EINTR) {}
        v->pid = 0;
    }
    if (v->file.f) {
        atomicfile_unguard(&v->file);
        sigaction(SIGPIPE, &view_old_pipe, NULL);
    }
    atomicfile_abort(&v->file);
}
