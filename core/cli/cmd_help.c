/* cmd_help.c -- see cmd_help.h. One usage text per command; the summary of
 * every command is `animat --help` (main.c). */
#include "cli/cmd_help.h"

#include <string.h>

#include "cli/cmd_eval.h"
#include "cli/cmd_sweep.h"

#define RUN_OPTS                                                                                                  \
    "  --set KEY=VALUE    override a value of the file before validation (repeatable);\n"                       \
    "                     KEY is a dotted path, list items by index from 0:\n"                                   \
    "                     --set body.params.n_bodies=9  --set interventions[0].from=0\n"                         \
    "                     --set 'wiring[1]=ncap.out.muscles -> body.act.motors'\n"                               \
    "  --episodes N       same as --set run.episodes=N\n"                                                        \
    "  --seed N           same as --set run.seed=N\n"                                                            \
    "  --theta FILE       start from the parameters in FILE (same as --set theta_file=FILE)\n"                   \
    "  --plugin FILE      load this plugin .so before resolving names (repeatable)\n"

typedef struct help_entry {
    const char *command, *text;
} help_entry;

static const help_entry help_entries[] = {
    {"run", "usage: animat run FILE [OPTIONS]\n"
            "\n"
            "Run the experiment's episodes: one line per episode (return, steps, mean of metric\n"
            "ports) and a summary line.\n"
            "\n"
            "options:\n" RUN_OPTS
            "  --trace FILE       write a per-step CSV trace to FILE (overrides record.trace)\n"
            "  --record FILE.h5   write an HDF5 recording that animat rerun can repeat\n"
            "  --state-at K --state-out S.state\n"
            "                     with --episodes 1: also save the whole experiment's state after\n"
            "                     control step K (the run goes on to the episode's end)\n"
            "  --state-in S.state continue the saved episode from its step, bit for bit as the\n"
            "                     uninterrupted run (docs/state.md)\n"
            "  --quiet            print only the summary line\n"},
    {"check", "usage: animat check FILE [OPTIONS]\n"
              "\n"
              "Load and validate the experiment (plugins, parameters, wiring, slices, port sizes)\n"
              "without running it; list inputs that nothing feeds (they read zeros) and, for\n"
              "circuit outputs with named elements, where each element lands (\"map:\" lines).\n"
              "\n"
              "options:\n" RUN_OPTS},
    {"train", "usage: animat train FILE [OPTIONS]\n"
              "\n"
              "Learn the circuits' parameters with the learner block: one line per epoch\n"
              "(episodes, steps, best and mean return, elapsed, ETA); on a terminal a progress\n"
              "line with ETA inside each epoch (on a pipe, a plain line at least every 10 s).\n"
              "Writes train.output, train.curve and train.checkpoint; Ctrl-C stops after a\n"
              "checkpoint (exit 130). Under mpirun, candidates are spread over the ranks (as\n"
              "root, Open MPI needs mpirun --allow-run-as-root).\n"
              "\n"
              "options:\n" RUN_OPTS
              "  --epochs N         same as --set train.epochs=N\n"
              "  --threads N        evaluation threads (overrides train.threads)\n"
              "  --resume           continue from train.checkpoint exactly where it stopped\n"
              "  --record FILE.h5   learner statistics per epoch, then one episode of the result\n"
              "  --quiet            no per-epoch lines and no progress\n"},
    {"rerun", "usage: animat rerun FILE.h5 [--plugin FILE]... [--allow-plugin-paths] [--quiet]\n"
              "\n"
              "Repeat the run stored in a recording from the file alone and say whether every\n"
              "recorded value came out bit-identical (exit 0) or where it first differs (exit 1).\n"
              "A recording is data: none of the stored experiment's outputs is written, plugins\n"
              "are found by name and must hash as recorded. Progress with ETA on a terminal, a\n"
              "plain line at least every 10 s on a pipe.\n"
              "\n"
              "options:\n"
              "  --plugin FILE      load this plugin .so too (repeatable)\n"
              "  --allow-plugin-paths\n"
              "                     load plugin files the recording names by path, or whose\n"
              "                     hash differs from the recorded one (they run code)\n"
              "  --quiet            print only the verdict\n"},
    {"render", "usage: animat render FILE -o OUT.mp4 [OPTIONS]\n"
               "\n"
               "Run episodes like run (default 1) and film every body (MuJoCo bodies with the\n"
               "animat.mujoco/1 extension, side by side) off-screen into an H.264 MP4, one frame\n"
               "per control step; the camera follows each body. Needs OSMesa and ffmpeg.\n"
               "\n"
               "options:\n"
               "  -o OUT.mp4         the video (required)\n"
               "  --size WxH         frame size (default 640x480)\n"
               "  --overlay          draw the time and the running return onto every frame\n"
               "  --set KEY=VALUE    override a value of the file, as for run (repeatable)\n"
               "  --episodes N       episodes to film (default 1)\n"
               "  --theta FILE       the parameters to film (e.g. written by train)\n"
               "  --plugin FILE      load this plugin .so before resolving names (repeatable)\n"
               "  --quiet            no progress and no summary line\n"},
    {"view", "usage: animat view FILE [OPTIONS]\n"
             "\n"
             "Run episodes like run (default 1) and show every body (MuJoCo bodies with the\n"
             "animat.mujoco/1 extension, side by side) live in a window (GLFW), paced to real\n"
             "time, the camera following each body; an overlay shows time, return and speed.\n"
             "Keys: space pause, right arrow (or .) one step while paused, + / - double or\n"
             "halve the speed, Esc or q quit. Needs a display: without one, one line, exit 1.\n"
             "\n"
             "options:\n"
             "  --size WxH         window size (default 640x480)\n"
             "  --speed X          simulated seconds per second (default 1; 0 = as fast as possible)\n"
             "  --frames N         stop after N frames\n"
             "  --screenshot F.ppm at the end, write what the window shows (binary PPM)\n"
             "  --set KEY=VALUE    override a value of the file, as for run (repeatable)\n"
             "  --episodes N       episodes to show (default 1)\n"
             "  --units NAME       the circuit whose first 6 unit activities the overlay shows\n"
             "                     (default the first circuit naming units; none: no units)\n"
             "\n"
             "animat view FILE.h5 replays a recording instead (a file ending in .h5, or any HDF5\n"
             "file): the bodies' recorded positions (/signals/NAME.qpos, recorded by default)\n"
             "drawn with the same renderer, keys and camera; the overlay adds the episode and\n"
             "the first 6 unit activities of a units signal. Nothing is simulated. A file that\n"
             "is not a recording, or lacks a body's positions: one line, exit 1.\n"
             "  --units SIGNAL     the overlay's units (default the first NAME.units recorded)\n"},
    {"plot", "usage: animat plot FILE.h5 KIND -o OUT.svg|OUT.png [OPTIONS]\n"
             "\n"
             "A figure of a recording (--record). KIND is curve (learning curve of a train\n"
             "recording), activity (every circuit's units over time, or the --signal list;\n"
             "more than 8 series are drawn as a heatmap), kymograph (joint angles over body\n"
             "position and time), trajectory (NAME.obs.position seen from above) or\n"
             "raster (spike times of a circuit with animat.spikes/1, population rate\n"
             "underneath; --signal NAME.spikes). FILE may be an NWB file animat exported.\n"
             "See docs/plots.md.\n"
             "\n"
             "options:\n"
             "  -o OUT             the figure: .svg or .png (required)\n"
             "  --signal A,B,...   the recorded signals to draw\n"
             "  --episode K        the episode, counted from 1 (default 1)\n"
             "  --from T --to T    only the time window [T, T] in seconds (activity,\n"
             "                     kymograph, trajectory, raster; default the whole episode)\n"
             "  --size WxH         pixels for PNG, points for SVG (default 800x500)\n"},
    {"export", "usage: animat export FILE.h5 -o OUT.nwb [--quiet]\n"
               "\n"
               "The recording as an NWB 2.6.0 file (HDF5) that NWB readers (pynwb, MatNWB,\n"
               "DANDI) open: every signal as a TimeSeries (body ports and reward under\n"
               "processing/behavior, positions as SpatialSeries, circuit signals under\n"
               "processing/circuits), spike times in the Units table, episodes as\n"
               "intervals/trials, the resolved experiment and plugins as provenance.\n"
               "OUT must not exist unless it is an NWB file animat wrote (then it is\n"
               "replaced atomically). `animat run --record OUT.nwb` writes one directly.\n"
               "See docs/recording.md.\n"
               "\n"
               "options:\n"
               "  -o OUT.nwb         the NWB file (required)\n"
               "  --quiet            no summary line\n"},
    {"report", "usage: animat report FILE.h5 -o OUT.html [--video FILE] [--quiet]\n"
               "\n"
               "One self-contained HTML page: provenance, summary, the figures that the\n"
               "recording has data for, the experiment text and the video (embedded).\n"
               "\n"
               "options:\n"
               "  -o OUT.html        the page (required)\n"
               "  --video FILE       an MP4 (from animat render) to embed\n"
               "  --quiet            no progress and no 'wrote' line\n"},
    {"plugins", "usage: animat plugins\n"
                "       animat plugins info NAME|FILE.so [--set [ROLE.params.]KEY=VALUE]...\n"
                "\n"
                "List the plugins found (kind, name, version, file), or one plugin's parameters\n"
                "(type, unit, default, range, doc) and, for bodies and circuits, its ports at\n"
                "defaults or at the given parameters (and a circuit's unit names).\n"},
    {"plugin-check", "usage: animat plugin-check FILE.so [--set NAME=VALUE]... [--seed N] [--timeout S] [--quiet]\n"
                     "\n"
                     "Validate a plugin through the ABI (handshake, tables, ports, finite outputs,\n"
                     "determinism, no allocation in step, no writes past its outputs, no shared\n"
                     "state, leaks), each check in a child process: PASS/FAIL per check, exit 1 on\n"
                     "FAIL.\n"
                     "\n"
                     "options:\n"
                     "  --set NAME=VALUE   run every check at this parameter value (repeatable)\n"
                     "  --seed N           the seed of the checks' episodes\n"
                     "  --timeout S        seconds before a hanging check is killed\n"
                     "  --quiet            print only failures and the verdict\n"},
    {"eval", cmd_eval_usage},
    {"sweep", cmd_sweep_usage},
    {"analyze", "usage: animat analyze FILE.h5 pca|dmd|sindy [OPTIONS]\n"
                "\n"
                "Dynamics of a recording's signals (default: every circuit's units): PCA\n"
                "(explained variance, loadings), DMD (eigenvalues as frequency in Hz and growth\n"
                "rate in 1/s) or SINDy (sparse equations over a polynomial library). See\n"
                "docs/analysis.md.\n"
                "\n"
                "options:\n"
                "  --signals S,...    the signals to analyse (NAME.DIR.PORT or NAME.units)\n"
                "  --episode K        the episode (default 1)\n"
                "  --from T --to T    a time window in seconds\n"
                "  --plot OUT         a figure (.svg or .png)\n"
                "  -o TABLE           a table (.csv or .md)\n"
                "  --rank R           dmd: SVD truncation rank\n"
                "  --degree D         sindy: polynomial degree, 1..5 (default 2)\n"
                "  --threshold L      sindy: coefficients below L are dropped\n"
                "  --phase            sindy: the library of cos and sin of each phase\n"
                "  --derivative S,... sindy: recorded derivatives instead of finite differences\n"},
    {"new", "usage: animat new body|circuit|learner NAME [DIR]\n"
            "\n"
            "Write a buildable plugin scaffold into the new folder DIR (default ./NAME): meson.build\n"
            "(against animat-sdk through pkg-config), NAME.c, a test that runs animat plugin-check,\n"
            "and a README. An existing DIR is refused; nothing is overwritten. See sdk/README.md.\n"},
    {"help", "usage: animat help [COMMAND]    (also animat --help, animat COMMAND --help)\n"},
    {"version", "usage: animat version    (also animat --version)\n"},
};

int cmd_help_wanted(int argc, char **argv) {
    for (int i = 0; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return 1;
    return 0;
}

int cmd_help_print(const char *command, FILE *f) {
    for (size_t i = 0; i < sizeof help_entries / sizeof *help_entries; i++)
        if (!strcmp(command, help_entries[i].command)) return fputs(help_entries[i].text, f) < 0 ? -1 : 0;
    return -1;
}
