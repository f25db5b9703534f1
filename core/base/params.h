/* params.h -- validate experiment-file values against a plugin's parameter
 * table, and hold the resolved values an instance reads at create time.
 */
#ifndef PARAMS_H
#define PARAMS_H

#include <animat/param.h>
#include <stdint.h>

#include "base/errmsg.h"
#include "base/yamltree.h"

/* One resolved parameter. */
typedef struct params_value {
    const animat_param_info *info; /* the plugin's record (plugin-owned) */
    double real;                   /* REAL/INT/BOOL; CHOICE: index */
    const char *choice;            /* CHOICE: points into `choice_buf` */
    char choice_buf[64];
    double list[ANIMAT_PARAM_LIST_MAX]; /* REAL_LIST values */
    uint32_t nlist;
    char *path;                    /* PATH: resolved, checked; owned ("" when unset) */
} params_value;

/* The resolved parameter set of one instance. */
typedef struct params_set {
    params_value *v; /* n entries, owned (free with params_free) */
    uint32_t n;
} params_set;

/* Limits on plugin-supplied tables: a record's struct_size and a table's
 * length (generous for any real plugin, small enough to refuse garbage). */
#define PARAMS_MAX_RECORD 4096u
#define PARAMS_MAX_COUNT 4096u

/* Check a plugin's parameter table itself (names, types, default in range,
 * unique names). `who` names the plugin in messages. 0 or -1 with e set. */
int params_check_table(const animat_param_info *params, uint32_t n, const char *who, errmsg *e);

/* Resolve: start from each parameter's default, then apply the mapping node
 * `given` (may be NULL: all defaults). Unknown keys, wrong types and values
 * out of range are positioned errors naming `where` (e.g. "body.params") and
 * the plugin. On success fills *out (free with params_free) and returns 0. */
int params_resolve(const animat_param_info *params, uint32_t n, const yamltree *given, const char *where,
                 const char *plugin, params_set *out, errmsg *e);

/* Release the values (NULL-safe on a zeroed set). */
void params_free(params_set *s);

/* Find a resolved value by name, or NULL. */
const params_value *params_find(const params_set *s, const char *name);

/* Element i of a parameter table with stride params[0].struct_size. */
const animat_param_info *params_at(const animat_param_info *params, uint32_t i);

/* Parse a finite number from a scalar string. 0; -1 when it is not a
 * number; PARAMS_TOO_BIG when it is a number beyond double's range (1e400). */
#define PARAMS_TOO_BIG (-2)
int params_parse_real(const char *s, double *out);

/* Human name of a parameter type ("real", "int", ...). */
const char *params_type_name(uint32_t type);

/* Write "a|b|c"-style choice number idx into buf (size cap). 0 or -1. */
int params_choice_at(const char *choices, uint32_t idx, char *buf, size_t cap);

#endif
