/* main.h -- the `animat` command line as a function of libanimat.so.
 *
 * The whole host -- the embedding API (animat/embed.h) and the command line
 * over it -- is one library; the `animat` executable (cli/animat.c) only
 * calls animat_cli_main, so the CLI and embedding programs run one copy of
 * the same code. `animat run`, `check` and `eval` go through the public
 * embedding API (animat_open_with, animat_run_with, animat_check).
 */
#ifndef CLI_MAIN_H
#define CLI_MAIN_H

/* Run the command line argv[0 .. argc) (argv[0] the program name) and
 * return the process exit status: 0 success, 1 an error (one line on
 * stderr), 2 bad usage. Installs process-wide state (signal handlers for
 * plugin calls, GSL's error handler off, the output folder anchor), so it
 * is called once per process, from main. Exported by libanimat.so outside
 * the embedding API's version node (ANIMAT_CLI_PRIVATE): not for embedding
 * programs. */
int animat_cli_main(int argc, char **argv);

#endif
