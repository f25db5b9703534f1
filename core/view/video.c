/* video.c -- see video.h. */
#include "view/video.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* SIGPIPE's disposition while a video is open (ffmpeg dying must become an
 * error message, not a silent death that leaves PATH.tmp behind). */
static struct sigaction view_old_pipe;

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
    v->pid = pid;
    v->fd = p[1];
    struct sigaction ign;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ign, &view_old_pipe);
    return 0;
}

/* Wait for ffmpeg; "" when it exited with status 0, else why, into buf. */
static const char *view_reap(view_video *v, char *buf, size_t cap) {
    int st = 0;
    pid_t r;
    do r = waitpid(v->pid, &st, 0);
    while (r < 0 && errno == EINTR);
    v->pid = 0;
    buf[0] = '\0';
    if (r < 0) snprintf(buf, cap, "cannot wait for ffmpeg: %s", strerror(errno));
    else if (WIFSIGNALED(st)) snprintf(buf, cap, "ffmpeg was killed by signal %d", WTERMSIG(st));
    else if (WEXITSTATUS(st) == 127) snprintf(buf, cap, "ffmpeg could not be started");
    else if (WEXITSTATUS(st)) snprintf(buf, cap, "ffmpeg failed (exit status %d)", WEXITSTATUS(st));
    return buf;
}

int view_video_write(view_video *v, const uint8_t *rgb, errmsg *e) {
    size_t done = 0;
    while (done < v->frame_bytes) {
        ssize_t k = write(v->fd, rgb + done, v->frame_bytes - done);
        if (k < 0 && errno == EINTR) continue;
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

int view_video_commit(view_video *v, errmsg *e) {
    char why[200];
    close(v->fd);
    v->fd = -1;
    if (view_reap(v, why, sizeof why)[0]) {
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
