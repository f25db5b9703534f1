/* main.c -- the `animat` command line (cli/main.h). See usage() for the contract. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <animat/embed.h>
#include <gsl/gsl_errno.h>

#include "base/atomicfile.h"
#include "base/h5util.h"
#include "train/ranks.h"
#include "plugin/plugcheck.h"
#include "cli/main.h"
#include "cli/cmd_analyze.h"
#include "cli/cmd_help.h"
#include "cli/cmd_eval.h"
#include "cli/cmd_sweep.h"
#include "cli/cmd_new.h"
#include "cli/cmd_plugins.h"
#include "cli/cmd_plot.h"
#include "cli/cmd_report.h"
#include "cli/cmd_export.h"
#include "cli/cmd_rerun.h"
#include "cli/setopts.h"
#include "cli/cmd_render.h"
#include "cli/cmd_view.h"
#include "plugin/callguard.h"
#include "sim/nwb_export.h"
#include "train/trainer.h"

#ifndef ANIMAT_VERSION
#define ANIMAT_VERSION "0.0.0"
#endif

#define MAX_SETS 256

static void usage(FILE *f) {
    fprintf(f,
            "usage: animat COMMAND [ARGS]\n"
            "\n"
            "Closed-loop brain-body simulation: loads body, circuit and learner plugins\n"
            "(shared objects) and wires them together from an experiment file (YAML).\n"
            "\n"
            "commands:\n"
            "  run FILE [OPTIONS]      run the experiment's episodes; prints one line per\n"
            "                          episode (return, steps, mean of metric ports such as\n"
            "                          the swimmer's forward speed) and a summary\n"
            "  check FILE [OPTIONS]    load and validate the experiment (plugins, parameters,\n"
            "                          wiring, slices and port sizes) without running it;\n"
            "                          lists inputs that nothing feeds (they read zeros)\n"
            "  train FILE [OPTIONS]    learn the circuits' parameters (learner.targets, default\n"
            "                          every circuit with parameters; a body named there\n"
            "                          adds its design parameters, animat.morphology/1)\n"
            "                          with the learner block;\n"
            "                          proposals are kept inside each entry's declared bounds;\n"
            "                          one line per epoch (episodes, steps, best and\n"
            "                          mean return, elapsed, ETA); writes the parameters to\n"
            "                          train.output (default BASENAME.params.yaml), the\n"
            "                          learning curve to train.curve and checkpoints to\n"
            "                          train.checkpoint; Ctrl-C stops after a checkpoint.\n"
            "                          Under mpirun, candidates are spread over the ranks\n"
            "                          Ends with the held-out evaluation (train.eval.episodes,\n"
            "                          else run.episodes, default 10): 'held-out mean return'\n"
            "  eval FILE [--theta P.yaml] [--episodes N] [--seed S] [--set K=V]...\n"
            "                          held-out evaluation: N episodes from random streams no run\n"
            "                          or training episode uses, whatever the seeds; without\n"
            "                          --theta the file's initial parameters (see eval --help)\n"
            "  sweep FILE --grid KEY=[v1,...]... [--seeds A..B] [--train] [-j N] [--shard I/N] -o DIR\n"
            "                          every grid combination and seed as its own run/train\n"
            "                          process; DIR/summary.md: n, mean, sd, 95%% CI, min, max per\n"
            "                          grid point; resumable; --collect DIR merges shards\n"
            "                          (see sweep --help, docs/sweep.md)\n"
            "  rerun FILE.h5 [--plugin F]... [--allow-plugin-paths] [--quiet]\n"
            "                          repeat the run stored in a recording from the file alone\n"
            "                          and say whether every recorded value came out\n"
            "                          bit-identical (exit 0) or where it first differs (exit 1);\n"
            "                          writes none of the stored experiment's outputs; plugins\n"
            "                          are found by name and must hash as recorded (plugin files\n"
            "                          named by path, or other hashes: --allow-plugin-paths)\n"
            "  render FILE -o OUT.mp4 [--size WxH] [--episodes N] [--set K=V]... [--theta FILE]\n"
            "         [--plugin F] [--overlay] [--quiet]\n"
            "                          run episodes like run (default 1) and film every body\n"
            "                          (MuJoCo bodies with the animat.mujoco/1 extension,\n"
            "                          side by side, the camera centred on each) off-screen\n"
            "                          into an H.264 MP4 (default 640x480, one frame per\n"
            "                          control step); --overlay draws time and running return;\n"
            "                          needs OSMesa and the ffmpeg program; progress with ETA\n"
            "                          on a terminal; an ffmpeg idle for ANIMAT_FFMPEG_TIMEOUT s\n"
            "                          (default 60) is stopped\n"
            "  view FILE [--size WxH] [--episodes N] [--set K=V]... [--speed X] [--frames N]\n"
            "         [--units NAME] [--screenshot F.ppm]\n"
            "                          run episodes like run and show every body live in a\n"
            "                          window (GLFW): space pauses, right arrow steps, +/- speed,\n"
            "                          Esc quits; time, return, speed and circuit NAME's first\n"
            "                          unit activities in an overlay; needs a display (one line\n"
            "                          and exit 1 without)\n"
            "  view FILE.h5 [--units SIGNAL] [--size WxH] [--speed X] [--frames N] [--screenshot F]\n"
            "                          replay a recording's bodies (their recorded NAME.qpos)\n"
            "                          with the same keys; the overlay adds unit activities\n"
            "  plugins                 list the plugins found: kind, name, id, version, file\n"
            "  plugins info NAME|ID [--set KEY=VALUE]...\n"
            "                          a plugin's parameters (type, unit, default, range, doc)\n"
            "                          and, for bodies and circuits, its ports at defaults or\n"
            "                          at the given parameters (e.g. plugins info mjcf\n"
            "                          --set model=worm.xml shows that model's ports) and their\n"
            "                          declared bounds and element names; a circuit's units\n"
            "  new body|circuit|learner NAME [DIR]\n"
            "                          write a buildable plugin into the new folder DIR\n"
            "                          (default NAME): meson.build (pkg-config animat-sdk),\n"
            "                          NAME.c, a plugin-check test, README; never overwrites\n"
            "  plugin-check FILE.so [--set NAME=VALUE]... [--seed N] [--timeout S] [--quiet]\n"
            "                          validate a plugin through the ABI (handshake, tables,\n"
            "                          ports, finite outputs, determinism, no allocation or heap\n"
            "                          growth in step, no writes past its outputs, no state\n"
            "                          shared between instances or threads, fixed ports, leaks)\n"
            "                          at defaults or the --set parameters, each check in a\n"
            "                          child process; PASS/FAIL per check, exit 1 on FAIL\n"
            "  plot FILE.h5 KIND -o OUT.svg|OUT.png [--signal NAME] [--episode K] [--size WxH]\n"
            "       [--from T] [--to T]\n"
            "                          a figure of a recording (--record): KIND is curve\n"
            "                          (learning curve of a train recording), activity\n"
            "                          (every circuit's units over time, or the signals in\n"
            "                          --signal A,B,...; a heat map above 8 series), kymograph\n"
            "                          (joint angles over body position and time),\n"
            "                          trajectory (NAME.obs.position seen from above) or\n"
            "                          raster (spike times, population rate underneath);\n"
            "                          --episode counts from 1; --from/--to: a time window in\n"
            "                          seconds; see docs/plots.md\n"
            "  report FILE.h5 -o OUT.html [--video FILE] [--quiet]\n"
            "                          one self-contained HTML page: provenance, summary,\n"
            "                          the figures above that the recording has data for,\n"
            "                          the experiment text and the video (embedded)\n"
            "  export FILE.h5 -o OUT.nwb [--quiet]\n"
            "                          the recording as an NWB 2.6.0 file (series, spikes in\n"
            "                          the Units table, episodes as trials, provenance);\n"
            "                          see docs/recording.md\n"
            "  analyze FILE.h5 pca|dmd|sindy [--signals S,...] [--episode K] [--from T]\n"
            "         [--to T] [--plot OUT.svg|png] [-o TABLE.csv|md] [--rank R]\n"
            "         [--degree D] [--threshold L] [--phase] [--derivative S,...]\n"
            "                          dynamics of a recording (default: every circuit's\n"
            "                          units): PCA (explained variance, loadings), DMD\n"
            "                          (eigenvalues as frequency in Hz and growth rate in\n"
            "                          1/s) or SINDy (sparse equations over a polynomial\n"
            "                          library of degree D, 1..5; --phase: of cos and sin\n"
            "                          of phases); see docs/analysis.md\n"
            "  help, --help            this text; animat COMMAND --help (or animat help COMMAND):\n"
            "                          one command's usage and options\n"
            "  version, --version      the version\n"
            "\n"
            "options for run, check and train:\n"
            "  --set KEY=VALUE         override a value of the file before validation, e.g.\n"
            "                          --set body.params.n_bodies=9  --set run.seed=3\n"
            "                          --set circuit.theta=[1,1,1,-1]  (repeatable); list\n"
            "                          items by index from 0: --set interventions[0].from=0\n"
            "  --episodes N            same as --set run.episodes=N\n"
            "  --seed N                same as --set run.seed=N\n"
            "  --trace FILE            write a per-step CSV trace (time, observed ports,\n"
            "                          actions, reward) to FILE; overrides record.trace\n"
            "  --record FILE.h5        write an HDF5 recording (record.signals, default every\n"
            "                          port, circuit units and reward; docs/recording.md) that\n"
            "                          animat rerun can repeat; overrides record.file. With\n"
            "                          train: learner statistics per epoch, then one episode\n"
            "                          of the trained parameters. run --record FILE.nwb: an\n"
            "                          NWB 2.6.0 file instead (as animat export writes)\n"
            "  --plugin FILE           load this plugin .so before resolving names (repeatable)\n"
            "  --state-at K --state-out S.state   (run) write the whole experiment's state\n"
            "                          after control step K of the only episode to S.state;\n"
            "                          the run goes on to the episode's end (docs/state.md)\n"
            "  --state-in S.state      (run) continue the episode saved in S.state from its\n"
            "                          step: the same steps, bit for bit, as without the stop\n"
            "  --theta FILE            start from the parameters in FILE (written by train;\n"
            "                          entries matched by name); same as --set theta_file=FILE\n"
            "  --quiet                 print only the summary line\n"
            "\n"
            "options for train only:\n"
            "  --epochs N              same as --set train.epochs=N\n"
            "  --threads N             evaluation threads (overrides train.threads); results\n"
            "                          are bit-identical for any N and any number of ranks\n"
            "  --resume                continue from train.checkpoint exactly where it stopped\n"
            "\n"
            "experiment keys for untrusted plugins: run.isolate: true creates the plugins\n"
            "once in a child process first and runs each episode in a child process;\n"
            "run.episode_timeout: S kills one that hangs (create: 60 s when unset);\n"
            "run.on_crash: stop|continue decides whether a crash ends the run (train scores\n"
            "a crashed candidate run.crash_return). run.guard: true places guard values around\n"
            "every port buffer and fails the run when a plugin call writes over one.\n"
            "\n"
            "experiments are graphs: bodies: and circuits: map names to instances (body: and\n"
            "circuit: are the one-of-each short form); wiring edges are SRC -> DST or, read\n"
            "one control step late, SRC ~> DST, with ends NAME.DIR.PORT[i] or [a:b]; a\n"
            "circuit's substeps: k steps it k times per control step. See README.md for\n"
            "the whole file format.\n"
            "\n"
            "plugin search order: the built-in plugin directory, then ANIMAT_PLUGIN_PATH\n"
            "(colon-separated directories), then explicit files (--plugin, or a `plugin:`\n"
            "value that contains '/' or ends in .so, relative to the experiment file).\n"
            "\n"
            "exit status: 0 on success, 1 on an error (one line on stderr naming the file,\n"
            "line, column and key, or the plugin and reason), 2 on bad usage, 130 when\n"
            "train was interrupted (after writing its checkpoint).\n");
}

/* Options shared by run and check. */
typedef struct cli {
    const char *file;
    const char *sets[MAX_SETS];
    uint32_t nsets;
    const char *plugins[64];
    uint32_t nplugins;
    const char *trace;
    const char *record;
    const char *state_out, *state_in; /* run only (sim/state.h) */
    const char *state_at;
    int quiet;
    int resume;
    uint64_t threads;
    char owned[SETOPTS_N][4200]; /* storage for options rewritten as --set (cli/setopts.h) */
} cli;

/* Options that only `animat train` takes. */
static int train_only(const char *a) {
    return !strcmp(a, "--epochs") || !strcmp(a, "--threads") || !strcmp(a, "--resume");
}

/* Options that only `animat run` takes. */
static int run_only(const char *a) {
    return !strcmp(a, "--state-at") || !strcmp(a, "--state-out") || !strcmp(a, "--state-in");
}

/* --state-at K: a step count; --state-at and --state-out come together.
 * 0, or 2 after printing a usage error. */
static int parse_state(cli *c, uint64_t *at) {
    if (!c->state_at != !c->state_out) {
        fprintf(stderr, "animat: --state-at and --state-out go together (see animat --help)\n");
        return 2;
    }
    char *end = NULL;
    int digit = c->state_at && c->state_at[0] >= '0' && c->state_at[0] <= '9';
    if (c->state_at && (!digit || (*at = strtoull(c->state_at, &end, 10), *end))) {
        fprintf(stderr, "animat: --state-at takes a number of control steps, not '%s'\n", c->state_at);
        return 2;
    }
    return 0;
}

/* Parse run/check/train arguments. 0, or 2 after printing a usage error. */
static int parse(int argc, char **argv, cli *c) {
    int training = !strcmp(argv[1], "train");
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[1], "run") && run_only(a)) {
            fprintf(stderr, "animat: %s is an option of animat run, not of animat %s\n", a, argv[1]);
            return 2;
        }
        if (!training && train_only(a)) {
            fprintf(stderr, "animat: %s is an option of animat train, not of animat %s\n", a, argv[1]);
            return 2;
        }
        int takes = !strcmp(a, "--set") || !strcmp(a, "--trace") || !strcmp(a, "--record") || !strcmp(a, "--plugin") ||
                    !strcmp(a, "--threads") || run_only(a) || setopts_index(a) >= 0;
        if (takes && !v) {
            fprintf(stderr, "animat: %s needs a value (see animat --help)\n", a);
            return 2;
        }
        if (!strcmp(a, "--set")) {
            if (c->nsets == MAX_SETS) return fprintf(stderr, "animat: too many --set\n"), 2;
            c->sets[c->nsets++] = v, i++;
        } else if (setopts_index(a) >= 0) {
            /* --episodes/--seed/--epochs/--theta are spelled-out --set KEY=V. */
            int k = setopts_index(a);
            if (c->nsets == MAX_SETS) return fprintf(stderr, "animat: too many --set\n"), 2;
            c->sets[c->nsets++] = setopts_format(k, v, c->owned[k], sizeof c->owned[0]), i++;
        } else if (!strcmp(a, "--trace")) {
            c->trace = v, i++;
        } else if (!strcmp(a, "--record")) {
            c->record = v, i++;
        } else if (run_only(a)) {
            *(a[8] == 'a' ? &c->state_at : a[8] == 'o' ? &c->state_out : &c->state_in) = v, i++;
        } else if (!strcmp(a, "--plugin")) {
            if (c->nplugins == 64) return fprintf(stderr, "animat: too many --plugin\n"), 2;
            c->plugins[c->nplugins++] = v, i++;
        } else if (!strcmp(a, "--threads")) {
            char *end;
            c->threads = strtoull(v, &end, 10);
            if (*end || c->threads < 1 || c->threads > 1024) {
                fprintf(stderr, "animat: --threads takes a number from 1 to 1024, not '%s'\n", v);
                return 2;
            }
            i++;
        } else if (!strcmp(a, "--resume")) {
            c->resume = 1;
        } else if (!strcmp(a, "--quiet")) {
            c->quiet = 1;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "animat: unknown option '%s' (see animat --help)\n", a);
            return 2;
        } else if (!c->file) {
            c->file = a;
        } else {
            fprintf(stderr, "animat: unexpected argument '%s'\n", a);
            return 2;
        }
    }
    if (!c->file) {
        fprintf(stderr, "animat: %s needs an experiment FILE (see animat --help)\n", argv[1]);
        return 2;
    }
    return 0;
}

/* The command line as one string, for provenance. */
static char *join_args(int argc, char **argv) {
    size_t n = 1;
    for (int i = 0; i < argc; i++) n += strlen(argv[i]) + 1;
    char *s = malloc(n);
    if (!s) return NULL;
    s[0] = '\0';
    for (int i = 0; i < argc; i++) {
        if (i) strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

/* animat train. */
static int cmd_train(int argc, char **argv) {
    cli c;
    memset(&c, 0, sizeof c);
    int rc = parse(argc, argv, &c);
    if (rc) return rc;
    if (ranks_init(&argc, &argv)) {
        fprintf(stderr, "error: MPI initialisation failed\n");
        return 1;
    }
    errmsg e;
    errmsg_clear(&e);
    experiment *x;
    if (experiment_open(&x, c.file, c.sets, c.nsets, c.plugins, c.nplugins, &e)) {
        if (ranks_rank() == 0) fprintf(stderr, "error: %s\n", e.msg);
        ranks_finalize();
        return 1;
    }
    if (c.record && nwb_is_path(c.record)) {
        fprintf(stderr, "error: --record %s: train writes HDF5 recordings (.h5); export one with animat export\n",
                c.record);
        experiment_close(x);
        ranks_finalize();
        return 1;
    }
    trainer_handle_signals();
    char *cmd = join_args(argc, argv);
    trainer_opts o = {.threads = c.threads, .resume = c.resume, .command = cmd, .quiet = c.quiet, .record = c.record,
                      .extra_plugins = c.plugins, .nextra = c.nplugins, .progress = c.quiet ? NULL : stderr};
    rc = trainer_run(x, &o, stdout, &e);
    free(cmd);
    experiment_close(x);
    if (rc < 0) {
        fprintf(stderr, "error: %s\n", e.msg);
        ranks_abort(1);
        ranks_finalize();
        return 1;
    }
    ranks_finalize();
    return rc;
}

/* animat run / animat check: clients of the embedding API (animat/embed.h),
 * as any program linking libanimat.so would be. */
static int cmd_run(int argc, char **argv, int check_only) {
    cli c;
    memset(&c, 0, sizeof c);
    uint64_t state_at = 0;
    int rc = parse(argc, argv, &c);
    if (!rc) rc = parse_state(&c, &state_at);
    if (rc) return rc;
    animat_exp *x = cli_open(c.file, c.sets, c.nsets, c.plugins, c.nplugins);
    if (!x) return 1;
    if (check_only) {
        rc = animat_check(x, stdout);
    } else {
        char *cmd = join_args(argc, argv);
        animat_run_opts o = ANIMAT_RUN_OPTS_INIT;
        o.trace = c.trace, o.record = c.record, o.command = cmd, o.quiet = c.quiet, o.out = stdout;
        o.state_out = c.state_out, o.state_at = state_at, o.state_in = c.state_in;
        o.progress = c.quiet ? NULL : stderr;
        rc = animat_run_with(x, &o, NULL);
        free(cmd);
    }
    return cli_close(x, rc);
}

int animat_cli_main(int argc, char **argv) {
    /* GSL's default error handler aborts the process; animat and its
     * plugins check GSL's status codes instead (documented in sdk/README). */
    gsl_set_error_handler_off();
    h5util_init();
    callguard_install();
    atomicfile_anchor(); /* outputs resolve against this folder, whatever plugins chdir() to */
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (cmd_help_wanted(argc - 2, argv + 2) && !cmd_help_print(cmd, stdout)) return 0; /* animat COMMAND --help */
    if (!strcmp(cmd, "help") && argc > 2) {
        if (!cmd_help_print(argv[2], stdout)) return 0;
        fprintf(stderr, "animat: unknown command '%s' (see animat --help)\n", argv[2]);
        return 2;
    }
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
#ifdef ANIMAT_MPI
        const char *mpi = ", MPI";
#else
        const char *mpi = "";
#endif
        printf("animat %s (plugin ABI %d.%d%s)\n", ANIMAT_VERSION, ANIMAT_ABI_MAJOR, ANIMAT_ABI_MINOR, mpi);
        return 0;
    }
    if (!strcmp(cmd, "run")) return cmd_run(argc, argv, 0);
    if (!strcmp(cmd, "check")) return cmd_run(argc, argv, 1);
    if (!strcmp(cmd, "train")) return cmd_train(argc, argv);
    if (!strcmp(cmd, "eval")) return cmd_eval_main(argc - 2, argv + 2, stdout);
    if (!strcmp(cmd, "sweep")) return cmd_sweep_main(argc - 2, argv + 2, stdout);
    if (!strcmp(cmd, "rerun")) return cmd_rerun_main(argc - 2, argv + 2, stdout);
    if (!strcmp(cmd, "render")) return cmd_render_main(argc - 1, argv + 1);
    if (!strcmp(cmd, "view")) return cmd_view_main(argc - 1, argv + 1);
    if (!strcmp(cmd, "plugins")) return cmd_plugins_main(argc - 2, argv + 2, stdout);
    if (!strcmp(cmd, "plot")) return cmd_plot_main(argc - 2, argv + 2, stdout);
    if (!strcmp(cmd, "report")) return cmd_report_main(argc - 2, argv + 2, stdout);
    if (!strcmp(cmd, "export")) return cmd_export_main(argc - 2, argv + 2, stdout);
    if (!strcmp(cmd, "analyze")) return cmd_analyze_main(argc - 2, argv + 2, stdout);
    if (!strcmp(cmd, "plugin-check")) {
        plugcheck_preload(argv); /* the allocator-call counter lives only in this command's process */
        return plugcheck_main(argc - 2, argv + 2, stdout);
    }
    if (!strcmp(cmd, "new")) return cmd_new_main(argc - 2, argv + 2, stdout);
    fprintf(stderr, "animat: unknown command '%s' (see animat --help)\n", cmd);
    return 2;
}
