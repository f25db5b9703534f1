/* cmd_export.c -- see cmd_export.h. */
#include "cli/cmd_export.h"

#include <string.h>

#include "sim/nwb_export.h"

int cmd_export_main(int argc, char **argv, FILE *out) {
    const char *file = NULL, *dst = NULL;
    int quiet = 0;
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "-o") && i + 1 < argc) dst = argv[++i];
        else if (!strcmp(s, "-o")) return fprintf(stderr, "animat export: -o needs a value (see animat --help)\n"), 2;
        else if (!strcmp(s, "--quiet")) quiet = 1;
        else if (s[0] == '-' && s[1]) return fprintf(stderr, "animat export: unknown option '%s'\n", s), 2;
        else if (!file) file = s;
        else return fprintf(stderr, "animat export: unexpected argument '%s'\n", s), 2;
    }
    if (!file || !dst) return fprintf(stderr, "animat export: usage: animat export FILE.h5 -o OUT.nwb [--quiet]\n"), 2;
    errmsg e;
    errmsg_clear(&e);
    const char *others[1] = {file};
    if (!nwb_is_path(dst)) {
        fprintf(stderr, "error: -o %s: an export is an NWB file; give a name ending in .nwb\n", dst);
        return 1;
    }
    nwb_stats st;
    if (nwb_check_target(dst, "-o", others, 1, &e) || nwb_export(file, dst, NULL, &st, &e)) {
        fprintf(stderr, "error: %s\n", e.msg);
        return 1;
    }
    if (!quiet)
        fprintf(out, "wrote %s (NWB %s: %u series, %llu units with %llu spikes, %llu trials)\n", dst, NWB_VERSION,
                st.series, (unsigned long long)st.units, (unsigned long long)st.spikes, (unsigned long long)st.trials);
    return 0;
}
