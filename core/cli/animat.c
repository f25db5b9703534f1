/* animat.c -- the `animat` executable: a client of libanimat.so, which holds
 * the whole host (cli/main.h). */
#include "cli/main.h"

int main(int argc, char **argv) { return animat_cli_main(argc, argv); }
