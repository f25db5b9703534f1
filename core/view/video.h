/* video.h -- H.264 MP4 files from RGB frames, through the `ffmpeg` program.
 *
 * view_video_open checks that ffmpeg is on PATH, creates PATH.tmp with
 * core/base/atomicfile (guarded: SIGINT/SIGTERM remove it) and starts
 *   ffmpeg -f rawvideo -pix_fmt rgb24 -s WxH -framerate FPS -i pipe:0
 *          -c:v libx264 -pix_fmt yuv420p -f mp4 /proc/self/fd/3
 * with the temporary file's descriptor as its fd 3, so ffmpeg writes into
 * exactly the file animat created (never a new PATH.tmp after an
 * interrupt removed it). Frames go down a pipe to its standard input.
 * view_video_commit closes the pipe, waits for ffmpeg and renames PATH.tmp
 * over PATH only when ffmpeg exited with status 0 and the file is a whole
 * MP4 (top-level boxes tile it exactly, ftyp first, moov present);
 * view_video_abort kills ffmpeg and removes PATH.tmp. PATH is never
 * half-written. An ffmpeg that takes no frame data, or does not exit after
 * the last frame, for ANIMAT_FFMPEG_TIMEOUT seconds (default 60) is
 * killed and the video refused: render never blocks without a limit.
 *
 * Lifecycle: open -> write* -> commit | abort. Thread: the main thread
 * (atomicfile guards up to 4 files per process).
 */
#ifndef VIEW_VIDEO_H
#define VIEW_VIDEO_H

#include <stdint.h>
#include <sys/types.h>

#include "base/atomicfile.h"
#include "base/errmsg.h"

typedef struct view_video {
    atomicfile file;  /* PATH.tmp; owned until commit/abort */
    pid_t pid;        /* ffmpeg, or 0 */
    int fd;           /* the pipe to its stdin, or -1 */
    size_t frame_bytes;
    uint64_t frames;  /* written so far */
} view_video;

/* Is the `ffmpeg` program on PATH? 0, or -1 with e set to one line. */
int view_video_check(errmsg *e);

/* Start encoding w x h frames at `fps` frames per second into `path`
 * (checked beforehand with atomicfile_check). 0, or -1 with e set and
 * nothing left behind. */
int view_video_open(view_video *v, const char *path, int w, int h, double fps, errmsg *e);

/* Send one frame (w * h * 3 bytes, RGB, top row first). 0, or -1 with e
 * set (ffmpeg died). No allocation. */
int view_video_write(view_video *v, const uint8_t *rgb, errmsg *e);

/* Finish: close the pipe, wait for ffmpeg, rename PATH.tmp over PATH.
 * Frees *v either way. 0, or -1 with e set (PATH.tmp removed). */
int view_video_commit(view_video *v, errmsg *e);

/* Kill ffmpeg, remove PATH.tmp (zeroed/closed-safe). */
void view_video_abort(view_video *v);

#endif
