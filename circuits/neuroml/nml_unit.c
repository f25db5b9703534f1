/* nml_unit.c -- NeuroML2 quantities ("3pF", "-50 mV") into SI units. The
 * unit names are those of NeuroML2's NeuroMLCoreDimensions for the
 * dimensions the supported elements use. Pure. */
#include "nml_net.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct nml_unit {
    const char *dim, *sym;
    double scale;
} nml_unit;

static const nml_unit nml_units[] = {
    {"voltage", "V", 1},         {"voltage", "mV", 1e-3},       {"voltage", "uV", 1e-6},
    {"time", "s", 1},            {"time", "ms", 1e-3},          {"time", "us", 1e-6},
    {"capacitance", "F", 1},     {"capacitance", "uF", 1e-6},   {"capacitance", "nF", 1e-9},
    {"capacitance", "pF", 1e-12},
    {"conductance", "S", 1},     {"conductance", "mS", 1e-3},   {"conductance", "uS", 1e-6},
    {"conductance", "nS", 1e-9}, {"conductance", "pS", 1e-12},
    {"current", "A", 1},         {"current", "mA", 1e-3},       {"current", "uA", 1e-6},
    {"current", "nA", 1e-9},     {"current", "pA", 1e-12},
    {"per_time", "per_s", 1},    {"per_time", "Hz", 1},         {"per_time", "per_ms", 1e3},
    {"conductance_per_voltage", "nS_per_mV", 1e-6}, {"conductance_per_voltage", "S_per_V", 1},
    {"none", "", 1},
};

int nml_quantity(const char *text, const char *dim, double *out) {
    if (!text || !dim || !out) return -1;
    char *end = NULL;
    double x = strtod(text, &end);
    if (end == text || !isfinite(x)) return -1;
    while (*end == ' ') end++;
    size_t len = strlen(end);
    while (len && end[len - 1] == ' ') len--;
    for (size_t i = 0; i < sizeof nml_units / sizeof nml_units[0]; i++) {
        const nml_unit *u = &nml_units[i];
        if (strcmp(u->dim, dim) == 0 && strlen(u->sym) == len && strncmp(u->sym, end, len) == 0) {
            *out = x * u->scale;
            return 0;
        }
    }
    return -1;
}
